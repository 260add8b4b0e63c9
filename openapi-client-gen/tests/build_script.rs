//! The library call for build scripts ([`openapi_client_gen::Build`]): what it writes, and
//! that the example crate (`examples/build-script`, built and tested by `cargo xtask test`)
//! lists what the generated code needs.

use std::fs;
use std::path::Path;

use openapi_client_gen::{Build, Job};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/build-script");

/// The names of a manifest's `[dependencies]`, but optional ones (the command-line tool's).
fn dependencies(manifest: &str) -> Vec<String> {
    let section = manifest.split("\n[dependencies]\n").nth(1).unwrap_or_default();
    let section = section.split("\n[").next().unwrap_or_default();
    section
        .lines()
        .filter(|line| !line.starts_with('#') && !line.contains("optional = true"))
        .filter_map(|line| line.split_once(" = ").map(|(name, _)| name.trim().to_owned()))
        .collect()
}

#[test]
fn the_example_depends_on_every_crate_the_generated_code_uses() {
    let spec = Path::new(EXAMPLE).join("openapi.yaml");
    let output = Job::standalone(&spec, Path::new("unused"), None).generate().expect("the example's spec generates");
    let generated = dependencies(&output.files["Cargo.toml"]);
    let example = dependencies(&fs::read_to_string(Path::new(EXAMPLE).join("Cargo.toml")).expect("its manifest"));
    assert!(generated.len() > 10, "{generated:?}");
    let missing: Vec<&String> = generated.iter().filter(|name| !example.contains(name)).collect();
    assert!(missing.is_empty(), "examples/build-script/Cargo.toml lacks {missing:?}");
}

#[test]
fn the_source_to_include_has_no_manifest_features_or_inner_attributes() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let spec = Path::new(EXAMPLE).join("openapi.yaml");
    let (lib, read) = Build::new(&spec).generate_into(dir.path()).expect("it generates");
    assert_eq!(lib, dir.path().join("src/lib.rs"));
    assert_eq!(read, [spec]);
    let lib = fs::read_to_string(&lib).expect("lib.rs");
    assert!(!lib.contains("#!["), "{lib}");
    assert!(!lib.contains("//!"), "{lib}");
    assert!(lib.contains("pub mod api;") && lib.contains("pub mod types;"), "{lib}");
    assert!(!dir.path().join("Cargo.toml").exists());
    assert!(!dir.path().join("API.md").exists());
    assert!(!dir.path().join("src/cli.rs").exists());
    assert!(!dir.path().join("src/runtime/cli.rs").exists());
    let mut pending = vec![dir.path().join("src")];
    while let Some(folder) = pending.pop() {
        for path in fs::read_dir(&folder).expect("a folder").flatten().map(|entry| entry.path()) {
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let text = fs::read_to_string(&path).expect("a file");
            assert!(!text.contains("feature = "), "{}: the including crate has no features", path.display());
            // Nor does it declare the `docsrs` cfg: naming it would be an `unexpected_cfgs` warning.
            assert!(!text.contains("docsrs"), "{}: a cfg the including crate does not declare", path.display());
            assert!(!text.contains("#[cfg(test)]"), "{}: the runtime's own tests stay here", path.display());
        }
    }
}

#[test]
fn a_broken_spec_is_an_error_naming_its_pointer_and_the_last_source_stays() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let spec = dir.path().join("api.yaml");
    fs::copy(Path::new(EXAMPLE).join("openapi.yaml"), &spec).expect("the spec is copied");
    let out = dir.path().join("out");
    Build::new(&spec).generate_into(&out).expect("it generates");
    let before = fs::read_to_string(out.join("src/types.rs")).expect("types.rs");

    let text = fs::read_to_string(&spec).expect("the spec");
    fs::write(&spec, text.replace("required: [id, title, done]", "required: 7")).expect("the spec is broken");
    let error = Build::new(&spec).generate_into(&out).expect_err("a broken spec");
    assert!(error.contains("api.yaml: #/components/schemas/Todo/required: invalid type: integer `7`"), "{error}");
    assert_eq!(fs::read_to_string(out.join("src/types.rs")).expect("types.rs"), before);
}
