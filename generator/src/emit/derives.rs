//! The extra derives of a type ([`TypeDef::derives`], decided in resolve) as `emit::types`
//! writes them, and `schemars::JsonSchema` where the derive alone would not describe the wire:
//! a struct's fields (wire names, optional fields left out), and enums, whose serde impls are
//! by hand and so is their schema.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::model::{Derive, Field, TypeDef, TypeKind};

/// The type's derives beyond its kind's own ([`TypeDef::derives`]), each followed by a
/// comma, to write after those in its `#[derive(...)]`. An enum's `schemars::JsonSchema` is
/// not among them: [`enum_json_schema`] writes it by hand, as the enum's serde impls are.
pub(super) fn extra_derives(def: &TypeDef) -> TokenStream {
    let by_hand = matches!(def.kind, TypeKind::Enum { .. });
    let paths = def.derives.iter().filter(|d| !(by_hand && **d == Derive::JsonSchema));
    // Paths were checked to be paths in resolve.
    let paths = paths.filter_map(|d| d.path().parse::<TokenStream>().ok());
    quote!(#(#paths,)*)
}

pub(super) fn derives_json_schema(def: &TypeDef) -> bool {
    def.derives.contains(&Derive::JsonSchema)
}

/// An enum's `schemars::JsonSchema`, when it gets it: a string (or integer) of the values
/// the spec lists. The fallback variant keeps other values a server sends; the schema
/// describes what the spec does.
pub(super) fn enum_json_schema(def: &TypeDef, cfg: &TokenStream, integer: bool) -> TokenStream {
    if !derives_json_schema(def) {
        return TokenStream::new();
    }
    let name = ident(&def.name);
    let schema_name = def.name.trim_start_matches("r#");
    let json_type = if integer { "integer" } else { "string" };
    quote! {
        #cfg
        impl schemars::JsonSchema for #name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(#schema_name)
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let mut schema = schemars::Schema::default();
                schema.insert("type".to_owned(), #json_type.into());
                schema.insert("enum".to_owned(), Self::VALUES.into());
                schema
            }
        }
    }
}

/// A field's attributes for the derived `schemars::JsonSchema`: the wire name, and for an
/// optional field that `None` is left out (so that the schema of what is sent does not
/// require it). Decoding takes an absent field and `null` alike for any `Option`, as
/// schemars' schema of what is read says of every `Option` field.
pub(super) fn field_json_schema(field: &Field) -> TokenStream {
    let mut schema = TokenStream::new();
    if field.wire_name != field.rust_name.trim_start_matches("r#") {
        let wire = &field.wire_name;
        schema.extend(quote!(#[schemars(rename = #wire)]));
    }
    if !field.required {
        schema.extend(quote!(#[schemars(skip_serializing_if = "Option::is_none")]));
    }
    schema
}
