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
