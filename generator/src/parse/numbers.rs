//! Numbers the typed model cannot hold, made to fit or dropped with a warning, never a parse
//! failure: a spec's bound of `maximum: 18446744073709552000` (u64's maximum, as some
//! generators print it) says only "any 64-bit value".
//!
//! - [`read_yaml`] reads a YAML integer too big for 64 bits as the nearest float, as JSON's
//!   own parser does (`serde_json`'s tree has no 128-bit integers, and reading YAML straight
//!   into it fails on the whole document).
//! - [`fit_bounds`] rewrites the keywords `openapiv3` reads as integers: an integral float
//!   (`maxLength: 10.0`) becomes the integer; a bound out of their range (an integer schema's
//!   `maximum` above `i64::MAX`, a length above `u64::MAX`) is removed, with a warning naming
//!   its pointer. A bound that is no number at all stays an error, reported as before.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::{schema_holders, subschemas};
use crate::error::{Pointer, Warning};

/// Reads YAML into a document tree; integers beyond 64 bits become floats.
pub(super) fn read_yaml(text: &str) -> Result<Value, serde_yaml::Error> {
    serde_yaml::from_str::<Tree>(text).map(|tree| tree.0)
}

/// A document tree, read with integers beyond 64 bits as floats.
struct Tree(Value);

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor).map(Tree)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_i128<E>(self, value: i128) -> Result<Value, E> {
        Ok(float(value as f64))
    }

    fn visit_u128<E>(self, value: u128) -> Result<Value, E> {
        Ok(float(value as f64))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(float(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Tree::deserialize(deserializer).map(|tree| tree.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Tree(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Map::new();
        while let Some((key, Tree(value))) = map.next_entry::<String, Tree>()? {
            entries.insert(key, value);
        }
        Ok(Value::Object(entries))
    }
}

/// A float as JSON holds it; `.nan` and `.inf`, which JSON cannot, are `null` (as
/// `serde_json` reads them into its tree).
fn float(value: f64) -> Value {
    Number::from_f64(value).map_or(Value::Null, Value::Number)
}

/// Makes every schema's integer keywords fit the types `openapiv3` reads them into.
pub(super) fn fit_bounds(tree: &mut Value, warnings: &mut Vec<Warning>) {
    let Some(root) = tree.as_object_mut() else { return };
    for (pointer, part, is_schema) in schema_holders(root) {
        if is_schema {
            schema(part, &pointer, warnings);
        } else {
            non_schema(part, &pointer, warnings);
        }
    }
}

/// Keywords whose value is a count (`usize` in `openapiv3`).
const COUNTS: &[&str] = &["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"];
/// Keywords an integer schema reads as `i64`.
const INTEGER_BOUNDS: &[&str] = &["minimum", "maximum", "multipleOf"];

/// Walks a part of the document that is not a schema, to the `schema` keys of parameters,
/// headers and media types.
fn non_schema(value: &mut Value, pointer: &Pointer, warnings: &mut Vec<Warning>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "schema" {
                    schema(child, &pointer.join(key), warnings);
                } else if key != "example" && key != "examples" {
                    non_schema(child, &pointer.join(key), warnings);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                non_schema(child, &pointer.join(i), warnings);
            }
        }
        _ => {}
    }
}

fn schema(value: &mut Value, pointer: &Pointer, warnings: &mut Vec<Warning>) {
    let Value::Object(map) = value else { return };
    for keyword in COUNTS {
        fit(map, keyword, pointer, warnings, |n| n >= 0.0, "a count this machine can hold");
    }
    if map.get("type").and_then(Value::as_str) == Some("integer") {
        for keyword in INTEGER_BOUNDS {
            fit(map, keyword, pointer, warnings, |n| n.abs() < 9.2e18, "a 64-bit signed integer");
        }
    }
    for (segments, child) in subschemas(map) {
        schema(child, &super::join_all(pointer, &segments), warnings);
    }
}

/// Makes `map[keyword]`, if it is a number, an integer: an integral float within `fits`
/// becomes that integer, a number that is not one of `what` is removed with a warning.
fn fit(
    map: &mut Map<String, Value>,
    keyword: &str,
    pointer: &Pointer,
    warnings: &mut Vec<Warning>,
    fits: fn(f64) -> bool,
    what: &str,
) {
    let Some(Value::Number(number)) = map.get(keyword) else { return };
    // Already an integer `openapiv3` takes: an `i64`, or for a count, any `u64`.
    if number.is_i64() || (number.is_u64() && what.starts_with("a count")) {
        return;
    }
    let float = number.as_f64().unwrap_or(f64::NAN);
    if float.fract() == 0.0 && fits(float) {
        map.insert(keyword.to_owned(), Value::from(float as i64));
        return;
    }
    if float < 0.0 && what.starts_with("a count") {
        // A negative count is a broken spec: left for the typed reading to report.
        return;
    }
    // Rust writes a float without an exponent: `18446744073709552000`, as the spec did.
    let shown = if number.is_f64() { float.to_string() } else { number.to_string() };
    map.remove(keyword);
    warnings.push(Warning {
        pointer: pointer.join(keyword).to_string(),
        message: format!("`{keyword}: {shown}` is not {what}; the bound is ignored"),
    });
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{fit_bounds, read_yaml};

    #[test]
    fn yaml_integers_beyond_64_bits_are_floats() {
        let tree =
            read_yaml("a: 18446744073709552000\nb: -170141183460469231731687303715884105728\nc: 7\n").expect("reads");
        assert_eq!(tree["a"].as_f64(), Some(18446744073709552000.0));
        assert!(tree["b"].as_f64().is_some_and(|b| b < -1e38));
        assert_eq!(tree["c"], json!(7));
    }

    #[test]
    fn bounds_that_do_not_fit_are_dropped_with_a_warning() {
        let mut tree = json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"get": {"parameters": [
                {"name": "n", "in": "query", "schema": {"type": "integer", "maximum": 18446744073709552000.0, "minimum": 0}}
            ]}}},
            "components": {"schemas": {"S": {"type": "object", "properties": {
                "big": {"type": "integer", "maximum": 18446744073709551615u64},
                "len": {"type": "string", "maxLength": 10.0},
                "half": {"type": "integer", "multipleOf": 0.5},
                "wide": {"type": "number", "maximum": 18446744073709552000.0}
            }}}}
        });
        let mut warnings = Vec::new();
        fit_bounds(&mut tree, &mut warnings);
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "#/paths/~1a/get/parameters/0/schema/maximum",
                "#/components/schemas/S/properties/big/maximum",
                "#/components/schemas/S/properties/half/multipleOf",
            ]
        );
        assert!(warnings[0].message.contains("18446744073709552000"), "{}", warnings[0].message);
        let parameter = &tree["paths"]["/a"]["get"]["parameters"][0]["schema"];
        assert_eq!(parameter, &json!({"type": "integer", "minimum": 0}));
        let properties = &tree["components"]["schemas"]["S"]["properties"];
        assert_eq!(properties["len"]["maxLength"], json!(10));
        assert_eq!(properties["wide"]["maximum"], json!(18446744073709552000.0));
    }
}
