//! `README.md`: the generated crate's front page (crates.io shows it, and Cargo's `readme`
//! names it): what the API is, from the spec's `info`; a quick start with the constructor
//! the crate really has for the spec's server and security schemes; its features (TLS, the
//! groups, the tool); the oldest Rust it builds with.

use super::crate_root::call_of;
use super::manifest::RUST_VERSION;
use crate::model::{BodyKind, HttpMethod, Model, SchemeKind};
use crate::Config;

pub(super) fn readme(model: &Model, config: &Config, cli: bool) -> String {
    let name = &config.crate_name;
    let mut text = format!(
        "# {name}\n\nA Rust client for the {} (API version {}), generated from its OpenAPI description.\n",
        model.title.trim(),
        model.version.trim()
    );
    if let Some(description) = model.description.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        text.push_str(&format!("\n{description}\n"));
    }
    text.push_str(&quick_start(model, name));
    text.push_str(&features(model, config, cli));
    text.push_str(&format!(
        "\n## Rust version\n\nRust {RUST_VERSION} or newer (`rust-version`), with dependencies that Cargo's \
         MSRV-aware resolver picks (`resolver = \"3\"`); their newest versions may ask for a newer Rust.\n"
    ));
    text.push_str(
        "\n## Documentation\n\n`cargo doc --open --all-features`; `API.md` lists the public API one line \
         an item.\n",
    );
    text
}

fn quick_start(model: &Model, name: &str) -> String {
    let krate = name.replace('-', "_");
    let mut lines = vec!["    let client = ".to_owned()];
    let server = model.server.as_ref();
    let arguments: Vec<String> =
        server.map(|s| s.variables.iter().map(|v| format!("{:?}", v.default)).collect()).unwrap_or_default();
    let plain_http = server.is_some_and(|s| s.url.starts_with("http://"));
    let bearer = model.security_schemes.iter().any(|s| s.is_bearer());
    let others: Vec<String> = model
        .security_schemes
        .iter()
        .filter_map(|scheme| match &scheme.kind {
            SchemeKind::Bearer { .. } => None,
            SchemeKind::Basic { method, .. } => Some(format!(".{}(\"USERNAME\", \"PASSWORD\")", method)),
            SchemeKind::ApiKey { method, .. } => Some(format!(".{}(\"API_KEY\")", method)),
        })
        .collect();
    let mut about = Vec::new();
    match server {
        Some(server) if !plain_http && others.is_empty() => {
            let mut args = arguments.clone();
            if bearer {
                args.push("\"TOKEN\"".to_owned());
            }
            lines[0].push_str(&format!("{krate}::Client::new({})?;", args.join(", ")));
            about.push(format!("`Client::new` sends requests to `{}`", server.url));
            if model.token_url().is_some() {
                let mut args = arguments.clone();
                args.extend(["\"CLIENT_ID\"".to_owned(), "\"CLIENT_SECRET\"".to_owned()]);
                about.push(format!(
                    "`Client::with_client_credentials({})` gets and renews the token itself",
                    args.join(", ")
                ));
            }
        }
        _ => {
            let base_url = match server {
                Some(_) => format!("{krate}::Client::server_url({})?", arguments.join(", ")),
                None => "\"https://api.example.com\"".to_owned(),
            };
            lines[0].push_str(&format!("{krate}::Client::builder({base_url})"));
            if bearer {
                lines.push("        .bearer_token(\"TOKEN\")".to_owned());
            }
            lines.extend(others.iter().map(|method| format!("        {method}")));
            if plain_http {
                lines.push("        .allow_http()".to_owned());
            }
            lines.push("        .build()?;".to_owned());
            about.push(match server {
                Some(server) => format!("the client sends requests to `{}`", server.url),
                None => "the spec names no absolute server URL, so the client takes the API's base URL".to_owned(),
            });
        }
    }
    if let Some(call) = example_call(model) {
        lines.push(format!("    let answer = {call}.send().await?;"));
        lines.push("    println!(\"{answer:?}\");".to_owned());
    } else {
        // Every operation takes arguments, which a README cannot make up.
        lines.push("    println!(\"calling {}\", client.base_url());".to_owned());
        lines.push("    // client.<group>().<operation>(<its arguments>).send().await?".to_owned());
    }
    format!(
        "\n## Quick start\n\n```toml\n[dependencies]\n{name} = {{ path = \"...\" }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n```\n\n```rust,no_run\n\
         #[tokio::main]\nasync fn main() -> Result<(), Box<dyn std::error::Error>> {{\n{}\n    Ok(())\n}}\n```\n\n\
         {}. `Client::builder` takes another base URL and more settings (retries, time limits); an \
         operation's request builder has a setter per optional parameter before `send()`.\n",
        lines.join("\n"),
        capitalized(&about.join("; "))
    )
}

/// The first `GET` that takes no argument and answers with a body read whole: a call that
/// changes nothing on the server.
fn example_call(model: &Model) -> Option<String> {
    model.groups.iter().enumerate().find_map(|(index, group)| {
        let op = group.operations.iter().find(|op| {
            op.http_method == HttpMethod::Get
                && op.arguments().next().is_none()
                && !op.body.as_ref().is_some_and(|b| b.required)
                && !matches!(op.response.body, Some((_, BodyKind::EventStream { .. })))
        })?;
        Some(call_of(model, index, op))
    })
}

fn features(model: &Model, config: &Config, cli: bool) -> String {
    let mut text = String::from(
        "\n## Features\n\n\
         | Feature | |\n|---|---|\n\
         | `rustls` (default) | `https` through rustls, with the Mozilla roots of `webpki-roots` |\n\
         | `native-tls` | `https` through the platform's TLS (OpenSSL on Linux): `default-features = false, \
         features = [\"native-tls\"]` (with both, reqwest uses native-tls) |\n",
    );
    let groups: Vec<_> = model.group_features().collect();
    for (group, feature) in &groups {
        let accessor = group.name.as_ref().map(|n| n.accessor.as_str()).unwrap_or_default();
        text.push_str(&format!("| `{feature}` (default) | the operations of `client.{accessor}()` |\n"));
    }
    if let Some(unused) = &model.unused_types_feature {
        text.push_str(&format!("| `{unused}` | the types of the schemas no operation uses |\n"));
    }
    if cli {
        text.push_str(&format!(
            "| `cli` | the command-line tool `{}`, over the whole API: `cargo run --features cli -- --help` |\n",
            config.cli_binary()
        ));
    }
    text.push_str(
        "\nWith neither TLS feature, the client speaks plain `http` only: an `https` request fails with a \
         transport error (unless another crate turns on a TLS feature of `reqwest`, or the client is \
         given a `reqwest::Client` of its own: `ClientBuilder::http_client`).\n",
    );
    if let Some((_, example)) = groups.first() {
        text.push_str(&format!(
            "\nEach group of operations is a feature, all on by default; a program that calls only some \
             builds faster with only theirs: `default-features = false, features = [\"rustls\", \"{example}\"]`.\n"
        ));
    }
    text
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
