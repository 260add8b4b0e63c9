//! Serde helpers for generated types whose JSON shape derive macros cannot express:
//! unions told apart by a tag property (`oneOf` with a discriminator), whose variant types
//! usually also carry the tag as a field of their own. (Fields that may be absent or `null`,
//! with the two kept apart, are `runtime/object.rs`'s.)

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
    use super::{decode, serialize_tagged, tag};

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
