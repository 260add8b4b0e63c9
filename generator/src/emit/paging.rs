//! A list operation's page walk: `pages()` and `into_stream()` on its request builder, and
//! the function that reads one answer as a page. The walk itself (when to stop, retries,
//! laziness) is the runtime's (`runtime/paging.rs`); this says only which parameter moves
//! and where each answer keeps its items.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::{ident, Emitter, Place};
use crate::model::{BodyKind, Operation, PageShape, Paging, PagingKind};

/// The page size asked for when the caller sets none, as Auth0's SDKs ask (or the spec's
/// maximum, if lower).
const DEFAULT_PAGE_SIZE: u64 = 50;

/// The builder's paging methods, for an operation that is a list.
pub(super) fn paging_methods(cx: &Emitter<'_>, op: &Operation, paging: &Paging) -> TokenStream {
    let Some((_, BodyKind::Json(body))) = &op.response.body else { return TokenStream::new() };
    let body = cx.type_tokens(body, Place::ImportedTypes);
    let item = cx.type_tokens(&paging.item, Place::ImportedTypes);
    let error = cx.type_tokens(&op.error_type, Place::ImportedTypes);

    let mut setup = TokenStream::new();
    let field = |param: usize| (ident(&op.params[param].rust_name), op.params[param].wire_name.as_str());
    let (mut walk, how) = match &paging.kind {
        PagingKind::PageNumber { param, first } => {
            let ((field, wire), first) = (field(*param), proc_macro2::Literal::u64_unsuffixed(*first));
            setup.extend(quote!(let first = *self.#field.get_or_insert(#first);));
            let how = format!("by page number (`{wire}`, from {first} unless set)");
            (quote!(crate::runtime::paging::Walk::page_number(#wire, first)), how)
        }
        PagingKind::ItemOffset { param } => {
            let (field, wire) = field(*param);
            setup.extend(quote!(let first = *self.#field.get_or_insert(0);));
            let how = format!("by item offset (`{wire}`, from 0 unless set)");
            (quote!(crate::runtime::paging::Walk::item_offset(#wire, first)), how)
        }
        PagingKind::Cursor { param } => {
            let (field, wire) = field(*param);
            let how = format!("by the cursor each answer gives for the next page (`{wire}`)");
            (quote!(crate::runtime::paging::Walk::cursor(#wire, self.#field.clone())), how)
        }
        PagingKind::NextLink { field } => {
            let how = format!(
                "by the link each answer gives to the next page (`{field}`), fetched as it is \
                 (with its own query) on the client's origin"
            );
            (quote!(crate::runtime::paging::Walk::next_link(#field)), how)
        }
    };
    let mut how = vec![how];
    if let Some(size) = paging.size {
        let size_param = &op.params[size];
        let size_field = ident(&size_param.rust_name);
        // Within the spec's bound: Auth0 allows 10 connection profiles a page, not 50.
        let default = size_param.maximum.map_or(DEFAULT_PAGE_SIZE, |maximum| maximum.clamp(1, DEFAULT_PAGE_SIZE));
        let literal = proc_macro2::Literal::u64_unsuffixed(default);
        setup.extend(quote!(let size = *self.#size_field.get_or_insert(#literal);));
        walk.extend(quote!(.size(size)));
        how.push(format!("{default} items a page (`{}`) unless set", size_param.wire_name));
    }
    if let Some(totals) = paging.totals {
        let totals_param = &op.params[totals];
        let totals_field = ident(&totals_param.rust_name);
        setup.extend(quote!(self.#totals_field.get_or_insert(true);));
        how.push(format!("asking for the total (`{}`) unless set", totals_param.wire_name));
    }
    let how = how.join(", ");
    let stream_doc = format!(
        "Every item of the list, across its pages: a stream that fetches a page when it needs \
         the next item. Pages are walked {how}; each is sent as [`send`](Self::send) sends a \
         request, with its retries.\n\nThe stream ends after the last page, or after yielding \
         an error. Dropping it sends nothing more."
    );
    let pages_doc = "The list's pages, each with its items and what the answer said of the whole \
                     list (total, next cursor, rate limit), fetched one at a time as the stream \
                     is polled. Walked as [`into_stream`](Self::into_stream) says.";
    let arms = paging.shapes.iter().map(|shape| read_shape(&body, shape));
    let read = match paging.shapes.first() {
        Some(shape) if shape.variant.is_none() => read_shape(&body, shape),
        _ => quote!(match body { #(#arms)* }),
    };
    let (stream_doc, pages_doc) = (doc_attrs(&stream_doc), doc_attrs(pages_doc));
    // A walk by links resumes from a saved link, as a cursor walk does from its parameter.
    let resume = match &paging.kind {
        PagingKind::NextLink { field } => quote! {
            /// The list's pages from a link to one of them that an earlier page gave
            /// ([`Page::next_cursor`](crate::Page::next_cursor)), to resume a walk: the link is
            /// fetched as [`pages`](Self::pages) fetches the next, on the client's origin only.
            pub fn pages_from(self, link: impl Into<String>) -> crate::Pages<#item, #error> {
                let walk = crate::runtime::paging::Walk::next_link(#field).resume_at(link.into());
                let client = self.client.clone();
                crate::Pages::new(client, self.into_request(), walk, Self::read_page)
            }
        },
        _ => TokenStream::new(),
    };
    // Defaults are set on the builder's fields; a cursor walk without a page size sets none.
    let receiver = if setup.is_empty() { quote!(self) } else { quote!(mut self) };
    quote! {
        #stream_doc
        pub fn into_stream(self) -> crate::Items<#item, #error> {
            self.pages().items()
        }

        #pages_doc
        pub fn pages(#receiver) -> crate::Pages<#item, #error> {
            #setup
            let walk = #walk;
            let client = self.client.clone();
            crate::Pages::new(client, self.into_request(), walk, Self::read_page)
        }

        #resume

        /// One answer, as a page.
        fn read_page(body: #body) -> crate::runtime::paging::PageBody<#item> {
            #read
        }
    }
}

/// The page in one shape of answer: a match arm for a union's variant, else an expression.
fn read_shape(body: &TokenStream, shape: &PageShape) -> TokenStream {
    let value = if shape.variant.is_some() { quote!(page) } else { quote!(body) };
    let mut page = match &shape.items {
        Some(items) => {
            let items = ident(items);
            quote!(crate::runtime::paging::PageBody::new(#value.#items))
        }
        None => quote!(crate::runtime::paging::PageBody::new(#value)),
    };
    if let Some(total) = &shape.total {
        let total = ident(total);
        page.extend(quote!(.total(#value.#total)));
    }
    if let Some(next) = &shape.next {
        let next = ident(next);
        page.extend(quote!(.next(#value.#next)));
    }
    match &shape.variant {
        Some(variant) => {
            let variant = ident(variant);
            quote!(#body::#variant(page) => #page,)
        }
        None => page,
    }
}
