//! Schemas to Rust types: the one place where the type mapping is decided.
//!
//! | schema | Rust |
//! |---|---|
//! | object with properties, `allOf` of objects (merged, with keywords beside `allOf`: [`super::all_of`]) | a struct (named after the component, or the parent and field) |
//! | string with `enum` | an enum with a fallback variant for values added later |
//! | `oneOf` of constants (3.1's `{const, title, description}`), strings or integers | an enum of those values ([`super::const_enums`]) |
//! | `oneOf`, `anyOf` | an enum with a variant per alternative ([`super::unions`]) |
//! | a scalar `type` beside `allOf`, `oneOf` or `anyOf` | that scalar ([`super::typed_compositions`]) |
//! | string (any other format) | `String`, with `minLength`, `maxLength` and `email` checked before sending |
//! | integer, number, boolean | `i64` or by `format`/`minimum`, `f64`/`f32`, `bool` |
//! | array | `Vec<T>` ([`super::containers`], as the two below) |
//! | array of exactly the items of 3.1's `prefixItems` (the parse stage decides) | a tuple `(A, B)` |
//! | string with `format: binary` (or 3.1's `contentEncoding: base64`) | `crate::File` |
//! | object with only `additionalProperties` | `BTreeMap<String, T>` |
//! | an item or map value that may be `null` | `Option<T>` inside: `Vec<Option<T>>` |
//! | anything else (`not`, no type) | `serde_json::Value`, with a warning where the spec meant more |
//!
//! A field's states: required `T`; optional `Option<T>`; required and nullable `Option<T>`
//! (sent as `null`); optional and nullable `Option<Option<T>>`. `readOnly` and `writeOnly`
//! fields are optional, since one direction leaves them out.
//!
//! A schema can be a union or an `allOf`, whose alternatives and parts are schemas: [`shape_of`]
//! and [`define`] hand those to [`super::unions`], [`super::all_of`] and [`super::typed_compositions`],
//! which call [`shape_of`] back for each alternative and part: the only recursion between them.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{
    IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, StringType, Type, VariantOrUnknownOrEmpty,
};

use super::all_of::{all_of_objects, merged_properties, merges_object_parts, scalar_all_of, Property};
use super::inline::{self, InlineTypes};
use super::{beside, const_enums, containers, typed_compositions, unions, Context};
use crate::error::{Error, Pointer};
use crate::model::{
    Compiled, Constraints, Doc, Field, FloatType, IntegerType, StringFormat, Struct, TypeDef, TypeId, TypeKind,
    TypeRef, Variant,
};
use crate::names::{enum_value_word, Case, Scope};

/// What the schema stage has found so far.
#[derive(Debug, Default)]
pub(super) struct Schemas {
    /// Components that become named types, in spec order.
    named: IndexMap<String, TypeId>,
    /// The definition of every named type made so far.
    defs: BTreeMap<TypeId, TypeDef>,
    /// Components being inlined right now, to catch a cycle that no named type breaks.
    inlining: BTreeSet<String>,
    /// How deep `shape_of` is now, to stop before the stack ends.
    depth: usize,
    /// Inline schemas that became named types.
    inline: InlineTypes,
}

/// How deep schemas may nest (inline, or through `$ref`s to arrays and maps, which chain
/// without bound in a document of any depth): a `Vec<Vec<...>>` 60 deep overflows a 2 MiB
/// stack in a debug build, in `resolve` or in `syn`. Real specs nest less than 10 deep.
pub(super) const MAX_DEPTH: usize = 32;

/// A schema as a field or parameter sees it.
#[derive(Debug, Clone)]
pub(super) struct Shape {
    pub(super) ty: TypeRef,
    pub(super) nullable: bool,
    pub(super) constraints: Constraints,
    pub(super) doc: Doc,
}

/// How to name a type made from an inline schema, and what to say of it if the spec doesn't.
#[derive(Debug, Clone)]
pub(super) struct Hint {
    pub(super) name: String,
    pub(super) doc: String,
}

impl Hint {
    pub(super) fn new(name: impl Into<String>, doc: impl Into<String>) -> Self {
        Self { name: name.into(), doc: doc.into() }
    }
}

/// A schema, or a reference to one.
#[derive(Clone, Copy)]
pub(super) enum SchemaRef<'d> {
    Ref(&'d str),
    Item(&'d Schema),
}

impl<'d> SchemaRef<'d> {
    /// Also of the boxed schema a property or an array's `items` holds.
    pub(super) fn of<S: Borrow<Schema>>(schema: &'d ReferenceOr<S>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Item(schema.borrow()),
        }
    }
}

fn components<'d>(cx: &Context<'d>) -> impl Iterator<Item = (&'d String, &'d ReferenceOr<Schema>)> {
    cx.document.components.iter().flat_map(|c| c.schemas.iter())
}

/// Claims the names of the components that become named types, before anything refers to
/// them, so that they keep their own names and inline types give way.
pub(super) fn name_components(cx: &mut Context<'_>) {
    for (name, schema) in components(cx) {
        if let ReferenceOr::Item(schema) = schema {
            if becomes_named(cx, schema) && cx.replacement(name).is_none() {
                let id = cx.claim_type(name);
                cx.schemas.named.insert(name.clone(), id);
            }
        }
    }
}

pub(super) fn resolve_components(cx: &mut Context<'_>) -> Result<(), Error> {
    // An object written out in place with the very text of a component's (a bundler's copy
    // of it) is that component's type, as copies of one inline schema share one type. Not
    // an enum: two lists of the same values (`[EMAIL]`) are as often two things as one.
    let mut copied = Vec::new();
    for (name, schema) in components(cx).filter(|(name, _)| cx.replacement(name).is_none()) {
        if let (Some(id), ReferenceOr::Item(schema)) = (cx.schemas.named.get(name).copied(), schema) {
            let object = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => !object.properties.is_empty(),
                SchemaKind::Any(any) => !any.properties.is_empty(),
                _ => false,
            };
            if let Some(json) = inline::json_key(schema).filter(|_| object) {
                copied.push((json, id));
            }
        }
    }
    for (json, id) in copied {
        cx.schemas.inline.remember_component(json, id);
    }
    for (name, schema) in components(cx) {
        let pointer = Pointer::root().join("components").join("schemas").join(name);
        let hint = Hint::new(name.clone(), format!("The `{name}` schema."));
        if cx.replacement(name).is_some() {
            // Not generated: the user's type stands for it.
            continue;
        }
        match (cx.schemas.named.get(name).copied(), schema) {
            (Some(id), ReferenceOr::Item(schema)) => define(cx, id, schema, &hint, &pointer)?,
            // Strings, arrays, maps are used where they are referred to; resolving them here
            // too finds their problems even when nothing refers to them.
            _ => {
                shape_of(cx, SchemaRef::of(schema), &hint, &pointer)?;
            }
        }
    }
    Ok(())
}

/// Whether a schema is a struct, an enum or a union, which live under a name of their own.
fn becomes_named(cx: &Context<'_>, schema: &Schema) -> bool {
    if const_enums::const_enum(schema).is_some() {
        return true;
    }
    if let Some(alternatives) = unions::alternatives(schema) {
        return alternatives.schemas.len() > 1;
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => !object.properties.is_empty(),
        SchemaKind::Type(Type::String(string)) => string.enumeration.iter().any(Option::is_some),
        SchemaKind::AllOf { all_of } => all_of.len() > 1 && all_of_objects(cx, all_of),
        SchemaKind::Any(any) => {
            !any.properties.is_empty()
                || merges_object_parts(cx, any)
                || beside::beside_properties(cx, schema, &Pointer::root()).is_some()
                || beside::constrained_struct(cx, schema)
        }
        _ => false,
    }
}

/// The Rust type of a schema. Inline structs and enums are defined on the way, named after `hint`.
pub(super) fn shape_of(
    cx: &mut Context<'_>,
    schema: SchemaRef<'_>,
    hint: &Hint,
    pointer: &Pointer,
) -> Result<Shape, Error> {
    if cx.schemas.depth >= MAX_DEPTH {
        return Err(cx.error(
            pointer,
            format!("schemas nested more than {MAX_DEPTH} levels deep (inline or through `$ref`s) are not supported"),
        ));
    }
    cx.schemas.depth += 1;
    let shape = shape_of_nested(cx, schema, hint, pointer);
    cx.schemas.depth -= 1;
    shape
}

fn shape_of_nested(
    cx: &mut Context<'_>,
    schema: SchemaRef<'_>,
    hint: &Hint,
    pointer: &Pointer,
) -> Result<Shape, Error> {
    let schema = match schema {
        SchemaRef::Item(schema) => schema,
        SchemaRef::Ref(reference) => return shape_of_ref(cx, reference, hint, pointer),
    };
    let data = &schema.schema_data;
    let mut result = Shape {
        ty: TypeRef::Json,
        nullable: data.nullable,
        constraints: Constraints::default(),
        doc: Doc {
            description: data.description.clone().or_else(|| data.title.clone()),
            format: None,
            default: data.default.as_ref().map(|value| value.to_string()),
            deprecated: data.deprecated,
            read_only: data.read_only,
            write_only: data.write_only,
        },
    };
    if becomes_named(cx, schema) {
        return inline_named(cx, result, schema, hint, pointer);
    }
    if let Some(alternatives) = unions::alternatives(schema) {
        // One alternative besides `null` (or only one at all): that alternative's type.
        if let [(index, only)] = alternatives.schemas.as_slice() {
            let pointer = pointer.join(alternatives.keyword).join(*index);
            let inner = shape_of(cx, SchemaRef::of(only), hint, &pointer)?;
            return Ok(merge_single(result, inner, alternatives.has_null));
        }
    }
    result.ty = match &schema.schema_kind {
        // `enum: [null]` (Dropshot's `()`): the only value is `null`, which a String refuses.
        SchemaKind::Type(Type::String(string))
            if !string.enumeration.is_empty() && string.enumeration.iter().all(Option::is_none) =>
        {
            TypeRef::Json
        }
        SchemaKind::Type(Type::String(string)) => {
            string_shape(string, &mut result);
            let typed = result.doc.format.as_deref().and_then(StringFormat::of).filter(|_| cx.typed_formats);
            if result.doc.format.as_deref() == Some("binary") {
                // A file's bytes: its own part in a multipart body, base64 in JSON.
                result.doc.format = None;
                result.constraints = Constraints::default();
                TypeRef::File
            } else if let Some(format) = typed {
                // The type says the format; lengths are the format's own.
                result.doc.format = None;
                result.constraints = Constraints::default();
                TypeRef::Formatted(format)
            } else {
                TypeRef::String
            }
        }
        SchemaKind::Type(Type::Integer(integer)) => {
            let format = match &integer.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Some("int32"),
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => Some("int64"),
                VariantOrUnknownOrEmpty::Unknown(format) => Some(format.as_str()),
                VariantOrUnknownOrEmpty::Empty => None,
            };
            TypeRef::Integer(integer_type(format, integer.minimum))
        }
        SchemaKind::Type(Type::Number(number)) => match number.format {
            VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::Float(FloatType::F32),
            _ => TypeRef::Float(FloatType::F64),
        },
        SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
        SchemaKind::Type(Type::Array(_)) if data.extensions.contains_key(crate::parse::TUPLE_ITEMS) => {
            containers::tuple(cx, &data.extensions[crate::parse::TUPLE_ITEMS], hint, pointer)?
        }
        SchemaKind::Type(Type::Array(array)) => containers::list(cx, array, hint, pointer)?,
        SchemaKind::Type(Type::Object(object)) => {
            containers::map(cx, object.additional_properties.as_ref(), hint, pointer)?
        }
        SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
            let inner = shape_of(cx, SchemaRef::of(&all_of[0]), hint, &pointer.join("allOf").join(0))?;
            return Ok(merge_single(result, inner, false));
        }
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => TypeRef::Json,
        SchemaKind::Not { .. } => {
            cx.warn(pointer, "`not` is not supported yet; generated as serde_json::Value");
            TypeRef::Json
        }
        SchemaKind::AllOf { all_of } => return scalar_all_of(cx, result, all_of, None, hint, pointer),
        SchemaKind::Any(any) if any.typ.as_deref() == Some("null") => {
            result.nullable = true;
            TypeRef::Json
        }
        SchemaKind::Any(any) => {
            const TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object", "null"];
            if let Some(unknown) = any.typ.as_deref().filter(|t| !TYPES.contains(t)) {
                return Err(cx.error(
                    &pointer.join("type"),
                    format!("unknown type `{unknown}` (expected one of {})", TYPES.join(", ")),
                ));
            }
            if let Some(shape) = typed_compositions::typed_composition(cx, &result, any, hint, pointer)? {
                return Ok(shape);
            }
            if !any.one_of.is_empty() || !any.any_of.is_empty() || !any.all_of.is_empty() {
                cx.warn(pointer, "a schema that combines `allOf`, `oneOf` or `anyOf` with other keywords is not supported yet; generated as serde_json::Value");
            }
            TypeRef::Json
        }
    };
    Ok(result)
}

/// An inline schema that becomes a named type: defined the first time, the same type where
/// it is met again ([`super::inline`]).
fn inline_named(
    cx: &mut Context<'_>,
    mut result: Shape,
    schema: &Schema,
    hint: &Hint,
    pointer: &Pointer,
) -> Result<Shape, Error> {
    let key = pointer.to_string();
    if let Some(id) = cx.schemas.inline.being_defined(&key) {
        result.ty = TypeRef::Named(id);
        return Ok(result);
    }
    result.nullable |= holds_null(schema);
    let json = inline::json_key(schema);
    if let Some(id) = json.as_deref().and_then(|json| cx.schemas.inline.copy_of(json)) {
        result.ty = TypeRef::Named(id);
        return Ok(result);
    }
    let data = &schema.schema_data;
    let id = cx.claim_type(data.title.as_deref().unwrap_or(&hint.name));
    cx.schemas.inline.start(&key, id);
    let defined = define(cx, id, schema, hint, pointer);
    cx.schemas.inline.end(&key);
    defined?;
    if let Some(json) = json {
        let made_up_doc = data.description.is_none() && data.title.is_none();
        cx.schemas.inline.remember(json, id, made_up_doc);
    }
    result.ty = TypeRef::Named(id);
    Ok(result)
}

/// The shape of a schema that only wraps one other (`allOf: [X]`, `oneOf: [X, null]`):
/// the inner type, with the outer schema's own documentation where it has some.
pub(super) fn merge_single(outer: Shape, inner: Shape, null_alternative: bool) -> Shape {
    Shape {
        ty: inner.ty,
        nullable: outer.nullable || inner.nullable || null_alternative,
        constraints: inner.constraints,
        doc: Doc {
            description: outer.doc.description.or(inner.doc.description),
            format: inner.doc.format,
            default: outer.doc.default.or(inner.doc.default),
            deprecated: outer.doc.deprecated || inner.doc.deprecated,
            read_only: outer.doc.read_only || inner.doc.read_only,
            write_only: outer.doc.write_only || inner.doc.write_only,
        },
    }
}

/// Whether a named type's schema lets a value be `null` besides its own values: a string
/// enum listing `null`, a union with a `null` alternative.
fn holds_null(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => string.enumeration.iter().any(Option::is_none),
        _ => unions::alternatives(schema).is_some_and(|a| a.has_null),
    }
}

fn shape_of_ref(cx: &mut Context<'_>, reference: &str, hint: &Hint, pointer: &Pointer) -> Result<Shape, Error> {
    let (name, target, target_pointer) = cx.component(reference, pointer, "schemas", |c| &c.schemas)?;
    if let Some(index) = cx.replacement(&name) {
        let data = match target {
            ReferenceOr::Item(target) => Some(&target.schema_data),
            ReferenceOr::Reference { .. } => None,
        };
        return Ok(Shape {
            ty: TypeRef::Replaced(index),
            nullable: data.is_some_and(|data| data.nullable),
            constraints: Constraints::default(),
            doc: Doc { description: data.and_then(|data| data.description.clone()), ..Doc::default() },
        });
    }
    if let Some(&id) = cx.schemas.named.get(&name) {
        let ReferenceOr::Item(target) = target else {
            return Err(cx.internal_error(pointer, "a named component is a reference"));
        };
        return Ok(Shape {
            ty: TypeRef::Named(id),
            nullable: target.schema_data.nullable || holds_null(target),
            constraints: Constraints::default(),
            doc: Doc { description: target.schema_data.description.clone(), ..Doc::default() },
        });
    }
    // Not a named type (a string, an array, a map ...): its type is used where it is referred to.
    if !cx.schemas.inlining.insert(name.clone()) {
        cx.warn(
            pointer,
            format!("`{reference}` refers to itself without an object in between; generated as serde_json::Value"),
        );
        return Ok(Shape {
            ty: TypeRef::Json,
            nullable: false,
            constraints: Constraints::default(),
            doc: Doc::default(),
        });
    }
    let result = shape_of(cx, SchemaRef::of(target), &Hint::new(name.clone(), hint.doc.clone()), &target_pointer);
    cx.schemas.inlining.remove(&name);
    result
}

fn string_shape(string: &StringType, shape: &mut Shape) {
    shape.constraints.min_length = string.min_length.map(|n| n as u64);
    shape.constraints.max_length = string.max_length.map(|n| n as u64);
    shape.doc.format = match &string.format {
        VariantOrUnknownOrEmpty::Item(format) => {
            Some(serde_json::to_value(format).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default())
        }
        VariantOrUnknownOrEmpty::Unknown(format) => Some(format.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    };
    shape.constraints.email = shape.doc.format.as_deref() == Some("email");
}

/// Integer formats, including the unsigned and small ones some specs use.
fn integer_type(format: Option<&str>, minimum: Option<i64>) -> IntegerType {
    let unsigned = minimum.is_some_and(|min| min >= 0);
    match format {
        Some("int8") => IntegerType::I8,
        Some("int16") => IntegerType::I16,
        Some("int32") if unsigned => IntegerType::U32,
        Some("int32") => IntegerType::I32,
        Some("uint8") => IntegerType::U8,
        Some("uint16") => IntegerType::U16,
        Some("uint32") => IntegerType::U32,
        Some("uint64" | "uint") => IntegerType::U64,
        _ if unsigned => IntegerType::U64,
        _ => IntegerType::I64,
    }
}

/// A named type's documentation: its `title` as a first line above its `description`, as
/// specs often write a short title and a longer (sometimes shared) description.
pub(super) fn title_and_description(data: &openapiv3::SchemaData) -> Option<String> {
    // An empty `description: ""` says nothing (and must not stand in for the type's own doc).
    let said = |text: &Option<String>| text.clone().filter(|text| !text.trim().is_empty());
    match (&said(&data.title), &said(&data.description)) {
        (Some(title), Some(description)) if !description.starts_with(title.as_str()) => {
            Some(format!("{title}\n\n{description}"))
        }
        (_, Some(description)) => Some(description.clone()),
        (title, None) => title.clone(),
    }
}

/// Defines the struct, enum or union `schema` becomes, as the type `id` (already claimed).
fn define(cx: &mut Context<'_>, id: TypeId, schema: &Schema, hint: &Hint, pointer: &Pointer) -> Result<(), Error> {
    let data = &schema.schema_data;
    let doc = title_and_description(data).or_else(|| Some(hint.doc.clone()));
    let name = cx.type_name(id).to_owned();
    let kind = if let Some(kind) = const_enums::const_enum(schema) {
        kind
    } else if let Some(union) = beside::beside_properties(cx, schema, pointer) {
        let shared = Some((union.properties, union.required));
        unions::union_kind(cx, &name, union.holder, &union.alternatives, &union.at, shared)?
    } else {
        kind_of(cx, &name, schema, pointer)?
    };
    cx.schemas.defs.insert(
        id,
        TypeDef {
            name,
            doc,
            deprecated: data.deprecated,
            validates: false,
            compiled: Compiled::Always,
            derives: Vec::new(),
            kind,
        },
    );
    Ok(())
}

/// The struct, string enum or union of a schema that is not an enum of constants nor a union
/// beside properties.
fn kind_of(cx: &mut Context<'_>, name: &str, schema: &Schema, pointer: &Pointer) -> Result<TypeKind, Error> {
    Ok(match (&schema.schema_kind, unions::alternatives(schema)) {
        (_, Some(alternatives)) => unions::union_kind(cx, name, schema, &alternatives, pointer, None)?,
        (SchemaKind::Type(Type::String(string)), None) => enum_kind(string),
        (SchemaKind::Type(Type::Object(object)), None) => {
            let properties = object.properties.iter().map(|(wire, schema)| (wire, schema, pointer.clone())).collect();
            struct_kind(cx, name, properties, &object.required, pointer, None)?
        }
        (SchemaKind::Any(_) | SchemaKind::AllOf { .. }, None) => {
            // What `define` did not make a union of: alternatives that are not all objects.
            if let Some(keyword) = beside::refused_union(cx, schema) {
                cx.warn(
                    &pointer.join(keyword),
                    format!("`{keyword}` beside properties whose alternatives are not all objects is not generated: the struct has only the properties beside it"),
                );
            }
            let mut properties = Vec::new();
            let mut required = Vec::new();
            merged_properties(cx, schema, pointer, &mut properties, &mut required, 0)?;
            struct_kind(cx, name, properties, &required, pointer, None)?
        }
        _ => return Err(cx.internal_error(pointer, "this schema does not define a type")),
    })
}

fn enum_kind(string: &StringType) -> TypeKind {
    let mut names = Scope::new(Case::Type);
    let mut seen = BTreeSet::new();
    let variants: Vec<Variant> = string
        .enumeration
        .iter()
        .flatten()
        .filter(|wire| seen.insert(wire.as_str()))
        .map(|wire| Variant { name: names.claim(enum_value_word(wire)), wire_name: wire.clone(), doc: None })
        .collect();
    let fallback = ["Unknown", "UnknownValue"]
        .into_iter()
        .find(|candidate| !names.is_taken(candidate))
        .map_or_else(|| names.claim("Unknown"), str::to_owned);
    TypeKind::Enum { variants, fallback, integer: false }
}

/// The struct of `properties`, named `name`. `common`: the union whose every variant has the
/// first so many properties; inline types among those are named after it, not the variant.
fn struct_kind(
    cx: &mut Context<'_>,
    name: &str,
    properties: Vec<Property<'_>>,
    required: &[String],
    pointer: &Pointer,
    common: Option<(&str, usize)>,
) -> Result<TypeKind, Error> {
    let mut field_names = Scope::new(Case::Value);
    let mut setter_names = Scope::with_reserved(Case::Value, &["new", "validate"]);
    let mut fields = Vec::new();
    let mut seen = BTreeSet::new();
    for (index, (wire, schema, parent)) in properties.into_iter().enumerate() {
        if !seen.insert(wire.clone()) {
            continue; // `allOf` parts may repeat a property; the first one wins.
        }
        let pointer = parent.join("properties").join(wire);
        let owner = common.filter(|(_, count)| index < *count).map_or(name, |(union, _)| union);
        let hint = Hint::new(format!("{owner} {wire}"), format!("The `{wire}` field of [`{owner}`]."));
        let shape = shape_of(cx, SchemaRef::of(schema), &hint, &pointer)?;
        let rust_name = field_names.claim(wire);
        fields.push(Field {
            setter: setter_names.claim(wire),
            wire_name: wire.clone(),
            rust_name,
            ty: shape.ty,
            // A read-only field is absent from requests, a write-only one from answers.
            required: required.contains(wire) && !shape.doc.read_only && !shape.doc.write_only,
            nullable: shape.nullable,
            boxed: false,
            constraints: shape.constraints,
            doc: shape.doc,
        });
    }
    // A required name that no property describes must still be there, with any value
    // (JSON Schema); leaving it out would make the server refuse every request.
    for wire in required {
        if !seen.insert(wire.clone()) {
            continue;
        }
        cx.warn(
            &pointer.join("required"),
            format!(
                "`{wire}` is required but `properties` does not describe it; generated as a required serde_json::Value"
            ),
        );
        fields.push(Field {
            setter: setter_names.claim(wire),
            wire_name: wire.clone(),
            rust_name: field_names.claim(wire),
            ty: TypeRef::Json,
            required: true,
            nullable: false,
            boxed: false,
            constraints: Constraints::default(),
            doc: Doc {
                description: Some("Required by the spec, which does not say what it holds.".into()),
                ..Doc::default()
            },
        });
    }
    Ok(TypeKind::Struct(Struct { fields }))
}

/// Defines a struct of `properties` as a new type named after `hint`: a variant of the union
/// `common.0` beside properties, which has those (the first `common.1`) and its alternative's
/// ([`unions::union_kind`]).
pub(super) fn define_struct(
    cx: &mut Context<'_>,
    hint: &Hint,
    properties: Vec<Property<'_>>,
    required: &[String],
    pointer: &Pointer,
    common: (&str, usize),
) -> Result<Shape, Error> {
    let id = cx.claim_type(&hint.name);
    let name = cx.type_name(id).to_owned();
    let kind = struct_kind(cx, &name, properties, required, pointer, Some(common))?;
    let doc = Some(hint.doc.clone());
    cx.schemas.defs.insert(
        id,
        TypeDef {
            name,
            doc,
            deprecated: false,
            validates: false,
            compiled: Compiled::Always,
            derives: Vec::new(),
            kind,
        },
    );
    Ok(Shape { ty: TypeRef::Named(id), nullable: false, constraints: Constraints::default(), doc: Doc::default() })
}

/// Every type defined, in the order of their ids (an index of the list), for [`super::finish`].
pub(super) fn defined_types(cx: &mut Context<'_>) -> Result<Vec<TypeDef>, Error> {
    // The ids are the indices of the names claimed: as many definitions is one for each.
    if cx.schemas.defs.len() != cx.type_names_by_id.len() {
        return Err(cx.internal_error(&Pointer::root(), "a type was named but never defined"));
    }
    let mut types: Vec<TypeDef> = std::mem::take(&mut cx.schemas.defs).into_values().collect();
    cx.schemas.inline.document_shared(&mut types);
    Ok(types)
}

impl<'d> Context<'d> {
    /// The index in [`crate::model::Model::replaced`] of the user's type that replaces a
    /// component schema, if one does.
    pub(super) fn replacement(&self, component: &str) -> Option<usize> {
        self.replaced.iter().position(|r| r.schema == component)
    }

    /// The Rust name of a component's type: its own if it is a named type, else the name it
    /// would have.
    pub(super) fn component_type_name(&self, component: &str) -> String {
        let own = self.schemas.named.get(component).map(|&id| self.type_name(id).to_owned());
        own.unwrap_or_else(|| crate::names::identifier(component, Case::Type))
    }
}
