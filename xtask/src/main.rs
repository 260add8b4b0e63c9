//! Developer commands, run as `cargo xtask <command>` (the alias is in `.cargo/config.toml`).
//!
//! - `codegen`: regenerates `generated-client/` from `spec/`, or any spec into any folder.
//! - `test`: everything CI runs; the README's one test command.
//! - `contract`: the contract tests against Prism alone (also part of `test`).
//! - `cli-stack`: a spec's command-line tool must fit in a 2 MiB thread stack.
//! - `api-diff`: the API report between two versions of a crate's `API.md` (CI's summary).
//! - `public-specs`: every public spec of the corpus generated, refusals summed up.
//! - `synthetic-spec`: a spec of N operations, for the generator's benchmark.
//!
//! All of the project's file writing happens here; the generator itself does no I/O.

mod test;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::codegen::Job;

/// The generator makes and drops tens of millions of small blocks (tokens, syntax trees) on
/// every core; with mimalloc a whole-API `codegen` runs about a third faster than with the
/// system's allocator (BENCHMARKS.md, "The generator on Auth0's whole Management API").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Developer commands of the Auth0 client generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate generated-client/ from spec/ (or --spec PATH into --out DIR), with the
    /// spec's overlays applied.
    Codegen(CodegenArgs),
    /// Run every check CI runs: spec validation, clippy on all code (generated too), all tests.
    Test,
    /// Run the contract tests against Prism alone: generated-client/'s (all its operations,
    /// or --sample), or those of the specs given.
    Contract {
        /// A spec (YAML or JSON, OpenAPI 3.0 or 3.1) to generate a crate from and test; repeatable.
        #[arg(long)]
        spec: Vec<PathBuf>,
        /// Without --spec: only the sample `cargo xtask test` runs (the first operation of each
        /// top-level group, and the seed operation), not all of generated-client/'s.
        #[arg(long)]
        sample: bool,
    },
    /// Check that a spec's command-line tool (help, parsing, dispatch) fits in a 2 MiB thread stack.
    CliStack {
        /// The spec (YAML or JSON, OpenAPI 3.0 or 3.1) to generate the tool from.
        #[arg(long)]
        spec: PathBuf,
    },
    /// Generate every public spec of the corpus (APIs.guru's directory, GitHub's own) in
    /// memory and report how many generate, the refusals by kind and the slowest; with
    /// --build, also build those crates with clippy. Use a release build.
    PublicSpecs {
        /// A spec (a path below the directory's `api/`, such as `digitalocean.com.json`, or
        /// any path) whose crate to write and check with clippy; repeatable.
        #[arg(long)]
        build: Vec<PathBuf>,
    },
    /// Write a synthetic spec of N operations (for the generator's benchmark).
    SyntheticSpec {
        #[arg(long, default_value_t = 1000)]
        operations: usize,
        /// Instead: this many copies of the operations and components of this spec.
        #[arg(long, value_names = ["SPEC", "TIMES"], num_args = 2)]
        replicate: Option<Vec<String>>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Compare two versions of a generated crate's API.md and print the API report.
    ApiDiff {
        /// The API.md before the change.
        old: PathBuf,
        /// The API.md after the change.
        new: PathBuf,
        /// Print Markdown (for a pull request) instead of text.
        #[arg(long)]
        markdown: bool,
    },
}

#[derive(clap::Args)]
struct CodegenArgs {
    /// Write nothing; fail with a diff if the files on disk are not what the spec gives.
    #[arg(long)]
    check: bool,
    /// Generate from this spec (YAML or JSON, OpenAPI 3.0 or 3.1) instead of spec/; the other
    /// files its `$ref`s name are read relative to its folder.
    #[arg(long, requires = "out")]
    spec: Option<PathBuf>,
    /// Write a standalone crate into this folder instead of generated-client/.
    #[arg(long, requires = "spec")]
    out: Option<PathBuf>,
    /// Also apply this OpenAPI Overlay 1.0 document to the spec, after the one beside it
    /// (`<spec stem>.overlay.yaml`, always applied); repeatable, applied in order.
    #[arg(long, value_name = "PATH")]
    overlay: Vec<PathBuf>,
    /// The generated package's name (default: from the spec's file name).
    #[arg(long)]
    crate_name: Option<String>,
    /// Also write the API report as Markdown to this file (for a pull request's description).
    #[arg(long, value_name = "FILE")]
    report_md: Option<PathBuf>,
    /// Bump the generated crate's version as the API report's semver step says.
    #[arg(long, conflicts_with = "check")]
    bump: bool,
    /// Print how long the generator's stages took (parse, resolve, emit, format) to stderr.
    #[arg(long)]
    timings: bool,
    /// Strings of format `date-time` and `date` as `chrono` types, `uuid` as `uuid::Uuid`
    /// (default: `String`, which decodes whatever the server sends).
    #[arg(long)]
    typed_formats: bool,
    /// Also derive these on each generated type whose fields all allow it (`Eq`, `Hash`,
    /// `PartialOrd`, `Ord`, `schemars::JsonSchema`; another path goes on every type); a comma
    /// list, repeatable.
    #[arg(long, value_name = "DERIVES")]
    derive: Vec<String>,
    /// Use an existing Rust type for a component schema, which is then not generated:
    /// `Schema=path::Type`, or `Schema=path::Type:Eq+Hash` with the extra derives it
    /// implements; repeatable.
    #[arg(long, value_name = "SCHEMA=TYPE")]
    replace: Vec<String>,
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Codegen(args) => codegen(&args),
        Command::Test => test::run(),
        Command::Contract { spec, sample } => test::contract_only(&spec, sample),
        Command::CliStack { spec } => test::cli_stack(&spec),
        Command::PublicSpecs { build } => xtask::public_specs::run(&build),
        Command::ApiDiff { old, new, markdown } => api_diff(&old, &new, markdown),
        Command::SyntheticSpec { operations, replicate, out } => synthetic_spec(operations, replicate.as_deref())
            .and_then(|text| std::fs::write(&out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn codegen(args: &CodegenArgs) -> Result<(), String> {
    let started = std::time::Instant::now();
    let mut job = match (&args.spec, &args.out) {
        (Some(spec), Some(out)) => Job::standalone(spec, out, args.crate_name.clone()),
        _ => Job::project(),
    }
    .with_overlays(&args.overlay);
    if args.typed_formats {
        job = job.with_flags(&["--typed-formats".to_owned()])?;
    }
    for derive in &args.derive {
        job = job.with_flags(&["--derive".to_owned(), derive.clone()])?;
    }
    for replace in &args.replace {
        job = job.with_flags(&["--replace".to_owned(), replace.clone()])?;
    }
    let mut plan = job.plan()?;
    if args.bump {
        let semver = plan.report.semver();
        let bumped = generator::api_diff::bump(&job.crate_version, semver)
            .ok_or_else(|| format!("cannot bump version {}: not major.minor.patch", job.crate_version))?;
        if bumped != job.crate_version {
            println!("version {} -> {bumped} ({semver})", job.crate_version);
            job.crate_version = bumped;
            plan = job.plan()?;
        }
    }
    if args.timings {
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        let t = plan.times;
        eprintln!(
            "generator {:.0} ms = parse {:.0} + resolve {:.0} + emit {:.0} + format {:.0} ms; read, generate and compare with the disk: {:.0} ms",
            ms(t.parse + t.resolve + t.emit + t.format),
            ms(t.parse),
            ms(t.resolve),
            ms(t.emit),
            ms(t.format),
            ms(started.elapsed())
        );
    }
    for warning in &plan.warnings {
        // A warning about an overlay names its file in its pointer.
        if warning.pointer.starts_with('#') {
            eprintln!("warning: {}: {warning}", job.spec_label);
        } else {
            eprintln!("warning: {warning}");
        }
    }
    if let Some(path) = &args.report_md {
        std::fs::write(path, plan.report.to_markdown()).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    if plan.changes.is_empty() {
        println!("{} is up to date with {}", job.out.display(), job.spec_label);
        return Ok(());
    }
    if args.check {
        for change in &plan.changes {
            eprint!("{}", change.diff());
        }
        eprint!("{}", plan.report.to_text());
        return Err(format!(
            "{} is stale: {} file(s) differ from what {} gives. Run `{}` and commit the result.",
            job.out.display(),
            plan.changes.len(),
            job.spec_label,
            job.command
        ));
    }
    for change in &plan.changes {
        change.apply()?;
        let root = xtask::codegen::workspace_root();
        let shown = change.path.strip_prefix(&root).unwrap_or(&change.path);
        println!("{} {}", change.verb(), shown.display());
    }
    if !plan.report.is_empty() {
        print!("{}", plan.report.to_text());
    }
    Ok(())
}

fn synthetic_spec(operations: usize, replicate: Option<&[String]>) -> Result<String, String> {
    let Some([spec, times]) = replicate else { return Ok(xtask::synthetic::spec(operations)) };
    let times: usize = times.parse().map_err(|_| format!("--replicate: {times} is not a number"))?;
    let text = std::fs::read_to_string(spec).map_err(|e| format!("cannot read {spec}: {e}"))?;
    let document: serde_json::Value = serde_yaml::from_str(&text).map_err(|e| format!("{spec}: {e}"))?;
    Ok(xtask::synthetic::replicate(&document, times).to_string())
}

fn api_diff(old: &std::path::Path, new: &std::path::Path, markdown: bool) -> Result<(), String> {
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let report = generator::api_diff::compare(&read(old)?, &read(new)?);
    print!("{}", if markdown { report.to_markdown() } else { report.to_text() });
    Ok(())
}
