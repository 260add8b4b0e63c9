//! The library half of the xtask: how the project's generated code is produced and compared
//! with the disk. The `cargo xtask` binary and the freshness test both use it, so
//! "is the client stale?" has one answer.

pub mod cli_stack;
pub mod codegen;
pub mod contract;
pub mod npm;
pub mod public_specs;
pub mod synthetic;
