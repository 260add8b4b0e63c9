//! Turns an OpenAPI document into the source files of a Rust client crate.
//!
//! The generator is a pipeline of pure stages, each a module of its own:
//!
//! ```text
//! text ──parse──▶ openapiv3::OpenAPI ──resolve──▶ Model ──emit──▶ tokens ──format──▶ files
//! ```
//!
//! It does no I/O: the caller hands it the spec's text (and, for a spec whose `$ref`s name
//! other files, a loader that reads them: [`Spec::loader`]) and gets back every file of the
//! crate as a relative path and its text. `cargo xtask codegen` does the reading and writing.
//! Only `parse` and `resolve` know `openapiv3`; `emit` sees the [`model`] alone.

pub mod api_diff;
mod api_summary;
mod emit;
mod error;
mod format;
pub mod model;
mod names;
mod parse;
mod resolve;
mod runtime;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

pub use error::{Error, Warning};

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
}

/// How the caller supplies the other files of a spec: see [`Spec::loader`].
pub type Loader<'a> = dyn Fn(&str) -> Result<String, String> + 'a;

impl<'a> Spec<'a> {
    /// A spec of one file (a reference to another file is an error).
    pub fn new(path: &'a str, text: &'a str) -> Self {
        Self { path, text, loader: None }
    }

    /// The same spec, reading the files its `$ref`s name with `loader`.
    pub fn with_loader(self, loader: &'a Loader<'a>) -> Self {
        Self { loader: Some(loader), ..self }
    }
}

impl std::fmt::Debug for Spec<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spec")
            .field("path", &self.path)
            .field("text", &format_args!("{} bytes", self.text.len()))
            .field("loader", &self.loader.map(|_| "..."))
            .finish()
    }
}

/// Settings of one generation run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The package name written into the generated `Cargo.toml`, for example `auth0-management`.
    pub crate_name: String,
    /// The package version written into the generated `Cargo.toml`.
    pub crate_version: String,
    /// The command that regenerates the crate, named in every file's do-not-edit preamble.
    pub command: String,
    /// The header that carries the client's telemetry (for Auth0, `Auth0-Client`), if any.
    pub telemetry_header: Option<String>,
    /// The command-line tool's name (default: the crate's name).
    pub cli_binary: Option<String>,
    /// The prefix of the tool's environment variables, e.g. `AUTH0` for `AUTH0_TOKEN`
    /// (default: the crate's name in capitals).
    pub cli_env_prefix: Option<String>,
}

impl Config {
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

/// Everything one run produces.
#[derive(Debug, Clone)]
pub struct Output {
    /// Every file of the crate: path relative to the crate root (with `/`) to its text.
    pub files: BTreeMap<String, String>,
    /// What the generator could only approximate; the caller shows these to a person.
    pub warnings: Vec<Warning>,
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
    let (document, mut warnings) = parse::parse(spec)?;
    times.parse = started.elapsed();
    let started = Instant::now();
    let resolved = resolve::resolve(spec.path, &document)?;
    warnings.extend(resolved.warnings);
    times.resolve = started.elapsed();
    let started = Instant::now();
    let (crate_files, emit_time) = format::generate_files(&resolved.model, config, spec.path);
    let mut files = BTreeMap::new();
    for (path, text) in crate_files {
        let text = text.map_err(|message| Error { file: spec.path.to_owned(), pointer: "#".to_owned(), message })?;
        files.insert(path, text);
    }
    // Emit and format run together on all cores: `emit` is the workers' time in emit,
    // `format` the rest of the stage's wall time.
    let both = started.elapsed();
    times.emit = emit_time.min(both);
    times.format = both - times.emit;
    Ok((Output { files, warnings }, times))
}

/// Parses and resolves `spec` without emitting code: the [`model::Model`] the code is made from.
pub fn model(spec: Spec<'_>) -> Result<(model::Model, Vec<Warning>), Error> {
    let (document, mut warnings) = parse::parse(spec)?;
    let resolved = resolve::resolve(spec.path, &document)?;
    warnings.extend(resolved.warnings);
    Ok((resolved.model, warnings))
}
