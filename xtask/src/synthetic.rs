//! A synthetic OpenAPI document of any number of operations, for the generator's benchmark
//! (`cargo xtask synthetic-spec --operations 1000 --out FILE` writes one to look at), and a
//! real one split over many files ([`split`], `cargo xtask split-spec`), for its multi-file
//! benchmark.
//!
//! Each operation has a path parameter, a query parameter, an optional header, a JSON body
//! of its own schema (constrained strings, an email, an enum shared by all, an array) and a
//! typed answer, with errors sharing one schema: the constructs of spec/, many times over.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

/// The document, as JSON text, with `operations` operations spread over tags of 20.
pub fn spec(operations: usize) -> String {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    schemas.insert(
        "Error".into(),
        json!({"type": "object", "required": ["statusCode", "message"], "properties": {
            "statusCode": {"type": "integer"}, "message": {"type": "string"}, "errorCode": {"type": "string"}}}),
    );
    schemas.insert("Kind".into(), json!({"type": "string", "enum": ["alpha", "beta", "gamma", "delta"]}));
    for i in 0..operations {
        let error = json!({"description": "An error.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
        paths.insert(
            format!("/things{i}/{{id}}"),
            json!({"post": {
                "operationId": format!("create_thing_{i}"),
                "tags": [format!("group{}", i / 20)],
                "summary": format!("Creates thing {i}."),
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32", "minimum": 0}},
                    {"name": "x-request-tag", "in": "header", "schema": {"type": "string", "minLength": 3, "maxLength": 64}}
                ],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/Thing{i}Request")}}}},
                "responses": {
                    "200": {"description": "The thing.", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/Thing{i}")}}}},
                    "400": error.clone(),
                    "404": error
                }
            }}),
        );
        schemas.insert(
            format!("Thing{i}Request"),
            json!({"type": "object", "required": ["name", "owner_email"], "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 255, "description": "The thing's name."},
                "owner_email": {"type": "string", "format": "email"},
                "active": {"type": "boolean"},
                "weight": {"type": "integer", "format": "int64"},
                "kind": {"$ref": "#/components/schemas/Kind"},
                "labels": {"type": "array", "items": {"type": "string"}}}}),
        );
        schemas.insert(
            format!("Thing{i}"),
            json!({"type": "object", "properties": {
                "id": {"type": "string"}, "name": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"},
                "kind": {"$ref": "#/components/schemas/Kind"}}}),
        );
    }
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "Synthetic", "version": "1"},
        "servers": [{"url": "https://{host}/api", "variables": {"host": {"default": "example.com"}}}],
        "security": [{"bearer": []}],
        "paths": Value::Object(paths),
        "components": {"schemas": Value::Object(schemas), "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}
    });
    document.to_string()
}

/// `times` copies of a real spec's operations and components in one document: a stand-in
/// for a bigger spec written with the same constructs (Auth0's Management API is about
/// eleven times its My Organization API). Copy `k` (from 2) has paths under `/copy{k}`,
/// operationIds ending in `_copy{k}`, and components named `<name>Copy{k}`, with every
/// `#/components/...` reference (and discriminator mapping) pointing into its own copy.
pub fn replicate(document: &Value, times: usize) -> Value {
    let mut result = document.clone();
    let mut paths = Map::new();
    let mut components = Map::new();
    for copy in 1..=times.max(1) {
        let mut part = document.clone();
        if copy > 1 {
            rename_references(&mut part, copy);
        }
        let suffix = |name: &str| if copy > 1 { format!("{name}Copy{copy}") } else { name.to_owned() };
        for (path, item) in part.get("paths").and_then(Value::as_object).cloned().unwrap_or_default() {
            let mut item = item;
            for operation in item.as_object_mut().into_iter().flat_map(|i| i.values_mut()) {
                if let (Some(Value::String(id)), true) = (operation.get_mut("operationId"), copy > 1) {
                    *id = format!("{id}_copy{copy}");
                }
            }
            let path = if copy > 1 { format!("/copy{copy}{path}") } else { path };
            paths.insert(path, item);
        }
        for (section, entries) in part.get("components").and_then(Value::as_object).cloned().unwrap_or_default() {
            let Value::Object(entries) = entries else { continue };
            let target = components.entry(section.clone()).or_insert_with(|| Value::Object(Map::new()));
            for (name, entry) in entries {
                // One set of security schemes serves every copy.
                let name = if section == "securitySchemes" { name } else { suffix(&name) };
                if let Value::Object(target) = target {
                    target.insert(name, entry);
                }
            }
        }
    }
    result["paths"] = Value::Object(paths);
    result["components"] = Value::Object(components);
    result
}

/// `document` as many files, the way large public APIs keep theirs (DigitalOcean's is
/// hundreds): a file per path item (`paths/00001.json`) and per component schema
/// (`components/schemas/Pet.json`), the other components in a file per kind
/// (`components/parameters.json`), and `openapi.json`, which names the path items. Every
/// `$ref` to a component becomes a relative reference to its file (and to the place in
/// it). Returns (path relative to the folder, content); the bundle makes one document of
/// them again, with the same component names but for names no file can have (`/`, `.`).
pub fn split(mut document: Value) -> Vec<(String, Value)> {
    let mut files = Vec::new();
    // Each path item's file, by the path as a pointer writes it (`~1nodes`).
    let path_files: BTreeMap<String, String> = document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.keys())
        .enumerate()
        .map(|(index, path)| (path.replace('~', "~0").replace('/', "~1"), format!("paths/{:05}.json", index + 1)))
        .collect();
    let refer_to_files = |value: &mut Value, to_root: &str| refer_to_files(value, to_root, &path_files);
    let mut components = document.get_mut("components").and_then(Value::as_object_mut).map(std::mem::take);
    let components = components.get_or_insert_with(Map::new);
    if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
        // The document lists every schema by its file, as such specs do: a schema no `$ref`
        // names (a subtype found through its `allOf`) is still part of the API.
        for (name, schema) in schemas.iter_mut() {
            let file = format!("components/schemas/{}.json", file_name(name));
            let mut schema = std::mem::replace(schema, json!({ "$ref": file }));
            refer_to_files(&mut schema, "../../");
            files.push((file, schema));
        }
    }
    for kind in ["parameters", "responses", "requestBodies", "headers", "examples", "links", "callbacks", "pathItems"] {
        if let Some(mut entries) = components.remove(kind) {
            refer_to_files(&mut entries, "../");
            files.push((format!("components/{kind}.json"), entries));
        }
    }
    // What is left (security schemes, extensions) stays in the document.
    let mut rest = Value::Object(std::mem::take(components));
    refer_to_files(&mut rest, "");
    document["components"] = rest;
    if let Some(Value::Object(paths)) = document.get_mut("paths") {
        for (index, item) in paths.values_mut().enumerate() {
            let file = format!("paths/{:05}.json", index + 1);
            let mut content = std::mem::replace(item, json!({ "$ref": file }));
            refer_to_files(&mut content, "../");
            files.push((file, content));
        }
    }
    if let Some(webhooks) = document.get_mut("webhooks") {
        refer_to_files(webhooks, "");
    }
    files.insert(0, ("openapi.json".to_owned(), document));
    files
}

/// Checks that `document`, [`split`] over files and read back through a loader as `codegen`
/// reads them, generates the crate the whole document does, file for file; returns how
/// many files it was split into, or the first file that differs, with the difference.
pub fn split_generates_the_same(document: Value) -> Result<usize, String> {
    let config = generator::Config::new("split-check");
    let whole = generator::generate(generator::Spec::new("spec/openapi.json", &document.to_string()), &config)
        .map_err(|e| format!("the whole spec: {e}"))?;
    let files: BTreeMap<String, String> =
        split(document).into_iter().map(|(path, value)| (path, value.to_string())).collect();
    let loader = |path: &str| files.get(path).cloned().ok_or(format!("no {path}"));
    let split_spec = generator::Spec::new("spec/openapi.json", &files["openapi.json"]).with_loader(&loader);
    let split = generator::generate(split_spec, &config).map_err(|e| format!("split: {e}"))?;
    if split.files.keys().ne(whole.files.keys()) {
        let names = |output: &generator::Output| output.files.keys().cloned().collect::<Vec<_>>().join(", ");
        return Err(format!("split, the crate's files are {}; whole, {}", names(&split), names(&whole)));
    }
    for (path, text) in &whole.files {
        if split.files[path] != *text {
            let diff = similar::TextDiff::from_lines(text.as_str(), split.files[path].as_str());
            return Err(format!("{path} differs:\n{}", diff.unified_diff().context_radius(2)));
        }
    }
    Ok(files.len())
}

/// A component's name as a file name: `/` and `.` (which would end the name the bundle reads
/// from the file) become `_`.
fn file_name(name: &str) -> String {
    name.replace(['/', '.', '\\'], "_")
}

/// Points every `$ref` to `#/components/...` or `#/paths/...` at the file [`split`] writes it
/// to, relative to a file `to_root` below the folder (`../` for `paths/00001.json`).
fn refer_to_files(value: &mut Value, to_root: &str, path_files: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                if let Some(rest) = reference.strip_prefix("#/paths/") {
                    let (path, inner) =
                        rest.split_once('/').map_or((rest, String::new()), |(p, i)| (p, format!("/{i}")));
                    // A URI fragment: `{` may be written `%7B`.
                    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
                    if let Some(file) = path_files.get(path.as_ref()) {
                        *reference = format!("{to_root}{file}#{inner}");
                    }
                } else if let Some(rest) = reference.strip_prefix("#/components/") {
                    let mut parts = rest.splitn(3, '/');
                    let (kind, name, inner) =
                        (parts.next().unwrap_or_default(), parts.next().unwrap_or_default(), parts.next());
                    let inner = inner.map(|inner| format!("/{inner}")).unwrap_or_default();
                    // A name in a pointer is escaped (`~1` for `/`); the file's is not.
                    let plain = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
                    let plain = plain.replace("~1", "/").replace("~0", "~");
                    *reference = match kind {
                        "schemas" if inner.is_empty() => {
                            format!("{to_root}components/schemas/{}.json", file_name(&plain))
                        }
                        "schemas" => format!("{to_root}components/schemas/{}.json#{inner}", file_name(&plain)),
                        "securitySchemes" => reference.clone(),
                        _ => format!("{to_root}components/{kind}.json#/{name}{inner}"),
                    };
                } else if reference.starts_with('#') && !to_root.is_empty() {
                    // Anywhere else in the document (`#/$defs/Money`): back into it.
                    *reference = format!("{to_root}openapi.json{reference}");
                }
            }
            map.values_mut().for_each(|child| refer_to_files(child, to_root, path_files));
        }
        Value::Array(items) => items.iter_mut().for_each(|child| refer_to_files(child, to_root, path_files)),
        _ => {}
    }
}

/// Points every `#/components/<section>/<name>...` string at `<name>Copy{copy}`.
fn rename_references(value: &mut Value, copy: usize) {
    match value {
        Value::String(text) => {
            if let Some(rest) = text.strip_prefix("#/components/") {
                let mut parts: Vec<String> = rest.splitn(3, '/').map(str::to_owned).collect();
                if parts.len() >= 2 && parts[0] != "securitySchemes" {
                    parts[1] = format!("{}Copy{copy}", parts[1]);
                    *text = format!("#/components/{}", parts.join("/"));
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rename_references(item, copy)),
        Value::Object(map) => map.values_mut().for_each(|item| rename_references(item, copy)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    /// A fixture split over files generates the crate the whole fixture does: every `$ref`
    /// [`super::split`] writes leads where the original led, and the bundle names the
    /// components as the spec did.
    #[test]
    fn a_split_spec_generates_the_crate_the_whole_one_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        for fixture in [
            "references.yaml",
            "discriminators.yaml",
            "unions.yaml",
            "all_of.yaml",
            "on_the_wire.yaml",
            "paging.yaml",
            "security_schemes.yaml",
            "sdk_names.yaml",
            "openapi_3_1_types.yaml",
            "const_enums.yaml",
            "files.yaml",
        ] {
            let text = std::fs::read_to_string(root.join(fixture)).expect("the fixture");
            let document: Value = serde_yaml::from_str(&text).expect("YAML");
            let files = super::split_generates_the_same(document).unwrap_or_else(|e| panic!("{fixture}: {e}"));
            assert!(files > 2, "{fixture}: {files} files");
        }
    }

    #[test]
    fn copies_point_at_their_own_components() {
        let spec = json!({"openapi": "3.1.0", "paths": {"/a": {"get": {"operationId": "getA", "responses": {"200": {
            "description": "A", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A/properties/b"}}}}}}}},
            "components": {"schemas": {"A": {"type": "object", "properties": {"b": {"type": "string"}}}},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}});
        let big = super::replicate(&spec, 3);
        assert_eq!(big["paths"].as_object().map(|p| p.len()), Some(3));
        assert_eq!(big["paths"]["/copy3/a"]["get"]["operationId"], "getA_copy3");
        assert_eq!(
            big["paths"]["/copy2/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ACopy2/properties/b"
        );
        assert!(big["components"]["schemas"]["ACopy3"].is_object());
        assert_eq!(big["components"]["securitySchemes"].as_object().map(|s| s.len()), Some(1));
    }
}
