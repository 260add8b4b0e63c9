//! Developer commands, run as `cargo xtask <command>` (the alias is in `.cargo/config.toml`).
//!
//! - `codegen`: regenerates `generated-client/` from `spec/`, or any spec into any folder.
//! - `test`: everything CI runs; the README's one test command.
//!
//! All of the project's file writing happens here; the generator itself does no I/O.

mod codegen;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Developer commands of the Auth0 client generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate generated-client/ from spec/ (or --spec PATH into --out DIR).
    Codegen(codegen::Args),
    /// Run every check CI runs: spec validation, clippy on all code (generated too), all tests.
    Test,
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Codegen(args) => codegen::run(&args),
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

/// The workspace root: the folder above this crate.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().map(PathBuf::from).unwrap_or(manifest_dir)
}
