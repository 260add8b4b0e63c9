//! Stage 2: `openapiv3::OpenAPI` to [`Model`].
//!
//! Follows every `$ref`, makes every Rust name (through [`crate::names`]) and maps every
//! schema to a Rust type. Schemas are handled in [`schemas`] (with [`all_of`], [`unions`],
//! [`typed_compositions`], [`containers`] and [`inline`]; [`finish`] and [`cycles`] complete the types once all are made), operations in
//! [`operations`] (placed by [`groups`], lists that span pages recognised by [`paging`]), the Cargo features of groups and types in
//! [`features`], the generated tool's names in [`cli`], the package's licence and homepage in [`package`]; this module holds what they share:
//! the context, `$ref` following ([`Context::follow`]) and the error helpers; security schemes
//! and requirements are [`security`].
//!
//! What the generator does not support yet is either an error naming its JSON pointer, or,
//! where a looser type still works, `serde_json::Value` and a [`Warning`].

mod all_of;
mod beside;
mod cli;
mod const_enums;
mod containers;
mod cycles;
mod derives;
mod features;
mod finish;
mod groups;
mod inline;
mod operations;
mod package;
mod paging;
mod schemas;
mod security;
mod typed_compositions;
mod unions;

use std::borrow::Borrow;

use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr};

use crate::error::{Error, ErrorKind, Pointer, Warning};
use crate::model::{Cli, Model, Server, ServerVariable, TypeId};
use crate::names::{Case, Scope};
use crate::parse::Origins;
use crate::{Config, Layout};

pub(crate) struct Resolved {
    pub(crate) model: Model,
    pub(crate) warnings: Vec<Warning>,
}

/// Of `config`, resolve reads [`Config::typed_formats`], [`Config::layout`] (a source to
/// include has no Cargo features) and the settings of types: [`Config::derives`] and
/// [`Config::replacements`].
/// The pointers of its warnings and error name the places in the spec's files (`origins`:
/// the parts parse brought in from other files, and the schemas it moved into components).
pub(crate) fn resolve(file: &str, document: &OpenAPI, config: &Config, origins: &Origins) -> Result<Resolved, Error> {
    let mut resolved = resolve_document(file, document, config).map_err(|error| origins.locate_error(error))?;
    resolved.warnings =
        std::mem::take(&mut resolved.warnings).into_iter().map(|warning| origins.locate_warning(warning)).collect();
    Ok(resolved)
}

fn resolve_document(file: &str, document: &OpenAPI, config: &Config) -> Result<Resolved, Error> {
    let mut cx = Context::new(file, document);
    cx.typed_formats = config.typed_formats;
    let settings_error = |message: String| Error {
        kind: ErrorKind::Settings,
        file: file.to_owned(),
        pointer: "#/components/schemas".to_owned(),
        message,
    };
    if config.layout == crate::Layout::Package {
        if let Some(problem) = crate::package_name_problem(&config.crate_name) {
            return Err(Error { pointer: "#".to_owned(), ..settings_error(problem) });
        }
    }
    let derives = crate::type_options::derives(&config.derives).map_err(settings_error)?;
    cx.replaced = derives::replacements(document, &config.replacements).map_err(settings_error)?;
    schemas::name_components(&mut cx);
    schemas::resolve_components(&mut cx)?;
    let security_schemes = security::schemes(&mut cx);
    let server = server(&cx)?;
    let mut groups = operations::resolve_operations(&mut cx, &security_schemes)?;
    let header_defaults = operations::header_defaults(&mut groups, &security_schemes);
    let mut types = finish::finish_types(schemas::defined_types(&mut cx)?, &mut groups);
    derives::decide(&mut types, &derives, &cx.replaced);
    let unused_types_feature = match config.layout {
        Layout::Package => features::assign_features(&mut groups, &mut types),
        Layout::IncludedSource => None,
    };
    paging::recognise_lists(&mut cx, &mut groups, &types);
    // A crate without the tool has no commands to name.
    let cli = match (config.layout, config.cli) {
        (Layout::Package, true) => cli::cli(server.as_ref(), &header_defaults, &groups, &types),
        _ => Cli::default(),
    };
    let formats = finish::formats_used(&types, &mut groups);
    let model = Model {
        title: document.info.title.clone(),
        version: document.info.version.clone(),
        description: document.info.description.clone(),
        license: package::license(document),
        homepage: package::homepage(document),
        server,
        security_schemes,
        types,
        groups,
        unused_types_feature,
        header_defaults,
        cli,
        formats,
        replaced: cx.replaced,
    };
    // A component used in several places is resolved in each; say each thing once.
    let mut warnings = cx.warnings;
    let mut seen = std::collections::BTreeSet::new();
    warnings.retain(|w| seen.insert((w.pointer.clone(), w.message.clone())));
    Ok(Resolved { model, warnings })
}

/// What the resolve stage knows while it walks the spec.
pub(crate) struct Context<'a> {
    file: &'a str,
    document: &'a OpenAPI,
    /// The names of the generated types, in the `types` module.
    type_names: Scope,
    /// The Rust name of every named type, by [`TypeId`]: an id is made when a name is claimed.
    type_names_by_id: Vec<String>,
    schemas: schemas::Schemas,
    warnings: Vec<Warning>,
    /// Strings of some formats get types of their own ([`crate::model::StringFormat`]).
    typed_formats: bool,
    /// The schemas replaced by the user's types (see [`crate::Config::replacements`]).
    replaced: Vec<crate::model::ReplacedSchema>,
    /// The names of security schemes that requirements name but that are not generated,
    /// once warned about.
    unknown_schemes: std::collections::BTreeSet<String>,
}

/// Names the generated code brings into the `types` module or uses unqualified there and in
/// the operation modules: a schema may not take them.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Box", "Client", "Default", "Err", "Error", "From", "Into", "None", "Ok", "Option", "Result", "Self", "Some",
    "String", "ToString", "Vec",
];

impl<'a> Context<'a> {
    fn new(file: &'a str, document: &'a OpenAPI) -> Self {
        Self {
            file,
            document,
            type_names: Scope::with_reserved(Case::Type, RESERVED_TYPE_NAMES),
            type_names_by_id: Vec::new(),
            schemas: schemas::Schemas::default(),
            warnings: Vec::new(),
            typed_formats: false,
            replaced: Vec::new(),
            unknown_schemes: std::collections::BTreeSet::new(),
        }
    }

    /// Claims a type's Rust name (`wanted`, or a free name made from it) and makes its id.
    fn claim_type(&mut self, wanted: &str) -> TypeId {
        self.type_names_by_id.push(self.type_names.claim(wanted));
        TypeId::new(self.type_names_by_id.len() - 1)
    }

    /// The Rust name of a type claimed with [`Self::claim_type`].
    fn type_name(&self, id: TypeId) -> &str {
        &self.type_names_by_id[id.index()]
    }

    fn error(&self, pointer: &Pointer, message: impl Into<String>) -> Error {
        let (file, pointer, message) = (self.file.to_owned(), pointer.to_string(), message.into());
        Error { kind: ErrorKind::Spec, file, pointer, message }
    }

    /// An error that is the generator's fault, not the spec's.
    fn internal_error(&self, pointer: &Pointer, message: impl Into<String>) -> Error {
        Error { kind: ErrorKind::Internal, ..self.error(pointer, message) }
    }

    fn warn(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning { pointer: pointer.to_string(), message: message.into() });
    }

    /// Follows a chain of `$ref`s to `components/{kind}` to the item, with the item's pointer.
    /// `item` may hold its item boxed, as properties and an array's `items` hold schemas.
    fn follow<'d, T, S: Borrow<T>>(
        &self,
        item: &'d ReferenceOr<S>,
        pointer: &Pointer,
        kind: &str,
        lookup: impl Fn(&'d openapiv3::Components) -> &'d IndexMap<String, ReferenceOr<T>>,
    ) -> Result<(&'d T, Pointer), Error>
    where
        'a: 'd,
    {
        let mut reference = match item {
            ReferenceOr::Item(item) => return Ok((item.borrow(), pointer.clone())),
            ReferenceOr::Reference { reference } => reference,
        };
        let mut current_pointer = pointer.clone();
        // A chain longer than the number of components must be a cycle.
        let limit = self.document.components.as_ref().map_or(0, |c| lookup(c).len()) + 1;
        for _ in 0..limit {
            let (_, target, target_pointer) = self.component(reference, &current_pointer, kind, &lookup)?;
            match target {
                ReferenceOr::Item(item) => return Ok((item, target_pointer)),
                ReferenceOr::Reference { reference: next } => {
                    reference = next;
                    current_pointer = target_pointer;
                }
            }
        }
        Err(self.error(pointer, "`$ref` chain that never ends in a definition"))
    }

    /// One step of [`Self::follow`]: what a `$ref` to `#/components/{kind}/{name}` points to
    /// (an item or another `$ref`), with the component's name and pointer.
    fn component<'d, T>(
        &self,
        reference: &str,
        pointer: &Pointer,
        kind: &str,
        lookup: impl Fn(&'d openapiv3::Components) -> &'d IndexMap<String, ReferenceOr<T>>,
    ) -> Result<(String, &'d ReferenceOr<T>, Pointer), Error>
    where
        'a: 'd,
    {
        let (name, target_pointer) = self.component_ref(reference, kind, pointer)?;
        let components = self.document.components.as_ref();
        let target = components
            .and_then(|c| lookup(c).get(&name))
            .ok_or_else(|| self.error(pointer, format!("`$ref` to `{reference}`, which does not exist")))?;
        Ok((name, target, target_pointer))
    }

    /// Reads `#/components/{kind}/{name}`, returning the name and the target's pointer.
    fn component_ref(&self, reference: &str, kind: &str, pointer: &Pointer) -> Result<(String, Pointer), Error> {
        let target = Pointer::parse_ref(reference).ok_or_else(|| {
            self.error(
                pointer,
                format!("`$ref` to `{reference}`: only references within the document (`#/...`) are supported"),
            )
        })?;
        match target.segments()[..] {
            ["components", k, name] if k == kind => Ok((name.to_owned(), target.clone())),
            _ => Err(self.error(
                pointer,
                format!("`$ref` to `{reference}`, where a reference to `#/components/{kind}/...` belongs"),
            )),
        }
    }
}

fn server(cx: &Context<'_>) -> Result<Option<Server>, Error> {
    let Some(server) = cx.document.servers.first() else { return Ok(None) };
    if !server.url.contains("://") {
        // A relative URL: the caller must give a base URL.
        return Ok(None);
    }
    let pointer = Pointer::root().join("servers").join(0);
    let mut names = Scope::with_reserved(Case::Value, &["bearer_token"]);
    let mut variables = Vec::new();
    let mut rest = server.url.as_str();
    while let Some(start) = rest.find('{') {
        let end = rest[start..]
            .find('}')
            .map(|end| start + end)
            .ok_or_else(|| cx.error(&pointer.join("url"), "unclosed `{` in the server URL"))?;
        let wire_name = &rest[start + 1..end];
        let declared = server.variables.as_ref().and_then(|v| v.get(wire_name)).ok_or_else(|| {
            cx.error(
                &pointer.join("url"),
                format!("the server URL uses `{{{wire_name}}}`, which `variables` does not declare"),
            )
        })?;
        variables.push(ServerVariable {
            wire_name: wire_name.to_owned(),
            rust_name: names.claim(wire_name),
            default: declared.default.clone(),
            description: declared.description.clone(),
        });
        rest = &rest[end + 1..];
    }
    Ok(Some(Server { url: server.url.clone(), description: server.description.clone(), variables }))
}
