//! `src/lib.rs`: the crate's documentation, its modules, and the client's constructor for
//! the spec's server.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, field_doc, inner_doc_attrs};
use super::{ident, Emitter};
use crate::model::{BodyKind, Group, Model, Operation, ParamLocation, SchemeKind, Server};

pub(super) fn lib_rs(cx: &Emitter<'_>, telemetry_header: Option<&str>, cli: bool) -> TokenStream {
    let model = cx.model;
    let mut crate_doc = inner_doc_attrs(&crate_doc(model));
    if let Some((group, op)) = listed_operation(model) {
        let call = call_of(model, group, op);
        let text = format!(
            "# Lists\n\nA list operation's request builder also walks its pages: `into_stream()` gives \
             every item, `pages()` every page with what came with it (total, next cursor, rate limit), \
             each fetched when the stream is polled. From `examples/lists.rs`, which prints every item \
             of `{call}`:"
        );
        // Attributes of their own: `inner_doc_attrs` would trim the blank line before the
        // heading and mark the closing fence as the opening of a `text` block.
        crate_doc.extend(quote!(#![doc = ""]));
        crate_doc.extend(inner_doc_attrs(&format!("{text}\n\n```no_run")));
        crate_doc.extend(quote! {
            #![doc = include_str!("../examples/lists.rs")]
            #![doc = " ```"]
        });
    }
    if let Some((group, op)) = streamed_operation(model) {
        let call = call_of(model, group, op);
        let text = format!(
            "# Event streams\n\nAn operation that answers with server-sent events returns, from \
             `send()`, a stream of typed events decoded as they arrive; an event that cannot be \
             read is an error item, and the stream goes on. From `examples/events.rs`, which \
             prints the events of `{call}`:"
        );
        crate_doc.extend(quote!(#![doc = ""]));
        crate_doc.extend(inner_doc_attrs(&format!("{text}\n\n```no_run")));
        crate_doc.extend(quote! {
            #![doc = include_str!("../examples/events.rs")]
            #![doc = " ```"]
        });
    }
    let cli_module = cli.then(|| {
        quote!(
            #[cfg(feature = "cli")]
            pub mod cli;
        )
    });
    let items = root_items(cx, telemetry_header, TokenStream::new(), cli_module);
    quote! {
        #crate_doc
        // The documentation comes from the spec, written for people rather than rustdoc.
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
        // What the spec deprecates is marked for the crate's users; the crate itself uses it.
        #![allow(deprecated)]
        // Names and nesting are the spec's: a field may be called `foo`, arrays nest deep.
        #![allow(clippy::disallowed_names, clippy::type_complexity)]
        #![warn(missing_docs)]

        #items
    }
}

/// `src/lib.rs` of a source to include ([`crate::Layout::IncludedSource`]): the items of
/// [`lib_rs`] without inner attributes, which a file `include!`d cannot have; the lints
/// they allow are allowed on each module instead. The including crate has the docs.
pub(super) fn included_lib_rs(cx: &Emitter<'_>, telemetry_header: Option<&str>) -> TokenStream {
    let module_attrs = quote! {
        #[allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #[allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
        #[allow(deprecated, clippy::disallowed_names, clippy::type_complexity)]
    };
    root_items(cx, telemetry_header, module_attrs, None)
}

/// The items of `src/lib.rs`: the modules (each with `module_attrs`), what the crate
/// re-exports from its runtime, the API's settings, and the client's constructors.
fn root_items(
    cx: &Emitter<'_>,
    telemetry_header: Option<&str>,
    module_attrs: TokenStream,
    cli_module: Option<TokenStream>,
) -> TokenStream {
    let model = cx.model;
    let constructors = model.server.as_ref().map(|server| constructors(model, server));
    let token_url = option_str(model.token_url());
    let schemes = model.security_schemes.iter().map(|scheme| {
        let name = &scheme.name;
        let kind = match &scheme.kind {
            SchemeKind::Bearer { .. } => quote!(Bearer),
            SchemeKind::Basic { .. } => quote!(Basic),
            SchemeKind::ApiKey { location, wire_name, .. } => {
                let location = match location {
                    ParamLocation::Query => quote!(Query),
                    ParamLocation::Cookie => quote!(Cookie),
                    _ => quote!(Header),
                };
                quote!(ApiKey { location: runtime::auth::KeyLocation::#location, name: #wire_name })
            }
        };
        quote!((#name, runtime::auth::Scheme::#kind))
    });
    let credential_methods = credential_methods(model);
    let telemetry_header = option_str(telemetry_header.map(str::to_ascii_lowercase).as_deref());
    let header_defaults = header_defaults(model);
    quote! {
        #module_attrs
        pub mod api;
        #cli_module
        #module_attrs
        mod runtime;
        #module_attrs
        pub mod types;

        pub use runtime::{
            ApiError, BuildError, ByteStream, Bytes, Client, ClientBuilder, Error, EventError, EventStream, File, Items,
            Page, Pages, RateLimit, RequestOptions, Response, Telemetry, TokenError, TransportError, ValidationError,
            DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_EVENT_BYTES, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT,
        };

        /// What the runtime needs to know about this API.
        pub(crate) const API: runtime::client::ApiSettings = runtime::client::ApiSettings {
            token_url: #token_url,
            telemetry_header: #telemetry_header,
            schemes: &[#(#schemes),*],
        };

        #constructors
        #credential_methods
        #header_defaults
    }
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}

/// A `ClientBuilder` method for each API-key and basic scheme, named after it.
fn credential_methods(model: &Model) -> Option<TokenStream> {
    let methods: Vec<TokenStream> = model
        .security_schemes
        .iter()
        .filter_map(|scheme| {
            let name = &scheme.name;
            let about = scheme.description.as_deref().map(str::trim).unwrap_or("");
            let (method, doc, tokens) = match &scheme.kind {
                SchemeKind::Bearer { .. } => return None,
                SchemeKind::Basic { method, .. } => (
                    method,
                    format!(
                        "The username and password of the security scheme `{name}` (HTTP basic), sent as \
                         `Authorization: Basic ...` with every operation that takes them. {about}"
                    ),
                    quote! {
                        (self, username: impl Into<String>, password: impl Into<String>) -> Self {
                            let password = runtime::auth::Secret::new(password);
                            self.credential(#name, runtime::auth::Credential::Basic { username: username.into(), password })
                        }
                    },
                ),
                SchemeKind::ApiKey { location, wire_name, method, .. } => (
                    method,
                    format!(
                        "The API key of the security scheme `{name}`, sent as the {} `{wire_name}` with every \
                         operation that takes it. {about}",
                        match location {
                            ParamLocation::Query => "query parameter",
                            ParamLocation::Cookie => "cookie",
                            _ => "header",
                        }
                    ),
                    quote! {
                        (self, key: impl Into<String>) -> Self {
                            self.credential(#name, runtime::auth::Credential::ApiKey(runtime::auth::Secret::new(key)))
                        }
                    },
                ),
            };
            let method = ident(method);
            let doc = doc_attrs(doc.trim_end());
            Some(quote! {
                #doc
                pub fn #method #tokens
            })
        })
        .collect();
    (!methods.is_empty()).then(|| {
        quote! {
            impl ClientBuilder {
                #(#methods)*
            }
        }
    })
}

/// `ClientBuilder::default_<header>(value)` for each optional header parameter.
fn header_defaults(model: &Model) -> Option<TokenStream> {
    if model.header_defaults.is_empty() {
        return None;
    }
    let methods = model.header_defaults.iter().map(|default| {
        let method = ident(&default.method_name);
        let wire = &default.wire_name;
        let about = field_doc(&default.doc, "");
        let doc = doc_attrs(&format!(
            "Sends `{wire}` with every operation that declares that header, unless the call sets its own.\n\n{about}"
        ));
        quote! {
            #doc
            pub fn #method(self, value: impl Into<String>) -> Self {
                self.default_header_parameter(#wire, value)
            }
        }
    });
    Some(quote! {
        impl ClientBuilder {
            #(#methods)*
        }
    })
}

fn crate_doc(model: &Model) -> String {
    let mut text = format!("A client for the {} (version {}).", model.title.trim(), model.version.trim());
    if let Some(description) = &model.description {
        text.push_str("\n\n");
        text.push_str(description.trim());
    }
    text.push_str(
        "\n\nCreate a [`Client`], then call an operation: `client.<tag>().<operation>(...)` returns a \
         request builder whose `send` method sends it. Request and response bodies are in [`types`].\n\n\
         A file to upload is a [`File`]: bytes, a path ([`File::from_path`]) or a stream \
         ([`File::from_reader`], [`File::from_stream`]), sent in chunks as it is read, so memory does not \
         grow with it. An operation whose answer is binary also has `send_streaming`, which returns the \
         body as a [`ByteStream`] of chunks, read as they arrive.",
    );
    text.push_str(&features_doc(model));
    text
}

/// The crate's features, for a crate whose groups are features: a table of the groups, and
/// how to pick some. Empty for a crate without group features.
fn features_doc(model: &Model) -> String {
    let mut rows = Vec::new();
    for (group, feature) in model.group_features() {
        let Some(name) = &group.name else { continue };
        let accessor = name.accessor.trim_start_matches("r#");
        let operations = operations_within(model, group);
        rows.push(format!("| [`{accessor}()`](Client::{accessor}) | `{feature}` | {operations} |"));
    }
    let Some((_, example)) = model.group_features().next() else { return String::new() };
    let unused = model.unused_types_feature.as_deref().map_or_else(String::new, |feature| {
        format!(
            ", and the types no operation uses are compiled with the feature `{feature}`, which is \
             off by default"
        )
    });
    format!(
        "\n\n# Features\n\n\
         Each group of operations is a Cargo feature, and all of them are on by default. A program \
         that calls only some groups builds faster with only their features: \
         `default-features = false, features = [\"{example}\"]` in its dependency on this crate. \
         A type is compiled when a feature whose operations use it is on; the client's own \
         operations and their types are always compiled{unused}. The `cli` feature (the \
         command-line tool, which covers the whole API) turns on every group.\n\n\
         | Group | Feature | Operations |\n|---|---|---|\n{}",
        rows.join("\n")
    )
}

/// The number of operations in `group` and the groups reached from it.
fn operations_within(model: &Model, group: &Group) -> usize {
    let within = group.children.iter().filter_map(|&child| model.groups.get(child));
    group.operations.len() + within.map(|child| operations_within(model, child)).sum::<usize>()
}

/// `Client::new` (bearer token) and, when the spec names a token endpoint,
/// `Client::with_client_credentials`, taking the server URL's variables first.
fn constructors(model: &Model, server: &Server) -> TokenStream {
    let mut intro = format!("A client for `{}`", server.url);
    match &server.description {
        Some(description) => intro.push_str(&format!(": {}", description.trim())),
        None => intro.push('.'),
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
    let url = &server.url;
    let server_url_body = if fills.is_empty() {
        quote!(Ok(#url.to_owned()))
    } else {
        quote!(runtime::client::server_url(#url, &[#(#fills),*]))
    };
    let variable_names: Vec<_> = server.variables.iter().map(|v| ident(&v.rust_name)).collect();
    let base_url = quote!(let base_url = Self::server_url(#(#variable_names),*)?;);
    let server_url_doc = doc_attrs(&format!(
        "The base URL `{url}` with its variables filled in, for [`Client::builder`].\n\n# Errors\n\n\
         A [`BuildError`] when a value would reach beyond its own part of the URL (a `/`, `?`, `#`, `@` or space)."
    ));
    let server_url_fn = quote! {
        #server_url_doc
        pub fn server_url(#(#params),*) -> Result<String, BuildError> {
            #server_url_body
        }
    };
    let errors = "# Errors\n\nA [`BuildError`] when a value would not make a valid URL or the HTTP client cannot start.\n\
                  For another URL (a proxy, a test server) or more settings (retries, time limits), use [`Client::builder`].";
    let Some(bearer) = model.security_schemes.iter().find(|s| s.is_bearer()) else {
        let doc = doc_attrs(&format!("{intro}\n\n# Arguments\n\n{}\n\n{errors}", arguments_doc.join("\n")));
        return quote! {
            impl Client {
                #server_url_fn

                #doc
                pub fn new(#(#params),*) -> Result<Self, BuildError> {
                    #base_url
                    Self::builder(base_url).build()
                }
            }
        };
    };

    let about_token =
        bearer.description.as_deref().map(str::trim).unwrap_or("The token sent as `Authorization: Bearer <token>`.");
    let mut token_arguments = arguments_doc.clone();
    token_arguments.push(format!("- `bearer_token`: {about_token}"));
    let doc = doc_attrs(&format!("{intro}\n\n# Arguments\n\n{}\n\n{errors}", token_arguments.join("\n")));
    let with_token = quote! {
        #doc
        pub fn new(#(#params,)* bearer_token: impl Into<String>) -> Result<Self, BuildError> {
            #base_url
            Self::builder(base_url).bearer_token(bearer_token).build()
        }
    };
    let with_credentials = model.token_url().map(|token_url| {
        let mut credential_arguments = arguments_doc.clone();
        credential_arguments.push(
            "- `client_id`, `client_secret`: the client credentials of an application allowed to call the API."
                .to_owned(),
        );
        let doc = doc_attrs(&format!(
            "{intro}\n\nThe client gets its bearer token from `{token_url}` with the client-credentials grant, \
             caches it, and gets a new one 10 seconds before it expires or when the API refuses it. \
             The audience is the base URL with a trailing slash; [`ClientBuilder::audience`] changes it.\n\n\
             # Arguments\n\n{}\n\n{errors}",
            credential_arguments.join("\n")
        ));
        quote! {
            #doc
            pub fn with_client_credentials(
                #(#params,)*
                client_id: impl Into<String>,
                client_secret: impl Into<String>,
            ) -> Result<Self, BuildError> {
                #base_url
                Self::builder(base_url).client_credentials(client_id, client_secret).build()
            }
        }
    });
    quote! {
        impl Client {
            #server_url_fn
            #with_token
            #with_credentials
        }
    }
}

/// The first list operation that takes no argument, for the example of walking a list.
fn listed_operation(model: &Model) -> Option<(usize, &Operation)> {
    model.groups.iter().enumerate().find_map(|(index, group)| {
        group.operations.iter().find(|op| op.paging.is_some() && op.arguments().next().is_none()).map(|op| (index, op))
    })
}

/// `client.users().list()`: the call that starts an operation of group `group`.
fn call_of(model: &Model, group: usize, op: &Operation) -> String {
    let accessors: String = model.group_path(group).iter().map(|g| format!(".{}()", g.accessor)).collect();
    format!("client{accessors}.{}()", op.method_name)
}

/// `examples/lists.rs`, for a crate with a list operation that takes no argument: every
/// item of the list, printed as it arrives. Compiled with the crate's tests, and shown in
/// the crate's documentation.
pub(super) fn lists_example(model: &Model, crate_name: &str) -> Option<TokenStream> {
    let (group, op) = listed_operation(model)?;
    let krate = ident(&crate_name.replace('-', "_"));
    let call: TokenStream = call_of(model, group, op).parse().ok()?;
    Some(quote! {
        //! Every item of a list, across its pages, printed as it arrives:
        //! `BASE_URL=... TOKEN=... cargo run --example lists`.

        use futures_util::TryStreamExt;

        #[tokio::main(flavor = "current_thread")]
        async fn main() -> Result<(), Box<dyn std::error::Error>> {
            let base_url = std::env::var("BASE_URL")?;
            let token = std::env::var("TOKEN")?;
            let client = #krate::Client::builder(base_url).bearer_token(token).build()?;
            let mut items = #call.into_stream();
            while let Some(item) = items.try_next().await? {
                println!("{item:?}");
            }
            Ok(())
        }
    })
}

/// The first operation that answers with an event stream and takes no argument.
fn streamed_operation(model: &Model) -> Option<(usize, &Operation)> {
    model.groups.iter().enumerate().find_map(|(index, group)| {
        let streams = |op: &&Operation| {
            matches!(op.response.body, Some((_, BodyKind::EventStream { .. }))) && op.response.by_status.is_none()
        };
        group.operations.iter().filter(streams).find(|op| op.arguments().next().is_none()).map(|op| (index, op))
    })
}

/// `examples/events.rs`, for a crate with an event stream that takes no argument: each
/// event printed as it arrives.
pub(super) fn events_example(model: &Model, crate_name: &str) -> Option<TokenStream> {
    let (group, op) = streamed_operation(model)?;
    let krate = ident(&crate_name.replace('-', "_"));
    let call: TokenStream = call_of(model, group, op).parse().ok()?;
    Some(quote! {
        //! Events as they arrive, one a line:
        //! `BASE_URL=... TOKEN=... cargo run --example events`.

        use futures_util::StreamExt;

        #[tokio::main(flavor = "current_thread")]
        async fn main() -> Result<(), Box<dyn std::error::Error>> {
            let base_url = std::env::var("BASE_URL")?;
            let token = std::env::var("TOKEN")?;
            let client = #krate::Client::builder(base_url).bearer_token(token).build()?;
            let mut events = #call.send().await?;
            while let Some(event) = events.next().await {
                match event {
                    Ok(event) => println!("{event:?}"),
                    Err(error) => eprintln!("{error}"),
                }
            }
            Ok(())
        }
    })
}

/// The feature that compiles an example's operation (of group `group`), if its group is one.
fn example_feature(model: &Model, group: usize) -> Option<&str> {
    let mut top = group;
    while let Some(parent) = model.groups[top].parent {
        top = parent;
    }
    model.groups[top].feature.as_deref()
}

/// The examples the crate has, each with the feature it needs (if its group is one).
pub(super) fn examples(model: &Model) -> Vec<(&'static str, Option<&str>)> {
    let lists = listed_operation(model).map(|(group, _)| ("lists", example_feature(model, group)));
    let events = streamed_operation(model).map(|(group, _)| ("events", example_feature(model, group)));
    lists.into_iter().chain(events).collect()
}
