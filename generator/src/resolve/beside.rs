//! A `oneOf`/`anyOf` beside properties: `{properties: {name}, oneOf: [Cat, Dog]}`, an `allOf`
//! base beside it (`{allOf: [Base], oneOf: [...]}`), or a union among an `allOf`'s parts
//! (`allOf: [Base, {oneOf: [...]}]`). JSON Schema applies both to one value, so when the
//! alternatives are objects that add fields, the schema is a union whose every variant is a
//! struct of the properties beside and the alternative's own (`Pet::Cat(PetCat { name, lives
//! })`), tagged or untagged as any union ([`super::unions::union_kind`], given the properties of
//! [`Beside`]).
//!
//! Why not a struct of the properties with the union in a `#[serde(flatten)]` field: the
//! struct's field would take a tag the properties declare before the union saw it, and
//! structs are not derived serde here (`runtime/object.rs`). Alternatives that only constrain
//! the properties (`{required: [a]}`, or a narrower `enum` of a property declared beside, as
//! GitHub's check runs) leave the struct of the properties alone; alternatives that are not
//! objects (no value is both) leave it too, with a warning ([`super::schemas`]).

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::all_of::{all_of_objects, merged_properties, Property};
use super::unions::{alternatives, followed, is_null, object_properties, Alternatives};
use super::Context;
use crate::error::Pointer;

/// A union beside properties: its alternatives, the schema that lists them (and may carry the
/// `discriminator`) with its pointer, and the properties every variant has.
pub(super) struct Beside<'s> {
    pub(super) alternatives: Alternatives<'s>,
    pub(super) holder: &'s Schema,
    pub(super) at: Pointer,
    pub(super) properties: Vec<Property<'s>>,
    pub(super) required: Vec<String>,
}

/// The union beside properties that `schema` (at `pointer`) is, if its alternatives are
/// objects and some add fields; `None` otherwise.
pub(super) fn beside_properties<'s, 'c: 's>(
    cx: &Context<'c>,
    schema: &'s Schema,
    pointer: &Pointer,
) -> Option<Beside<'s>> {
    let found = union_beside(cx, schema, pointer)?;
    let adds = adds_fields(cx, found.list, &found.properties);
    let schemas: Vec<_> = found.list.iter().enumerate().filter(|(_, s)| !is_null(s)).collect();
    let objects = schemas.iter().all(|(_, alternative)| {
        followed(cx, alternative)
            .is_some_and(|target| alternatives(target).is_none() && object_properties(cx, target).is_some())
    });
    if !adds || !objects || schemas.len() < 2 {
        return None;
    }
    let has_null = schemas.len() != found.list.len();
    Some(Beside {
        alternatives: Alternatives { keyword: found.keyword, schemas, has_null },
        holder: found.holder,
        at: found.at,
        properties: found.properties,
        required: found.required,
    })
}

/// The keyword of a union beside properties whose alternatives add fields but are not all
/// objects, for the warning of a schema [`beside_properties`] refused.
pub(super) fn refused_union(cx: &Context<'_>, schema: &Schema) -> Option<&'static str> {
    let found = union_beside(cx, schema, &Pointer::root())?;
    adds_fields(cx, found.list, &found.properties).then_some(found.keyword)
}

/// Whether `schema` is an object with its own `oneOf`/`anyOf` beside an `allOf` of objects
/// (no properties of its own) whose alternatives only constrain them: the struct of the
/// parts, named as any (`{allOf: [Task], oneOf: [{}]}`, as Dropshot writes some).
pub(super) fn constrained_struct(cx: &Context<'_>, schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Any(any) if !any.one_of.is_empty() || !any.any_of.is_empty())
        && union_beside(cx, schema, &Pointer::root())
            .is_some_and(|found| !adds_fields(cx, found.list, &found.properties))
}

/// A union found beside properties, before deciding what it becomes.
struct Found<'s> {
    keyword: &'static str,
    list: &'s [ReferenceOr<Schema>],
    holder: &'s Schema,
    at: Pointer,
    properties: Vec<Property<'s>>,
    required: Vec<String>,
}

/// The union beside properties in `schema`, with those properties: its own `oneOf`/`anyOf`
/// beside its properties or `allOf` of objects, or the one `allOf` part that is a union
/// beside parts that are objects (a second union part: `None`).
fn union_beside<'s, 'c: 's>(cx: &Context<'c>, schema: &'s Schema, pointer: &Pointer) -> Option<Found<'s>> {
    let (mut properties, mut required) = (Vec::new(), Vec::new());
    let (parts, own) = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => (all_of, None),
        SchemaKind::Any(any) if any.typ.as_deref().is_none_or(|t| t == "object") => (&any.all_of, Some(any)),
        _ => return None,
    };
    // Its own `oneOf`/`anyOf`, beside properties or an `allOf` of objects.
    if let Some(any) = own.filter(|any| any.one_of.is_empty() != any.any_of.is_empty()) {
        let beside = !any.properties.is_empty() || (!any.all_of.is_empty() && all_of_objects(cx, &any.all_of));
        if !beside {
            return None;
        }
        let (keyword, list) = if any.one_of.is_empty() { ("anyOf", &any.any_of) } else { ("oneOf", &any.one_of) };
        merged_properties(cx, schema, pointer, &mut properties, &mut required, 0).ok()?;
        return Some(Found { keyword, list, holder: schema, at: pointer.clone(), properties, required });
    }
    if own.is_some_and(|any| !any.one_of.is_empty() || !any.any_of.is_empty()) {
        return None;
    }
    // Else one `allOf` part that is a union, beside parts that are objects.
    let mut union = None;
    for (index, part) in parts.iter().enumerate() {
        let (target, part_pointer) =
            cx.follow(part, &pointer.join("allOf").join(index), "schemas", |c| &c.schemas).ok()?;
        match alternatives(target) {
            Some(found) if union.is_none() => union = Some((found, target, part_pointer)),
            Some(_) => return None,
            None => merged_properties(cx, target, &part_pointer, &mut properties, &mut required, 0).ok()?,
        }
    }
    let (found, holder, at) = union?;
    if let Some(any) = own {
        properties.extend(any.properties.iter().map(|(wire, schema)| (wire, schema, pointer.clone())));
        required.extend(any.required.iter().cloned());
    }
    if properties.is_empty() {
        return None; // `allOf` of a union beside notes only: the union (`super::all_of`).
    }
    let list = match &holder.schema_kind {
        SchemaKind::OneOf { one_of } => one_of,
        SchemaKind::AnyOf { any_of } => any_of,
        SchemaKind::Any(any) if any.one_of.is_empty() => &any.any_of,
        SchemaKind::Any(any) => &any.one_of,
        _ => return None,
    };
    Some(Found { keyword: found.keyword, list, holder, at, properties, required })
}

/// Whether an alternative adds a field to `properties`, rather than only constraining them:
/// `{required: [a]}` (one of these fields must be given) or `{properties: {status: {enum:
/// [done]}}}` (a narrower `status`) say nothing the struct of the properties cannot hold.
fn adds_fields(cx: &Context<'_>, list: &[ReferenceOr<Schema>], properties: &[Property<'_>]) -> bool {
    let only_constrains = |alternative: &ReferenceOr<Schema>| {
        let Some(target) = followed(cx, alternative) else { return false };
        let own = match &target.schema_kind {
            SchemaKind::Any(any)
                if any.typ.as_deref().is_none_or(|t| t == "object")
                    && any.all_of.is_empty()
                    && any.one_of.is_empty()
                    && any.any_of.is_empty() =>
            {
                &any.properties
            }
            SchemaKind::Type(Type::Object(object)) => &object.properties,
            _ => return false,
        };
        own.keys().all(|name| properties.iter().any(|(declared, _, _)| *declared == name))
    };
    !list.iter().all(only_constrains)
}
