//! Overlays (OpenAPI Overlay 1.0) as `cargo xtask codegen` applies them: the one beside a
//! spec (`<stem>.overlay.yaml`) is applied by convention, and what it corrects shows in the
//! generated code.
//!
//! - A fixture (`tests/fixtures/overlays/errors.yaml`) whose error answers have no body,
//!   and its overlay, which gives them one: the operations' error type becomes that schema.
//! - The vendored Auth0 description (`spec/auth0/`): with its overlay, every error answer of
//!   every operation has the body every Auth0 error has, and every operation's error type in
//!   the model is `ErrorResponse`. It generates with no warning, and the fields its other
//!   corrections give a type (`credentials`, `connection`, `strategy`) have the type they say.

use std::path::{Path, PathBuf};

use generator::model::{Model, Struct, TypeKind, TypeRef};
use generator::{Overlay, Spec};
use serde_json::{json, Value};
use xtask::codegen::{overlays_beside, workspace_root};

fn fixture() -> PathBuf {
    workspace_root().join("tests/fixtures/overlays/errors.yaml")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The name of a type: its Rust name for a type of the model, else its variant (`Json` for
/// `serde_json::Value`).
fn type_name(model: &Model, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => model.type_def(*id).name.clone(),
        other => format!("{other:?}"),
    }
}

/// Each operation's method name and the name of its error type in `spec`.
fn error_types(spec: Spec<'_>) -> Vec<(String, String)> {
    let (model, warnings) = generator::model(spec).unwrap_or_else(|e| panic!("{e}"));
    assert!(warnings.is_empty(), "{warnings:?}");
    let operations = model.groups.iter().flat_map(|group| &group.operations);
    operations.map(|op| (op.method_name.clone(), type_name(&model, &op.error_type))).collect()
}

#[test]
fn an_overlay_that_gives_error_answers_a_body_makes_it_the_error_type() {
    let spec = fixture();
    let overlay = spec.with_file_name("errors.overlay.yaml");
    assert_eq!(
        overlays_beside(&spec),
        std::slice::from_ref(&overlay),
        "the overlay beside the spec is found by its name"
    );
    let (spec_text, overlay_text) = (read(&spec), read(&overlay));

    let without = error_types(Spec::new("errors.yaml", &spec_text));
    assert!(without.iter().all(|(_, ty)| ty == "Json"), "{without:?}");

    let overlays = [Overlay { path: "errors.overlay.yaml", text: &overlay_text }];
    let with = error_types(Spec::new("errors.yaml", &spec_text).with_overlays(&overlays));
    let api_error = "ApiError".to_owned();
    assert_eq!(with, [("get_item".to_owned(), api_error.clone()), ("delete_item".to_owned(), api_error)]);

    // `cargo xtask codegen --spec` applies it by itself, and the code says so.
    let output =
        xtask::codegen::standalone(&spec, Path::new("unused"), None).generate().unwrap_or_else(|e| panic!("{e}"));
    let code: String =
        output.files.iter().filter(|(path, _)| path.starts_with("src/api/")).map(|(_, text)| text.as_str()).collect();
    assert_eq!(code.matches("crate::Error<types::ApiError>").count(), 2, "{code}");
}

#[test]
fn an_overlay_error_names_the_overlay_file_and_action() {
    let spec_text = read(&fixture());
    let overlay = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - {target: $.paths, update: {}}\n  - {target: '$.paths[', update: {}}\n";
    let overlays = [Overlay { path: "spec/errors.overlay.yaml", text: overlay }];
    let error =
        generator::model(Spec::new("spec/errors.yaml", &spec_text).with_overlays(&overlays)).expect_err("a bad target");
    assert!(
        error
            .to_string()
            .starts_with("spec/errors.overlay.yaml: #/actions/1/target: `$.paths[` is not a JSONPath query"),
        "{error}"
    );
}

/// The error statuses of an operation's responses, each with the response it leads to
/// (through a `$ref` to `components/responses`).
fn error_responses<'d>(document: &'d Value, operation: &'d Value) -> Vec<(&'d str, &'d Value)> {
    let responses = operation["responses"].as_object().expect("responses");
    let error = |status: &&String| status.starts_with('4') || status.starts_with('5');
    responses
        .iter()
        .filter(|(status, _)| error(status))
        .map(|(status, response)| {
            let target = response.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#'));
            (status.as_str(), target.and_then(|pointer| document.pointer(pointer)).unwrap_or(response))
        })
        .collect()
}

#[test]
fn the_vendored_auth0_description_with_its_overlay_gives_every_error_answer_one_body() {
    let spec = workspace_root().join("spec/auth0/management-api.json");
    let overlay = spec.with_file_name("management-api.overlay.yaml");
    assert_eq!(overlays_beside(&spec), std::slice::from_ref(&overlay));
    let (spec_text, overlay_text) = (read(&spec), read(&overlay));
    let overlays = [Overlay { path: "spec/auth0/management-api.overlay.yaml", text: &overlay_text }];
    let (document, warnings) =
        generator::overlaid_document(Spec::new("spec/auth0/management-api.json", &spec_text).with_overlays(&overlays))
            .unwrap_or_else(|e| panic!("{e}"));
    assert!(warnings.is_empty(), "every correction still applies: {warnings:?}");
    let original: Value = serde_json::from_str(&spec_text).expect("JSON");

    // The schema is the seed fragment's, under the same name.
    let fragment_text = read(&workspace_root().join(integration_tests::SEED_SPEC));
    let fragment =
        generator::overlaid_document(Spec::new("fragment.yaml", &fragment_text)).expect("the fragment reads").0;
    let schema = |doc: &Value| doc.pointer("/components/schemas/ErrorResponse").cloned();
    assert!(schema(&original).is_none());
    assert_eq!(schema(&document), schema(&fragment));

    let body = json!({"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}});
    let (mut operations, mut answers) = (0, 0);
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            operations += 1;
            for (status, response) in error_responses(&document, operation) {
                answers += 1;
                assert_eq!(response.get("content"), Some(&body), "{method} {path} {status}");
                assert!(response["description"].is_string(), "{method} {path} {status} keeps its description");
            }
            // Every request body is required; nothing else of the operation changed.
            let mut unchanged = operation.clone();
            let before = &original["paths"][path][method];
            if let Some(body) = unchanged.get_mut("requestBody").and_then(Value::as_object_mut) {
                assert_eq!(body.remove("required"), Some(Value::Bool(true)), "{method} {path}");
            }
            for (status, response) in unchanged["responses"].as_object_mut().expect("responses") {
                if response.get("$ref").is_none() && (status.starts_with('4') || status.starts_with('5')) {
                    response.as_object_mut().expect("a response").remove("content");
                }
            }
            assert_eq!(&unchanged, before, "{method} {path}");
        }
    }
    assert_eq!(operations, 452);
    // 369 answers of 400, 438 of 401, 443 of 403, 402 of 429 ...: every one the description has.
    assert_eq!(answers, 1985);
}

#[test]
fn every_operation_of_the_vendored_auth0_description_decodes_its_errors_into_error_response() {
    let spec = workspace_root().join("spec/auth0/management-api.json");
    let overlay_text = read(&spec.with_file_name("management-api.overlay.yaml"));
    let spec_text = read(&spec);
    let overlays = [Overlay { path: "spec/auth0/management-api.overlay.yaml", text: &overlay_text }];
    let (model, _) = generator::model(Spec::new("spec/auth0/management-api.json", &spec_text).with_overlays(&overlays))
        .unwrap_or_else(|e| panic!("{e}"));
    let operations: Vec<_> = model.groups.iter().flat_map(|group| &group.operations).collect();
    assert_eq!(operations.len(), 452);
    let others: Vec<_> = operations
        .iter()
        .filter(|op| type_name(&model, &op.error_type) != "ErrorResponse")
        .map(|op| &op.operation_id)
        .collect();
    assert!(others.is_empty(), "operations whose errors are not ErrorResponse: {others:?}");
}

/// A field's type (as [`type_name`] names it) and whether the field is required.
type TypeAndRequired = (&'static str, bool);

/// Fields the overlay gives a type: struct, field (wire name), and its type and whether it is
/// required (`None`: the struct has no such field). Before it, each of these was a required
/// `serde_json::Value` (or, for `credentials`, a field no answer can have).
const CORRECTED_FIELDS: &[(&str, &str, Option<TypeAndRequired>)] = &[
    // The masked phone provider does not return its credentials.
    ("PhoneProviderSchemaMasked", "credentials", None),
    ("PhoneProviderSchemaMasked", "name", Some(("PhoneProviderNameEnum", true))),
    ("CreateBrandingPhoneProviderResponseContent", "credentials", None),
    ("GetBrandingPhoneProviderResponseContent", "credentials", None),
    ("UpdateBrandingPhoneProviderResponseContent", "credentials", None),
    ("UpdateBrandingPhoneProviderResponseContent", "name", Some(("PhoneProviderNameEnum", true))),
    // A request still sends them.
    ("CreateBrandingPhoneProviderRequestContent", "credentials", Some(("PhoneProviderCredentials", true))),
    // The connection's name, beside its id.
    ("CreateImportUsersResponseContent", "connection", Some(("String", true))),
    ("CreateExportUsersResponseContent", "connection", Some(("String", true))),
    ("CreateExportUsersResponseContent", "connection_id", Some(("String", false))),
    // The strategies of the 55 schemas that include it; they keep their own constant.
    ("ConnectionResponseCommon", "strategy", Some(("ConnectionIdentityProviderEnum", true))),
    ("ConnectionResponseContentAd", "strategy", Some(("ConnectionResponseContentAdStrategy", true))),
    ("ConnectionResponseContentAzureAd", "strategy", Some(("ConnectionResponseContentAzureAdStrategy", true))),
    // Only its `pattern` went (see the document's check below).
    ("GetGuardianEnrollmentResponseContent", "name", Some(("String", false))),
];

/// What the overlay takes out of values the model does not keep: a value of Auth0's
/// description, and the property (of an object) or item (of an array) that is gone from it.
const CORRECTED_VALUES: &[(&str, &str)] = &[
    ("/components/schemas/GetGuardianEnrollmentResponseContent/properties/name", "pattern"),
    ("/components/schemas/PhoneProviderSchemaMasked/required", "credentials"),
    ("/components/schemas/CreateBrandingPhoneProviderResponseContent/required", "credentials"),
    ("/components/schemas/GetBrandingPhoneProviderResponseContent/required", "credentials"),
    ("/components/schemas/UpdateBrandingPhoneProviderResponseContent/required", "credentials"),
];

/// `value` without the property or array item `gone`.
fn without(value: &Value, gone: &str) -> Value {
    match value {
        Value::Object(object) => {
            Value::Object(object.iter().filter(|(key, _)| *key != gone).map(|(k, v)| (k.clone(), v.clone())).collect())
        }
        Value::Array(items) => Value::Array(items.iter().filter(|item| item.as_str() != Some(gone)).cloned().collect()),
        other => other.clone(),
    }
}

#[test]
fn the_vendored_auth0_description_with_its_overlay_generates_with_no_warning_and_the_corrected_types() {
    let spec = workspace_root().join("spec/auth0/management-api.json");
    let overlay_text = read(&spec.with_file_name("management-api.overlay.yaml"));
    let spec_text = read(&spec);
    let overlays = [Overlay { path: "spec/auth0/management-api.overlay.yaml", text: &overlay_text }];
    let spec = Spec::new("spec/auth0/management-api.json", &spec_text).with_overlays(&overlays);

    let (model, warnings) = generator::model(spec).unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
    for &(struct_name, wire, expected) in CORRECTED_FIELDS {
        let def = model.types.iter().find(|def| def.name == struct_name);
        let Some(TypeKind::Struct(Struct { fields })) = def.map(|def| &def.kind) else {
            panic!("no struct `{struct_name}`")
        };
        let field = fields.iter().find(|field| field.wire_name == wire);
        let found = field.map(|field| (type_name(&model, &field.ty), field.required));
        assert_eq!(
            found.as_ref().map(|(ty, required)| (ty.as_str(), *required)),
            expected,
            "{struct_name}.{wire}: (type, required)"
        );
    }

    let (document, _) = generator::overlaid_document(spec).unwrap_or_else(|e| panic!("{e}"));
    let original: Value = serde_json::from_str(&spec_text).expect("JSON");
    for &(pointer, gone) in CORRECTED_VALUES {
        let before = original.pointer(pointer).unwrap_or_else(|| panic!("Auth0's description has {pointer}"));
        assert_ne!(&without(before, gone), before, "{pointer} has `{gone}` in Auth0's description");
        assert_eq!(document.pointer(pointer), Some(&without(before, gone)), "{pointer}");
    }
}
