//! Request data for the contract tests: a JSON value that satisfies a schema of the spec,
//! read straight from the spec's document (OpenAPI 3.0 or 3.1), not from the generator's
//! model, so that the contract tests do not share the generator's reading of the spec.
//!
//! A sample is deliberately plain and deterministic: the spec's own `example`, else the
//! first `enum` value, else a value made from the type, its `format` and its bounds. A
//! string with a `pattern` is drawn from the pattern (`rand_regex`, fixed seed) within its
//! lengths; a pattern that `regex-syntax` cannot read (lookaround, which ECMAScript has)
//! gets the plain sample, and Prism says which field when it does not match.

use serde_json::{Map, Value};

/// How much of an object to fill in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Required properties only.
    Required,
    /// Every property a request may send (not `readOnly` ones).
    All,
}

/// A place inside a schema where a request can take several kinds of value: an `enum`
/// (each value), or a `oneOf`/`anyOf` (a sample of each alternative).
#[derive(Debug, Clone, PartialEq)]
pub struct Variation {
    /// Property names (and `0` for an array's first item) from the sample's root.
    pub path: Vec<String>,
    pub values: Vec<Value>,
    /// How cases name each value: the value itself, or the alternative's title.
    pub labels: Vec<String>,
    /// An enum (else a union): a value outside it can be sent raw.
    pub is_enum: bool,
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
            // Objects merge before sampling: a part's `required` may name another's property.
            if let Some(merged) = self.merged_object(schema, depth) {
                return self.object(&merged, fill, depth);
            }
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
            // An alternative that only lists required names (`oneOf: [{required: [category]},
            // {required: [categorySlug]}]` beside properties): the object beside it, with those
            // names required too.
            if schema.get("properties").is_some() && only_requires(self.resolve(alternative)) {
                let mut own = without(&without(schema, "oneOf"), "anyOf");
                let names = required_names(self.resolve(alternative)).map(|n| Value::String(n.to_owned()));
                if let Some(map) = own.as_object_mut() {
                    let required = map.entry("required").or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(required) = required {
                        required.extend(names);
                    }
                }
                return self.sample_at(&own, fill, depth);
            }
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

    /// An `allOf` of objects (parts of `type: object`, or with properties or `required` only,
    /// at any depth) as one object schema: the properties of all parts (the first of a name
    /// wins) and all their required names. `None` when a part is of another type or a union.
    fn merged_object(&self, schema: &Value, depth: usize) -> Option<Value> {
        let mut properties = Map::new();
        let mut required: Vec<Value> = Vec::new();
        self.merge_parts(schema, &mut properties, &mut required, depth, &mut Vec::new())?;
        Some(serde_json::json!({"type": "object", "properties": properties, "required": required}))
    }

    /// `merged` holds the references merged so far: one named again adds nothing (and an
    /// `allOf` that names itself would otherwise be merged again at every level).
    fn merge_parts(
        &self,
        schema: &Value,
        properties: &mut Map<String, Value>,
        required: &mut Vec<Value>,
        depth: usize,
        merged: &mut Vec<String>,
    ) -> Option<()> {
        if depth > HARD_LIMIT || schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
            return None;
        }
        if type_of(schema).is_some_and(|t| t != "object") {
            return None;
        }
        for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            if let Some(reference) = part.get("$ref").and_then(Value::as_str) {
                if merged.iter().any(|known| known == reference) {
                    continue;
                }
                merged.push(reference.to_owned());
            }
            self.merge_parts(self.resolve(part), properties, required, depth + 1, merged)?;
        }
        for (name, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
            properties.entry(name.clone()).or_insert_with(|| property.clone());
        }
        required.extend(required_names(schema).map(|name| Value::String(name.to_owned())));
        Some(())
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
        // `minProperties`: the declared properties first (a client drops keys its type does
        // not know), then keys of `additionalProperties`, unless they are forbidden.
        let min_properties = schema.get("minProperties").and_then(Value::as_u64).unwrap_or(0) as usize;
        for (name, property) in self.request_properties(schema) {
            if fields.len() >= min_properties {
                break;
            }
            if !fields.contains_key(name.as_str()) {
                fields.insert(name.clone(), self.sample_at(property, Fill::Required, depth + 1));
            }
        }
        let extra = schema.get("additionalProperties");
        if extra != Some(&Value::Bool(false)) {
            for index in fields.len()..min_properties {
                let value = extra
                    .filter(|a| a.is_object())
                    .map_or(Value::String("sample".to_owned()), |s| self.sample_at(s, fill, depth + 1));
                fields.insert(format!("key{index}"), value);
            }
        }
        // `maxProperties`: optional properties go, the last first.
        if let Some(max_properties) = schema.get("maxProperties").and_then(Value::as_u64) {
            let optional: Vec<String> = fields.keys().filter(|name| !is_required(schema, name)).cloned().collect();
            for name in optional.iter().rev() {
                if fields.len() as u64 <= max_properties {
                    break;
                }
                fields.shift_remove(name);
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
        // Two items where the schema allows (one if they must differ): a single item in a
        // form body (`tags=a`) reads back as a scalar, not a list.
        let wanted = if schema.get("uniqueItems") == Some(&Value::Bool(true)) { 1 } else { 2 };
        let count = if depth < MAX_DEPTH { min.max(wanted).min(max) } else { min };
        let Some(items) = schema.get("items") else {
            return Value::Array((0..count).map(|i| Value::String(format!("sample{i}"))).collect());
        };
        let item = self.sample_at(items, fill, depth + 1);
        Value::Array((0..count).map(|_| item.clone()).collect())
    }

    /// Every `enum` with more than one value and every `oneOf`/`anyOf` with more than one
    /// alternative inside `schema`, where [`Sampler::sample`] with [`Fill::All`] puts it.
    /// A property that an `allOf` part fixes with a `const` (a union's tag) does not vary.
    /// The properties a body must leave out to stay with the first alternative of a `oneOf`
    /// of required names beside them (`oneOf: [{required: [category]}, {required:
    /// [categorySlug]}]`: a body with both matches both alternatives, which `oneOf` refuses).
    pub fn left_out(&self, schema: &Value) -> Vec<String> {
        let schema = self.resolve(schema);
        let Some(alternatives) = schema.get("oneOf").and_then(Value::as_array) else { return Vec::new() };
        let alternatives: Vec<&Value> = alternatives.iter().map(|a| self.resolve(a)).collect();
        if alternatives.len() < 2 || !alternatives.iter().all(|a| only_requires(a)) {
            return Vec::new();
        }
        let first: Vec<&str> = required_names(alternatives[0]).collect();
        let mut left_out: Vec<String> = alternatives[1..]
            .iter()
            .flat_map(|a| required_names(a))
            .filter(|name| !first.contains(name))
            .map(str::to_owned)
            .collect();
        left_out.dedup();
        left_out
    }

    pub fn variations(&self, schema: &Value) -> Vec<Variation> {
        let mut sites = Vec::new();
        self.collect_variations(schema, &mut Vec::new(), &mut sites, &[], 0);
        sites
    }

    fn collect_variations(
        &self,
        schema: &Value,
        path: &mut Vec<String>,
        sites: &mut Vec<Variation>,
        fixed: &[&str],
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.resolve(schema);
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let values: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
            if values.len() > 1 && schema.get("const").is_none() {
                let labels = values.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).collect();
                sites.push(Variation { path: path.clone(), values, labels, is_enum: true });
            }
            return;
        }
        if schema.get("example").is_some() || schema.get("examples").is_some() {
            return;
        }
        let parts = schema.get("allOf").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        // Fixed here or by an enclosing `allOf` (which may reach this one through a `$ref`).
        let constants: Vec<&str> = parts
            .iter()
            .flat_map(|part| self.request_properties(part))
            .filter(|(_, property)| self.resolve(property).get("const").is_some())
            .map(|(name, _)| name.as_str())
            .chain(fixed.iter().copied())
            .collect();
        for part in parts {
            self.collect_variations(part, path, sites, &constants, depth + 1);
        }
        let alternatives: Vec<&Value> = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|a| type_of(self.resolve(a)).as_deref() != Some("null"))
            .collect();
        // Alternatives that only say which properties are required are one object: the sample
        // keeps to the first (`left_out`), which is no variation.
        let only_required_names = alternatives.iter().all(|a| only_requires(self.resolve(a)));
        if alternatives.len() > 1 && !only_required_names {
            let values = alternatives.iter().map(|a| self.sample_at(a, Fill::All, depth + 1)).collect();
            let labels = alternatives
                .iter()
                .enumerate()
                .map(|(index, a)| {
                    let title = self.resolve(a).get("title").and_then(Value::as_str);
                    title.map_or_else(|| format!("alternative {}", index + 1), str::to_owned)
                })
                .collect();
            sites.push(Variation { path: path.clone(), values, labels, is_enum: false });
        }
        if let Some(alternative) = self.first_alternative(schema) {
            self.collect_variations(alternative, path, sites, &[], depth + 1);
        }
        // Under `maxProperties` the sample leaves some optional properties out; a value
        // set there would break the bound (the same schemas are varied where they are kept).
        let kept = schema.get("maxProperties").map(|_| self.object(schema, Fill::All, depth));
        for (name, property) in self.request_properties(schema) {
            if fixed.contains(&name.as_str()) || kept.as_ref().is_some_and(|kept| kept.get(name).is_none()) {
                continue;
            }
            path.push(name.clone());
            self.collect_variations(property, path, sites, &[], depth + 1);
            path.pop();
        }
        if let Some(items) = schema.get("items") {
            path.push("0".to_owned());
            self.collect_variations(items, path, sites, &[], depth + 1);
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
    // An example of another type than the schema's (`type: string, example: 300`, as
    // published specs have), or a string that breaks its own format or lengths (the Train
    // Travel API's `uuid` example has 7 digits in its first group), is the spec's mistake,
    // not a value to send.
    let fits = |example: &&Value| !example.is_null() && fits_type(schema, example) && fits_string(schema, example);
    if let Some(example) = schema.get("example").filter(fits) {
        return Some(example.clone());
    }
    schema.get("examples").and_then(Value::as_array).and_then(|e| e.iter().find(fits)).cloned()
}

/// Whether `value` is of the schema's `type` (any of a 3.1 list), or the schema has none.
fn fits_type(schema: &Value, value: &Value) -> bool {
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(name)) => vec![name.as_str()],
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
        _ => return true,
    };
    types.iter().any(|name| match *name {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => true,
    })
}

/// Whether a string value keeps the schema's `minLength`, `maxLength` and (for the formats
/// with a fixed shape) `format`; any other value does.
fn fits_string(schema: &Value, value: &Value) -> bool {
    let Some(text) = value.as_str() else { return true };
    let length = text.chars().count() as u64;
    let bound = |keyword: &str| schema.get(keyword).and_then(Value::as_u64);
    if bound("minLength").is_some_and(|min| length < min) || bound("maxLength").is_some_and(|max| length > max) {
        return false;
    }
    let digits = |part: &str, count: usize| part.len() == count && part.bytes().all(|b| b.is_ascii_digit());
    let date = |text: &str| matches!(text.split('-').collect::<Vec<_>>()[..], [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2));
    match schema.get("format").and_then(Value::as_str).unwrap_or("") {
        "uuid" => {
            let groups: Vec<&str> = text.split('-').collect();
            groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
                && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
        }
        "date" => date(text),
        "date-time" => text.get(..10).is_some_and(date) && matches!(text.as_bytes().get(10), Some(b'T' | b't' | b' ')),
        "email" | "idn-email" => {
            text.split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
        }
        "ipv4" => text.parse::<std::net::Ipv4Addr>().is_ok(),
        "ipv6" => text.parse::<std::net::Ipv6Addr>().is_ok(),
        "duration" => text.len() > 1 && text.starts_with('P'),
        "json-pointer" => text.is_empty() || text.starts_with('/'),
        _ => true,
    }
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

/// Whether a schema says only which names are required (and how it is called).
fn only_requires(schema: &Value) -> bool {
    schema.as_object().is_some_and(|map| {
        map.contains_key("required")
            && map.keys().all(|key| matches!(key.as_str(), "required" | "title" | "description"))
    })
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
    let format = match schema.get("format").and_then(Value::as_str) {
        Some(format) => format,
        // OpenAPI 3.1 writes a file as a string with a media type.
        None if schema.get("contentMediaType").is_some() => "binary",
        None => "",
    };
    let formatted = match format {
        "email" | "idn-email" => Some("jane.doe@example.com"),
        "uri" | "url" | "iri" | "uri-reference" | "iri-reference" => Some("https://example.com/sample"),
        "hostname" | "idn-hostname" => Some("example.com"),
        "date-time" => Some("2024-01-02T03:04:05Z"),
        "date" => Some("2024-01-02"),
        "time" => Some("03:04:05Z"),
        "duration" => Some("P1D"),
        "json-pointer" => Some("/sample"),
        "relative-json-pointer" => Some("0/sample"),
        "regex" => Some("^sample$"),
        "uuid" => Some("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        "ipv4" => Some("192.0.2.1"),
        "ipv6" => Some("2001:db8::1"),
        "byte" => Some("c2FtcGxl"),
        // A file: the tool reads it as base64 (of `sample`) in a JSON body, and sends a
        // body of bytes as the text given.
        "binary" => Some("c2FtcGxl"),
        _ => None,
    };
    if let Some(text) = formatted {
        return Value::String(text.to_owned());
    }
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = schema.get("maxLength").and_then(Value::as_u64).map_or(usize::MAX, |m| m as usize);
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        if let Some(text) = matching(pattern, min, max).or_else(|| common_match(pattern, min, max)) {
            return Value::String(text);
        }
    }
    let mut text = "sample".to_owned();
    while text.len() < min {
        text.push('x');
    }
    text.truncate(max.max(min));
    Value::String(text)
}

/// A string that matches `pattern` (ASCII where the pattern allows), `min` to `max`
/// characters long; the same one on every run.
fn matching(pattern: &str, min: usize, max: usize) -> Option<String> {
    use rand::{RngExt, SeedableRng};
    // `rand_regex` draws whole strings and takes no anchors; a whole string that matches
    // the pattern's body matches it anchored too. Lookarounds at the start (ECMAScript has
    // them, `regex-syntax` not) usually bound the length or rule out one shape: left out,
    // and Prism says so if the string breaks them.
    let mut pattern = pattern.strip_prefix('^').unwrap_or(pattern);
    while pattern.starts_with("(?=") || pattern.starts_with("(?!") {
        pattern = skip_group(pattern)?;
    }
    let pattern = match pattern.strip_suffix('$') {
        Some(body) if !body.ends_with('\\') => body,
        _ => pattern,
    };
    // A negated class (`[^\x00-\x7F]`) matches bytes that are not UTF-8 without Unicode:
    // such a pattern is read with it, and its ASCII strings preferred.
    let pattern = ascii_dot(pattern);
    let parse =
        |unicode: bool| regex_syntax::ParserBuilder::new().unicode(unicode).utf8(true).build().parse(&pattern).ok();
    let hir = match parse(false) {
        Some(hir) => hir,
        None => ascii_where_possible(&parse(true)?),
    };
    let generator = rand_regex::Regex::with_hir(hir, 8).ok()?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
    let fitting: Vec<String> = (0..64)
        .map(|_| rng.sample::<String, _>(&generator))
        .filter(|text| (min..=max).contains(&text.chars().count()))
        .collect();
    fitting.iter().find(|text| text.is_ascii()).or(fitting.first()).cloned()
}

/// For a pattern [`matching`] cannot draw from (lookarounds past its start): the first of a
/// few common shapes that matches it, checked with `fancy-regex`, which has lookarounds.
fn common_match(pattern: &str, min: usize, max: usize) -> Option<String> {
    const COMMON: &[&str] = &["https://example.com/sample", "sample", "sample-1", "Sample", "1", ""];
    let regex = fancy_regex::Regex::new(pattern).ok()?;
    COMMON
        .iter()
        .filter(|text| (min..=max).contains(&text.chars().count()))
        .find(|text| regex.is_match(text).unwrap_or(false))
        .map(|text| (*text).to_owned())
}

/// `hir` with each character class narrowed to its ASCII part, where it has one: `[^a]`
/// read with Unicode would draw almost only characters beyond ASCII.
fn ascii_where_possible(hir: &regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Repetition};
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => {
            let mut ascii = ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7F')]);
            ascii.intersect(class);
            Hir::class(Class::Unicode(if ascii.ranges().is_empty() { class.clone() } else { ascii }))
        }
        HirKind::Repetition(repetition) => {
            Hir::repetition(Repetition { sub: Box::new(ascii_where_possible(&repetition.sub)), ..repetition.clone() })
        }
        HirKind::Capture(capture) => Hir::capture(regex_syntax::hir::Capture {
            sub: Box::new(ascii_where_possible(&capture.sub)),
            ..capture.clone()
        }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(ascii_where_possible).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(ascii_where_possible).collect()),
        _ => hir.clone(),
    }
}

/// `pattern` with `.` outside classes as the characters a URL carries unescaped: without
/// Unicode, `regex-syntax` reads `.` as any byte, which may not be UTF-8; and a `/` or `?`
/// in a path parameter is escaped on the way, which a server need not undo.
fn ascii_dot(pattern: &str) -> String {
    let (mut out, mut escaped, mut in_class) = (String::new(), false, false);
    for c in pattern.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => in_class = true,
            ']' => in_class = false,
            '.' if !in_class => {
                out.push_str("[0-9A-Za-z._~-]");
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// The rest of `pattern` after the parenthesized group it starts with.
fn skip_group(pattern: &str) -> Option<&str> {
    let mut depth = 0;
    let mut escaped = false;
    for (index, c) in pattern.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&pattern[index + 1..]);
                }
            }
            _ => {}
        }
    }
    None
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

    /// ReadMe's legacy docs body: properties beside a `oneOf` that only says which of two
    /// fields must be there. The sample is the object, with the first alternative's names.
    #[test]
    fn alternatives_that_only_require_names_sample_the_object_beside() {
        let document = json!({"components": {"schemas": {
            "T": {"type": "object",
                  "properties": {"title": {"type": "string"}, "category": {"type": "string"}, "slug": {"type": "string"}},
                  "oneOf": [{"required": ["title", "category"], "title": "by id"}, {"required": ["title", "slug"]}]},
        }}});
        assert_eq!(sample(document, Fill::Required), json!({"title": "sample", "category": "sample"}));
    }

    #[test]
    fn objects_respect_min_and_max_properties() {
        let document = json!({"components": {"schemas": {
            "T": {"type": "object", "additionalProperties": false, "minProperties": 2, "maxProperties": 2,
                  "required": ["c"],
                  "properties": {"a": {"type": "boolean"}, "b": {"type": "boolean"}, "c": {"type": "boolean"}}},
        }}});
        // Required only, yet one more: a declared property, not a key the type cannot hold.
        assert_eq!(sample(document.clone(), Fill::Required), json!({"a": true, "c": true}));
        // Every property, yet at most two: the required one stays.
        assert_eq!(sample(document, Fill::All), json!({"a": true, "c": true}));
        let open = json!({"components": {"schemas": {"T": {"type": "object", "minProperties": 2}}}});
        assert_eq!(sample(open, Fill::Required), json!({"key0": "sample", "key1": "sample"}));
    }

    #[test]
    fn patterns_with_lookarounds_get_a_common_string_that_matches() {
        // A URL or nothing, as Auth0's theme URLs are (their pattern is much longer).
        let pattern = r"^$|^(?=.)(?!https?:\/\/\/)(?:https:\/\/[\w\-\.]+(?:\/[\w\-\.]*)*)$";
        assert_eq!(matching(pattern, 0, usize::MAX), None, "rand_regex cannot draw from it");
        let document = json!({"components": {"schemas": {"T": {"type": "string", "pattern": pattern}}}});
        assert_eq!(sample(document, Fill::Required), json!("https://example.com/sample"));
    }

    #[test]
    fn properties_left_out_for_max_properties_are_not_varied() {
        let document = json!({"components": {"schemas": {
            "T": {"type": "object", "maxProperties": 1, "properties": {
                "a": {"type": "string", "enum": ["x", "y"]},
                "b": {"type": "string", "enum": ["x", "y"]}
            }},
        }}});
        let sampler = Sampler::new(&document);
        let sites = sampler.variations(&document["components"]["schemas"]["T"]);
        let paths: Vec<&[String]> = sites.iter().map(|site| site.path.as_slice()).collect();
        assert_eq!(paths, [["a".to_owned()]]);
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
    fn examples_that_break_their_own_format_or_lengths_are_not_sent() {
        let document = json!({"components": {"schemas": {
            "T": {"type": "object", "required": ["id", "wait", "day", "short", "good"], "properties": {
                "id": {"type": "string", "format": "uuid", "example": "4f4e4e1-c824-4d63-b37a-d8d698862f1d"},
                "wait": {"type": "string", "format": "duration", "example": "TBD"},
                "day": {"type": "string", "format": "date", "example": "tomorrow"},
                "short": {"type": "string", "maxLength": 3, "examples": ["toolong", "ok"]},
                "good": {"type": "string", "format": "date-time", "example": "2025-05-01T10:00:00Z"}
            }}
        }}});
        assert_eq!(
            sample(document, Fill::Required),
            json!({
                "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "wait": "P1D", "day": "2024-01-02", "short": "ok",
                "good": "2025-05-01T10:00:00Z"
            })
        );
    }

    #[test]
    fn required_names_of_one_all_of_part_apply_to_the_properties_of_another() {
        let document = json!({"components": {"schemas": {
            "Category": {"type": "object", "properties": {"title": {"type": "string"}, "kind": {"type": "string"}}},
            "T": {"allOf": [{"$ref": "#/components/schemas/Category"}, {"required": ["title"]}]},
            // Names itself twice: merged once, not again at every level.
            "Loop": {"allOf": [{"$ref": "#/components/schemas/Category"}, {"$ref": "#/components/schemas/Loop"}, {"$ref": "#/components/schemas/Loop"}]}
        }}});
        let sampler = Sampler::new(&document);
        assert_eq!(
            sampler.sample(&document["components"]["schemas"]["Loop"], Fill::All),
            json!({"title": "sample", "kind": "sample"})
        );
        assert_eq!(sample(document, Fill::Required), json!({"title": "sample"}));
    }

    #[test]
    fn openapi_3_1_keywords() {
        let document = json!({"components": {"schemas": {
            "T": {"type": "object", "required": ["n", "t", "c", "e", "wrong"], "properties": {
                "n": {"type": ["null", "integer"], "exclusiveMinimum": 10},
                "t": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
                "c": {"const": "fixed"},
                "e": {"type": "string", "examples": ["first", "second"]},
                "wrong": {"type": "string", "example": 300}
            }}
        }}});
        assert_eq!(
            sample(document, Fill::Required),
            json!({"n": 11, "t": ["sample", 1], "c": "fixed", "e": "first", "wrong": "sample"})
        );
    }

    #[test]
    fn strings_match_their_pattern_within_their_lengths() {
        let schema = |pattern: &str, min: u64, max: u64| json!({"type": "string", "pattern": pattern, "minLength": min, "maxLength": max});
        let document = json!({});
        let sampler = Sampler::new(&document);
        let id = sampler.sample(&schema("^cac_[A-Za-z0-9]+$", 0, 64), Fill::All);
        let id = id.as_str().expect("a string");
        assert!(id.starts_with("cac_") && id.len() > 4 && id[4..].chars().all(|c| c.is_ascii_alphanumeric()), "{id}");
        let locales = sampler.sample(&schema(r"^[a-z]{2}(-[A-Z]{2})?(\s[a-z]{2})*$", 2, 5), Fill::All);
        let locales = locales.as_str().expect("a string");
        assert!((2..=5).contains(&locales.len()) && locales[..2].chars().all(|c| c.is_ascii_lowercase()), "{locales}");
        // A leading lookahead (ECMAScript, not regex-syntax) is left out.
        let user = sampler.sample(&schema(r"^(?=.{1,1024}$).+\|.+$", 0, 2048), Fill::All);
        assert!(user.as_str().is_some_and(|u| u.contains('|')), "{user}");
        // One elsewhere cannot be: the plain sample.
        assert_eq!(sampler.sample(&schema("^[a-z](?!x)[a-z]+$", 0, 64), Fill::All), json!("sample"));
        assert_eq!(id, sampler.sample(&schema("^cac_[A-Za-z0-9]+$", 0, 64), Fill::All), "the same on every run");
        // A negated class needs Unicode to be read (ReadMe's file names); ASCII is chosen.
        let file = sampler.sample(&schema(r"(([a-z0-9-_ ]|[^\x00-\x7F])+.(json|yaml|yml))", 0, 64), Fill::All);
        let file = file.as_str().expect("a string");
        assert!(file.is_ascii() && [".json", ".yaml", ".yml"].iter().any(|e| file.ends_with(&e[1..])), "{file}");
    }

    #[test]
    fn variations_say_where_each_enum_is() {
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
        let sites = sampler.variations(&document["components"]["schemas"]["T"]);
        assert_eq!(
            sites,
            vec![
                Variation {
                    path: vec!["factor".into()],
                    values: vec![json!("sms"), json!("email")],
                    labels: vec!["sms".into(), "email".into()],
                    is_enum: true,
                },
                Variation {
                    path: vec!["nested".into(), "0".into(), "level".into()],
                    values: vec![json!(1), json!(2)],
                    labels: vec!["1".into(), "2".into()],
                    is_enum: true,
                },
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
        sampler.variations(&document["components"]["schemas"]["Itself"]);
    }
}
