//! Turns an OpenAPI document into the source files of a Rust client crate.
//!
//! The generator is a pipeline of pure stages, each a module of its own:
//!
//! ```text
//! text ──parse──▶ openapiv3::OpenAPI ──resolve──▶ Model ──emit──▶ tokens ──format──▶ files
//! ```
//!
//! [`generate_timed`] runs them in that order; no stage calls a later one. Emit and format
//! run together on all cores ([`parallel`]), a part of the crate at a time.
//!
//! It does no I/O: the caller hands it the spec's text (and, for a spec whose `$ref`s name
//! other files, a loader that reads them: [`Spec::loader`]; for corrections kept apart from
//! the spec, the text of OpenAPI Overlay documents: [`Spec::overlays`]) and gets back every
//! file of the crate as a relative path and its text. `cargo xtask codegen` does the reading and writing.
//! Only `parse` and `resolve` know `openapiv3`; `emit` sees the [`model`] alone.

pub mod api_diff;
mod api_summary;
mod emit;
mod error;
mod format;
pub mod model;
mod names;
mod parallel;
mod parse;
mod resolve;
mod runtime;
mod type_options;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use proc_macro2::TokenStream;

pub use error::{Error, ErrorKind, Warning};
use format::Piece;
use parallel::Group;
pub use type_options::Replacement;

/// A spec to generate from: its text, the path it was read from, and how to read the other
/// files its `$ref`s name.
#[derive(Clone, Copy)]
pub struct Spec<'a> {
    /// The spec's path, as the caller names it: used in messages, and as the base of the
    /// paths of other files (`$ref: schemas/pet.yaml` beside `spec/api.yaml` names
    /// `spec/schemas/pet.yaml` in messages).
    pub path: &'a str,
    pub text: &'a str,
    /// Reads another file a `$ref` names (`pet.yaml`, `schemas/pet.yaml#/Pet`), given its
    /// path relative to the spec's folder (with `/`, `.` and `..` resolved, so it may start
    /// with `../`), returning its text or why it cannot be read. Without a loader, a
    /// reference to another file is an error. The generator itself does no I/O.
    pub loader: Option<&'a Loader<'a>>,
    /// OpenAPI Overlay 1.0 documents applied to the spec's document, in this order, before
    /// anything else reads it: corrections to a spec kept in files of their own.
    pub overlays: &'a [Overlay<'a>],
}

/// An OpenAPI Overlay 1.0 document (<https://spec.openapis.org/overlay/v1.0.0>): its path,
/// as the caller names it (used in messages), and its text (YAML or JSON).
#[derive(Debug, Clone, Copy)]
pub struct Overlay<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

/// How the caller supplies the other files of a spec: see [`Spec::loader`].
pub type Loader<'a> = dyn Fn(&str) -> Result<String, String> + 'a;

impl<'a> Spec<'a> {
    /// A spec of one file (a reference to another file is an error).
    pub fn new(path: &'a str, text: &'a str) -> Self {
        Self { path, text, loader: None, overlays: &[] }
    }

    /// The same spec, reading the files its `$ref`s name with `loader`.
    pub fn with_loader(self, loader: &'a Loader<'a>) -> Self {
        Self { loader: Some(loader), ..self }
    }

    /// The same spec, with `overlays` applied to it in order.
    pub fn with_overlays(self, overlays: &'a [Overlay<'a>]) -> Self {
        Self { overlays, ..self }
    }
}

impl std::fmt::Debug for Spec<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spec")
            .field("path", &self.path)
            .field("text", &format_args!("{} bytes", self.text.len()))
            .field("loader", &self.loader.map(|_| "..."))
            .field("overlays", &self.overlays.iter().map(|overlay| overlay.path).collect::<Vec<_>>())
            .finish()
    }
}

/// Settings of one generation run.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The package name written into the generated `Cargo.toml`, for example `auth0-management`.
    pub crate_name: String,
    /// The package version written into the generated `Cargo.toml`.
    pub crate_version: String,
    /// The command that regenerates the crate, named in every file's do-not-edit preamble.
    pub command: String,
    /// The header that carries the client's telemetry (for Auth0, `Auth0-Client`), if any.
    pub telemetry_header: Option<String>,
    /// Whether the package has a command-line tool: a binary behind its `cli` feature, a
    /// command per operation (default: yes). Without, the crate is the library alone, and
    /// its manifest names no `clap`. A source to include never has one.
    pub cli: bool,
    /// The command-line tool's name (default: the crate's name).
    pub cli_binary: Option<String>,
    /// The prefix of the tool's environment variables, e.g. `AUTH0` for `AUTH0_TOKEN`
    /// (default: the crate's name in capitals).
    pub cli_env_prefix: Option<String>,
    /// Strings of format `date-time` and `date` as `chrono` types and of format `uuid` as
    /// `uuid::Uuid` (a value that does not parse is a decode error naming its field). Off by
    /// default: they stay `String`, and a server that sends another shape than its spec
    /// says still decodes.
    pub typed_formats: bool,
    /// Derives put on generated types beside their own (`Debug`, `Clone`, `PartialEq`), by
    /// path: `Eq`, `Hash`, `PartialOrd`, `Ord`, `schemars::JsonSchema` go on each type whose
    /// members all allow them (decided in resolve, through the types it holds, cycles
    /// included); any other path (`my_crate::MyDerive`) goes on every type. `Copy`, `Default` and serde's
    /// are refused. A package's manifest gets `schemars` when a type derives
    /// `schemars::JsonSchema`; other crates a path names must be dependencies of the crate
    /// that builds the code (with [`Layout::IncludedSource`], the including crate's).
    pub derives: Vec<String>,
    /// Component schemas replaced by the user's Rust types: see [`Replacement`].
    pub replacements: Vec<Replacement>,
    /// What the files make: a package of its own (the default), or the source of a crate's
    /// root module that a build script writes and `include!`s.
    pub layout: Layout,
    /// What the generated `Cargo.toml` says beyond what the spec states.
    pub package: Package,
}

/// What the generated files make (see [`Config::layout`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layout {
    /// A package: `Cargo.toml`, `src/`, `API.md`, the examples, the command-line tool, and a
    /// Cargo feature per group of operations.
    #[default]
    Package,
    /// The `src/` files alone, for a crate whose `lib.rs` `include!`s the generated `lib.rs`
    /// from a build script's `OUT_DIR`: that `lib.rs` has no inner attributes or crate
    /// documentation (an included file cannot have them), and nothing is behind a Cargo
    /// feature, since the including crate declares none: every group and type is compiled,
    /// and there is no command-line tool. The runtime comes without its unit tests.
    IncludedSource,
}

/// The generated package's metadata that only its publisher knows (the spec's own, its
/// licence and web page, is read from it); `None` leaves a key out.
#[derive(Debug, Clone, Default)]
pub struct Package {
    /// `repository`: where the generated crate's source lives.
    pub repository: Option<String>,
    /// `documentation`: where its documentation is (Cargo's default: docs.rs).
    pub documentation: Option<String>,
    /// `license`, an SPDX expression, instead of the one `info.license` gives.
    pub license: Option<String>,
}

impl Config {
    /// The settings of a package named `crate_name`, version 0.1.0, everything else default.
    pub fn new(crate_name: impl Into<String>) -> Self {
        Config {
            crate_name: crate_name.into(),
            crate_version: "0.1.0".to_owned(),
            command: "openapi-client-gen generate".to_owned(),
            telemetry_header: None,
            cli: true,
            cli_binary: None,
            cli_env_prefix: None,
            typed_formats: false,
            derives: Vec::new(),
            replacements: Vec::new(),
            layout: Layout::Package,
            package: Package::default(),
        }
    }

    pub(crate) fn cli_binary(&self) -> String {
        self.cli_binary.clone().unwrap_or_else(|| self.crate_name.clone())
    }

    pub(crate) fn cli_env_prefix(&self) -> String {
        self.cli_env_prefix.clone().unwrap_or_else(|| {
            self.crate_name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' })
                .collect()
        })
    }
}

/// A package name made from a spec's file name (`specs/keeper.json`: `keeper`): lower case,
/// words joined by `-`; one Cargo refuses (a Rust keyword such as `match`, or none that
/// starts with a letter) gets `-api` after it or `api-` before it.
pub fn package_name_from(file_stem: &str) -> String {
    let name: String =
        file_stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let name = name.trim_matches('-').to_owned();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{name}")
    } else if names::is_keyword(&name) || ["std", "core", "alloc", "test", "proc-macro"].contains(&name.as_str()) {
        format!("{name}-api")
    } else {
        name
    }
}

/// Why Cargo (or the code that names the crate, `use my_api::Client`) would refuse `name`
/// as a package's name, if it would.
fn package_name_problem(name: &str) -> Option<String> {
    let ident = name.replace('-', "_");
    if name.is_empty() {
        Some("the crate name is empty".to_owned())
    } else if let Some(c) = name.chars().find(|c| !(c.is_alphanumeric() || *c == '-' || *c == '_')) {
        Some(format!("the crate name `{name}` has `{c}`: Cargo takes letters, digits, `-` and `_`"))
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        Some(format!("the crate name `{name}` starts with a digit, which Cargo refuses (try `api-{name}`)"))
    } else if names::is_keyword(&ident) || ["std", "core", "alloc", "test", "proc_macro"].contains(&ident.as_str()) {
        Some(format!("the crate name `{name}` is a Rust keyword or a crate of Rust's own, which Cargo refuses (try `{name}-api`)"))
    } else {
        None
    }
}

/// Everything one run produces.
#[derive(Debug, Clone)]
pub struct Output {
    /// Every file of the crate: path relative to the crate root (with `/`) to its text.
    pub files: BTreeMap<String, String>,
    /// What the generator could only approximate; the caller shows these to a person.
    pub warnings: Vec<Warning>,
    /// What the crate holds, for a summary.
    pub counts: Counts,
}

/// What a generated crate holds: the numbers a person reads in a summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Operations, each a method of the client (or of a group).
    pub operations: usize,
    /// Groups of operations that have a name (tags, and the groups inside them).
    pub groups: usize,
    /// Types: structs, enums and unions made from schemas.
    pub types: usize,
}

/// Generates the whole client crate for `spec`.
///
/// Returns an error naming the spec's file and the JSON pointer of the first problem found;
/// nothing about the input can make it panic.
pub fn generate(spec: Spec<'_>, config: &Config) -> Result<Output, Error> {
    generate_timed(spec, config).map(|(output, _)| output)
}

/// How long each stage of one run took (for the benchmark). The four add up to the run's
/// wall time.
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    pub parse: Duration,
    pub resolve: Duration,
    /// Emit runs on all cores, together with format: the workers' time in emit, summed
    /// (capped at the wall time of the two stages together).
    pub emit: Duration,
    /// The rest of the wall time of emit and format together.
    pub format: Duration,
}

/// [`generate`], also saying where the time went.
pub fn generate_timed(spec: Spec<'_>, config: &Config) -> Result<(Output, StageTimes), Error> {
    let mut times = StageTimes::default();
    let started = Instant::now();
    let (document, mut warnings, origins) = parse::parse(spec)?;
    times.parse = started.elapsed();
    let started = Instant::now();
    let resolved = resolve::resolve(spec.path, &document, config, &origins)?;
    warnings.extend(resolved.warnings);
    // The model holds all that is left to do: the spec's tree is freed before the code is
    // made, which is when memory runs highest.
    drop((document, origins));
    times.resolve = started.elapsed();
    let model = &resolved.model;
    let counts = Counts {
        operations: model.groups.iter().map(|group| group.operations.len()).sum(),
        groups: model.groups.iter().filter(|group| group.name.is_some()).count(),
        types: model.types.len(),
    };
    let started = Instant::now();
    let stages = EmitAndFormat {
        emitter: emit::Emitter::new(&resolved.model),
        config,
        preamble: format::preamble(&config.command, spec.path),
        emit_nanos: AtomicU64::new(0),
    };
    let internal = |message: String| Error {
        kind: ErrorKind::Internal,
        file: spec.path.to_owned(),
        pointer: "#".to_owned(),
        message,
    };
    let parts = emit::Part::all(&resolved.model);
    let made = parallel::run(&stages, &parts).ok_or_else(|| internal("a file was not formatted".to_owned()))?;
    let mut files = BTreeMap::new();
    // The formatted pieces of the files emitted in parts, joined in the order of the parts.
    let mut parts: BTreeMap<String, Vec<Result<String, String>>> = BTreeMap::new();
    for made in made {
        match made {
            Made::File(path, text) => {
                files.insert(path, text.map_err(internal)?);
            }
            Made::Part(path, pieces) => parts.entry(path).or_default().extend(pieces),
        }
    }
    for (path, pieces) in parts {
        let text = format::rust_file(&stages.preamble, &path, pieces).map_err(internal)?;
        files.insert(path, text);
    }
    // Emit and format run together on all cores: `emit` is the workers' time in emit,
    // `format` the rest of the wall time of both.
    let both = started.elapsed();
    times.emit = Duration::from_nanos(stages.emit_nanos.load(Ordering::Relaxed)).min(both);
    times.format = both - times.emit;
    Ok((Output { files, warnings, counts }, times))
}

/// Emit and format, run by [`parallel::run`]: a job emits a part of the crate; each Rust file
/// it makes is a group of pieces (its inner attributes and items), formatted one at a time
/// and joined when all are; any other file is a group of none, its text made at once. A file
/// emitted in parts by several jobs (`src/types.rs`) is joined once every job is done.
struct EmitAndFormat<'a> {
    emitter: emit::Emitter<'a>,
    config: &'a Config,
    preamble: String,
    /// The time spent in emit, summed over the workers.
    emit_nanos: AtomicU64,
}

/// A file emitted: a Rust file waiting for its pieces, a part of one, or another file's text.
enum EmittedFile {
    Rust { path: String },
    RustPart { path: String },
    Text { path: String, text: String },
}

/// What a group becomes: a file's path and its text (or why it could not be made), or a
/// part of a Rust file and its formatted pieces, joined with the other parts at the end.
enum Made {
    File(String, Result<String, String>),
    Part(String, Vec<Result<String, String>>),
}

impl parallel::Work for EmitAndFormat<'_> {
    type Job = emit::Part;
    type About = EmittedFile;
    type Item = Piece<TokenStream>;
    type Handed = Piece<String>;
    /// A formatted piece, or why its tokens do not parse.
    type Processed = Result<String, String>;
    type Finished = Made;

    fn run(&self, part: &emit::Part) -> Vec<Group<EmittedFile, Piece<TokenStream>>> {
        let started = Instant::now();
        let files = emit::emit_part(&self.emitter, self.config, part.clone());
        self.emit_nanos.fetch_add(started.elapsed().as_nanos().try_into().unwrap_or(u64::MAX), Ordering::Relaxed);
        let preamble = &self.preamble;
        let text = |path, text| Group { about: EmittedFile::Text { path, text }, items: Vec::new() };
        files
            .into_iter()
            .map(|file| match file.content {
                emit::Content::Rust(tokens) => {
                    Group { about: EmittedFile::Rust { path: file.path }, items: format::split_items(tokens) }
                }
                emit::Content::RustPart(tokens) => {
                    Group { about: EmittedFile::RustPart { path: file.path }, items: format::split_items(tokens) }
                }
                emit::Content::Toml(toml) => text(file.path, format::toml_file(preamble, &toml)),
                emit::Content::Markdown(markdown) => text(file.path, format::markdown_file(preamble, &markdown)),
                emit::Content::Runtime(runtime) => {
                    let runtime = format::runtime_file(preamble, &file.path, &runtime);
                    text(file.path, runtime)
                }
            })
            .collect()
    }

    fn process(&self, piece: Piece<TokenStream>) -> Result<String, String> {
        format::format_piece(piece)
    }

    fn hand(&self, piece: Piece<TokenStream>) -> Piece<String> {
        piece.into_text()
    }

    fn process_handed(&self, piece: Piece<String>) -> Result<String, String> {
        format::format_piece_text(&piece)
    }

    fn finish(&self, file: EmittedFile, pieces: Vec<Result<String, String>>) -> Made {
        match file {
            EmittedFile::Rust { path } => {
                let text = format::rust_file(&self.preamble, &path, pieces);
                Made::File(path, text)
            }
            EmittedFile::RustPart { path } => Made::Part(path, pieces),
            EmittedFile::Text { path, text } => Made::File(path, Ok(text)),
        }
    }
}

/// The spec's document with its overlays applied, as a JSON tree: what the generator reads
/// (before it brings in the files the spec's `$ref`s name, and brings 3.1 to 3.0), for tools
/// and tests that look at the spec the generator sees rather than at the file.
pub fn overlaid_document(spec: Spec<'_>) -> Result<(serde_json::Value, Vec<Warning>), Error> {
    parse::overlaid_tree(spec)
}

/// Parses and resolves `spec` without emitting code: the [`model::Model`] the code is made from.
pub fn model(spec: Spec<'_>) -> Result<(model::Model, Vec<Warning>), Error> {
    let (document, mut warnings, origins) = parse::parse(spec)?;
    let resolved = resolve::resolve(spec.path, &document, &Config::new("model"), &origins)?;
    warnings.extend(resolved.warnings);
    Ok((resolved.model, warnings))
}

#[cfg(test)]
mod tests {
    use crate::emit::{emit_part, Content, Emitter, Part};
    use crate::format::{format_piece, format_piece_text, split_items};
    use crate::model::{Model, Status};

    /// The operation module's code for `model`, as one string of tokens.
    fn operations_code(model: &Model) -> String {
        let config = crate::Config { command: "test".into(), ..crate::Config::new("test-client") };
        let parts = Part::all(model).into_iter().filter(|part| matches!(part, Part::Api | Part::Groups(_)));
        let files = parts.flat_map(|part| emit_part(&Emitter::new(model), &config, part));
        let code = files.into_iter().filter_map(|file| match file.content {
            Content::Rust(tokens) => Some(prettyplease::unparse(&syn::parse2(tokens).expect("the file parses"))),
            _ => None,
        });
        code.collect()
    }

    #[test]
    fn package_names_from_file_names_are_ones_cargo_takes() {
        for (stem, expected) in [
            ("keeper", "keeper"),
            ("MATCH", "match-api"),
            ("api.github.com", "api-github-com"),
            ("2fa", "api-2fa"),
            ("", "api-"),
            ("std", "std-api"),
            ("Train Travel", "train-travel"),
        ] {
            assert_eq!(super::package_name_from(stem), expected, "{stem:?}");
        }
    }

    /// Resolve decides once and emit only reads: a decision changed in the model, and only
    /// there, shows in the code. (Were emit to derive it again from what the spec said, the
    /// code would not change.)
    #[test]
    fn emit_follows_the_decisions_the_model_states() {
        let spec = r#"
openapi: 3.0.3
info: {title: Decisions, version: '1'}
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: page, in: query, schema: {type: integer, format: int32}}
        - {name: x-request-id, in: header, schema: {type: string}}
      responses:
        '200': {description: Here, content: {application/json: {schema: {type: string}}}}
        '202': {description: Later, content: {application/json: {schema: {type: integer}}}}
"#;
        let (model, _) = crate::model(crate::Spec::new("spec.yaml", spec)).expect("the spec is read");
        let op = &model.groups[0].operations[0];
        let param = |name: &str| op.params.iter().position(|p| p.wire_name == name).expect("the parameter");
        let (page, request_id) = (param("page"), param("x-request-id"));
        let before = operations_code(&model);
        assert!(before.contains("fn get_item(&self, id: impl Into<String>)"), "{before}");
        assert!(before.contains("pub fn page("), "{before}");
        assert!(before.contains(r#"fill_header_default("x-request-id", &mut self.x_request_id)"#), "{before}");
        assert!(before.contains("202 =>"), "{before}");

        let mut required_page = model.clone();
        required_page.groups[0].operations[0].params[page].required = true;
        let code = operations_code(&required_page);
        assert!(code.contains("fn get_item(&self, id: impl Into<String>, page: i32)"), "{code}");
        assert!(!code.contains("pub fn page("), "{code}");

        let mut no_default = model.clone();
        no_default.groups[0].operations[0].params[request_id].client_default = None;
        let code = operations_code(&no_default);
        assert!(!code.contains("fill_header_default"), "{code}");
        assert!(code.contains("pub fn x_request_id("), "{code}");

        let mut other_status = model.clone();
        let answers = other_status.groups[0].operations[0].response.by_status.as_mut().expect("two answers");
        let later = answers.variants.iter_mut().find(|v| v.status == Status::Code(202)).expect("the 202 answer");
        later.status = Status::Code(203);
        let code = operations_code(&other_status);
        assert!(code.contains("203 =>") && !code.contains("202 =>"), "{code}");
    }

    /// A crate without the command-line tool (`Config::cli` off) has no trace of it: no
    /// binary, no `cli` feature or `clap`, no module of it in the crate or the runtime.
    #[test]
    fn a_crate_without_the_tool_has_none_of_it() {
        let spec = include_str!("../../tests/fixtures/library_only.yaml");
        let with_tool =
            crate::generate(crate::Spec::new("spec.yaml", spec), &crate::Config::new("notes")).expect("generates");
        let config = crate::Config { cli: false, ..crate::Config::new("notes") };
        let output = crate::generate(crate::Spec::new("spec.yaml", spec), &config).expect("generates");
        let tool_files = |output: &crate::Output| -> Vec<String> {
            output
                .files
                .keys()
                .filter(|path| path.ends_with("/cli.rs") || path.starts_with("src/bin/"))
                .cloned()
                .collect()
        };
        assert_eq!(tool_files(&with_tool), ["src/bin/notes.rs", "src/cli.rs", "src/runtime/cli.rs"]);
        assert!(tool_files(&output).is_empty(), "{:?}", tool_files(&output));
        for (path, words) in [
            ("Cargo.toml", "\ncli = ["),
            ("Cargo.toml", "clap"),
            ("README.md", "`cli`"),
            ("src/lib.rs", "mod cli;"),
            ("src/runtime/mod.rs", "mod cli;"),
        ] {
            assert!(with_tool.files[path].contains(words), "{path}: {words}");
            assert!(!output.files[path].contains(words), "{path}: {words}\n{}", output.files[path]);
        }
        assert_eq!(output.files["src/types.rs"], with_tool.files["src/types.rs"]);
    }

    /// Items are formatted one at a time, on whichever thread is free, from their tokens or
    /// from their text: each way must give the text of the whole file formatted at once.
    #[test]
    fn items_formatted_apart_make_the_file_formatted_whole() {
        let specs = [
            include_str!("../../tests/fixtures/auth0_seed.yaml"),
            include_str!("../../tests/fixtures/bearer_auth.yaml"),
            include_str!("../../tests/fixtures/bodies_and_responses.yaml"),
            include_str!("../../tests/fixtures/group_features.yaml"),
            include_str!("../../tests/fixtures/inline_schemas.yaml"),
            include_str!("../../tests/fixtures/names.yaml"),
            include_str!("../../tests/fixtures/object_fields.yaml"),
            include_str!("../../tests/fixtures/parameters.yaml"),
            include_str!("../../tests/fixtures/references.yaml"),
            include_str!("../../tests/fixtures/string_constraints.yaml"),
            include_str!("../../tests/fixtures/string_enum.yaml"),
        ];
        let config = crate::Config {
            command: "test".into(),
            telemetry_header: Some("Auth0-Client".into()),
            ..crate::Config::new("test-client")
        };
        let mut files = 0;
        for text in specs {
            let (model, _) = crate::model(crate::Spec::new("spec.yaml", text)).expect("the spec is read");
            let cx = Emitter::new(&model);
            for file in Part::all(&model).into_iter().flat_map(|part| emit_part(&cx, &config, part)) {
                let (Content::Rust(tokens) | Content::RustPart(tokens)) = file.content else { continue };
                let whole = crate::format::print_file(syn::parse2(tokens.clone()).expect("the file parses"))
                    .expect("its macros parse");
                let mut joined = String::new();
                for piece in split_items(tokens) {
                    let text = piece.clone().into_text();
                    let formatted = format_piece(piece).expect("the piece parses");
                    assert_eq!(format_piece_text(&text).as_ref(), Ok(&formatted), "{}", file.path);
                    joined.push_str(&formatted);
                }
                assert_eq!(joined, whole, "{}", file.path);
                files += 1;
            }
        }
        assert!(files > 30);
    }
}
