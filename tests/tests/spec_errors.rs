//! A broken spec gives an error naming the file and the JSON pointer of the problem, and
//! never a panic.

use generator::{Config, Spec};

fn config() -> Config {
    Config { command: "cargo xtask codegen".into(), ..Config::new("broken") }
}

fn generate(text: &str) -> Result<generator::Output, generator::Error> {
    generator::generate(Spec::new("spec/broken.yaml", text), &config())
}

/// Each case: what is wrong, the spec, the expected pointer, and words the message must contain.
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "a keyword of the wrong type in a schema a $ref reaches inside another (parse moves it)",
        r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Item:
      type: object
      properties: {kind: {$ref: "#/components/schemas/Item/definitions/itemType"}}
      definitions:
        itemType: {type: {enum: [a, b]}}
"##,
        // Not `#/components/schemas/itemType`, the component parse made of it.
        "#/components/schemas/Item/definitions/itemType/type",
        "invalid type: map, expected a string",
    ),
    (
        "the same in 3.1, where parse moves `definitions` as it moves `$defs` (Codat's accounting API)",
        r##"
openapi: 3.1.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Item:
      type: object
      properties: {kind: {$ref: "#/components/schemas/Item/definitions/itemType"}}
      definitions:
        itemType: {type: {enum: [a, b]}}
"##,
        "#/components/schemas/Item/definitions/itemType/type",
        "invalid type: map, expected a string",
    ),
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
        "a schema $ref to a parameter (Enode's API), where the parameter's schema was meant",
        r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /vehicles:
    get:
      parameters: [{name: field, in: query, schema: {type: array, items: {$ref: "#/paths/~1vehicles~1%7Bid%7D/get/parameters/1"}}}]
      responses: {"204": {description: ok}}
  /vehicles/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: field, in: query, schema: {type: string, enum: [location, odometer]}}
      responses: {"204": {description: ok}}
"##,
        "#/paths/~1vehicles/get/parameters/0/schema/items",
        "a parameter, where a reference to a schema belongs (its schema is `#/paths/~1vehicles~1{id}/get/parameters/1/schema`)",
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
        "no way to read files",
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
        "#/paths/~1a/get/parameters/0/schema/maxLength",
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

/// References to other files, read through a loader that serves `files` (path relative to
/// the spec's folder, text): errors name the file the `$ref` is written in and its pointer.
#[test]
fn broken_references_to_other_files_name_file_and_pointer() {
    const SPEC: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: 'other.yaml#/B'}\n";
    /// Other files: path relative to the spec's folder, text.
    type Files = &'static [(&'static str, &'static str)];
    // (what, files, expected file, expected pointer, words of the message)
    let cases: &[(&str, Files, &str, &str, &str)] = &[
        (
            "missing file",
            &[],
            "spec/broken.yaml",
            "#/components/schemas/A/properties/b",
            "cannot read spec/other.yaml: no such file",
        ),
        (
            "pointer to nothing",
            &[("other.yaml", "C: {type: string}\n")],
            "spec/broken.yaml",
            "#/components/schemas/A/properties/b",
            "spec/other.yaml has nothing at `#/B`",
        ),
        (
            "missing file, named from a nested file",
            &[("other.yaml", "B:\n  type: object\n  properties:\n    c: {$ref: 'deeper/gone.yaml'}\n")],
            "spec/other.yaml",
            "#/B/properties/c",
            "cannot read spec/deeper/gone.yaml",
        ),
        ("other file not YAML", &[("other.yaml", "B: [unclosed\n")], "spec/other.yaml", "#", "not valid YAML"),
        (
            "cycle of references",
            &[("other.yaml", "B: {$ref: 'third.yaml#/C'}\n"), ("third.yaml", "C: {$ref: 'other.yaml#/B'}\n")],
            "spec/third.yaml",
            "#/C",
            "cycle of references that never reaches a schema: other.yaml#/B → third.yaml#/C → other.yaml#/B",
        ),
        (
            "a URL",
            &[("other.yaml", "B: {$ref: 'https://example.com/x.yaml'}\n")],
            "spec/other.yaml",
            "#/B",
            "only relative paths",
        ),
    ];
    for (what, files, file, pointer, words) in cases {
        let loader = |path: &str| {
            files
                .iter()
                .find(|(name, _)| *name == path)
                .map(|(_, text)| text.to_string())
                .ok_or_else(|| "no such file".to_owned())
        };
        let result = generator::generate(Spec::new("spec/broken.yaml", SPEC).with_loader(&loader), &config());
        let error = match result {
            Ok(_) => panic!("{what}: generated without an error"),
            Err(error) => error,
        };
        assert_eq!((error.file.as_str(), error.pointer.as_str()), (*file, *pointer), "{what}: {error}");
        assert!(error.message.contains(words), "{what}: {:?} does not contain {words:?}", error.message);
    }

    // Parameters are copied in place: a cycle of them is an error too, not a hang.
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{$ref: 'p.yaml#/P'}]\n      responses: {'204': {description: ok}}\n";
    let loader = |_: &str| Ok::<_, String>("P: {$ref: '#/Q'}\nQ: {$ref: '#/P'}\n".to_owned());
    let error = generator::generate(Spec::new("spec/broken.yaml", spec).with_loader(&loader), &config())
        .expect_err("a cycle of parameters");
    assert_eq!((error.file.as_str(), error.pointer.as_str()), ("spec/p.yaml", "#/Q"), "{error}");
    assert!(error.message.contains("cycle of references: p.yaml#/P → p.yaml#/Q → p.yaml#/P"), "{error}");
}

/// A reference to another file, with or without a fragment, and nested ones relative to the
/// file they are written in: bundled as components, so the crate has their types.
#[test]
fn references_to_other_files_are_bundled() {
    // `Toy` is listed as most multi-file specs list their schemas: the component is that file.
    let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        pet: {$ref: 'models/pet.json'}\n        size: {$ref: 'models/pet.json#/$defs/Size'}\n        toy: {$ref: 'models/toy.yaml'}\n    Toy: {$ref: 'models/toy.yaml'}\n    Plaything: {$ref: 'models/toy.yaml'}\n";
    let files = [
        (
            "models/pet.json",
            r##"{"type": "object", "properties": {"size": {"$ref": "#/$defs/Size"}, "owner": {"$ref": "../people.yaml#/Person"}}, "$defs": {"Size": {"type": "string", "enum": ["s", "m"]}}}"##,
        ),
        ("people.yaml", "Person: {type: object, properties: {name: {type: string}}}\n"),
        ("models/toy.yaml", "type: object\nproperties: {squeaks: {type: boolean}}\n"),
    ];
    let asked = std::sync::Mutex::new(Vec::new());
    let loader = |path: &str| {
        asked.lock().unwrap().push(path.to_owned());
        files
            .iter()
            .find(|(name, _)| *name == path)
            .map(|(_, text)| text.to_string())
            .ok_or_else(|| "no such file".to_owned())
    };
    let output =
        generator::generate(Spec::new("spec/api.yaml", spec).with_loader(&loader), &config()).expect("generates");
    let types = &output.files["src/types.rs"];
    for expected in [
        "pub struct A {",
        "pub pet: Option<Pet>,",
        "pub size: Option<Size>,",
        "pub struct Pet {",
        "pub owner: Option<Person>,",
        "pub enum Size {",
        "pub struct Person {",
        "pub toy: Option<Toy>,",
        "pub struct Toy {",
    ] {
        assert!(types.contains(expected), "{expected} is missing:\n{types}");
    }
    // One type for the listed file, under the component's name; a second name is an alias.
    assert_eq!(types.matches("pub squeaks: Option<bool>").count(), 1, "{types}");
    // Each file is read once, by its path relative to the spec's folder.
    assert_eq!(*asked.lock().unwrap(), ["models/toy.yaml", "models/pet.json", "people.yaml"]);
}

/// A schema inside a part another file gives whole (an error answer's schema in a path item's
/// file), which another `$ref` names by file and pointer, is one type for both uses, as it
/// is within one file; a pointer written as a URI fragment (`%7Bid%7D`) is read.
#[test]
fn a_schema_named_inside_another_file_is_one_type() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /items/{id}:\n    $ref: 'paths/items.yaml'\n";
    let items = r#"
get:
  operationId: getItem
  parameters: [{$ref: '../common.yaml#/~1items~1%7Bid%7D'}]
  responses:
    '200': {description: ok, content: {application/json: {schema: {type: string}}}}
    '400': {description: bad, content: {application/json: {schema: {type: object, properties: {reason: {type: string}}}}}}
    '404': {description: gone, content: {application/json: {schema: {$ref: 'items.yaml#/get/responses/400/content/application~1json/schema'}}}}
"#;
    let common = "/items/{id}: {name: id, in: path, required: true, schema: {type: string}}\n";
    let loader = |path: &str| match path {
        "paths/items.yaml" => Ok(items.to_owned()),
        "common.yaml" => Ok(common.to_owned()),
        _ => Err(format!("no {path}")),
    };
    let output =
        generator::generate(Spec::new("spec/api.yaml", spec).with_loader(&loader), &config()).expect("generates");
    let api = &output.files["API.md"];
    assert!(api.contains("- call: `client.get_item(id: String)`"), "{api}");
    assert!(!api.contains("Error<serde_json::Value>"), "both error answers have one type:\n{api}");
    let types = &output.files["src/types.rs"];
    assert_eq!(types.matches("pub reason: Option<String>").count(), 1, "{types}");
}

/// An object written out in place with the text of a component (how bundlers copy a schema
/// into its first use) is the component's type, so an operation's error answers share it;
/// an enum of the same values as a component's stays its own type.
#[test]
fn an_object_copied_from_a_component_is_the_component() {
    let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /items:
    get:
      operationId: listItems
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {kind: {type: string, enum: [plain]}}}}}}
        '400': {description: bad, content: {application/json: {schema: {type: object, properties: {reason: {type: string}}}}}}
        '404': {description: gone, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
components:
  schemas:
    Problem: {type: object, properties: {reason: {type: string}}}
    Kind: {type: string, enum: [plain]}
"#;
    let output = generate(spec).expect("generates");
    let api = &output.files["API.md"];
    assert!(api.contains("Error<Problem>"), "{api}");
    let types = &output.files["src/types.rs"];
    assert_eq!(types.matches("pub reason: Option<String>").count(), 1, "{types}");
    assert!(types.contains("pub kind: Option<ListItemsResponseKind>"), "{types}");
}

/// A spec split over files, as large public APIs keep theirs: a warning or an error about a
/// part another file gave names that file and the pointer in it (`spec/models/pet.yaml`,
/// `#/properties/odd`), not the place the bundle gave the part in the spec (the component
/// `#/components/schemas/pet`, the path item it copied in).
#[test]
fn messages_about_other_files_name_the_file_and_the_pointer_there() {
    const SPEC: &str =
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    $ref: 'paths/pets.yaml'\n";
    const PETS: &str = r#"
get:
  operationId: listPets
  parameters:
    - {$ref: '../common.yaml#/Limit'}
    - {name: size, in: query, schema: {type: integer, maximum: 18446744073709552000}}
  responses:
    '200': {description: ok, content: {application/json: {schema: {$ref: '../models/pet.yaml'}}}}
"#;
    const COMMON: &str = "Limit: {name: limit, in: query, schema: {type: integer, minimum: 0, maximum: 1e30}}\n";
    const PET: &str = "type: object\nproperties:\n  name: {type: string}\n  odd: {not: {type: string}}\n";
    let generate_with = |files: &[(&'static str, &'static str)]| {
        let files = files.to_vec();
        let loader = move |path: &str| {
            files
                .iter()
                .find(|(name, _)| *name == path)
                .map(|(_, text)| text.to_string())
                .ok_or("no such file".to_owned())
        };
        generator::generate(Spec::new("spec/api.yaml", SPEC).with_loader(&loader), &config())
    };

    let output = generate_with(&[("paths/pets.yaml", PETS), ("common.yaml", COMMON), ("models/pet.yaml", PET)])
        .expect("generates");
    let mut warnings: Vec<(&str, &str)> =
        output.warnings.iter().map(|w| (w.pointer.as_str(), w.message.as_str())).collect();
    warnings.sort();
    let expected = [
        ("spec/common.yaml#/Limit/schema/maximum", "`maximum: 1000000000000000000000000000000` is not a 64-bit"),
        ("spec/models/pet.yaml#/properties/odd", "`not` is not supported yet"),
        ("spec/paths/pets.yaml#/get/parameters/1/schema/maximum", "`maximum: 18446744073709552000` is not a 64-bit"),
    ];
    assert_eq!(warnings.len(), expected.len(), "{warnings:#?}");
    for ((pointer, message), (expected_pointer, words)) in warnings.iter().zip(expected) {
        assert_eq!(*pointer, expected_pointer, "{warnings:#?}");
        assert!(message.contains(words), "{message:?} does not say {words:?}");
    }

    // Errors, from the typed reading and from resolve: (what, the broken file, where, words).
    let cases = [
        (
            "a keyword of the wrong type in a schema file",
            ("models/pet.yaml", "type: object\nproperties:\n  name: {type: [string, 5]}\n"),
            ("spec/models/pet.yaml", "#/properties/name/type"),
            "invalid type",
        ),
        (
            "a parameter without a media type in a path item file",
            (
                "paths/pets.yaml",
                "get:\n  parameters: [{name: q, in: query, content: {}}]\n  responses: {'204': {description: ok}}\n",
            ),
            ("spec/paths/pets.yaml", "#/get/parameters/0/content"),
            "needs a media type",
        ),
        (
            "a parameter of the wrong shape in a file a path item file names",
            ("common.yaml", "Limit: {name: limit, in: query, schema: {type: integer}, style: 5}\n"),
            ("spec/common.yaml", "#/Limit"),
            "invalid type",
        ),
    ];
    for (what, broken, (file, pointer), words) in cases {
        let mut files = vec![("paths/pets.yaml", PETS), ("common.yaml", COMMON), ("models/pet.yaml", PET)];
        files.retain(|(name, _)| *name != broken.0);
        files.push(broken);
        let error = generate_with(&files).map(|_| ()).expect_err(what);
        assert_eq!((error.file.as_str(), error.pointer.as_str()), (file, pointer), "{what}: {error}");
        assert!(error.message.contains(words), "{what}: {error}");
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

/// What 3.1 documents say that the crate cannot express is a warning naming its pointer,
/// never dropped silently (tests/fixtures/openapi_3_1_unsupported.yaml).
#[test]
fn openapi_3_1_constructs_not_generated_are_warnings() {
    let path = xtask::codegen::workspace_root().join("tests/fixtures/openapi_3_1_unsupported.yaml");
    let text = std::fs::read_to_string(&path).expect("the fixture");
    let output = generate(&text).expect("generates");
    let pointers: Vec<&str> = output.warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "#/components/pathItems/Unused",
            "#/components/securitySchemes/clientCertificate",
            "#/webhooks/paymentDone",
            "#/components/schemas/Payment/if",
            "#/components/schemas/Payment/properties/history/prefixItems",
            "#/components/schemas/Payment/properties/tags/patternProperties",
        ],
        "{:?}",
        output.warnings
    );
    assert!(output.warnings[1].message.contains("ClientBuilder::http_client"), "{}", output.warnings[1]);
    assert!(output.warnings[4].message.contains("serde_json::Value"), "{}", output.warnings[4]);
    let types = &output.files["src/types.rs"];
    assert!(types.contains("pub history: Option<serde_json::Value>,"), "{types}");
    assert!(types.contains("pub extras: Option<std::collections::BTreeMap<String, i64>>,"), "{types}");
    assert!(!output.files["src/api/mod.rs"].contains("fn unused"), "the unused path item is not generated");
}

/// A required name that `properties` does not describe is a required `serde_json::Value`
/// (leaving it out would make the server refuse every request), with a warning.
#[test]
fn required_names_without_a_property_are_values() {
    let path = xtask::codegen::workspace_root().join("tests/fixtures/object_fields.yaml");
    let text = std::fs::read_to_string(&path).expect("the fixture");
    let output = generate(&text).expect("generates");
    let warning = output.warnings.iter().find(|w| w.message.contains("`chip`")).expect("a warning for `chip`");
    assert_eq!(warning.pointer, "#/components/schemas/Pet/required");
    assert!(output.files["src/types.rs"].contains("pub chip: serde_json::Value,"), "{}", output.files["src/types.rs"]);
}

/// A scalar `type` beside `allOf`, `oneOf` or `anyOf` is that scalar; what has no one Rust
/// scalar (parts of another type than the sibling `type`, alternatives of different types)
/// is a `serde_json::Value` with a warning; alternatives of another JSON type than the
/// sibling `type` are left out with one (tests/fixtures/all_of_scalars.yaml, scalar_unions.yaml).
#[test]
fn compositions_beside_a_scalar_type_warn_only_without_one_scalar() {
    let root = xtask::codegen::workspace_root();
    let warnings = |name: &str| {
        let text = std::fs::read_to_string(root.join("tests/fixtures").join(name)).expect("the fixture");
        let output = generate(&text).expect("generates");
        output.warnings.iter().map(|w| w.pointer.clone()).collect::<Vec<_>>()
    };
    assert_eq!(
        warnings("all_of_scalars.yaml"),
        [
            "#/components/schemas/Label/properties/impossible/allOf",
            "#/components/schemas/Settings/properties/conflict/allOf/0",
            "#/components/schemas/Settings/properties/profile/type",
        ]
    );
    assert_eq!(
        warnings("scalar_unions.yaml"),
        [
            "#/components/schemas/Host/properties/mixed",
            "#/components/schemas/Host/properties/source/anyOf",
            "#/components/schemas/Host/properties/checks/oneOf",
        ]
    );
}

/// 3.1 makes `paths` and an operation's `responses` optional: a document of webhooks or
/// components only generates (types, no operations), and an operation without responses
/// answers `()`.
#[test]
fn openapi_3_1_optional_paths_and_responses() {
    let components_only = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    Pet: {type: object, properties: {name: {type: string}}}\n";
    let output = generate(components_only).expect("generates");
    assert!(output.files["src/types.rs"].contains("pub struct Pet"));
    let no_responses =
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /ping:\n    post: {operationId: ping}\n";
    let output = generate(no_responses).expect("generates");
    assert!(output.files["src/api/mod.rs"].contains("pub fn ping(&self)"), "{}", output.files["src/api/mod.rs"]);
    // 3.0 requires both: the error names the operation.
    let error = generate(&no_responses.replace("3.1.0", "3.0.3")).expect_err("3.0 requires responses");
    assert_eq!(error.pointer, "#/paths/~1ping/post");
}

/// Auth0 publishes its APIs in OpenAPI 3.1: the parse stage reads them (their constructs
/// that the generator does not support yet are errors with a pointer, not panics).
#[test]
fn auth0_openapi_3_1_documents_are_read() {
    let dir = integration_tests::shared_dir().join("specs-3.1");
    for name in ["auth0-myaccount-api.json", "auth0-myorganization-api.json", "auth0-authentication-api.json"] {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        match generator::generate(Spec::new(name, &text), &config()) {
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

#[test]
fn pagination_statements_that_cannot_be_followed_are_warnings() {
    let spec = r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /vms:
    get:
      operationId: list_vms
      x-speakeasy-pagination: {type: offset, outputs: {results: $.value}}
      responses:
        "200":
          description: VMs.
          content:
            application/json:
              schema: {type: object, properties: {value: {type: array, items: {type: string}}, nextLink: {type: string}}}
  /hits:
    get:
      operationId: list_hits
      x-fern-pagination: {cursor: $request.after, next_cursor: $response.next, results: $response.hits}
      parameters:
        - {name: before, in: query, schema: {type: string}}
      responses:
        "200":
          description: Hits.
          content:
            application/json:
              schema: {type: object, properties: {hits: {type: array, items: {type: string}}, next: {type: string}}}
  /graph:
    get:
      operationId: list_graph
      x-ms-pageable: {nextLinkName: '@odata.nextLink'}
      responses:
        "200":
          description: An answer without the link the statement names.
          content:
            application/json:
              schema: {type: object, properties: {value: {type: array, items: {type: string}}, nextLink: {type: string}}}
"#;
    let output = generate(spec).expect("generates");
    let warnings: Vec<(&str, &str)> =
        output.warnings.iter().map(|w| (w.pointer.as_str(), w.message.as_str())).collect();
    assert_eq!(
        warnings,
        [
            (
                "#/paths/~1vms/get/x-speakeasy-pagination",
                "pagination of type `offset` is not followed yet; the operation is a plain call"
            ),
            (
                "#/paths/~1hits/get/x-fern-pagination",
                "does not fit the operation's parameters and answer; the operation is a plain call"
            ),
            (
                "#/paths/~1graph/get/x-ms-pageable",
                "does not fit the operation's parameters and answer; the operation is a plain call"
            ),
        ]
    );
    assert!(output.files["src/api/mod.rs"].contains("pub struct ListHits"), "the operations are generated");
    let api = output.files.iter().filter(|(path, _)| path.starts_with("src/api/"));
    assert!(api.into_iter().all(|(_, text)| !text.contains("fn pages")), "neither is walked as a list");
}

/// What large public specs write that no Rust type fits, or that a client does not send,
/// is a warning with its pointer, never a failure: a bound beyond 64 bits (in YAML, where
/// it used to fail the whole parse, and in JSON), callbacks, a request body without a
/// media type, and a description whose Markdown file is missing. The split spec's other
/// files are read relative to it; an absolute path is shown with its leading `/`.
#[test]
fn what_nothing_in_rust_fits_is_a_warning_never_a_failure() {
    let spec = r#"
openapi: 3.0.3
info: {title: T, version: "1", description: {$ref: 'docs/intro.md'}}
tags:
  - {name: a, description: {$ref: 'docs/missing.md'}}
paths:
  /sizes/{size}:
    post:
      operationId: set_size
      parameters:
        - {name: size, in: path, required: true, schema: {type: integer, minimum: 0, maximum: 18446744073709552000}}
        - {name: filter, in: query, content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}}
      requestBody: {content: {}}
      callbacks:
        done:
          "{$request.body#/url}":
            post:
              responses: {"204": {description: ok}}
      responses: {"204": {description: ok}}
components:
  schemas:
    Wide: {type: integer, maximum: 1e30}
"#;
    let loader = |path: &str| match path {
        "docs/intro.md" => Ok("# Intro\n\nSome *prose*: with a colon.".to_owned()),
        _ => Err("no such file".to_owned()),
    };
    let output =
        generator::generate(Spec::new("/abs/spec/api.yaml", spec).with_loader(&loader), &config()).expect("generates");
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    let expected = [
        (
            "#/tags/0/description",
            "description left out: `$ref` to `docs/missing.md`: cannot read /abs/spec/docs/missing.md",
        ),
        (
            "#/paths/~1sizes~1{size}/post/parameters/0/schema/maximum",
            "`maximum: 18446744073709552000` is not a 64-bit signed integer",
        ),
        (
            "#/components/schemas/Wide/maximum",
            "`maximum: 1000000000000000000000000000000` is not a 64-bit signed integer",
        ),
        ("#/paths/~1sizes~1{size}/post/callbacks", "callbacks are requests the server makes"),
        ("#/paths/~1sizes~1{size}/post/requestBody/content", "a request body without a media type"),
    ];
    for (pointer, words) in expected {
        assert!(
            output.warnings.iter().any(|w| w.pointer == pointer && w.message.contains(words)),
            "no warning at {pointer} saying {words:?} in {warnings:#?}"
        );
    }
    assert_eq!(output.warnings.len(), expected.len(), "{warnings:#?}");
    assert!(output.files["src/lib.rs"].contains("Some *prose*: with a colon."), "the description's file is its text");
    let api = &output.files["src/api/mod.rs"];
    assert!(api.contains("json_text(\"filter\""), "a `content` parameter is sent as JSON text:\n{api}");
}

/// A security scheme the client cannot send (HTTP `digest`), and a requirement naming a
/// scheme the spec does not define, are warnings naming their pointer; the operations are
/// generated, sent without them.
#[test]
fn security_schemes_not_generated_are_warnings() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nsecurity: [{missing: []}, {digest: []}]\npaths:\n  /a:\n    get:\n      security: [{missing: []}]\n      responses: {'204': {description: ok}}\n  /b:\n    get:\n      responses: {'204': {description: ok}}\ncomponents:\n  securitySchemes:\n    digest: {type: http, scheme: digest}\n";
    let output = generate(spec).expect("generates");
    let warnings: Vec<(&str, &str)> =
        output.warnings.iter().map(|w| (w.pointer.as_str(), w.message.as_str())).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert_eq!(warnings[0].0, "#/components/securitySchemes/digest");
    assert!(warnings[0].1.contains("`digest` is not supported"), "{warnings:?}");
    // Named once, where first met.
    assert_eq!(warnings[1].0, "#/paths/~1a/get/security/0");
    assert!(warnings[1].1.contains("`missing`"), "{warnings:?}");
    let api = &output.files["src/api/mod.rs"];
    assert!(!api.contains(".security("), "nothing to send: {api}");
}

/// Options on types that do not fit the spec, or are not Rust, are errors of the settings
/// (`ErrorKind::Settings`), naming the option, before any code is made.
#[test]
fn type_options_that_do_not_fit_are_settings_errors() {
    let spec = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Money: {type: string}
    Price: {type: object, properties: {amount: {$ref: "#/components/schemas/Money"}}}
"##;
    let replace = |list: &[&str]| Config {
        replacements: list.iter().map(|r| r.parse().expect("a replacement")).collect(),
        ..config()
    };
    let derive = |list: &[&str]| Config { derives: list.iter().map(|d| (*d).to_owned()).collect(), ..config() };
    let cases = [
        (replace(&["Cash=String"]), "`--replace Cash=String`: the spec has no schema `Cash`"),
        (replace(&["Money=String", "Money=u64"]), "`--replace Money=u64`: `Money` is replaced twice"),
        (replace(&["Money=not a type"]), "`not a type` is not a Rust type"),
        (replace(&["Money=String:Copy"]), "`Copy` cannot be derived"),
        (derive(&["Default"]), "`Default` cannot be derived"),
        (derive(&["Ord", "PartialOrd"]), "`--derive Ord` needs `Eq` and `PartialOrd` too"),
        (derive(&["MyDerive"]), "must be written with its crate"),
    ];
    for (config, says) in cases {
        let error = generator::generate(Spec::new("spec/api.yaml", spec), &config).expect_err(says);
        assert_eq!(error.kind, generator::ErrorKind::Settings, "{error}");
        assert_eq!(error.pointer, "#/components/schemas", "{error}");
        assert!(error.to_string().starts_with("spec/api.yaml: #/components/schemas: settings: "), "{error}");
        assert!(error.message.contains(says), "{error}\nwanted: {says}");
    }
    // Fitting ones generate, and the replaced schema is the user's type.
    let config = Config { derives: vec!["Eq".into()], ..replace(&["Money=String:Eq"]) };
    let output = generator::generate(Spec::new("spec/api.yaml", spec), &config).expect("generates");
    let types = &output.files["src/types.rs"];
    assert!(types.contains("pub amount: Option<String>,"), "{types}");
    assert!(types.contains("#[derive(Debug, Clone, PartialEq, Default, Eq)]"), "{types}");
    assert!(output.files["API.md"].contains("### schema `Money`\n\n- replaced by: `String`"));
}

/// A crate name Cargo would refuse (or that the tool's `use my_api::...` could not name) is a
/// settings error, not a crate that does not build; a build script's included source has
/// no name of its own, so any name does.
#[test]
fn crate_names_cargo_refuses_are_settings_errors() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
    for (name, says) in [
        ("do", "is a Rust keyword"),
        ("self-api", ""),
        ("my api", "has ` `"),
        ("2fa", "starts with a digit"),
        ("", "is empty"),
        ("std", "a crate of Rust's own"),
    ] {
        let config = Config::new(name);
        let result = generator::generate(Spec::new("spec/api.yaml", spec), &config);
        if says.is_empty() {
            result.unwrap_or_else(|e| panic!("{name:?}: {e}"));
            continue;
        }
        let error = result.map(|_| ()).expect_err(name);
        assert_eq!((error.kind, error.pointer.as_str()), (generator::ErrorKind::Settings, "#"), "{error}");
        assert!(error.message.contains(says), "{name:?}: {error}");
        let included = Config { layout: generator::Layout::IncludedSource, ..Config::new(name) };
        generator::generate(Spec::new("spec/api.yaml", spec), &included).unwrap_or_else(|e| panic!("{name:?}: {e}"));
    }
}

/// Two operations with one `operationId` (the spec is invalid, and such specs are common):
/// both are generated, the second's names numbered, and a warning names the second's id.
#[test]
fn a_duplicate_operation_id_is_a_warning() {
    let text = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"204": {description: ok}}
  /pets/{id}/owner:
    get:
      operationId: getPet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"204": {description: ok}}
"##;
    let output = generate(text).expect("generates");
    let warnings: Vec<(&str, &str)> =
        output.warnings.iter().map(|w| (w.pointer.as_str(), w.message.as_str())).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, "#/paths/~1pets~1{id}~1owner/get/operationId");
    assert!(warnings[0].1.contains("`getPet` also names `GET /pets/{id}`"), "{warnings:?}");
    let code: String = output.files.values().map(String::as_str).collect();
    for method in ["pub fn get_pet(", "pub fn get_pet_2("] {
        assert!(code.contains(method), "{method}");
    }
}
