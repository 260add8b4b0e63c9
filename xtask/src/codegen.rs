//! Spec in, crate out, through one door for every generated file (`cargo xtask codegen`).
//!
//! Nothing is written unless generation succeeded as a whole. Then a file is written only
//! when its text changed, and generated files the output no longer contains are removed
//! (only files that carry the generator's preamble: nothing hand-written is ever deleted).
//!
//! A spec's corrections live beside it in OpenAPI Overlay 1.0 documents ([`overlays_beside`]):
//! `spec/x.json` is read with `spec/x.overlay.yaml` (or `.overlay.json`) applied, and
//! `--overlay PATH` adds others after it.

use std::fs;
use std::path::{Path, PathBuf};

use generator::{Config, Overlay, Spec};

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

/// One generation: which spec, into which folder, under which name.
#[derive(Debug, Clone)]
pub struct Job {
    pub spec: PathBuf,
    /// How the spec is named in messages and preambles.
    pub spec_label: String,
    /// The overlays applied to the spec, in order (see [`overlays_beside`]).
    pub overlays: Vec<PathBuf>,
    pub out: PathBuf,
    pub crate_name: String,
    pub command: String,
    /// The header the client sends its telemetry in (only our own client: Auth0's `Auth0-Client`).
    pub telemetry_header: Option<String>,
    /// The command-line tool's name and environment prefix (default: from the crate name).
    pub cli_binary: Option<String>,
    pub cli_env_prefix: Option<String>,
    /// The generated package's version: the one on disk, unless `--bump` changes it.
    pub crate_version: String,
    /// `--typed-formats`: see [`generator::Config::typed_formats`].
    pub typed_formats: bool,
    /// `--derive A,B`: see [`generator::Config::derives`].
    pub derives: Vec<String>,
    /// `--replace Schema=path::Type`: see [`generator::Config::replacements`].
    pub replacements: Vec<generator::Replacement>,
}

/// What a run would change: files, warnings, and the API report against the files on disk.
pub struct Plan {
    pub changes: Vec<Change>,
    pub warnings: Vec<generator::Warning>,
    pub report: generator::api_diff::Report,
    /// How long each of the generator's stages took (`cargo xtask codegen --timings`).
    pub times: generator::StageTimes,
}

impl Job {
    /// The project's own client: `spec/` into `generated-client/`.
    pub fn project() -> Self {
        let root = workspace_root();
        Job {
            overlays: overlays_beside(&root.join(SPEC)),
            crate_name: CLIENT_CRATE.to_owned(),
            command: "cargo xtask codegen".to_owned(),
            spec_label: SPEC.to_owned(),
            spec: root.join(SPEC),
            out: root.join(CLIENT_DIR),
            telemetry_header: Some("Auth0-Client".to_owned()),
            cli_binary: Some("auth0-mgmt".to_owned()),
            cli_env_prefix: Some("AUTH0".to_owned()),
            crate_version: version_on_disk(&root.join(CLIENT_DIR)),
            typed_formats: false,
            derives: Vec::new(),
            replacements: Vec::new(),
        }
    }

    /// Any spec into any folder, as `cargo xtask codegen --spec PATH --out DIR` does it.
    pub fn standalone(spec: &Path, out: &Path, crate_name: Option<String>) -> Self {
        Job {
            crate_name: crate_name.unwrap_or_else(|| crate_name_from_path(spec)),
            command: format!("cargo xtask codegen --spec {} --out {}", spec.display(), out.display()),
            spec_label: spec.display().to_string(),
            overlays: overlays_beside(spec),
            spec: spec.to_path_buf(),
            out: out.to_path_buf(),
            telemetry_header: None,
            cli_binary: None,
            cli_env_prefix: None,
            crate_version: version_on_disk(out),
            typed_formats: false,
            derives: Vec::new(),
            replacements: Vec::new(),
        }
    }

    /// The same job with the generator settings of `flags` (`--typed-formats`,
    /// `--derive A,B`, `--replace Schema=path::Type`, each value after a space or `=`), as the
    /// command line and [`fixture_flags`] give them; an unknown flag is an error.
    pub fn with_flags(mut self, flags: &[String]) -> Result<Self, String> {
        let mut flags = flags.iter();
        while let Some(flag) = flags.next() {
            let (name, inline) = match flag.split_once('=') {
                Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
                _ => (flag.as_str(), None),
            };
            let mut value = || inline.clone().or_else(|| flags.next().cloned()).ok_or(format!("{name} needs a value"));
            match name {
                "--typed-formats" => {
                    self.typed_formats = true;
                    self.command.push_str(" --typed-formats");
                }
                "--derive" => {
                    let value = value()?;
                    self.derives.extend(value.split(',').map(|d| d.trim().to_owned()).filter(|d| !d.is_empty()));
                    self.command.push_str(&format!(" --derive {value}"));
                }
                "--replace" => {
                    let value = value()?;
                    self.replacements.push(value.parse()?);
                    self.command.push_str(&format!(" --replace '{value}'"));
                }
                other => return Err(format!("unknown codegen flag {other}")),
            }
        }
        Ok(self)
    }

    /// The same job with `overlays` applied after those beside the spec (`--overlay PATH`).
    pub fn with_overlays(mut self, overlays: &[PathBuf]) -> Self {
        for overlay in overlays {
            self.command.push_str(&format!(" --overlay {}", overlay.display()));
            self.overlays.push(overlay.clone());
        }
        self
    }

    /// The generator's configuration for this job.
    pub fn config(&self) -> Config {
        Config {
            crate_name: self.crate_name.clone(),
            crate_version: self.crate_version.clone(),
            command: self.command.clone(),
            telemetry_header: self.telemetry_header.clone(),
            cli_binary: self.cli_binary.clone(),
            cli_env_prefix: self.cli_env_prefix.clone(),
            typed_formats: self.typed_formats,
            derives: self.derives.clone(),
            replacements: self.replacements.clone(),
        }
    }

    /// Runs the generator; nothing is written.
    pub fn generate(&self) -> Result<generator::Output, String> {
        self.generate_timed().map(|(output, _)| output)
    }

    /// [`Job::generate`], also saying how long each of the generator's stages took.
    pub fn generate_timed(&self) -> Result<(generator::Output, generator::StageTimes), String> {
        self.with_spec(|spec| generator::generate_timed(spec, &self.config()))?.map_err(|e| e.to_string())
    }

    /// The spec's document with its overlays applied (what the generator reads), and the
    /// overlays' warnings; nothing is written.
    pub fn overlaid_document(&self) -> Result<(serde_json::Value, Vec<generator::Warning>), String> {
        self.with_spec(generator::overlaid_document)?.map_err(|e| e.to_string())
    }

    /// Calls `use_spec` with the spec as the generator reads it: its text, its overlays,
    /// and a loader that reads the files its `$ref`s name from disk, relative to the spec's
    /// folder. Every reader of a job's spec (generation, the contract plan, the stack check,
    /// the validator) goes through here, so that none of them forgets the overlays.
    pub fn with_spec<T>(&self, use_spec: impl FnOnce(Spec<'_>) -> T) -> Result<T, String> {
        let read = |path: &Path| fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()));
        let text = read(&self.spec)?;
        let overlay_files = self
            .overlays
            .iter()
            .map(|path| Ok((label(path), read(path)?)))
            .collect::<Result<Vec<(String, String)>, String>>()?;
        let overlays: Vec<Overlay<'_>> = overlay_files.iter().map(|(path, text)| Overlay { path, text }).collect();
        let folder = self.spec.parent().map(Path::to_path_buf).unwrap_or_default();
        let loader = move |relative: &str| fs::read_to_string(folder.join(relative)).map_err(|e| e.to_string());
        Ok(use_spec(Spec::new(&self.spec_label, &text).with_loader(&loader).with_overlays(&overlays)))
    }

    /// Generates and compares with the disk; nothing is written.
    pub fn plan(&self) -> Result<Plan, String> {
        let (output, times) = self.generate_timed()?;
        let old_api = fs::read_to_string(self.out.join("API.md")).unwrap_or_default();
        let new_api = output.files.get("API.md").map(String::as_str).unwrap_or_default();
        let report = generator::api_diff::compare(&old_api, new_api);

        let mut changes = Vec::new();
        for (relative, new) in &output.files {
            let path = self.out.join(relative);
            let old = fs::read_to_string(&path).ok();
            if old.as_deref() != Some(new.as_str()) {
                changes.push(Change { path, old, new: Some(new.clone()) });
            }
        }
        for path in generated_files(&self.out) {
            let relative = path.strip_prefix(&self.out).map(|p| p.to_string_lossy().replace('\\', "/"));
            if relative.is_ok_and(|r| !output.files.contains_key(&r)) {
                let old = fs::read_to_string(&path).ok();
                changes.push(Change { path, old, new: None });
            }
        }
        Ok(Plan { changes, warnings: output.warnings, report, times })
    }
}

/// The overlays of `spec` by the naming convention of Overlay 1.1 (`.overlay.yaml` or
/// `.overlay.json`): `<stem>.overlay.yaml`, then `<stem>.overlay.json`, beside the spec,
/// those that exist. `spec/auth0/management-api.json` has
/// `spec/auth0/management-api.overlay.yaml`.
pub fn overlays_beside(spec: &Path) -> Vec<PathBuf> {
    let Some(stem) = spec.file_stem().map(|stem| stem.to_string_lossy().into_owned()) else { return Vec::new() };
    ["yaml", "json"]
        .iter()
        .map(|extension| spec.with_file_name(format!("{stem}.overlay.{extension}")))
        .filter(|overlay| overlay.is_file() && overlay != spec)
        .collect()
}

/// How a file is named in messages: relative to the workspace when it is in it.
fn label(path: &Path) -> String {
    let root = workspace_root();
    path.strip_prefix(&root).unwrap_or(path).display().to_string().replace('\\', "/")
}

/// The `version` of the crate in `dir`, or 0.1.0 for a new crate.
fn version_on_disk(dir: &Path) -> String {
    let manifest = fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = \"")?.strip_suffix('"').map(str::to_owned))
        .unwrap_or_else(|| "0.1.0".to_owned())
}

/// A package name from a spec's file name: `specs/keeper.json` gives `keeper`.
fn crate_name_from_path(spec: &Path) -> String {
    let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    generator::package_name_from(&stem)
}

/// Files under `dir` that the generator wrote (they carry its preamble).
fn generated_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else if fs::read_to_string(&path).is_ok_and(|text| is_generated(&text)) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn is_generated(text: &str) -> bool {
    text.lines()
        .next()
        .is_some_and(|line| line.contains("Generated by `cargo xtask codegen") && line.contains("Do not edit by hand"))
}

/// A file to create, update or remove.
pub struct Change {
    pub path: PathBuf,
    old: Option<String>,
    new: Option<String>,
}

impl Change {
    pub fn verb(&self) -> &'static str {
        match (&self.old, &self.new) {
            (None, _) => "created",
            (Some(_), Some(_)) => "updated",
            (Some(_), None) => "removed",
        }
    }

    pub fn diff(&self) -> String {
        let old = self.old.as_deref().unwrap_or("");
        let new = self.new.as_deref().unwrap_or("");
        let label = self.path.display().to_string();
        similar::TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(3)
            .header(&format!("{label} (on disk)"), &format!("{label} (from the spec)"))
            .to_string()
    }

    /// Writes a created or updated file (used for throwaway crates, where nothing is removed).
    pub fn apply_new(&self) -> Result<(), String> {
        if self.new.is_some() {
            self.apply()?;
        }
        Ok(())
    }

    /// Writes through a temporary file and a rename, so a file is never left half written.
    pub fn apply(&self) -> Result<(), String> {
        let fail = |e: std::io::Error| format!("cannot write {}: {e}", self.path.display());
        match &self.new {
            Some(text) => {
                if let Some(parent) = self.path.parent() {
                    fs::create_dir_all(parent).map_err(fail)?;
                }
                let temporary = self.path.with_extension("xtask-tmp");
                fs::write(&temporary, text).map_err(fail)?;
                fs::rename(&temporary, &self.path).map_err(fail)
            }
            None => fs::remove_file(&self.path).map_err(fail),
        }
    }
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

/// The `codegen` flags a fixture spec is generated with, from its line
/// `# codegen flags: --typed-formats` (the tests generate fixtures as `codegen` would with
/// them): the flags [`Job::with_flags`] takes.
pub fn fixture_flags(spec: &Path) -> Vec<String> {
    let text = fs::read_to_string(spec).unwrap_or_default();
    let line = text.lines().find_map(|line| line.strip_prefix("# codegen flags:"));
    line.map(|flags| flags.split_whitespace().map(str::to_owned).collect()).unwrap_or_default()
}
