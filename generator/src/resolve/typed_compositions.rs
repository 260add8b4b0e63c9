//! A scalar `type` beside `allOf`, `oneOf` or `anyOf`: `type: string` with an `allOf` of two
//! patterns that must both hold, or with a `oneOf` of an IPv4 and an IPv6 format. JSON Schema
//! applies the keywords beside the composition and the composition to the same value, so such
//! a schema is the scalar (string, integer, number, boolean) its `type` says:
//!
//! - `allOf` of parts that are not objects: the one type its parts share, with the
//!   constraints of every part and of the keywords beside it ([`scalar_all_of`]). An `enum`
//!   beside it (`enum: [2]` beside `allOf: [$ref: Level]`, a narrower list than the part's) is
//!   the type: a value must be in both lists, and the own list is the one written for here. A part of
//!   another JSON type than the sibling `type` leaves no value: serde_json::Value, with a
//!   warning, as parts of different types give without a sibling `type`.
//! - `oneOf`/`anyOf` whose alternatives all map to the same Rust scalar (a string in one of
//!   several formats): that scalar. An untagged enum of `String` variants would add nothing
//!   (serde takes the first, which accepts every string). An alternative without a `type`
//!   takes the sibling one, as JSON Schema reads it. Its length bounds are the loosest any
//!   alternative allows (a check before sending must not refuse a value one alternative
//!   accepts), tightened by the keywords beside; the formats are documented. Alternatives of
//!   different Rust types (an enum and a string, an object) would need a union whose variants
//!   carry the sibling keywords too: still serde_json::Value, with the warning of
//!   [`super::schemas`].
//!
//! - `oneOf`/`anyOf` some of whose alternatives are of another JSON type than the sibling
//!   `type` (an object beside `type: array`): no value is both, so they are left out, with a
//!   warning, and the rest is read as if only it were written ([`without_other_types`]). This
//!   holds for arrays too.
//!
//! Arrays and objects beside a composition are otherwise left to the rest of the stage: an
//! object's `allOf` merges into a struct, its `oneOf` is a union.

use openapiv3::{AnySchema, ReferenceOr, Schema, SchemaKind, Type};

use super::all_of::{all_of_objects, scalar_all_of, tighter};
use super::schemas::{merge_single, shape_of, Hint, SchemaRef, Shape};
use super::unions::is_null;
use super::Context;
use crate::error::{Error, Pointer};
use crate::model::TypeRef;

/// The JSON types a scalar `type` beside a composition can name.
const SCALAR_TYPES: &[&str] = &["string", "integer", "number", "boolean"];

/// The scalar `type` of a schema that has keywords beside its composition, if it is one
/// this module reads: no properties beside it, and an `enum` only beside an `allOf`.
fn scalar_type(any: &AnySchema) -> Option<&str> {
    let typ = any.typ.as_deref().filter(|t| SCALAR_TYPES.contains(t))?;
    let enum_beside_all_of = !any.all_of.is_empty() && any.one_of.is_empty() && any.any_of.is_empty();
    (any.properties.is_empty() && (any.enumeration.is_empty() || enum_beside_all_of)).then_some(typ)
}

/// Whether a schema is a scalar `type` beside an `allOf` of parts that are not objects,
/// which [`typed_composition`] maps (and is not a struct).
pub(super) fn is_scalar_all_of(cx: &Context<'_>, any: &AnySchema) -> bool {
    all_of_scalar_type(cx, any).is_some()
}

/// The scalar type of a schema whose `allOf` parts are not objects: its own `type`; or,
/// without one (`{allOf: [$ref: Text], maxLength: 100}`) or with a bare `type: object`
/// beside them (no value is both; the parts say what was meant), the one type the parts
/// that give one share.
fn all_of_scalar_type<'a>(cx: &Context<'_>, any: &'a AnySchema) -> Option<&'a str> {
    if any.all_of.is_empty() || !any.one_of.is_empty() || !any.any_of.is_empty() || all_of_objects(cx, &any.all_of) {
        return None;
    }
    if let Some(typ) = scalar_type(any) {
        return Some(typ);
    }
    let bare_object = any.typ.as_deref() == Some("object");
    if !(any.typ.is_none() || bare_object) || !any.properties.is_empty() || any.items.is_some() {
        return None;
    }
    let mut shared = None;
    for part in &any.all_of {
        let Ok((schema, _)) = cx.follow(part, &Pointer::root(), "schemas", |c| &c.schemas) else { return None };
        match json_type(schema) {
            Some(typ) if SCALAR_TYPES.contains(&typ) && shared.is_none_or(|shared| shared == typ) => {
                shared = Some(typ);
            }
            Some(_) => return None,
            None => {}
        }
    }
    SCALAR_TYPES.iter().copied().find(|typ| Some(*typ) == shared)
}

/// The shape of a scalar `type` beside `allOf`, `oneOf` or `anyOf`, or `None` when this
/// module does not read the schema (see the module doc).
pub(super) fn typed_composition(
    cx: &mut Context<'_>,
    outer: &Shape,
    any: &AnySchema,
    hint: &Hint,
    pointer: &Pointer,
) -> Result<Option<Shape>, Error> {
    if let Some(typ) = all_of_scalar_type(cx, any) {
        if any.typ.as_deref() == Some("object") {
            cx.warn(
                &pointer.join("type"),
                format!("`type: object` beside an `allOf` of {typ} parts: no value is both; read as {typ}"),
            );
        }
        return typed_all_of(cx, outer.clone(), any, typ, hint, pointer).map(Some);
    }
    if let Some(shape) = without_other_types(cx, outer, any, hint, pointer)? {
        return Ok(Some(shape));
    }
    let Some(typ) = scalar_type(any) else { return Ok(None) };
    match (any.all_of.is_empty(), any.one_of.is_empty(), any.any_of.is_empty()) {
        (true, false, true) => typed_union(cx, outer, any, typ, ("oneOf", &any.one_of), hint, pointer),
        (true, true, false) => typed_union(cx, outer, any, typ, ("anyOf", &any.any_of), hint, pointer),
        _ => Ok(None),
    }
}

/// `type: T` (not an object) beside a `oneOf` or `anyOf` some of whose alternatives are of
/// another JSON type, as GitHub Enterprise's `{type: array, items: {type: string}, oneOf:
/// [{type: object, properties: {contexts}}, {type: array, items: {type: string}}]}`: no
/// value is both, so those alternatives are left out, with a warning that names them. One
/// left is the type, as a single alternative is; several are read as if only they were
/// written; none leaves serde_json::Value. `None` when every alternative can be of type `T`.
fn without_other_types(
    cx: &mut Context<'_>,
    outer: &Shape,
    any: &AnySchema,
    hint: &Hint,
    pointer: &Pointer,
) -> Result<Option<Shape>, Error> {
    let Some(typ) = any.typ.as_deref().filter(|typ| *typ != "object") else { return Ok(None) };
    let (keyword, alternatives) = match (any.one_of.is_empty(), any.any_of.is_empty()) {
        (false, true) => ("oneOf", &any.one_of),
        (true, false) => ("anyOf", &any.any_of),
        _ => return Ok(None),
    };
    if !any.all_of.is_empty() {
        return Ok(None);
    }
    let mut kept = Vec::new();
    let mut left_out = Vec::new();
    let mut has_null = false;
    for (index, alternative) in alternatives.iter().enumerate() {
        if is_null(alternative) {
            has_null = true;
            continue;
        }
        let (schema, _) = cx.follow(alternative, &pointer.join(keyword).join(index), "schemas", |c| &c.schemas)?;
        match value_type(schema) {
            Some(other) if !within(other, typ) && !within(typ, other) => left_out.push(format!("{index} ({other})")),
            _ => kept.push(index),
        }
    }
    if left_out.is_empty() {
        return Ok(None);
    }
    let consequence = if kept.is_empty() { "generated as serde_json::Value" } else { "left out" };
    cx.warn(
        &pointer.join(keyword),
        format!(
            "`{keyword}` alternatives `{}` are of another JSON type than the `type: {typ}` beside them: no value is both; {consequence}",
            left_out.join(", ")
        ),
    );
    match kept.as_slice() {
        [] => Ok(Some(Shape { ty: TypeRef::Json, ..outer.clone() })),
        [only] => {
            let inner = shape_of(cx, SchemaRef::of(&alternatives[*only]), hint, &pointer.join(keyword).join(*only))?;
            Ok(Some(merge_single(outer.clone(), inner, has_null)))
        }
        _ => {
            // Read again without the others: a problem found in an alternative is reported at
            // its index among those kept.
            let kept: Vec<ReferenceOr<Schema>> = kept.iter().map(|&index| alternatives[index].clone()).collect();
            let (one_of, any_of) = if keyword == "oneOf" { (kept, Vec::new()) } else { (Vec::new(), kept) };
            let narrowed = AnySchema { one_of, any_of, ..any.clone() };
            typed_composition(cx, outer, &narrowed, hint, pointer)
        }
    }
}

/// `type: T` beside an `allOf` of parts that are not objects.
fn typed_all_of(
    cx: &mut Context<'_>,
    outer: Shape,
    any: &AnySchema,
    typ: &str,
    hint: &Hint,
    pointer: &Pointer,
) -> Result<Shape, Error> {
    for (index, part) in any.all_of.iter().enumerate() {
        let part_pointer = pointer.join("allOf").join(index);
        let (schema, _) = cx.follow(part, &part_pointer, "schemas", |c| &c.schemas)?;
        if let Some(part_type) = json_type(schema).filter(|part_type| !within(part_type, typ)) {
            cx.warn(
                &part_pointer,
                format!("`allOf` part of type {part_type} beside `type: {typ}`: no value is both; generated as serde_json::Value"),
            );
            return Ok(Shape { ty: TypeRef::Json, ..outer });
        }
    }
    let own = own_keywords(cx, any, typ, pointer)?;
    let own = shape_of(cx, SchemaRef::Item(&own), hint, pointer)?;
    if !any.enumeration.is_empty() {
        // `enum: [2]` beside `allOf: [$ref: Level]`: a value is in both lists, so the own,
        // usually narrower, list is the type; the parts only constrain it.
        return Ok(merge_single(outer, own, false));
    }
    scalar_all_of(cx, outer, &any.all_of, Some(own), hint, pointer)
}

/// `type: T` beside a `oneOf` or `anyOf` (`alternatives`, under their keyword).
fn typed_union(
    cx: &mut Context<'_>,
    outer: &Shape,
    any: &AnySchema,
    typ: &str,
    (keyword, alternatives): (&str, &[ReferenceOr<Schema>]),
    hint: &Hint,
    pointer: &Pointer,
) -> Result<Option<Shape>, Error> {
    // Decided on the schemas first: mapping an alternative that is an object or an enum would
    // define a type, which a schema given up on must not leave behind. An alternative without
    // a `type` is read as one with the sibling `type` (`Some`); the others as written.
    let mut given_type: Vec<Option<Schema>> = Vec::new();
    for (index, alternative) in alternatives.iter().enumerate() {
        let alternative_pointer = pointer.join(keyword).join(index);
        let (schema, _) = cx.follow(alternative, &alternative_pointer, "schemas", |c| &c.schemas)?;
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) if string.enumeration.is_empty() => given_type.push(None),
            SchemaKind::Type(Type::Integer(_) | Type::Number(_) | Type::Boolean(_)) => given_type.push(None),
            // A union of scalars itself, which decides the same way before it maps anything.
            SchemaKind::Any(keywords) if scalar_type(keywords).is_some() && keywords.all_of.is_empty() => {
                given_type.push(None);
            }
            SchemaKind::Any(keywords) if keywords.typ.is_none() && only_scalar_keywords(keywords) => {
                given_type.push(Some(own_keywords(cx, keywords, typ, &alternative_pointer)?));
            }
            _ => return Ok(None),
        }
    }
    let mut shapes = Vec::new();
    for (index, (alternative, given_type)) in alternatives.iter().zip(&given_type).enumerate() {
        let source = given_type.as_ref().map_or_else(|| SchemaRef::of(alternative), SchemaRef::Item);
        shapes.push(shape_of(cx, source, hint, &pointer.join(keyword).join(index))?);
    }
    let Some(first) = shapes.first() else { return Ok(None) };
    let same_type = shapes.iter().all(|shape| shape.ty == first.ty);
    if !same_type || !scalar_ref_type(&first.ty).is_some_and(|alternative| within(alternative, typ)) {
        return Ok(None);
    }
    let own = own_keywords(cx, any, typ, pointer)?;
    let own = shape_of(cx, SchemaRef::Item(&own), hint, pointer)?;
    let mut result = Shape { ty: first.ty.clone(), ..outer.clone() };
    let loosest = |bound: fn(&Shape) -> Option<u64>, pick: fn(u64, u64) -> u64| {
        shapes.iter().map(bound).reduce(|a, b| a.zip(b).map(|(a, b)| pick(a, b))).flatten()
    };
    let min_length = loosest(|shape| shape.constraints.min_length, u64::min);
    let max_length = loosest(|shape| shape.constraints.max_length, u64::max);
    result.constraints.min_length = tighter(own.constraints.min_length, min_length, u64::max);
    result.constraints.max_length = tighter(own.constraints.max_length, max_length, u64::min);
    result.constraints.email = own.constraints.email || shapes.iter().all(|shape| shape.constraints.email);
    result.doc.format = own.doc.format.or_else(|| formats(&shapes));
    Ok(Some(result))
}

/// The alternatives' formats, as the documentation shows them (`ipv4 | ipv6`); none when an
/// alternative takes any value of its type.
fn formats(shapes: &[Shape]) -> Option<String> {
    let mut formats: Vec<&str> = Vec::new();
    for shape in shapes {
        let format = shape.doc.format.as_deref()?;
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    Some(formats.join(" | "))
}

/// Whether a schema without a `type` holds only keywords a scalar takes (`format`,
/// `minLength`, a description), not an object's, an array's or a composition.
fn only_scalar_keywords(any: &AnySchema) -> bool {
    any.properties.is_empty()
        && any.additional_properties.is_none()
        && any.items.is_none()
        && any.enumeration.is_empty()
        && any.all_of.is_empty()
        && any.one_of.is_empty()
        && any.any_of.is_empty()
        && any.not.is_none()
}

/// The keywords of `any` without its compositions, as a schema of type `typ`: what the
/// value must be besides the parts or alternatives.
fn own_keywords(cx: &Context<'_>, any: &AnySchema, typ: &str, pointer: &Pointer) -> Result<Schema, Error> {
    let keywords = AnySchema {
        typ: Some(typ.to_owned()),
        all_of: Vec::new(),
        one_of: Vec::new(),
        any_of: Vec::new(),
        ..any.clone()
    };
    // Read back as a schema, so that `type: string` with its keywords is the string type.
    serde_json::to_value(keywords)
        .and_then(serde_json::from_value)
        .map_err(|e| cx.internal_error(pointer, format!("the keywords beside a composition: {e}")))
}

/// The JSON type a schema says its values are, if it says one.
fn json_type(schema: &Schema) -> Option<&str> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => Some("string"),
        SchemaKind::Type(Type::Integer(_)) => Some("integer"),
        SchemaKind::Type(Type::Number(_)) => Some("number"),
        SchemaKind::Type(Type::Boolean(_)) => Some("boolean"),
        SchemaKind::Type(Type::Array(_)) => Some("array"),
        SchemaKind::Type(Type::Object(_)) => Some("object"),
        SchemaKind::Any(any) => any.typ.as_deref(),
        _ => None,
    }
}

/// The JSON type a schema's values are: the one it says, or an object for a schema that
/// only lists properties.
fn value_type(schema: &Schema) -> Option<&str> {
    match &schema.schema_kind {
        SchemaKind::Any(any) if any.typ.is_none() && !any.properties.is_empty() => Some("object"),
        _ => json_type(schema),
    }
}

/// The JSON type of a scalar Rust type.
fn scalar_ref_type(ty: &TypeRef) -> Option<&'static str> {
    match ty {
        TypeRef::String => Some("string"),
        TypeRef::Integer(_) => Some("integer"),
        TypeRef::Float(_) => Some("number"),
        TypeRef::Bool => Some("boolean"),
        _ => None,
    }
}

/// Whether every value of JSON type `inner` can be one of `outer` (an integer is a number).
fn within(inner: &str, outer: &str) -> bool {
    inner == outer || (inner == "integer" && outer == "number")
}
