//! `Cargo.toml`: the generated crate's manifest, naming only published dependencies so that
//! the crate builds wherever it is written.

use crate::model::Model;
use crate::Config;

/// The generated crate's dependencies. The versions match the workspace's own
/// `Cargo.toml`, where `generated-client` is built and tested with them.
const DEPENDENCIES: &str = r#"base64 = "0.22"
email_address = { version = "0.2", default-features = false }
fastrand = "2"
httpdate = "1"
reqwest = { version = "0.12", default-features = false, features = ["rustls-tls"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
thiserror = "2"
tokio = { version = "1", features = ["sync", "time"] }
tracing = "0.1"
url = "2"
"#;

const DEV_DEPENDENCIES: &str = r#"
[dev-dependencies]
tokio = { version = "1", features = ["macros", "rt"] }
"#;

pub(super) fn manifest(model: &Model, config: &Config, cli: bool) -> String {
    let description = format!("A client for the {}, generated from its OpenAPI description.", model.title.trim());
    format!(
        r#"[package]
name = "{name}"
version = "{version}"
edition = "2021"
rust-version = "1.85"
description = {description}
publish = false

[lib]
# The documentation comes from the spec; its examples are not Rust.
doctest = false

[dependencies]
{DEPENDENCIES}{cli}{DEV_DEPENDENCIES}"#,
        cli = cli_sections(cli.then(|| config.cli_binary()).as_deref()),
        name = config.crate_name,
        version = config.crate_version,
        description = toml_string(&description),
    )
}

/// The command-line tool: a binary behind the `cli` feature, so that clap is compiled only
/// for those who want the tool. A spec without operations has no binary, but keeps the
/// feature, which the runtime's `#[cfg(feature = "cli")]` names.
fn cli_sections(binary: Option<&str>) -> String {
    let mut text = String::from(
        r#"clap = { version = "4", features = ["derive"], optional = true }

[features]
cli = ["dep:clap", "tokio/rt-multi-thread", "tokio/macros"]
"#,
    );
    if let Some(binary) = binary {
        text.push_str(&format!(
            r#"
[[bin]]
name = "{binary}"
path = "src/bin/{binary}.rs"
required-features = ["cli"]
"#
        ));
    }
    text
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
