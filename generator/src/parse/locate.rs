//! Finds where in a document that `openapiv3` rejects the problem is, by deserializing its
//! parts on their own, deepest first: schemas, parameters, bodies, responses, operations.

use openapiv3::{Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema, SecurityScheme};
use serde::de::DeserializeOwned;
use serde::Deserialize;
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
    let (at, message) = check::<ReferenceOr<Schema>>(value, pointer)?;
    let at = if at.to_string() == pointer.to_string() { keyword_at_fault(value, at) } else { at };
    Some((at, message))
}

/// The pointer of the keyword that makes a schema unreadable, if the error's own path stops
/// at the schema (`openapiv3` reads a schema's kind through a flattened untagged enum, which
/// loses the path) and one keyword alone is at fault: the schema without it reads.
fn keyword_at_fault(value: &Value, at: Pointer) -> Pointer {
    let Some(map) = value.as_object() else { return at };
    let without = |key: &str| {
        let mut rest = map.clone();
        rest.remove(key);
        Value::Object(rest)
    };
    let at_fault = map.keys().find(|key| ReferenceOr::<Schema>::deserialize(without(key)).is_ok());
    match at_fault {
        Some(key) => at.join(key),
        None => at,
    }
}
