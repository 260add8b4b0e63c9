//! Stage 1: text to `openapiv3::OpenAPI`.
//!
//! The text (YAML or JSON) is first read into a plain document tree, so that the version
//! can be checked and OpenAPI 3.1 documents brought to 3.0 shape before the typed
//! deserialization. Deserialization goes through `serde_path_to_error`, so a document of the
//! wrong shape is reported with the JSON pointer of the offending value.

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::error::{Error, Pointer};

pub(crate) fn parse(file: &str, text: &str) -> Result<OpenAPI, Error> {
    let error =
        |pointer: &Pointer, message: String| Error { file: file.to_owned(), pointer: pointer.to_string(), message };
    let mut tree = read_tree(text).map_err(|message| error(&Pointer::root(), message))?;
    if let Some(path) = too_deep(&tree, MAX_DEPTH) {
        let pointer = path.iter().rev().fold(Pointer::root(), |pointer, segment| pointer.join(segment));
        return Err(error(
            &pointer,
            format!("the document nests more than {MAX_DEPTH} levels deep here, which is not supported"),
        ));
    }

    let version_pointer = Pointer::root().join("openapi");
    let version = match tree.get("openapi") {
        Some(Value::String(version)) => version.clone(),
        Some(_) => return Err(error(&version_pointer, "`openapi` must be a string such as \"3.0.3\"".into())),
        None if tree.get("swagger").is_some() => {
            return Err(error(
                &Pointer::root().join("swagger"),
                "this is a Swagger 2.0 document; convert it to OpenAPI 3 first, for example with \
                 `npx swagger2openapi spec.yaml --outfile spec-3.yaml`"
                    .into(),
            ))
        }
        None => return Err(error(&version_pointer, "missing `openapi` version field".into())),
    };
    if version.starts_with("3.1.") {
        from_3_1::normalize(&mut tree);
    } else if !version.starts_with("3.0.") {
        return Err(error(
            &version_pointer,
            format!("OpenAPI version {version} is not supported (3.0.x and 3.1.x are); a document in another version must be converted first"),
        ));
    }

    match serde_path_to_error::deserialize(&tree) {
        Ok(document) => Ok(document),
        Err(e) => {
            // `openapiv3` flattens maps (paths, responses), and the path of an error below a
            // flattened map is lost; `locate` finds the deepest part that fails on its own.
            let (pointer, message) = locate::first_error(&tree)
                .unwrap_or_else(|| (path_to_pointer(&Pointer::root(), e.path()), e.inner().to_string()));
            Err(error(&pointer, message))
        }
    }
}

/// Reads YAML or JSON into a document tree. JSON is read by `serde_json` (YAML 1.2 would
/// accept it too, but JSON's own parser gives better messages).
fn read_tree(text: &str) -> Result<Value, String> {
    let tree: Value = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?
    } else {
        serde_yaml::from_str(text).map_err(|e| format!("not valid YAML: {e}"))?
    };
    if !tree.is_object() {
        return Err("an OpenAPI document must be a mapping at the top level".into());
    }
    Ok(tree)
}

/// How deep the document tree may nest. Deserializing a schema nested about 70 deep
/// overflows a 2 MiB stack in a debug build (the parsers themselves stop at 128); real specs
/// nest less than 15 deep.
const MAX_DEPTH: usize = 48;

/// The path (innermost segment first) to a value nested more than `levels` deep, if any.
fn too_deep(value: &Value, levels: usize) -> Option<Vec<String>> {
    let found = |segment: String, child: &Value| {
        let mut path = too_deep(child, levels - 1)?;
        path.push(segment);
        Some(path)
    };
    match value {
        Value::Object(_) | Value::Array(_) if levels == 0 => Some(Vec::new()),
        Value::Object(map) => map.iter().find_map(|(key, child)| found(key.clone(), child)),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, child)| found(i.to_string(), child)),
        _ => None,
    }
}

fn path_to_pointer(base: &Pointer, path: &serde_path_to_error::Path) -> Pointer {
    use serde_path_to_error::Segment;
    path.iter().fold(base.clone(), |pointer, segment| match segment {
        Segment::Seq { index } => pointer.join(index),
        Segment::Map { key } => pointer.join(key),
        Segment::Enum { variant } => pointer.join(variant),
        Segment::Unknown => pointer,
    })
}

/// Finds where in a document that `openapiv3` rejects the problem is, by deserializing its
/// parts on their own, deepest first: schemas, parameters, bodies, responses, operations.
mod locate {
    use openapiv3::{Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema, SecurityScheme};
    use serde::de::DeserializeOwned;
    use serde_json::Value;

    use super::path_to_pointer;
    use crate::error::Pointer;

    type Found = Option<(Pointer, String)>;
    type Check = fn(&Value, &Pointer) -> Found;

    const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    pub(super) fn first_error(tree: &Value) -> Found {
        let root = Pointer::root();
        for (path, item) in entries(tree.get("paths")) {
            if let found @ Some(_) = path_item(item, &root.join("paths").join(path)) {
                return found;
            }
        }
        let components = root.join("components");
        let component = |kind: &str| entries(tree.get("components").and_then(|c| c.get(kind)));
        let checks: [(&str, Check); 5] = [
            ("schemas", schema),
            ("parameters", parameter),
            ("requestBodies", request_body),
            ("responses", response),
            ("securitySchemes", |v, p| check::<ReferenceOr<SecurityScheme>>(v, p)),
        ];
        for (kind, check) in checks {
            for (name, value) in component(kind) {
                if let found @ Some(_) = check(value, &components.join(kind).join(name)) {
                    return found;
                }
            }
        }
        None
    }

    /// The entries of an object, without `x-` extensions.
    fn entries(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
        value.and_then(Value::as_object).into_iter().flatten().filter(|(key, _)| !key.starts_with("x-"))
    }

    fn items(value: Option<&Value>) -> impl Iterator<Item = (usize, &Value)> {
        value.and_then(Value::as_array).into_iter().flatten().enumerate()
    }

    fn check<T: DeserializeOwned>(value: &Value, pointer: &Pointer) -> Found {
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(_) => None,
            Err(e) => Some((path_to_pointer(pointer, e.path()), e.inner().to_string())),
        }
    }

    fn path_item(value: &Value, pointer: &Pointer) -> Found {
        for (method, op) in entries(Some(value)).filter(|(key, _)| METHODS.contains(&key.as_str())) {
            if let found @ Some(_) = operation(op, &pointer.join(method)) {
                return found;
            }
        }
        for (i, param) in items(value.get("parameters")) {
            if let found @ Some(_) = parameter(param, &pointer.join("parameters").join(i)) {
                return found;
            }
        }
        check::<ReferenceOr<PathItem>>(value, pointer)
    }

    fn operation(value: &Value, pointer: &Pointer) -> Found {
        for (i, param) in items(value.get("parameters")) {
            if let found @ Some(_) = parameter(param, &pointer.join("parameters").join(i)) {
                return found;
            }
        }
        if let Some(body) = value.get("requestBody") {
            if let found @ Some(_) = request_body(body, &pointer.join("requestBody")) {
                return found;
            }
        }
        for (status, answer) in entries(value.get("responses")) {
            if let found @ Some(_) = response(answer, &pointer.join("responses").join(status)) {
                return found;
            }
        }
        check::<Operation>(value, pointer)
    }

    fn parameter(value: &Value, pointer: &Pointer) -> Found {
        if let Some(found) = value.get("schema").and_then(|s| schema(s, &pointer.join("schema"))) {
            return Some(found);
        }
        content(value, pointer).or_else(|| check::<ReferenceOr<Parameter>>(value, pointer))
    }

    fn request_body(value: &Value, pointer: &Pointer) -> Found {
        content(value, pointer).or_else(|| check::<ReferenceOr<RequestBody>>(value, pointer))
    }

    fn response(value: &Value, pointer: &Pointer) -> Found {
        content(value, pointer).or_else(|| check::<ReferenceOr<Response>>(value, pointer))
    }

    fn content(value: &Value, pointer: &Pointer) -> Found {
        for (media_type, media) in entries(value.get("content")) {
            let schema_pointer = pointer.join("content").join(media_type).join("schema");
            if let Some(found) = media.get("schema").and_then(|s| schema(s, &schema_pointer)) {
                return Some(found);
            }
        }
        None
    }

    fn schema(value: &Value, pointer: &Pointer) -> Found {
        for (name, property) in entries(value.get("properties")) {
            if let found @ Some(_) = schema(property, &pointer.join("properties").join(name)) {
                return found;
            }
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(child) = value.get(key).filter(|c| c.is_object()) {
                if let found @ Some(_) = schema(child, &pointer.join(key)) {
                    return found;
                }
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for (i, child) in items(value.get(key)) {
                if let found @ Some(_) = schema(child, &pointer.join(key).join(i)) {
                    return found;
                }
            }
        }
        check::<ReferenceOr<Schema>>(value, pointer)
    }
}

/// OpenAPI 3.1 to 3.0: the schema keywords whose meaning 3.0 spells differently.
///
/// Only schema positions are rewritten (a property *named* `const` stays a property).
/// Keywords 3.0 has no equivalent for (`unevaluatedProperties`, `$ref` siblings, webhooks)
/// are left for `openapiv3` to ignore.
mod from_3_1 {
    use serde_json::{Map, Value};

    pub(super) fn normalize(tree: &mut Value) {
        let Some(root) = tree.as_object_mut() else { return };
        if let Some(schemas) = root.get_mut("components").and_then(|c| c.get_mut("schemas")) {
            for schema in values_mut(schemas) {
                schema_in_place(schema);
            }
        }
        for (key, value) in root.iter_mut() {
            if key == "components" {
                if let Some(components) = value.as_object_mut() {
                    for (kind, entries) in components.iter_mut() {
                        if kind != "schemas" {
                            non_schema(entries);
                        }
                    }
                }
            } else if key == "paths" || key == "webhooks" {
                non_schema(value);
            }
        }
    }

    fn values_mut(value: &mut Value) -> Box<dyn Iterator<Item = &mut Value> + '_> {
        match value {
            Value::Object(map) => Box::new(map.values_mut()),
            Value::Array(items) => Box::new(items.iter_mut()),
            _ => Box::new(std::iter::empty()),
        }
    }

    /// Walks a part of the document that is not a schema, looking for the `schema` keys
    /// of parameters, headers and media types.
    fn non_schema(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    if key == "schema" {
                        schema_in_place(child);
                    } else if key != "example" && key != "examples" {
                        non_schema(child);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(non_schema),
            _ => {}
        }
    }

    fn schema_in_place(schema: &mut Value) {
        // 3.1 allows `true` (anything) and `false` (nothing) as schemas.
        if let Value::Bool(anything) = schema {
            *schema = if *anything { Value::Object(Map::new()) } else { serde_json::json!({"not": {}}) };
            return;
        }
        let Value::Object(map) = schema else { return };
        rewrite_keywords(map);
        for key in ["items", "not", "additionalProperties"] {
            // `additionalProperties: true` is 3.0 too, and stays.
            if let Some(child) = map.get_mut(key).filter(|child| child.is_object() || key != "additionalProperties") {
                schema_in_place(child);
            }
        }
        for key in ["properties", "allOf", "oneOf", "anyOf"] {
            if let Some(children) = map.get_mut(key) {
                for child in values_mut(children) {
                    schema_in_place(child);
                }
            }
        }
    }

    fn rewrite_keywords(map: &mut Map<String, Value>) {
        // `type: [string, "null"]` is 3.0's `type: string, nullable: true`.
        if let Some(Value::Array(types)) = map.get("type") {
            let non_null: Vec<Value> = types.iter().filter(|t| t.as_str() != Some("null")).cloned().collect();
            let nullable = non_null.len() != types.len();
            match non_null.as_slice() {
                [single] => {
                    map.insert("type".into(), single.clone());
                }
                _ => {
                    map.remove("type");
                }
            }
            if nullable {
                map.insert("nullable".into(), Value::Bool(true));
            }
        }
        if let Some(value) = map.remove("const") {
            map.insert("enum".into(), Value::Array(vec![value]));
        }
        // An `enum` of strings (or a `const` string) without a `type` is a string enum.
        if let (None, Some(Value::Array(values))) = (map.get("type"), map.get("enum")) {
            if !values.is_empty() && values.iter().all(Value::is_string) {
                map.insert("type".into(), Value::String("string".into()));
            }
        }
        for (exclusive, inclusive) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
            if let Some(Value::Number(bound)) = map.get(exclusive).cloned() {
                map.insert(inclusive.into(), Value::Number(bound));
                map.insert(exclusive.into(), Value::Bool(true));
            }
        }
        if let Some(Value::Array(examples)) = map.remove("examples") {
            if let Some(first) = examples.into_iter().next() {
                map.entry("example").or_insert(first);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    fn pointer_of(text: &str) -> String {
        parse("spec.yaml", text).expect_err("should not parse").pointer
    }

    #[test]
    fn wrong_shape_names_its_pointer() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n";
        assert_eq!(pointer_of(text), "#/paths/~1a/get/responses");
    }

    #[test]
    fn errors_below_flattened_maps_keep_their_pointer() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              properties:\n                n: {type: integer, minimum: high}\n      responses: {}\n";
        assert_eq!(
            pointer_of(text),
            "#/paths/~1a~1{id}/post/requestBody/content/application~1json/schema/properties/n"
        );
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    S: {type: array, items: {type: string, maxLength: -1}}\n";
        assert_eq!(pointer_of(text), "#/components/schemas/S/items");
        let text = "openapi: 3.0.3\ninfo: {title: t, version: 1}\npaths: {}\n";
        assert_eq!(pointer_of(text), "#/info/version");
    }

    #[test]
    fn version_is_checked() {
        assert_eq!(pointer_of("swagger: '2.0'\n"), "#/swagger");
        assert_eq!(pointer_of("openapi: 4.0.0\n"), "#/openapi");
        assert_eq!(pointer_of("info: {}\n"), "#/openapi");
    }

    #[test]
    fn not_yaml_is_an_error_not_a_panic() {
        let error = parse("spec.yaml", "openapi: [unclosed\n").expect_err("broken YAML");
        assert_eq!(error.pointer, "#");
        assert!(error.message.starts_with("not valid YAML"), "{}", error.message);
    }

    #[test]
    fn openapi_3_1_keywords_become_3_0() {
        let text = r#"{
          "openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
          "components": {"schemas": {"S": {"type": "object", "properties": {
            "const": {"type": ["string", "null"]},
            "kind": {"const": "fixed"},
            "mode": {"enum": ["a", "b"]},
            "n": {"type": "integer", "exclusiveMinimum": 0}
          }}}}
        }"#;
        let document = parse("spec.json", text).expect("parses");
        let schema = serde_json::to_value(&document.components.expect("components").schemas["S"]).expect("json");
        let properties = &schema["properties"];
        assert_eq!(properties["const"]["type"], "string");
        assert_eq!(properties["const"]["nullable"], true);
        assert_eq!(properties["kind"]["enum"], serde_json::json!(["fixed"]));
        assert_eq!(properties["kind"]["type"], "string");
        assert_eq!(properties["mode"]["type"], "string");
        assert_eq!(properties["n"]["minimum"], 0);
        assert_eq!(properties["n"]["exclusiveMinimum"], true);
    }
}
