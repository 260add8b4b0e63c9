//! Generates a Rust client crate from an OpenAPI 3.0 or 3.1 description, with the files
//! written to disk: the `openapi-client-gen` command, and a library for build scripts.
//!
//! The generator itself (the `generator` crate) does no I/O; this crate reads the spec and
//! the files it names, writes the crate only when generation succeeded as a whole, and
//! tells a person what happened. `cargo xtask codegen` runs the same code for this
//! repository's own client.
//!
//! - [`Job`]: one spec into one folder; [`Job::plan`] says what would change.
//! - [`cli`] (feature `cli`, on by default): the command line.
//! - [`Build`]: generate into `OUT_DIR` from a build script and `include!` the source.
//! - [`summary`]: what a person reads after a run.

mod build;
#[cfg(feature = "cli")]
pub mod cli;
mod job;
pub mod summary;

pub use build::{Build, FOLDER};
pub use job::{crate_name_from_path, fixture_flags, overlays_beside, version_on_disk, Change, Job, Plan};
