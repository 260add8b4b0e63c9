//! Lists that span pages: which operations the client walks page by page, and how.
//!
//! The rule, for any spec, decided here once. A `GET` is a list when its success answer is
//! JSON holding a list of items (the body is the list; or a struct with exactly one list
//! field; or a union of those, all lists of the same item type) and when it takes an
//! optional query parameter that moves through pages:
//! - a cursor: a string parameter named as cursors are (`from`, `cursor`, `page_token`,
//!   ...) that an answer's string field (`next`, `next_cursor`, `next_page`, ...) feeds;
//!   chosen when an operation offers it beside page numbers, since it reaches every item
//!   (Auth0 stops page numbers at the thousandth);
//! - a page number: an integer `page`, with an integer page size (`per_page`, `limit`, ...);
//! - an item offset: an integer `offset`;
//! - failing those, a link to the next page, in an answer's string field named as such
//!   links are (`nextLink`, `@odata.nextLink`, `next_url`, ...).
//!
//! An answer's integer field `total` (`total_count`, ...) ends a walk that reaches it, and a
//! boolean parameter `include_totals` asks for it. Anything else is a plain call, without a
//! warning: most `GET`s are not lists.
//!
//! Where a spec states how an operation pages, that is read instead of the names above
//! ([`declared`]): `x-fern-pagination` (`cursor`/`next_cursor`/`results`, or `offset`
//! with an optional `step`), `x-speakeasy-pagination` (`cursor`, `offsetLimit` or `url`,
//! its `inputs` and `outputs`), `x-dropshot-pagination` (Dropshot's `page_token`, `limit`,
//! `items`, `next_page`) and `x-ms-pageable` (Microsoft's and Azure's `nextLinkName` and
//! `itemName`), with answer paths one field deep. A statement that does not fit the
//! operation, or that this does not follow (nested paths), is a warning, and the operation
//! a plain call.

use indexmap::IndexMap;
use openapiv3::ReferenceOr;
use serde_json::Value;

use super::Context;
use crate::error::Pointer;
use crate::model::{
    BodyKind, Field, Group, HttpMethod, Operation, PageShape, Paging, PagingKind, ParamLocation, TypeDef, TypeKind,
    TypeRef,
};

const CURSOR_PARAMS: &[&str] =
    &["from", "cursor", "after", "starting_after", "page_token", "pageToken", "next_token", "nextToken"];
const NEXT_FIELDS: &[&str] = &[
    "next",
    "next_cursor",
    "nextCursor",
    "next_page",
    "nextPage",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
];
const PAGE_PARAMS: &[&str] = &["page", "page_number", "pageNumber"];
const OFFSET_PARAMS: &[&str] = &["offset", "skip"];
/// Page sizes, in the order each kind of walk prefers them: an operation that offers page
/// numbers and a cursor takes a size for each (Auth0: `per_page` and `take`).
const PAGE_SIZE_PARAMS: &[&str] =
    &["per_page", "page_size", "pageSize", "size", "limit", "take", "max_results", "maxResults"];
const CURSOR_SIZE_PARAMS: &[&str] =
    &["take", "limit", "page_size", "pageSize", "per_page", "size", "max_results", "maxResults"];
/// Fields that hold the URL of the next page, as OData, Azure and others name them.
const NEXT_LINK_FIELDS: &[&str] = &[
    "@odata.nextLink",
    "odata.nextLink",
    "nextLink",
    "next_link",
    "nextUrl",
    "next_url",
    "nextPageUrl",
    "next_page_url",
];
const TOTAL_FIELDS: &[&str] =
    &["total", "total_count", "totalCount", "total_results", "totalResults", "@odata.count", "odata.count"];
const TOTALS_PARAMS: &[&str] = &["include_totals", "includeTotals", "include_total", "includeTotal"];

/// Sets [`Operation::paging`] on every operation that is a list.
pub(super) fn recognise_lists(cx: &mut Context<'_>, groups: &mut [Group], types: &[TypeDef]) {
    for op in groups.iter_mut().flat_map(|group| &mut group.operations) {
        if op.http_method != HttpMethod::Get {
            continue;
        }
        let pointer = Pointer::root().join("paths").join(&op.path).join("get");
        let declared = match extensions(cx, &op.path).map(declared) {
            Some(Some(Ok(declared))) => Some(declared),
            Some(Some(Err((extension, problem)))) => {
                cx.warn(&pointer.join(extension), format!("{problem}; the operation is a plain call"));
                continue;
            }
            _ => None,
        };
        op.paging = match &declared {
            Some((extension, declared)) => {
                let paging = declared_paging(op, types, declared);
                if paging.is_none() {
                    let message = "does not fit the operation's parameters and answer; the operation is a plain call";
                    cx.warn(&pointer.join(extension), message);
                }
                paging
            }
            None => paging(op, types),
        };
    }
}

/// The extensions of the `GET` of path `path`.
fn extensions<'d>(cx: &Context<'d>, path: &str) -> Option<&'d IndexMap<String, Value>> {
    match cx.document.paths.paths.get(path)? {
        ReferenceOr::Item(item) => item.get.as_ref().map(|op| &op.extensions),
        ReferenceOr::Reference { .. } => None,
    }
}

/// The query parameter named one of `names` (in their order) that is optional and fits.
fn query_param(op: &Operation, names: &[&str], fits: fn(&TypeRef) -> bool) -> Option<usize> {
    names.iter().find_map(|name| {
        op.params
            .iter()
            .position(|p| p.location == ParamLocation::Query && !p.required && p.wire_name == *name && fits(&p.ty))
    })
}

fn integer(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Integer(_))
}

fn string(ty: &TypeRef) -> bool {
    *ty == TypeRef::String
}

/// A list's paging by the conventional names.
fn paging(op: &Operation, types: &[TypeDef]) -> Option<Paging> {
    let body = json_body(op)?;
    let (item, shapes) = answer_shapes(body, types, None, NEXT_FIELDS)?;
    let query = |names: &[&str], fits| query_param(op, names, fits);
    let cursor = query(CURSOR_PARAMS, string).filter(|_| shapes.iter().any(|s| s.next.is_some()));
    let page_size = query(PAGE_SIZE_PARAMS, integer);
    let (kind, size) = if let Some(param) = cursor {
        (PagingKind::Cursor { param }, query(CURSOR_SIZE_PARAMS, integer))
    } else if let Some(param) = query(PAGE_PARAMS, integer).filter(|_| page_size.is_some()) {
        (first_page(op, param), page_size)
    } else if let Some(param) = query(OFFSET_PARAMS, integer) {
        (PagingKind::ItemOffset { param }, query(CURSOR_SIZE_PARAMS, integer))
    } else {
        let (item, shapes) = answer_shapes(body, types, None, NEXT_LINK_FIELDS)?;
        let field = link_field(body, types, &shapes)?;
        return Some(finish(op, PagingKind::NextLink { field }, None, item, shapes));
    };
    Some(finish(op, kind, size, item, shapes))
}

/// The wire name of the field that links the next page, when an answer has one.
fn link_field(body: &TypeRef, types: &[TypeDef], shapes: &[PageShape]) -> Option<String> {
    let rust_name = shapes.iter().find_map(|shape| shape.next.as_deref())?;
    let kind = |ty: &TypeRef| match ty {
        TypeRef::Named(id) => Some(&types[id.index()].kind),
        _ => None,
    };
    let answers = match kind(body) {
        Some(TypeKind::Union(union)) => union.variants.iter().map(|variant| &variant.ty).collect(),
        _ => vec![body],
    };
    answers.into_iter().find_map(|ty| match kind(ty) {
        Some(TypeKind::Struct(fields)) => {
            fields.fields.iter().find(|f| f.rust_name == rust_name).map(|f| f.wire_name.clone())
        }
        _ => None,
    })
}

/// A list's paging as an extension declares it.
fn declared_paging(op: &Operation, types: &[TypeDef], declared: &Declared) -> Option<Paging> {
    let body = json_body(op)?;
    let next: Vec<&str> = declared.next.iter().map(String::as_str).collect();
    let (item, shapes) = answer_shapes(body, types, declared.results.as_deref(), &next)?;
    let size = match &declared.size {
        Some(size) => Some(query_param(op, &[size.as_str()], integer)?),
        None => None,
    };
    let gives_next = shapes.iter().any(|s| s.next.is_some());
    let param = |fits: fn(&TypeRef) -> bool| query_param(op, &[declared.param.as_deref()?], fits);
    let kind = match declared.kind {
        DeclaredKind::PageNumber => first_page(op, param(integer)?),
        DeclaredKind::ItemOffset => PagingKind::ItemOffset { param: param(integer)? },
        // A walk that follows what each answer gives needs answers that give it.
        _ if !gives_next => return None,
        DeclaredKind::Cursor => PagingKind::Cursor { param: param(string)? },
        DeclaredKind::NextLink => PagingKind::NextLink { field: link_field(body, types, &shapes)? },
    };
    Some(finish(op, kind, size, item, shapes))
}

/// The JSON success answer of an operation that answers one way.
fn json_body(op: &Operation) -> Option<&TypeRef> {
    match &op.response.body {
        Some((_, BodyKind::Json(body))) if op.response.by_status.is_none() => Some(body),
        _ => None,
    }
}

/// Page numbers from the parameter's default, else 0.
fn first_page(op: &Operation, param: usize) -> PagingKind {
    let first = op.params[param].doc.default.as_deref().and_then(|text| text.parse().ok()).unwrap_or(0);
    PagingKind::PageNumber { param, first }
}

fn finish(op: &Operation, kind: PagingKind, size: Option<usize>, item: TypeRef, shapes: Vec<PageShape>) -> Paging {
    // Totals are asked for when an answer of this walk gives one: a cursor's or a link's
    // walk's answers are those with a next cursor or link.
    let follows_next = matches!(kind, PagingKind::Cursor { .. } | PagingKind::NextLink { .. });
    let gives_total = |s: &PageShape| s.total.is_some() && (!follows_next || s.next.is_some());
    let totals = query_param(op, TOTALS_PARAMS, |ty| *ty == TypeRef::Bool).filter(|_| shapes.iter().any(gives_total));
    Paging { kind, size, totals, item, shapes }
}

/// The item type and the shape of each answer, if every shape holds a list of one type:
/// the struct field named `results`, else a struct's one list field; a next cursor in a
/// string field named one of `next`.
fn answer_shapes(
    body: &TypeRef,
    types: &[TypeDef],
    results: Option<&str>,
    next: &[&str],
) -> Option<(TypeRef, Vec<PageShape>)> {
    let union = match body {
        TypeRef::Named(id) => match &types[id.index()].kind {
            TypeKind::Union(union) => Some(union),
            _ => None,
        },
        _ => None,
    };
    let Some(union) = union else {
        let (item, shape) = shape(body, types, results, next)?;
        return Some((item, vec![shape]));
    };
    let mut item = None;
    let mut shapes = Vec::new();
    for variant in &union.variants {
        let (variant_item, shape) = shape(&variant.ty, types, results, next)?;
        if item.get_or_insert_with(|| variant_item.clone()) != &variant_item {
            return None;
        }
        shapes.push(PageShape { variant: Some(variant.name.clone()), ..shape });
    }
    Some((item?, shapes))
}

/// A list, or a struct with its list field: its item type and where its parts are.
fn shape(ty: &TypeRef, types: &[TypeDef], results: Option<&str>, next: &[&str]) -> Option<(TypeRef, PageShape)> {
    let blank = PageShape { variant: None, items: None, total: None, next: None };
    match ty {
        TypeRef::Vec(item) => Some(((**item).clone(), blank)),
        TypeRef::Named(id) => {
            let TypeKind::Struct(fields) = &types[id.index()].kind else { return None };
            let mut lists = fields
                .fields
                .iter()
                .filter(|f| matches!(f.ty, TypeRef::Vec(_)) && results.is_none_or(|results| f.wire_name == results));
            let (Some(list), None) = (lists.next(), lists.next()) else { return None };
            let TypeRef::Vec(item) = &list.ty else { return None };
            let named = |names: &[&str], fits: fn(&TypeRef) -> bool| {
                let field = |name: &&str| fields.fields.iter().find(|f| f.wire_name == *name && fits(&f.ty));
                names.iter().find_map(field).map(|f: &Field| f.rust_name.clone())
            };
            let number = |ty: &TypeRef| matches!(ty, TypeRef::Integer(_) | TypeRef::Float(_));
            let shape = PageShape {
                items: Some(list.rust_name.clone()),
                total: named(TOTAL_FIELDS, number),
                next: named(next, string),
                ..blank
            };
            Some(((**item).clone(), shape))
        }
        _ => None,
    }
}

/// How an operation pages, as its pagination extension states it.
#[derive(Debug, Clone, PartialEq)]
struct Declared {
    kind: DeclaredKind,
    /// The query parameter that moves through the pages; none for next links.
    param: Option<String>,
    size: Option<String>,
    /// The answer's field that holds the items.
    results: Option<String>,
    /// The answer's field that holds the next page's cursor.
    next: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DeclaredKind {
    Cursor,
    PageNumber,
    ItemOffset,
    NextLink,
}

/// What an operation's pagination extension says (with the extension's name), or why it
/// cannot be followed; `None` without one.
type Statement = Result<(&'static str, Declared), (&'static str, String)>;

fn declared(extensions: &IndexMap<String, Value>) -> Option<Statement> {
    let read = |name: &'static str, read: fn(&Value) -> Result<Declared, String>| {
        // `true` leaves it to the document's own settings, which are not read: the conventions.
        let value = extensions.get(name).filter(|value| !value.is_boolean())?;
        Some(read(value).map(|declared| (name, declared)).map_err(|problem| (name, problem)))
    };
    read("x-fern-pagination", fern)
        .or_else(|| read("x-speakeasy-pagination", speakeasy))
        .or_else(|| {
            read("x-dropshot-pagination", |_| {
                let name = |text: &str| Some(text.to_owned());
                Ok(Declared {
                    kind: DeclaredKind::Cursor,
                    param: name("page_token"),
                    size: name("limit"),
                    results: name("items"),
                    next: name("next_page"),
                })
            })
        })
        .or_else(|| {
            // `nextLinkName: null` says the list comes whole, in one answer: a plain call.
            extensions.get("x-ms-pageable")?.get("nextLinkName")?.as_str()?;
            read("x-ms-pageable", ms_pageable)
        })
}

/// Microsoft's and Azure's: `{nextLinkName: "@odata.nextLink", itemName: "value"}`, the
/// names of the answer's fields as they are (`itemName` is `value` unless given).
fn ms_pageable(value: &Value) -> Result<Declared, String> {
    let name = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    Ok(Declared {
        kind: DeclaredKind::NextLink,
        param: None,
        size: None,
        results: Some(name("itemName").unwrap_or_else(|| "value".to_owned())),
        next: name("nextLinkName"),
    })
}

/// Fern's: `{cursor: $request.from, next_cursor: $response.next, results: $response.users}`
/// or `{offset: $request.page, results: $response.users, step: $request.per_page}` (with a
/// `step`, the offset counts items; without, pages). `true` (the document's own settings)
/// is left to the conventions.
fn fern(value: &Value) -> Result<Declared, String> {
    let text = |key: &str| value.get(key).and_then(Value::as_str);
    let request = |key: &str| text(key).map(|path| one_field(path, &["$request."])).transpose();
    let response = |key: &str| text(key).map(|path| one_field(path, &["$response."])).transpose();
    let results = response("results")?;
    if let Some(param) = request("cursor")? {
        let next = response("next_cursor")?;
        return Ok(Declared { kind: DeclaredKind::Cursor, param: Some(param), size: None, results, next });
    }
    if let Some(param) = request("offset")? {
        let size = request("step")?;
        let kind = if size.is_some() { DeclaredKind::ItemOffset } else { DeclaredKind::PageNumber };
        return Ok(Declared { kind, param: Some(param), size, results, next: None });
    }
    Err("it names neither a `cursor` nor an `offset`".into())
}

/// Speakeasy's: `{type: cursor | offsetLimit | url, inputs: [{name, in: parameters, type:
/// cursor | page | offset | limit}], outputs: {results: $.users, nextCursor: $.next, nextUrl:
/// $.next_url}}`.
fn speakeasy(value: &Value) -> Result<Declared, String> {
    let kind = value.get("type").and_then(Value::as_str).unwrap_or_default();
    let inputs = value.get("inputs").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let input = |wanted: &str| {
        inputs.iter().find_map(|input| {
            let field = |key: &str| input.get(key).and_then(Value::as_str);
            (field("type") == Some(wanted) && field("in") == Some("parameters")).then(|| field("name")).flatten()
        })
    };
    let output = |key: &str| {
        let path = value.get("outputs").and_then(|outputs| outputs.get(key)).and_then(Value::as_str);
        path.map(|path| one_field(path, &["$."])).transpose()
    };
    let (results, size) = (output("results")?, input("limit").map(str::to_owned));
    let declared = |kind, param: Option<&str>, next| Declared {
        kind,
        param: param.map(str::to_owned),
        size: size.clone(),
        results: results.clone(),
        next,
    };
    match kind {
        "cursor" => match input("cursor") {
            Some(param) => Ok(declared(DeclaredKind::Cursor, Some(param), output("nextCursor")?)),
            None => Err("a `cursor` pagination without a `cursor` input in the parameters".into()),
        },
        "offsetLimit" => match (input("page"), input("offset")) {
            (Some(param), _) => Ok(declared(DeclaredKind::PageNumber, Some(param), None)),
            (None, Some(param)) => Ok(declared(DeclaredKind::ItemOffset, Some(param), None)),
            (None, None) => {
                Err("an `offsetLimit` pagination without a `page` or `offset` input in the parameters".into())
            }
        },
        "url" => match output("nextUrl")? {
            Some(next) => Ok(declared(DeclaredKind::NextLink, None, Some(next))),
            None => Err("a `url` pagination without a `nextUrl` output".into()),
        },
        other => Err(format!("pagination of type `{other}` is not followed yet")),
    }
}

/// The one field a runtime expression names (`$response.users` is `users`), if it names one
/// at the top level.
fn one_field(path: &str, prefixes: &[&str]) -> Result<String, String> {
    let field = prefixes.iter().find_map(|prefix| path.strip_prefix(prefix));
    match field {
        Some(field) if !field.is_empty() && !field.contains(['.', '[', ' ']) => Ok(field.to_owned()),
        _ => Err(format!("`{path}` is not one field of the request or answer")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn statement(extension: &str, value: Value) -> Option<Statement> {
        declared(&IndexMap::from([(extension.to_owned(), value)]))
    }

    #[test]
    fn fern_speakeasy_and_dropshot_statements_are_read() {
        let fern = statement(
            "x-fern-pagination",
            json!({"cursor": "$request.from", "next_cursor": "$response.next", "results": "$response.users"}),
        );
        let expected = Declared {
            kind: DeclaredKind::Cursor,
            param: Some("from".into()),
            size: None,
            results: Some("users".into()),
            next: Some("next".into()),
        };
        assert_eq!(fern, Some(Ok(("x-fern-pagination", expected))));
        let offset = statement(
            "x-fern-pagination",
            json!({"offset": "$request.skip", "step": "$request.top", "results": "$response.items"}),
        );
        let Some(Ok((_, offset))) = offset else { panic!("{offset:?}") };
        assert_eq!(
            (offset.kind, offset.param.as_deref(), offset.size.as_deref()),
            (DeclaredKind::ItemOffset, Some("skip"), Some("top"))
        );
        let speakeasy = statement(
            "x-speakeasy-pagination",
            json!({"type": "offsetLimit", "inputs": [{"name": "p", "in": "parameters", "type": "page"}, {"name": "n", "in": "parameters", "type": "limit"}], "outputs": {"results": "$.data"}}),
        );
        let Some(Ok((_, pages))) = speakeasy else { panic!("{speakeasy:?}") };
        assert_eq!(
            (pages.kind, pages.param.as_deref(), pages.size.as_deref(), pages.results.as_deref()),
            (DeclaredKind::PageNumber, Some("p"), Some("n"), Some("data"))
        );
        let Some(Ok((_, dropshot))) = statement("x-dropshot-pagination", json!({"required": []})) else { panic!() };
        assert_eq!((dropshot.param.as_deref(), dropshot.next.as_deref()), (Some("page_token"), Some("next_page")));
    }

    #[test]
    fn next_links_are_read_from_microsoft_s_and_speakeasy_s_statements() {
        let graph = statement("x-ms-pageable", json!({"nextLinkName": "@odata.nextLink", "operationName": "listMore"}));
        let Some(Ok(("x-ms-pageable", graph))) = graph else { panic!("{graph:?}") };
        assert_eq!(
            (graph.kind, graph.param, graph.results.as_deref(), graph.next.as_deref()),
            (DeclaredKind::NextLink, None, Some("value"), Some("@odata.nextLink"))
        );
        let azure = statement("x-ms-pageable", json!({"nextLinkName": "nextLink", "itemName": "items"}));
        let Some(Ok((_, azure))) = azure else { panic!("{azure:?}") };
        assert_eq!((azure.results.as_deref(), azure.next.as_deref()), (Some("items"), Some("nextLink")));
        // A list that comes whole is no statement: a plain call, without a warning.
        assert_eq!(statement("x-ms-pageable", json!({"nextLinkName": null})), None);
        let url = statement("x-speakeasy-pagination", json!({"type": "url", "outputs": {"nextUrl": "$.next"}}));
        let Some(Ok((_, url))) = url else { panic!("{url:?}") };
        assert_eq!((url.kind, url.next.as_deref()), (DeclaredKind::NextLink, Some("next")));
    }

    #[test]
    fn statements_that_cannot_be_followed_say_why() {
        let nested = statement(
            "x-fern-pagination",
            json!({"cursor": "$request.after", "next_cursor": "$response.page.next", "results": "$response.data"}),
        );
        assert_eq!(
            nested,
            Some(Err(("x-fern-pagination", "`$response.page.next` is not one field of the request or answer".into())))
        );
        let url = statement("x-speakeasy-pagination", json!({"type": "url", "outputs": {}}));
        assert!(matches!(url, Some(Err((_, problem))) if problem.contains("`nextUrl`")));
        let offset = statement("x-speakeasy-pagination", json!({"type": "offset"}));
        assert!(matches!(offset, Some(Err((_, problem))) if problem.contains("`offset`")));
        assert_eq!(statement("x-other", json!({})), None);
    }
}
