//! Developer commands, run as `cargo xtask <command>` (the alias is in `.cargo/config.toml`).
//!
//! - `codegen`: regenerates `generated-client/` from `spec/`, or any spec into any folder.
//! - `test`: everything CI runs; the README's one test command.
//!
//! All of the project's file writing happens here; the generator itself does no I/O.

mod test;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::codegen::Job;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Developer commands of the Auth0 client generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate generated-client/ from spec/ (or --spec PATH into --out DIR).
    Codegen(CodegenArgs),
    /// Run every check CI runs: spec validation, clippy on all code (generated too), all tests.
    Test,
}

#[derive(clap::Args)]
struct CodegenArgs {
    /// Write nothing; fail with a diff if the files on disk are not what the spec gives.
    #[arg(long)]
    check: bool,
    /// Generate from this spec (YAML or JSON, OpenAPI 3.0 or 3.1) instead of spec/.
    #[arg(long, requires = "out")]
    spec: Option<PathBuf>,
    /// Write a standalone crate into this folder instead of generated-client/.
    #[arg(long, requires = "spec")]
    out: Option<PathBuf>,
    /// The generated package's name (default: from the spec's file name).
    #[arg(long)]
    crate_name: Option<String>,
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Codegen(args) => codegen(&args),
        Command::Test => test::run(),
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
    let job = match (&args.spec, &args.out) {
        (Some(spec), Some(out)) => Job::standalone(spec, out, args.crate_name.clone()),
        _ => Job::project(),
    };
    let (changes, warnings) = job.plan()?;
    for warning in &warnings {
        eprintln!("warning: {}: {warning}", job.spec_label);
    }
    if changes.is_empty() {
        println!("{} is up to date with {}", job.out.display(), job.spec_label);
        return Ok(());
    }
    if args.check {
        for change in &changes {
            eprint!("{}", change.diff());
        }
        return Err(format!(
            "{} is stale: {} file(s) differ from what {} gives. Run `{}` and commit the result.",
            job.out.display(),
            changes.len(),
            job.spec_label,
            job.command
        ));
    }
    for change in &changes {
        change.apply()?;
        println!("{} {}", change.verb(), change.path.display());
    }
    Ok(())
}
