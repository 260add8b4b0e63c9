//! Serde helpers for generated types whose JSON shape derive macros cannot express:
//! unions told apart by a tag property (`oneOf` with a discriminator), whose variant types
//! usually also carry the tag as a field of their own; and untagged unions of several
//! structs, which a derive would read as the first struct that fits. (Fields that may be
//! absent or `null`, with the two kept apart, are `runtime/object.rs`'s.)

// A spec without tagged unions uses none of it.
#![allow(dead_code)]

use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};

/// The value of the tag `property` of a JSON object, if it is a string.
pub(crate) fn tag<'v>(value: &'v serde_json::Value, property: &str) -> Option<&'v str> {
    value.get(property).and_then(serde_json::Value::as_str)
}

/// Decodes a variant's value from the JSON it was read from, with the deserializer's error type.
pub(crate) fn decode<T: DeserializeOwned, E: serde::de::Error>(value: serde_json::Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// A variant of an untagged union: its struct's field names on the wire (none for a
/// variant that is not a struct), and how to read it from JSON.
pub(crate) type Candidate<T> = (&'static [&'static str], fn(&serde_json::Value) -> Result<T, serde_json::Error>);

/// Decodes an untagged union, `name`, from `value`: the variants are tried in their order
/// and the first that fits is taken, except that for a JSON object a struct that knows more
/// of its keys is tried first. Two structs of optional fields both fit any object: in order
/// alone, the first would take an answer meant for the second and drop its fields (a page
/// `{organizations, next}` read as `{start, limit, total, organizations}` loses `next`).
pub(crate) fn decode_untagged<T, E: serde::de::Error>(
    value: &serde_json::Value,
    name: &str,
    candidates: &[Candidate<T>],
) -> Result<T, E> {
    let known = |fields: &[&str]| match value {
        serde_json::Value::Object(object) => object.keys().filter(|key| fields.contains(&key.as_str())).count(),
        _ => 0,
    };
    let mut order: Vec<(usize, &Candidate<T>)> = candidates.iter().map(|c| (known(c.0), c)).collect();
    // Stable: variants that know as many keys keep their order.
    order.sort_by_key(|(known, _)| std::cmp::Reverse(*known));
    order
        .into_iter()
        .find_map(|(_, (_, read))| read(value).ok())
        .ok_or_else(|| E::custom(format!("data did not match any variant of untagged enum {name}")))
}

/// Serializes a variant's value (as JSON) with its tag, added when the value does not carry
/// it itself.
pub(crate) fn serialize_tagged<S: Serializer>(
    serializer: S,
    property: &str,
    tag: &str,
    value: Result<serde_json::Value, serde_json::Error>,
) -> Result<S::Ok, S::Error> {
    let mut json = value.map_err(serde::ser::Error::custom)?;
    if let serde_json::Value::Object(object) = &mut json {
        object.entry(property).or_insert_with(|| serde_json::Value::String(tag.to_owned()));
    }
    json.serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::{decode, decode_untagged, serialize_tagged, tag};

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Cat {
        lives: u8,
    }

    #[test]
    fn the_tag_is_added_when_the_value_lacks_it_and_kept_when_it_has_it() {
        let encode = |value| {
            let mut out = Vec::new();
            serialize_tagged(&mut serde_json::Serializer::new(&mut out), "kind", "cat", value).unwrap();
            serde_json::from_slice::<serde_json::Value>(&out).unwrap()
        };
        assert_eq!(encode(serde_json::to_value(Cat { lives: 9 })), serde_json::json!({"lives": 9, "kind": "cat"}));
        let tagged = serde_json::json!({"kind": "tabby", "lives": 9});
        assert_eq!(encode(Ok(tagged.clone())), tagged);
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Offset {
        total: Option<u32>,
        items: Option<Vec<u8>>,
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Checkpoint {
        next: Option<String>,
        items: Option<Vec<u8>>,
    }

    #[derive(Debug, PartialEq)]
    enum Page {
        List(Vec<u8>),
        Offset(Offset),
        Checkpoint(Checkpoint),
    }

    fn page(value: serde_json::Value) -> Result<Page, serde_json::Error> {
        decode_untagged(
            &value,
            "Page",
            &[
                (&[], |v| serde::Deserialize::deserialize(v).map(Page::List)),
                (&["total", "items"], |v| serde::Deserialize::deserialize(v).map(Page::Offset)),
                (&["next", "items"], |v| serde::Deserialize::deserialize(v).map(Page::Checkpoint)),
            ],
        )
    }

    #[test]
    fn an_untagged_union_reads_an_object_as_the_struct_that_knows_most_of_its_keys() {
        let checkpoint = page(serde_json::json!({"items": [1], "next": "c"})).expect("decodes");
        assert_eq!(checkpoint, Page::Checkpoint(Checkpoint { next: Some("c".into()), items: Some(vec![1]) }));
        let offset = page(serde_json::json!({"items": [1], "total": 3})).expect("decodes");
        assert_eq!(offset, Page::Offset(Offset { total: Some(3), items: Some(vec![1]) }));
        // A tie keeps the order; a value no variant reads is an error that names the union.
        assert!(matches!(page(serde_json::json!({"items": []})), Ok(Page::Offset(_))));
        assert_eq!(page(serde_json::json!([2])).expect("decodes"), Page::List(vec![2]));
        let error = page(serde_json::json!("text")).expect_err("no variant is a string");
        assert!(error.to_string().contains("untagged enum Page"), "{error}");
    }

    #[test]
    fn decoding_reads_the_tag_and_reports_a_wrong_shape() {
        let value = serde_json::json!({"kind": "cat", "lives": 9});
        assert_eq!(tag(&value, "kind"), Some("cat"));
        assert_eq!(tag(&serde_json::json!({"kind": 1}), "kind"), None);
        let cat: Result<Cat, serde_json::Error> = decode(value);
        assert_eq!(cat.unwrap(), Cat { lives: 9 });
        let broken: Result<Cat, serde_json::Error> = decode(serde_json::json!({"kind": "cat"}));
        assert!(broken.unwrap_err().to_string().contains("lives"));
    }
}
