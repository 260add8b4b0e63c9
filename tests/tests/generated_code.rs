//! The generated code: checked in and fresh (`generated-client/` shows every change to the
//! product in its own diff), and every change to the fixtures' crates visible as a snapshot.

use integration_tests::fixture_crate_text;

/// Fails when generated-client/ is not what spec/ gives, so a plain `cargo test` catches a
/// forgotten regeneration.
#[test]
fn generated_client_is_fresh() {
    let job = xtask::codegen::project();
    let changes = job.plan().unwrap_or_else(|e| panic!("{e}")).changes;
    let stale: Vec<String> = changes.iter().map(|c| format!("  {} {}", c.verb(), c.path.display())).collect();
    assert!(
        stale.is_empty(),
        "generated-client/ is stale; run `cargo xtask codegen` and commit the result. Files that would change:\n{}",
        stale.join("\n")
    );
}

/// One snapshot per fixture spec in tests/fixtures/, one construct each.
#[test]
fn fixtures() {
    insta::glob!("../fixtures", "*.yaml", |path| {
        insta::assert_snapshot!(fixture_crate_text(path));
    });
}

/// A fixture of several files: a folder `tests/fixtures/<name>/` whose spec is `<name>.yaml`
/// (its `$ref`s name the other files, read from disk by the xtask's loader).
#[test]
fn multi_file_fixtures() {
    let specs = integration_tests::multi_file_fixtures();
    assert!(!specs.is_empty(), "no folder in tests/fixtures/ holds a spec named after it");
    for spec in specs {
        let name = spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        insta::assert_snapshot!(format!("multi_file_fixtures@{name}"), fixture_crate_text(&spec));
    }
}

/// docs/generated-code.md shows code generated from one of Auth0's 3.1 specs "as generated":
/// each block after an `<!-- excerpt of SPEC: FILE -->` line must appear verbatim in FILE of
/// the crate generated from `../shared/SPEC`.
#[test]
fn doc_excerpts_are_generated_code() {
    const DOC: &str = "docs/generated-code.md";
    let root = xtask::codegen::workspace_root();
    let text = std::fs::read_to_string(root.join(DOC)).expect(DOC);
    let mut checked = 0;
    for part in text.split("<!-- excerpt of ").skip(1) {
        let (source, rest) = part.split_once(" -->").expect("a closed excerpt comment");
        let (spec, file) = source.split_once(": ").expect("`SPEC: FILE`");
        let block = rest.split_once("```rust\n").and_then(|(_, code)| code.split_once("```")).map(|(code, _)| code);
        let block = block.expect("a ```rust block after the excerpt comment");
        let spec = integration_tests::shared_dir().join(spec);
        let out = std::env::temp_dir().join("doc-excerpt");
        let output = xtask::codegen::standalone(&spec, &out, None).generate().unwrap_or_else(|e| panic!("{e}"));
        let generated = output.files.get(file).unwrap_or_else(|| panic!("no {file} generated from {}", spec.display()));
        assert!(
            generated.contains(block),
            "this excerpt in {DOC} is not what {} gives in {file}; copy it again:\n{block}",
            spec.display()
        );
        checked += 1;
    }
    assert_eq!(checked, 3, "{DOC} should show three excerpts");
}
