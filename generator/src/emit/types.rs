//! `src/types.rs`: a struct or enum per named type of the model.

use proc_macro2::TokenStream;
use quote::quote;

use super::derives::{derives_json_schema, enum_json_schema, extra_derives, field_json_schema};
use super::docs::{doc_attrs, field_doc, inner_doc_attrs};
use super::{cfg_attr, checks, feature_condition, field_init, ident, Emitter, Place, Value};
use crate::model::{
    Compiled, Field, Struct, TypeDef, TypeId, TypeKind, TypeRef, Union, UnionDecoding, UnionVariant, Variant,
};

/// The part of `src/types.rs` that holds the types in `range`, after the module's docs in
/// the first part (the one from 0): the file is emitted in parts, on all cores.
pub(super) fn types_rs(cx: &Emitter<'_>, range: std::ops::Range<usize>) -> TokenStream {
    let module_doc = (range.start == 0).then(|| {
        inner_doc_attrs(
            "The types of the API's schemas: request and response bodies and the types they hold.\n\n\
         Structs take their required fields in `new` and their optional fields through methods of\n\
         the same name; an optional field left unset is left out of the JSON. Enums keep values\n\
         this version does not know in a fallback variant instead of failing to decode.",
        )
    });
    let defs = cx.model.types.get(range.clone()).unwrap_or_default().iter().enumerate();
    let defs = defs.map(|(index, def)| type_def(cx, TypeId::new(range.start + index), def));
    quote! {
        #module_doc
        #(#defs)*
    }
}

fn type_def(cx: &Emitter<'_>, id: TypeId, def: &TypeDef) -> TokenStream {
    let mut doc = doc_attrs(def.doc.as_deref().unwrap_or_default());
    if def.deprecated {
        doc.extend(quote!(#[deprecated]));
    }
    // The type is compiled with the features that use it: one or two are named on every
    // item written for it, more once, on a `cfg_items!` that holds the items.
    match &def.compiled {
        Compiled::WithAnyOf(features) if features.len() > 2 => {
            let condition = feature_condition(features);
            let items = type_items(cx, id, def, doc, &TokenStream::new());
            quote! {
                crate::runtime::cfg_items! {
                    #![cfg(#condition)]
                    #items
                }
            }
        }
        compiled => type_items(cx, id, def, doc, &cfg_attr(compiled)),
    }
}

/// The items written for a type (its definition and impls), each after `cfg`.
fn type_items(cx: &Emitter<'_>, id: TypeId, def: &TypeDef, doc: TokenStream, cfg: &TokenStream) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(s) => struct_def(cx, id, def, doc, cfg, s),
        TypeKind::Enum { variants, fallback, integer } => {
            let extra = extra_derives(def);
            let json_schema = enum_json_schema(def, cfg, *integer);
            let def = enum_def(&def.name, doc, cfg, &extra, variants, fallback, *integer);
            quote!(#def #json_schema)
        }
        TypeKind::Union(union) => {
            let multipart = cx.multipart.contains(&id).then(|| {
                let write_parts = union_multipart_impl(cx, &def.name, union);
                quote!(#cfg #write_parts)
            });
            let union = union_def(cx, def, doc, cfg, union);
            quote!(#union #multipart)
        }
    }
}

fn struct_def(
    cx: &Emitter<'_>,
    id: TypeId,
    def: &TypeDef,
    doc: TokenStream,
    cfg: &TokenStream,
    s: &Struct,
) -> TokenStream {
    let multipart = cx.multipart.contains(&id).then(|| {
        let write_parts = multipart_impl(cx, &def.name, s);
        quote!(#cfg #write_parts)
    });
    let name = ident(&def.name);
    let all_optional = s.fields.iter().all(|f| !f.required);
    let default = all_optional.then(|| quote!(Default,));
    let extra = extra_derives(def);
    let json_schema = derives_json_schema(def);
    let fields = s.fields.iter().map(|f| field_def(cx, f, json_schema));

    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let params = required.iter().map(|f| {
        let (ty, _) = cx.argument(&ident(&f.rust_name), &f.ty, Place::Types);
        let name = ident(&f.rust_name);
        let ty = if f.nullable { quote!(Option<#ty>) } else { ty };
        quote!(#name: #ty)
    });
    let inits = s.fields.iter().map(|f| {
        let name = ident(&f.rust_name);
        if !f.required {
            return quote!(#name: None);
        }
        let (_, convert) = cx.argument(&name, &f.ty, Place::Types);
        let identity = name == convert.to_string();
        let value = match (f.nullable, f.boxed) {
            (false, false) => convert,
            (false, true) => quote!(Box::new(#convert)),
            (true, false) if identity => quote!(#name),
            (true, false) => quote!(#name.map(|#name| #convert)),
            (true, true) if identity => quote!(#name.map(Box::new)),
            (true, true) => quote!(#name.map(|#name| Box::new(#convert))),
        };
        field_init(&name, value)
    });
    let many_arguments = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // With every field optional the struct derives `Default`, which is the empty value (a
    // setter may be named `default`).
    let body = if all_optional { quote!(<Self as Default>::default()) } else { quote!(Self { #(#inits),* }) };
    let setters = s.fields.iter().filter(|f| !f.required).map(|f| setter(cx, f));
    let validate = def.validates.then(|| validate_fn(cx, s));
    let object = object_impl(&def.name, s);

    quote! {
        #doc
        #cfg
        #[derive(Debug, Clone, PartialEq, #default #extra)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #cfg
        impl #name {
            /// A value with the required fields given; set optional fields with the methods below.
            #many_arguments
            pub fn new(#(#params),*) -> Self {
                #body
            }
            #(#setters)*
            #validate
        }

        #cfg
        #object

        #multipart
    }
}

/// How the runtime serializes and deserializes the struct (`runtime/object.rs`): a line per
/// field (index, Rust name, wire name, kind) in an `object!` invocation, which writes the
/// struct's `Object`, `Serialize` and `Deserialize` impls. This replaces
/// `#[derive(Serialize, Deserialize)]`, whose expansion per struct was most of the crate's
/// compile time.
fn object_impl(name: &str, s: &Struct) -> TokenStream {
    let type_name = ident(name);
    let fields = s.fields.iter().enumerate().map(|(index, f)| {
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        let field = ident(&f.rust_name);
        let wire = &f.wire_name;
        let kind = ident(match (f.required, f.nullable) {
            (true, false) => "required",
            (true, true) => "nullable",
            (false, false) => "optional",
            (false, true) => "optional_nullable",
        });
        quote!(#index #field #wire #kind;)
    });
    quote! {
        crate::runtime::object::object! {
            #type_name;
            #(#fields)*
        }
    }
}

/// A union sent as `multipart/form-data`: its variant writes the parts (a struct, as
/// [`multipart_impl`] has it); a variant of another type cannot be parts, an error.
fn union_multipart_impl(cx: &Emitter<'_>, name: &str, union: &Union) -> TokenStream {
    let type_name = ident(name);
    let arms = union.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let is_struct = matches!(v.ty, TypeRef::Named(id) if matches!(cx.model.type_def(id).kind, TypeKind::Struct(_)));
        if is_struct {
            quote!(Self::#variant(value) => value.write_parts(form),)
        } else {
            let problem = format!("a `{}` cannot be sent as the parts of a form", v.name);
            quote!(Self::#variant(_) => Err(crate::ValidationError::new("body", #problem)),)
        }
    });
    quote! {
        impl crate::runtime::multipart::MultipartBody for #type_name {
            fn write_parts(&self, form: &mut crate::runtime::multipart::Form) -> Result<(), crate::ValidationError> {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

/// How a body sent as `multipart/form-data` writes its parts: scalars and enums as text
/// (lists as one part per item), files as file parts, anything else as JSON.
fn multipart_impl(cx: &Emitter<'_>, name: &str, s: &Struct) -> TokenStream {
    let type_name = ident(name);
    let writes = s.fields.iter().map(|field| {
        let wire = &field.wire_name;
        let write = |value: TokenStream| match &field.ty {
            TypeRef::File => quote!(form.file(#wire, #value);),
            TypeRef::Vec(item) if **item == TypeRef::File => quote!(for item in #value { form.file(#wire, item); }),
            TypeRef::Vec(item) if cx.is_text(item) => quote!(for item in #value { form.text(#wire, item); }),
            ty if cx.is_text(ty) => quote!(form.text(#wire, #value);),
            _ => quote!(form.json(#wire, #value)?;),
        };
        let name = ident(&field.rust_name);
        let by_ref = write(quote!(value));
        // A number or boolean is passed by value (it is `Copy`), anything else by reference.
        let copy = matches!(field.ty, TypeRef::Bool | TypeRef::Integer(_) | TypeRef::Float(_));
        match (field.required, field.nullable) {
            (true, false) if copy => write(quote!(self.#name)),
            (true, false) => write(quote!(&self.#name)),
            (false, true) => quote!(if let Some(Some(value)) = &self.#name { #by_ref }),
            _ => quote!(if let Some(value) = &self.#name { #by_ref }),
        }
    });
    quote! {
        impl crate::runtime::multipart::MultipartBody for #type_name {
            fn write_parts(&self, form: &mut crate::runtime::multipart::Form) -> Result<(), crate::ValidationError> {
                #(#writes)*
                Ok(())
            }
        }
    }
}

/// A struct's field; with `json_schema` (the struct derives `schemars::JsonSchema`), with
/// the attributes that make its schema the wire's ([`field_json_schema`]).
fn field_def(cx: &Emitter<'_>, field: &Field, json_schema: bool) -> TokenStream {
    let doc = doc_attrs(&field_doc(&field.doc, &format!("The `{}` field.", field.wire_name)));
    let name = ident(&field.rust_name);
    let mut ty = cx.type_tokens(&field.ty, Place::Types);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    if !field.required && field.nullable {
        // Absent is `None`, `null` is `Some(None)`.
        ty = quote!(Option<#ty>);
    }
    if !field.required || field.nullable {
        ty = quote!(Option<#ty>);
    }
    let deprecated = field.doc.deprecated.then(|| quote!(#[deprecated]));
    let schema = json_schema.then(|| field_json_schema(field));
    quote! {
        #doc
        #deprecated
        #schema
        pub #name: #ty,
    }
}

fn setter(cx: &Emitter<'_>, field: &Field) -> TokenStream {
    let detail = field_doc(&field.doc, "");
    let doc = if detail.is_empty() {
        format!("Sets `{}`.", field.wire_name)
    } else {
        format!("Sets `{}`: {detail}", field.wire_name)
    };
    let name = ident(&field.rust_name);
    let setter = ident(&field.setter);
    let deprecated = field.doc.deprecated.then(|| quote!(#[deprecated]));
    let allowance = super::setter_allowance(&field.setter);
    let deprecated = quote!(#deprecated #allowance);
    if field.nullable {
        // Optional and nullable: the argument says whether to send a value or `null`.
        let doc = doc_attrs(&format!("{doc}\n\n`None` sends `null`; leave it unset to leave the field out."));
        let ty = cx.type_tokens(&field.ty, Place::Types);
        let (ty, value) = if field.boxed { (quote!(Box<#ty>), quote!(#name)) } else { (ty, quote!(#name)) };
        return quote! {
            #doc
            #deprecated
            pub fn #setter(mut self, #name: Option<#ty>) -> Self {
                self.#name = Some(#value);
                self
            }
        };
    }
    let doc = doc_attrs(&doc);
    let (ty, convert) = cx.argument(&name, &field.ty, Place::Types);
    let value = if field.boxed { quote!(Box::new(#convert)) } else { convert };
    quote! {
        #doc
        #deprecated
        pub fn #setter(mut self, #name: #ty) -> Self {
            self.#name = Some(#value);
            self
        }
    }
}

fn validate_fn(cx: &Emitter<'_>, s: &Struct) -> TokenStream {
    let checks = s.fields.iter().map(|field| {
        let name = ident(&field.rust_name);
        if field.required && !field.nullable {
            checks(cx, &field.wire_name, Value::Place(quote!(self.#name)), &field.ty, &field.constraints)
        } else {
            let inner = checks(cx, &field.wire_name, Value::Ref(quote!(value)), &field.ty, &field.constraints);
            if inner.is_empty() {
                inner
            } else if !field.required && field.nullable {
                quote!(if let Some(Some(value)) = &self.#name { #inner })
            } else {
                quote!(if let Some(value) = &self.#name { #inner })
            }
        }
    });
    quote! {
        /// Checks the constraints the spec puts on this value; the client calls it before
        /// sending the value, so a request that breaks them is never sent.
        pub fn validate(&self) -> Result<(), crate::ValidationError> {
            #(#checks)*
            Ok(())
        }
    }
}

/// An enum of strings, or of integers (3.1's `oneOf` of `const`s): its variants, written
/// out, then their values on the wire as a table for the runtime's `string_enum!` or
/// `integer_enum!`, which writes the impls (`runtime/enums.rs`). A value this version does
/// not know is kept in the fallback variant, a `String` or an `i64`.
fn enum_def(
    name: &str,
    doc: TokenStream,
    cfg: &TokenStream,
    extra: &TokenStream,
    variants: &[Variant],
    fallback: &str,
    integer: bool,
) -> TokenStream {
    let name = ident(name);
    let fallback = ident(fallback);
    let variant_defs = variants.iter().map(variant_def);
    let rows = variants.iter().filter_map(|v| {
        let variant = ident(&v.name);
        let wire = if integer {
            proc_macro2::Literal::i64_unsuffixed(v.wire_name.parse().ok()?)
        } else {
            proc_macro2::Literal::string(&v.wire_name)
        };
        Some(quote!(#wire => #variant;))
    });
    let (copy, value, table) = if integer {
        (quote!(Copy,), quote!(i64), quote!(integer_enum))
    } else {
        (TokenStream::new(), quote!(String), quote!(string_enum))
    };
    quote! {
        #doc
        #cfg
        #[derive(Debug, Clone, #copy PartialEq, Eq, Hash, #extra)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_defs)*
            /// A value this version of the client does not know, kept as the server sent it.
            #fallback(#value),
        }

        #cfg
        crate::runtime::enums::#table! {
            #name;
            #(#rows)*
            _ => #fallback;
        }
    }
}

/// A variant of an enum, documented with its value on the wire (after the spec's words on it).
fn variant_def(variant: &Variant) -> TokenStream {
    // `""` would be an empty code span, which Markdown prints as two backticks.
    let wire = match variant.wire_name.as_str() {
        "" => "`\"\"` (the empty string)".to_owned(),
        wire => format!("`{wire}`"),
    };
    let doc = match &variant.doc {
        Some(text) => doc_attrs(&format!("{text}\n\n{wire}")),
        None => {
            let doc = format!(" {wire}");
            quote!(#[doc = #doc])
        }
    };
    let name = ident(&variant.name);
    quote!(#doc #name,)
}

fn union_def(cx: &Emitter<'_>, def: &TypeDef, doc: TokenStream, cfg: &TokenStream, union: &Union) -> TokenStream {
    let name = def.name.as_str();
    let type_name = ident(name);
    let variant_type = |v: &UnionVariant| {
        let ty = cx.type_tokens(&v.ty, Place::Types);
        if v.boxed {
            quote!(Box<#ty>)
        } else {
            ty
        }
    };
    let variant_defs = union.variants.iter().map(|v| {
        let mut text = v.doc.clone().unwrap_or_else(|| match &v.ty {
            TypeRef::Named(id) => format!("A [`{}`].", cx.model.type_def(*id).name),
            other => format!("A `{}`.", crate::api_summary::rust_type(cx.model, other)),
        });
        if !v.tag_values.is_empty() {
            text.push_str("\n\n");
            let values: Vec<String> = v.tag_values.iter().map(|value| format!("`{value}`")).collect();
            text.push_str(&format!("Tag: {}.", values.join(" or ")));
        }
        let doc = doc_attrs(&text);
        let variant = ident(&v.name);
        let ty = variant_type(v);
        quote!(#doc #variant(#ty),)
    });
    let from_impls = from_impls(cx, &type_name, cfg, union);
    let extra = extra_derives(def);
    let validate = def.validates.then(|| {
        let checks = union.variants.iter().map(|v| {
            let variant = ident(&v.name);
            let inner = checks(cx, name, Value::Ref(quote!(value)), &v.ty, &v.constraints);
            (!inner.is_empty()).then(|| quote!(if let Self::#variant(value) = self { #inner }))
        });
        quote! {
            #cfg
            impl #type_name {
                /// Checks the constraints the spec puts on this value; the client calls it before
                /// sending the value, so a request that breaks them is never sent.
                pub fn validate(&self) -> Result<(), crate::ValidationError> {
                    #(#checks)*
                    Ok(())
                }
            }
        }
    });
    let UnionDecoding::Tagged { property, fallback } = &union.decoding else {
        let is_struct = |v: &&UnionVariant| matches!(&v.ty, TypeRef::Named(id) if matches!(cx.model.type_def(*id).kind, TypeKind::Struct(_)));
        if union.variants.iter().filter(is_struct).count() < 2 {
            return quote! {
                #doc
                ///
                /// Decoding tries the variants in this order and takes the first that fits.
                #cfg
                #[derive(Debug, Clone, PartialEq, #extra serde::Serialize, serde::Deserialize)]
                #[serde(untagged)]
                #[non_exhaustive]
                #[allow(clippy::large_enum_variant)]
                pub enum #type_name {
                    #(#variant_defs)*
                }
                #from_impls
                #validate
            };
        }
        // Several structs: an object is read as the one that knows most of its keys.
        let candidates = union.variants.iter().map(|v| {
            let variant = ident(&v.name);
            let fields = match is_struct(&v) {
                true => {
                    let ty = cx.type_tokens(&v.ty, Place::Types);
                    quote!(<#ty as crate::runtime::object::Object>::FIELDS)
                }
                false => quote!(&[]),
            };
            quote!((#fields, |value| serde::Deserialize::deserialize(value).map(Self::#variant)),)
        });
        return quote! {
            #doc
            ///
            /// Decoding tries the variants in this order and takes the first that fits, except
            /// that a JSON object is read first as the variants that know more of its keys.
            #cfg
            #[derive(Debug, Clone, PartialEq, #extra serde::Serialize)]
            #[serde(untagged)]
            #[non_exhaustive]
            #[allow(clippy::large_enum_variant)]
            pub enum #type_name {
                #(#variant_defs)*
            }

            #cfg
            impl<'de> serde::Deserialize<'de> for #type_name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                    crate::runtime::codec::decode_untagged(&value, #name, &[#(#candidates)*])
                }
            }
            #from_impls
            #validate
        };
    };
    let fallback = ident(fallback);
    let fallback_doc =
        format!(" A value whose `{property}` this version of the client does not know, kept as it was sent.");
    let serialize_arms = union.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let tag = &v.tag_values[0];
        quote!(Self::#variant(value) => (#tag, serde_json::to_value(value)),)
    });
    let deserialize_arms = union.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let tags = &v.tag_values;
        quote!(Some(#(#tags)|*) => crate::runtime::codec::decode(value).map(Self::#variant),)
    });
    let tag_doc = format!(" Told apart by the `{property}` property.");
    // Its schema is that of its variants (`anyOf`), without the fallback, which holds any value.
    let (untagged_schema, skip_schema) = match derives_json_schema(def) {
        true => (quote!(#[schemars(untagged)]), quote!(#[schemars(skip)])),
        false => (TokenStream::new(), TokenStream::new()),
    };
    quote! {
        #doc
        ///
        #[doc = #tag_doc]
        #cfg
        #[derive(Debug, Clone, PartialEq, #extra)]
        #untagged_schema
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #type_name {
            #(#variant_defs)*
            #[doc = #fallback_doc]
            #skip_schema
            #fallback(serde_json::Value),
        }

        #cfg
        impl serde::Serialize for #type_name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let (tag, value) = match self {
                    #(#serialize_arms)*
                    Self::#fallback(value) => return serde::Serialize::serialize(value, serializer),
                };
                crate::runtime::codec::serialize_tagged(serializer, #property, tag, value)
            }
        }

        #cfg
        impl<'de> serde::Deserialize<'de> for #type_name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                match crate::runtime::codec::tag(&value, #property) {
                    #(#deserialize_arms)*
                    _ => Ok(Self::#fallback(value)),
                }
            }
        }
        #from_impls
        #validate
    }
}

/// `From<T>` for each variant whose type no other variant has, so a value converts with `.into()`.
fn from_impls(cx: &Emitter<'_>, type_name: &proc_macro2::Ident, cfg: &TokenStream, union: &Union) -> TokenStream {
    let unique = |ty: &TypeRef| union.variants.iter().filter(|v| &v.ty == ty).count() == 1;
    let impls = union.variants.iter().filter(|v| unique(&v.ty)).map(|v| {
        let variant = ident(&v.name);
        let ty = cx.type_tokens(&v.ty, Place::Types);
        let value = if v.boxed { quote!(Box::new(value)) } else { quote!(value) };
        quote! {
            #cfg
            impl From<#ty> for #type_name {
                fn from(value: #ty) -> Self {
                    Self::#variant(#value)
                }
            }
        }
    });
    quote!(#(#impls)*)
}
