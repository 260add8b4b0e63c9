//! `src/api/`: the modules the operations live in, and the accessors that reach them.
//!
//! Operations of a group are reached through an accessor
//! (`client.guardian().create_guardian_enrollment_ticket(body)`); operations outside any
//! group are methods of the client itself. Each operation's method and builder are
//! [`super::operations`]'.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, inner_doc_attrs};
use super::operations::{builder, operation_method};
use super::{ident, types_import, Content, Emitter, File};
use crate::model::Group;

pub(super) fn files(cx: &Emitter<'_>) -> Vec<File> {
    let mut files = Vec::new();
    let mut modules = Vec::new();
    let mut accessors = Vec::new();
    let mut untagged = TokenStream::new();
    for group in &cx.model.groups {
        match &group.tag {
            None => untagged = untagged_operations(cx, group),
            Some(tag) => {
                let module = ident(&tag.module);
                let accessor = ident(&tag.accessor);
                let struct_name = ident(&tag.struct_name);
                let module_doc = format!("`{}` operations.", tag.wire_name);
                let module_doc = doc_attrs(&module_doc);
                modules.push(quote!(#module_doc pub mod #module;));
                let doc = doc_attrs(&format!(
                    "The `{}` operations{}",
                    tag.wire_name,
                    tag.description.as_deref().map_or_else(|| ".".to_owned(), |d| format!(": {d}"))
                ));
                accessors.push(quote! {
                    #doc
                    pub fn #accessor(&self) -> #module::#struct_name<'_> {
                        #module::#struct_name { client: self }
                    }
                });
                files.push(File {
                    path: format!("src/api/{}.rs", tag.module),
                    content: Content::Rust(tag_module(
                        cx,
                        group,
                        &tag.struct_name,
                        &tag.wire_name,
                        tag.description.as_deref(),
                    )),
                });
            }
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
        "The API's operations: one method per operation, grouped by the spec's tags.\n\n\
         Each method returns a request builder: set optional parameters on it, then call `send`.",
    );
    let import = types_import(&untagged);
    files.push(File {
        path: "src/api/mod.rs".into(),
        content: Content::Rust(quote! {
            #module_doc
            #import
            #(#modules)*
            #accessors
            #untagged
        }),
    });
    files
}

fn tag_module(cx: &Emitter<'_>, group: &Group, struct_name: &str, tag: &str, description: Option<&str>) -> TokenStream {
    let module_doc = inner_doc_attrs(&format!("The operations tagged `{tag}`."));
    let struct_name = ident(struct_name);
    let mut doc = format!(
        "The operations tagged `{tag}`, reached with [`Client::{}`](crate::Client::{}).",
        group_accessor(group),
        group_accessor(group)
    );
    if let Some(description) = description {
        doc = format!("{}\n\n{doc}", description.trim());
    }
    let doc = doc_attrs(&doc);
    let methods = group.operations.iter().map(|op| operation_method(cx, op, quote!(self.client), quote!('a)));
    let builders = group.operations.iter().map(|op| builder(cx, op));
    let items = quote! {
        #doc
        #[derive(Debug, Clone, Copy)]
        pub struct #struct_name<'a> {
            pub(crate) client: &'a crate::Client,
        }

        impl<'a> #struct_name<'a> {
            #(#methods)*
        }

        #(#builders)*
    };
    let import = types_import(&items);
    quote! {
        #module_doc
        #import

        #items
    }
}

fn group_accessor(group: &Group) -> &str {
    group.tag.as_ref().map_or("", |tag| tag.accessor.trim_start_matches("r#"))
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
