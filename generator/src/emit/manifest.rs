//! `Cargo.toml`: the generated crate's manifest, naming only published dependencies so that
//! the crate builds wherever it is written, with its features: TLS (`rustls`, on by default,
//! or `native-tls`), the command-line tool, and a feature per top-level group where the model
//! gives groups features; the package's metadata (licence, homepage, README) and docs.rs's
//! settings.

use crate::model::{Derive, Model, StringFormat};
use crate::Config;

/// The generated crate's dependencies. The versions match the workspace's own
/// `Cargo.toml`, where `generated-client` is built and tested with them.
const DEPENDENCIES: &str = r#"base64 = "0.22"
bytes = "1"
email_address = { version = "0.2", default-features = false }
eventsource-stream = "0.2.3"
fastrand = "2"
futures-core = "0.3"
futures-util = { version = "0.3", default-features = false, features = ["alloc"] }
httpdate = "1"
reqwest = { version = "0.12", default-features = false, features = ["stream"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
serde_path_to_error = "0.1"
thiserror = "2"
tokio = { version = "1", features = ["fs", "sync", "time"] }
tokio-util = { version = "0.7", default-features = false, features = ["io"] }
tracing = "0.1"
url = "2"
"#;

const DEV_DEPENDENCIES: &str = r#"
[dev-dependencies]
tokio = { version = "1", features = ["macros", "rt"] }
"#;

/// docs.rs documents every feature (every group, the command-line tool's module), and with
/// `--cfg docsrs` the crate turns on rustdoc's `doc_cfg`, which marks each item that a feature
/// compiles with that feature. (`cfg(docsrs)` is declared, or rustc warns of an unknown cfg.)
const DOCS_RS: &str = r#"
[package.metadata.docs.rs]
all-features = true
rustdoc-args = ["--cfg", "docsrs"]

[lints.rust]
unexpected_cfgs = { level = "warn", check-cfg = ["cfg(docsrs)"] }
"#;

/// The TLS features, named as reqwest 0.13 names them (0.12's `rustls` is `rustls-tls`, with
/// ring and the Mozilla roots of `webpki-roots`). With both on, reqwest uses native-tls;
/// with neither, the client speaks plain `http` only.
const TLS_FEATURES: &str = r#"# TLS for `https`: rustls (pure Rust) by default, or the platform's own (OpenSSL on Linux).
rustls = ["reqwest/rustls-tls"]
native-tls = ["reqwest/native-tls"]
"#;

/// The oldest Rust the crate builds with (`rust-version`, stated in its README): its own code
/// and the runtime keep to 1.85 (clippy's `incompatible_msrv`, run with `-D warnings` on
/// every generated crate, holds them to it), and so do its dependencies when Cargo picks
/// their versions for it (the MSRV-aware resolver, `resolver = "3"`: reqwest 0.12 asks
/// 1.64, tokio 1.85; the newest `url` would want 1.88 through `idna_adapter`).
pub(super) const RUST_VERSION: &str = "1.85";

pub(super) fn manifest(model: &Model, config: &Config, cli: bool) -> String {
    let description = format!("A client for the {}, generated from its OpenAPI description.", model.title.trim());
    format!(
        r#"[package]
name = "{name}"
version = "{version}"
edition = "2021"
rust-version = "{RUST_VERSION}"
description = {description}
{metadata}readme = "README.md"
categories = ["api-bindings"]
publish = false

[lib]
# The documentation comes from the spec; its examples are not Rust.
doctest = false

[dependencies]
{DEPENDENCIES}{formats}{cli}{example}{DEV_DEPENDENCIES}{DOCS_RS}"#,
        formats = format_dependencies(model),
        cli = cli_sections(model, config.cli, cli.then(|| config.cli_binary()).as_deref()),
        example = example_section(model),
        name = config.crate_name,
        version = config.crate_version,
        description = toml_string(&description),
        metadata = metadata(model, config),
    )
}

/// `license`, `homepage`, `repository` and `documentation`, each when the spec or the
/// configuration gives it.
fn metadata(model: &Model, config: &Config) -> String {
    let package = &config.package;
    let license = package.license.as_ref().or(model.license.as_ref());
    let keys = [
        ("license", license),
        ("homepage", model.homepage.as_ref()),
        ("repository", package.repository.as_ref()),
        ("documentation", package.documentation.as_ref()),
    ];
    keys.iter().filter_map(|(key, value)| Some(format!("{key} = {}\n", toml_string(value.as_ref()?)))).collect()
}

/// The crates of the string formats the crate types (`chrono` for dates, `uuid`), with
/// their serde support; the versions the workspace's `Cargo.lock` pins.
fn format_dependencies(model: &Model) -> String {
    let dates = model.formats.iter().any(|f| matches!(f, StringFormat::DateTime | StringFormat::Date));
    let mut text = String::new();
    if dates {
        text.push_str("chrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }\n");
    }
    if model.formats.contains(&StringFormat::Uuid) {
        text.push_str("uuid = { version = \"1\", features = [\"serde\"] }\n");
    }
    text.push_str(&schemars_dependency(model, dates));
    text
}

/// `schemars` when a type gets `schemars::JsonSchema` ([`crate::model::TypeDef::derives`]),
/// with its support of the crate's typed formats.
fn schemars_dependency(model: &Model, dates: bool) -> String {
    if !model.types.iter().any(|def| def.derives.contains(&Derive::JsonSchema)) {
        return String::new();
    }
    let mut features = vec!["\"derive\"", "\"std\""];
    if dates {
        features.push("\"chrono04\"");
    }
    if model.formats.contains(&StringFormat::Uuid) {
        features.push("\"uuid1\"");
    }
    format!("schemars = {{ version = \"1\", default-features = false, features = [{}] }}\n", features.join(", "))
}

/// An example needs its operation's group: with the group's feature off, cargo skips it
/// rather than fail to build it.
fn example_section(model: &Model) -> String {
    let mut text = String::new();
    for (name, feature) in super::crate_root::examples(model) {
        if let Some(feature) = feature {
            text.push_str(&format!(
                "\n[[example]]\nname = \"{name}\"\nrequired-features = {}\n",
                toml_list(&[feature])
            ));
        }
    }
    text
}

/// The features, and the command-line tool: a binary behind the `cli` feature, so that clap
/// is compiled only for those who want the tool. A spec without operations has no binary,
/// but keeps the feature, which the runtime's `#[cfg(feature = "cli")]` names; a crate
/// generated without the tool (`tool` false, [`Config::cli`]) has neither, nor `clap`. The
/// groups' features are all on by default, and the tool, which covers the whole API, turns
/// them on; the types no operation uses are a feature of their own, off by default (no
/// operation needs them, the tool neither; docs.rs, with every feature, documents them).
fn cli_sections(model: &Model, tool: bool, binary: Option<&str>) -> String {
    let groups: Vec<&str> = model.group_features().map(|(_, feature)| feature).collect();
    let mut cli = vec!["dep:clap", "tokio/rt-multi-thread", "tokio/macros"];
    cli.extend(&groups);
    let mut text = String::new();
    if tool {
        text.push_str("clap = { version = \"4\", features = [\"derive\"], optional = true }\n");
    }
    text.push_str("\n[features]\n");
    let mut default = vec!["rustls"];
    default.extend(&groups);
    text.push_str(&format!("default = {}\n", toml_list(&default)));
    text.push_str(TLS_FEATURES);
    if tool {
        text.push_str(&format!("cli = {}\n", toml_list(&cli)));
    }
    if !groups.is_empty() {
        text.push_str("# A feature per group of operations: it compiles the group and the types it uses.\n");
        for group in &groups {
            text.push_str(&format!("{group} = []\n"));
        }
    }
    if let Some(unused) = &model.unused_types_feature {
        text.push_str(&format!(
            "# The types of the schemas that no operation uses (off by default: nothing needs them).\n{unused} = []\n"
        ));
    }
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

/// A TOML array of strings: on one line if short, else one item a line.
fn toml_list(items: &[&str]) -> String {
    let items: Vec<String> = items.iter().map(|item| toml_string(item)).collect();
    let line = format!("[{}]", items.join(", "));
    if line.len() <= 80 {
        return line;
    }
    let lines: Vec<String> = items.iter().map(|item| format!("    {item},\n")).collect();
    format!("[\n{}]", lines.concat())
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
