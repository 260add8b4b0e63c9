//! Lists, tuples and maps: the types that hold values of another schema (an array's `items`
//! or `prefixItems`, an object's `additionalProperties`).

use openapiv3::{AdditionalProperties, ArrayType, ReferenceOr, Schema};

use super::schemas::{shape_of, Hint, SchemaRef};
use super::Context;
use crate::error::{Error, Pointer};
use crate::model::TypeRef;

/// An array of `items`: `Vec<T>`.
pub(super) fn list(cx: &mut Context<'_>, array: &ArrayType, hint: &Hint, pointer: &Pointer) -> Result<TypeRef, Error> {
    let item_hint = Hint::new(format!("{} Item", hint.name), format!("An item of {}", hint.doc));
    let item = match &array.items {
        Some(items) => shape_of(cx, SchemaRef::of(items), &item_hint, &pointer.join("items"))?.ty,
        None => TypeRef::Json,
    };
    Ok(TypeRef::Vec(Box::new(item)))
}

/// 3.1's `prefixItems` of an array of exactly those items (the parse stage keeps them in an
/// extension): a tuple of their types.
pub(super) fn tuple(
    cx: &mut Context<'_>,
    items: &serde_json::Value,
    hint: &Hint,
    pointer: &Pointer,
) -> Result<TypeRef, Error> {
    let items = items.as_array().map(Vec::as_slice).unwrap_or_default();
    let mut types = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let item_pointer = pointer.join("prefixItems").join(index);
        let schema: ReferenceOr<Schema> =
            serde_json::from_value(item.clone()).map_err(|e| cx.error(&item_pointer, e.to_string()))?;
        let item_hint = Hint::new(format!("{} {index}", hint.name), format!("Item {index} of {}", hint.doc));
        types.push(shape_of(cx, SchemaRef::of(&schema), &item_hint, &item_pointer)?.ty);
    }
    Ok(TypeRef::Tuple(types))
}

/// An object with only `additionalProperties`: `BTreeMap<String, T>` (of JSON values when
/// they are `true` or absent).
pub(super) fn map(
    cx: &mut Context<'_>,
    additional: Option<&AdditionalProperties>,
    hint: &Hint,
    pointer: &Pointer,
) -> Result<TypeRef, Error> {
    let value = match additional {
        Some(AdditionalProperties::Schema(schema)) => {
            let value_hint = Hint::new(format!("{} Value", hint.name), format!("A value of {}", hint.doc));
            shape_of(cx, SchemaRef::of(schema), &value_hint, &pointer.join("additionalProperties"))?.ty
        }
        _ => TypeRef::Json,
    };
    Ok(TypeRef::Map(Box::new(value)))
}
