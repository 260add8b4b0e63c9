//! `src/api/`: the modules the operations live in, and the accessors that reach them.
//!
//! Operations of a group are reached through accessors, one per group on the way
//! (`client.guardian().enrollments().create_ticket(body)`); operations outside any group are
//! methods of the client itself. Each group is a module in a file of its own, inside the
//! module of the group it is reached from (`src/api/guardian/enrollments.rs`). Each
//! operation's method and builder are [`super::operations`]'. A top-level group that is a
//! Cargo feature has its module and accessor compiled only with that feature.

use std::ops::Range;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, inner_doc_attrs};
use super::operations::{builder, operation_method};
use super::{feature_cfg, ident, types_import, Content, Emitter, File};
use crate::model::Group;

/// `src/api/mod.rs`: the modules of the top-level groups and their accessors on the client,
/// and the operations outside any group.
pub(super) fn api_mod_rs(cx: &Emitter<'_>) -> File {
    let model = cx.model;
    let mut modules = Vec::new();
    let mut accessors = Vec::new();
    let mut untagged = TokenStream::new();
    for (index, group) in model.groups.iter().enumerate() {
        match (&group.name, group.parent) {
            (None, _) => untagged = untagged_operations(cx, group),
            (Some(_), None) => {
                modules.push(module_declaration(cx, index));
                accessors.push(accessor(cx, index, quote!(self)));
            }
            (Some(_), Some(_)) => {}
        }
    }
    let accessors = (!accessors.is_empty()).then(|| {
        quote! {
            impl crate::Client {
                #(#accessors)*
            }
        }
    });
    let module_doc = inner_doc_attrs(
        "The API's operations: one method per operation, in groups as the spec names them.\n\n\
         Each method returns a request builder: set optional parameters on it, then call `send`.",
    );
    let import = types_import(&untagged);
    File {
        path: "src/api/mod.rs".into(),
        content: Content::Rust(quote! {
            #module_doc
            #import
            #(#modules)*
            #accessors
            #untagged
        }),
    }
}

/// The modules of the named groups among `groups` (indexes of the model's groups), a file
/// each: `src/api/guardian/enrollments.rs`.
pub(super) fn group_files(cx: &Emitter<'_>, groups: Range<usize>) -> Vec<File> {
    groups
        .filter(|&index| cx.model.groups.get(index).is_some_and(|group| group.name.is_some()))
        .map(|index| {
            let modules: Vec<&str> = cx.model.group_path(index).iter().map(|name| name.module.as_str()).collect();
            File { path: format!("src/api/{}.rs", modules.join("/")), content: Content::Rust(group_module(cx, index)) }
        })
        .collect()
}

/// The names of the groups from the client to group `index`, as the spec writes them:
/// `guardian.enrollments`.
fn wire_path(cx: &Emitter<'_>, index: usize) -> String {
    let names: Vec<&str> = cx.model.group_path(index).iter().map(|name| name.wire_name.as_str()).collect();
    names.join(".")
}

/// The method that returns group `index`, on the client or on the group it is reached from
/// (whose client is `client`).
fn accessor(cx: &Emitter<'_>, index: usize, client: TokenStream) -> TokenStream {
    let group = &cx.model.groups[index];
    let Some(name) = &group.name else { return TokenStream::new() };
    let (module, accessor, struct_name) = (ident(&name.module), ident(&name.accessor), ident(&name.struct_name));
    let description = name.description.as_deref().map_or_else(|| ".".to_owned(), |d| format!(": {d}"));
    let doc = doc_attrs(&format!("The `{}` operations{description}", wire_path(cx, index)));
    let lifetime = if group.parent.is_some() { quote!('a) } else { quote!('_) };
    let cfg = feature_cfg(group.feature.as_slice());
    quote! {
        #doc
        #cfg
        pub fn #accessor(&self) -> #module::#struct_name<#lifetime> {
            #module::#struct_name { client: #client }
        }
    }
}

/// The contents of group `index`'s module: its struct, the methods that start its
/// operations and reach its groups, its request builders, and its groups' modules.
fn group_module(cx: &Emitter<'_>, index: usize) -> TokenStream {
    let group = &cx.model.groups[index];
    let Some(name) = &group.name else { return TokenStream::new() };
    let wire_path = wire_path(cx, index);
    let module_doc = inner_doc_attrs(&format!("The `{wire_path}` operations."));
    let struct_name = ident(&name.struct_name);
    // A doc link names `Client::type_`, not `Client::r#type_`.
    let bare_accessor = name.accessor.trim_start_matches("r#");
    let reached_with = match group.parent.and_then(|parent| cx.model.groups[parent].name.as_ref()) {
        Some(parent) => format!("{}::{bare_accessor}", parent.struct_name),
        None => format!("Client::{bare_accessor}"),
    };
    let link = if group.parent.is_some() { format!("super::{reached_with}") } else { format!("crate::{reached_with}") };
    let mut doc = format!("The `{wire_path}` operations, reached with [`{reached_with}`]({link}).");
    if let Some(description) = &name.description {
        doc = format!("{}\n\n{doc}", description.trim());
    }
    let doc = doc_attrs(&doc);
    let methods = group.operations.iter().map(|op| operation_method(cx, op, quote!(self.client), quote!('a)));
    let accessors = group.children.iter().map(|&child| accessor(cx, child, quote!(self.client)));
    let builders = group.operations.iter().map(|op| builder(cx, op));
    let children = group.children.iter().map(|&child| module_declaration(cx, child));
    let items = quote! {
        #doc
        #[derive(Debug, Clone, Copy)]
        pub struct #struct_name<'a> {
            pub(crate) client: &'a crate::Client,
        }

        impl<'a> #struct_name<'a> {
            #(#methods)*
            #(#accessors)*
        }

        #(#builders)*
    };
    let import = types_import(&items);
    quote! {
        #module_doc
        #import
        #(#children)*

        #items
    }
}

/// `pub mod enrollments;`, in the module of the group it is reached from (or `src/api/mod.rs`).
fn module_declaration(cx: &Emitter<'_>, index: usize) -> TokenStream {
    let group = &cx.model.groups[index];
    let Some(name) = &group.name else { return TokenStream::new() };
    let module = ident(&name.module);
    let doc = doc_attrs(&format!("`{}` operations.", wire_path(cx, index)));
    let cfg = feature_cfg(group.feature.as_slice());
    // A group named as the module it is declared in (Azure API Management's tag `Api`, in
    // `src/api/`) is `api::api`: the spec's name, which clippy's `module_inception` flags.
    let parent = group.parent.and_then(|parent| cx.model.groups[parent].name.as_ref());
    let inception = (name.module == parent.map_or("api", |parent| parent.module.as_str()))
        .then(|| quote!(#[allow(clippy::module_inception)]));
    quote!(#doc #cfg #inception pub mod #module;)
}

fn untagged_operations(cx: &Emitter<'_>, group: &Group) -> TokenStream {
    let methods = group.operations.iter().map(|op| operation_method(cx, op, quote!(self), quote!('_)));
    let builders = group.operations.iter().map(|op| builder(cx, op));
    quote! {
        impl crate::Client {
            #(#methods)*
        }

        #(#builders)*
    }
}
