//! Overlay semantics as tables: a document, an overlay's actions, and the document they
//! give or the error (its pointer in the overlay) they end in.

use serde_json::{json, Value};

use super::apply;
use crate::error::{Error, Warning};
use crate::Overlay;

const FILE: &str = "spec/api.overlay.yaml";

/// An overlay of `actions` (YAML flow text), applied to `document`.
fn run(document: &Value, actions: &str) -> Result<(Value, Vec<Warning>), Error> {
    let text = format!("overlay: 1.0.0\ninfo: {{title: Test, version: '1'}}\nactions: {actions}\n");
    run_text(document, &text)
}

fn run_text(document: &Value, text: &str) -> Result<(Value, Vec<Warning>), Error> {
    let mut document = document.clone();
    let warnings = apply(&mut document, Overlay { path: FILE, text })?;
    Ok((document, warnings))
}

#[test]
fn actions_change_the_document_as_the_specification_says() {
    let document = json!({
        "info": {"title": "API", "version": "1"},
        "tags": [{"name": "a"}],
        "paths": {
            "/a": {"get": {"responses": {"200": {"description": "OK"}, "400": {"description": "Bad"}}, "tags": ["x"]}},
            "/b": {"post": {"responses": {"400": {"description": "Bad"}}}}
        }
    });
    // What the actions do, where to look, and what is there after.
    let cases: &[(&str, &str, &str, Value)] = &[
        (
            "an update merges into an object, properties of the same name replaced",
            "[{target: $.info, update: {title: New, x-note: here}}]",
            "/info",
            json!({"title": "New", "version": "1", "x-note": "here"}),
        ),
        (
            "objects merge recursively: at the root, info keeps its title",
            "[{target: $, update: {info: {x-overlay-applied: yes}}}]",
            "/info",
            json!({"title": "API", "version": "1", "x-overlay-applied": "yes"}),
        ),
        (
            "into an array the update is one entry appended",
            "[{target: $.tags, update: {name: b}}]",
            "/tags",
            json!([{"name": "a"}, {"name": "b"}]),
        ),
        (
            "an array as the update is still one entry",
            "[{target: $.tags, update: [c]}]",
            "/tags",
            json!([{"name": "a"}, ["c"]]),
        ),
        (
            "an array in the update is concatenated to the array it meets",
            "[{target: \"$.paths['/a'].get\", update: {tags: [y, z]}}]",
            "/paths/~1a/get/tags",
            json!(["x", "y", "z"]),
        ),
        (
            "every node a wildcard and a list of names select is updated",
            "[{target: \"$.paths.*.*.responses['400','401']\", update: {x-error: true}}]",
            "/paths",
            json!({
                "/a": {"get": {"responses": {"200": {"description": "OK"}, "400": {"description": "Bad", "x-error": true}}, "tags": ["x"]}},
                "/b": {"post": {"responses": {"400": {"description": "Bad", "x-error": true}}}}
            }),
        ),
        (
            "remove takes the node out of its object",
            "[{target: \"$.paths['/b']\", remove: true}]",
            "/paths",
            json!({"/a": document["paths"]["/a"]}),
        ),
        (
            "with remove, update is ignored",
            "[{target: \"$.paths['/b']\", remove: true, update: {x: 1}}]",
            "/paths",
            json!({"/a": document["paths"]["/a"]}),
        ),
        (
            "actions run in order: removed, then made again",
            "[{target: \"$.paths['/a']\", remove: true}, {target: $.paths, update: {/a: {}}}]",
            "/paths",
            json!({"/b": document["paths"]["/b"], "/a": {}}),
        ),
        (
            "a node selected twice is changed once",
            "[{target: \"$['tags','tags']\", update: {name: c}}]",
            "/tags",
            json!([{"name": "a"}, {"name": "c"}]),
        ),
    ];
    for (what, actions, place, expected) in cases {
        let (result, warnings) = run(&document, actions).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(warnings.is_empty(), "{what}: {warnings:?}");
        assert_eq!(result.pointer(place), Some(expected), "{what}");
    }
}

#[test]
fn removals_in_one_array_do_not_shift_each_other() {
    let document = json!({"items": [{"n": 0}, {"n": 1, "drop": true}, {"n": 2}, {"n": 3, "drop": true}, {"n": 4}], "a": {"b": {"c": {}}}});
    let (result, _) = run(&document, "[{target: '$.items[?@.drop]', remove: true}]").expect("applies");
    assert_eq!(result["items"], json!([{"n": 0}, {"n": 2}, {"n": 4}]));
    // A node and one inside it, selected together.
    let (result, _) =
        run(&document, "[{target: '$..b', remove: true}, {target: '$..c', remove: true}]").expect("applies");
    assert_eq!(result["a"], json!({}));
    let (result, _) = run(&document, "[{target: '$.a..*', remove: true}]").expect("applies");
    assert_eq!(result["a"], json!({}));
    // The order of the object's other properties stays.
    let document = json!({"z": {}, "y": {}, "x": {}});
    let (result, _) = run(&document, "[{target: '$.z', remove: true}]").expect("applies");
    assert_eq!(
        result.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()),
        Some(vec!["y".to_owned(), "x".to_owned()])
    );
}

#[test]
fn a_target_that_selects_nothing_is_a_warning_naming_the_action() {
    let document = json!({"paths": {}});
    let (result, warnings) = run(
        &document,
        "[{target: $.paths, update: {x: 1}}, {target: \"$.paths['/gone'].get\", description: Fix the gone operation, update: {x: 1}}]",
    )
    .expect("applies");
    assert_eq!(result, json!({"paths": {"x": 1}}));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].pointer, "spec/api.overlay.yaml#/actions/1/target");
    assert!(warnings[0].message.contains("\"Fix the gone operation\""), "{}", warnings[0].message);
    assert!(warnings[0].message.contains("$.paths['/gone'].get"), "{}", warnings[0].message);
}

#[test]
fn errors_name_the_overlay_and_the_pointer_of_the_bad_value() {
    let document = json!({"info": {"title": "API"}, "tags": ["a"], "paths": {"/a": {"get": {"description": "x"}}}});
    let header = "info: {title: T, version: '1'}\nactions: [{target: $.info, update: {}}]\n";
    let cases: &[(&str, String, &str, &str)] = &[
        ("not YAML", "overlay: [".into(), "#", "not valid YAML"),
        ("not a mapping", "[1, 2]".into(), "#", "mapping"),
        ("no version", header.into(), "#/overlay", "missing `overlay`"),
        ("another version", format!("overlay: 1.1.0\n{header}"), "#/overlay", "1.1.0 is not supported"),
        ("a version that is not a string", format!("overlay: 1.0\n{header}"), "#/overlay", "must be a string"),
        ("an unknown field", format!("overlay: 1.0.0\nactoins: []\n{header}"), "#/actoins", "no field `actoins`"),
        ("no info", "overlay: 1.0.0\nactions: [{target: $, update: {}}]".into(), "#/info", "missing `info`"),
        (
            "info without version",
            "overlay: 1.0.0\ninfo: {title: T}\nactions: [{target: $, update: {}}]".into(),
            "#/info/version",
            "missing `version`",
        ),
        ("extends not a string", format!("overlay: 1.0.0\nextends: [a]\n{header}"), "#/extends", "must be a string"),
        ("no actions", "overlay: 1.0.0\ninfo: {title: T, version: '1'}\n".into(), "#/actions", "missing `actions`"),
        ("empty actions", "overlay: 1.0.0\ninfo: {title: T, version: '1'}\nactions: []".into(), "#/actions", "empty"),
    ];
    let mut checked = 0;
    for (what, text, pointer, message) in cases {
        let error = run_text(&document, text).expect_err(what);
        assert_eq!((error.file.as_str(), error.pointer.as_str()), (FILE, *pointer), "{what}: {error}");
        assert!(error.message.contains(message), "{what}: {error}");
        checked += 1;
    }
    let actions: &[(&str, &str, &str, &str)] = &[
        ("an action not a mapping", "[{target: $, update: {}}, 7]", "#/actions/1", "must be a mapping"),
        ("no target", "[{update: {}}]", "#/actions/0/target", "missing `target`"),
        (
            "a target not JSONPath",
            "[{target: $, update: {}}, {target: '$.paths[', update: {}}]",
            "#/actions/1/target",
            "is not a JSONPath query (RFC 9535)",
        ),
        ("a target without $", "[{target: paths, update: {}}]", "#/actions/0/target", "is not a JSONPath query"),
        ("a misspelt remove", "[{target: $.info, remvoe: true}]", "#/actions/0/remvoe", "no field `remvoe`"),
        ("remove not a boolean", "[{target: $.info, remove: 'yes'}]", "#/actions/0/remove", "`true` or `false`"),
        ("neither update nor remove", "[{target: $.info, remove: false}]", "#/actions/0", "changes nothing"),
        (
            "a description not a string",
            "[{target: $.info, description: [a], update: {}}]",
            "#/actions/0/description",
            "must be a string",
        ),
        (
            "an update not an object for an object",
            "[{target: $.info, update: text}]",
            "#/actions/0/update",
            "`$.info` selects `#/info`, an object",
        ),
        (
            "a target that selects a string",
            "[{target: $.info.title, update: New}]",
            "#/actions/0/target",
            "selects `#/info/title`, a string",
        ),
        ("removing a string", "[{target: '$.tags[0]', remove: true}]", "#/actions/0/target", "a string"),
        ("removing the whole document", "[{target: $, remove: true}]", "#/actions/0/target", "whole document"),
        (
            "an update whose type does not fit",
            "[{target: $.paths, update: {/a: {get: {description: [x]}}}}]",
            "#/actions/0/update/~1a/get/description",
            "gives `#/paths/~1a/get/description` an array where the spec has a string",
        ),
        (
            "an object onto an array",
            "[{target: $, update: {tags: {a: 1}}}]",
            "#/actions/0/update/tags",
            "an object where the spec has an array",
        ),
        (
            "filters nested too deep",
            &format!("[{{target: '$.a{}', update: {{}}}}]", "[?@".repeat(7)),
            "#/actions/0/target",
            "nests filters",
        ),
        (
            "parentheses nested too deep",
            &format!("[{{target: '$[?{}', update: {{}}}}]", "(".repeat(33)),
            "#/actions/0/target",
            "nests parentheses",
        ),
    ];
    for (what, actions, pointer, message) in actions {
        let error = run(&document, actions).expect_err(what);
        assert_eq!((error.file.as_str(), error.pointer.as_str()), (FILE, *pointer), "{what}: {error}");
        assert!(error.message.contains(message), "{what}: {error}");
        checked += 1;
    }
    assert_eq!(checked, 27);
}

#[test]
fn extensions_and_extends_are_accepted_and_json_too() {
    let text = r#"{"overlay": "1.0.3", "x-tool": 1, "extends": "auth0.json",
        "info": {"title": "T", "version": "1", "x-by": "us"},
        "actions": [{"target": "$", "x-why": "test", "update": {"x-done": true}}]}"#;
    let (result, warnings) = run_text(&json!({}), text).expect("applies");
    assert_eq!(result, json!({"x-done": true}));
    assert!(warnings.is_empty());
}

#[test]
fn through_the_parse_stage_the_overlay_changes_what_is_generated() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200': {description: OK}\n";
    let overlay = "overlay: 1.0.0\ninfo: {title: T, version: '1'}\nactions:\n  - target: $.paths['/a'].get\n    update: {operationId: fetchA}\n";
    let overlays = [Overlay { path: FILE, text: overlay }];
    let (document, _, _) =
        crate::parse::parse(crate::Spec::new("spec/api.yaml", spec).with_overlays(&overlays)).expect("parses");
    let operation = document.paths.paths.get("/a").and_then(|item| item.as_item()).and_then(|item| item.get.as_ref());
    assert_eq!(operation.and_then(|op| op.operation_id.as_deref()), Some("fetchA"));

    // An error in the overlay names the overlay, not the spec.
    let broken = [Overlay { path: FILE, text: "overlay: 2.0.0\n" }];
    let error =
        crate::parse::parse(crate::Spec::new("spec/api.yaml", spec).with_overlays(&broken)).expect_err("bad version");
    assert_eq!((error.file.as_str(), error.pointer.as_str()), (FILE, "#/overlay"));
}

#[test]
fn the_deepest_target_allowed_is_read_quickly_on_a_small_stack() {
    let (brackets, parentheses) = (super::MAX_BRACKET_NESTING, super::MAX_PARENTHESIS_NESTING);
    let targets = [
        format!("${}{}", "[?@".repeat(brackets), "]".repeat(brackets)),
        format!("$[?{}@.a{}]", "(".repeat(parentheses), ")".repeat(parentheses)),
        format!("$[?{}@.a == 1{}]", "!(".repeat(parentheses), ")".repeat(parentheses)),
        format!("$[?{}@.a{}]", "length(".repeat(parentheses), ")".repeat(parentheses)),
    ];
    for target in targets {
        let actions = format!("[{{target: '{target}', update: {{}}}}]");
        let started = std::time::Instant::now();
        // Half the 2 MiB thread stack of a test, in a debug build.
        let outcome = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || run(&json!({"a": {"b": [1]}}), &actions).map(|_| ()).map_err(|e| e.to_string()))
            .expect("a thread")
            .join();
        assert!(outcome.is_ok(), "{target} overflowed the stack");
        assert!(started.elapsed() < std::time::Duration::from_millis(500), "{target} took {:?}", started.elapsed());
    }
}
