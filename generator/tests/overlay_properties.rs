//! Property tests of overlays (`generator::Spec::with_overlays`): whatever an overlay says,
//! applying it gives the document or an error naming the overlay's file and a JSON pointer
//! in it, never a panic, a stack overflow or a run that does not end.
//!
//! - [`any_overlay_text_is_ok_or_err`]: arbitrary text, and overlay-ish YAML.
//! - [`any_actions_are_ok_or_err`]: well-formed overlays whose actions have random targets
//!   (valid JSONPath and near misses, made of JSONPath's tokens), random updates (any JSON
//!   value) and random `remove`s, applied to a small spec.
//!
//! `PROPTEST_CASES` sets the number of cases (default 256 each).

use std::time::{Duration, Instant};

use generator::{Overlay, Spec};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Value};

const SPEC: &str = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
  "tags": [{"name": "a"}, {"name": "b"}],
  "paths": {"/a/{id}": {"get": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
    "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}},
                  "404": {"description": "Gone"}}}}},
  "components": {"schemas": {"A": {"type": "object", "properties": {"n": {"type": ["integer", "null"]}, "list": {"type": "array", "items": {"type": "string"}}}}}}}"##;

const OVERLAY_PATH: &str = "spec/api.overlay.yaml";

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(256)
}

/// Applies `overlay` to [`SPEC`] and generates from the result; an error must be about the
/// overlay (its file and a pointer in it) or about the spec the overlay made.
fn check(overlay: &str) -> Result<(), TestCaseError> {
    let started = Instant::now();
    let overlays = [Overlay { path: OVERLAY_PATH, text: overlay }];
    let spec = Spec::new("spec/api.json", SPEC).with_overlays(&overlays);
    match generator::overlaid_document(spec) {
        Err(error) => {
            prop_assert!(error.pointer.starts_with('#'), "not a JSON pointer: {error}");
            prop_assert_eq!(error.file.as_str(), OVERLAY_PATH, "{}", error);
        }
        Ok((_, warnings)) => {
            for warning in warnings {
                prop_assert!(warning.pointer.starts_with(&format!("{OVERLAY_PATH}#/actions/")), "{}", warning);
            }
            // What the overlay made is a spec like any other: Ok, or an error about the spec.
            let config = generator::Config { command: "test".into(), ..generator::Config::new("overlaid") };
            if let Err(error) = generator::model(spec) {
                prop_assert!(error.kind != generator::ErrorKind::Internal, "generator bug: {error}");
            } else {
                let _ = generator::generate(spec, &config);
            }
        }
    }
    prop_assert!(started.elapsed() < Duration::from_secs(5), "took {:?}:\n{overlay}", started.elapsed());
    Ok(())
}

/// Pieces of JSONPath queries: names, selectors, filters, functions, and stray characters.
const TARGET_TOKENS: &[&str] = &[
    "$",
    ".",
    "..",
    "*",
    "[",
    "]",
    "[*]",
    "['paths']",
    "paths",
    "tags",
    "components",
    "schemas",
    "A",
    "responses",
    "['/a/{id}']",
    "get",
    "['200','404']",
    "[0]",
    "[-1]",
    "[1:]",
    "[::-1]",
    "[?",
    "@",
    "@.name",
    "@.n",
    "==",
    "!=",
    "<",
    "'a'",
    "1",
    "&&",
    "||",
    "!",
    "(",
    ")",
    "length(",
    "count(",
    "match(",
    "search(",
    "value(",
    ",",
    "'.*'",
    "true",
    "null",
    " ",
    "\\",
    "\"",
    "'",
    "~",
    "$ref",
];

/// Targets that select something in [`SPEC`] (or, a few, nothing).
const VALID_TARGETS: &[&str] = &[
    "$",
    "$.info",
    "$.paths.*.*.responses['404','500']",
    "$.paths.*.*",
    "$.paths.*.*.parameters",
    "$.paths.*.*.parameters[?@.in == 'path']",
    "$.tags",
    "$.tags[?@.name == 'a']",
    "$.tags[-1]",
    "$..properties",
    "$..properties.*",
    "$..*",
    "$.components.schemas.A",
    "$.components.schemas[?length(@.properties) > 1]",
    "$.paths['/gone']",
];

fn target() -> BoxedStrategy<String> {
    prop_oneof![
        6 => select(VALID_TARGETS).prop_map(str::to_owned),
        1 => vec(select(TARGET_TOKENS), 1..12).prop_map(|tokens| tokens.concat()),
        1 => vec(select(TARGET_TOKENS), 1..12).prop_map(|tokens| format!("$.{}", tokens.concat())),
        1 => "\\PC{0,20}",
    ]
    .boxed()
}

/// Any JSON value, small.
fn json_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        select(&["paths", "tags", "type", "n", "A", "/a/{id}", "get", "x-a", "$ref"][..]).prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        let key = select(&["paths", "tags", "type", "n", "A", "info", "properties", "items", "x-a", "$ref", "get"][..]);
        prop_oneof![
            vec(inner.clone(), 0..3).prop_map(Value::Array),
            vec((key, inner), 0..4)
                .prop_map(|entries| Value::Object(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
    .boxed()
}

fn action() -> BoxedStrategy<Value> {
    let update = prop_oneof![
        3 => vec((select(&["x-a", "description", "n", "items", "tags", "type", "nullable"][..]), json_value()), 0..3)
            .prop_map(|entries| Some(Value::Object(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))),
        1 => json_value().prop_map(Some),
        1 => Just(None),
    ];
    let remove = prop_oneof![4 => Just(None), 1 => Just(Some(true)), 1 => Just(Some(false))];
    (target(), update, remove, prop::option::of("[a-z ]{0,10}"))
        .prop_map(|(target, update, remove, description)| {
            let mut action = json!({"target": target});
            if let Some(update) = update {
                action["update"] = update;
            }
            if let Some(remove) = remove {
                action["remove"] = Value::Bool(remove);
            }
            if let Some(description) = description {
                action["description"] = Value::String(description);
            }
            action
        })
        .boxed()
}

fn overlay_text() -> impl Strategy<Value = String> {
    vec(action(), 1..4).prop_map(|actions| {
        json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions}).to_string()
    })
}

fn any_text() -> impl Strategy<Value = String> {
    let prefix = select(&["", "overlay: 1.0.0\n", "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n"][..]);
    prop_oneof![
        any::<String>(),
        (prefix, "[ \\n\\t{}\\[\\]:,\"'#&*!|>%@`a-z0-9$/~.?=()-]{0,200}").prop_map(|(p, rest)| format!("{p}{rest}")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn any_overlay_text_is_ok_or_err(text in any_text()) {
        check(&text)?;
    }

    #[test]
    fn any_actions_are_ok_or_err(text in overlay_text()) {
        check(&text)?;
    }
}

/// The action strategy must often make overlays that apply, or the properties above would
/// mostly test the checks: a fixed sample, at least a sixth applied with a change (the rest end in the errors
/// the properties are also about).
#[test]
fn many_generated_overlays_apply() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
    let original: Value = serde_json::from_str(SPEC).expect("the spec is JSON");
    let mut runner =
        TestRunner::new_with_rng(ProptestConfig::default(), TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let strategy = overlay_text();
    let (mut changed, total) = (0, 200);
    for _ in 0..total {
        let text = strategy.new_tree(&mut runner).expect("a case").current();
        let overlays = [Overlay { path: OVERLAY_PATH, text: &text }];
        if let Ok((document, _)) =
            generator::overlaid_document(Spec::new("spec/api.json", SPEC).with_overlays(&overlays))
        {
            changed += usize::from(document != original);
        }
    }
    assert!(changed * 6 >= total, "only {changed} of {total} overlays applied with a change");
}
