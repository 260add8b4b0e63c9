//! Feeds arbitrary bytes (as UTF-8, invalid sequences replaced) to `generator::generate`:
//! it must return `Ok` or `Err`, never panic; an `Err` must not be an internal error; and
//! every generated `.rs` file must parse with `syn`.

#![no_main]

use generator::{Config, Spec};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let config = Config {
        crate_name: "fuzz-client".into(),
        crate_version: "0.1.0".into(),
        command: "cargo xtask codegen".into(),
        telemetry_header: Some("X-Client".into()),
        cli_binary: None,
        cli_env_prefix: None,
    };
    match generator::generate(Spec::new("fuzz.yaml", &text), &config) {
        Err(error) => assert!(!error.message.contains("internal error"), "generator bug: {error}"),
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
