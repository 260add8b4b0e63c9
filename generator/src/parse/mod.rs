//! Stage 1: text to `openapiv3::OpenAPI`, and the warnings of the way there.
//!
//! The text (YAML or JSON) is first read into a plain document tree, so that the version
//! can be checked, the other files that `$ref`s name brought in ([`bundle`]) and OpenAPI 3.1
//! documents brought to 3.0 shape ([`from_3_1`]), and `$ref`s to places other than components
//! made into references to components ([`local_refs`]), and class hierarchies written with a
//! `discriminator` into the unions they are ([`inheritance`]), before the typed deserialization.
//! The typed deserialization takes the tree, moving its strings. A document that does not
//! deserialize is made into a tree again and deserialized through `serde_path_to_error`
//! (tracking the path on every run would slow every run down), so that it is reported with
//! the JSON pointer of the offending value ([`locate`] finds it below the maps `openapiv3`
//! flattens). Only this stage knows about 3.1 and about other files: the rest
//! sees one 3.0 document. Before all this, the spec's overlays ([`overlay`]) are applied to
//! the tree, so every later step sees the corrected document.

mod bundle;
mod from_3_1;
mod inheritance;
mod local_refs;
mod locate;
mod numbers;
mod origins;
mod overlay;

pub(crate) use from_3_1::{LICENSE_IDENTIFIER, TUPLE_ITEMS};
pub(crate) use origins::Origins;

use std::collections::BTreeSet;

use openapiv3::OpenAPI;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Pointer, Warning};
use crate::Spec;

/// The spec's text read into a tree, its overlays applied in order (and the warnings they
/// give): the document every later step of the stage reads.
pub(crate) fn overlaid_tree(spec: Spec<'_>) -> Result<(Value, Vec<Warning>), Error> {
    let error = |pointer: &Pointer, message: String| spec_error(spec.path, pointer, message);
    let mut tree = read_tree(spec.text).map_err(|message| error(&Pointer::root(), message))?;
    check_depth(&tree).map_err(|(pointer, message)| error(&pointer, message))?;
    let mut warnings = Vec::new();
    for &document in spec.overlays {
        warnings.extend(overlay::apply(&mut tree, document)?);
        // An update can nest the document deeper than either file.
        check_depth(&tree).map_err(|(pointer, message)| error(&pointer, message))?;
    }
    Ok((tree, warnings))
}

pub(crate) fn parse(spec: Spec<'_>) -> Result<(OpenAPI, Vec<Warning>, Origins), Error> {
    let (tree, warnings, origins) = prepared_tree(spec)?;
    // The typed reading takes the tree, moving its strings instead of copying them.
    if let Some(document) = deserialize(tree) {
        return Ok((document, warnings, origins));
    }
    // It failed: the tree is made again, to be read with the path tracked and to say where.
    let (tree, _, origins) = prepared_tree(spec)?;
    match serde_path_to_error::deserialize::<_, OpenAPI>(&tree) {
        Ok(document) => Ok((document, warnings, origins)),
        Err(e) => {
            // `openapiv3` flattens maps (paths, responses), and the path of an error below a
            // flattened map is lost; `locate` finds the deepest part that fails on its own.
            let (pointer, message) = locate::first_error(&tree)
                .unwrap_or_else(|| (path_to_pointer(&Pointer::root(), e.path()), e.inner().to_string()));
            Err(origins.locate_error(spec_error(spec.path, &pointer, message)))
        }
    }
}

/// An error in the spec `file` at `pointer`.
fn spec_error(file: &str, pointer: &Pointer, message: String) -> Error {
    Error { kind: ErrorKind::Spec, file: file.to_owned(), pointer: pointer.to_string(), message }
}

/// The document as a tree that the typed reading takes: overlaid, bundled, in 3.0 shape,
/// its local `$ref`s to components, with the warnings of the way there, and where the
/// schemas it moved were written.
fn prepared_tree(spec: Spec<'_>) -> Result<(Value, Vec<Warning>, Origins), Error> {
    let file = spec.path;
    let error = |pointer: &Pointer, message: String| spec_error(file, pointer, message);
    let (mut tree, mut warnings) = overlaid_tree(spec)?;

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
    let v31 = version.starts_with("3.1.");
    if !v31 && !version.starts_with("3.0.") {
        return Err(error(
            &version_pointer,
            format!("OpenAPI version {version} is not supported (3.0.x and 3.1.x are); a document in another version must be converted first"),
        ));
    }
    let mut origins = Origins::default();
    warnings.extend(bundle::bundle(&mut tree, file, spec.loader, &mut origins)?);
    // From here on, a message about a part that another file gave, or about a schema that
    // was moved, names where it was written (`origins`).
    // Parameters and responses from other files are written in place.
    check_depth(&tree).map_err(|(pointer, message)| origins.locate_error(error(&pointer, message)))?;
    let mut later = Vec::new();
    if v31 {
        from_3_1::normalize(&mut tree, &mut later, &mut origins);
    }
    local_refs::rewrite_local_refs(&mut tree, &mut origins)
        .map_err(|(pointer, message)| origins.locate_error(error(&pointer, message)))?;
    inheritance::unions_of_subtypes(&mut tree, &mut origins);
    numbers::fit_bounds(&mut tree, &mut later);
    drop_callbacks(&mut tree, &mut later);
    warnings.extend(later.into_iter().map(|warning| origins.locate_warning(warning)));

    Ok((tree, warnings, origins))
}

/// The operations' `callbacks` (requests the server makes to the client, which a client
/// does not send) are taken out, with a warning each: nothing reads them, and specs get
/// them wrong in ways that would stop the typed reading (a `$ref` to a callback where its
/// path item belongs).
fn drop_callbacks(tree: &mut Value, warnings: &mut Vec<Warning>) {
    const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    if let Some(components) = tree.get_mut("components").and_then(Value::as_object_mut) {
        components.remove("callbacks");
    }
    let Some(paths) = tree.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for (method, operation) in item.iter_mut().filter(|(method, _)| METHODS.contains(&method.as_str())) {
            let Some(operation) = operation.as_object_mut() else { continue };
            if operation.remove("callbacks").is_some() {
                warnings.push(Warning {
                    pointer: Pointer::root().join("paths").join(path).join(method).join("callbacks").to_string(),
                    message: "callbacks are requests the server makes, not the client; not generated".to_owned(),
                });
            }
        }
    }
}

/// The document, if the tree deserializes: its `paths` (on a big spec, most of the work) in
/// parts, one per core, each on a thread of its own, while the rest deserializes.
fn deserialize(mut tree: Value) -> Option<OpenAPI> {
    let paths = match tree.get_mut("paths") {
        Some(Value::Object(paths)) => std::mem::take(paths),
        _ => return OpenAPI::deserialize(tree).ok(),
    };
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let part_len = paths.len().div_ceil(cores).max(1);
    let mut parts: Vec<Map<String, Value>> = Vec::new();
    for (path, item) in paths {
        match parts.last_mut() {
            Some(part) if part.len() < part_len => {
                part.insert(path, item);
            }
            _ => parts.push(Map::from_iter([(path, item)])),
        }
    }
    let (document, parts) = std::thread::scope(|scope| {
        let parts: Vec<_> = parts
            .into_iter()
            .map(|part| scope.spawn(move || openapiv3::Paths::deserialize(Value::Object(part))))
            .collect();
        let document = OpenAPI::deserialize(tree);
        let parts: Vec<_> = parts
            .into_iter()
            .map(|part| part.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect();
        (document, parts)
    });
    let mut document = document.ok()?;
    for part in parts {
        let part = part.ok()?;
        document.paths.paths.extend(part.paths);
        document.paths.extensions.extend(part.extensions);
    }
    Some(document)
}

/// Reads YAML or JSON into a document tree, which must be a mapping.
fn read_tree(text: &str) -> Result<Value, String> {
    let tree = read_value(text)?;
    if !tree.is_object() {
        return Err("an OpenAPI document must be a mapping at the top level".into());
    }
    Ok(tree)
}

/// Reads YAML or JSON into a tree. JSON is read by `serde_json` (YAML 1.2 would accept it
/// too, but JSON's own parser gives better messages).
fn read_value(text: &str) -> Result<Value, String> {
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))
    } else {
        numbers::read_yaml(text).map_err(|e| format!("not valid YAML: {e}"))
    }
}

/// An error (its pointer and message) if the tree nests deeper than the stages can follow.
fn check_depth(tree: &Value) -> Result<(), (Pointer, String)> {
    match too_deep(tree, MAX_DEPTH) {
        None => Ok(()),
        Some(path) => Err((
            path.iter().rev().fold(Pointer::root(), |pointer, segment| pointer.join(segment)),
            format!("the document nests more than {MAX_DEPTH} levels deep here, which is not supported"),
        )),
    }
}

/// Schema keywords whose value is one schema.
const ONE_SCHEMA: &[&str] = &[
    "items",
    "additionalProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "contentSchema",
];
/// Schema keywords whose value is a map of schemas.
const SCHEMA_MAPS: &[&str] = &["properties", "patternProperties", "dependentSchemas", "$defs", "definitions"];
/// Schema keywords whose value is a list of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "oneOf", "anyOf", "prefixItems", TUPLE_ITEMS];

/// The schemas directly inside a schema, each with the segments of its pointer below it.
fn subschemas(map: &mut Map<String, Value>) -> Vec<(Vec<String>, &mut Value)> {
    let mut found = Vec::new();
    for (key, value) in map.iter_mut() {
        let keyword = key.as_str();
        if ONE_SCHEMA.contains(&keyword) {
            if value.is_object() || value.is_boolean() {
                found.push((vec![key.clone()], value));
            }
        } else if SCHEMA_MAPS.contains(&keyword) {
            if let Value::Object(children) = value {
                found.extend(children.iter_mut().map(|(name, child)| (vec![key.clone(), name.clone()], child)));
            }
        } else if SCHEMA_LISTS.contains(&keyword) {
            if let Value::Array(children) = value {
                found.extend(
                    children.iter_mut().enumerate().map(|(i, child)| (vec![key.clone(), i.to_string()], child)),
                );
            }
        }
    }
    found
}

/// Where the parts of a document that hold schemas are: each component schema (`true`: a
/// schema itself), and `paths` and each other kind of component (`false`: not a schema, but
/// with schemas below `schema` keys), in document order.
fn schema_holders(root: &mut Map<String, Value>) -> Vec<(Pointer, &mut Value, bool)> {
    let mut parts = Vec::new();
    for (key, value) in root.iter_mut() {
        let pointer = Pointer::root().join(key);
        match (key.as_str(), value) {
            ("paths", value) => parts.push((pointer, value, false)),
            ("components", Value::Object(components)) => {
                for (kind, entries) in components.iter_mut() {
                    let pointer = pointer.join(kind);
                    if kind != "schemas" {
                        parts.push((pointer, entries, false));
                    } else if let Value::Object(schemas) = entries {
                        parts.extend(schemas.iter_mut().map(|(name, schema)| (pointer.join(name), schema, true)));
                    }
                }
            }
            _ => {}
        }
    }
    parts
}

fn join_all(pointer: &Pointer, segments: &[String]) -> Pointer {
    segments.iter().fold(pointer.clone(), |pointer, segment| pointer.join(segment))
}

/// A component name not yet in `taken` (which it joins): `preferred`, else `qualified`, else
/// `qualified` with a number. Called in document order, so names are stable.
fn unique_name(taken: &mut BTreeSet<String>, preferred: &str, qualified: &str) -> String {
    let numbered = (2..).map(|n| format!("{qualified}{n}"));
    let name = [preferred.to_owned(), qualified.to_owned()]
        .into_iter()
        .chain(numbered)
        .find(|candidate| !candidate.is_empty() && !taken.contains(candidate))
        .unwrap_or_default();
    taken.insert(name.clone());
    name
}

/// How deep the document tree may nest. Deserializing a schema nested about 70 deep
/// overflows a 2 MiB stack in a debug build (the parsers themselves stop at 128); real specs
/// nest less than 15 deep.
const MAX_DEPTH: usize = 48;

/// The path (innermost segment first) to a value nested more than `levels` deep, if any.
/// (A segment is made only on the way back from a value too deep: the walk itself, over
/// the whole document, allocates nothing.)
fn too_deep(value: &Value, levels: usize) -> Option<Vec<String>> {
    let found = |segment: &dyn Fn() -> String, child: &Value| {
        let mut path = too_deep(child, levels - 1)?;
        path.push(segment());
        Some(path)
    };
    match value {
        Value::Object(_) | Value::Array(_) if levels == 0 => Some(Vec::new()),
        Value::Object(map) => map.iter().find_map(|(key, child)| found(&|| key.clone(), child)),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, child)| found(&|| i.to_string(), child)),
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

/// A URI fragment's `%XX` escapes (`#/paths/~1pets~1%7Bid%7D`), decoded.
pub(super) fn percent_decode(reference: &str) -> String {
    if !reference.contains('%') {
        return reference.to_owned();
    }
    let bytes = reference.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes.get(index + 1..index + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[index], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                index += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(decoded).unwrap_or_else(|_| reference.to_owned())
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::Spec;

    fn pointer_of(text: &str) -> String {
        parse(Spec::new("spec.yaml", text)).expect_err("should not parse").pointer
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
            "#/paths/~1a~1{id}/post/requestBody/content/application~1json/schema/properties/n/minimum"
        );
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    S: {type: array, items: {type: string, maxLength: -1}}\n";
        assert_eq!(pointer_of(text), "#/components/schemas/S/items/maxLength");
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
        let error = parse(Spec::new("spec.yaml", "openapi: [unclosed\n")).expect_err("broken YAML");
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
        let (document, _, _) = parse(Spec::new("spec.json", text)).expect("parses");
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

    #[test]
    fn defs_become_components_under_free_names() {
        let text = r##"{
          "openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
          "components": {"schemas": {
            "Y": {"type": "string"},
            "X": {"type": "object", "properties": {
              "own": {"$ref": "#/$defs/Y"},
              "full": {"$ref": "#/components/schemas/X/$defs/Z"}
            }, "$defs": {"Y": {"type": "integer"}, "Z": {"type": "boolean"}}}
          }}
        }"##;
        let (document, warnings, _) = parse(Spec::new("spec.json", text)).expect("parses");
        assert!(warnings.is_empty(), "{warnings:?}");
        let schemas = document.components.expect("components").schemas;
        let names: Vec<&str> = schemas.keys().map(String::as_str).collect();
        assert_eq!(names, ["Y", "X", "X_Y", "Z"]);
        let x = serde_json::to_value(&schemas["X"]).expect("json");
        assert_eq!(x["properties"]["own"]["$ref"], "#/components/schemas/X_Y");
        assert_eq!(x["properties"]["full"]["$ref"], "#/components/schemas/Z");
        assert!(x.get("$defs").is_none());
    }

    #[test]
    fn a_ref_with_siblings_is_an_all_of_of_it() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: string}\n    B:\n      type: object\n      properties:\n        a: {$ref: '#/components/schemas/A', description: Here., readOnly: true}\n        plain: {$ref: '#/components/schemas/A', $comment: only a comment}\n";
        let (document, _, _) = parse(Spec::new("spec.yaml", text)).expect("parses");
        let b = serde_json::to_value(&document.components.expect("components").schemas["B"]).expect("json");
        assert_eq!(b["properties"]["a"]["allOf"], serde_json::json!([{"$ref": "#/components/schemas/A"}]));
        assert_eq!(b["properties"]["a"]["description"], "Here.");
        assert_eq!(b["properties"]["a"]["readOnly"], true);
        assert_eq!(b["properties"]["plain"]["$ref"], "#/components/schemas/A");
    }
}
