//! The command line: `openapi-client-gen generate` and `openapi-client-gen api-diff`, and
//! the arguments `cargo xtask codegen` shares with them (it runs [`generate`] for `spec/`).
//!
//! Exit codes: 0 when the crate was written or is up to date, 1 when the spec cannot be
//! generated or a file cannot be read or written (the message names the file and, for a
//! spec, the JSON pointer), 2 for a command line that does not parse, 3 when `--check`
//! finds files that differ from what the spec gives.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use crate::summary;
use crate::Job;

/// Generates a Rust client crate from an OpenAPI 3.0 or 3.1 description.
#[derive(Parser)]
#[command(name = "openapi-client-gen", version, about, long_about = None)]
#[command(after_help = "Exit codes: 0 written or up to date; 1 the spec cannot be generated, or a file \
                        cannot be read or written; 2 a command line that does not parse; 3 `--check` \
                        found files that differ.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a client crate from a spec into a folder, or update the crate there. A file
    /// is written only when its text changed; nothing is written if generation fails.
    Generate(Box<GenerateArgs>),
    /// Compare two versions of a generated crate's API.md and print the API report: what
    /// changed, and the semver step it needs.
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
struct GenerateArgs {
    /// The spec: YAML or JSON, OpenAPI 3.0 or 3.1. Files its `$ref`s name are read relative
    /// to its folder; `<stem>.overlay.yaml` beside it is applied.
    #[arg(long)]
    spec: PathBuf,
    /// The crate's folder (created if missing).
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    settings: SettingsArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// What the generated crate is: its name and version and the generator's settings. Parsed
/// from the command line, or from a fixture's `# codegen flags:` line ([`SettingsArgs::from_flags`]).
#[derive(clap::Args, Debug, Default)]
pub struct SettingsArgs {
    /// Also apply this OpenAPI Overlay 1.0 document to the spec, after the one beside it;
    /// repeatable, applied in order.
    #[arg(long, value_name = "PATH")]
    pub overlay: Vec<PathBuf>,
    /// The package's name (default: from the spec's file name).
    #[arg(long)]
    pub crate_name: Option<String>,
    /// The package's version (default: the version of the crate in the folder, or 0.1.0).
    #[arg(long)]
    pub crate_version: Option<String>,
    /// Strings of format `date-time` and `date` as `chrono` types, `uuid` as `uuid::Uuid`
    /// (default: `String`, which decodes whatever the server sends).
    #[arg(long)]
    pub typed_formats: bool,
    /// The library alone: no command-line tool (no `cli` feature, no binary, no `clap`), for
    /// an API whose tool no one will run, or to generate and build a very large one faster.
    #[arg(long)]
    pub no_cli: bool,
    /// The package's `repository` (a URL).
    #[arg(long, value_name = "URL")]
    pub repository: Option<String>,
    /// The package's `documentation` (a URL; Cargo's default is docs.rs).
    #[arg(long, value_name = "URL")]
    pub documentation: Option<String>,
    /// The package's `license` (an SPDX expression), instead of the spec's `info.license`.
    #[arg(long, value_name = "SPDX")]
    pub license: Option<String>,
    /// Also derive these on each generated type whose fields all allow it (`Eq`, `Hash`,
    /// `PartialOrd`, `Ord`, `schemars::JsonSchema`; another path goes on every type); a comma
    /// list, repeatable.
    #[arg(long, value_name = "DERIVES")]
    pub derive: Vec<String>,
    /// Use an existing Rust type for a component schema, which is then not generated:
    /// `Schema=path::Type`, or `Schema=path::Type:Eq+Hash` with the extra derives it
    /// implements; repeatable.
    #[arg(long, value_name = "SCHEMA=TYPE")]
    pub replace: Vec<String>,
}

/// The settings alone, parsed from flags as written on a command line.
#[derive(Parser)]
#[command(no_binary_name = true)]
struct Flags {
    #[command(flatten)]
    settings: SettingsArgs,
}

impl SettingsArgs {
    /// The settings `flags` give, as the command line would read them (a fixture spec's
    /// first line `# codegen flags: --typed-formats`, see [`crate::fixture_flags`]).
    pub fn from_flags(flags: &[String]) -> Result<Self, String> {
        Flags::try_parse_from(flags).map(|flags| flags.settings).map_err(|e| format!("codegen flags {flags:?}: {e}"))
    }

    /// `job` with these settings, each also named in the command its preambles show. The
    /// name is set where the job is made (it may name the default folder's crate); the
    /// rest here.
    pub fn apply(&self, job: Job) -> Result<Job, String> {
        let mut job = job.with_overlays(&self.overlay);
        let config = &mut job.config;
        if let Some(version) = &self.crate_version {
            config.crate_version = version.clone();
        }
        if self.typed_formats {
            config.typed_formats = true;
            config.command.push_str(" --typed-formats");
        }
        if self.no_cli {
            config.cli = false;
            config.command.push_str(" --no-cli");
        }
        let package = &mut config.package;
        for (flag, value, slot) in [
            ("--repository", &self.repository, &mut package.repository),
            ("--documentation", &self.documentation, &mut package.documentation),
            ("--license", &self.license, &mut package.license),
        ] {
            if let Some(value) = value {
                *slot = Some(value.clone());
                config.command.push_str(&format!(" {flag} {value}"));
            }
        }
        for derives in &self.derive {
            job.add_derives(derives);
        }
        for replacement in &self.replace {
            job.add_replacement(replacement)?;
        }
        Ok(job)
    }
}

/// What a run prints and writes besides the crate.
#[derive(clap::Args, Debug, Default)]
pub struct OutputArgs {
    /// Write nothing; exit with code 3 and the diff if the files on disk are not what the
    /// spec gives (for CI).
    #[arg(long)]
    pub check: bool,
    /// Bump the crate's version as the API report's semver step says.
    #[arg(long, conflicts_with = "check")]
    pub bump: bool,
    /// Also write the API report as Markdown to this file (for a pull request's description).
    #[arg(long, value_name = "FILE")]
    pub report_md: Option<PathBuf>,
    /// Print every warning, and for a new crate the API report too (default: warnings
    /// grouped by kind, and a summary).
    #[arg(long, short)]
    pub verbose: bool,
    /// Print how long the generator's stages took (parse, resolve, emit, format) to stderr.
    #[arg(long)]
    pub timings: bool,
}

/// Why a run failed, and so its exit code.
#[derive(Debug)]
pub enum Failure {
    /// The spec cannot be generated, or a file cannot be read or written (exit code 1).
    Error(String),
    /// `--check`: the files on disk differ from what the spec gives (exit code 3).
    Stale(String),
}

impl Failure {
    pub fn message(&self) -> &str {
        match self {
            Failure::Error(message) | Failure::Stale(message) => message,
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Error(_) => ExitCode::from(1),
            Failure::Stale(_) => ExitCode::from(3),
        }
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Error(message)
    }
}

/// The command: parses the arguments, runs, and says how it went.
pub fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Generate(args) => {
            let job = Job::standalone(&args.spec, &args.out, args.settings.crate_name.clone());
            args.settings.apply(job).map_err(Failure::Error).and_then(|job| generate(job, &args.output))
        }
        Command::ApiDiff { old, new, markdown } => api_diff(&old, &new, markdown).map_err(Failure::Error),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message());
            failure.exit_code()
        }
    }
}

/// Generates `job`'s crate and writes what changed (with `--check`, compares only), printing
/// for a person: a new crate's summary, or the files changed and the API report.
pub fn generate(mut job: Job, args: &OutputArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let mut plan = job.plan()?;
    if args.bump {
        let semver = plan.report.semver();
        let version = &job.config.crate_version;
        let bumped = generator::api_diff::bump(version, semver)
            .ok_or_else(|| format!("cannot bump version {version}: not major.minor.patch"))?;
        if &bumped != version {
            println!("version {version} -> {bumped} ({semver})");
            job.config.crate_version = bumped;
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
    eprint!("{}", summary::warnings_text(&plan.warnings, &job.spec_label, args.verbose));
    if let Some(path) = &args.report_md {
        std::fs::write(path, plan.report.to_markdown()).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let out = job.label(&job.out);
    if plan.changes.is_empty() {
        println!("{out} is up to date with {}", job.spec_label);
        return Ok(());
    }
    if args.check {
        for change in &plan.changes {
            eprint!("{}", change.diff());
        }
        eprint!("{}", plan.report.to_text());
        return Err(Failure::Stale(format!(
            "{out} is stale: {} file(s) differ from what {} gives. Run `{}` and commit the result.",
            plan.changes.len(),
            job.spec_label,
            job.config.command
        )));
    }
    for change in &plan.changes {
        change.apply()?;
    }
    if plan.new_crate && !args.verbose {
        let written = plan.changes.len();
        let config = &job.config;
        print!(
            "{}",
            summary::new_crate_text(
                &config.crate_name,
                &config.crate_version,
                &out,
                plan.counts,
                written,
                started.elapsed()
            )
        );
        return Ok(());
    }
    for change in &plan.changes {
        println!("{} {}", change.verb(), job.label(&change.path));
    }
    if !plan.report.is_empty() {
        print!("{}", plan.report.to_text());
    }
    Ok(())
}

/// Prints the API report between two versions of a crate's `API.md`.
pub fn api_diff(old: &Path, new: &Path, markdown: bool) -> Result<(), String> {
    let read = |path: &Path| std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()));
    let report = generator::api_diff::compare(&read(old)?, &read(new)?);
    print!("{}", if markdown { report.to_markdown() } else { report.to_text() });
    Ok(())
}
