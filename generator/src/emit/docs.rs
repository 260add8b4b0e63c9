//! Documentation comments from the spec's text.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Doc;

/// `#[doc]` attributes for `text`, one per line (printed as `///` comments).
pub(super) fn doc_attrs(text: &str) -> TokenStream {
    let mut out = TokenStream::new();
    for line in text.trim().lines() {
        let line = line.trim_end().replace('\t', "    ");
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        out.extend(quote!(#[doc = #line]));
    }
    out
}

/// `#![doc]` attributes (module and crate docs, printed as `//!` comments).
pub(super) fn inner_doc_attrs(text: &str) -> TokenStream {
    let mut out = TokenStream::new();
    for line in text.trim().lines() {
        let line = line.trim_end().replace('\t', "    ");
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        out.extend(quote!(#![doc = #line]));
    }
    out
}

/// The text of a field's or parameter's documentation: the spec's description, then its
/// format, default and deprecation, which the Rust type does not show.
pub(super) fn field_doc(doc: &Doc, fallback: &str) -> String {
    let mut text = doc.description.clone().filter(|d| !d.trim().is_empty()).unwrap_or_else(|| fallback.to_owned());
    let mut facts = Vec::new();
    if let Some(format) = &doc.format {
        facts.push(format!("Format: `{format}`."));
    }
    if let Some(default) = &doc.default {
        facts.push(format!("Default: `{default}`."));
    }
    if doc.deprecated {
        facts.push("Deprecated.".to_owned());
    }
    if doc.read_only {
        facts.push("Read-only: the server sets it; requests leave it out.".to_owned());
    }
    if doc.write_only {
        facts.push("Write-only: sent in requests, never in answers.".to_owned());
    }
    if !facts.is_empty() {
        text.push_str("\n\n");
        text.push_str(&facts.join(" "));
    }
    text
}
