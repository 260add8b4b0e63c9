//! Class hierarchies written with a `discriminator`: a component object schema with a
//! `discriminator` and no `oneOf`/`anyOf` of its own, whose subtypes name it in their `allOf`
//! (`Cat: {allOf: [Pet, {...}]}`, as Java's and C#'s generators write inheritance), made into
//! the discriminated union those subtypes form.
//!
//! A `Pet` received may be a `Cat` or a `Dog`, and the discriminator says which: read as a
//! struct of the base's fields, the subtypes' fields would be dropped. So `Pet` becomes
//! `oneOf` of its subtypes with the discriminator (every later stage reads it as any
//! discriminated union: an enum with a variant per subtype and one that keeps an unknown
//! tag's raw JSON), and the fields it had move to a component of their own, `PetBase`, which
//! the subtypes' `allOf` now name. The subtypes are the `mapping`'s targets, else (no
//! mapping) the components whose `allOf` names the base (alone, too: a kind without fields
//! of its own), their tag values being their names, as OpenAPI says. A kind that is a base
//! itself is the variant of its fields: the base (a `Pet` that is only a pet: `PetBase`), or
//! a base below it (`Animal` with the kinds `Pet` and `Cat`: `PetBase`; `Pet` is a union of
//! its own).
//!
//! Left as they are, a struct of the base's fields: a hierarchy of fewer than two kinds, and
//! one whose mapping names something other than a component schema.

use std::collections::{BTreeSet, HashMap};

use serde_json::{json, Map, Value};

use super::local_refs::schema_ref;
use super::origins::Origins;
use super::unique_name;
use crate::error::Pointer;

/// One base to make a union of: its name, its kinds (tag value, component) in order, and the
/// components whose `allOf` names it (its kinds, and perhaps others a mapping leaves out).
struct Hierarchy {
    base: String,
    kinds: Vec<(String, String)>,
    subtypes: Vec<String>,
}

/// Makes every base of a hierarchy (see the module's doc) the union of its subtypes, and
/// records where the bases' fields were written in `origins`.
pub(super) fn unions_of_subtypes(tree: &mut Value, origins: &mut Origins) {
    let Some(schemas) = tree.pointer("/components/schemas").and_then(Value::as_object) else { return };
    let bases: Vec<&str> =
        schemas.iter().filter(|(_, schema)| is_base(schema)).map(|(name, _)| name.as_str()).collect();
    if bases.is_empty() {
        return;
    }
    let extending = extending(schemas);
    let hierarchies: Vec<Hierarchy> = bases
        .iter()
        .filter_map(|base| hierarchy(schemas, base, extending.get(base).map_or(&[][..], Vec::as_slice)))
        .collect();
    if hierarchies.is_empty() {
        return;
    }
    let mut taken: BTreeSet<String> = schemas.keys().cloned().collect();
    // Every base's fields get their name first: a kind may be a base itself (`Pet` among
    // `Animal`'s kinds), and its variant is then its fields.
    let fields: HashMap<String, String> = hierarchies
        .iter()
        .map(|h| (h.base.clone(), unique_name(&mut taken, &format!("{}Base", h.base), &format!("{}Fields", h.base))))
        .collect();
    let target = |kind: &str| schema_ref(fields.get(kind).map_or(kind, String::as_str));
    let Some(Value::Object(schemas)) = tree.pointer_mut("/components/schemas") else { return };
    // Subtypes (all that extend a base, listed in a mapping or not) name its fields in their
    // `allOf`, not the union they are part of; done before any base moves.
    for Hierarchy { base, subtypes, .. } in &hierarchies {
        let base_ref = json!({ "$ref": schema_ref(base) });
        for subtype in subtypes {
            let Some(Value::Array(parts)) = schemas.get_mut(subtype).and_then(|s| s.get_mut("allOf")) else { continue };
            for part in parts.iter_mut().filter(|part| **part == base_ref) {
                *part = json!({ "$ref": schema_ref(&fields[base]) });
            }
        }
    }
    for Hierarchy { base, kinds, .. } in hierarchies {
        let fields = &fields[&base];
        // Taken in place: the union keeps the base's place among the components.
        let Some(Value::Object(mut own)) = schemas.get_mut(&base).map(Value::take) else { continue };
        let discriminator = own.remove("discriminator").unwrap_or(Value::Null);
        let mut alternatives: Vec<Value> = Vec::new();
        for (_, kind) in &kinds {
            let alternative = json!({ "$ref": target(kind) });
            if !alternatives.contains(&alternative) {
                alternatives.push(alternative);
            }
        }
        let mapping: Map<String, Value> =
            kinds.iter().map(|(tag, kind)| (tag.clone(), Value::String(target(kind)))).collect();
        let mut union = Map::new();
        for keyword in ["title", "description", "nullable", "deprecated", "externalDocs"] {
            if let Some(value) = own.remove(keyword) {
                union.insert(keyword.to_owned(), value);
            }
        }
        let property = discriminator["propertyName"].as_str().unwrap_or_default();
        own.insert(
            "description".to_owned(),
            Value::String(format!("The fields every `{base}` has, whatever its kind (its `{property}`).")),
        );
        union.insert("oneOf".to_owned(), Value::Array(alternatives));
        union.insert(
            "discriminator".to_owned(),
            json!({ "propertyName": discriminator["propertyName"].clone(), "mapping": mapping }),
        );
        let components = Pointer::root().join("components").join("schemas");
        origins.record_move(components.join(fields).to_string(), components.join(&base).to_string());
        schemas.insert(base, Value::Object(union));
        // A new component goes last.
        schemas.insert(fields.clone(), Value::Object(own));
    }
}

/// Whether `schema` is a base: an object with a `discriminator` naming a property, and no
/// union of its own.
fn is_base(schema: &Value) -> bool {
    let Some(map) = schema.as_object() else { return false };
    let names_property = map.get("discriminator").and_then(|d| d.get("propertyName")).is_some_and(Value::is_string);
    let object = map.get("type").is_none_or(|t| t == "object");
    names_property && object && !map.contains_key("oneOf") && !map.contains_key("anyOf")
}

/// The components whose `allOf` names another component, by the component it names, each
/// list in document order. (Read once: a large spec has thousands of bases.)
fn extending(schemas: &Map<String, Value>) -> HashMap<&str, Vec<&str>> {
    let mut extending: HashMap<&str, Vec<&str>> = HashMap::new();
    for (name, schema) in schemas {
        let Some(parts) = schema.get("allOf").and_then(Value::as_array) else { continue };
        let mut named: Vec<String> = parts
            .iter()
            .filter_map(|part| part.as_object().filter(|part| part.len() == 1)?.get("$ref")?.as_str())
            .filter_map(schema_named)
            .collect();
        named.dedup();
        for base in named {
            let Some((base, _)) = schemas.get_key_value(&base) else { continue };
            extending.entry(base.as_str()).or_default().push(name);
        }
    }
    extending
}

/// The hierarchy of the base `name`, if it has two kinds or more (see the module's doc);
/// `extending` are the components whose `allOf` names it.
fn hierarchy(schemas: &Map<String, Value>, name: &str, extending: &[&str]) -> Option<Hierarchy> {
    let discriminator = &schemas[name]["discriminator"];
    let kinds: Vec<(String, String)> = match discriminator.get("mapping").and_then(Value::as_object) {
        Some(mapping) if !mapping.is_empty() => mapping
            .iter()
            .map(|(tag, target)| Some((tag.clone(), component_named(target.as_str()?)?)))
            .collect::<Option<_>>()?,
        _ => extending.iter().map(|kind| (kind.to_string(), kind.to_string())).collect(),
    };
    let distinct: BTreeSet<&str> = kinds.iter().map(|(_, kind)| kind.as_str()).collect();
    let known = distinct.iter().all(|kind| schemas.get(*kind).is_some_and(Value::is_object));
    let subtypes = extending.iter().map(|subtype| subtype.to_string()).collect();
    (distinct.len() >= 2 && known).then(|| Hierarchy { base: name.to_owned(), kinds, subtypes })
}

/// The component schema a `$ref` names (`#/components/schemas/Cat`: `Cat`).
fn schema_named(reference: &str) -> Option<String> {
    match Pointer::parse_ref(reference)?.segments()[..] {
        ["components", "schemas", name] => Some(name.to_owned()),
        _ => None,
    }
}

/// The component a mapping's value names: a `$ref` to it, or its bare name (`Cat`).
fn component_named(target: &str) -> Option<String> {
    if target.starts_with('#') {
        schema_named(target)
    } else {
        (!target.contains(['/', '.'])).then(|| target.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::unions_of_subtypes;
    use crate::parse::origins::Origins;

    fn rewritten(schemas: Value) -> (Value, Origins) {
        let mut tree = json!({ "components": { "schemas": schemas } });
        let mut origins = Origins::default();
        unions_of_subtypes(&mut tree, &mut origins);
        (tree["components"]["schemas"].take(), origins)
    }

    fn pet(discriminator: Value) -> Value {
        json!({
            "description": "A pet.",
            "type": "object",
            "required": ["petType"],
            "properties": { "petType": { "type": "string" }, "name": { "type": "string" } },
            "discriminator": discriminator,
        })
    }

    fn subtype(base: &str, field: &str) -> Value {
        json!({ "allOf": [{ "$ref": format!("#/components/schemas/{base}") }, { "properties": { field: { "type": "string" } } }] })
    }

    #[test]
    fn subtypes_naming_the_base_are_its_variants_tagged_by_their_names() {
        let (schemas, origins) = rewritten(json!({
            "Pet": pet(json!({ "propertyName": "petType" })),
            "Cat": subtype("Pet", "hunts"),
            "Dog": subtype("Pet", "barks"),
            // A kind without fields of its own.
            "Hamster": { "allOf": [{ "$ref": "#/components/schemas/Pet" }] },
        }));
        assert_eq!(schemas["Pet"]["description"], "A pet.");
        let kinds = ["Cat", "Dog", "Hamster"].map(|kind| json!({ "$ref": format!("#/components/schemas/{kind}") }));
        assert_eq!(schemas["Pet"]["oneOf"], json!(kinds));
        let mapping = &schemas["Pet"]["discriminator"]["mapping"];
        assert_eq!(mapping["Dog"], "#/components/schemas/Dog");
        assert_eq!(mapping["Hamster"], "#/components/schemas/Hamster");
        assert_eq!(schemas["Pet"]["discriminator"]["propertyName"], "petType");
        assert_eq!(schemas["Hamster"]["allOf"][0]["$ref"], "#/components/schemas/PetBase");
        assert_eq!(schemas["PetBase"]["properties"]["name"]["type"], "string");
        assert!(schemas["PetBase"].get("discriminator").is_none());
        assert_eq!(schemas["Cat"]["allOf"][0]["$ref"], "#/components/schemas/PetBase");
        assert_eq!(
            origins.original("#/components/schemas/PetBase/properties/name"),
            "#/components/schemas/Pet/properties/name"
        );
    }

    #[test]
    fn a_mapping_gives_the_tags_and_may_name_the_base_itself() {
        let (schemas, _) = rewritten(json!({
            "Pet": pet(json!({ "propertyName": "petType", "mapping": {
                "cat": "#/components/schemas/Cat", "kitten": "Cat", "pet": "#/components/schemas/Pet"
            } })),
            "Cat": subtype("Pet", "hunts"),
            "PetBase": { "type": "string" },
            // Extends the base without being in the mapping: it still names the fields.
            "Kitten": subtype("Pet", "age"),
        }));
        assert_eq!(schemas["Kitten"]["allOf"][0]["$ref"], "#/components/schemas/PetFields");
        assert_eq!(
            schemas["Pet"]["oneOf"],
            json!([{ "$ref": "#/components/schemas/Cat" }, { "$ref": "#/components/schemas/PetFields" }])
        );
        let mapping = &schemas["Pet"]["discriminator"]["mapping"];
        assert_eq!(mapping["kitten"], "#/components/schemas/Cat");
        assert_eq!(mapping["pet"], "#/components/schemas/PetFields");
        assert_eq!(schemas["PetBase"], json!({ "type": "string" }));
    }

    #[test]
    fn a_kind_that_is_a_base_itself_is_the_variant_of_its_fields() {
        let (schemas, _) = rewritten(json!({
            "Animal": pet(json!({ "propertyName": "petType", "mapping": { "pet": "Pet", "cat": "Cat", "fish": "Fish" } })),
            "Pet": {
                "allOf": [{ "$ref": "#/components/schemas/Animal" }, { "properties": { "name": { "type": "string" } } }],
                "discriminator": { "propertyName": "petType", "mapping": { "pet": "Pet", "cat": "Cat" } },
            },
            "Cat": subtype("Pet", "hunts"),
            "Fish": subtype("Animal", "fins"),
        }));
        let refs = |names: &[&str]| {
            json!(names.iter().map(|n| json!({ "$ref": format!("#/components/schemas/{n}") })).collect::<Vec<_>>())
        };
        assert_eq!(schemas["Animal"]["oneOf"], refs(&["PetBase", "Cat", "Fish"]));
        assert_eq!(schemas["Pet"]["oneOf"], refs(&["PetBase", "Cat"]));
        // Each level's fields extend the fields of the level above.
        assert_eq!(schemas["PetBase"]["allOf"][0]["$ref"], "#/components/schemas/AnimalBase");
        assert_eq!(schemas["Cat"]["allOf"][0]["$ref"], "#/components/schemas/PetBase");
        assert_eq!(schemas["Fish"]["allOf"][0]["$ref"], "#/components/schemas/AnimalBase");
    }

    #[test]
    fn what_is_not_a_hierarchy_of_two_kinds_is_left_alone() {
        let cases = [
            // One subtype only.
            json!({ "Pet": pet(json!({ "propertyName": "petType" })), "Cat": subtype("Pet", "hunts") }),
            // A mapping to something else than a component schema.
            json!({
                "Pet": pet(json!({ "propertyName": "petType", "mapping": { "cat": "other.yaml#/Cat", "dog": "Dog" } })),
                "Dog": subtype("Pet", "barks"),
            }),
            // A union already.
            json!({
                "Pet": { "oneOf": [{ "$ref": "#/components/schemas/Cat" }], "discriminator": { "propertyName": "petType" } },
                "Cat": subtype("Pet", "hunts"),
                "Dog": subtype("Pet", "barks"),
            }),
        ];
        for schemas in cases {
            assert_eq!(rewritten(schemas.clone()).0, schemas);
        }
    }
}
