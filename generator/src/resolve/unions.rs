//! `oneOf` and `anyOf` to Rust enums: which schemas are unions, how their alternatives are
//! named, told apart when decoding, and ordered.
//!
//! - **Tagged** when every alternative says which it is by one property: the spec's
//!   `discriminator` (its `mapping`, else the constant the alternative gives the property,
//!   else the component's name), or, without a discriminator, a required property (required
//!   by the alternative, or by the properties beside the union) that is a different constant
//!   (`enum` of one value, 3.1 `const`) in every alternative, as Dropshot and many others
//!   write them. Decoding reads the tag; a tag this version does not know is
//!   kept in a fallback variant, as string enums keep unknown values.
//! - **Untagged** otherwise: serde tries the variants in turn, so they are ordered from the
//!   most to the least particular (integers before numbers, enums before strings, structs
//!   with more required fields first, then maps, then any JSON), and the first that decodes
//!   wins. `anyOf` is read the same way: the first alternative that matches is taken. A
//!   union of two or more structs reads an object first as the structs that know more of
//!   its keys (emit writes its `Deserialize`; `runtime/codec.rs` decides): structs of
//!   optional fields all fit any object, and the first would drop the others' fields.
//! - A `null` alternative (3.1's `{type: "null"}`) makes the union nullable instead of
//!   being a variant; a union left with one alternative is that alternative's type.
//! - **Beside properties** (its own, or an `allOf` base, or as an `allOf` part), alternatives
//!   that are objects make a union whose every variant is a struct of the properties beside
//!   and the alternative's own: [`super::beside`] says when and why.
//! - `oneOf` of constants (3.1's `{const, title, description}`) is an enum, not a union:
//!   [`super::const_enums`].
//!
//! Variant names: the tag's value for a tagged union; otherwise the alternatives' type names
//! without the words they all share (`IdpAdfsRequest`, `IdpOidcRequest` → `Adfs`, `Oidc`), or,
//! for an inline alternative, its `title`, its one required property, or its kind (`String`).
//!
//! The alternatives are schemas, and a schema can be a union: [`union_kind`] maps each one with
//! [`shape_of`], which comes back here for a union inside it. That is the one recursion between
//! this module and [`super::schemas`]; besides, it takes only a component's type name and a
//! schema's doc from there.

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::all_of::{merged_properties, Property};
use super::schemas::{self, shape_of, Hint, SchemaRef};
use super::Context;
use crate::error::{Error, Pointer};
use crate::model::{TypeKind, Union, UnionDecoding, UnionVariant};
use crate::names::{Case, Scope};

/// A union's alternatives, without `null` ones, with the keyword they are listed under.
pub(super) struct Alternatives<'d> {
    pub(super) keyword: &'static str,
    pub(super) schemas: Vec<(usize, &'d ReferenceOr<Schema>)>,
    pub(super) has_null: bool,
}

/// The alternatives of a `oneOf` or `anyOf` schema (also one that only adds `type: object`
/// or a description beside it), or `None` for any other schema.
pub(super) fn alternatives(schema: &Schema) -> Option<Alternatives<'_>> {
    let (keyword, list) = match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => ("oneOf", one_of),
        SchemaKind::AnyOf { any_of } => ("anyOf", any_of),
        SchemaKind::Any(any)
            if any.properties.is_empty()
                && any.all_of.is_empty()
                && any.not.is_none()
                && any.typ.as_deref().is_none_or(|t| t == "object")
                && any.one_of.is_empty() != any.any_of.is_empty() =>
        {
            if any.one_of.is_empty() {
                ("anyOf", &any.any_of)
            } else {
                ("oneOf", &any.one_of)
            }
        }
        _ => return None,
    };
    let schemas: Vec<_> = list.iter().enumerate().filter(|(_, s)| !is_null(s)).collect();
    Some(Alternatives { keyword, has_null: schemas.len() != list.len(), schemas })
}

/// 3.1's `{type: "null"}`, as the parse stage leaves it.
pub(super) fn is_null(schema: &ReferenceOr<Schema>) -> bool {
    matches!(schema, ReferenceOr::Item(s) if matches!(&s.schema_kind, SchemaKind::Any(any) if any.typ.as_deref() == Some("null")))
}

/// One alternative, with what naming and ordering need to know of it.
struct Alternative<'d> {
    schema: &'d ReferenceOr<Schema>,
    source: SchemaRef<'d>,
    /// The schema, with a `$ref` followed (to a component schema).
    target: Option<&'d Schema>,
    /// The component a `$ref` points to, by its spec name.
    component: Option<String>,
    reference: Option<&'d str>,
    pointer: Pointer,
}

/// The union `schema` (at `pointer`, with `alternatives`) becomes, named `name`. With
/// `shared` properties and their required names ([`super::beside`]), each variant is a
/// struct of those and the alternative's, named after the union and the variant (`Pet` with
/// `Cat` → `PetCat`).
pub(super) fn union_kind<'s, 'c: 's>(
    cx: &mut Context<'c>,
    name: &str,
    schema: &'s Schema,
    alternatives: &Alternatives<'s>,
    pointer: &Pointer,
    shared: Option<(Vec<Property<'s>>, Vec<String>)>,
) -> Result<TypeKind, Error> {
    let mut list = Vec::new();
    for &(index, alternative) in &alternatives.schemas {
        let alternative_pointer = pointer.join(alternatives.keyword).join(index);
        let (target, component, reference) = match alternative {
            ReferenceOr::Item(schema) => (Some(schema), None, None),
            ReferenceOr::Reference { reference } => {
                let (component, _) = cx.component_ref(reference, "schemas", &alternative_pointer)?;
                (followed(cx, alternative), Some(component), Some(reference.as_str()))
            }
        };
        list.push(Alternative {
            schema: alternative,
            source: SchemaRef::of(alternative),
            target,
            component,
            reference,
            pointer: alternative_pointer,
        });
    }

    // A tag the properties beside require need not be required by each alternative again.
    let beside_required = shared.as_ref().map_or(&[][..], |(_, required)| required.as_slice());
    let tagging = tagging(cx, schema, &list, beside_required);
    let base_names: Vec<String> = match &tagging {
        Some((_, values)) => values.iter().map(|v| v[0].clone()).collect(),
        None => untagged_names(cx, &list),
    };
    let mut variant_names = Scope::new(Case::Type);
    let mut variants = Vec::new();
    for (position, (alternative, base)) in list.iter().zip(&base_names).enumerate() {
        let variant_name = variant_names.claim(base);
        // A title alone names the type, which the variant's default doc links to already.
        let doc = alternative
            .target
            .filter(|t| t.schema_data.description.is_some())
            .and_then(|t| schemas::title_and_description(&t.schema_data));
        let hint =
            Hint::new(format!("{name} {variant_name}"), format!("The `{variant_name}` alternative of [`{name}`]."));
        let shape = match &shared {
            None => shape_of(cx, alternative.source, &hint, &alternative.pointer)?,
            Some((properties, required)) => {
                let (count, mut properties, mut required) = (properties.len(), properties.clone(), required.clone());
                let (target, target_pointer) =
                    cx.follow(alternative.schema, &alternative.pointer, "schemas", |c| &c.schemas)?;
                merged_properties(cx, target, &target_pointer, &mut properties, &mut required, 0)?;
                let hint = Hint::new(
                    hint.name,
                    format!("The `{variant_name}` alternative of [`{name}`], with the fields beside it."),
                );
                schemas::define_struct(cx, &hint, properties, &required, &alternative.pointer, (name, count))?
            }
        };
        let tag_values = tagging.as_ref().map(|(_, values)| values[position].clone()).unwrap_or_default();
        variants.push(UnionVariant {
            name: variant_name,
            ty: shape.ty,
            tag_values,
            boxed: false,
            constraints: shape.constraints,
            doc,
        });
    }
    let decoding = match tagging {
        Some((property, _)) => {
            let fallback = ["Unknown", "UnknownValue"]
                .into_iter()
                .find(|candidate| !variant_names.is_taken(candidate))
                .map_or_else(|| variant_names.claim("Unknown"), str::to_owned);
            UnionDecoding::Tagged { property, fallback }
        }
        None => {
            let scores: Vec<u32> = list.iter().map(|a| decode_rank(cx, a.target, 0)).collect();
            let mut order: Vec<usize> = (0..variants.len()).collect();
            order.sort_by_key(|&i| scores[i]);
            let mut slots: Vec<Option<UnionVariant>> = variants.into_iter().map(Some).collect();
            variants = order.into_iter().filter_map(|i| slots[i].take()).collect();
            UnionDecoding::Untagged
        }
    };
    Ok(TypeKind::Union(Union { decoding, variants }))
}

/// The tag property and, per alternative, the tag values that select it; `None` when the
/// alternatives cannot be told apart by one property.
fn tagging(
    cx: &Context<'_>,
    schema: &Schema,
    list: &[Alternative<'_>],
    beside: &[String],
) -> Option<(String, Vec<Vec<String>>)> {
    let Some(discriminator) = schema.schema_data.discriminator.as_ref() else {
        return inferred_tagging(cx, list, beside);
    };
    let property = &discriminator.property_name;
    let mut all_values: Vec<Vec<String>> = Vec::new();
    for alternative in list {
        let mut values: Vec<String> = Vec::new();
        if let Some(reference) = alternative.reference {
            let component = alternative.component.as_deref().unwrap_or_default();
            values.extend(
                discriminator
                    .mapping
                    .iter()
                    .filter(|(_, target)| target.as_str() == reference || target.as_str() == component)
                    .map(|(value, _)| value.clone()),
            );
        }
        if values.is_empty() {
            values.extend(
                alternative.target.and_then(|t| constant_values(cx, t, property, beside, 0)).unwrap_or_default(),
            );
        }
        if values.is_empty() {
            values.extend(alternative.component.clone());
        }
        all_values.push(values);
    }
    distinct(&all_values).then(|| (property.clone(), all_values))
}

/// Without a discriminator: the first required property that every alternative gives
/// constant values, different in each (Auth0's flow actions are told apart by `type`, and
/// each type's actions by `action`, whose `type` is the same).
fn inferred_tagging(
    cx: &Context<'_>,
    list: &[Alternative<'_>],
    beside: &[String],
) -> Option<(String, Vec<Vec<String>>)> {
    let candidates = tag_candidates(cx, list.first()?.target?, 0);
    candidates.into_iter().find_map(|property| {
        let values: Option<Vec<Vec<String>>> =
            list.iter().map(|alternative| constant_values(cx, alternative.target?, &property, beside, 0)).collect();
        values.filter(|values| distinct(values)).map(|values| (property, values))
    })
}

/// The properties an alternative could be tagged by: its own, or, for an alternative that
/// is itself a union, those of its first alternative.
fn tag_candidates(cx: &Context<'_>, schema: &Schema, depth: u32) -> Vec<String> {
    match object_properties(cx, schema) {
        Some((properties, _)) if !properties.is_empty() => {
            properties.iter().map(|(wire, _, _)| (*wire).clone()).collect()
        }
        _ => alternatives(schema)
            .filter(|_| depth < 4)
            .and_then(|alternatives| followed(cx, alternatives.schemas.first()?.1))
            .map_or_else(Vec::new, |first| tag_candidates(cx, first, depth + 1)),
    }
}

/// Whether no tag value selects two alternatives.
fn distinct(values: &[Vec<String>]) -> bool {
    let mut seen = std::collections::BTreeSet::new();
    values.iter().all(|values| {
        let own: std::collections::BTreeSet<&str> = values.iter().map(String::as_str).collect();
        !own.is_empty() && own.into_iter().all(|value| seen.insert(value))
    })
}

/// The values a required string property may take in `schema`: its one constant, or, for a
/// union whose every alternative has one, all of theirs (deduplicated, in order).
fn constant_values(
    cx: &Context<'_>,
    schema: &Schema,
    property: &str,
    beside: &[String],
    depth: u32,
) -> Option<Vec<String>> {
    if let Some(value) = constant_property(cx, schema, property, beside) {
        return Some(vec![value]);
    }
    let alternatives = alternatives(schema).filter(|_| depth < 4)?;
    let mut values: Vec<String> = Vec::new();
    for (_, alternative) in &alternatives.schemas {
        for value in constant_values(cx, followed(cx, alternative)?, property, beside, depth + 1)? {
            if !values.contains(&value) {
                values.push(value);
            }
        }
    }
    (!values.is_empty()).then_some(values)
}

/// The one value a required string property of an object schema (`allOf` parts merged) may
/// take (required there or by the properties `beside` a union). A part may narrow a property another part declares (`strategy: {const: adfs}`).
fn constant_property(cx: &Context<'_>, schema: &Schema, property: &str, beside: &[String]) -> Option<String> {
    let (properties, required) = object_properties(cx, schema)?;
    if !required.iter().chain(beside).any(|r| r == property) {
        return None;
    }
    properties.iter().filter(|(wire, _, _)| wire.as_str() == property).find_map(|(_, schema, _)| {
        match &followed(cx, schema)?.schema_kind {
            SchemaKind::Type(Type::String(string)) => match string.enumeration.as_slice() {
                [Some(value)] => Some(value.clone()),
                _ => None,
            },
            _ => None,
        }
    })
}

/// The properties and required names of an object schema, `allOf` parts merged in.
pub(super) fn object_properties<'s, 'c: 's>(
    cx: &Context<'c>,
    schema: &'s Schema,
) -> Option<(Vec<Property<'s>>, Vec<String>)> {
    let (mut properties, mut required) = (Vec::new(), Vec::new());
    merged_properties(cx, schema, &Pointer::root(), &mut properties, &mut required, 0).ok()?;
    Some((properties, required))
}

/// Names for the variants of an untagged union, before they are made unique.
fn untagged_names(cx: &Context<'_>, list: &[Alternative<'_>]) -> Vec<String> {
    let names: Vec<String> = list
        .iter()
        .map(|alternative| match (&alternative.component, alternative.target) {
            (Some(component), _) => cx.component_type_name(component),
            (None, Some(schema)) => inline_name(schema),
            (None, None) => "Value".to_owned(),
        })
        .collect();
    strip_shared_words(names)
}

/// What to call an inline alternative: its title, its one required property (`{"Attached":
/// ...}`), or the kind of value it is.
fn inline_name(schema: &Schema) -> String {
    if let Some(title) = &schema.schema_data.title {
        return title.clone();
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) if object.required.len() == 1 && object.properties.len() == 1 => {
            object.required[0].clone()
        }
        SchemaKind::Type(Type::Object(object)) if object.properties.is_empty() => "Map".to_owned(),
        SchemaKind::Type(Type::Object(_)) => "Object".to_owned(),
        // Properties without `type: object`.
        SchemaKind::Any(any) if any.required.len() == 1 && any.properties.len() == 1 => any.required[0].clone(),
        SchemaKind::Any(any) if !any.properties.is_empty() => "Object".to_owned(),
        SchemaKind::Type(Type::String(_)) => "String".to_owned(),
        SchemaKind::Type(Type::Integer(_)) => "Integer".to_owned(),
        SchemaKind::Type(Type::Number(_)) => "Number".to_owned(),
        SchemaKind::Type(Type::Boolean(_)) => "Boolean".to_owned(),
        SchemaKind::Type(Type::Array(_)) => "Array".to_owned(),
        _ => "Value".to_owned(),
    }
}

/// Drops the leading and trailing words all names share, as long as every name keeps at
/// least one word and they stay distinct.
fn strip_shared_words(names: Vec<String>) -> Vec<String> {
    if names.len() < 2 {
        return names;
    }
    let words: Vec<Vec<&str>> = names.iter().map(|n| camel_words(n)).collect();
    let shortest = words.iter().map(Vec::len).min().unwrap_or(0);
    let shared = |at: &dyn Fn(&Vec<&str>, usize) -> Option<String>| {
        (0..shortest).take_while(|&i| words.iter().all(|w| at(w, i) == at(&words[0], i))).count()
    };
    let mut prefix = shared(&|w, i| w.get(i).map(|s| s.to_string()));
    let mut suffix = shared(&|w, i| w.len().checked_sub(i + 1).map(|j| w[j].to_string()));
    // Keep at least one word of the shortest name.
    while prefix + suffix >= shortest && (prefix > 0 || suffix > 0) {
        if suffix > 0 {
            suffix -= 1;
        } else {
            prefix -= 1;
        }
    }
    let stripped: Vec<String> = words.iter().map(|w| w[prefix..w.len() - suffix].concat()).collect();
    let mut seen = std::collections::BTreeSet::new();
    if stripped.iter().all(|s| !s.is_empty() && seen.insert(s.clone())) {
        stripped
    } else {
        names
    }
}

/// The words of an `UpperCamelCase` name: `IdpAdfsRequest` → `Idp`, `Adfs`, `Request`.
fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = name.char_indices().collect();
    for window in chars.windows(2) {
        let ((_, previous), (index, current)) = (window[0], window[1]);
        if current.is_ascii_uppercase() && !previous.is_ascii_uppercase() {
            words.push(&name[start..index]);
            start = index;
        }
    }
    if start < name.len() {
        words.push(&name[start..]);
    }
    words
}

/// Where an alternative goes in an untagged union: lower is tried first. JSON kinds do not
/// overlap, so only the order within a kind matters: integers before numbers, enums before
/// strings, structs with more required fields before those with fewer, maps and any JSON last.
fn decode_rank(cx: &Context<'_>, schema: Option<&Schema>, depth: u32) -> u32 {
    let Some(schema) = schema else { return 200 };
    // A union is as particular as its least particular alternative.
    if let Some(alternatives) = alternatives(schema).filter(|_| depth < 4) {
        let rank = |schema: &ReferenceOr<Schema>| decode_rank(cx, followed(cx, schema), depth + 1);
        return alternatives.schemas.iter().map(|(_, schema)| rank(schema)).max().unwrap_or(200);
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(_) | Type::Boolean(_)) => 0,
        SchemaKind::Type(Type::Number(_)) => 1,
        SchemaKind::Type(Type::String(string)) if string.enumeration.iter().any(Option::is_some) => 2,
        SchemaKind::Type(Type::String(_)) => 3,
        SchemaKind::Type(Type::Array(array)) => {
            let item = match (&array.items, depth < 4) {
                (Some(items), true) => decode_rank(cx, followed(cx, items), depth + 1),
                _ => 200,
            };
            10 + item / 4
        }
        SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } | SchemaKind::Any(_) => {
            match object_properties(cx, schema) {
                Some((properties, required)) if !properties.is_empty() => {
                    let mut distinct = required.clone();
                    distinct.sort();
                    distinct.dedup();
                    if distinct.is_empty() {
                        170
                    } else {
                        150 - distinct.len().min(50) as u32
                    }
                }
                Some(_) => 180,
                None => 200,
            }
        }
        _ => 200,
    }
}

/// A schema, or the one its `$ref`s lead to; `None` where they lead nowhere.
pub(super) fn followed<'d, S: std::borrow::Borrow<Schema>>(
    cx: &Context<'d>,
    schema: &'d ReferenceOr<S>,
) -> Option<&'d Schema> {
    cx.follow(schema, &Pointer::root(), "schemas", |c| &c.schemas).ok().map(|(schema, _)| schema)
}

#[cfg(test)]
mod tests {
    use super::{camel_words, strip_shared_words};
    use crate::model::{TypeKind, TypeRef};

    #[test]
    fn alternatives_beside_properties_are_variants_only_when_they_add_objects() {
        let spec = r#"
openapi: 3.0.3
info: {title: Beside, version: "1"}
paths: {}
components:
  schemas:
    CheckRun:
      type: object
      required: [name]
      properties:
        name: {type: string}
        status: {type: string, enum: [queued, completed]}
        conclusion: {type: string}
      oneOf:
        - {properties: {status: {enum: [completed]}}, required: [status, conclusion]}
        - {properties: {status: {enum: [queued]}}}
    Contact:
      type: object
      properties:
        name: {type: string}
      anyOf:
        - {required: [email], properties: {email: {type: string}}}
        - {required: [phone], properties: {phone: {type: string}}}
    Mixed:
      type: object
      properties:
        name: {type: string}
      oneOf:
        - {type: string}
        - {properties: {extra: {type: string}}}
    Holder:
      type: object
      properties:
        tasks:
          type: array
          items:
            allOf: [{$ref: '#/components/schemas/Task'}]
            oneOf: [{}]
    Task:
      type: object
      required: [id]
      properties:
        id: {type: string}
"#;
        let (model, warnings) = crate::model(crate::Spec::new("beside.yaml", spec)).expect("a model");
        let kind = |name: &str| &model.types.iter().find(|def| def.name == name).expect(name).kind;
        // Alternatives that only narrow the properties beside (GitHub's check runs) constrain them.
        assert!(matches!(kind("CheckRun"), TypeKind::Struct(s) if s.fields.len() == 3));
        let TypeKind::Union(contact) = kind("Contact") else { panic!("a union") };
        let names: Vec<&str> = contact.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["Email", "Phone"]);
        let TypeRef::Named(email) = contact.variants[0].ty else { panic!("a struct") };
        let TypeKind::Struct(email) = &model.type_def(email).kind else { panic!("a struct") };
        let fields: Vec<(&str, bool)> = email.fields.iter().map(|f| (f.wire_name.as_str(), f.required)).collect();
        assert_eq!(fields, [("name", false), ("email", true)]);
        // No value is both a string and an object: the struct of the properties, with a warning.
        assert!(matches!(kind("Mixed"), TypeKind::Struct(s) if s.fields.len() == 1));
        // An `allOf` beside alternatives that constrain nothing (Dropshot's `oneOf: [{}]`): the `allOf`.
        let TypeKind::Struct(holder) = kind("Holder") else { panic!("a struct") };
        let TypeRef::Vec(item) = &holder.fields[0].ty else { panic!("a list") };
        assert!(
            matches!(**item, TypeRef::Named(id) if matches!(&model.type_def(id).kind, TypeKind::Struct(s) if s.fields[0].wire_name == "id"))
        );
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(pointers, ["#/components/schemas/Mixed/oneOf"]);
    }

    #[test]
    fn shared_words_are_dropped_from_variant_names() {
        let names = |list: &[&str]| strip_shared_words(list.iter().map(|s| s.to_string()).collect());
        assert_eq!(names(&["IdpAdfsRequest", "IdpGoogleAppsRequest"]), ["Adfs", "GoogleApps"]);
        assert_eq!(names(&["ErrorResponseContent", "ValidationErrorResponseContent"]), ["Error", "ValidationError"]);
        assert_eq!(names(&["Cat", "Dog"]), ["Cat", "Dog"]);
        assert_eq!(names(&["Pet", "Pet"]), ["Pet", "Pet"]);
        assert_eq!(names(&["String", "Array"]), ["String", "Array"]);
        assert_eq!(camel_words("HTTPServerError"), ["HTTPServer", "Error"]);
    }
}
