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
//! - an item offset: an integer `offset`.
//!
//! An answer's integer field `total` (`total_count`, ...) ends a walk that reaches it, and a
//! boolean parameter `include_totals` asks for it. Anything else is a plain call, without a
//! warning: most `GET`s are not lists.

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
const TOTAL_FIELDS: &[&str] = &["total", "total_count", "totalCount", "total_results", "totalResults"];
const TOTALS_PARAMS: &[&str] = &["include_totals", "includeTotals", "include_total", "includeTotal"];

/// Sets [`Operation::paging`] on every operation that is a list.
pub(super) fn recognise_lists(groups: &mut [Group], types: &[TypeDef]) {
    for op in groups.iter_mut().flat_map(|group| &mut group.operations) {
        op.paging = paging(op, types);
    }
}

fn paging(op: &Operation, types: &[TypeDef]) -> Option<Paging> {
    if op.http_method != HttpMethod::Get || op.response.by_status.is_some() {
        return None;
    }
    let Some((_, BodyKind::Json(body))) = &op.response.body else { return None };
    let (item, shapes) = answer_shapes(body, types)?;
    let query = |names: &[&str], fits: fn(&TypeRef) -> bool| {
        names.iter().find_map(|name| {
            op.params
                .iter()
                .position(|p| p.location == ParamLocation::Query && !p.required && p.wire_name == *name && fits(&p.ty))
        })
    };
    let integer = |ty: &TypeRef| matches!(ty, TypeRef::Integer(_));
    let cursor = query(CURSOR_PARAMS, |ty| *ty == TypeRef::String).filter(|_| shapes.iter().any(|s| s.next.is_some()));
    let page_size = query(PAGE_SIZE_PARAMS, integer);
    let (kind, param, size) = if let Some(param) = cursor {
        (PagingKind::Cursor, param, query(CURSOR_SIZE_PARAMS, integer))
    } else if let Some(param) = query(PAGE_PARAMS, integer).filter(|_| page_size.is_some()) {
        let first = op.params[param].doc.default.as_deref().and_then(|text| text.parse().ok()).unwrap_or(0);
        (PagingKind::PageNumber { first }, param, page_size)
    } else {
        (PagingKind::ItemOffset, query(OFFSET_PARAMS, integer)?, query(CURSOR_SIZE_PARAMS, integer))
    };
    // Totals are asked for when an answer of this walk gives one: a cursor walk's answers
    // are those with a next cursor.
    let gives_total = |s: &PageShape| s.total.is_some() && (kind != PagingKind::Cursor || s.next.is_some());
    let totals = query(TOTALS_PARAMS, |ty| *ty == TypeRef::Bool).filter(|_| shapes.iter().any(gives_total));
    Some(Paging { kind, param, size, totals, item, shapes })
}

/// The item type and the shape of each answer, if every shape holds a list of one type.
fn answer_shapes(body: &TypeRef, types: &[TypeDef]) -> Option<(TypeRef, Vec<PageShape>)> {
    let union = match body {
        TypeRef::Named(id) => match &types[id.index()].kind {
            TypeKind::Union(union) => Some(union),
            _ => None,
        },
        _ => None,
    };
    let Some(union) = union else {
        let (item, shape) = shape(body, types)?;
        return Some((item, vec![shape]));
    };
    let mut item = None;
    let mut shapes = Vec::new();
    for variant in &union.variants {
        let (variant_item, shape) = shape(&variant.ty, types)?;
        if item.get_or_insert_with(|| variant_item.clone()) != &variant_item {
            return None;
        }
        shapes.push(PageShape { variant: Some(variant.name.clone()), ..shape });
    }
    Some((item?, shapes))
}

/// A list, or a struct with one list field: its item type and where its parts are.
fn shape(ty: &TypeRef, types: &[TypeDef]) -> Option<(TypeRef, PageShape)> {
    let blank = PageShape { variant: None, items: None, total: None, next: None };
    match ty {
        TypeRef::Vec(item) => Some(((**item).clone(), blank)),
        TypeRef::Named(id) => {
            let TypeKind::Struct(fields) = &types[id.index()].kind else { return None };
            let mut lists = fields.fields.iter().filter(|f| matches!(f.ty, TypeRef::Vec(_)));
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
                next: named(NEXT_FIELDS, |ty| *ty == TypeRef::String),
                ..blank
            };
            Some(((**item).clone(), shape))
        }
        _ => None,
    }
}
