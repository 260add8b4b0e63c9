//! Local `$ref`s that point somewhere other than `#/components/<kind>/<name>`, made into
//! references the later stages follow.
//!
//! OpenAPI allows a `$ref` to any JSON pointer in the document: a path item
//! `$ref: '#/paths/~1pets'`, a schema `$ref` to a property of a request body. `resolve`
//! follows references to components only, so this rule runs after [`super::bundle`] and
//! [`super::from_3_1`], for 3.0 and 3.1 alike:
//!
//! - A **schema** found elsewhere (under `paths`, or inside a component, such as
//!   `#/components/schemas/Pet/properties/name`) becomes a component of its own, named after
//!   the last segment of its pointer that is not a keyword (`.../properties/circular`:
//!   `circular`), else after the path, method and place (`pets_post_requestBody`). Its place
//!   holds a `$ref` to the new component, so every use shares one type and a schema that
//!   refers to itself stays recursive.
//! - Anything else (a path item, a parameter, a response ...) is copied in place of its
//!   `$ref`, with the `$ref`'s sibling keywords (a path item's `summary`) winning; such
//!   references cannot refer to themselves. A copied path item's operations lose their
//!   `operationId`, which must name one operation, and are named from method and path.
//! - A pointer to nothing, and a chain of copies that never ends, are errors naming the
//!   place of the `$ref`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use super::origins::Origins;
use super::{join_all, percent_decode, schema_holders, subschemas, unique_name};
use crate::error::Pointer;

/// How many rounds of copying non-schema references may take: a copy can bring in
/// references of its own, but real documents nest them one or two deep.
const MAX_COPY_ROUNDS: usize = 16;

/// Rewrites the references (see the module doc), recording in `origins` where the schemas it
/// made components of were written.
pub(super) fn rewrite_local_refs(tree: &mut Value, origins: &mut Origins) -> Result<(), (Pointer, String)> {
    for _ in 0..MAX_COPY_ROUNDS {
        let sites = ref_sites(tree);
        let copies: Vec<&RefSite> = sites.iter().filter(|site| !site.schema && needs_rewrite(site)).collect();
        if copies.is_empty() {
            return hoist_schemas(tree, &sites, origins);
        }
        for site in copies {
            let replacement = copy_for(tree, site)?;
            if let Some(place) = value_at_mut(tree, &site.pointer) {
                *place = replacement;
            }
        }
    }
    Err((
        Pointer::root(),
        "references that copy each other without end (a path item or parameter that contains its own `$ref`)".into(),
    ))
}

/// A `$ref` in the document: where it is written, what it says, and whether it is in a
/// schema's place.
struct RefSite {
    pointer: Pointer,
    reference: String,
    target: Option<Pointer>,
    schema: bool,
}

/// Whether a reference is local and names something other than a whole component.
fn needs_rewrite(site: &RefSite) -> bool {
    match &site.target {
        Some(target) => !is_component(target),
        None => false,
    }
}

/// Every `$ref` under `paths` and `components`, in document order.
fn ref_sites(tree: &mut Value) -> Vec<RefSite> {
    let mut sites = Vec::new();
    let Some(root) = tree.as_object_mut() else { return sites };
    for (pointer, part, is_schema) in schema_holders(root) {
        if is_schema {
            schema_sites(part, &pointer, &mut sites);
        } else {
            non_schema(part, &pointer, &mut sites);
        }
    }
    sites
}

fn site(map: &Map<String, Value>, pointer: &Pointer, schema: bool) -> Option<RefSite> {
    let Some(Value::String(reference)) = map.get("$ref") else { return None };
    Some(RefSite {
        pointer: pointer.clone(),
        reference: reference.clone(),
        target: Pointer::parse_ref(&percent_decode(reference)),
        schema,
    })
}

/// A part of the document that is not a schema: `schema` keys lead to schemas; examples and
/// extensions are data, whatever keys they hold.
fn non_schema(value: &mut Value, pointer: &Pointer, sites: &mut Vec<RefSite>) {
    match value {
        Value::Object(map) => {
            sites.extend(site(map, pointer, false));
            for (key, child) in map.iter_mut() {
                if key == "schema" {
                    schema_sites(child, &pointer.join(key), sites);
                } else if key != "example" && key != "examples" && !key.starts_with("x-") {
                    non_schema(child, &pointer.join(key), sites);
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                non_schema(child, &pointer.join(index), sites);
            }
        }
        _ => {}
    }
}

fn schema_sites(schema: &mut Value, pointer: &Pointer, sites: &mut Vec<RefSite>) {
    let Value::Object(map) = schema else { return };
    sites.extend(site(map, pointer, true));
    for (segments, child) in subschemas(map) {
        schema_sites(child, &join_all(pointer, &segments), sites);
    }
}

/// What a non-schema `$ref` is replaced by: its target, followed through further `$ref`s
/// to places that are not components, with the reference's own siblings on top.
fn copy_for(tree: &Value, site: &RefSite) -> Result<Value, (Pointer, String)> {
    let mut seen = BTreeSet::new();
    let mut target = site.target.clone().unwrap_or_default();
    loop {
        if !seen.insert(target.to_string()) {
            return Err((site.pointer.clone(), format!("`$ref` to `{}`, which leads back to itself", site.reference)));
        }
        let value = value_at(tree, &target)
            .ok_or_else(|| (site.pointer.clone(), format!("`$ref` to `{}`, which does not exist", site.reference)))?;
        let next = value.get("$ref").and_then(Value::as_str).and_then(|r| Pointer::parse_ref(&percent_decode(r)));
        match next {
            Some(next) if !is_component(&next) => {
                target = next;
            }
            _ => {
                let mut copy = value.clone();
                if let (["paths", _], Value::Object(item)) = (site.pointer.segments().as_slice(), &mut copy) {
                    // An operationId names one operation; the copy is named from its method and path.
                    for operation in item.values_mut().filter_map(Value::as_object_mut) {
                        operation.remove("operationId");
                    }
                }
                let siblings = value_at(tree, &site.pointer).and_then(Value::as_object);
                if let (Value::Object(copy), Some(siblings)) = (&mut copy, siblings) {
                    let own = siblings.iter().filter(|(key, _)| *key != "$ref");
                    copy.extend(own.map(|(key, value)| (key.clone(), value.clone())));
                }
                return Ok(copy);
            }
        }
    }
}

/// Makes a component of every schema a `$ref` finds outside `#/components/schemas/<name>`,
/// and points those `$ref`s to it.
fn hoist_schemas(tree: &mut Value, sites: &[RefSite], origins: &mut Origins) -> Result<(), (Pointer, String)> {
    let mut targets: Vec<(&Pointer, &RefSite)> = Vec::new();
    let moving = sites.iter().filter(|site| site.schema && needs_rewrite(site));
    for (target, site) in moving.filter_map(|site| Some((site.target.as_ref()?, site))) {
        if let Some(what) = part_that_is_no_schema(target) {
            let mut message = format!("`$ref` to `{}`, {what}, where a reference to a schema belongs", site.reference);
            if value_at(tree, target).is_some_and(|part| part.get("schema").is_some()) {
                message.push_str(&format!(" (its schema is `{}`)", target.join("schema")));
            }
            return Err((site.pointer.clone(), message));
        }
        if !targets.iter().any(|(known, _)| *known == target) {
            targets.push((target, site));
        }
    }
    if targets.is_empty() {
        return Ok(());
    }
    let mut taken: BTreeSet<String> = tree
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    // Names in document order, so they do not depend on how deep each target is.
    let mut names = BTreeMap::new();
    for (target, _) in &targets {
        let (preferred, qualified) = names_for(target);
        names.insert(target.to_string(), unique_name(&mut taken, &preferred, &qualified));
    }
    // The deepest first: a target inside another is replaced by its `$ref` before the outer
    // one moves.
    targets.sort_by_key(|(target, _)| std::cmp::Reverse(target.segments().len()));
    let mut added = Vec::new();
    for (target, site) in targets {
        let name = &names[&target.to_string()];
        let component = Pointer::root().join("components").join("schemas").join(name);
        origins.record_move(component.to_string(), target.to_string());
        let place = value_at_mut(tree, target)
            .ok_or_else(|| (site.pointer.clone(), format!("`$ref` to `{}`, which does not exist", site.reference)))?;
        let schema = std::mem::replace(place, json!({ "$ref": schema_ref(name) }));
        added.push((name.clone(), schema));
    }
    let Some(root) = tree.as_object_mut() else { return Ok(()) };
    let components = root.entry("components").or_insert_with(|| json!({}));
    if let Value::Object(components) = components {
        if let Value::Object(schemas) = components.entry("schemas").or_insert_with(|| json!({})) {
            schemas.extend(added.into_iter().rev());
        }
    }
    // Every `$ref` to a moved schema, the moved ones' own included, now names its component.
    for site in ref_sites(tree) {
        let Some(name) = site.target.as_ref().and_then(|target| names.get(&target.to_string())) else { continue };
        if let Some(Value::Object(map)) = value_at_mut(tree, &site.pointer) {
            map.insert("$ref".into(), Value::String(schema_ref(name)));
        }
    }
    Ok(())
}

/// Words of a pointer that say where a schema is rather than what it is.
const KEYWORDS: &[&str] = &[
    "paths",
    "components",
    "schemas",
    "schema",
    "content",
    "properties",
    "items",
    "additionalProperties",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "parameters",
    "requestBody",
    "requestBodies",
    "responses",
    "headers",
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
];

/// Whether a pointer's segment says what a schema is (`circular`), rather than where it is
/// (`properties`, `200`, `application/json`).
pub(super) fn says_what(segment: &str) -> bool {
    !KEYWORDS.contains(&segment) && !segment.contains('/') && !segment.chars().all(|c| c.is_ascii_digit())
}

/// The preferred name of a schema moved from `target`, and a longer one if that is taken.
pub(super) fn names_for(target: &Pointer) -> (String, String) {
    let words = |segment: &&str| -> String {
        segment.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("_")
    };
    let preferred = target.segments().iter().rev().find(|segment| says_what(segment)).map(words).unwrap_or_default();
    let qualified: Vec<String> = target
        .segments()
        .iter()
        .filter(|s| !matches!(**s, "paths" | "components" | "schemas" | "content" | "schema" | "properties"))
        .filter(|s| !s.contains('/') || s.starts_with('/'))
        .map(words)
        .filter(|w| !w.is_empty())
        .collect();
    (preferred, qualified.join("_"))
}

/// What the place `target` is, if the document's structure says it is not a schema: a
/// part of `paths`, or a component other than a schema, not below a `schema` key (nor in an
/// example or an extension, which may hold anything). A schema `$ref` to it is a mistake
/// (Enode's API names a parameter where it means the parameter's schema); moved into the
/// schemas, the part would leave a schema's `$ref` in its own place.
fn part_that_is_no_schema(target: &Pointer) -> Option<&'static str> {
    let segments = target.segments();
    let structural = match segments.as_slice() {
        ["paths", ..] => true,
        ["components", kind, ..] => *kind != "schemas",
        _ => false,
    };
    let data_or_schema =
        |segment: &&str| matches!(*segment, "schema" | "example" | "examples") || segment.starts_with("x-");
    if !structural || segments.iter().any(data_or_schema) {
        return None;
    }
    let (parent, last) = match segments.as_slice() {
        [.., parent, last] => (*parent, *last),
        _ => return Some("which is no schema"),
    };
    Some(match (parent, last) {
        ("parameters", _) => "a parameter",
        ("responses", _) => "a response",
        (_, "requestBody") | ("requestBodies", _) => "a request body",
        ("headers", _) => "a header",
        ("content", _) => "a media type",
        _ => "which is no schema",
    })
}

/// Whether a pointer names a whole component (`#/components/<kind>/<name>`), which the
/// later stages follow themselves.
fn is_component(pointer: &Pointer) -> bool {
    matches!(pointer.segments()[..], ["components", _, _])
}

/// The reference to the component schema `name`.
pub(super) fn schema_ref(name: &str) -> String {
    Pointer::root().join("components").join("schemas").join(name).to_string()
}

fn value_at<'v>(tree: &'v Value, pointer: &Pointer) -> Option<&'v Value> {
    pointer.segments().into_iter().try_fold(tree, |value, segment| match value {
        Value::Object(map) => map.get(segment),
        Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
        _ => None,
    })
}

fn value_at_mut<'v>(tree: &'v mut Value, pointer: &Pointer) -> Option<&'v mut Value> {
    pointer.segments().into_iter().try_fold(tree, |value, segment| match value {
        Value::Object(map) => map.get_mut(segment),
        Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::{rewrite_local_refs, Origins};

    #[test]
    fn a_pointer_into_a_moved_schema_names_where_the_spec_wrote_it() {
        let mut tree = json!({
            "paths": {},
            "components": {"schemas": {
                "Item": {"properties": {"kind": {"$ref": "#/components/schemas/Item/definitions/itemType"}},
                         "definitions": {"itemType": {"type": "string"}}},
                "itemTypes": {"type": "string"},
            }}
        });
        let mut origins = Origins::default();
        rewrite_local_refs(&mut tree, &mut origins).expect("rewritten");
        assert!(tree.pointer("/components/schemas/itemType").is_some(), "{tree:#}");
        let original = |pointer: &str| origins.original(pointer);
        assert_eq!(original("#/components/schemas/itemType"), "#/components/schemas/Item/definitions/itemType");
        assert_eq!(
            original("#/components/schemas/itemType/enum/0"),
            "#/components/schemas/Item/definitions/itemType/enum/0"
        );
        // Another component whose name starts the same is not in it.
        assert_eq!(original("#/components/schemas/itemTypes/type"), "#/components/schemas/itemTypes/type");
        assert_eq!(original("#/paths"), "#/paths");
    }

    fn rewritten(mut tree: Value) -> Value {
        rewrite_local_refs(&mut tree, &mut Origins::default()).expect("rewrites");
        tree
    }

    #[test]
    fn a_schema_elsewhere_becomes_a_component_and_its_place_refers_to_it() {
        let body = "#/paths/~1a/post/requestBody/content/application~1json/schema/properties/circular";
        let tree = rewritten(json!({
            "paths": {"/a": {
                "post": {"requestBody": {"content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"circular": {"type": "object", "properties": {"next": {"$ref": body}}}}
                }}}}},
                "get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": body}}}}}}
            }},
            "components": {"schemas": {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}}}
        }));
        let schemas = &tree["components"]["schemas"];
        assert_eq!(schemas["circular"]["properties"]["next"]["$ref"], "#/components/schemas/circular");
        let post = &tree["paths"]["/a"]["post"]["requestBody"]["content"]["application/json"]["schema"];
        assert_eq!(post["properties"]["circular"], json!({"$ref": "#/components/schemas/circular"}));
        let get = &tree["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(get["$ref"], "#/components/schemas/circular");
    }

    #[test]
    fn schemas_inside_components_and_inside_each_other_move_deepest_first() {
        let tree = rewritten(json!({
            "paths": {},
            "components": {"schemas": {
                "Pet": {"type": "object", "properties": {
                    "owner": {"type": "object", "properties": {"name": {"type": "string"}}}
                }},
                "A": {"$ref": "#/components/schemas/Pet/properties/owner"},
                "B": {"$ref": "#/components/schemas/Pet/properties/owner/properties/name"}
            }}
        }));
        let schemas = &tree["components"]["schemas"];
        assert_eq!(schemas["A"]["$ref"], "#/components/schemas/owner");
        assert_eq!(schemas["B"]["$ref"], "#/components/schemas/name");
        assert_eq!(schemas["owner"]["properties"]["name"]["$ref"], "#/components/schemas/name");
        assert_eq!(schemas["name"], json!({"type": "string"}));
        assert_eq!(schemas["Pet"]["properties"]["owner"]["$ref"], "#/components/schemas/owner");
    }

    #[test]
    fn a_schema_without_a_name_of_its_own_is_named_after_its_place() {
        let tree = rewritten(json!({
            "paths": {"/pets": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": "string"}}}}}}},
            "components": {"schemas": {
                "X": {"$ref": "#/paths/~1pets/post/requestBody/content/application~1json/schema"}
            }}
        }));
        assert_eq!(tree["components"]["schemas"]["X"]["$ref"], "#/components/schemas/pets_post_requestBody");
        assert_eq!(tree["components"]["schemas"]["pets_post_requestBody"], json!({"type": "string"}));
    }

    #[test]
    fn path_items_and_parameters_are_copied_with_their_siblings() {
        let tree = rewritten(json!({
            "paths": {
                "/copy": {"$ref": "#/paths/~1source", "summary": "Mine"},
                "/source": {
                    "summary": "Theirs",
                    "get": {"operationId": "search", "parameters": [{"name": "q", "in": "query"}], "responses": {}},
                    "put": {"parameters": [{"$ref": "#/paths/~1source/get/parameters/0"}], "responses": {}}
                }
            }
        }));
        let copy = &tree["paths"]["/copy"];
        assert_eq!(copy["summary"], "Mine");
        assert!(copy["get"].get("operationId").is_none());
        assert_eq!(tree["paths"]["/source"]["get"]["operationId"], "search");
        assert!(copy.get("$ref").is_none());
        assert_eq!(copy["put"]["parameters"][0], json!({"name": "q", "in": "query"}));
        assert_eq!(tree["paths"]["/source"]["put"]["parameters"][0]["name"], "q");
    }

    #[test]
    fn component_refs_and_examples_are_left_alone() {
        let before = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/Ok"}},
                "parameters": [{"name": "q", "in": "query", "example": {"$ref": "#/not/a/ref"}}]}}},
            "components": {"responses": {"Ok": {"description": "ok"}}}
        });
        assert_eq!(rewritten(before.clone()), before);
    }

    #[test]
    fn a_ref_to_nothing_or_to_itself_is_an_error_at_its_place() {
        let mut missing = json!({"paths": {"/a": {"$ref": "#/paths/~1b"}}});
        let (pointer, message) = rewrite_local_refs(&mut missing, &mut Origins::default()).expect_err("to nothing");
        assert_eq!(pointer.to_string(), "#/paths/~1a");
        assert!(message.contains("does not exist"), "{message}");
        let mut cycle = json!({"paths": {"/a": {"$ref": "#/paths/~1b"}, "/b": {"$ref": "#/paths/~1a"}}});
        let (_, message) = rewrite_local_refs(&mut cycle, &mut Origins::default()).expect_err("a cycle");
        assert!(message.contains("back to itself"), "{message}");
        let mut schema = json!({"paths": {}, "components": {"schemas": {"A": {"$ref": "#/paths/~1nope/x"}}}});
        let (pointer, _) = rewrite_local_refs(&mut schema, &mut Origins::default()).expect_err("schema to nothing");
        assert_eq!(pointer.to_string(), "#/components/schemas/A");
    }

    #[test]
    fn percent_escapes_in_a_pointer_are_read() {
        let tree = rewritten(json!({
            "paths": {"/a/{id}": {"get": {"responses": {}}}, "/b": {"$ref": "#/paths/~1a~1%7Bid%7D"}}
        }));
        assert_eq!(tree["paths"]["/b"], json!({"get": {"responses": {}}}));
    }
}
