//! Property tests of the promise in `generator::generate`'s docs: nothing about the input can
//! make the generator panic, and what it generates is Rust.
//!
//! - [`any_text_is_ok_or_err`]: arbitrary bytes, strings, YAML/JSON-ish text and valid
//!   documents with random edits give `Ok` or `Err`, never a panic.
//! - [`valid_documents_generate_rust`]: structurally valid OpenAPI 3.0 and 3.1 documents,
//!   built as `serde_json::Value` trees from random schemas (recursive `$ref`s included; in
//!   3.1 type lists, `$ref` siblings, `$defs`, `prefixItems`, `if`/`then`/`else`, webhooks;
//!   `$ref`s to another file that [`other_file`] serves, and to places in the document other
//!   than components; path items copied by `$ref`), operations and names full of
//!   keywords, digits, unicode, punctuation and collisions, give
//!   `Ok` or an `Err` that is not an internal error; on `Ok` every `.rs` file parses with
//!   `syn`, defines no name twice where Rust allows one ([`duplicate_names`]), and a second
//!   run gives the same bytes.
//!
//! Each property runs [`DEFAULT_CASES`] cases (about 9 s for the file in a debug build), so
//! that `cargo test` stays quick. `PROPTEST_CASES` overrides it (read here, since a config
//! that sets `cases` ignores the variable); a longer run:
//! `PROPTEST_CASES=5000 cargo test -p generator --release --test properties` (about 1 min).
//! A failure is shrunk, printed, and its seed saved in `tests/properties.proptest-regressions`
//! (checked in: those cases run first in every later run); add the shrunk input as a plain
//! test too, next to the fix.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use generator::{Config, ErrorKind, Spec};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::strategy::{Union, ValueTree};
use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Map, Value};

/// Cases per property in a plain `cargo test`; `PROPTEST_CASES` overrides it.
const DEFAULT_CASES: u32 = 256;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(DEFAULT_CASES)
}

fn config() -> Config {
    Config {
        command: "cargo xtask codegen".into(),
        telemetry_header: Some("X-Client".into()),
        ..Config::new("prop-client")
    }
}

fn generate(text: &str) -> Result<generator::Output, generator::Error> {
    // A stack overflow aborts the process before proptest can print the case: with
    // `PROPERTIES_LAST_CASE=FILE`, each case is written there before it runs.
    if let Some(file) = std::env::var_os("PROPERTIES_LAST_CASE") {
        let _ = std::fs::write(file, text);
    }
    generator::generate(Spec::new("spec/prop.yaml", text).with_loader(&other_file), &config())
}

/// The other file every `$ref` to a file reads (`other.yaml#/A`, `other.yaml#/B` ...): a
/// schema, a reference within it, one back into the spec, a missing pointer, a cycle.
fn other_file(path: &str) -> Result<String, String> {
    match path {
        "other.yaml" => Ok("A: {type: object, properties: {b: {$ref: '#/B'}, c: {$ref: 'prop.yaml#/components/schemas/Missing'}}}\nB: {type: [string, 'null'], maxLength: 3}\nLoop: {$ref: '#/Loop2'}\nLoop2: {$ref: '#/Loop'}\n".to_owned()),
        _ => Err("no such file".to_owned()),
    }
}

/// Texts already parsed by syn (the runtime's files are the same in every output).
fn parsed() -> &'static Mutex<HashSet<String>> {
    static PARSED: std::sync::OnceLock<Mutex<HashSet<String>>> = std::sync::OnceLock::new();
    PARSED.get_or_init(Default::default)
}

/// `generate` on `text`: `Ok` with Rust files that parse and the same bytes on a second run,
/// or an `Err` that is about the spec (an internal error is a bug of the generator).
fn check_generates_rust(text: &str) -> Result<Option<generator::Output>, TestCaseError> {
    match generate(text) {
        Err(error) => {
            prop_assert!(error.kind != ErrorKind::Internal, "generator bug: {error}\n--- spec ---\n{text}");
            prop_assert!(error.pointer.starts_with('#'), "not a JSON pointer: {error}");
            Ok(None)
        }
        Ok(output) => {
            for (path, code) in output.files.iter().filter(|(path, _)| path.ends_with(".rs")) {
                let known = parsed().lock().map(|p| p.contains(code)).unwrap_or(false);
                if known {
                    continue;
                }
                if let Err(error) = syn::parse_file(code) {
                    return Err(TestCaseError::fail(format!(
                        "{path} does not parse: {error}\n--- spec ---\n{text}\n--- {path} ---\n{code}"
                    )));
                }
                if path.starts_with("src/runtime/") {
                    if let Ok(mut parsed) = parsed().lock() {
                        parsed.insert(code.clone());
                    }
                }
            }
            let problems = duplicate_names(&output);
            prop_assert!(problems.is_empty(), "names defined twice: {problems:?}\n--- spec ---\n{text}");
            let again = generate(text).map_err(|e| TestCaseError::fail(format!("second run failed: {e}")))?;
            prop_assert!(again.files == output.files, "a second run gave other files\n--- spec ---\n{text}");
            prop_assert_eq!(&again.warnings, &output.warnings);
            Ok(Some(output))
        }
    }
}

/// Names that the generated code defines twice where Rust allows one: items of a module,
/// fields of a struct, variants of an enum, parameters of a function, and methods of a type
/// across all its inherent `impl` blocks (in any file). Each would fail to compile.
fn duplicate_names(output: &generator::Output) -> Vec<String> {
    let mut problems = Vec::new();
    let mut methods = HashMap::new();
    let generated = output.files.iter().filter(|(path, _)| path.ends_with(".rs") && !path.starts_with("src/runtime/"));
    for (path, code) in generated {
        // `src/api/mod.rs` is `crate::api`; a binary is a crate of its own.
        let module = path.trim_end_matches(".rs").trim_end_matches("/mod").replacen("src/bin/", "bin::", 1);
        let module = module.replacen("src/lib", "crate", 1).replacen("src/", "crate::", 1).replace('/', "::");
        if let Ok(file) = syn::parse_file(code) {
            module_names(&module, &file.items, &mut methods, &mut problems);
        }
    }
    problems
}

fn bare(ident: &syn::Ident) -> String {
    ident.to_string().trim_start_matches("r#").to_owned()
}

fn unique(scope: &str, what: &str, names: impl IntoIterator<Item = String>, problems: &mut Vec<String>) {
    let mut seen = HashSet::new();
    for name in names {
        if !seen.insert(name.clone()) {
            problems.push(format!("{what} `{name}` twice in {scope}"));
        }
    }
}

fn parameters(scope: &str, signature: &syn::Signature, problems: &mut Vec<String>) {
    let names = signature.inputs.iter().filter_map(|input| match input {
        syn::FnArg::Typed(typed) => match &*typed.pat {
            syn::Pat::Ident(pat) => Some(bare(&pat.ident)),
            _ => None,
        },
        syn::FnArg::Receiver(_) => Some("self".to_owned()),
    });
    unique(&format!("{scope}::{}", signature.ident), "parameter", names, problems);
}

/// The path of the type an `impl` block is for, from the module `scope` it is in.
fn impl_target(scope: &str, ty: &syn::Type) -> String {
    let syn::Type::Path(path) = ty else { return format!("{scope}::?") };
    let segments: Vec<String> = path.path.segments.iter().map(|s| bare(&s.ident)).collect();
    if segments.len() > 1 {
        segments.join("::")
    } else {
        format!("{scope}::{}", segments.join("::"))
    }
}

fn module_names(
    scope: &str,
    items: &[syn::Item],
    methods: &mut HashMap<String, HashSet<String>>,
    problems: &mut Vec<String>,
) {
    use syn::Item;
    let mut types = Vec::new();
    let mut values = Vec::new();
    for item in items {
        match item {
            Item::Struct(s) => {
                types.push(bare(&s.ident));
                let fields = s.fields.iter().filter_map(|f| f.ident.as_ref()).map(bare);
                unique(&format!("{scope}::{}", s.ident), "field", fields, problems);
            }
            Item::Enum(e) => {
                types.push(bare(&e.ident));
                let variants = e.variants.iter().map(|v| bare(&v.ident));
                unique(&format!("{scope}::{}", e.ident), "variant", variants, problems);
            }
            Item::Mod(m) => {
                types.push(bare(&m.ident));
                if let Some((_, content)) = &m.content {
                    module_names(&format!("{scope}::{}", m.ident), content, methods, problems);
                }
            }
            Item::Type(t) => types.push(bare(&t.ident)),
            Item::Trait(t) => types.push(bare(&t.ident)),
            Item::Fn(f) => {
                values.push(bare(&f.sig.ident));
                parameters(scope, &f.sig, problems);
            }
            Item::Const(c) => values.push(bare(&c.ident)),
            Item::Static(s) => values.push(bare(&s.ident)),
            Item::Impl(block) => {
                let target = impl_target(scope, &block.self_ty);
                let mut own = HashSet::new();
                for inner in &block.items {
                    if let syn::ImplItem::Fn(f) = inner {
                        parameters(&target, &f.sig, problems);
                        let method = bare(&f.sig.ident);
                        // A type's inherent methods are one namespace across its impl blocks.
                        let seen =
                            if block.trait_.is_none() { methods.entry(target.clone()).or_default() } else { &mut own };
                        if !seen.insert(method.clone()) {
                            problems.push(format!("method `{method}` of `{target}` twice"));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    unique(scope, "type-namespace item", types, problems);
    unique(scope, "value-namespace item", values, problems);
}

// ---------------------------------------------------------------------------------------
// Names and texts

/// Names that need care in Rust: keywords, digits first, unicode, punctuation, empty, names
/// equal after case conversion, and names the generated code uses itself.
#[rustfmt::skip]
const TRICKY_NAMES: &[&str] = &[
    "type", "Type", "self", "Self", "crate", "super", "async", "await", "fn", "mod", "r#type", "_", "__", "2fa",
    "123", "0", "naïve", "日本", "ünïcode", "user_id", "UserId", "user-id", "userId", "USER_ID", "user id", "", " ",
    "x-rate-limit", "$ref", "a/b", "~", "a~1b", "{id}", "%20", "a.b", "String", "Option", "Result", "Box", "Vec",
    "Some", "None", "Ok", "Err", "Error", "Client", "Default", "client", "options", "send", "new", "validate", "body",
    "default", "Unknown", "UnknownValue", "unknown", "base_url", "builder", "fmt", "clone", "bearer_token", "build",
    "timeout", "null", "true", "1.5", "-", "emoji😀", "a\"b", "a\\b", "*/", "#", "`", "types", "api", "cli", "runtime",
    "main", "lib", "Api", "TypeApi", "Body", "Response", "Item", "Value", "std", "serde", "serde_json", "core",
    "alloc", "reqwest", "Serialize", "Deserialize", "API", "Command", "Args", "Cli", "help", "version", "domain",
    "token", "h", "V", "run", "usage", "finish", "globals", "command",
];

fn name() -> BoxedStrategy<String> {
    prop_oneof![
        6 => select(TRICKY_NAMES).prop_map(str::to_owned),
        3 => "[a-zA-Z_][a-zA-Z0-9_]{0,8}",
        1 => "[a-zA-Z0-9_ .$/~{}#-]{0,6}",
        1 => "\\PC{0,6}",
    ]
    .boxed()
}

/// Texts that end up in doc comments and string literals.
const TRICKY_TEXTS: &[&str] = &[
    "*/ /* */",
    "\"quoted\" and \\backslash\\",
    "`code` and ```\nfenced\n```",
    "line one\nline two\r\nline three\n",
    "[a link](https://example.com) <b>html</b> </code>",
    "#[doc = \"x\"] //! inner",
    "\"#  r#\" '\\''",
    "tab\tand nul\u{0}and bell\u{7}",
    "\u{feff}\u{202e}bidi",
    "ends with a backslash \\",
];

fn text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(TRICKY_TEXTS).prop_map(str::to_owned),
        2 => "\\PC{0,20}",
        1 => any::<String>(),
    ]
    .boxed()
}

/// Any JSON value, small: for `default`, `example`, `const` and extensions.
fn json_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        name().prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..3).prop_map(Value::Array),
            vec((name(), inner), 0..3).prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
    .boxed()
}

/// `name` escaped for a JSON pointer.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

// ---------------------------------------------------------------------------------------
// Schemas

/// What every strategy of one document shares: its version, its component names, and
/// whether it is wild: a wild document also has constructs the generator rejects (unknown
/// types, dangling `$ref`s, cookie parameters, ...), so that most documents are not.
#[derive(Debug, Clone)]
struct Doc {
    v31: bool,
    wild: bool,
    schemas: Arc<Vec<String>>,
}

impl Doc {
    fn type_keyword(&self, map: &mut Map<String, Value>, ty: &str, nullable: bool) {
        if nullable && self.v31 {
            map.insert("type".into(), json!([ty, "null"]));
        } else {
            map.insert("type".into(), json!(ty));
            if nullable {
                map.insert("nullable".into(), json!(true));
            }
        }
    }

    /// A `$ref` to a component schema; now and then one that cannot be followed.
    fn reference(&self) -> BoxedStrategy<Value> {
        let schemas = self.schemas.clone();
        let valid = any::<Index>().prop_map(move |i| {
            let name = &schemas[i.index(schemas.len())];
            json!({"$ref": format!("#/components/schemas/{}", escape(name))})
        });
        if self.schemas.is_empty() {
            return Just(json!({"$ref": "#/components/schemas/Missing"})).boxed();
        }
        let valid = if self.v31 {
            // 3.1: a `$ref` may carry keywords that apply where it is used; `$defs` at the
            // top of the document (which `document` adds) may be referred to.
            let siblings = (valid, any::<u8>()).prop_map(|(mut reference, dice)| {
                if let Value::Object(map) = &mut reference {
                    match dice % 6 {
                        0 => drop(map.insert("description".into(), json!("Here, it means this."))),
                        1 => drop(map.insert("readOnly".into(), json!(true))),
                        2 => drop(map.insert("deprecated".into(), json!(true))),
                        3 => drop(map.insert("default".into(), json!("x"))),
                        _ => {}
                    }
                }
                reference
            });
            prop_oneof![8 => siblings, 1 => Just(json!({"$ref": "#/$defs/Shared"}))].boxed()
        } else {
            valid.boxed()
        };
        if !self.wild {
            return valid;
        }
        prop_oneof![
            30 => valid,
            1 => Just(json!({"$ref": "other.yaml#/A"})),
            1 => Just(json!({"$ref": "other.yaml#/Loop"})),
            1 => Just(json!({"$ref": "other.yaml#/Nothing"})),
            1 => Just(json!({"$ref": "#/components/schemas/Missing"})),
            1 => Just(json!({"$ref": "other.yaml#/components/schemas/X"})),
            1 => Just(json!({"$ref": "#/components/responses/X"})),
            1 => Just(json!({"$ref": "#/$defs/Inner"})),
            1 => Just(json!({"$ref": "#"})),
            // Local references to places other than components (made components or errors).
            1 => Just(json!({"$ref": "#/paths/~1a/get/responses/200/content/application~1json/schema"})),
            1 => Just(json!({"$ref": "#/components/schemas"})),
            1 => Just(json!({"$ref": "#/info/title"})),
        ]
        .boxed()
    }

    fn string_schema(&self) -> BoxedStrategy<Value> {
        const FORMATS: &[&str] =
            &["email", "date-time", "date", "uuid", "uri", "byte", "binary", "password", "hostname", "made-up"];
        let doc = self.clone();
        (
            any::<bool>(),
            prop::option::of(select(FORMATS)),
            prop::option::of((any::<Option<u16>>(), any::<Option<u16>>())),
            prop::option::weighted(0.4, vec(prop::option::weighted(0.9, name()), 0..5)),
            prop::option::weighted(0.1, name()),
            prop::option::weighted(0.1, "[a-z^$.*+?()\\[\\]{}|\\\\]{0,8}"),
        )
            .prop_map(move |(nullable, format, lengths, enumeration, constant, pattern)| {
                let mut map = Map::new();
                doc.type_keyword(&mut map, "string", nullable);
                if let Some(format) = format {
                    map.insert("format".into(), json!(format));
                }
                if let Some((min, max)) = lengths {
                    if let Some(min) = min {
                        map.insert("minLength".into(), json!(min));
                    }
                    if let Some(max) = max {
                        map.insert("maxLength".into(), json!(max));
                    }
                }
                if let Some(values) = enumeration {
                    map.insert(
                        "enum".into(),
                        values.into_iter().map(|v| v.map_or(Value::Null, Value::String)).collect(),
                    );
                }
                if let Some(constant) = constant {
                    // 3.1 spells a one-value enum `const`.
                    if doc.v31 {
                        map.insert("const".into(), json!(constant));
                    } else {
                        map.insert("enum".into(), json!([constant]));
                    }
                }
                if let Some(pattern) = pattern {
                    map.insert("pattern".into(), json!(pattern));
                }
                Value::Object(map)
            })
            .boxed()
    }

    fn integer_schema(&self) -> BoxedStrategy<Value> {
        const FORMATS: &[&str] =
            &["int32", "int64", "int8", "int16", "uint8", "uint16", "uint32", "uint64", "uint", "made-up"];
        let bound = prop_oneof![-3i64..3, any::<i64>()];
        let doc = self.clone();
        (
            any::<bool>(),
            prop::option::of(select(FORMATS)),
            prop::option::of(bound.clone()),
            prop::option::weighted(0.2, bound),
            any::<bool>(),
            prop::option::weighted(0.1, vec(any::<i64>(), 1..3)),
        )
            .prop_map(move |(nullable, format, minimum, maximum, exclusive, enumeration)| {
                let mut map = Map::new();
                doc.type_keyword(&mut map, "integer", nullable);
                if let Some(format) = format {
                    map.insert("format".into(), json!(format));
                }
                if let Some(minimum) = minimum {
                    if exclusive && doc.v31 {
                        map.insert("exclusiveMinimum".into(), json!(minimum));
                    } else {
                        map.insert("minimum".into(), json!(minimum));
                        if exclusive {
                            map.insert("exclusiveMinimum".into(), json!(true));
                        }
                    }
                }
                if let Some(maximum) = maximum {
                    map.insert("maximum".into(), json!(maximum));
                }
                if let Some(values) = enumeration {
                    map.insert("enum".into(), json!(values));
                }
                Value::Object(map)
            })
            .boxed()
    }

    fn number_schema(&self) -> BoxedStrategy<Value> {
        let doc = self.clone();
        (any::<bool>(), prop::option::of(select(&["float", "double", "decimal"][..])), prop::option::of(-1.5f64..1e9))
            .prop_map(move |(nullable, format, minimum)| {
                let mut map = Map::new();
                doc.type_keyword(&mut map, "number", nullable);
                if let Some(format) = format {
                    map.insert("format".into(), json!(format));
                }
                if let Some(minimum) = minimum {
                    map.insert("minimum".into(), json!(minimum));
                }
                Value::Object(map)
            })
            .boxed()
    }

    /// A schema without children.
    fn leaf_schema(&self) -> BoxedStrategy<Value> {
        let doc = self.clone();
        let boolean = any::<bool>().prop_map(move |nullable| {
            let mut map = Map::new();
            doc.type_keyword(&mut map, "boolean", nullable);
            Value::Object(map)
        });
        let mut options: Vec<(u32, BoxedStrategy<Value>)> = vec![
            (4, self.string_schema()),
            (3, self.integer_schema()),
            (1, self.number_schema()),
            (2, boolean.boxed()),
            (1, Just(json!({})).boxed()),
        ];
        if !self.schemas.is_empty() || self.wild {
            options.push((4, self.reference()));
        }
        if self.v31 {
            options.push((1, any::<bool>().prop_map(Value::Bool).boxed()));
            options.push((1, Just(json!({"type": ["string", "integer"]})).boxed()));
            options.push((
                1,
                Just(json!({"type": ["string", "integer", "null"], "maxLength": 3, "minimum": 0, "enum": ["a", 1]}))
                    .boxed(),
            ));
            options
                .push((1, Just(json!({"type": ["array", "object", "boolean"], "items": {"type": "string"}})).boxed()));
            options.push((1, Just(json!({"type": "string", "contentEncoding": "base64"})).boxed()));
        }
        if self.wild {
            options.push((1, Just(json!({"type": if self.v31 { "null" } else { "made-up" }})).boxed()));
        }
        Union::new_weighted(options).boxed()
    }

    /// Any schema, children included, with the annotations every schema may have.
    fn schema(&self) -> BoxedStrategy<Value> {
        let doc = self.clone();
        let tree = self.leaf_schema().prop_recursive(4, 24, 4, move |inner| {
            let doc = doc.clone();
            let array = (any::<bool>(), prop::option::weighted(0.9, inner.clone())).prop_map({
                let doc = doc.clone();
                move |(nullable, items)| {
                    let mut map = Map::new();
                    doc.type_keyword(&mut map, "array", nullable);
                    if let Some(items) = items {
                        map.insert("items".into(), items);
                    }
                    Value::Object(map)
                }
            });
            let additional = prop_oneof![
                4 => inner.clone(),
                1 => any::<bool>().prop_map(Value::Bool),
            ];
            let map = (any::<bool>(), additional.clone()).prop_map({
                let doc = doc.clone();
                move |(nullable, additional)| {
                    let mut map = Map::new();
                    doc.type_keyword(&mut map, "object", nullable);
                    map.insert("additionalProperties".into(), additional);
                    Value::Object(map)
                }
            });
            let object = (
                any::<bool>(),
                any::<bool>(),
                vec((name(), inner.clone()), 0..5),
                vec(any::<Index>(), 0..4),
                prop::option::weighted(0.1, name()),
                prop::option::weighted(0.2, additional),
            )
                .prop_map({
                    let doc = doc.clone();
                    move |(typed, nullable, properties, required, unknown_required, additional)| {
                        let mut map = Map::new();
                        if typed {
                            doc.type_keyword(&mut map, "object", nullable);
                        }
                        if !properties.is_empty() {
                            let mut required_names: Vec<Value> =
                                required.iter().map(|i| json!(properties[i.index(properties.len())].0)).collect();
                            required_names.extend(unknown_required.map(Value::String));
                            map.insert("properties".into(), Value::Object(properties.into_iter().collect()));
                            if !required_names.is_empty() {
                                map.insert("required".into(), Value::Array(required_names));
                            }
                        }
                        if let Some(additional) = additional {
                            map.insert("additionalProperties".into(), additional);
                        }
                        Value::Object(map)
                    }
                });
            let part = if doc.wild { inner.clone() } else { object.clone().boxed() };
            let combined = (
                select(&["allOf", "oneOf", "anyOf"][..]),
                vec(part, 1..4),
                prop::option::weighted(0.3, (name(), vec((name(), any::<Index>()), 0..3))),
                prop::option::weighted(0.1, (any::<bool>(), name())),
            )
                .prop_map({
                    let doc = doc.clone();
                    move |(keyword, parts, discriminator, extra)| {
                        let mut map = Map::new();
                        map.insert(keyword.into(), Value::Array(parts));
                        if let Some((property, mapping)) = discriminator {
                            let mut entry = Map::new();
                            entry.insert("propertyName".into(), json!(property));
                            if !mapping.is_empty() && !doc.schemas.is_empty() {
                                let mapping: Map<String, Value> = mapping
                                    .into_iter()
                                    .map(|(value, i)| {
                                        let target = &doc.schemas[i.index(doc.schemas.len())];
                                        (value, json!(format!("#/components/schemas/{}", escape(target))))
                                    })
                                    .collect();
                                entry.insert("mapping".into(), Value::Object(mapping));
                            }
                            map.insert("discriminator".into(), Value::Object(entry));
                        }
                        // The same schema may also say more: a type, or properties.
                        if let Some((typed, property)) = extra {
                            if typed {
                                doc.type_keyword(&mut map, "object", false);
                            }
                            map.insert("properties".into(), json!({ property: {"type": "string"} }));
                        }
                        Value::Object(map)
                    }
                });
            let not = inner.clone().prop_map(|inner| json!({ "not": inner }));
            let defs = (name(), inner.clone(), inner.clone()).prop_map(|(name, def, schema)| {
                // 3.1's `$defs` next to a schema: a component of its own (nothing refers to it).
                let mut schema = schema;
                if let Value::Object(map) = &mut schema {
                    map.insert("$defs".into(), json!({ name: def }));
                }
                schema
            });
            // 3.1's `prefixItems`: closed (a tuple), or open (any JSON, with a warning).
            let tuple = (vec(inner.clone(), 0..4), 0u8..4).prop_map(|(items, closing)| {
                let count = items.len();
                let mut map = Map::new();
                map.insert("type".into(), json!("array"));
                map.insert("prefixItems".into(), Value::Array(items));
                match closing {
                    0 => drop(map.insert("items".into(), json!(false))),
                    1 => drop(map.insert("maxItems".into(), json!(count))),
                    2 => drop(map.insert("unevaluatedItems".into(), json!(false))),
                    _ => {}
                }
                Value::Object(map)
            });
            // 3.1's `if`/`then`/`else`: left out, with a warning.
            let conditional = (inner.clone(), inner).prop_map(|(schema, condition)| {
                let mut schema = schema;
                if let Value::Object(map) = &mut schema {
                    map.insert("if".into(), condition);
                    map.insert("then".into(), json!({"required": ["a"]}));
                    map.insert("else".into(), json!(false));
                }
                schema
            });
            let mut options: Vec<(u32, BoxedStrategy<Value>)> = vec![
                (3, array.boxed()),
                (2, map.boxed()),
                (6, object.boxed()),
                (3, combined.boxed()),
                (1, not.boxed()),
                (1, defs.boxed()),
            ];
            if doc.v31 {
                options.push((2, tuple.boxed()));
                options.push((1, conditional.boxed()));
            }
            Union::new_weighted(options)
        });
        let doc = self.clone();
        (
            tree,
            prop::option::weighted(0.3, text()),
            prop::option::weighted(0.15, name()),
            prop::option::weighted(0.2, json_value()),
            prop::option::weighted(0.2, json_value()),
            any::<[bool; 3]>(),
            any::<u8>(),
        )
            .prop_map(move |(schema, description, title, default, example, flags, dice)| {
                let Value::Object(mut map) = schema else { return schema };
                if let Some(description) = description {
                    map.insert("description".into(), json!(description));
                }
                if let Some(title) = title {
                    map.insert("title".into(), json!(title));
                }
                if let Some(default) = default {
                    map.insert("default".into(), default);
                }
                if let Some(example) = example {
                    if doc.v31 {
                        map.insert("examples".into(), json!([example]));
                    } else {
                        map.insert("example".into(), example);
                    }
                }
                for (flag, keyword) in flags.into_iter().zip(["deprecated", "readOnly", "writeOnly"]) {
                    if flag && dice % 3 == 0 {
                        map.insert(keyword.into(), json!(true));
                    }
                }
                if dice == 7 {
                    map.insert("x-extension".into(), json!({"any": ["thing"]}));
                }
                Value::Object(map)
            })
            .boxed()
    }

    // -----------------------------------------------------------------------------------
    // Operations

    /// The schema of a parameter: mostly what parameters support, now and then anything.
    fn parameter_schema(&self) -> BoxedStrategy<Value> {
        let scalar = prop_oneof![
            3 => self.string_schema(),
            2 => self.integer_schema(),
            1 => self.number_schema(),
            1 => Just(json!({"type": "boolean"})),
        ];
        let doc = self.clone();
        let array = scalar.clone().prop_map(move |items| {
            let mut map = Map::new();
            doc.type_keyword(&mut map, "array", false);
            map.insert("items".into(), items);
            Value::Object(map)
        });
        if !self.wild {
            return prop_oneof![8 => scalar, 2 => array].boxed();
        }
        prop_oneof![
            8 => scalar,
            2 => array,
            1 => self.reference(),
            1 => self.schema(),
        ]
        .boxed()
    }

    fn parameter(&self, location: &'static str) -> BoxedStrategy<Value> {
        let doc = self.clone();
        (
            name(),
            self.parameter_schema(),
            any::<bool>(),
            prop::option::weighted(0.2, any::<bool>()),
            prop::option::weighted(0.2, text()),
            any::<u8>(),
        )
            .prop_map(move |(name, schema, required, explode, description, dice)| {
                let mut map = Map::new();
                map.insert("name".into(), json!(name));
                map.insert("in".into(), json!(location));
                if required || location == "path" {
                    map.insert("required".into(), json!(true));
                }
                if dice == 1 && doc.wild {
                    map.insert("content".into(), json!({"application/json": {"schema": schema}}));
                } else {
                    map.insert("schema".into(), schema);
                }
                if let Some(explode) = explode {
                    map.insert("explode".into(), json!(explode));
                }
                if let Some(description) = description {
                    map.insert("description".into(), json!(description));
                }
                if dice % 11 == 0 {
                    map.insert("deprecated".into(), json!(true));
                }
                Value::Object(map)
            })
            .boxed()
    }

    fn query_header_or_cookie(&self) -> BoxedStrategy<Value> {
        if !self.wild {
            return prop_oneof![
                12 => self.parameter("query"),
                6 => self.parameter("header"),
                1 => Just(json!({"$ref": "#/components/parameters/Shared"})),
            ]
            .boxed();
        }
        prop_oneof![
            12 => self.parameter("query"),
            6 => self.parameter("header"),
            1 => self.parameter("cookie"),
            1 => Just(json!({"$ref": "#/components/parameters/Shared"})),
        ]
        .boxed()
    }

    /// `content` of a body: one or two media types.
    fn content(&self) -> BoxedStrategy<Value> {
        const MEDIA_TYPES: &[&str] = &[
            "application/json",
            "application/json",
            "application/json; charset=utf-8",
            "application/vnd.api+json",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "text/plain",
            "text/csv",
            "application/octet-stream",
            "*/*",
        ];
        let media_type = if self.wild {
            prop_oneof![9 => select(MEDIA_TYPES), 1 => Just("image/png")].boxed()
        } else {
            select(MEDIA_TYPES).boxed()
        };
        vec((media_type, prop::option::weighted(0.9, self.schema())), 1..3)
            .prop_map(|media| {
                let content: Map<String, Value> = media
                    .into_iter()
                    .map(|(media_type, schema)| {
                        let media = match schema {
                            Some(schema) => json!({ "schema": schema }),
                            None => json!({}),
                        };
                        (media_type.to_owned(), media)
                    })
                    .collect();
                Value::Object(content)
            })
            .boxed()
    }

    fn request_body(&self) -> BoxedStrategy<Value> {
        let inline = (self.content(), any::<bool>(), prop::option::weighted(0.3, text())).prop_map(
            |(content, required, description)| {
                let mut map = Map::new();
                map.insert("content".into(), content);
                if required {
                    map.insert("required".into(), json!(true));
                }
                if let Some(description) = description {
                    map.insert("description".into(), json!(description));
                }
                Value::Object(map)
            },
        );
        prop_oneof![
            9 => inline,
            1 => Just(json!({"$ref": "#/components/requestBodies/Shared"})),
        ]
        .boxed()
    }

    fn responses(&self) -> BoxedStrategy<Value> {
        // Two success responses with different bodies are rejected: only wild documents have several.
        const SUCCESS: &[&str] = &["200", "200", "201", "204", "2XX"];
        const OTHER: &[&str] = &["default", "4XX", "404", "500", "302", "100"];
        let response = (text(), prop::option::weighted(0.7, self.content()), any::<u8>()).prop_map(
            |(description, content, dice)| {
                if dice == 0 {
                    return json!({"$ref": "#/components/responses/Shared"});
                }
                let mut map = Map::new();
                map.insert("description".into(), json!(description));
                if let Some(content) = content {
                    map.insert("content".into(), content);
                }
                Value::Object(map)
            },
        );
        let successes = if self.wild { 0..3 } else { 0..2 };
        (vec((select(SUCCESS), response.clone()), successes), vec((select(OTHER), response), 0..3))
            .prop_map(|(successes, others)| {
                Value::Object(successes.into_iter().chain(others).map(|(s, r)| (s.to_owned(), r)).collect())
            })
            .boxed()
    }

    /// One operation: its path template (path parameters declared to match), method and body.
    fn operation(&self) -> BoxedStrategy<(String, &'static str, Value)> {
        const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];
        // Braces and slashes in a segment's name make a path the generator rejects.
        let wild = self.wild;
        let segment_name = name().prop_map(move |n| if wild { n } else { n.replace(['{', '}', '/'], "") });
        let segment = prop_oneof![
            3 => segment_name.clone().prop_map(|n| (false, n)),
            2 => segment_name.prop_map(|n| (true, n)),
        ];
        let doc = self.clone();
        (
            vec(segment, 0..4),
            select(METHODS),
            prop::option::weighted(0.7, name()),
            prop::option::weighted(0.6, name()),
            vec(self.query_header_or_cookie(), 0..4),
            vec(self.parameter_schema(), 4),
            prop::option::weighted(0.5, self.request_body()),
            self.responses(),
            (prop::option::weighted(0.2, text()), prop::option::weighted(0.2, text()), any::<u8>()),
        )
            .prop_map(move |(segments, method, operation_id, tag, params, path_schemas, body, responses, extra)| {
                let (summary, description, dice) = extra;
                let mut path = String::new();
                let mut parameters = Vec::new();
                for (i, (is_param, name)) in segments.iter().enumerate() {
                    path.push('/');
                    if *is_param {
                        path.push_str(&format!("{{{name}}}"));
                        let schema = path_schemas[i % path_schemas.len()].clone();
                        parameters.push(json!({"name": name, "in": "path", "required": true, "schema": schema}));
                    } else {
                        path.push_str(name);
                    }
                }
                if path.is_empty() {
                    path.push('/');
                }
                // Now and then a path parameter that the path does not use.
                if dice == 3 && doc.wild {
                    parameters
                        .push(json!({"name": "orphan", "in": "path", "required": true, "schema": {"type": "string"}}));
                }
                parameters.extend(params);
                let mut op = Map::new();
                if let Some(id) = operation_id {
                    op.insert("operationId".into(), json!(id));
                }
                if let Some(tag) = tag {
                    op.insert("tags".into(), json!([tag]));
                }
                if let Some(summary) = summary {
                    op.insert("summary".into(), json!(summary));
                }
                if let Some(description) = description {
                    op.insert("description".into(), json!(description));
                }
                if !parameters.is_empty() {
                    op.insert("parameters".into(), Value::Array(parameters));
                }
                if let Some(body) = body {
                    op.insert("requestBody".into(), body);
                }
                op.insert("responses".into(), responses);
                if dice % 5 == 0 {
                    op.insert("security".into(), json!([{"bearer": []}]));
                }
                if dice % 13 == 0 {
                    op.insert("deprecated".into(), json!(true));
                }
                if doc.v31 && dice % 17 == 0 {
                    op.insert("callbacks".into(), json!({}));
                }
                (path, method, Value::Object(op))
            })
            .boxed()
    }
}

/// Shared components that `$ref`s of parameters, bodies and responses point at.
fn shared_components(doc: &Doc) -> BoxedStrategy<Value> {
    let wild = doc.wild;
    (doc.parameter("query"), doc.request_body(), doc.content(), any::<u8>())
        .prop_map(move |(parameter, body, content, dice)| {
            let mut components = Map::new();
            // In a wild document the `$ref`s to them may dangle.
            if !wild || dice % 2 != 0 {
                components.insert("parameters".into(), json!({ "Shared": parameter }));
                components.insert("requestBodies".into(), json!({ "Shared": body }));
                components
                    .insert("responses".into(), json!({ "Shared": {"description": "shared", "content": content} }));
            }
            Value::Object(components)
        })
        .boxed()
}

fn security_schemes() -> BoxedStrategy<Value> {
    // Unsupported schemes are warnings, not errors: every document may have them.
    prop_oneof![
        Just(json!({})),
        Just(json!({"bearer": {"type": "http", "scheme": "bearer"}})),
        Just(json!({"bearer": {"type": "oauth2", "flows": {"clientCredentials": {
            "tokenUrl": "https://example.com/oauth/token", "scopes": {"read": "read"}}}}})),
        Just(json!({"bearer": {"type": "apiKey", "name": "key", "in": "header"}})),
        Just(json!({"bearer": {"type": "apiKey", "name": "key", "in": "query"}})),
        Just(json!({"bearer": {"type": "http", "scheme": "basic"}, "key": {"type": "apiKey", "name": "k", "in": "cookie"}})),
        Just(json!({"bearer": {"type": "http", "scheme": "digest"}})),
        Just(json!({"bearer": {"$ref": "#/components/securitySchemes/other"}})),
    ]
    .boxed()
}

fn servers(wild: bool) -> BoxedStrategy<Value> {
    if !wild {
        return prop_oneof![
            Just(json!([])),
            Just(json!([{"url": "https://api.example.com/v1"}])),
            Just(json!([{"url": "/relative"}])),
            name().prop_map(|variable| json!([{
                "url": format!("https://{{{variable}}}.example.com/{{{variable}}}"),
                "variables": { variable: {"default": "tenant", "description": "The tenant."} }
            }])),
        ]
        .boxed();
    }
    prop_oneof![
        Just(json!([])),
        Just(json!([{"url": "https://api.example.com/v1"}])),
        Just(json!([{"url": "/relative"}])),
        name().prop_map(|variable| json!([{
            "url": format!("https://{{{variable}}}.example.com/{{{variable}}}"),
            "variables": { variable: {"default": "tenant", "description": "The tenant."} }
        }])),
        Just(json!([{"url": "https://{tenant.example.com"}])),
        Just(json!([{"url": "https://{undeclared}.example.com"}])),
    ]
    .boxed()
}

/// A structurally valid OpenAPI document (3.0.3 or 3.1.0) as a tree.
fn document() -> impl Strategy<Value = Value> {
    (any::<bool>(), prop::bool::weighted(0.25), vec(name(), 0..6))
        .prop_flat_map(|(v31, wild, schema_names)| {
            let doc = Doc { v31, wild, schemas: Arc::new(schema_names) };
            (
                Just(doc.clone()),
                vec(doc.schema(), doc.schemas.len()),
                vec(doc.operation(), 0..5),
                shared_components(&doc),
                security_schemes(),
                servers(doc.wild),
                (name(), prop::option::weighted(0.3, text()), vec((name(), text()), 0..2), any::<bool>()),
                prop::bool::weighted(0.2),
            )
        })
        .prop_map(|(doc, schemas, operations, shared, security, servers, (title, description, tags, global), copy)| {
            let mut components = match shared {
                Value::Object(map) => map,
                _ => Map::new(),
            };
            let schemas: Map<String, Value> = doc.schemas.iter().cloned().zip(schemas).collect();
            components.insert("schemas".into(), Value::Object(schemas));
            components.insert("securitySchemes".into(), security);
            let mut paths = Map::new();
            for (path, method, operation) in operations {
                let item = paths.entry(path).or_insert_with(|| json!({}));
                if let Value::Object(item) = item {
                    item.insert(method.to_owned(), operation);
                }
            }
            // A path item given by `$ref` to another path's item (copied, operationIds dropped).
            if let Some(first) = paths.keys().next().filter(|_| copy).cloned() {
                let reference = format!("#/paths/{}", first.replace('~', "~0").replace('/', "~1"));
                paths.insert("/copy".into(), json!({"$ref": reference, "summary": "A copy."}));
            }
            let mut document = json!({
                "openapi": if doc.v31 { "3.1.0" } else { "3.0.3" },
                "info": {"title": title, "version": "1.0.0"},
                "servers": servers,
                "paths": paths,
                "components": components,
            });
            if let Some(description) = description {
                document["info"]["description"] = json!(description);
            }
            if !tags.is_empty() {
                document["tags"] = tags
                    .into_iter()
                    .map(|(name, description)| json!({"name": name, "description": description}))
                    .collect();
            }
            if global {
                document["security"] = json!([{"bearer": []}]);
            }
            if doc.v31 {
                document["$defs"] = json!({"Shared": {"type": "object", "properties": {"n": {"type": "integer"}}}});
                document["webhooks"] = json!({"ping": {"post": {"responses": {"200": {"description": "ok"}}}}});
            }
            document
        })
}

/// A document as JSON or as YAML text.
fn document_text() -> impl Strategy<Value = String> {
    (document(), any::<bool>()).prop_map(|(document, yaml)| to_text(&document, yaml))
}

fn to_text(document: &Value, yaml: bool) -> String {
    if yaml {
        serde_yaml::to_string(document).unwrap_or_default()
    } else {
        serde_json::to_string_pretty(document).unwrap_or_default()
    }
}

// ---------------------------------------------------------------------------------------
// Arbitrary text

/// A valid document with a few random edits: a cut, an insertion, a repeated slice.
fn edited_document() -> impl Strategy<Value = String> {
    const INSERTS: &[&str] = &[
        "{", "}", "[", "]", ":", ",", "\"", "'", "\n", "  ", "- ", "&a", "*a", "!!", "~", "#", "null", "$ref", "\u{0}",
        "é",
    ];
    (document_text(), vec((any::<Index>(), any::<Index>(), select(INSERTS), 0u8..3), 1..4)).prop_map(|(text, edits)| {
        let mut chars: Vec<char> = text.chars().collect();
        for (at, len, insert, kind) in edits {
            if chars.is_empty() {
                break;
            }
            let at = at.index(chars.len());
            let end = (at + len.index(16)).min(chars.len());
            match kind {
                0 => {
                    chars.drain(at..end);
                }
                1 => {
                    chars.splice(at..at, insert.chars());
                }
                _ => {
                    let slice: Vec<char> = chars[at..end].to_vec();
                    chars.splice(at..at, slice);
                }
            }
        }
        chars.into_iter().collect()
    })
}

fn any_text() -> impl Strategy<Value = String> {
    let prefix = select(&["", "openapi: 3.0.3\n", "openapi: 3.1.0\n", "{\"openapi\": \"3.1.0\", ", "---\n"][..]);
    prop_oneof![
        vec(any::<u8>(), 0..256).prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        any::<String>(),
        (prefix, "[ \\n\\t{}\\[\\]:,\"'#&*!|>%@`a-z0-9$/~.-]{0,200}").prop_map(|(p, rest)| format!("{p}{rest}")),
        edited_document(),
    ]
}

// ---------------------------------------------------------------------------------------
// The properties

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), max_shrink_iters: 4096, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_ok_or_err(text in any_text()) {
        // Any outcome but a panic; an internal error is a bug, as below.
        if let Err(error) = generate(&text) {
            prop_assert!(error.kind != ErrorKind::Internal, "generator bug: {error}\n--- spec ---\n{text}");
        }
    }

    #[test]
    fn valid_documents_generate_rust(text in document_text()) {
        check_generates_rust(&text)?;
    }
}

/// The document strategy must mostly make specs the generator accepts, or the syn and
/// determinism checks above would rarely run: a fixed sample, at least a quarter `Ok`.
#[test]
fn most_generated_documents_are_accepted() {
    let mut runner =
        TestRunner::new_with_rng(ProptestConfig::default(), TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let strategy = document_text();
    let total = 40;
    let mut ok = 0;
    let mut errors = Vec::new();
    for _ in 0..total {
        let text = strategy.new_tree(&mut runner).expect("a document").current();
        match generate(&text) {
            Ok(_) => ok += 1,
            Err(error) => errors.push(error.message),
        }
    }
    assert!(ok * 4 >= total, "only {ok} of {total} generated documents were accepted; errors: {errors:#?}");
}

/// Parsing with syn does not find what only the compiler does (a parameter named `request`
/// shadowing the builder's local): this writes crates for `cargo xtask test` to build with
/// clippy (step 3), into `target/tmp/compile-sample/`: the first [`SAMPLE_CRATES`] documents
/// of the fixed sample above that generate, and every seed of the fuzz target's corpus
/// (`fuzz/corpus/generate/`) that generates.
#[test]
fn a_sample_is_written_for_the_compiler() {
    const SAMPLE_CRATES: usize = 6;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("compile-sample");
    let _ = std::fs::remove_dir_all(&dir);
    // Every other crate of the sample with every extra derive, so that the compiler checks
    // the derive decisions (`resolve/derives.rs`) on documents nobody wrote by hand.
    let write = |name: &str, text: &str, derives: bool| -> bool {
        let derives = match derives {
            true => ["Eq", "Hash", "PartialOrd", "Ord", "schemars::JsonSchema"].map(str::to_owned).to_vec(),
            false => Vec::new(),
        };
        let config = Config { crate_name: name.to_owned(), typed_formats: !derives.is_empty(), derives, ..config() };
        let Ok(output) = generator::generate(Spec::new("spec/prop.yaml", text).with_loader(&other_file), &config)
        else {
            return false;
        };
        for (path, content) in &output.files {
            let path = dir.join(name).join(path);
            std::fs::create_dir_all(path.parent().expect("a file in a folder")).expect("a folder");
            std::fs::write(&path, content).expect("written");
        }
        true
    };
    let mut runner =
        TestRunner::new_with_rng(ProptestConfig::default(), TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let strategy = document_text();
    let mut written = 0;
    for _ in 0..100 {
        let text = strategy.new_tree(&mut runner).expect("a document").current();
        if written < SAMPLE_CRATES && write(&format!("property-sample-{written}"), &text, written % 2 == 1) {
            written += 1;
        }
    }
    assert_eq!(written, SAMPLE_CRATES, "too few documents of the sample generate");
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/generate");
    let mut seeds: Vec<_> = std::fs::read_dir(&seeds).expect("the fuzz corpus").flatten().map(|e| e.path()).collect();
    seeds.sort();
    let mut fuzz_written = 0;
    for seed in &seeds {
        let stem = seed.file_stem().map(|s| s.to_string_lossy().replace('_', "-")).unwrap_or_default();
        let text = std::fs::read_to_string(seed).expect("a seed");
        fuzz_written += usize::from(write(&format!("fuzz-{stem}"), &text, fuzz_written % 2 == 1));
    }
    assert!(fuzz_written * 2 >= seeds.len(), "only {fuzz_written} of {} fuzz seeds generate", seeds.len());
}

// ---------------------------------------------------------------------------------------
// What the properties found, each as the smallest spec that showed it

/// Every `.rs` file of `text`'s output parses; the output.
fn generates_rust(text: &str) -> generator::Output {
    let output = generate(text).unwrap_or_else(|error| panic!("{error}"));
    for (path, code) in output.files.iter().filter(|(path, _)| path.ends_with(".rs")) {
        if let Err(error) = syn::parse_file(code) {
            panic!("{path} does not parse: {error}\n{code}");
        }
    }
    output
}

/// A tag named by a keyword: its module was `type`, which is not an identifier.
#[test]
fn keyword_tag_gets_a_plain_module_name() {
    let output = generates_rust(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      tags: [Type]\n      responses: {'204': {description: ok}}\n",
    );
    assert!(output.files.contains_key("src/api/type_.rs"), "{:?}", output.files.keys());
    assert!(output.files["src/api/mod.rs"].contains("pub mod type_;"));
}

/// An inline `allOf` that includes the component it is in: defining its struct took the
/// same path again and again, until the stack overflowed. It is now a recursive struct.
#[test]
fn inline_all_of_of_its_own_component_is_a_recursive_struct() {
    let output = generates_rust(
        "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        n:
          allOf:
          - $ref: '#/components/schemas/A'
          - {}
",
    );
    let types = &output.files["src/types.rs"];
    assert!(types.contains("pub n: Option<Box<AN>>"), "{types}");
}

/// An operation whose builder took the name of its tag's struct (tag `users`, operation
/// `users api`: both `UsersApi` in `api/users.rs`), which does not compile.
#[test]
fn builder_does_not_take_the_name_of_its_tag_struct() {
    let output = generates_rust(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: users api\n      tags: [users]\n      responses: {'204': {description: ok}}\n",
    );
    assert_eq!(duplicate_names(&output), Vec::<String>::new());
    let module = &output.files["src/api/users.rs"];
    assert!(module.contains("pub struct UsersApi<") && module.contains("pub struct UsersApi2<"), "{module}");
}

/// A server variable named `command` became a global flag field `command`, next to the
/// `Cli` struct's subcommand field of that name.
#[test]
fn server_variable_command_does_not_take_the_subcommand_field() {
    let output = generates_rust(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers:\n- url: 'https://{command}.example.com'\n  variables: {command: {default: x}}\npaths:\n  /a:\n    get:\n      operationId: get_a\n      responses: {'204': {description: ok}}\n",
    );
    assert_eq!(duplicate_names(&output), Vec::<String>::new());
    assert!(output.files["src/cli.rs"].contains("command_2: Option<String>"), "{}", output.files["src/cli.rs"]);
}

/// Inputs that are costly rather than wrong: YAML aliases that expand a billion times, and
/// nesting as deep as the parsers allow. Each is an answer (here, an error or a crate), soon.
#[test]
fn costly_inputs_are_answered() {
    let mut laughs = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let mut previous = 'a';
    for name in 'b'..='j' {
        let alias = format!("*{previous}");
        laughs.push_str(&format!("x-{name}: &{name} [{}]\n", vec![alias; 9].join(", ")));
        previous = name;
    }
    let started = std::time::Instant::now();
    let error = generate(&laughs).expect_err("a billion laughs");
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "took {:?}", started.elapsed());
    assert!(error.message.contains("not valid YAML"), "{error}");

    // (libyaml scans all of a flow collection before serde_yaml's depth limit stops it, in
    // quadratic time: 100,000 `[` after a key take 14 s in a release build, so 10,000 here.)
    assert!(generate(&"[".repeat(10_000)).is_err());
    assert!(generate(&format!("openapi: 3.0.3\nx: {}", "[".repeat(10_000))).is_err());
    assert!(generate(&format!("{{\"openapi\": {}", "[".repeat(100_000))).is_err());

    // Schemas nested deep: up to 32 levels a crate, deeper an error (a `Vec<Vec<...>>` 60 deep
    // overflowed the stack of a debug build), and a document deeper than 48 levels an error
    // before it is deserialized (a schema 70 deep overflowed there). On a test thread's stack.
    let nested = |depth: usize| {
        let schema = format!(
            "{}{{\"type\": \"string\"}}{}",
            "{\"type\": \"array\", \"items\": ".repeat(depth),
            "}".repeat(depth)
        );
        format!(
            "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"Deep\": {{\"type\": \"object\", \"properties\": {{\"deep\": {schema}}}}}}}}}}}"
        )
    };
    let output = generates_rust(&nested(30));
    assert!(output.files["src/types.rs"].matches("Vec<").count() >= 30);
    let error = generate(&nested(40)).expect_err("nested 40 deep");
    assert!(error.message.contains("more than 32 levels"), "{error}");
    let error = generate(&nested(120)).expect_err("nested 120 deep");
    assert!(error.message.contains("more than 48 levels"), "{error}");
    assert!(error.pointer.starts_with("#/components/schemas/Deep/properties/deep/items/items/"), "{error}");

    // A chain of `$ref`s between arrays nests without any depth in the document.
    let mut chain =
        String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n");
    for i in 0..200 {
        chain.push_str(&format!("    L{i}: {{type: array, items: {{$ref: '#/components/schemas/L{}'}}}}\n", i + 1));
    }
    chain.push_str("    L200: {type: string}\n");
    let error = generate(&chain).expect_err("a chain of 200 arrays");
    assert!(error.message.contains("more than 32 levels"), "{error}");
}

/// An `allOf` that names itself twice beside an array: deciding whether its parts are
/// objects followed each reference again at every level, 2^32 times (the run never ended).
/// It is the array; the parts that repeat it add nothing.
#[test]
fn all_of_that_includes_itself_twice_is_decided_once() {
    let output = generates_rust(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Send:\n      allOf:\n      - {type: array, items: {type: string}}\n      - $ref: '#/components/schemas/Send'\n      - $ref: '#/components/schemas/Send'\n    Holder:\n      type: object\n      properties:\n        send: {$ref: '#/components/schemas/Send'}\n",
    );
    let types = &output.files["src/types.rs"];
    assert!(types.contains("pub send: Option<Vec<String>>,"), "{types}");
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
}
