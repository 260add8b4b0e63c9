//! For build scripts: generate the client into `OUT_DIR` at build time and `include!` it,
//! for projects that prefer not to check generated code in.
//!
//! ```ignore
//! // build.rs
//! fn main() {
//!     openapi_client_gen::Build::new("openapi.yaml").generate().unwrap_or_else(|e| panic!("{e}"));
//! }
//!
//! // src/lib.rs: the crate is the client (its modules are this crate's root modules)
//! include!(concat!(env!("OUT_DIR"), "/openapi-client/src/lib.rs"));
//! ```
//!
//! The source is a crate root's ([`generator::Layout::IncludedSource`]): it names its items
//! `crate::...`, so it is included at the root of a crate of its own, and the including
//! crate lists the dependencies a generated crate's `Cargo.toml` would. There are no Cargo
//! features: every group of operations is compiled, and no command-line tool.

use std::path::{Path, PathBuf};

use generator::Layout;

use crate::summary;
use crate::Job;

/// The folder inside `OUT_DIR` that [`Build::generate`] writes.
pub const FOLDER: &str = "openapi-client";

/// A generation run from a build script; see the [module](self) docs.
#[derive(Debug, Clone)]
pub struct Build {
    spec: PathBuf,
    overlays: Vec<PathBuf>,
    typed_formats: bool,
    /// Comma lists of derives ([`Build::derive`]).
    derives: Vec<String>,
    /// `Schema=path::Type` ([`Build::replace`]).
    replacements: Vec<String>,
}

impl Build {
    /// The spec, relative to the package's folder (where Cargo runs build scripts).
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Build {
            spec: spec.into(),
            overlays: Vec::new(),
            typed_formats: false,
            derives: Vec::new(),
            replacements: Vec::new(),
        }
    }

    /// Also apply this OpenAPI Overlay 1.0 document, after the one beside the spec.
    pub fn overlay(mut self, path: impl Into<PathBuf>) -> Self {
        self.overlays.push(path.into());
        self
    }

    /// Strings of format `date-time`, `date` and `uuid` as `chrono` and `uuid` types (the
    /// including crate then depends on `chrono` with `serde` and `uuid` with `serde`).
    pub fn typed_formats(mut self, on: bool) -> Self {
        self.typed_formats = on;
        self
    }

    /// Also derive these (`"Eq,Hash"`, `"schemars::JsonSchema"`) on each type whose fields
    /// allow them, as `--derive` does ([`generator::Config::derives`]); the including crate
    /// depends on the crates they name (`schemars` 1 with its `derive` feature).
    pub fn derive(mut self, derives: &str) -> Self {
        self.derives.push(derives.to_owned());
        self
    }

    /// Use a Rust type of the including crate's for a schema (`"Money=crate::Money:Eq+Hash"`),
    /// as `--replace` does ([`generator::Replacement`]).
    pub fn replace(mut self, replacement: &str) -> Self {
        self.replacements.push(replacement.to_owned());
        self
    }

    /// Generates into `$OUT_DIR/openapi-client/` and returns the path of its `src/lib.rs`.
    /// Tells Cargo to run the build script again when the spec, an overlay or a file the
    /// spec's `$ref`s name changes, and prints the warnings grouped by kind as Cargo
    /// warnings.
    pub fn generate(self) -> Result<PathBuf, String> {
        let out_dir = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set: call this from a build script")?;
        let (lib, read) = self.generate_into(&Path::new(&out_dir).join(FOLDER))?;
        for path in read {
            println!("cargo:rerun-if-changed={}", path.display());
        }
        Ok(lib)
    }

    /// Generates into `dir` (not only in a build script), returning the path of its
    /// `src/lib.rs` and every file read. Warnings go to stdout as Cargo warnings.
    pub fn generate_into(self, dir: &Path) -> Result<(PathBuf, Vec<PathBuf>), String> {
        let mut job = Job::standalone(&self.spec, dir, Some("included".to_owned())).with_overlays(&self.overlays);
        job.config.layout = Layout::IncludedSource;
        job.config.command =
            format!("openapi_client_gen::Build::new({:?}) in build.rs", self.spec.display().to_string());
        job.config.typed_formats = self.typed_formats;
        for derives in &self.derives {
            job.add_derives(derives);
        }
        for replacement in &self.replacements {
            job.add_replacement(replacement)?;
        }
        let (generated, read) = job.with_spec_files(|spec| generator::generate_timed(spec, &job.config))?;
        let (generated, times) = generated.map_err(|e| e.to_string())?;
        let text = summary::warnings_text(&generated.warnings, &job.spec_label, false);
        for line in text.lines() {
            println!("cargo:warning={line}");
        }
        for change in job.compare(generated, times).changes {
            change.apply()?;
        }
        Ok((dir.join("src/lib.rs"), read))
    }
}
