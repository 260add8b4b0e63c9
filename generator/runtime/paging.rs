//! Lists that span pages. A list operation's request builder gives [`Pages`] (each page
//! with its total, next cursor and headers) or [`Items`] (every item, across pages): both
//! are `futures::Stream`s that fetch a page only when polled, each page sent as any call is
//! (token, retries, time limit per attempt). Dropping the stream sends nothing more.
//!
//! Generated code says, per operation, which query parameter moves through the pages, or
//! that answers link the next (a [`Walk`]), and how an answer gives its items, total and
//! next cursor or link (a [`PageBody`]). When a walk stops is decided here, once:
//! - after a page with no items, except in a walk by links: a server may answer an empty
//!   page and a link to more (Microsoft's REST guidelines allow it);
//! - for page numbers and item offsets, after a page shorter than the size asked for, or
//!   once the items reach the total the server reported;
//! - for cursors and links, when the answer has none, an empty one, or the one just sent;
//! - after an error, which the stream yields first. A link to another origin than the
//!   client's base URL is one: it is not fetched, so that credentials stay with the API.
#![allow(dead_code)] // A spec without list operations uses none of it.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::{self, BoxStream, Stream, StreamExt};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use url::Url;

use super::client::Client;
use super::error::{Error, ValidationError};
use super::rate_limit::RateLimit;
use super::request::{Request, Response};

/// The page size the walk asks for when the caller sets none, as Auth0's SDKs do.
pub(crate) const DEFAULT_PAGE_SIZE: u64 = 50;

/// Which query parameter moves a walk through the pages (or which answer field links the
/// next), and where it starts.
#[derive(Debug, Clone)]
pub(crate) struct Walk {
    /// The query parameter, or for links the answer's field (for messages).
    param: &'static str,
    position: Position,
    /// The items per page asked for, when the operation takes a page size.
    size: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
enum Position {
    /// A page number; the next page is the next number.
    Page(u64),
    /// The offset of the page's first item; the next page starts after this one's items.
    Offset(u64),
    /// The cursor the previous answer gave (`None`: the first page, from the start).
    Cursor(Option<String>),
    /// The link to this page the previous answer gave (`None`: the first page, the request
    /// as the caller made it).
    Link(Option<String>),
}

impl Walk {
    /// Pages numbered from `first` in the query parameter `param`.
    pub(crate) fn page_number(param: &'static str, first: impl Count) -> Self {
        Self { param, position: Position::Page(first.count().unwrap_or(0)), size: None }
    }

    /// Pages that start at an item offset, `first` for the first page.
    pub(crate) fn item_offset(param: &'static str, first: impl Count) -> Self {
        Self { param, position: Position::Offset(first.count().unwrap_or(0)), size: None }
    }

    /// Pages that each answer with the cursor of the next, sent back in `param`; `first`
    /// is the caller's own starting cursor, if any (already in the request).
    pub(crate) fn cursor(param: &'static str, first: Option<String>) -> Self {
        Self { param, position: Position::Cursor(first), size: None }
    }

    /// Pages that each answer with the link to the next in their field `field`, fetched as
    /// it is: its query replaces the request's own.
    pub(crate) fn next_link(field: &'static str) -> Self {
        Self { param: field, position: Position::Link(None), size: None }
    }

    /// A walk by links that starts at `link` (a page's link, saved from an earlier walk)
    /// instead of the request as the caller made it.
    pub(crate) fn resume_at(mut self, link: String) -> Self {
        self.position = Position::Link(Some(link));
        self
    }

    /// The page size the request asks for: a shorter page is the last.
    pub(crate) fn size(mut self, size: impl Count) -> Self {
        self.size = size.count();
        self
    }

    /// The position after a page with `count` items, `end` items from the list's start,
    /// and the answer's `next` cursor or link; `None` when that page was the last.
    fn after(&self, count: u64, total: Option<u64>, next: Option<&str>) -> Option<Position> {
        if count == 0 && !matches!(self.position, Position::Link(_)) {
            return None;
        }
        let short = self.size.is_some_and(|size| count < size);
        let end = match &self.position {
            Position::Page(page) => self.size.map(|size| page.saturating_mul(size).saturating_add(count)),
            Position::Offset(offset) => Some(offset.saturating_add(count)),
            Position::Cursor(_) | Position::Link(_) => None,
        };
        let reached_total = matches!((end, total), (Some(end), Some(total)) if end >= total);
        match &self.position {
            Position::Page(_) | Position::Offset(_) if short || reached_total => None,
            Position::Page(page) => Some(Position::Page(page.saturating_add(1))),
            Position::Offset(offset) => Some(Position::Offset(offset.saturating_add(count))),
            Position::Cursor(sent) | Position::Link(sent) => match next {
                Some(next) if !next.is_empty() && sent.as_deref() != Some(next) => {
                    let next = Some(next.to_owned());
                    Some(if matches!(self.position, Position::Link(_)) {
                        Position::Link(next)
                    } else {
                        Position::Cursor(next)
                    })
                }
                _ => None,
            },
        }
    }

    /// The request for the current position; a link is resolved against `base_url` (it may
    /// be relative) and must keep to its origin.
    fn request(&self, first: &Request, base_url: &Url) -> Result<Request, ValidationError> {
        let mut request = first.clone();
        match &self.position {
            Position::Page(number) | Position::Offset(number) => request.set_query(self.param, number.to_string()),
            Position::Cursor(Some(cursor)) => request.set_query(self.param, cursor.clone()),
            Position::Link(Some(link)) => request.link = Some(link_on_origin(self.param, link, base_url)?),
            Position::Cursor(None) | Position::Link(None) => {}
        }
        Ok(request)
    }
}

/// The URL a next-page link names, if it is on the origin (scheme, host and port) of
/// `base_url`: the client's credentials go with it.
fn link_on_origin(field: &'static str, link: &str, base_url: &Url) -> Result<Url, ValidationError> {
    let url = base_url.join(link).map_err(|e| ValidationError::new(field, format!("`{link}` is not a URL: {e}")))?;
    if url.origin() != base_url.origin() {
        let problem = format!(
            "leads to another origin ({}) than the client's base URL ({}): the next page is not fetched, so that \
             no credentials go there",
            url.origin().ascii_serialization(),
            base_url.origin().ascii_serialization()
        );
        return Err(ValidationError::new(field, problem));
    }
    Ok(url)
}

/// What one answer of a list operation holds, as generated code reads it from the body.
#[derive(Debug)]
pub(crate) struct PageBody<T> {
    items: Vec<T>,
    total: Option<u64>,
    next: Option<String>,
}

impl<T> PageBody<T> {
    /// A page of `items` (a list, or an optional one: absent is empty).
    pub(crate) fn new(items: impl IntoItems<T>) -> Self {
        Self { items: items.into_items(), total: None, next: None }
    }

    /// The number of items in the whole list, as the answer reports it.
    pub(crate) fn total(mut self, total: impl Count) -> Self {
        self.total = total.count();
        self
    }

    /// The cursor of (or link to) the next page, as the answer gives it.
    pub(crate) fn next(mut self, next: impl IntoCursor) -> Self {
        self.next = next.into_cursor();
        self
    }
}

/// A count or position as a spec types it: any integer, or a JSON number; `None` when it
/// is negative, fractional beyond use, or absent.
pub(crate) trait Count {
    fn count(self) -> Option<u64>;
}

macro_rules! integer_counts {
    ($($integer:ty),*) => {$(
        impl Count for $integer {
            fn count(self) -> Option<u64> {
                u64::try_from(self).ok()
            }
        }
    )*};
}
integer_counts!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);

impl Count for f64 {
    fn count(self) -> Option<u64> {
        // `as` saturates: a count beyond u64 is u64::MAX.
        (self.is_finite() && self >= 0.0).then_some(self as u64)
    }
}

impl Count for f32 {
    fn count(self) -> Option<u64> {
        f64::from(self).count()
    }
}

impl<C: Count> Count for Option<C> {
    fn count(self) -> Option<u64> {
        self.and_then(Count::count)
    }
}

/// A page's list of items as a struct holds it: required, optional, or optional and nullable.
pub(crate) trait IntoItems<T> {
    fn into_items(self) -> Vec<T>;
}

impl<T> IntoItems<T> for Vec<T> {
    fn into_items(self) -> Vec<T> {
        self
    }
}

impl<T, I: IntoItems<T>> IntoItems<T> for Option<I> {
    fn into_items(self) -> Vec<T> {
        self.map(IntoItems::into_items).unwrap_or_default()
    }
}

/// A next-page cursor or link as a struct holds it.
pub(crate) trait IntoCursor {
    fn into_cursor(self) -> Option<String>;
}

impl IntoCursor for String {
    fn into_cursor(self) -> Option<String> {
        Some(self)
    }
}

impl<C: IntoCursor> IntoCursor for Option<C> {
    fn into_cursor(self) -> Option<String> {
        self.and_then(IntoCursor::into_cursor)
    }
}

/// One page of a list: its items, what the server said of the whole list, and the answer's
/// status and headers.
#[derive(Debug, Clone)]
pub struct Page<T> {
    items: Vec<T>,
    total: Option<u64>,
    next: Option<String>,
    response: Response<()>,
}

impl<T> Page<T> {
    /// The page's items.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The page's items, without the rest.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// The number of items in the whole list, if the server reported it.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// The cursor of the next page, if the answer gave one: a walk can be resumed from it
    /// later by setting it as the list's starting cursor. In a walk by links, the link to
    /// the next page.
    pub fn next_cursor(&self) -> Option<&str> {
        self.next.as_deref()
    }

    /// The HTTP status of the page's answer.
    pub fn status(&self) -> StatusCode {
        self.response.status()
    }

    /// The headers of the page's answer.
    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// The rate-limit headers of the page's answer.
    pub fn rate_limit(&self) -> RateLimit {
        self.response.rate_limit()
    }

    /// How many attempts the page took (more than one after retries).
    pub fn attempts(&self) -> u32 {
        self.response.attempts()
    }
}

/// The pages of a list, fetched one at a time as the stream is polled; an error ends the
/// stream after it is yielded. From a list operation's `pages()`.
///
/// `E` is the operation's error body, as in [`Error`].
#[must_use = "streams do nothing unless polled"]
pub struct Pages<T, E> {
    pages: BoxStream<'static, Result<Page<T>, Error<E>>>,
}

/// Every item of a list, across its pages, fetched a page at a time as the stream is
/// polled; an error ends the stream after it is yielded. From a list operation's
/// `into_stream()`, or [`Pages::items`].
#[must_use = "streams do nothing unless polled"]
pub struct Items<T, E> {
    pages: Pages<T, E>,
    /// What is left of the page being read.
    page: std::vec::IntoIter<T>,
}

// Nothing of an `Items` is pinned in place: the pages are boxed, the items moved out.
impl<T, E> Unpin for Items<T, E> {}

/// A walk between pages: what each next request is built from.
struct WalkState<B, T> {
    client: Client,
    request: Request,
    walk: Walk,
    read: fn(B) -> PageBody<T>,
}

impl<T: Send + 'static, E: DeserializeOwned + Send + 'static> Pages<T, E> {
    /// The walk that starts with `request` (or the stream of its one error, when the request
    /// could not be made) and reads each answer, a `B`, with `read`.
    pub(crate) fn new<B: DeserializeOwned + Send + 'static>(
        client: Client,
        request: Result<Request, ValidationError>,
        walk: Walk,
        read: fn(B) -> PageBody<T>,
    ) -> Self {
        let request = match request {
            Ok(request) => request,
            Err(error) => return Self { pages: stream::once(async { Err(Error::from(error)) }).boxed() },
        };
        let state = Some(WalkState { client, request, walk, read });
        let pages = stream::try_unfold(state, |state| async move {
            let Some(mut state) = state else { return Ok(None) };
            let request = state.walk.request(&state.request, state.client.base_url())?;
            let (body, response) = state.client.send::<E>(request).await?.json::<B, E>()?.into_parts();
            let PageBody { items, total, next } = (state.read)(body);
            let after = state.walk.after(items.len() as u64, total, next.as_deref());
            let page = Page { items, total, next, response };
            let state = after.map(|position| {
                state.walk.position = position;
                state
            });
            Ok(Some((page, state)))
        });
        Self { pages: pages.boxed() }
    }

    /// Every item of every page, in order.
    pub fn items(self) -> Items<T, E> {
        // Items are handed out of the page as they are; a stream of streams (`try_flatten`)
        // would move each through every layer, which for a struct of a hundred fields was
        // a tenth of a walk's time (BENCHMARKS.md).
        Items { pages: self, page: Vec::new().into_iter() }
    }
}

impl<T, E> Stream for Pages<T, E> {
    type Item = Result<Page<T>, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.pages.poll_next_unpin(cx)
    }
}

impl<T, E> Stream for Items<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.page.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match std::task::ready!(this.pages.poll_next_unpin(cx)) {
                Some(Ok(page)) => this.page = page.items.into_iter(),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}

impl<T, E> fmt::Debug for Pages<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

impl<T, E> fmt::Debug for Items<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(walk: Walk, pages: &[(u64, Option<u64>, Option<&str>)]) -> Vec<Position> {
        let mut walk = walk;
        let mut positions = vec![walk.position.clone()];
        for (count, total, next) in pages {
            match walk.after(*count, *total, *next) {
                Some(position) => {
                    positions.push(position.clone());
                    walk.position = position;
                }
                None => break,
            }
        }
        positions
    }

    #[test]
    fn page_numbers_stop_on_a_short_page_or_the_total() {
        let walk = || Walk::page_number("page", 0u64).size(2u64);
        let numbers = |p: Vec<Position>| p.into_iter().map(|p| format!("{p:?}")).collect::<Vec<_>>().join(" ");
        assert_eq!(
            numbers(pages(walk(), &[(2, None, None), (2, None, None), (1, None, None)])),
            "Page(0) Page(1) Page(2)"
        );
        assert_eq!(numbers(pages(walk(), &[(2, Some(4), None), (2, Some(4), None)])), "Page(0) Page(1)");
        assert_eq!(numbers(pages(walk(), &[(0, Some(4), None)])), "Page(0)");
        // Without a size, only an empty page or the total ends the walk.
        let unsized_walk = Walk::page_number("page", 3u32);
        assert_eq!(numbers(pages(unsized_walk, &[(5, None, None), (0, None, None)])), "Page(3) Page(4)");
    }

    #[test]
    fn offsets_move_by_the_items_received() {
        let walk = Walk::item_offset("offset", 10i64).size(3u64);
        let positions = pages(walk, &[(3, Some(16), None), (3, Some(16), None)]);
        assert_eq!(positions, [Position::Offset(10), Position::Offset(13)]);
    }

    #[test]
    fn cursors_stop_when_missing_empty_or_repeated() {
        let walk = || Walk::cursor("from", None).size(2u64);
        let positions = pages(walk(), &[(2, None, Some("a")), (1, None, Some("b")), (2, None, None)]);
        let cursors: Vec<Position> = ["a", "b"].iter().map(|c| Position::Cursor(Some((*c).to_owned()))).collect();
        assert_eq!(positions[1..], cursors[..], "a short page with a next cursor is not the last");
        assert_eq!(pages(walk(), &[(2, None, Some(""))]).len(), 1);
        assert_eq!(pages(walk(), &[(2, None, Some("a")), (2, None, Some("a"))]).len(), 2);
    }

    #[test]
    fn links_are_followed_past_empty_pages_until_missing_empty_or_repeated() {
        let link = |l: &str| Position::Link(Some(l.to_owned()));
        let walk = || Walk::next_link("nextLink");
        let positions = pages(walk(), &[(2, None, Some("/a")), (0, None, Some("/b")), (1, None, None)]);
        assert_eq!(positions, [Position::Link(None), link("/a"), link("/b")]);
        assert_eq!(pages(walk(), &[(2, None, Some(""))]).len(), 1);
        assert_eq!(pages(walk(), &[(2, None, Some("/a")), (2, None, Some("/a"))]).len(), 2);
    }

    #[test]
    fn links_are_resolved_against_the_base_url_and_kept_to_its_origin() {
        let base = Url::parse("https://api.example.com/v1.0").unwrap();
        let on = |link: &str| link_on_origin("nextLink", link, &base).map(String::from);
        assert_eq!(
            on("https://api.example.com/v1.0/users?$skiptoken=X").unwrap(),
            "https://api.example.com/v1.0/users?$skiptoken=X"
        );
        assert_eq!(on("/v1.0/users?page=2").unwrap(), "https://api.example.com/v1.0/users?page=2");
        for elsewhere in
            ["https://evil.example/v1.0/users", "http://api.example.com/v1.0/users", "https://api.example.com:8443/"]
        {
            let error = on(elsewhere).unwrap_err();
            assert_eq!(error.field(), "nextLink");
            assert!(error.problem().contains("another origin"), "{error}");
        }
        assert!(on("https://[::1").unwrap_err().problem().contains("is not a URL"));
    }

    #[test]
    fn counts_of_any_json_number_type() {
        assert_eq!((7u32.count(), (-1i64).count(), 2.9f64.count(), f64::NAN.count()), (Some(7), None, Some(2), None));
        assert_eq!((Some(Some(4i32)).count(), None::<u64>.count()), (Some(4), None));
        let items: Option<Option<Vec<u8>>> = Some(None);
        assert!(items.into_items().is_empty());
        assert_eq!(Some(String::from("c")).into_cursor().as_deref(), Some("c"));
    }
}
