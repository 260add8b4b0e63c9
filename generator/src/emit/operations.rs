//! One operation: its method, and the request builder the method returns.
//!
//! An operation's method takes what the request cannot do without (path parameters,
//! required query and header parameters, a required body) and returns a builder; optional
//! parameters are set on the builder, and `send` checks the spec's constraints, sends the
//! request and decodes the answer. Where the methods live is [`super::groups`]'s concern.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, field_doc};
use super::{checks, field_init, ident, Emitter, Place, Value};
use crate::model::{
    BodyKind, Operation, Param, ParamLocation, PathSegment, Status, StatusEnum, StatusVariant, TypeRef,
};

fn body_tokens(cx: &Emitter<'_>, kind: &BodyKind) -> TokenStream {
    match kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::Multipart(ty) => cx.type_tokens(ty, Place::ImportedTypes),
        // An event stream is an answer's, never a request's: resolve makes sure.
        BodyKind::Text | BodyKind::EventStream { .. } => quote!(String),
        BodyKind::Bytes => quote!(crate::File),
    }
}

pub(super) fn operation_method(
    cx: &Emitter<'_>,
    op: &Operation,
    client: TokenStream,
    lifetime: TokenStream,
) -> TokenStream {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let mut params = Vec::new();
    let mut inits = Vec::new();
    // The parameters the request needs, then a required body.
    for (_, param) in op.arguments() {
        let name = ident(&param.rust_name);
        let (ty, convert) = cx.argument(&name, &param.ty, Place::ImportedTypes);
        params.push(quote!(#name: #ty));
        inits.push(field_init(&name, convert));
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let name = ident(&body.rust_name);
        let (ty, convert) = match &body.kind {
            BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::Multipart(ty) => {
                cx.argument(&name, ty, Place::ImportedTypes)
            }
            BodyKind::Text | BodyKind::EventStream { .. } => (quote!(impl Into<String>), quote!(#name.into())),
            BodyKind::Bytes => (quote!(impl Into<crate::File>), quote!(#name.into())),
        };
        params.push(quote!(#name: #ty));
        inits.push(field_init(&name, convert));
    }
    for (_, param) in op.optional_params() {
        let name = ident(&param.rust_name);
        inits.push(quote!(#name: None));
    }
    if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
        let name = ident(&body.rust_name);
        inits.push(quote!(#name: None));
    }
    let doc = doc_attrs(&operation_doc(op));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let many_arguments = (params.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #doc
        #deprecated
        #many_arguments
        pub fn #method(&self, #(#params),*) -> #builder<#lifetime> {
            #builder { client: #client, #(#inits,)* options: crate::RequestOptions::new() }
        }
    }
}

fn operation_doc(op: &Operation) -> String {
    let mut parts = Vec::new();
    if let Some(summary) = &op.summary {
        parts.push(summary.trim().to_owned());
    }
    if let Some(description) = &op.description {
        if op.summary.as_deref().map(str::trim) != Some(description.trim()) {
            parts.push(description.trim().to_owned());
        }
    }
    parts.extend(op.release.map(|release| release.note().to_owned()));
    parts.push(format!("`{} {}` (operation `{}`).", op.http_method.as_str(), op.path, op.operation_id));
    if let Some(body) = op.body.as_ref().filter(|b| !b.other_content_types.is_empty()) {
        let others: Vec<String> = body.other_content_types.iter().map(|m| format!("`{m}`")).collect();
        parts.push(format!("The body is sent as `{}`; the API also accepts {}.", body.content_type, others.join(", ")));
    }
    let arguments: Vec<String> = op
        .arguments()
        .map(|(_, p)| {
            format!(
                "- `{}`: {}",
                p.rust_name.trim_start_matches("r#"),
                one_line(&field_doc(&p.doc, &param_fallback(p)))
            )
        })
        .chain(op.body.iter().filter(|b| b.required).map(|b| {
            format!("- `{}`: {}", b.rust_name, one_line(b.description.as_deref().unwrap_or("The request body.")))
        }))
        .collect();
    if !arguments.is_empty() {
        parts.push(format!("# Arguments\n\n{}", arguments.join("\n")));
    }
    parts.join("\n\n")
}

fn param_fallback(param: &Param) -> String {
    format!("The `{}` {} parameter.", param.wire_name, param.location.as_str())
}

/// Text for a list item: its lines joined.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn builder(cx: &Emitter<'_>, op: &Operation) -> TokenStream {
    let name = ident(&op.builder_name);
    let method = &op.method_name;
    let doc = doc_attrs(&format!(
        "The `{}` request, ready to be sent with [`send`](Self::send).",
        method.trim_start_matches("r#")
    ));

    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for param in &op.params {
        let field = ident(&param.rust_name);
        let ty = cx.type_tokens(&param.ty, Place::ImportedTypes);
        if !param.required {
            fields.push(quote!(#field: Option<#ty>));
            let (arg_ty, convert) = cx.argument(&field, &param.ty, Place::ImportedTypes);
            let doc = doc_attrs(&field_doc(&param.doc, &param_fallback(param)));
            let deprecated = param.doc.deprecated.then(|| quote!(#[deprecated]));
            let allowance = super::setter_allowance(&param.rust_name);
            setters.push(quote! {
                #doc
                #deprecated
                #allowance
                pub fn #field(mut self, #field: #arg_ty) -> Self {
                    self.#field = Some(#convert);
                    self
                }
            });
        } else {
            fields.push(quote!(#field: #ty));
        }
    }
    if let Some(body) = &op.body {
        let field = ident(&body.rust_name);
        let ty = body_tokens(cx, &body.kind);
        if body.required {
            fields.push(quote!(#field: #ty));
        } else {
            fields.push(quote!(#field: Option<#ty>));
            let doc = doc_attrs(body.description.as_deref().unwrap_or("Sets the request body."));
            let (arg_ty, value) = match body.kind {
                BodyKind::Bytes => (quote!(impl Into<crate::File>), quote!(#field.into())),
                _ => (ty, quote!(#field)),
            };
            setters.push(quote! {
                #doc
                pub fn #field(mut self, #field: #arg_ty) -> Self {
                    self.#field = Some(#value);
                    self
                }
            });
        }
    }
    let send = send_fn(cx, op);
    let paging = op.paging.as_ref().map(|paging| super::paging::paging_methods(cx, op, paging));
    let status_enum = op.response.by_status.as_ref().map(|answers| status_enum(cx, op, answers));
    quote! {
        #status_enum

        #doc
        #[derive(Debug)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #name<'a> {
            client: &'a crate::Client,
            #(#fields,)*
            options: crate::RequestOptions,
        }

        impl #name<'_> {
            #(#setters)*

            /// Settings of this call that override the client's: time limit, retries, extra headers.
            pub fn options(mut self, options: crate::RequestOptions) -> Self {
                self.options = options;
                self
            }

            #send

            #paging
        }
    }
}

fn send_fn(cx: &Emitter<'_>, op: &Operation) -> TokenStream {
    // The builder's fields are read as `self.<field>`, never bound to locals: a parameter may
    // have any name, `request` and `value` too, and the locals here cannot shadow it.
    // Parameters with a client default fall back to it.
    let mut defaults = TokenStream::new();
    for param in op.params.iter().filter(|p| p.client_default.is_some()) {
        let name = ident(&param.rust_name);
        let wire = &param.wire_name;
        defaults.extend(quote! {
            self.client.fill_header_default(#wire, &mut self.#name);
        });
    }
    let receiver = if defaults.is_empty() { quote!(self) } else { quote!(mut self) };

    // Checks first: a request that breaks the spec's constraints is never sent.
    let mut checks_code = TokenStream::new();
    for param in &op.params {
        let name = ident(&param.rust_name);
        let optional = !param.required;
        let value = if optional { Value::Ref(quote!(value)) } else { Value::Place(quote!(self.#name)) };
        let check = checks(cx, &param.wire_name, value, &param.ty, &param.constraints);
        if check.is_empty() {
            continue;
        }
        checks_code.extend(if optional { quote!(if let Some(value) = &self.#name { #check }) } else { check });
    }
    if let Some(body) = &op.body {
        if let BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::Multipart(ty) = &body.kind {
            let name = ident(&body.rust_name);
            let value = if body.required { Value::Place(quote!(self.#name)) } else { Value::Ref(quote!(value)) };
            let check = checks(cx, "body", value, ty, &Default::default());
            if !check.is_empty() {
                checks_code.extend(if body.required {
                    check
                } else {
                    quote!(if let Some(value) = &self.#name { #check })
                });
            }
        }
    }

    let method = ident(op.http_method.as_str());
    let path = &op.path;
    let segments = op.segments.iter().map(|segment| match segment {
        PathSegment::Literal(text) => quote!(#text),
        part => {
            let text = segment_text(cx, op, part);
            quote!(&#text)
        }
    });
    // The credentials, by the names of their schemes: the runtime sends the first
    // alternative the client has.
    let authenticated = (!op.security.is_empty()).then(|| {
        let alternatives = op.security.iter().map(|set| {
            let names = set.iter().map(|&index| cx.model.security_schemes[index].name.as_str());
            quote!(&[#(#names),*])
        });
        quote!(.security(&[#(#alternatives),*]))
    });

    let mut steps = Vec::new();
    for param in op.params.iter().filter(|p| p.location != ParamLocation::Path) {
        let name = ident(&param.rust_name);
        let wire = &param.wire_name;
        let add = match param.location {
            ParamLocation::Query => quote!(query),
            ParamLocation::Cookie => quote!(cookie),
            ParamLocation::Header | ParamLocation::Path => quote!(header),
        };
        let (value, add_value) = if param.required { (quote!(self.#name), None) } else { (quote!(value), Some(())) };
        let step = match &param.ty {
            _ if param.json => {
                let value = if param.required { quote!(&#value) } else { value };
                quote!(request = request.#add(#wire, crate::runtime::request::json_text(#wire, #value)?);)
            }
            ty if param.location != ParamLocation::Query && !cx.is_text(ty) => {
                let value = if param.required { quote!(&#value) } else { value };
                quote!(request = request.#add(#wire, crate::runtime::request::simple_style(#wire, #value)?);)
            }
            TypeRef::Vec(item) if cx.is_text(item) && param.explode => {
                quote!(for item in #value { request = request.#add(#wire, item); })
            }
            TypeRef::Vec(item) if cx.is_text(item) => {
                let list = if param.required { quote!(&#value) } else { value };
                quote!(request = request.#add(#wire, crate::runtime::request::comma_separated(#list));)
            }
            ty if cx.is_text(ty) => quote!(request = request.#add(#wire, #value);),
            _ => {
                let explode = param.explode;
                let value = if param.required { quote!(&#value) } else { value };
                quote!(request = request.query_value(#wire, #value, #explode)?;)
            }
        };
        steps.push(match add_value {
            None => step,
            Some(()) => quote!(if let Some(value) = &self.#name { #step }),
        });
    }
    if let Some(body) = &op.body {
        let name = ident(&body.rust_name);
        let content_type = &body.content_type;
        let (value, attach) = if body.required { (quote!(self.#name), None) } else { (quote!(value), Some(())) };
        let set = match &body.kind {
            BodyKind::Json(_) => quote!(request = request.json(#content_type, &#value)?;),
            BodyKind::Form(_) => quote!(request = request.form(#content_type, &#value)?;),
            BodyKind::Multipart(_) => quote!(request = request.multipart(&#value)?;),
            BodyKind::Text | BodyKind::EventStream { .. } => quote!(request = request.text(#content_type, #value);),
            BodyKind::Bytes => quote!(request = request.bytes(#content_type, #value);),
        };
        steps.push(match attach {
            None => set,
            Some(()) => quote!(if let Some(value) = self.#name { #set }),
        });
    }
    let accept = match &op.response.by_status {
        Some(answers) => {
            let mut media_types: Vec<&str> =
                answers.variants.iter().filter_map(|v| v.body.as_ref().map(|(m, _)| m.as_str())).collect();
            media_types.dedup();
            (!media_types.is_empty()).then(|| {
                let joined = media_types.join(", ");
                quote!(.accept(#joined))
            })
        }
        None => op.response.body.as_ref().map(|(media_type, _)| quote!(.accept(#media_type))),
    };
    let new_request = quote! {
        crate::runtime::request::Request::new(reqwest::Method::#method, #path, &[#(#segments),*]) #authenticated #accept .options(self.options)
    };
    let build = if steps.is_empty() {
        quote!(Ok(#new_request))
    } else {
        quote! {
            let mut request = #new_request;
            #(#steps)*
            Ok(request)
        }
    };

    let error_type = cx.type_tokens(&op.error_type, Place::ImportedTypes);
    let (output, decode) = match &op.response.by_status {
        Some(answers) => by_status_decode(answers, &error_type),
        None => match op.response.body.as_ref() {
            Some((_, BodyKind::EventStream { ty, tag })) => {
                let ty = cx.type_tokens(ty, Place::ImportedTypes);
                let tag = match tag {
                    Some(tag) => quote!(Some(#tag)),
                    None => quote!(None),
                };
                let decode = quote!(Ok(client.send_stream::<#error_type>(request).await?.events(#tag)));
                (quote!(crate::EventStream<#ty, #error_type>), decode)
            }
            body => {
                let (output, decode) = decoder(cx, body.map(|(_, kind)| kind));
                (output, quote!(client.send::<#error_type>(request).await?.#decode()))
            }
        },
    };
    let doc = doc_attrs(&send_doc(op));
    // A binary answer can also be read as it arrives.
    let send_streaming = matches!(op.response.body, Some((_, BodyKind::Bytes)) if op.response.by_status.is_none())
        .then(|| {
            let doc = doc_attrs(&send_streaming_doc(op));
            quote! {
                #doc
                pub async fn send_streaming(self) -> Result<crate::Response<crate::ByteStream<#error_type>>, crate::Error<#error_type>> {
                    let client = self.client;
                    let request = self.into_request()?;
                    client.send_streaming::<#error_type>(request).await
                }
            }
        });
    quote! {
        #doc
        pub async fn send(self) -> Result<crate::Response<#output>, crate::Error<#error_type>> {
            let client = self.client;
            let request = self.into_request()?;
            #decode
        }

        #send_streaming

        /// The request `send` sends, once the spec's checks pass.
        fn into_request(#receiver) -> Result<crate::runtime::request::Request, crate::ValidationError> {
            #defaults
            #checks_code
            #build
        }
    }
}

/// A path segment's text, as an expression (a `String` or `&str` place, or a `String`).
fn segment_text(cx: &Emitter<'_>, op: &Operation, segment: &PathSegment) -> TokenStream {
    match segment {
        PathSegment::Literal(text) => quote!(#text),
        PathSegment::Param(index) => {
            let param = &op.params[*index];
            let (name, wire) = (ident(&param.rust_name), param.wire_name.as_str());
            match &param.ty {
                _ if param.json => quote!(crate::runtime::request::json_text(#wire, &self.#name)?),
                TypeRef::String => quote!(self.#name),
                ty if cx.is_text(ty) => quote!(self.#name.to_string()),
                _ => quote!(crate::runtime::request::simple_style(#wire, &self.#name)?),
            }
        }
        PathSegment::Mixed(parts) => {
            let template = "{}".repeat(parts.len());
            // `format!` writes text types itself (`Display`), without a `to_string()` first.
            let parts = parts.iter().map(|part| match part {
                PathSegment::Param(index) if !op.params[*index].json && cx.is_text(&op.params[*index].ty) => {
                    let name = ident(&op.params[*index].rust_name);
                    quote!(self.#name)
                }
                part => segment_text(cx, op, part),
            });
            quote!(format!(#template, #(#parts),*))
        }
    }
}

/// The Rust type of a success body, and the `RawResponse` method that decodes it.
fn decoder(cx: &Emitter<'_>, kind: Option<&BodyKind>) -> (TokenStream, TokenStream) {
    match kind {
        None => (quote!(()), quote!(empty)),
        Some(BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::Multipart(ty)) => {
            (cx.type_tokens(ty, Place::ImportedTypes), quote!(json))
        }
        // An event stream among answers by status is read whole (resolve makes it text).
        Some(BodyKind::Text | BodyKind::EventStream { .. }) => (quote!(String), quote!(text)),
        Some(BodyKind::Bytes) => (quote!(Vec<u8>), quote!(bytes)),
    }
}

/// The answer enum's type, and the code that decodes the answer by its status: exact
/// statuses first, then `2XX`, then `default`.
fn by_status_decode(answers: &StatusEnum, error_type: &TokenStream) -> (TokenStream, TokenStream) {
    let name = ident(&answers.name);
    let mut ordered: Vec<&StatusVariant> = answers.variants.iter().collect();
    ordered.sort_by_key(|v| match v.status {
        Status::Code(_) => 0,
        Status::Range(_) => 1,
        Status::Default => 2,
    });
    let has_default = ordered.iter().any(|v| v.status == Status::Default);
    let arms = ordered.iter().map(|v| {
        let variant = ident(&v.name);
        let pattern = match v.status {
            Status::Default => quote!(_),
            Status::Code(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                quote!(#code)
            }
            Status::Range(_) => {
                let low = proc_macro2::Literal::u16_unsuffixed(*v.status.codes().start());
                let high = proc_macro2::Literal::u16_unsuffixed(*v.status.codes().end());
                quote!(#low..=#high)
            }
        };
        match &v.body {
            Some((_, kind)) => {
                let decode = match kind {
                    BodyKind::Json(_) | BodyKind::Form(_) | BodyKind::Multipart(_) => quote!(json_as),
                    BodyKind::Text | BodyKind::EventStream { .. } => quote!(text_as),
                    BodyKind::Bytes => quote!(bytes_as),
                };
                quote!(#pattern => raw.#decode(#name::#variant),)
            }
            None => quote!(#pattern => raw.empty_as(#name::#variant),),
        }
    });
    let arms: Vec<TokenStream> = arms.collect();
    let fallback = (!has_default).then(|| quote!(_ => Err(raw.unexpected_status()),));
    let decode = quote! {
        let raw = client.send::<#error_type>(request).await?;
        match raw.status().as_u16() {
            #(#arms)*
            #fallback
        }
    };
    (quote!(#name), decode)
}

/// The enum of an operation whose success statuses have different bodies.
fn status_enum(cx: &Emitter<'_>, op: &Operation, answers: &StatusEnum) -> TokenStream {
    let name = ident(&answers.name);
    let doc = doc_attrs(&format!(
        "The success answers of [`{}`](super::{}): one variant per status, as the spec lists them.",
        op.builder_name, op.builder_name
    ));
    let variants = answers.variants.iter().map(|v| {
        let doc = doc_attrs(&format!("`{}`: {}", v.status, one_line(&v.description)));
        let variant = ident(&v.name);
        match &v.body {
            Some((_, kind)) => {
                let (ty, _) = decoder(cx, Some(kind));
                quote!(#doc #variant(#ty),)
            }
            None => quote!(#doc #variant,),
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }
    }
}

fn send_doc(op: &Operation) -> String {
    let success =
        op.response.description.as_deref().map(|d| format!(" On success: {}", one_line(d))).unwrap_or_default();
    let (what, note) = match op.response.body {
        Some((_, BodyKind::EventStream { .. })) => (
            "Sends the request; the answer is a stream of events, decoded as they arrive \
             ([`EventStream`](crate::EventStream)).",
            "",
        ),
        Some((_, BodyKind::Bytes)) if op.response.by_status.is_none() => (
            "Sends the request and decodes the answer.",
            "\n\nThe body is read into memory, within the client's `max_response_bytes`; for a big \
             one, [`send_streaming`](Self::send_streaming) reads it as it arrives.",
        ),
        _ => ("Sends the request and decodes the answer.", ""),
    };
    let text = format!("{what}{success}{note}");
    with_errors(op, text)
}

fn send_streaming_doc(op: &Operation) -> String {
    let success =
        op.response.description.as_deref().map(|d| format!(" On success: {}", one_line(d))).unwrap_or_default();
    let text = format!(
        "Sends the request and returns the answer's body as a stream of chunks, read as they arrive, \
         whatever its size.{success}\n\nTake the stream with `into_body()`, then read it with \
         [`ByteStream::chunk`](crate::ByteStream::chunk) or as a `futures_core::Stream`. The time limit is \
         the longest wait for the answer to start, then between two chunks. An answer that fails part way \
         is an error of the stream, not retried."
    );
    with_errors(op, text)
}

/// `text`, then the errors the call can fail with.
fn with_errors(op: &Operation, text: String) -> String {
    let mut text = format!("{text}\n\n# Errors\n\nFails as described on [`Error`](crate::Error).");
    let errors: Vec<String> = op
        .responses
        .iter()
        .filter(|r| !r.status.is_success())
        .map(|r| format!("- `{}`: {}", r.status, one_line(&r.description)))
        .collect();
    if !errors.is_empty() {
        text.push_str(" The spec lists these error statuses ([`Error::Api`](crate::Error::Api)):\n\n");
        text.push_str(&errors.join("\n"));
    }
    text
}
