//! Lists, tuples and maps: the types that hold values of another schema (an array's `items`
//! or `prefixItems`, an object's `additionalProperties`).
//!
//! A held value whose schema allows `null` (3.0's `nullable`, 3.1's `type: [T, "null"]`, a
//! `null` alternative, a `$ref` to such a schema) is `Option<T>`, so that `{"a": null}` and
//! `[null]` decode: `BTreeMap<String, Option<String>>`, `Vec<Option<T>>`. A field says the
//! same with its own `nullable` ([`super::schemas`]); a held value has no field to say it.

use openapiv3::{AdditionalProperties, ArrayType, ReferenceOr, Schema};

use super::schemas::{shape_of, Hint, SchemaRef, Shape};
use super::Context;
use crate::error::{Error, Pointer};
use crate::model::TypeRef;

/// An array of `items`: `Vec<T>`.
pub(super) fn list(cx: &mut Context<'_>, array: &ArrayType, hint: &Hint, pointer: &Pointer) -> Result<TypeRef, Error> {
    let item_hint = Hint::new(format!("{} Item", hint.name), format!("An item of {}", hint.doc));
    let item = match &array.items {
        Some(items) => held(shape_of(cx, SchemaRef::of(items), &item_hint, &pointer.join("items"))?),
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
        types.push(held(shape_of(cx, SchemaRef::of(&schema), &item_hint, &item_pointer)?));
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
            held(shape_of(cx, SchemaRef::of(schema), &value_hint, &pointer.join("additionalProperties"))?)
        }
        _ => TypeRef::Json,
    };
    Ok(TypeRef::Map(Box::new(value)))
}

/// The type of a held value: `Option<T>` when it may be `null`, except a JSON value, which
/// holds `null` itself.
fn held(shape: Shape) -> TypeRef {
    match shape.ty {
        TypeRef::Json => TypeRef::Json,
        ty if shape.nullable => TypeRef::Nullable(Box::new(ty)),
        ty => ty,
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Model, TypeKind};

    /// The Rust types of the fields of `Holder`, by wire name, as API.md writes them.
    fn field_types(spec: &str) -> Vec<(String, String)> {
        let model: Model = crate::model(crate::Spec::new("containers.yaml", spec)).expect("a model").0;
        let holder = model.types.iter().find(|def| def.name == "Holder").expect("the type");
        let TypeKind::Struct(holder) = &holder.kind else { panic!("a struct") };
        holder.fields.iter().map(|f| (f.wire_name.clone(), crate::api_summary::rust_type(&model, &f.ty))).collect()
    }

    fn spec(version: &str, fields: &str) -> String {
        format!(
            "openapi: {version}\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Holder:\n      type: object\n      properties:\n{fields}
    Task: {{type: object, properties: {{id: {{type: string}}}}}}
    MaybeTask: {{type: object, nullable: true, properties: {{id: {{type: string}}}}}}
"
        )
    }

    #[test]
    fn openapi_3_0_nullable_items_and_values_are_options() {
        let fields = "        names: {type: array, items: {type: string, nullable: true}}
        tasks: {type: array, items: {nullable: true, allOf: [{$ref: '#/components/schemas/Task'}]}}
        by_ref: {type: object, additionalProperties: {$ref: '#/components/schemas/MaybeTask'}}
        any: {type: array, items: {nullable: true}}
        plain: {type: object, additionalProperties: {type: string}}
        nested: {type: array, items: {type: array, nullable: true, items: {type: integer, nullable: true}}}";
        let expected = [
            ("names", "Vec<Option<String>>"),
            ("tasks", "Vec<Option<Task>>"),
            ("by_ref", "BTreeMap<String, Option<MaybeTask>>"),
            // A JSON value holds `null` itself.
            ("any", "Vec<serde_json::Value>"),
            ("plain", "BTreeMap<String, String>"),
            ("nested", "Vec<Option<Vec<Option<i64>>>>"),
        ];
        let expected: Vec<(String, String)> = expected.iter().map(|(a, b)| ((*a).into(), (*b).into())).collect();
        assert_eq!(field_types(&spec("3.0.3", fields)), expected);
    }

    #[test]
    fn openapi_3_1_null_types_and_alternatives_are_options() {
        let fields = "        names: {type: object, additionalProperties: {type: [string, 'null'], maxLength: 255}}
        tasks: {type: array, items: {oneOf: [{$ref: '#/components/schemas/Task'}, {type: 'null'}]}}
        by_ref: {type: array, items: {$ref: '#/components/schemas/MaybeTask31'}}
        pair: {type: array, prefixItems: [{type: [boolean, 'null']}, {type: string}], items: false}
    MaybeTask31: {type: [object, 'null'], properties: {id: {type: string}}}";
        let expected = [
            ("names", "BTreeMap<String, Option<String>>"),
            ("tasks", "Vec<Option<Task>>"),
            ("by_ref", "Vec<Option<MaybeTask31>>"),
            ("pair", "(Option<bool>, String)"),
        ];
        let expected: Vec<(String, String)> = expected.iter().map(|(a, b)| ((*a).into(), (*b).into())).collect();
        assert_eq!(field_types(&spec("3.1.0", fields)), expected);
    }
}
