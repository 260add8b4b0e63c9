//! Stage 3: [`Model`] to the crate's files, as token streams (Rust) or text (the manifest).
//!
//! `emit` never looks at the spec and never makes a name: both were settled by `resolve`.
//! Each submodule writes one part of the crate: [`types`] the schemas, [`groups`] the
//! modules of `src/api/` with [`operations`]' methods and request builders (and [`paging`]'s
//! page walks for lists), [`cli`] the
//! command-line tool, [`crate_root`] `lib.rs`, [`manifest`] `Cargo.toml`, [`readme`] `README.md`; [`docs`] makes
//! doc comments for all of them, [`derives`] the extra derives of types.

mod cli;
mod crate_root;
mod derives;
mod docs;
mod groups;
mod manifest;
mod operations;
mod paging;
mod readme;
mod types;

use std::collections::BTreeSet;
use std::ops::Range;

use proc_macro2::{Ident, Spacing, Span, TokenStream, TokenTree};
use quote::quote;

use crate::model::{Compiled, FloatType, IntegerType, Model, StringFormat, TypeId, TypeKind, TypeRef};
use crate::{Config, Layout};

/// One file of the generated crate, before formatting.
pub(crate) struct File {
    /// Relative to the crate root, with `/`.
    pub(crate) path: String,
    pub(crate) content: Content,
}

pub(crate) enum Content {
    /// Rust code, formatted by the next stage.
    Rust(TokenStream),
    /// A part of a Rust file that is emitted in parts ([`Part::Types`], [`Part::Cli`] and
    /// [`Part::Commands`]): the parts are formatted apart and joined in the order of their
    /// parts.
    RustPart(TokenStream),
    /// `Cargo.toml`.
    Toml(String),
    /// A runtime file, copied unchanged.
    Runtime(std::borrow::Cow<'static, str>),
    /// `API.md`.
    Markdown(String),
}

/// A part of the crate that can be emitted on its own (and so on a thread of its own).
///
/// A big spec's code is emitted in many parts of about the same size, so that each part's
/// tokens are formatted and freed soon after they are made: Microsoft Graph's 11,000
/// operations held as the tokens of two parts took 600 MB, and memory first touched is
/// slow to get on a VM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    /// `Cargo.toml`, `README.md` and `src/lib.rs`.
    Root,
    /// A part of `src/types.rs`: the types of these indexes of [`Model::types`]. The parts
    /// are joined in order; the first writes the module's doc.
    Types(Range<usize>),
    /// `API.md`.
    Summary,
    /// `src/api/mod.rs`: the top-level groups' modules and accessors, and the operations
    /// outside any group.
    Api,
    /// The modules of the groups of these indexes of [`Model::groups`], in `src/api/`, a
    /// file each.
    Groups(Range<usize>),
    /// The head of `src/cli.rs` (the tool's flags, its subcommand enums and `run`), and
    /// the tool's `main` (nothing for an API without operations).
    Cli,
    /// A part of `src/cli.rs` after its head: the flags and the function of the commands
    /// of these indexes of [`crate::model::Cli::commands`].
    Commands(Range<usize>),
    /// The runtime's files, copied.
    Runtime,
}

impl Part {
    /// About how many types, or operations, or commands, a part holds.
    const SIZE: usize = 400;

    /// Every part of `model`'s crate: together, every file of the crate. A file made of
    /// several parts gets them in this order.
    pub(crate) fn all(model: &Model) -> Vec<Part> {
        let mut parts = Vec::new();
        parts.extend(spans(model.types.iter().map(|_| 1)).map(Part::Types));
        parts.push(Part::Api);
        let group_sizes =
            model.groups.iter().map(|group| if group.name.is_some() { group.operations.len() + 1 } else { 0 });
        parts.extend(spans(group_sizes).map(Part::Groups));
        parts.push(Part::Cli);
        parts.extend(spans(model.cli.commands.iter().map(|_| 1)).map(Part::Commands));
        parts.extend([Part::Root, Part::Summary, Part::Runtime]);
        parts
    }
}

/// Consecutive ranges of indexes whose `sizes` add up to about [`Part::SIZE`] each (the
/// last may be smaller); the first starts at 0 and each starts where the one before ends.
/// At least one, empty when there are no indexes: a file made of parts has one anyway.
fn spans(sizes: impl Iterator<Item = usize>) -> impl Iterator<Item = Range<usize>> {
    let mut spans = Vec::new();
    let (mut start, mut size, mut len) = (0, 0, 0);
    for (index, item) in sizes.enumerate() {
        size += item;
        len = index + 1;
        if size >= Part::SIZE {
            spans.push(start..len);
            (start, size) = (len, 0);
        }
    }
    if start < len || spans.is_empty() {
        spans.push(start..len);
    }
    spans.into_iter()
}

/// The files of one part of the crate.
pub(crate) fn emit_part(cx: &Emitter<'_>, config: &Config, part: Part) -> Vec<File> {
    let model = cx.model;
    let package = config.layout == Layout::Package;
    let cli = package && config.cli && has_cli(model);
    match part {
        Part::Root if !package => vec![File {
            path: "src/lib.rs".into(),
            content: Content::Rust(crate_root::included_lib_rs(cx, config.telemetry_header.as_deref())),
        }],
        Part::Root => vec![
            File { path: "Cargo.toml".into(), content: Content::Toml(manifest::manifest(model, config, cli)) },
            File { path: "README.md".into(), content: Content::Markdown(readme::readme(model, config, cli)) },
            File {
                path: "src/lib.rs".into(),
                content: Content::Rust(crate_root::lib_rs(cx, config.telemetry_header.as_deref(), cli)),
            },
        ]
        .into_iter()
        .chain(
            crate_root::lists_example(model, &config.crate_name)
                .map(|example| File { path: "examples/lists.rs".into(), content: Content::Rust(example) }),
        )
        .chain(
            crate_root::events_example(model, &config.crate_name)
                .map(|example| File { path: "examples/events.rs".into(), content: Content::Rust(example) }),
        )
        .collect(),
        Part::Types(range) => {
            vec![File { path: "src/types.rs".into(), content: Content::RustPart(types::types_rs(cx, range)) }]
        }
        Part::Summary if package => vec![File {
            path: "API.md".into(),
            content: Content::Markdown(crate::api_summary::api_md(model, &config.crate_name)),
        }],
        Part::Summary => Vec::new(),
        Part::Api => vec![groups::api_mod_rs(cx)],
        Part::Groups(range) => groups::group_files(cx, range),
        Part::Cli if cli => cli::files(cx, config),
        Part::Commands(range) if cli => {
            vec![File { path: "src/cli.rs".into(), content: Content::RustPart(cli::commands(cx, range)) }]
        }
        Part::Cli | Part::Commands(_) => Vec::new(),
        Part::Runtime => crate::runtime::files(config.layout, package && config.cli)
            .map(|(path, text)| File { path: path.to_owned(), content: Content::Runtime(text) })
            .collect(),
    }
}

/// Whether the crate gets a command-line tool: only an API with operations has one.
fn has_cli(model: &Model) -> bool {
    !model.cli.commands.is_empty()
}

/// What every part of `emit` needs to know about the model.
pub(crate) struct Emitter<'m> {
    model: &'m Model,
    /// Structs (and unions of structs) sent as `multipart/form-data` bodies: they write
    /// their own parts.
    multipart: BTreeSet<TypeId>,
}

/// Where a type is written, which decides how it is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Inside the `types` module: `User`.
    Types,
    /// In a module that imports the module (see [`types_import`]): `types::User`. No other
    /// type or module there is called `types`: the types emit writes are UpperCamelCase, and
    /// resolve keeps the operations' tag modules off the name. (A function or variable
    /// `types` is no clash: the first segment of a path is never looked up among values.)
    ImportedTypes,
    /// Anywhere else: `crate::types::User`. For a file emitted in parts, none of which
    /// knows whether another names a type.
    Crate,
}

/// `use crate::types;` when `code` names a type as `types::...` (written for
/// [`Place::ImportedTypes`]), so that a module without such a path has no unused import.
fn types_import(code: &TokenStream) -> Option<TokenStream> {
    names_types_module(code).then(|| quote! { use crate::types; })
}

/// Whether `code` holds a path that starts with `types::`.
fn names_types_module(code: &TokenStream) -> bool {
    let trees: Vec<TokenTree> = code.clone().into_iter().collect();
    trees.iter().enumerate().any(|(i, tree)| match tree {
        TokenTree::Group(group) => names_types_module(&group.stream()),
        TokenTree::Ident(name) => {
            // `::` is two `:` tokens, the first joined to the second.
            let after_separator = i >= 2 && is_colon(trees.get(i - 2), Spacing::Joint);
            name == "types" && !after_separator && is_colon(trees.get(i + 1), Spacing::Joint)
        }
        _ => false,
    })
}

fn is_colon(tree: Option<&TokenTree>, spacing: Spacing) -> bool {
    matches!(tree, Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == spacing)
}

impl<'m> Emitter<'m> {
    pub(crate) fn new(model: &'m Model) -> Self {
        let mut multipart: BTreeSet<TypeId> = model
            .groups
            .iter()
            .flat_map(|g| &g.operations)
            .filter_map(|op| match op.body.as_ref().map(|b| &b.kind) {
                Some(crate::model::BodyKind::Multipart(TypeRef::Named(id))) => Some(*id),
                _ => None,
            })
            .collect();
        // A union sent as multipart writes the parts of its variant: its structs write theirs.
        let variants: Vec<TypeId> = multipart
            .iter()
            .filter_map(|id| match &model.type_def(*id).kind {
                TypeKind::Union(union) => Some(union.variants.iter().filter_map(|v| match v.ty {
                    TypeRef::Named(variant) => Some(variant),
                    _ => None,
                })),
                _ => None,
            })
            .flatten()
            .collect();
        multipart.extend(variants);
        Self { model, multipart }
    }

    /// Whether values of `ty` are written as one piece of text (`Display`): scalars and
    /// string enums.
    fn is_text(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String | TypeRef::Bool | TypeRef::Integer(_) | TypeRef::Float(_) => true,
            TypeRef::Named(id) => matches!(self.model.type_def(*id).kind, TypeKind::Enum { .. }),
            TypeRef::Vec(_)
            | TypeRef::Tuple(_)
            | TypeRef::Map(_)
            | TypeRef::Nullable(_)
            | TypeRef::Json
            | TypeRef::File
            // The user's type: written through serde, as its `Serialize` says.
            | TypeRef::Replaced(_)
            // Written through serde, in the spec's format (`Display` of a date-time is not RFC 3339).
            | TypeRef::Formatted(_) => false,
        }
    }

    fn validates(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(id) => self.model.type_def(*id).validates,
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => self.validates(inner),
            _ => false,
        }
    }

    fn type_tokens(&self, ty: &TypeRef, place: Place) -> TokenStream {
        match ty {
            TypeRef::Named(id) => {
                let name = ident(&self.model.type_def(*id).name);
                match place {
                    Place::Types => quote!(#name),
                    Place::ImportedTypes => quote!(types::#name),
                    Place::Crate => quote!(crate::types::#name),
                }
            }
            TypeRef::String => quote!(String),
            TypeRef::Bool => quote!(bool),
            TypeRef::Integer(integer) => match integer {
                IntegerType::I8 => quote!(i8),
                IntegerType::I16 => quote!(i16),
                IntegerType::I32 => quote!(i32),
                IntegerType::I64 => quote!(i64),
                IntegerType::U8 => quote!(u8),
                IntegerType::U16 => quote!(u16),
                IntegerType::U32 => quote!(u32),
                IntegerType::U64 => quote!(u64),
            },
            TypeRef::Float(FloatType::F32) => quote!(f32),
            TypeRef::Float(FloatType::F64) => quote!(f64),
            TypeRef::Vec(inner) => {
                let inner = self.type_tokens(inner, place);
                quote!(Vec<#inner>)
            }
            TypeRef::Formatted(StringFormat::DateTime) => quote!(chrono::DateTime<chrono::Utc>),
            TypeRef::Formatted(StringFormat::Date) => quote!(chrono::NaiveDate),
            TypeRef::Formatted(StringFormat::Uuid) => quote!(uuid::Uuid),
            TypeRef::Tuple(items) => {
                let items = items.iter().map(|item| self.type_tokens(item, place));
                quote!((#(#items,)*))
            }
            TypeRef::Map(inner) => {
                let inner = self.type_tokens(inner, place);
                quote!(std::collections::BTreeMap<String, #inner>)
            }
            TypeRef::Nullable(inner) => {
                let inner = self.type_tokens(inner, place);
                quote!(Option<#inner>)
            }
            TypeRef::Json => quote!(serde_json::Value),
            TypeRef::File => quote!(crate::File),
            // Checked to be a Rust type in resolve; a text that does not lex (which resolve
            // does not let through) would be written as `()`.
            TypeRef::Replaced(index) => self
                .model
                .replaced
                .get(*index)
                .and_then(|r| r.rust_type.parse::<TokenStream>().ok())
                .unwrap_or_else(|| quote!(())),
        }
    }

    /// How a value of `ty` is taken as an argument: strings as `impl Into<String>`, so
    /// callers can pass `&str`. Returns the argument's type and the expression that converts it.
    fn argument(&self, name: &Ident, ty: &TypeRef, place: Place) -> (TokenStream, TokenStream) {
        match ty {
            TypeRef::String => (quote!(impl Into<String>), quote!(#name.into())),
            other => (self.type_tokens(other, place), quote!(#name)),
        }
    }
}

/// The attribute that compiles an item only as `compiled` says: `#[cfg(feature = "users")]`,
/// `#[cfg(any(feature = "logs", feature = "users"))]`, or nothing for an item always compiled.
fn cfg_attr(compiled: &Compiled) -> TokenStream {
    match compiled {
        Compiled::Always => TokenStream::new(),
        Compiled::WithAnyOf(features) => feature_cfg(features),
    }
}

/// `#[cfg(feature = "users")]` for one feature, `#[cfg(any(feature = "a", ...))]` for more;
/// nothing for none.
fn feature_cfg<S: AsRef<str>>(features: &[S]) -> TokenStream {
    feature_condition(features).map(|condition| quote!(#[cfg(#condition)])).unwrap_or_default()
}

/// What [`feature_cfg`] puts in `cfg(...)`: `feature = "users"`, `any(feature = "a", ...)`.
fn feature_condition<S: AsRef<str>>(features: &[S]) -> Option<TokenStream> {
    let features: Vec<&str> = features.iter().map(AsRef::as_ref).collect();
    match features.as_slice() {
        [] => None,
        [feature] => Some(quote!(feature = #feature)),
        several => Some(quote!(any(#(feature = #several),*))),
    }
}

/// An identifier token, raw (`r#type`) where the name says so.
fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// For a setter (`fn add(mut self, add: T) -> Self`) named like a binary operator's trait
/// method: the allowance of clippy's `should_implement_trait`. The name is the field's or
/// parameter's; a setter is not an operator.
pub(crate) fn setter_allowance(name: &str) -> Option<TokenStream> {
    const OPERATOR_METHODS: &[&str] = &["add", "bitand", "bitor", "bitxor", "div", "mul", "rem", "shl", "shr", "sub"];
    OPERATOR_METHODS.contains(&name).then(|| quote!(#[allow(clippy::should_implement_trait)]))
}

/// An expression the checks are made on: a place (`self.email`, `body`) or a reference
/// (`value` bound by `if let Some(value) = &...`).
#[derive(Clone)]
pub(crate) enum Value {
    Place(TokenStream),
    Ref(TokenStream),
}

impl Value {
    /// The value as a `&T` argument.
    fn by_ref(&self) -> TokenStream {
        match self {
            Value::Place(place) => quote!(&#place),
            Value::Ref(reference) => reference.clone(),
        }
    }

    /// The value as the receiver of a method call (auto-referenced).
    fn receiver(&self) -> TokenStream {
        match self {
            Value::Place(tokens) | Value::Ref(tokens) => tokens.clone(),
        }
    }
}

/// The checks of one value's constraints, as statements that return early with an error.
fn checks(
    cx: &Emitter<'_>,
    wire_name: &str,
    value: Value,
    ty: &TypeRef,
    constraints: &crate::model::Constraints,
) -> TokenStream {
    let mut out = TokenStream::new();
    if constraints.min_length.is_some() || constraints.max_length.is_some() {
        let min = option_tokens(constraints.min_length);
        let max = option_tokens(constraints.max_length);
        let value = value.by_ref();
        out.extend(quote!(crate::runtime::validate::length(#wire_name, #value, #min, #max)?;));
    }
    if constraints.email {
        let value = value.by_ref();
        out.extend(quote!(crate::runtime::validate::email(#wire_name, #value)?;));
    }
    let item = Value::Ref(quote!(item));
    match ty {
        TypeRef::Named(_) if cx.validates(ty) => {
            let receiver = value.receiver();
            out.extend(quote!(#receiver.validate()?;));
        }
        // Items and values that may be `null` are checked where present.
        TypeRef::Vec(inner) if cx.validates(inner) => {
            let receiver = value.receiver();
            let (items, inner) = match &**inner {
                TypeRef::Nullable(present) => (quote!(#receiver.iter().flatten()), &**present),
                _ => (value.by_ref(), &**inner),
            };
            let inner = checks(cx, wire_name, item, inner, &Default::default());
            out.extend(quote!(for item in #items { #inner }));
        }
        TypeRef::Map(inner) if cx.validates(inner) => {
            let receiver = value.receiver();
            let (values, inner) = match &**inner {
                TypeRef::Nullable(present) => (quote!(#receiver.values().flatten()), &**present),
                _ => (quote!(#receiver.values()), &**inner),
            };
            let inner = checks(cx, wire_name, item, inner, &Default::default());
            out.extend(quote!(for item in #values { #inner }));
        }
        _ => {}
    }
    out
}

/// `name: value`, or just `name` when the value is the variable of the same name.
fn field_init(name: &Ident, value: TokenStream) -> TokenStream {
    if *name == value.to_string() {
        quote!(#name)
    } else {
        quote!(#name: #value)
    }
}

fn option_tokens(value: Option<u64>) -> TokenStream {
    match value {
        Some(n) => {
            let n = proc_macro2::Literal::u64_unsuffixed(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::{emit_part, names_types_module, spans, Content, Emitter, Part};

    /// The spans of a file emitted in parts cover every index once, in order, each of about
    /// [`Part::SIZE`] (the last may be less), and there is one even when there is nothing.
    #[test]
    fn the_spans_of_parts_cover_every_index_once_in_order() {
        let size = Part::SIZE;
        for sizes in [vec![], vec![0], vec![1; 3 * size + 7], vec![size + 5, 1, size - 1, 0, 0, 3], vec![0; 10]] {
            let spans: Vec<_> = spans(sizes.iter().copied()).collect();
            let covered: Vec<usize> = spans.iter().cloned().flatten().collect();
            assert_eq!(covered, (0..sizes.len()).collect::<Vec<_>>(), "{spans:?}");
            let weights: Vec<usize> = spans.iter().map(|span| sizes[span.clone()].iter().sum()).collect();
            let (last, full) = weights.split_last().expect("at least one span");
            assert!(full.iter().all(|&weight| weight >= size && weight < 2 * size), "{weights:?}");
            assert!(*last < 2 * size, "{weights:?}");
        }
        let big: Vec<_> = spans(std::iter::repeat_n(1, 3 * size + 7)).collect();
        assert_eq!(big, [0..size, size..2 * size, 2 * size..3 * size, 3 * size..3 * size + 7]);
    }

    #[test]
    fn only_a_path_into_the_types_module_asks_for_the_import() {
        assert!(names_types_module(&quote!(
            fn f() -> Vec<types::User> {}
        )));
        assert!(!names_types_module(&quote!(
            fn f(types: u8) -> crate::types::User {
                types
            }
        )));
        assert!(!names_types_module(&quote!(
            struct S {
                types: String,
            }
        )));
        assert!(names_types_module(&quote!(
            fn f(body: types::User) {}
        )));
    }

    /// `src/api/mod.rs` imports `types` for its untagged operations, beside the tag modules:
    /// a tag named `types` gets another module name.
    #[test]
    fn no_tag_module_takes_the_name_of_the_imported_types() {
        let spec = r##"
openapi: 3.0.3
info: {title: Names, version: "1"}
paths:
  /pets:
    post:
      operationId: createPet
      requestBody: {required: true, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
      responses: {"204": {description: Created.}}
  /types:
    get:
      tags: [types]
      operationId: listTypes
      parameters: [{name: types, in: query, schema: {type: string}}]
      responses: {"200": {description: The types., content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}}
components:
  schemas:
    Pet: {type: object, properties: {name: {type: string}}}
"##;
        let (model, _) = crate::model(crate::Spec::new("names.yaml", spec)).expect("a model");
        let config = crate::Config { command: "test".into(), ..crate::Config::new("names") };
        let parts = Part::all(&model).into_iter().filter(|part| matches!(part, Part::Api | Part::Groups(_)));
        let files: Vec<_> = parts.flat_map(|part| emit_part(&Emitter::new(&model), &config, part)).collect();
        let paths: Vec<&str> = files.iter().map(|file| file.path.as_str()).collect();
        assert_eq!(paths, ["src/api/mod.rs", "src/api/types_2.rs"]);
        for file in &files {
            let Content::Rust(tokens) = &file.content else { continue };
            let code = tokens.to_string();
            assert!(code.contains("use crate :: types ;"), "{}: {code}", file.path);
            assert!(!code.contains("crate :: types :: Pet"), "{}: {code}", file.path);
        }
    }
}
