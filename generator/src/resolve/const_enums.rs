//! Enums written as a `oneOf` (or `anyOf`) of constants, as OpenAPI 3.1 documents them:
//! `oneOf: [{const: 1, title: Low, description: ...}, ...]`, where a plain `enum` has no place
//! for a name or a description per value. Such a union is an enum, not a union: a variant per
//! constant, named from its `title` (else from the value) and documented from its
//! `description`, written on the wire as the string or number itself. Integers make an enum of
//! `i64`s ([`TypeKind::Enum`] with `integer`), which keeps a number this version does not
//! know in its fallback variant as a string enum keeps an unknown string.
//!
//! The parse stage has already made each `const` a one-value `enum` (and given a string one
//! `type: string`); an alternative given as a `$ref` is not read here (it is a union then).

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use crate::model::{TypeKind, Variant};
use crate::names::{enum_value_word, Case, Scope};

/// One constant alternative: its value on the wire (an integer's decimal text), `title`
/// and `description`.
struct Constant<'d> {
    wire: String,
    title: Option<&'d str>,
    description: Option<&'d str>,
}

/// The enum a `oneOf`/`anyOf` of two or more constants, all strings or all integers, is;
/// `None` for any other schema.
pub(super) fn const_enum(schema: &Schema) -> Option<TypeKind> {
    let (constants, integer) = constants(schema)?;
    let mut names = Scope::new(Case::Type);
    let variants = constants
        .iter()
        .map(|constant| Variant {
            name: names.claim(constant.title.unwrap_or(enum_value_word(&constant.wire))),
            wire_name: constant.wire.clone(),
            doc: constant.description.map(str::to_owned),
        })
        .collect();
    let fallback = ["Unknown", "UnknownValue"]
        .into_iter()
        .find(|candidate| !names.is_taken(candidate))
        .map_or_else(|| names.claim("Unknown"), str::to_owned);
    Some(TypeKind::Enum { variants, fallback, integer })
}

/// The constants of the alternatives, and whether they are integers.
fn constants(schema: &Schema) -> Option<(Vec<Constant<'_>>, bool)> {
    let list = match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => one_of,
        SchemaKind::AnyOf { any_of } => any_of,
        // `type: integer` (or `string`) beside the alternatives says what they all are.
        SchemaKind::Any(any)
            if any.properties.is_empty()
                && any.all_of.is_empty()
                && any.enumeration.is_empty()
                && matches!(any.typ.as_deref(), None | Some("string" | "integer"))
                && any.one_of.is_empty() != any.any_of.is_empty() =>
        {
            if any.one_of.is_empty() {
                &any.any_of
            } else {
                &any.one_of
            }
        }
        _ => return None,
    };
    let mut constants = Vec::new();
    let mut integers = Vec::new();
    // A `null` alternative makes the enum nullable (as a union's does), not a value.
    for alternative in list.iter().filter(|alternative| !super::unions::is_null(alternative)) {
        let ReferenceOr::Item(alternative) = alternative else { return None };
        let (wire, integer) = constant(alternative)?;
        if constants.iter().any(|c: &Constant<'_>| c.wire == wire) {
            return None;
        }
        integers.push(integer);
        let data = &alternative.schema_data;
        constants.push(Constant { wire, title: data.title.as_deref(), description: data.description.as_deref() });
    }
    let integer = *integers.first()?;
    (constants.len() >= 2 && integers.iter().all(|&i| i == integer)).then_some((constants, integer))
}

/// The one value an alternative allows, as text, and whether it is an integer.
fn constant(schema: &Schema) -> Option<(String, bool)> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => match string.enumeration.as_slice() {
            [Some(value)] => Some((value.clone(), false)),
            _ => None,
        },
        SchemaKind::Type(Type::Integer(integer)) => match integer.enumeration.as_slice() {
            [Some(value)] => Some((value.to_string(), true)),
            _ => None,
        },
        SchemaKind::Any(any) if any.typ.as_deref().is_none_or(|t| t == "integer") && any.properties.is_empty() => {
            match any.enumeration.as_slice() {
                [serde_json::Value::Number(number)] => Some((number.as_i64()?.to_string(), true)),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::const_enum;
    use crate::model::TypeKind;

    fn kind(yaml: &str) -> Option<TypeKind> {
        let schema: openapiv3::Schema = serde_yaml::from_str(yaml).expect("a schema");
        const_enum(&schema)
    }

    #[test]
    fn constants_with_titles_are_an_enum() {
        let Some(TypeKind::Enum { variants, fallback, integer }) =
            kind("oneOf: [{type: integer, enum: [1], title: Low, description: Whenever.}, {type: integer, enum: [5]}]")
        else {
            panic!("an enum")
        };
        assert!(integer);
        assert_eq!(fallback, "Unknown");
        let names: Vec<(&str, &str, Option<&str>)> =
            variants.iter().map(|v| (v.name.as_str(), v.wire_name.as_str(), v.doc.as_deref())).collect();
        assert_eq!(names, [("Low", "1", Some("Whenever.")), ("N5", "5", None)]);
        let strings = kind("oneOf: [{type: string, enum: [a]}, {type: string, enum: [b], title: Bee}]");
        assert!(matches!(strings, Some(TypeKind::Enum { integer: false, .. })));
        let nullable = kind("oneOf: [{type: string, enum: [a]}, {type: string, enum: [b]}, {type: 'null'}]");
        assert!(matches!(nullable, Some(TypeKind::Enum { variants, .. }) if variants.len() == 2));
    }

    #[test]
    fn mixed_or_repeated_or_open_alternatives_are_not() {
        assert!(kind("oneOf: [{type: integer, enum: [1]}, {type: string, enum: [a]}]").is_none());
        assert!(kind("oneOf: [{type: string, enum: [a]}, {type: string, enum: [a]}]").is_none());
        assert!(kind("oneOf: [{type: string, enum: [a]}, {type: string}]").is_none());
        assert!(kind("oneOf: [{type: string, enum: [a, b]}, {type: string, enum: [c]}]").is_none());
        assert!(kind("oneOf: [{type: string, enum: [a]}]").is_none());
    }
}
