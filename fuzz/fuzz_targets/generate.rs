//! Feeds arbitrary bytes (as UTF-8, invalid sequences replaced) to `generator::generate`:
//! it must return `Ok` or `Err`, never panic; an `Err` must not be an internal error; and
//! every generated `.rs` file must parse with `syn`. A `$ref` to another file reads a small
//! fixed one (`other.yaml`), so bundling is fuzzed too; the seeds include OpenAPI 3.1
//! documents (type lists, `$defs`, `prefixItems`, `$ref` siblings, `if`/`then`/`else`,
//! webhooks).

#![no_main]

use generator::{Config, ErrorKind, Spec};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let config = Config {
        command: "cargo xtask codegen".into(),
        telemetry_header: Some("X-Client".into()),
        ..Config::new("fuzz-client")
    };
    let other_file = |path: &str| match path {
        "other.yaml" => Ok("A: {type: object, properties: {b: {$ref: '#/B'}}}\nB: {type: [string, integer]}\nC: {$ref: '#/C'}\n".to_owned()),
        _ => Err("no such file".to_owned()),
    };
    match generator::generate(Spec::new("fuzz.yaml", &text).with_loader(&other_file), &config) {
        Err(error) => assert!(error.kind != ErrorKind::Internal, "generator bug: {error}"),
        Ok(output) => {
            // The runtime's files are the same in every output (and compiled in generated-client).
            let generated =
                output.files.iter().filter(|(path, _)| path.ends_with(".rs") && !path.starts_with("src/runtime/"));
            for (path, code) in generated {
                if let Err(error) = syn::parse_file(code) {
                    panic!("{path} does not parse: {error}\n{code}");
                }
            }
        }
    }
});
