//! Request data for the contract tests: a JSON value that satisfies a schema of the spec,
//! read straight from the spec's document (OpenAPI 3.0 or 3.1), not from the generator's
//! model, so that the contract tests do not share the generator's reading of the spec.
//!
//! A sample is deliberately plain and deterministic: the spec's own `example`, else the
//! first `enum` value, else a value made from the type, its `format` and its bounds. A
//! `pattern` is not solved: a field with a pattern needs an `example` in the spec (Prism
//! says which field when the sample does not match).

use serde_json::{Map, Value};

/// How much of an object to fill in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Required properties only.
    Required,
    /// Every property a request may send (not `readOnly` ones).
    All,
}

/// An `enum` somewhere inside a schema: where it is in a sample, and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumSite {
    /// Property names (and `0` for an array's first item) from the sample's root.
    pub path: Vec<String>,
    pub values: Vec<Value>,
}

/// Follows `$ref`s and makes samples within one spec document.
pub struct Sampler<'a> {
    document: &'a Value,
}

/// Deeper than this, optional properties and array items are left out.
const MAX_DEPTH: usize = 6;
/// Deeper than this (a cycle of required properties), a sample is `null`.
const HARD_LIMIT: usize = 24;

impl<'a> Sampler<'a> {
    pub fn new(document: &'a Value) -> Self {
        Sampler { document }
    }

    /// The schema a `$ref` chain ends at (a local `#/...` reference; others are left as they are).
    pub fn resolve<'s>(&self, mut schema: &'s Value) -> &'s Value
    where
        'a: 's,
    {
        for _ in 0..32 {
            let Some(target) = schema.get("$ref").and_then(Value::as_str) else { break };
            let Some(pointer) = target.strip_prefix('#') else { break };
            match self.document.pointer(pointer) {
                Some(next) => schema = next,
                None => break,
            }
        }
        schema
    }

    /// A value that satisfies `schema`.
    pub fn sample(&self, schema: &Value, fill: Fill) -> Value {
        self.sample_at(schema, fill, 0)
    }

    fn sample_at(&self, schema: &Value, fill: Fill, depth: usize) -> Value {
        if depth > HARD_LIMIT {
            return Value::Null;
        }
        let schema = self.resolve(schema);
        if let Some(value) = given_value(schema) {
            return value;
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            let mut merged = Map::new();
            let mut other = None;
            for part in parts {
                match self.sample_at(part, fill, depth + 1) {
                    Value::Object(fields) => merged.extend(fields),
                    value => other = other.or(Some(value)),
                }
            }
            let own = without(schema, "allOf");
            if let Value::Object(fields) = self.sample_at(&own, fill, depth) {
                merged.extend(fields);
            }
            return match other {
                Some(value) if merged.is_empty() => value,
                _ => Value::Object(merged),
            };
        }
        if let Some(alternative) = self.first_alternative(schema) {
            let mut value = self.sample_at(alternative, fill, depth + 1);
            // Properties beside the `oneOf` belong to every alternative.
            if let (Value::Object(fields), true) = (&mut value, schema.get("properties").is_some()) {
                let own = without(&without(schema, "oneOf"), "anyOf");
                if let Value::Object(own) = self.sample_at(&own, fill, depth) {
                    for (key, field) in own {
                        fields.entry(key).or_insert(field);
                    }
                }
            }
            return value;
        }
        match type_of(schema).as_deref() {
            Some("object") => self.object(schema, fill, depth),
            Some("array") => self.array(schema, fill, depth),
            Some("string") => string(schema),
            Some("integer") => integer(schema),
            Some("number") => number(schema),
            Some("boolean") => Value::Bool(true),
            Some("null") => Value::Null,
            _ => Value::String("sample".to_owned()),
        }
    }

    /// The alternative of a `oneOf`/`anyOf` that samples use: the first that is not `null`.
    fn first_alternative<'s>(&self, schema: &'s Value) -> Option<&'s Value>
    where
        'a: 's,
    {
        let alternatives = schema.get("oneOf").or_else(|| schema.get("anyOf"))?.as_array()?;
        alternatives
            .iter()
            .find(|a| type_of(self.resolve(a)).as_deref() != Some("null"))
            .or_else(|| alternatives.first())
    }

    fn object(&self, schema: &Value, fill: Fill, depth: usize) -> Value {
        let mut fields = Map::new();
        for (name, property) in self.request_properties(schema) {
            let required = is_required(schema, name);
            if required || (fill == Fill::All && depth < MAX_DEPTH) {
                let fill = if required && depth >= MAX_DEPTH { Fill::Required } else { fill };
                fields.insert(name.clone(), self.sample_at(property, fill, depth + 1));
            }
        }
        // Required names without a property schema: any value will do.
        for name in required_names(schema) {
            fields.entry(name.to_owned()).or_insert_with(|| Value::String("sample".to_owned()));
        }
        let min_properties = schema.get("minProperties").and_then(Value::as_u64).unwrap_or(0);
        if (fields.len() as u64) < min_properties {
            let extra = schema.get("additionalProperties").filter(|a| a.is_object());
            for index in fields.len() as u64..min_properties {
                let value = extra.map_or(Value::String("sample".to_owned()), |s| self.sample_at(s, fill, depth + 1));
                fields.insert(format!("key{index}"), value);
            }
        }
        Value::Object(fields)
    }

    /// The properties a request may carry: all but the `readOnly` ones.
    pub fn request_properties<'s>(&self, schema: &'s Value) -> Vec<(&'s String, &'s Value)>
    where
        'a: 's,
    {
        let Some(properties) = self.resolve(schema).get("properties").and_then(Value::as_object) else {
            return Vec::new();
        };
        properties
            .iter()
            .filter(|(_, property)| self.resolve(property).get("readOnly") != Some(&Value::Bool(true)))
            .collect()
    }

    fn array(&self, schema: &Value, fill: Fill, depth: usize) -> Value {
        if let Some(tuple) = schema.get("prefixItems").and_then(Value::as_array) {
            return Value::Array(tuple.iter().map(|item| self.sample_at(item, fill, depth + 1)).collect());
        }
        let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        let max = schema.get("maxItems").and_then(Value::as_u64).unwrap_or(u64::MAX);
        let count = if depth < MAX_DEPTH { min.max(1).min(max) } else { min };
        let Some(items) = schema.get("items") else {
            return Value::Array((0..count).map(|i| Value::String(format!("sample{i}"))).collect());
        };
        let item = self.sample_at(items, fill, depth + 1);
        Value::Array((0..count).map(|_| item.clone()).collect())
    }

    /// Every `enum` with more than one value inside `schema`, where [`Sampler::sample`] with
    /// [`Fill::All`] puts it.
    pub fn enum_sites(&self, schema: &Value) -> Vec<EnumSite> {
        let mut sites = Vec::new();
        self.collect_enums(schema, &mut Vec::new(), &mut sites, 0);
        sites
    }

    fn collect_enums(&self, schema: &Value, path: &mut Vec<String>, sites: &mut Vec<EnumSite>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.resolve(schema);
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let values: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
            if values.len() > 1 && schema.get("const").is_none() {
                sites.push(EnumSite { path: path.clone(), values });
            }
            return;
        }
        if schema.get("example").is_some() || schema.get("examples").is_some() {
            return;
        }
        for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            self.collect_enums(part, path, sites, depth + 1);
        }
        if let Some(alternative) = self.first_alternative(schema) {
            self.collect_enums(alternative, path, sites, depth + 1);
        }
        for (name, property) in self.request_properties(schema) {
            path.push(name.clone());
            self.collect_enums(property, path, sites, depth + 1);
            path.pop();
        }
        if let Some(items) = schema.get("items") {
            path.push("0".to_owned());
            self.collect_enums(items, path, sites, depth + 1);
            path.pop();
        }
    }
}

/// The value the spec itself gives: `const`, the first non-null `enum` value, `example`, or
/// the first of `examples`.
fn given_value(schema: &Value) -> Option<Value> {
    if let Some(value) = schema.get("const") {
        return Some(value.clone());
    }
    if let Some(first) = schema.get("enum").and_then(Value::as_array).and_then(|v| v.iter().find(|v| !v.is_null())) {
        return Some(first.clone());
    }
    if let Some(example) = schema.get("example").filter(|e| !e.is_null()) {
        return Some(example.clone());
    }
    schema.get("examples").and_then(Value::as_array).and_then(|e| e.iter().find(|e| !e.is_null())).cloned()
}

/// The schema's type: `type` (the first non-null one of a 3.1 list), else what its keywords imply.
fn type_of(schema: &Value) -> Option<String> {
    match schema.get("type") {
        Some(Value::String(name)) => return Some(name.clone()),
        Some(Value::Array(names)) => {
            let names: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
            return names.iter().find(|n| **n != "null").or(names.first()).map(|n| (*n).to_owned());
        }
        _ => {}
    }
    if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() {
        Some("object".to_owned())
    } else if schema.get("items").is_some() || schema.get("prefixItems").is_some() {
        Some("array".to_owned())
    } else {
        None
    }
}

fn without(schema: &Value, keyword: &str) -> Value {
    let mut copy = schema.clone();
    if let Some(map) = copy.as_object_mut() {
        map.remove(keyword);
    }
    copy
}

fn required_names(schema: &Value) -> impl Iterator<Item = &str> {
    schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
}

fn is_required(schema: &Value, name: &str) -> bool {
    required_names(schema).any(|n| n == name)
}

fn string(schema: &Value) -> Value {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let formatted = match format {
        "email" | "idn-email" => Some("jane.doe@example.com"),
        "uri" | "url" | "iri" | "uri-reference" | "iri-reference" => Some("https://example.com/sample"),
        "hostname" | "idn-hostname" => Some("example.com"),
        "date-time" => Some("2024-01-02T03:04:05Z"),
        "date" => Some("2024-01-02"),
        "time" => Some("03:04:05Z"),
        "duration" => Some("P1D"),
        "uuid" => Some("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        "ipv4" => Some("192.0.2.1"),
        "ipv6" => Some("2001:db8::1"),
        "byte" => Some("c2FtcGxl"),
        "binary" => Some(""),
        _ => None,
    };
    if let Some(text) = formatted {
        return Value::String(text.to_owned());
    }
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = schema.get("maxLength").and_then(Value::as_u64).map_or(usize::MAX, |m| m as usize);
    let mut text = "sample".to_owned();
    while text.len() < min {
        text.push('x');
    }
    text.truncate(max.max(min));
    Value::String(text)
}

/// The lower bound (`minimum`, one above an exclusive one), else 1, else the upper bound; a
/// multiple of `multipleOf`.
fn integer(schema: &Value) -> Value {
    let number = |key: &str| schema.get(key).and_then(Value::as_i64);
    // 3.0 writes `exclusiveMinimum: true` beside `minimum`; 3.1 writes the bound itself.
    let low = match (number("minimum"), schema.get("exclusiveMinimum")) {
        (_, Some(Value::Number(bound))) => bound.as_i64().map(|b| b + 1),
        (Some(min), Some(Value::Bool(true))) => Some(min + 1),
        (min, _) => min,
    };
    let high = match (number("maximum"), schema.get("exclusiveMaximum")) {
        (_, Some(Value::Number(bound))) => bound.as_i64().map(|b| b - 1),
        (Some(max), Some(Value::Bool(true))) => Some(max - 1),
        (max, _) => max,
    };
    let mut value = match (low, high) {
        (Some(low), _) => low,
        (None, Some(high)) if high < 1 => high,
        _ => 1,
    };
    if let Some(step) = number("multipleOf").filter(|s| *s > 0) {
        value = (value + step - 1).div_euclid(step) * step;
    }
    Value::from(value)
}

fn number(schema: &Value) -> Value {
    let number = |key: &str| schema.get(key).and_then(Value::as_f64);
    if schema.get("multipleOf").is_some() || schema.get("minimum").is_some() || schema.get("maximum").is_some() {
        // Bounds are usually whole numbers; the integer rule respects them and `multipleOf`.
        if let Some(whole) = integer(schema).as_i64() {
            let low = number("minimum").unwrap_or(f64::MIN);
            let high = number("maximum").unwrap_or(f64::MAX);
            if (low..=high).contains(&(whole as f64)) {
                return Value::from(whole);
            }
        }
        return Value::from(number("minimum").or(number("maximum")).unwrap_or(1.0));
    }
    Value::from(1.5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample(document: Value, fill: Fill) -> Value {
        let sampler = Sampler::new(&document);
        sampler.sample(&document["components"]["schemas"]["T"], fill)
    }

    #[test]
    fn objects_fill_required_or_every_writable_property() {
        let document = json!({"components": {"schemas": {
            "T": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string", "minLength": 8},
                "kind": {"$ref": "#/components/schemas/Kind"},
                "created": {"type": "string", "format": "date-time", "readOnly": true},
                "count": {"type": "integer", "minimum": 3, "multipleOf": 2},
                "tags": {"type": "array", "minItems": 2, "items": {"type": "string", "example": "blue"}}
            }},
            "Kind": {"type": "string", "enum": ["a", "b"]}
        }}});
        assert_eq!(sample(document.clone(), Fill::Required), json!({"id": "samplexx"}));
        assert_eq!(
            sample(document, Fill::All),
            json!({"id": "samplexx", "kind": "a", "count": 4, "tags": ["blue", "blue"]})
        );
    }

    #[test]
    fn all_of_merges_and_one_of_takes_the_first_non_null_alternative() {
        let document = json!({"components": {"schemas": {
            "T": {"allOf": [
                {"type": "object", "required": ["a"], "properties": {"a": {"type": "boolean"}}},
                {"type": "object", "required": ["b"], "properties": {"b": {"oneOf": [{"type": "null"}, {"type": "number"}]}}}
            ]}
        }}});
        assert_eq!(sample(document, Fill::Required), json!({"a": true, "b": 1.5}));
    }

    #[test]
    fn openapi_3_1_keywords() {
        let document = json!({"components": {"schemas": {
            "T": {"type": "object", "required": ["n", "t", "c", "e"], "properties": {
                "n": {"type": ["null", "integer"], "exclusiveMinimum": 10},
                "t": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
                "c": {"const": "fixed"},
                "e": {"type": "string", "examples": ["first", "second"]}
            }}
        }}});
        assert_eq!(sample(document, Fill::Required), json!({"n": 11, "t": ["sample", 1], "c": "fixed", "e": "first"}));
    }

    #[test]
    fn enum_sites_say_where_each_enum_is() {
        let document = json!({"components": {"schemas": {
            "T": {"type": "object", "properties": {
                "factor": {"type": "string", "enum": ["sms", "email"]},
                "single": {"type": "string", "enum": ["only"]},
                "nested": {"type": "array", "items": {"type": "object", "properties": {
                    "level": {"type": "integer", "enum": [1, 2, null]}
                }}}
            }}
        }}});
        let sampler = Sampler::new(&document);
        let sites = sampler.enum_sites(&document["components"]["schemas"]["T"]);
        assert_eq!(
            sites,
            vec![
                EnumSite { path: vec!["factor".into()], values: vec![json!("sms"), json!("email")] },
                EnumSite { path: vec!["nested".into(), "0".into(), "level".into()], values: vec![json!(1), json!(2)] },
            ]
        );
    }

    #[test]
    fn references_that_loop_do_not_hang() {
        let document = json!({"components": {"schemas": {
            "T": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/T"}}},
            "Loop": {"$ref": "#/components/schemas/Loop"},
            "Required": {"type": "object", "required": ["again"], "properties": {"again": {"$ref": "#/components/schemas/Required"}}},
            "Itself": {"allOf": [{"$ref": "#/components/schemas/Itself"}]}
        }}});
        let value = sample(document.clone(), Fill::All);
        assert!(value.pointer("/next/next/next").is_some(), "{value}");
        let sampler = Sampler::new(&document);
        assert_eq!(sampler.sample(&document["components"]["schemas"]["Loop"], Fill::All), json!("sample"));
        let required = sampler.sample(&document["components"]["schemas"]["Required"], Fill::Required);
        assert!(required.pointer("/again/again/again").is_some(), "{required}");
        sampler.sample(&document["components"]["schemas"]["Itself"], Fill::All);
        sampler.enum_sites(&document["components"]["schemas"]["Itself"]);
    }
}
