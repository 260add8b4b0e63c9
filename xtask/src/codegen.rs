//! The project's generations (`cargo xtask codegen`): which spec, into which folder, named
//! how. How a spec becomes files on disk is `openapi-client-gen`'s, the installable command,
//! which this calls: one door for every generated file, here and for any user.

use std::fs;
use std::path::{Path, PathBuf};

pub use openapi_client_gen::{fixture_flags, overlays_beside, Change, Job, Plan};

/// The workspace root: the folder above this crate.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().map(PathBuf::from).unwrap_or(manifest_dir)
}

/// The spec the project's own client is generated from, relative to the workspace root:
/// Auth0's published description, vendored unchanged, read with the overlay beside it.
pub const SPEC: &str = "spec/auth0/management-api.json";
/// The fragment written from the seed operation's reference page (`../shared/seed/`): a
/// fixture whose crate gets the contract tests of `tests/contract/auth0_seed.rs`.
pub const SEED_SPEC: &str = "tests/fixtures/auth0_seed.yaml";
/// Where the project's own client lives, relative to the workspace root.
pub const CLIENT_DIR: &str = "generated-client";
/// The project's own client's package name.
pub const CLIENT_CRATE: &str = "auth0-management";

/// The project's own client: `spec/` into `generated-client/`, named as the official SDKs
/// name things, with Auth0's telemetry header and the `auth0-mgmt` tool.
pub fn project() -> Job {
    let root = workspace_root();
    let mut job = Job::standalone(&root.join(SPEC), &root.join(CLIENT_DIR), Some(CLIENT_CRATE.to_owned()));
    job.spec_label = SPEC.to_owned();
    job.base = Some(root);
    let config = &mut job.config;
    config.command = "cargo xtask codegen".to_owned();
    config.telemetry_header = Some("Auth0-Client".to_owned());
    config.cli_binary = Some("auth0-mgmt".to_owned());
    config.cli_env_prefix = Some("AUTH0".to_owned());
    job
}

/// Any spec into any folder, as `cargo xtask codegen --spec PATH --out DIR` does it (the
/// installed command's [`Job::standalone`], named as the xtask in the preambles).
pub fn standalone(spec: &Path, out: &Path, crate_name: Option<String>) -> Job {
    let mut job = Job::standalone(spec, out, crate_name);
    job.config.command = format!("cargo xtask codegen --spec {} --out {}", spec.display(), out.display());
    job.base = Some(workspace_root());
    job
}

/// One workspace for generated crates in `dir` (the members), locked to the project's own
/// dependency versions (its `Cargo.lock`), so that built into the project's target folder
/// the dependencies compile once. The crates have no path dependencies: each builds alone.
pub fn write_workspace(root: &Path, dir: &Path, members: &[String]) -> Result<(), String> {
    let members: Vec<String> = members.iter().map(|m| format!("    \"{m}\",")).collect();
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n", members.join("\n"));
    fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    Ok(())
}
