//! A synthetic OpenAPI document of any number of operations, for the generator's benchmark
//! (`cargo xtask synthetic-spec --operations 1000 --out FILE` writes one to look at).
//!
//! Each operation has a path parameter, a query parameter, an optional header, a JSON body
//! of its own schema (constrained strings, an email, an enum shared by all, an array) and a
//! typed answer, with errors sharing one schema: the constructs of spec/, many times over.

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
    use serde_json::json;

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
