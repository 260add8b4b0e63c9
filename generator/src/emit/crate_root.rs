//! `src/lib.rs`: the crate's documentation, its modules, and the client's constructor for
//! the spec's server.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, inner_doc_attrs};
use super::{ident, Emitter};
use crate::model::{Model, Server};

pub(super) fn lib_rs(cx: &Emitter<'_>) -> TokenStream {
    let model = cx.model;
    let crate_doc = inner_doc_attrs(&crate_doc(model));
    let constructor = model.server.as_ref().map(|server| constructor(model, server));
    quote! {
        #crate_doc
        // The documentation comes from the spec, written for people rather than rustdoc.
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #![warn(missing_docs)]

        pub mod api;
        mod runtime;
        pub mod types;

        pub use runtime::{ApiError, BuildError, Client, ClientBuilder, Error, ValidationError};

        #constructor
    }
}

fn crate_doc(model: &Model) -> String {
    let mut text = format!("A client for the {} (version {}).", model.title.trim(), model.version.trim());
    if let Some(description) = &model.description {
        text.push_str("\n\n");
        text.push_str(description.trim());
    }
    text.push_str(
        "\n\nCreate a [`Client`], then call an operation: `client.<tag>().<operation>(...)` returns a \
         request builder whose `send` method sends it. Request and response bodies are in [`types`].",
    );
    text
}

/// `Client::new`, taking the server URL's variables (and the bearer token, if the API takes one).
fn constructor(model: &Model, server: &Server) -> TokenStream {
    let mut doc = format!("A client for `{}`", server.url);
    match &server.description {
        Some(description) => doc.push_str(&format!(": {}", description.trim())),
        None => doc.push('.'),
    }
    let mut arguments_doc = Vec::new();
    let mut params = Vec::new();
    let mut fills = Vec::new();
    for variable in &server.variables {
        let name = ident(&variable.rust_name);
        let wire = &variable.wire_name;
        params.push(quote!(#name: &str));
        fills.push(quote!((#wire, #name)));
        let about = variable.description.as_deref().map(str::trim).unwrap_or("");
        arguments_doc.push(format!("- `{}`: {about} The spec's default: `{}`.", variable.rust_name, variable.default));
    }
    let mut build = quote!(Self::builder(base_url));
    if let Some(auth) = &model.bearer_auth {
        params.push(quote!(bearer_token: impl Into<String>));
        build = quote!(#build.bearer_token(bearer_token));
        let about =
            auth.description.as_deref().map(str::trim).unwrap_or("The token sent as `Authorization: Bearer <token>`.");
        arguments_doc.push(format!("- `bearer_token`: {about}"));
    }
    if !arguments_doc.is_empty() {
        doc.push_str("\n\n# Arguments\n\n");
        doc.push_str(&arguments_doc.join("\n"));
    }
    doc.push_str(
        "\n\n# Errors\n\nA [`BuildError`] when a value would not make a valid URL or the HTTP client cannot start.\n\
         To use another URL (a proxy, a test server), use [`Client::builder`].",
    );
    let doc = doc_attrs(&doc);
    let url = &server.url;
    let base_url = if fills.is_empty() {
        quote!(let base_url = #url;)
    } else {
        quote!(let base_url = runtime::client::server_url(#url, &[#(#fills),*])?;)
    };
    quote! {
        impl Client {
            #doc
            pub fn new(#(#params),*) -> Result<Self, BuildError> {
                #base_url
                #build.build()
            }
        }
    }
}
