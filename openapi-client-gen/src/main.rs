//! `openapi-client-gen`: see the crate's documentation and `--help`.

use std::process::ExitCode;

/// The generator makes and drops tens of millions of small blocks (tokens, syntax trees) on
/// every core; with mimalloc a large spec generates about a third faster than with the
/// system's allocator (BENCHMARKS.md, "The generator on Auth0's whole Management API").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    openapi_client_gen::cli::main()
}
