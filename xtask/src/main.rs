//! Developer commands, run as `cargo xtask <command>` (the alias is in `.cargo/config.toml`).
//!
//! - `codegen`: regenerates `generated-client/` from `spec/`, or any spec into any folder.
//! - `test`: everything CI runs; the README's one test command.
//! - `contract`: the contract tests against Prism alone (also part of `test`).
//! - `cli-stack`: a spec's command-line tool must fit in a 2 MiB thread stack.
//! - `api-diff`: the API report between two versions of a crate's `API.md` (CI's summary).
//! - `public-specs`: every public spec of the corpus generated, refusals summed up.
//! - `synthetic-spec`: a spec of N operations, for the generator's benchmark.
//! - `split-spec`: a spec written again as many files, for the multi-file benchmark.
//!
//! All of the project's file writing happens here; the generator itself does no I/O.

mod test;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use openapi_client_gen::cli::{self, Failure, OutputArgs, SettingsArgs};

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
    Codegen(Box<CodegenArgs>),
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
    /// Write a spec again as many files, as large public APIs keep theirs: a file per path
    /// item and per component schema (for the generator's multi-file benchmark).
    SplitSpec {
        /// The spec (YAML or JSON) to split.
        #[arg(long)]
        spec: PathBuf,
        /// The folder to write `openapi.json` and the other files into (emptied first).
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
    /// Generate from this spec (YAML or JSON, OpenAPI 3.0 or 3.1) instead of spec/; the other
    /// files its `$ref`s name are read relative to its folder.
    #[arg(long, requires = "out")]
    spec: Option<PathBuf>,
    /// Write a standalone crate into this folder instead of generated-client/.
    #[arg(long, requires = "spec")]
    out: Option<PathBuf>,
    #[command(flatten)]
    settings: SettingsArgs,
    #[command(flatten)]
    output: OutputArgs,
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Codegen(args) => return codegen(&args),
        Command::Test => test::run(),
        Command::Contract { spec, sample } => test::contract_only(&spec, sample),
        Command::CliStack { spec } => test::cli_stack(&spec),
        Command::PublicSpecs { build } => xtask::public_specs::run(&build),
        Command::ApiDiff { old, new, markdown } => cli::api_diff(&old, &new, markdown),
        Command::SplitSpec { spec, out } => split_spec(&spec, &out),
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

fn split_spec(spec: &std::path::Path, out: &std::path::Path) -> Result<(), String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    // JSON first: YAML's reader refuses integers beyond 64 bits, which JSON reads as floats.
    let document: serde_json::Value = match serde_json::from_str(&text) {
        Ok(document) => document,
        Err(_) => serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", spec.display()))?,
    };
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| format!("cannot empty {}: {e}", out.display()))?;
    }
    let files = xtask::synthetic::split(document);
    for (path, content) in &files {
        let path = out.join(path);
        let folder = path.parent().unwrap_or(out);
        std::fs::create_dir_all(folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
        let text = serde_json::to_string_pretty(content).map_err(|e| e.to_string())?;
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    println!("{} files in {}; the spec is {}", files.len(), out.display(), out.join("openapi.json").display());
    Ok(())
}

/// `openapi-client-gen generate` for the project's client, or for any spec into any folder;
/// exit codes as that command's.
fn codegen(args: &CodegenArgs) -> ExitCode {
    let job = match (&args.spec, &args.out) {
        (Some(spec), Some(out)) => xtask::codegen::standalone(spec, out, args.settings.crate_name.clone()),
        _ => xtask::codegen::project(),
    };
    let result = args.settings.apply(job).map_err(Failure::Error).and_then(|job| cli::generate(job, &args.output));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message());
            failure.exit_code()
        }
    }
}

fn synthetic_spec(operations: usize, replicate: Option<&[String]>) -> Result<String, String> {
    let Some([spec, times]) = replicate else { return Ok(xtask::synthetic::spec(operations)) };
    let times: usize = times.parse().map_err(|_| format!("--replicate: {times} is not a number"))?;
    let text = std::fs::read_to_string(spec).map_err(|e| format!("cannot read {spec}: {e}"))?;
    let document: serde_json::Value = serde_yaml::from_str(&text).map_err(|e| format!("{spec}: {e}"))?;
    Ok(xtask::synthetic::replicate(&document, times).to_string())
}
