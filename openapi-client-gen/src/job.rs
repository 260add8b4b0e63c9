//! Spec in, crate out, through one door for every generated file.
//!
//! Nothing is written unless generation succeeded as a whole. Then a file is written only
//! when its text changed (through a temporary file and a rename), and generated files the
//! output no longer contains are removed: only files that carry the generator's preamble,
//! so nothing hand-written is ever deleted.
//!
//! A spec's corrections live beside it in OpenAPI Overlay 1.0 documents ([`overlays_beside`]):
//! `spec/x.json` is read with `spec/x.overlay.yaml` (or `.overlay.json`) applied, and
//! `--overlay PATH` adds others after it.

use std::cell::RefCell;
use std::fs;
use std::path::{Path, PathBuf};

use generator::{Config, Layout, Overlay, Spec};

/// One generation: which spec, into which folder, with which settings.
#[derive(Debug, Clone)]
pub struct Job {
    pub spec: PathBuf,
    /// How the spec is named in messages and preambles.
    pub spec_label: String,
    /// The overlays applied to the spec, in order (see [`overlays_beside`]).
    pub overlays: Vec<PathBuf>,
    /// Where the crate is written.
    pub out: PathBuf,
    /// Paths in messages are shown relative to this folder, when they are in it.
    pub base: Option<PathBuf>,
    /// The generator's settings; `config.command` is the command named in the preambles.
    pub config: Config,
}

/// What a run would change: files, warnings, and the API report against the files on disk.
pub struct Plan {
    pub changes: Vec<Change>,
    pub warnings: Vec<generator::Warning>,
    pub report: generator::api_diff::Report,
    /// Whether the folder held no crate generated before (no `API.md`): then the report
    /// lists everything as added, and a summary says more.
    pub new_crate: bool,
    /// What the crate holds.
    pub counts: generator::Counts,
    /// How long each of the generator's stages took.
    pub times: generator::StageTimes,
}

impl Job {
    /// `spec` into the folder `out`, as a package named `crate_name` (default: from the
    /// spec's file name) at the version on disk (0.1.0 for a new crate).
    pub fn standalone(spec: &Path, out: &Path, crate_name: Option<String>) -> Self {
        let crate_name = crate_name.unwrap_or_else(|| crate_name_from_path(spec));
        let mut config = Config::new(crate_name);
        config.crate_version = version_on_disk(out);
        config.command = format!("openapi-client-gen generate --spec {} --out {}", spec.display(), out.display());
        Job {
            spec_label: spec.display().to_string(),
            overlays: overlays_beside(spec),
            spec: spec.to_path_buf(),
            out: out.to_path_buf(),
            base: None,
            config,
        }
    }

    /// Also derives `derives` (a comma list: `Eq,Hash`) where the fields allow them, as
    /// `--derive` does ([`generator::Config::derives`]).
    pub fn add_derives(&mut self, derives: &str) {
        let config = &mut self.config;
        config.derives.extend(derives.split(',').map(|d| d.trim().to_owned()).filter(|d| !d.is_empty()));
        config.command.push_str(&format!(" --derive {derives}"));
    }

    /// Also uses a Rust type for a schema (`Money=rust_decimal::Decimal:Eq+Hash`), as
    /// `--replace` does ([`generator::Replacement`]); text that is not one is an error.
    pub fn add_replacement(&mut self, replacement: &str) -> Result<(), String> {
        let config = &mut self.config;
        config.replacements.push(replacement.parse()?);
        config.command.push_str(&format!(" --replace '{replacement}'"));
        Ok(())
    }

    /// The same job with `overlays` applied after those beside the spec (`--overlay PATH`).
    pub fn with_overlays(mut self, overlays: &[PathBuf]) -> Self {
        for overlay in overlays {
            self.config.command.push_str(&format!(" --overlay {}", overlay.display()));
            self.overlays.push(overlay.clone());
        }
        self
    }

    /// Runs the generator; nothing is written.
    pub fn generate(&self) -> Result<generator::Output, String> {
        self.generate_timed().map(|(output, _)| output)
    }

    /// [`Job::generate`], also saying how long each of the generator's stages took.
    pub fn generate_timed(&self) -> Result<(generator::Output, generator::StageTimes), String> {
        self.with_spec(|spec| generator::generate_timed(spec, &self.config))?.map_err(|e| e.to_string())
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
        self.with_spec_files(use_spec).map(|(value, _)| value)
    }

    /// [`Job::with_spec`], also returning every file read: the spec, its overlays, and the
    /// files its `$ref`s named (what a build script reruns on).
    pub fn with_spec_files<T>(&self, use_spec: impl FnOnce(Spec<'_>) -> T) -> Result<(T, Vec<PathBuf>), String> {
        let read = |path: &Path| fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()));
        let text = read(&self.spec)?;
        let overlay_files = self
            .overlays
            .iter()
            .map(|path| Ok((self.label(path), read(path)?)))
            .collect::<Result<Vec<(String, String)>, String>>()?;
        let overlays: Vec<Overlay<'_>> = overlay_files.iter().map(|(path, text)| Overlay { path, text }).collect();
        let folder = self.spec.parent().map(Path::to_path_buf).unwrap_or_default();
        let loaded = RefCell::new(Vec::new());
        let loader = |relative: &str| {
            let path = folder.join(relative);
            loaded.borrow_mut().push(path.clone());
            fs::read_to_string(path).map_err(|e| e.to_string())
        };
        let value = use_spec(Spec::new(&self.spec_label, &text).with_loader(&loader).with_overlays(&overlays));
        let mut files = vec![self.spec.clone()];
        files.extend(self.overlays.iter().cloned());
        files.extend(loaded.into_inner());
        Ok((value, files))
    }

    /// Generates and compares with the disk; nothing is written.
    pub fn plan(&self) -> Result<Plan, String> {
        let (output, times) = self.generate_timed()?;
        Ok(self.compare(output, times))
    }

    /// What writing `output` into [`Job::out`] would change.
    pub fn compare(&self, output: generator::Output, times: generator::StageTimes) -> Plan {
        let old_api = fs::read_to_string(self.out.join("API.md")).ok();
        let new_api = output.files.get("API.md").map(String::as_str).unwrap_or_default();
        let report = generator::api_diff::compare(old_api.as_deref().unwrap_or_default(), new_api);

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
        Plan {
            changes,
            warnings: output.warnings,
            report,
            new_crate: old_api.is_none() && self.config.layout == Layout::Package,
            counts: output.counts,
            times,
        }
    }

    /// How `path` is named in messages: relative to [`Job::base`] when it is in it.
    pub fn label(&self, path: &Path) -> String {
        let shown = self.base.as_deref().and_then(|base| path.strip_prefix(base).ok()).unwrap_or(path);
        shown.display().to_string().replace('\\', "/")
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

/// The `version` of the crate in `dir`, or 0.1.0 for a new crate.
pub fn version_on_disk(dir: &Path) -> String {
    let manifest = fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = \"")?.strip_suffix('"').map(str::to_owned))
        .unwrap_or_else(|| "0.1.0".to_owned())
}

/// A package name from a spec's file name: `specs/keeper.json` gives `keeper`.
pub fn crate_name_from_path(spec: &Path) -> String {
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

/// Whether a file's first line is the generator's preamble (`// Generated by ... Do not
/// edit by hand.`, or `#` and `<!--` for TOML and Markdown).
fn is_generated(text: &str) -> bool {
    text.lines().next().is_some_and(|line| line.contains("Generated by `") && line.contains("Do not edit by hand"))
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
                let temporary = self.path.with_extension("openapi-client-gen-tmp");
                fs::write(&temporary, text).map_err(fail)?;
                fs::rename(&temporary, &self.path).map_err(fail)
            }
            None => fs::remove_file(&self.path).map_err(fail),
        }
    }
}

/// The `codegen` flags a fixture spec is generated with, from its line
/// `# codegen flags: --typed-formats` (the command line's settings flags: `cli::SettingsArgs`).
pub fn fixture_flags(spec: &Path) -> Vec<String> {
    let text = fs::read_to_string(spec).unwrap_or_default();
    let line = text.lines().find_map(|line| line.strip_prefix("# codegen flags:"));
    line.map(|flags| flags.split_whitespace().map(str::to_owned).collect()).unwrap_or_default()
}
