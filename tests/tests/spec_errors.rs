//! A broken spec gives an error naming the file and the JSON pointer of the problem, and
//! never a panic.

use generator::{Config, Spec};

fn config() -> Config {
    Config {
        crate_name: "broken".into(),
        crate_version: "0.1.0".into(),
        command: "cargo xtask codegen".into(),
        telemetry_header: None,
        cli_binary: None,
        cli_env_prefix: None,
    }
}

fn generate(text: &str) -> Result<generator::Output, generator::Error> {
    generator::generate(Spec { path: "spec/broken.yaml", text }, &config())
}

/// Each case: what is wrong, the spec, the expected pointer, and words the message must contain.
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "request body $ref to nothing",
        r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /guardian/enrollments/ticket:
    post:
      requestBody: {$ref: "#/components/requestBodies/Missing"}
      responses: {"200": {description: ok}}
"##,
        "#/paths/~1guardian~1enrollments~1ticket/post/requestBody",
        "does not exist",
    ),
    (
        "schema $ref to nothing",
        r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Nope"}
      responses: {"200": {description: ok}}
"##,
        "#/paths/~1a/post/requestBody/content/application~1json/schema",
        "`#/components/schemas/Nope`, which does not exist",
    ),
    (
        "reference to another file",
        r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    A: {type: object, properties: {b: {$ref: "other.yaml#/B"}}}
"##,
        "#/components/schemas/A/properties/b",
        "only references within the document",
    ),
    (
        "unknown schema type",
        r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    S: {type: strnig}
"##,
        "#/components/schemas/S/type",
        "unknown type `strnig`",
    ),
    (
        "value of the wrong type",
        r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      parameters: [{name: q, in: query, schema: {type: string, maxLength: many}}]
      responses: {"200": {description: ok}}
"##,
        "#/paths/~1a/get/parameters/0/schema",
        "invalid type",
    ),
    (
        "unclosed brace in a path",
        r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a/{id:
    get:
      responses: {"200": {description: ok}}
"##,
        "#/paths/~1a~1{id/get",
        "unclosed",
    ),
    ("Swagger 2.0", "swagger: '2.0'\ninfo: {title: t, version: '1'}\n", "#/swagger", "swagger2openapi"),
    ("not YAML", "openapi: [3.0.3\n", "#", "not valid YAML"),
    ("not JSON", "{\"openapi\": \"3.0.3\",", "#", "not valid JSON"),
    ("not a mapping", "- 1\n- 2\n", "#", "mapping"),
];

#[test]
fn broken_specs_name_file_and_pointer() {
    for (what, text, pointer, words) in CASES {
        let error = match generate(text) {
            Ok(_) => panic!("{what}: generated without an error"),
            Err(error) => error,
        };
        assert_eq!(error.file, "spec/broken.yaml", "{what}");
        assert_eq!(error.pointer, *pointer, "{what}: {error}");
        assert!(error.message.contains(words), "{what}: {:?} does not contain {words:?}", error.message);
        assert!(error.to_string().starts_with(&format!("spec/broken.yaml: {pointer}: ")), "{what}: {error}");
    }
}

#[test]
fn unsupported_schemas_become_json_values_with_a_warning() {
    let text = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    NotAString:
      not: {type: string}
"##;
    let output = generate(text).expect("generates");
    assert_eq!(output.warnings.len(), 1, "{:?}", output.warnings);
    assert_eq!(output.warnings[0].pointer, "#/components/schemas/NotAString");
    assert!(output.warnings[0].message.contains("`not` is not supported yet"));

    let multipart = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a/{id}:
    post:
      requestBody:
        content:
          multipart/form-data:
            schema: {type: object}
      responses: {"200": {description: ok}}
"##;
    let output = generate(multipart).expect("generates");
    let pointers: Vec<(&str, &str)> =
        output.warnings.iter().map(|w| (w.pointer.as_str(), w.message.as_str())).collect();
    assert!(
        pointers.iter().any(
            |(p, m)| *p == "#/paths/~1a~1{id}/post/requestBody/content/multipart~1form-data" && m.contains("bytes")
        ),
        "{pointers:?}"
    );
    // `{id}` is used but not declared: a required string parameter, with a warning.
    assert!(pointers.iter().any(|(p, m)| *p == "#/paths/~1a~1{id}/post" && m.contains("`{id}`")), "{pointers:?}");
    assert!(output.files["src/api/mod.rs"].contains("id: impl Into<String>"));

    // Declared, but not in the path (Auth0's `/wsfed/{clientId}` declares `client-id`).
    let unused = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n";
    let output = generate(unused).expect("generates");
    assert_eq!(output.warnings.len(), 1, "{:?}", output.warnings);
    assert!(output.warnings[0].message.contains("`id` does not appear in the path"), "{:?}", output.warnings);
}

/// Auth0 publishes its APIs in OpenAPI 3.1: the parse stage reads them (their constructs
/// that the generator does not support yet are errors with a pointer, not panics).
#[test]
fn auth0_openapi_3_1_documents_are_read() {
    let dir = integration_tests::shared_dir().join("specs-3.1");
    for name in ["auth0-myaccount-api.json", "auth0-myorganization-api.json", "auth0-authentication-api.json"] {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        match generator::generate(Spec { path: name, text: &text }, &config()) {
            Ok(output) => assert!(output.files.contains_key("src/types.rs"), "{name}"),
            Err(error) => {
                // Reading succeeded: the error comes from a construct, found at its pointer.
                assert!(
                    error.pointer.starts_with("#/paths/") || error.pointer.starts_with("#/components/"),
                    "{name}: {error}"
                );
                assert!(error.message.contains("not supported yet"), "{name}: {error}");
            }
        }
    }
}
