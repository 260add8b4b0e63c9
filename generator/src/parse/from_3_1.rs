//! OpenAPI 3.1 to 3.0: the keywords whose meaning 3.0 spells differently, rewritten in the
//! document tree before `openapiv3` (a 3.0 model) reads it.
//!
//! | 3.1 | becomes |
//! |---|---|
//! | `type: [T, "null"]` | `type: T, nullable: true` |
//! | `type: [T, U, ...]` (several non-null types) | `oneOf` of one schema per type, each with its own keywords (`maxLength` to the string, `items` to the array ...): an untagged enum with a variant per type (`String(String)`, `Integer(i64)`) |
//! | `const: v` | `enum: [v]` (a one-value enum; a constant property tags a union) |
//! | `enum`/`const` of strings without `type` | `type: string` |
//! | numeric `exclusiveMinimum`/`exclusiveMaximum` | `minimum`/`maximum` with the boolean |
//! | `examples: [a, ...]` | `example: a` |
//! | `true` / `false` schema | `{}` / `{not: {}}` |
//! | `$ref` with sibling keywords | `allOf: [{$ref}]` with the siblings beside it: a description, `default`, `deprecated`, `readOnly` apply at that use site |
//! | `unevaluatedProperties` | `additionalProperties` (when that is absent) |
//! | `contentEncoding: base64`, or `contentMediaType` of non-text content, on a string | `format: binary`: a `File` (bytes; base64 in JSON) |
//! | `$defs` (in a component, at any depth, or at the top of the document) | components of their own (the key, or `<Component>_<key>` if taken), `$ref`s to them rewritten; `#/$defs/Y` inside a component means the component's own `$defs` when the document has none at its top |
//! | `prefixItems` of a closed array (`items: false`, `unevaluatedItems: false` or `maxItems` equal to their number) | a tuple (`(String, i64)`), through the `x-generator-prefix-items` extension that `resolve` reads |
//! | `prefixItems` of an open array, or with a `minItems` below their number | `serde_json::Value`, with a warning |
//! | `patternProperties` with one pattern, on an object without other properties | `additionalProperties`: a map of the pattern's schema |
//! | `if`/`then`/`else`, `dependentSchemas`, other `patternProperties`, `$dynamicRef` | dropped, with a warning: the type is the schema without them |
//! | `webhooks`, `components/pathItems` (not referred to from `paths`) | not generated, a warning each; a path item `paths` refers to is copied in its place |
//! | no `paths`, an operation without `responses` (both optional in 3.1) | `paths: {}`, `responses: {}` |
//! | a `mutualTLS` security scheme | removed, with a warning: a client certificate belongs to the `reqwest::Client` |
//! | `info.license.identifier` (an SPDX expression) | the extension `x-generator-license-identifier`, which `resolve` makes the package's `license` |
//!
//! Only schema positions are rewritten (a property *named* `const` stays a property).
//! Every warning names the JSON pointer of the construct in the document.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use super::origins::Origins;
use super::{join_all, schema_holders, subschemas, unique_name};
use crate::error::{Pointer, Warning};

/// The extension a closed `prefixItems` is renamed to, for `resolve` to make a tuple of.
pub(crate) const TUPLE_ITEMS: &str = "x-generator-prefix-items";

/// The extension `info.license.identifier` is renamed to (3.0's model has no such field).
pub(crate) const LICENSE_IDENTIFIER: &str = "x-generator-license-identifier";

pub(super) fn normalize(tree: &mut Value, warnings: &mut Vec<Warning>, origins: &mut Origins) {
    let Some(root) = tree.as_object_mut() else { return };
    hoist_defs(root, origins);
    path_items(root, warnings);
    optional_paths_and_responses(root);
    mutual_tls(root, warnings);
    license_identifier(root);
    if let Some(Value::Object(webhooks)) = root.remove("webhooks") {
        for name in webhooks.keys() {
            warn(
                warnings,
                &Pointer::root().join("webhooks").join(name),
                "webhooks are requests the API sends, not ones a client makes: not generated",
            );
        }
    }
    let mut walker = Walker { warnings };
    for (pointer, part, is_schema) in schema_holders(root) {
        if is_schema {
            walker.schema(part, &pointer);
        } else {
            walker.non_schema(part, &pointer);
        }
    }
}

fn warn(warnings: &mut Vec<Warning>, pointer: &Pointer, message: impl Into<String>) {
    warnings.push(Warning { pointer: pointer.to_string(), message: message.into() });
}

/// 3.1's `components/pathItems`: copied where `paths` refers to them; the others are not
/// generated, with a warning.
fn path_items(root: &mut Map<String, Value>, warnings: &mut Vec<Warning>) {
    let Some(Value::Object(items)) = root.get_mut("components").and_then(|c| c.as_object_mut()?.remove("pathItems"))
    else {
        return;
    };
    let mut used = BTreeSet::new();
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for item in paths.values_mut() {
            let Some(Value::String(reference)) = item.get("$ref") else { continue };
            let Some(name) = reference.strip_prefix("#/components/pathItems/") else { continue };
            let name = name.replace("~1", "/").replace("~0", "~");
            if let Some(Value::Object(target)) = items.get(&name) {
                let mut copy = target.clone();
                if let Value::Object(siblings) = item {
                    // A reference's `summary` and `description` win over the item's.
                    copy.extend(siblings.iter().filter(|(k, _)| *k != "$ref").map(|(k, v)| (k.clone(), v.clone())));
                }
                *item = Value::Object(copy);
                used.insert(name);
            }
        }
    }
    for name in items.keys().filter(|name| !used.contains(*name)) {
        warn(
            warnings,
            &Pointer::root().join("components").join("pathItems").join(name),
            "a path item that `paths` does not refer to is not generated",
        );
    }
}

/// 3.1 lets a document leave out `paths` (one of webhooks only) and an operation leave out
/// `responses`; 3.0 requires both, empty or not.
fn optional_paths_and_responses(root: &mut Map<String, Value>) {
    const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let paths = root.entry("paths").or_insert_with(|| json!({}));
    let Value::Object(paths) = paths else { return };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for (_, operation) in item.iter_mut().filter(|(method, _)| METHODS.contains(&method.as_str())) {
            if let Value::Object(operation) = operation {
                operation.entry("responses").or_insert_with(|| json!({}));
            }
        }
    }
}

/// 3.1's `info.license.identifier`, kept as an extension that `openapiv3` reads.
fn license_identifier(root: &mut Map<String, Value>) {
    let license = root.get_mut("info").and_then(|info| info.get_mut("license")).and_then(Value::as_object_mut);
    if let Some(license) = license {
        if let Some(identifier) = license.remove("identifier") {
            license.insert(LICENSE_IDENTIFIER.to_owned(), identifier);
        }
    }
}

/// 3.1's `mutualTLS` security scheme: a client certificate, which is set on the HTTP client
/// rather than on each request; removed, with a warning that says where it goes instead.
fn mutual_tls(root: &mut Map<String, Value>, warnings: &mut Vec<Warning>) {
    let schemes = root.get_mut("components").and_then(|c| c.get_mut("securitySchemes")).and_then(Value::as_object_mut);
    let Some(schemes) = schemes else { return };
    let mutual: Vec<String> = schemes
        .iter()
        .filter(|(_, scheme)| scheme.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(name, _)| name.clone())
        .collect();
    for name in mutual {
        schemes.remove(&name);
        warn(
            warnings,
            &Pointer::root().join("components").join("securitySchemes").join(&name),
            "a `mutualTLS` scheme is not generated: give the client certificate (`reqwest::Identity`) to the \
             `reqwest::Client` passed to `ClientBuilder::http_client`",
        );
    }
}

/// Every `$defs` entry becomes a component schema, and the `$ref`s to it point there;
/// `origins` records where each was written.
fn hoist_defs(root: &mut Map<String, Value>, origins: &mut Origins) {
    // Where each definition is, in document order, and which component it is in.
    let mut found: Vec<(Pointer, String, Option<String>)> = Vec::new();
    if let Some(Value::Object(defs)) = root.get_mut("$defs") {
        let pointer = Pointer::root().join("$defs");
        for (key, def) in defs.iter_mut() {
            found.push((pointer.join(key), key.clone(), None));
            find_defs(def, &pointer.join(key), None, &mut found);
        }
    }
    let schemas = root.get_mut("components").and_then(|c| c.get_mut("schemas")).and_then(Value::as_object_mut);
    let mut taken: BTreeSet<String> = BTreeSet::new();
    if let Some(schemas) = schemas {
        taken.extend(schemas.keys().cloned());
        for (name, schema) in schemas.iter_mut() {
            let pointer = Pointer::root().join("components").join("schemas").join(name);
            find_defs(schema, &pointer, Some(name), &mut found);
        }
    }
    if found.is_empty() {
        return;
    }
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for (pointer, key, component) in &found {
        let qualified = component.as_ref().map_or_else(|| key.clone(), |c| format!("{c}_{key}"));
        names.insert(pointer.to_string(), unique_name(&mut taken, key, &qualified));
    }
    // Rewrite the references while the definitions are still where they were written.
    for (key, value) in root.iter_mut() {
        if key != "components" {
            rewrite_refs(value, None, &names);
            continue;
        }
        let Some(components) = value.as_object_mut() else { continue };
        for (kind, entries) in components.iter_mut() {
            match entries.as_object_mut() {
                Some(schemas) if kind == "schemas" => {
                    for (name, schema) in schemas.iter_mut() {
                        rewrite_refs(schema, Some(name), &names);
                    }
                }
                _ => rewrite_refs(entries, None, &names),
            }
        }
    }
    // Then move them (a definition inside another moves on its own).
    let mut hoisted = Vec::new();
    let tree = Value::Object(std::mem::take(root));
    for (pointer, _, _) in &found {
        let plain = pointer.to_string();
        if let Some(def) = tree.pointer(&plain[1..]) {
            let mut def = def.clone();
            remove_defs(&mut def);
            let name = &names[&plain];
            origins.record_move(Pointer::root().join("components").join("schemas").join(name).to_string(), plain);
            hoisted.push((name.clone(), def));
        }
    }
    let Value::Object(mut tree) = tree else { return };
    tree.remove("$defs");
    if let Some(Value::Object(schemas)) = tree.get_mut("components").and_then(|c| c.get_mut("schemas")) {
        for schema in schemas.values_mut() {
            remove_defs(schema);
        }
    }
    let components = tree.entry("components").or_insert_with(|| json!({}));
    if let Some(components) = components.as_object_mut() {
        if let Some(Value::Object(schemas)) = Some(components.entry("schemas").or_insert_with(|| json!({}))) {
            schemas.extend(hoisted);
        }
    }
    *root = tree;
}

fn find_defs(
    schema: &mut Value,
    pointer: &Pointer,
    component: Option<&String>,
    found: &mut Vec<(Pointer, String, Option<String>)>,
) {
    let Value::Object(map) = schema else { return };
    for (segments, child) in subschemas(map) {
        let child_pointer = join_all(pointer, &segments);
        if let [keyword, key] = segments.as_slice() {
            if keyword == "$defs" || keyword == "definitions" {
                found.push((child_pointer.clone(), key.clone(), component.cloned()));
            }
        }
        find_defs(child, &child_pointer, component, found);
    }
}

fn remove_defs(schema: &mut Value) {
    let Value::Object(map) = schema else { return };
    map.remove("$defs");
    map.remove("definitions");
    for (_, child) in subschemas(map) {
        remove_defs(child);
    }
}

/// Points every `$ref` to a definition (or into one) at its component. Inside component
/// `component`, `#/$defs/Y` is that component's own definition if the document has none.
fn rewrite_refs(value: &mut Value, component: Option<&String>, names: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                if let Some(new) = def_target(reference, component, names) {
                    *reference = new;
                }
            }
            for child in map.values_mut() {
                rewrite_refs(child, component, names);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rewrite_refs(item, component, names)),
        _ => {}
    }
}

fn def_target(reference: &str, component: Option<&String>, names: &BTreeMap<String, String>) -> Option<String> {
    let lookup = |reference: &str| {
        // The longest definition the reference names or points into.
        names
            .iter()
            .filter(|(pointer, _)| {
                reference == pointer.as_str()
                    || reference.strip_prefix(pointer.as_str()).is_some_and(|r| r.starts_with('/'))
            })
            .max_by_key(|(pointer, _)| pointer.len())
            .map(|(pointer, name)| {
                let component = Pointer::root().join("components").join("schemas").join(name).to_string();
                format!("{component}{}", &reference[pointer.len()..])
            })
    };
    if let Some(found) = lookup(reference) {
        return Some(found);
    }
    let rest = reference.strip_prefix("#/$defs/")?;
    let own = Pointer::root().join("components").join("schemas").join(component?).join("$defs").to_string();
    lookup(&format!("{own}/{rest}"))
}

struct Walker<'w> {
    warnings: &'w mut Vec<Warning>,
}

impl Walker<'_> {
    /// Walks a part of the document that is not a schema, looking for the `schema` keys
    /// of parameters, headers and media types.
    fn non_schema(&mut self, value: &mut Value, pointer: &Pointer) {
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    if key == "schema" {
                        self.schema(child, &pointer.join(key));
                    } else if key != "example" && key != "examples" {
                        self.non_schema(child, &pointer.join(key));
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    self.non_schema(child, &pointer.join(i));
                }
            }
            _ => {}
        }
    }

    fn schema(&mut self, schema: &mut Value, pointer: &Pointer) {
        // 3.1 allows `true` (anything) and `false` (nothing) as schemas.
        if let Value::Bool(anything) = schema {
            *schema = if *anything { json!({}) } else { json!({"not": {}}) };
            return;
        }
        let Value::Object(map) = schema else { return };
        self.rewrite_keywords(map, pointer);
        for (segments, child) in subschemas(map) {
            // `additionalProperties: true` and `items: false` keep their 3.0 meaning.
            if child.is_boolean() && segments.len() == 1 {
                continue;
            }
            self.schema(child, &join_all(pointer, &segments));
        }
    }

    fn rewrite_keywords(&mut self, map: &mut Map<String, Value>, pointer: &Pointer) {
        ref_siblings(map);
        if let Some(value) = map.remove("const") {
            map.insert("enum".into(), Value::Array(vec![value]));
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
        if let Some(unevaluated) = map.remove("unevaluatedProperties") {
            map.entry("additionalProperties").or_insert(unevaluated);
        }
        content_keywords(map);
        self.types(map, pointer);
        // An `enum` of strings (or a `const` string) without a `type` is a string enum.
        if let (None, Some(Value::Array(values))) = (map.get("type"), map.get("enum")) {
            if !values.is_empty() && values.iter().all(Value::is_string) {
                map.insert("type".into(), Value::String("string".into()));
            }
        }
        self.prefix_items(map, pointer);
        let conditional: Vec<&str> =
            ["if", "then", "else"].into_iter().filter(|keyword| map.remove(*keyword).is_some()).collect();
        if let Some(first) = conditional.first() {
            self.warn(&pointer.join(first), "`if`/`then`/`else` is not generated: the type is the schema without it");
        }
        // An object whose keys all match one pattern is a map of the pattern's schema.
        if let Some(Value::Object(patterns)) = map.get("patternProperties") {
            if patterns.len() == 1 && !map.contains_key("properties") && !map.contains_key("additionalProperties") {
                let value = patterns.values().next().cloned().unwrap_or_default();
                map.remove("patternProperties");
                map.insert("additionalProperties".into(), value);
            }
        }
        for keyword in ["dependentSchemas", "patternProperties", "$dynamicRef"] {
            if map.remove(keyword).is_some() {
                self.warn(
                    &pointer.join(keyword),
                    format!("`{keyword}` is not generated: the type is the schema without it"),
                );
            }
        }
        if matches!(map.get("items"), Some(Value::Bool(_))) {
            // `items: false` (no items) or `true` (any): a list of JSON values either way.
            map.remove("items");
        }
    }

    /// `type` as a list: `[T, "null"]` is a nullable `T`; several types are a `oneOf`.
    fn types(&mut self, map: &mut Map<String, Value>, pointer: &Pointer) {
        let Some(Value::Array(types)) = map.get("type") else { return };
        let mut non_null: Vec<String> = Vec::new();
        for name in types.iter().filter_map(Value::as_str).filter(|t| *t != "null") {
            if !non_null.iter().any(|known| known == name) {
                non_null.push(name.to_owned());
            }
        }
        let nullable = types.iter().any(|t| t.as_str() == Some("null"));
        map.remove("type");
        if nullable {
            map.insert("nullable".into(), Value::Bool(true));
        }
        match non_null.as_slice() {
            [] => {}
            [single] => {
                map.insert("type".into(), json!(single));
            }
            _ if map.contains_key("oneOf") || map.contains_key("anyOf") => {
                self.warn(
                    &pointer.join("type"),
                    "a list of types beside `oneOf`/`anyOf` is not generated: the alternatives say what the value is",
                );
            }
            several => {
                let alternatives: Vec<Value> = several.iter().map(|ty| alternative_of_type(map, ty)).collect();
                for keywords in several.iter().map(|ty| keywords_of_type(ty)) {
                    for keyword in keywords {
                        map.remove(*keyword);
                    }
                }
                map.remove("enum");
                map.insert("oneOf".into(), Value::Array(alternatives));
            }
        }
    }

    /// `prefixItems`: a tuple when the array holds exactly those items, else any JSON.
    fn prefix_items(&mut self, map: &mut Map<String, Value>, pointer: &Pointer) {
        let Some(prefix) = map.remove("prefixItems") else { return };
        let count = prefix.as_array().map_or(0, Vec::len);
        let closed =
            [map.get("items"), map.get("unevaluatedItems")].into_iter().any(|v| v == Some(&Value::Bool(false)))
                || map.get("maxItems").and_then(Value::as_u64) == Some(count as u64);
        let complete = map.get("minItems").and_then(Value::as_u64).is_none_or(|min| min >= count as u64);
        if count > 0 && closed && complete {
            map.remove("items");
            map.remove("unevaluatedItems");
            map.insert("type".into(), json!("array"));
            map.insert(super::TUPLE_ITEMS.into(), prefix);
            return;
        }
        let why = if !closed {
            "items after the first ones may follow"
        } else if !complete {
            "`minItems` lets the array end before all of them"
        } else {
            "the list is empty"
        };
        self.warn(
            &pointer.join("prefixItems"),
            format!("`prefixItems` is a Rust tuple only for arrays of exactly those items ({why}); generated as serde_json::Value"),
        );
        const ANNOTATIONS: &[&str] =
            &["description", "title", "default", "example", "deprecated", "readOnly", "writeOnly", "nullable"];
        map.retain(|key, _| ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-"));
    }

    fn warn(&mut self, pointer: &Pointer, message: impl Into<String>) {
        warn(self.warnings, pointer, message);
    }
}

/// 3.1 lets a `$ref` have sibling keywords that apply at that use site; 3.0 reads them
/// beside an `allOf` of the reference.
fn ref_siblings(map: &mut Map<String, Value>) {
    const IGNORED: &[&str] = &["$ref", "$comment", "$id", "$schema", "$anchor", "$defs", "definitions"];
    if !map.contains_key("$ref") || map.keys().all(|key| IGNORED.contains(&key.as_str())) {
        return;
    }
    let Some(reference) = map.remove("$ref") else { return };
    let mut parts = vec![json!({ "$ref": reference })];
    if let Some(Value::Array(others)) = map.remove("allOf") {
        parts.extend(others);
    }
    map.insert("allOf".into(), Value::Array(parts));
}

/// `contentEncoding: base64` (bytes written as base64) and `contentMediaType` of non-text
/// content (bytes as they are): a file's bytes.
fn content_keywords(map: &mut Map<String, Value>) {
    if map.contains_key("format") || map.get("type").is_some_and(|t| t != "string" && !t.is_array()) {
        return;
    }
    let encoding = map.get("contentEncoding").and_then(Value::as_str);
    let media_type = map.get("contentMediaType").and_then(Value::as_str);
    let binary = match (encoding, media_type) {
        (Some(encoding), _) => encoding.eq_ignore_ascii_case("base64"),
        (None, Some(media_type)) => {
            let media_type = media_type.to_ascii_lowercase();
            !(media_type.starts_with("text/") || media_type.contains("json") || media_type.contains("xml"))
        }
        (None, None) => false,
    };
    if binary {
        map.insert("format".into(), json!("binary"));
    }
}

/// The keywords that belong to one type of a type list, moved to its alternative.
fn keywords_of_type(ty: &str) -> &'static [&'static str] {
    match ty {
        "string" => &["minLength", "maxLength", "pattern", "format", "contentMediaType", "contentEncoding"],
        "integer" | "number" => &["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "format"],
        "array" => &["items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains", "unevaluatedItems"],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
            "propertyNames",
            "patternProperties",
            "dependentSchemas",
            "dependentRequired",
        ],
        _ => &[],
    }
}

fn alternative_of_type(map: &Map<String, Value>, ty: &str) -> Value {
    let mut alternative = Map::new();
    alternative.insert("type".into(), json!(ty));
    for keyword in keywords_of_type(ty) {
        if let Some(value) = map.get(*keyword) {
            alternative.insert((*keyword).into(), value.clone());
        }
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        let fits = |value: &Value| match ty {
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => false,
        };
        let values: Vec<Value> = values.iter().filter(|v| fits(v)).cloned().collect();
        if !values.is_empty() {
            alternative.insert("enum".into(), Value::Array(values));
        }
    }
    Value::Object(alternative)
}
