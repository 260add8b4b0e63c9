//! The contract tests of `generated-client/`, the whole Management API, against Prism: the
//! runner every generated crate gets (`tests/contract/runner.rs`), here for the product crate,
//! which is compiled once for this test and the workspace's others. It needs the Prism servers
//! and the plan that `cargo xtask contract` (every operation) or `cargo xtask test` (a fixed
//! sample) start and write, so it is behind the feature `contract`, which only they turn on.

use auth0_management as api;

/// Where the xtask writes the cases (`xtask/src/test.rs`, `product_contract`).
const PLAN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/contract-logs/auth0-management-plan.json");

include!("../contract/runner.rs");
