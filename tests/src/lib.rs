//! Integration tests of the generator and of the generated client; see `tests/`.
//!
//! This library holds what the tests share, and compiles the README's example as a doctest
//! (`cargo test --doc -p integration-tests`), so the example cannot rot.
#![doc = include_str!("../../README.md")]

pub mod load;

use std::path::{Path, PathBuf};

use xtask::codegen::Job;

/// The generated crate's files for a fixture spec, as one text: each file under a header,
/// the runtime (copied unchanged into every crate) left out.
pub fn fixture_crate_text(spec: &Path) -> String {
    let file_name = spec.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let crate_name = file_name.trim_end_matches(".yaml").replace('_', "-");
    let mut job = Job::standalone(spec, Path::new(""), Some(crate_name));
    job.spec_label = spec
        .strip_prefix(xtask::codegen::workspace_root())
        .map_or_else(|_| format!("tests/fixtures/{file_name}"), |relative| relative.display().to_string());
    job.config.command = "cargo xtask test".to_owned();
    let job = job.with_flags(&xtask::codegen::fixture_flags(spec)).unwrap_or_else(|error| panic!("{error}"));
    match job.generate() {
        Ok(output) => files_text(&output.files),
        Err(error) => panic!("{error}"),
    }
}

/// The specs of the fixtures of several files: `tests/fixtures/<name>/<name>.yaml`, sorted.
pub fn multi_file_fixtures() -> Vec<PathBuf> {
    let fixtures = xtask::codegen::workspace_root().join("tests/fixtures");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .map(|entries| entries.flatten().map(|entry| entry.path()).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|dir: PathBuf| {
            let name = dir.file_name()?.to_string_lossy().into_owned();
            Some(dir.join(format!("{name}.yaml"))).filter(|spec| spec.is_file())
        })
        .collect();
    specs.sort();
    specs
}

/// Files as one text, runtime left out.
pub fn files_text(files: &std::collections::BTreeMap<String, String>) -> String {
    let mut text = String::new();
    for (path, content) in files.iter().filter(|(path, _)| !path.starts_with("src/runtime/")) {
        text.push_str(&format!("// ==== {path} ====\n{content}\n"));
    }
    text
}

/// The folder of the shared material beside the repository (`../shared`).
pub fn shared_dir() -> PathBuf {
    xtask::codegen::workspace_root().join("..").join("shared")
}

/// The fragment of the Management API written from the seed operation's reference page
/// (`../shared/seed/`), relative to the workspace root: a fixture, and the spec the tests of
/// that page's statements read.
pub const SEED_SPEC: &str = xtask::codegen::SEED_SPEC;
