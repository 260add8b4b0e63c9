//! `allOf`: what its parts are, and how they merge.
//!
//! An `allOf` of objects (or of parts that give no type) is one struct: [`merged_properties`]
//! gathers the properties of its parts at any depth, for [`super::schemas`] to make the
//! fields of. An `allOf` of other types is the one type its parts share ([`scalar_all_of`]):
//! `allOf` of a single `oneOf` (beside parts that only describe or constrain) is that union.
//! Its parts are schemas, so [`scalar_all_of`] maps them with [`shape_of`], which comes back
//! here for an `allOf` inside a part: the recursion of the two modules.

use std::collections::BTreeMap;

use openapiv3::{AnySchema, ReferenceOr, Schema, SchemaKind, Type};

use super::schemas::{merge_single, shape_of, Hint, SchemaRef, Shape, MAX_DEPTH};
use super::Context;
use crate::error::{Error, Pointer};
use crate::model::{Constraints, Doc, TypeRef};

/// What an `allOf` part is: an object (its fields join a struct), a value of another type
/// (a string, a number, an array, an enum, a union), or only a constraint or note (`required`,
/// `description`) that says nothing of the type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AllOfPart {
    Object,
    OtherType,
    Constraint,
}

/// Whether an `allOf` is one of objects, which merge into a struct: some part is an object,
/// or no part gives a type at all. Otherwise (`allOf: [{type: string}, {minLength: 1}]`,
/// `allOf: [{$ref: Color}]`) it is the one type its parts share.
pub(super) fn all_of_objects(cx: &Context<'_>, parts: &[ReferenceOr<Schema>]) -> bool {
    PartKinds { cx, seen: BTreeMap::new() }.objects(parts, 0)
}

fn all_of_part(cx: &Context<'_>, part: &ReferenceOr<Schema>) -> AllOfPart {
    PartKinds { cx, seen: BTreeMap::new() }.part(part, 0)
}

/// Tells what `allOf` parts are. `seen` holds the kind of each reference met so far (`None`
/// while it is being followed): a reference met again is not followed again, which keeps the
/// work linear however parts nest, and one that includes itself (`A: allOf: [..., $ref: A]`)
/// adds nothing there.
struct PartKinds<'c, 'd> {
    cx: &'c Context<'d>,
    seen: BTreeMap<&'d str, Option<AllOfPart>>,
}

impl<'d> PartKinds<'_, 'd> {
    fn objects(&mut self, parts: &'d [ReferenceOr<Schema>], depth: usize) -> bool {
        let kinds: Vec<AllOfPart> = parts.iter().map(|part| self.part(part, depth)).collect();
        kinds.contains(&AllOfPart::Object) || !kinds.contains(&AllOfPart::OtherType)
    }

    fn part(&mut self, part: &'d ReferenceOr<Schema>, depth: usize) -> AllOfPart {
        if let ReferenceOr::Reference { reference } = part {
            if let Some(known) = self.seen.get(reference.as_str()) {
                return known.unwrap_or(AllOfPart::Constraint);
            }
            self.seen.insert(reference, None);
        }
        // A reference that leads nowhere, or parts nested without end, are reported as a struct's.
        let kind = match self.cx.follow(part, &Pointer::root(), "schemas", |c| &c.schemas) {
            Ok((schema, _)) if depth <= MAX_DEPTH => self.schema(schema, depth),
            _ => AllOfPart::Object,
        };
        if let ReferenceOr::Reference { reference } = part {
            self.seen.insert(reference, Some(kind));
        }
        kind
    }

    fn schema(&mut self, schema: &'d Schema, depth: usize) -> AllOfPart {
        match &schema.schema_kind {
            // `anyOf: [{required: [a]}, {required: [b]}]`: which fields must be there, no type.
            SchemaKind::OneOf { one_of: alternatives } | SchemaKind::AnyOf { any_of: alternatives }
                if alternatives
                    .iter()
                    .all(|alternative| self.part(alternative, depth + 1) == AllOfPart::Constraint) =>
            {
                AllOfPart::Constraint
            }
            SchemaKind::Type(Type::Object(_)) => AllOfPart::Object,
            // A union is a type of its own: `allOf: [{oneOf: ...}, {description: ...}]` is the union.
            SchemaKind::Type(_) | SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => AllOfPart::OtherType,
            SchemaKind::AllOf { all_of } if self.objects(all_of, depth + 1) => AllOfPart::Object,
            SchemaKind::AllOf { .. } => AllOfPart::OtherType,
            SchemaKind::Not { .. } => AllOfPart::Constraint,
            SchemaKind::Any(any) => match any.typ.as_deref() {
                _ if !any.properties.is_empty() || !any.all_of.is_empty() => AllOfPart::Object,
                // A union, unless its alternatives only say which fields must be there.
                _ if !any.one_of.is_empty() || !any.any_of.is_empty() => {
                    let alternatives = if any.one_of.is_empty() { &any.any_of } else { &any.one_of };
                    if alternatives.iter().all(|a| self.part(a, depth + 1) == AllOfPart::Constraint) {
                        AllOfPart::Object
                    } else {
                        AllOfPart::OtherType
                    }
                }
                Some("object") => AllOfPart::Object,
                Some(_) => AllOfPart::OtherType,
                None => AllOfPart::Constraint,
            },
        }
    }
}

/// An `allOf` of parts that are not objects: the type they share, with the constraints of
/// all of them; parts of different types (no value is both a string and a number) give
/// `serde_json::Value`, with a warning. `own` is the shape of a scalar `type` and its keywords
/// beside the `allOf` ([`super::typed_compositions`], which checks it fits the parts): its
/// constraints and format join the parts'.
pub(super) fn scalar_all_of(
    cx: &mut Context<'_>,
    outer: Shape,
    parts: &[ReferenceOr<Schema>],
    own: Option<Shape>,
    hint: &Hint,
    pointer: &Pointer,
) -> Result<Shape, Error> {
    let mut typed: Vec<Shape> = Vec::new();
    // What the parts without a type add: a description, string lengths.
    let mut notes =
        Shape { ty: TypeRef::Json, nullable: false, constraints: Constraints::default(), doc: Doc::default() };
    for (index, part) in parts.iter().enumerate() {
        let part_pointer = pointer.join("allOf").join(index);
        // A part that is the schema itself adds nothing.
        if matches!(part, ReferenceOr::Reference { reference } if Pointer::parse_ref(reference).as_ref() == Some(pointer))
        {
            continue;
        }
        if all_of_part(cx, part) != AllOfPart::Constraint {
            typed.push(shape_of(cx, SchemaRef::of(part), hint, &part_pointer)?);
            continue;
        }
        let (schema, _) = cx.follow(part, &part_pointer, "schemas", |c| &c.schemas)?;
        notes.doc.description = notes.doc.description.or_else(|| schema.schema_data.description.clone());
        if let SchemaKind::Any(any) = &schema.schema_kind {
            let (min, max) = (any.min_length.map(|n| n as u64), any.max_length.map(|n| n as u64));
            notes.constraints.min_length = tighter(notes.constraints.min_length, min, u64::max);
            notes.constraints.max_length = tighter(notes.constraints.max_length, max, u64::min);
        }
    }
    let Some(first) = typed.first().cloned() else { return Ok(outer) };
    // Integers of different widths (`minimum: 0` makes one unsigned) are one type here.
    if let Some(other) = typed.iter().find(|shape| type_word(cx, &shape.ty) != type_word(cx, &first.ty)) {
        cx.warn(
            &pointer.join("allOf"),
            format!(
                "`allOf` of parts of different types ({} and {}): no value is both; generated as serde_json::Value",
                type_word(cx, &first.ty),
                type_word(cx, &other.ty)
            ),
        );
        return Ok(Shape { ty: TypeRef::Json, ..outer });
    }
    let nullable = typed.iter().all(|shape| shape.nullable);
    let mut merged = merge_single(outer, first, false);
    merged.nullable |= nullable;
    merged.doc.description = merged.doc.description.or(notes.doc.description.take());
    if let Some(own) = own {
        // The first part that describes the value, when neither the schema nor its first part does.
        merged.doc.description =
            merged.doc.description.or_else(|| typed.iter().find_map(|shape| shape.doc.description.clone()));
        merged.doc.format = merged.doc.format.or_else(|| own.doc.format.clone());
        typed.push(own);
    }
    if merged.ty == TypeRef::String {
        typed.push(notes);
    }
    for shape in &typed {
        merged.constraints.min_length = tighter(merged.constraints.min_length, shape.constraints.min_length, u64::max);
        merged.constraints.max_length = tighter(merged.constraints.max_length, shape.constraints.max_length, u64::min);
        merged.constraints.email |= shape.constraints.email;
    }
    Ok(merged)
}

/// The tighter of two bounds (`pick` is `max` for a lower bound, `min` for an upper one);
/// a bound only one side has is kept.
pub(super) fn tighter(a: Option<u64>, b: Option<u64>, pick: fn(u64, u64) -> u64) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(pick(a, b)),
        (a, b) => a.or(b),
    }
}

/// A type as a warning names it.
fn type_word(cx: &Context<'_>, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => format!("`{}`", cx.type_name(*id)),
        TypeRef::String | TypeRef::Formatted(_) => "string".into(),
        TypeRef::Bool => "boolean".into(),
        TypeRef::Integer(_) => "integer".into(),
        TypeRef::Float(_) => "number".into(),
        TypeRef::Vec(_) | TypeRef::Tuple(_) => "array".into(),
        TypeRef::Map(_) => "object".into(),
        TypeRef::Nullable(inner) => format!("{} or null", type_word(cx, inner)),
        TypeRef::Json => "any".into(),
        TypeRef::File => "file".into(),
        TypeRef::Replaced(index) => format!("`{}`", cx.replaced.get(*index).map_or("", |r| r.rust_type.as_str())),
    }
}

pub(super) type Property<'d> = (&'d String, &'d ReferenceOr<Box<Schema>>, Pointer);

/// The properties (and required names) of an object schema, with those of its `allOf` parts
/// merged in, parts first, at any depth. A part that is not an object is an error.
pub(super) fn merged_properties<'s, 'c: 's>(
    cx: &Context<'c>,
    schema: &'s Schema,
    pointer: &Pointer,
    properties: &mut Vec<Property<'s>>,
    required: &mut Vec<String>,
    depth: usize,
) -> Result<(), Error> {
    let (parts, own) = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => (&[][..], Some((&object.properties, &object.required))),
        SchemaKind::AllOf { all_of } => (all_of.as_slice(), None),
        // `oneOf`/`anyOf`/`not` beside properties: when they add fields, each variant of a
        // union merges these with its own (`super::beside`); else they constrain.
        SchemaKind::Any(any)
            if !any.properties.is_empty()
                || !any.all_of.is_empty()
                || any.typ.as_deref().is_none_or(|t| t == "object") =>
        {
            (any.all_of.as_slice(), Some((&any.properties, &any.required)))
        }
        // Alternatives that only say which fields must be there add none.
        SchemaKind::OneOf { one_of: alternatives } | SchemaKind::AnyOf { any_of: alternatives }
            if alternatives.iter().all(|alternative| all_of_part(cx, alternative) == AllOfPart::Constraint) =>
        {
            return Ok(());
        }
        _ => return Err(cx.error(pointer, "`allOf` of something other than objects is not supported yet")),
    };
    // A chain of parts deeper than the document has components (each can be met once on
    // the way) and inline schemas can nest must be a cycle.
    if depth > cx.document.components.as_ref().map_or(0, |c| c.schemas.len()) + MAX_DEPTH {
        return Err(cx.error(pointer, "`allOf` that includes itself"));
    }
    for (index, part) in parts.iter().enumerate() {
        let (part, part_pointer) = cx.follow(part, &pointer.join("allOf").join(index), "schemas", |c| &c.schemas)?;
        merged_properties(cx, part, &part_pointer, properties, required, depth + 1)?;
    }
    if let Some((own_properties, own_required)) = own {
        properties.extend(own_properties.iter().map(|(wire, schema)| (wire, schema, pointer.clone())));
        required.extend(own_required.iter().cloned());
    }
    Ok(())
}

/// Whether a schema with keywords beside its `allOf` is an object with the parts merged
/// with its own keywords (not a scalar `type` beside it: [`super::typed_compositions`]).
pub(super) fn merges_object_parts(cx: &Context<'_>, any: &AnySchema) -> bool {
    !any.all_of.is_empty()
        && any.one_of.is_empty()
        && any.any_of.is_empty()
        && !super::typed_compositions::is_scalar_all_of(cx, any)
}
