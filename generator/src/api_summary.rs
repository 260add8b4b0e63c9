//! `API.md`: the generated crate's public API as a short, sorted, stable Markdown summary.
//!
//! Written from the [`Model`] beside the code, so that a pull request that changes the spec
//! shows first what changed for the crate's users. Every `- ` line is one fact under its
//! `###` heading, in the form ``- kind `name`: value``, which [`crate::api_diff`] reads
//! back to compare two versions.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::model::{
    BodyKind, FloatType, IntegerType, Model, Operation, Paging, PagingKind, Release, SchemeKind, StringFormat,
    TypeKind, TypeRef, UnionDecoding,
};

pub(crate) fn api_md(model: &Model, crate_name: &str) -> String {
    let mut operations: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (index, group) in model.groups.iter().enumerate() {
        let receiver: String = model
            .group_path(index)
            .iter()
            .fold("client".to_owned(), |receiver, group| format!("{receiver}.{}()", group.accessor));
        for op in &group.operations {
            let mut facts = Vec::new();
            let mut arguments: Vec<String> =
                op.arguments().map(|(_, p)| format!("{}: {}", p.rust_name, rust_type(model, &p.ty))).collect();
            if let Some(body) = op.body.as_ref().filter(|b| b.required) {
                arguments.push(format!("{}: {}", body.rust_name, request_body_type(model, &body.kind)));
            }
            facts.push(format!("- call: `{receiver}.{}({})`", op.method_name, arguments.join(", ")));
            match op.release {
                Some(Release::Beta) => facts.push("- release: beta".to_owned()),
                Some(Release::EarlyAccess) => facts.push("- release: early access".to_owned()),
                None => {}
            }
            let output = match &op.response.by_status {
                Some(answers) => {
                    for v in &answers.variants {
                        let body = v.body.as_ref().map_or_else(|| "no body".to_owned(), |(_, k)| body_type(model, k));
                        facts.push(format!("- answer `{}`: `{}` with {body}", v.name, v.status));
                    }
                    answers.name.clone()
                }
                None => op.response.body.as_ref().map_or_else(|| "()".to_owned(), |(_, kind)| body_type(model, kind)),
            };
            facts.push(format!("- returns: `Result<Response<{output}>, Error<{}>>`", rust_type(model, &op.error_type)));
            for param in &op.params {
                let required = if param.required { "required" } else { "optional" };
                facts.push(format!(
                    "- parameter `{}`: {}, `{}`, {required}",
                    param.wire_name,
                    param.location.as_str(),
                    rust_type(model, &param.ty)
                ));
            }
            if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
                facts.push(format!("- parameter `body`: body, `{}`, optional", request_body_type(model, &body.kind)));
            }
            if let Some(paging) = &op.paging {
                facts.push(format!("- pages: `{}`, {}", rust_type(model, &paging.item), walk(op, paging)));
            }
            facts.sort();
            operations.insert(format!("`{} {}`", op.http_method.as_str(), op.path), facts);
        }
    }

    // By name first, so that a type keeps its place if it turns from struct to enum.
    let mut types: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for def in &model.types {
        match &def.kind {
            TypeKind::Struct(s) => {
                let mut facts: Vec<String> = s
                    .fields
                    .iter()
                    .map(|f| {
                        let mut ty = rust_type(model, &f.ty);
                        if f.nullable {
                            ty = format!("Option<{ty}>");
                        }
                        let required = if f.required { "required" } else { "optional" };
                        format!("- field `{}`: `{ty}`, {required}, Rust `{}`", f.wire_name, f.rust_name)
                    })
                    .collect();
                facts.sort();
                types.insert((def.name.clone(), format!("struct `{}`", def.name)), facts);
            }
            TypeKind::Union(union) => {
                let mut facts: Vec<String> = union
                    .variants
                    .iter()
                    .map(|v| {
                        let ty =
                            if v.boxed { format!("Box<{}>", rust_type(model, &v.ty)) } else { rust_type(model, &v.ty) };
                        match v.tag_values.as_slice() {
                            [] => format!("- variant `{}`: `{ty}`", v.name),
                            values => format!("- variant `{}`: `{ty}`, tag `{}`", v.name, values.join("`, `")),
                        }
                    })
                    .collect();
                facts.sort();
                facts.push(match &union.decoding {
                    UnionDecoding::Tagged { property, .. } => format!("- decoding: by the tag `{property}`"),
                    UnionDecoding::Untagged => {
                        let order: Vec<&str> = union.variants.iter().map(|v| v.name.as_str()).collect();
                        format!("- decoding: the first that fits of {}", order.join(", "))
                    }
                });
                types.insert((def.name.clone(), format!("enum `{}`", def.name)), facts);
            }
            TypeKind::Enum { variants, integer, .. } => {
                let mut facts: Vec<String> =
                    variants.iter().map(|v| format!("- value {}: `{}`", wire_value(&v.wire_name), v.name)).collect();
                facts.sort();
                if *integer {
                    facts.insert(0, "- values: integers".to_owned());
                }
                types.insert((def.name.clone(), format!("enum `{}`", def.name)), facts);
            }
        }
        // The extra derives, a fact each: one lost is a breaking change, one gained is not.
        let kind = if matches!(def.kind, TypeKind::Struct(_)) { "struct" } else { "enum" };
        if let Some(facts) = types.get_mut(&(def.name.clone(), format!("{kind} `{}`", def.name))) {
            facts.extend(def.derives.iter().map(|d| format!("- derive `{}`", d.path())));
        }
    }
    // A replaced schema is not a type of the crate: said once, with the type that stands for it.
    for replaced in &model.replaced {
        let facts = vec![format!("- replaced by: `{}`", replaced.rust_type)];
        types.insert((replaced.schema.clone(), format!("schema `{}`", replaced.schema)), facts);
    }

    let mut text = format!(
        "# Public API of `{crate_name}`\n\n\
         Generated from the spec with the code; a pull request's diff of this file is what changed\n\
         for the crate's users. One fact per line: ``- kind `name`: value``.\n"
    );
    let types: Vec<(String, Vec<String>)> = types.into_iter().map(|((_, heading), facts)| (heading, facts)).collect();
    let operations: Vec<(String, Vec<String>)> = operations.into_iter().collect();
    // Credentials other than the bearer token every client has: only for a spec with them.
    let mut credentials: Vec<String> = model
        .security_schemes
        .iter()
        .filter_map(|scheme| match &scheme.kind {
            SchemeKind::Bearer { .. } => None,
            SchemeKind::Basic { method, .. } => {
                Some(format!("- method `{method}`: username and password of the scheme `{}`", scheme.name))
            }
            SchemeKind::ApiKey { location, wire_name, method, .. } => Some(format!(
                "- method `{method}`: API key of the scheme `{}`, {} `{wire_name}`",
                scheme.name,
                location.as_str()
            )),
        })
        .collect();
    credentials.sort();
    if !credentials.is_empty() {
        let _ = write!(text, "\n## Credentials\n\n### `ClientBuilder`\n\n{}\n", credentials.join("\n"));
    }
    for (title, sections) in [("Operations", &operations), ("Types", &types)] {
        let _ = write!(text, "\n## {title}\n");
        if sections.is_empty() {
            text.push_str("\nNone.\n");
        }
        for (heading, facts) in sections {
            let _ = write!(text, "\n### {heading}\n\n{}\n", facts.join("\n"));
        }
    }
    text
}

/// A request body's type: a binary one is a `File` (bytes, a path or a stream).
fn request_body_type(model: &Model, kind: &BodyKind) -> String {
    match kind {
        BodyKind::Bytes => "File".to_owned(),
        kind => body_type(model, kind),
    }
}

fn body_type(model: &Model, kind: &BodyKind) -> String {
    match kind {
        BodyKind::Json(ty) => rust_type(model, ty),
        BodyKind::Form(ty) => format!("{} (form)", rust_type(model, ty)),
        BodyKind::Multipart(ty) => format!("{} (multipart)", rust_type(model, ty)),
        BodyKind::Text => "String".to_owned(),
        BodyKind::Bytes => "Vec<u8>".to_owned(),
        BodyKind::EventStream { ty, .. } => format!("EventStream<{}>", rust_type(model, ty)),
    }
}

/// A type as a user writes it.
pub(crate) fn rust_type(model: &Model, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => model.type_def(*id).name.clone(),
        TypeRef::String => "String".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::Integer(integer) => match integer {
            IntegerType::I8 => "i8",
            IntegerType::I16 => "i16",
            IntegerType::I32 => "i32",
            IntegerType::I64 => "i64",
            IntegerType::U8 => "u8",
            IntegerType::U16 => "u16",
            IntegerType::U32 => "u32",
            IntegerType::U64 => "u64",
        }
        .to_owned(),
        TypeRef::Float(FloatType::F32) => "f32".to_owned(),
        TypeRef::Float(FloatType::F64) => "f64".to_owned(),
        TypeRef::Vec(inner) => format!("Vec<{}>", rust_type(model, inner)),
        TypeRef::Formatted(StringFormat::DateTime) => "DateTime<Utc>".to_owned(),
        TypeRef::Formatted(StringFormat::Date) => "NaiveDate".to_owned(),
        TypeRef::Formatted(StringFormat::Uuid) => "Uuid".to_owned(),
        TypeRef::Tuple(items) => {
            format!("({})", items.iter().map(|item| rust_type(model, item)).collect::<Vec<_>>().join(", "))
        }
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", rust_type(model, inner)),
        TypeRef::Nullable(inner) => format!("Option<{}>", rust_type(model, inner)),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::File => "File".to_owned(),
        TypeRef::Replaced(index) => model.replaced.get(*index).map_or_else(String::new, |r| r.rust_type.clone()),
    }
}

/// How a list's pages are walked, in a few words: `by cursor `from`, size `take``.
fn walk(op: &Operation, paging: &Paging) -> String {
    let name = |index: usize| format!("`{}`", op.params[index].wire_name);
    let mut text = match &paging.kind {
        PagingKind::PageNumber { param, first } => format!("by page number {} from {first}", name(*param)),
        PagingKind::ItemOffset { param } => format!("by item offset {}", name(*param)),
        PagingKind::Cursor { param } => format!("by cursor {}", name(*param)),
        PagingKind::NextLink { field } => format!("by next link `{field}`"),
    };
    if let Some(size) = paging.size {
        text.push_str(&format!(", size {}", name(size)));
    }
    if let Some(totals) = paging.totals {
        text.push_str(&format!(", totals {}", name(totals)));
    }
    text
}

/// An enum's value as a fact writes it: in backticks, the empty string as `""` (two backticks
/// alone are no code span).
fn wire_value(wire: &str) -> String {
    if wire.is_empty() {
        "`\"\"`".to_owned()
    } else {
        format!("`{wire}`")
    }
}
