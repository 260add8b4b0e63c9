//! A request as generated operations describe it, before it meets the HTTP client; the
//! options a caller can set on one call; and the answer, typed.
//!
//! Not every spec uses every kind of parameter or body.
#![allow(dead_code)]

use std::borrow::Cow;
use std::ops::Deref;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::multipart::File;
use super::rate_limit::RateLimit;
use super::streams::{Pieces, Source};
use super::{Error, ValidationError};

/// Settings of one call, overriding the client's: its time limit per attempt, its number
/// of retries, and extra headers.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    pub(super) timeout: Option<Duration>,
    pub(super) max_retries: Option<u32>,
    pub(super) headers: Vec<(String, String)>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// The time limit of each attempt of this call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The retries allowed for this call (0: one attempt only).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// An extra header sent with this call (checked when the call is sent).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// What an operation sends: filled by generated code, sent by [`super::Client::send`].
/// A list's pages are copies of its first request, each with its own page parameter.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub(super) method: Method,
    /// The path template from the spec, e.g. `/users/{id}`, for messages.
    pub(super) path: &'static str,
    /// The path's segments, parameters already filled in; the URL encodes each one.
    pub(super) segments: Vec<String>,
    pub(super) query: Vec<(Cow<'static, str>, String)>,
    /// A list's next page as the previous answer linked it: sent to this URL instead of the
    /// path and query above (the link carries its own).
    pub(super) link: Option<url::Url>,
    pub(super) headers: Vec<(&'static str, String)>,
    /// The media type of the success answer the spec describes, sent as `Accept`.
    pub(super) accept: Option<&'static str>,
    pub(super) body: Option<Body>,
    /// The credentials to send: alternatives of security schemes by name, the first the
    /// client has wins; empty, none.
    pub(super) security: &'static [&'static [&'static str]],
    pub(super) options: RequestOptions,
}

#[derive(Debug, Clone)]
pub(super) struct Body {
    pub(super) content_type: Cow<'static, str>,
    /// Bytes in memory, or pieces of which some are files or streams (a multipart body
    /// with files, a binary body from a file).
    pub(super) content: Pieces,
}

impl Body {
    fn new(content_type: impl Into<Cow<'static, str>>, bytes: Vec<u8>) -> Self {
        Self { content_type: content_type.into(), content: Pieces(vec![Source::Bytes(bytes.into())]) }
    }
}

impl Request {
    pub(crate) fn new(method: Method, path: &'static str, segments: &[&str]) -> Self {
        Self {
            method,
            path,
            segments: segments.iter().map(|s| (*s).to_owned()).collect(),
            query: Vec::new(),
            link: None,
            headers: Vec::new(),
            accept: None,
            body: None,
            security: &[],
            options: RequestOptions::default(),
        }
    }

    /// The caller's settings for this call.
    pub(crate) fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Sends the credentials of the first of these alternatives (sets of security schemes, by
    /// name) that the client has; an empty alternative sends nothing.
    #[allow(dead_code)] // Unused by a spec without security schemes.
    pub(crate) fn security(mut self, alternatives: &'static [&'static [&'static str]]) -> Self {
        self.security = alternatives;
        self
    }

    pub(crate) fn accept(mut self, media_type: &'static str) -> Self {
        self.accept = Some(media_type);
        self
    }

    pub(crate) fn query(mut self, name: &'static str, value: impl ToString) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// Sets the query parameter `name` to `value`, in place of any value it had (where the
    /// first one was), else at the end.
    pub(crate) fn set_query(&mut self, name: &'static str, value: String) {
        match self.query.iter().position(|(key, _)| key == name) {
            Some(first) => {
                self.query[first].1 = value;
                let mut index = 0;
                self.query.retain(|(key, _)| {
                    index += 1;
                    index - 1 == first || key != name
                });
            }
            None => self.query.push((name.into(), value)),
        }
    }

    /// A query parameter of any type, in OpenAPI's `form` style (see [`form_pairs`]).
    pub(crate) fn query_value(
        mut self,
        name: &'static str,
        value: &impl Serialize,
        explode: bool,
    ) -> Result<Self, ValidationError> {
        let value = serde_json::to_value(value)
            .map_err(|e| ValidationError::new(name, format!("cannot be encoded for the query: {e}")))?;
        form_pairs(name.into(), &value, explode, &mut self.query);
        Ok(self)
    }

    /// An `application/x-www-form-urlencoded` body: each property of the value is a pair,
    /// arrays one pair per item, other values as their JSON text.
    pub(crate) fn form(mut self, content_type: &'static str, body: &impl Serialize) -> Result<Self, ValidationError> {
        let value = serde_json::to_value(body)
            .map_err(|e| ValidationError::new("body", format!("cannot be encoded as a form: {e}")))?;
        let serde_json::Value::Object(properties) = &value else {
            return Err(ValidationError::new("body", "a form body must be an object".to_owned()));
        };
        let mut pairs = Vec::new();
        for (key, value) in properties {
            form_pairs(key.clone().into(), value, true, &mut pairs);
        }
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.extend_pairs(pairs.iter().map(|(k, v)| (k.as_ref(), v.as_str())));
        self.body = Some(Body::new(content_type, form.finish().into_bytes()));
        Ok(self)
    }

    /// A cookie parameter: `name=value`, added to the request's one `Cookie` header.
    pub(crate) fn cookie(mut self, name: &'static str, value: impl ToString) -> Self {
        let pair = format!("{name}={}", value.to_string());
        match self.headers.iter_mut().find(|(header, _)| header.eq_ignore_ascii_case("cookie")) {
            Some((_, cookies)) => {
                cookies.push_str("; ");
                cookies.push_str(&pair);
            }
            None => self.headers.push(("cookie", pair)),
        }
        self
    }

    pub(crate) fn header(mut self, name: &'static str, value: impl ToString) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    pub(crate) fn json(mut self, content_type: &'static str, body: &impl Serialize) -> Result<Self, ValidationError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| ValidationError::new("body", format!("cannot be encoded as JSON: {e}")))?;
        self.body = Some(Body::new(content_type, bytes));
        Ok(self)
    }

    pub(crate) fn text(mut self, content_type: &'static str, body: String) -> Self {
        self.body = Some(Body::new(content_type, body.into_bytes()));
        self
    }

    /// A binary body: the file's content, sent with its media type if it has one, else
    /// with the one the spec names.
    pub(crate) fn bytes(mut self, content_type: &'static str, body: File) -> Self {
        let content = body.pieces();
        let content_type = body.content_type.map_or(Cow::Borrowed(content_type), Cow::Owned);
        self.body = Some(Body { content_type, content });
        self
    }

    /// A `multipart/form-data` body: the parts the body type writes.
    pub(crate) fn multipart(mut self, body: &impl super::multipart::MultipartBody) -> Result<Self, ValidationError> {
        let mut form = super::multipart::Form::default();
        body.write_parts(&mut form)?;
        let (content_type, content) = form.encode();
        self.body = Some(Body { content_type: content_type.into(), content });
        Ok(self)
    }
}

/// Why `body` does not decode as a `T`, naming the field where it failed
/// (`users[2].created_at: premature end of input`). The path is tracked only on this second
/// reading, after a failure: tracking it on every answer would slow every answer down.
pub(crate) fn decode_reason<T: DeserializeOwned>(body: &[u8], error: serde_json::Error) -> String {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(traced) if traced.path().iter().next().is_some() => format!("{}: {}", traced.path(), traced.inner()),
        _ => error.to_string(),
    }
}

/// A parameter's value as JSON text: a parameter described by `content` of a JSON media
/// type (`?filter={"status":"open"}`); the URL encoding is the request's.
pub(crate) fn json_text(name: &'static str, value: &impl Serialize) -> Result<String, ValidationError> {
    serde_json::to_string(value).map_err(|e| ValidationError::new(name, format!("cannot be written as JSON: {e}")))
}

/// A list of text items as one value, joined by commas (a header, or a query parameter that
/// is not exploded).
pub(crate) fn comma_separated(items: &[impl ToString]) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

/// A path segment or header value of any type in OpenAPI's `simple` style: a scalar as
/// text, an array as its items joined by commas, an object as `key,value,key,value`.
pub(crate) fn simple_style(name: &'static str, value: &impl Serialize) -> Result<String, ValidationError> {
    let value = serde_json::to_value(value)
        .map_err(|e| ValidationError::new(name, format!("cannot be written as text: {e}")))?;
    let mut pairs = Vec::new();
    form_pairs(name.into(), &value, false, &mut pairs);
    Ok(pairs.pop().map(|(_, text)| text).unwrap_or_default())
}

/// The `name=value` pairs of a value in OpenAPI's `form` style: a scalar is one pair; an
/// array is a pair per item (`explode`, the default) or one pair of comma-joined items; an
/// object is a pair per property (`explode`) or one pair `name=key,value,key,value`. `null`
/// values are left out.
fn form_pairs(
    name: Cow<'static, str>,
    value: &serde_json::Value,
    explode: bool,
    out: &mut Vec<(Cow<'static, str>, String)>,
) {
    use serde_json::Value;
    let text = |value: &Value| match value {
        Value::String(text) => Some(text.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    };
    match value {
        Value::Array(items) if explode => out.extend(items.iter().filter_map(text).map(|item| (name.clone(), item))),
        Value::Array(items) => {
            let joined: Vec<String> = items.iter().filter_map(text).collect();
            out.push((name, joined.join(",")));
        }
        Value::Object(properties) if explode => {
            for (key, value) in properties {
                out.extend(text(value).map(|value| (Cow::Owned(key.clone()), value)));
            }
        }
        Value::Object(properties) => {
            let pairs: Vec<String> = properties
                .iter()
                .filter_map(|(key, value)| text(value).map(|value| format!("{key},{value}")))
                .collect();
            out.push((name, pairs.join(",")));
        }
        other => out.extend(text(other).map(|text| (name, text))),
    }
}

/// A success answer, before the operation decodes its body into its own type.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Vec<u8>,
    pub(super) attempts: u32,
}

impl RawResponse {
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    /// A success status the spec does not list for an operation that decodes by status.
    pub(crate) fn unexpected_status<E>(&self) -> Error<E> {
        self.decode_error(format!("the spec lists no answer with status {}", self.status.as_u16()))
    }

    pub(crate) fn json<T: DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        match serde_json::from_slice(&self.body) {
            Ok(body) => Ok(self.with(body)),
            Err(e) => {
                let reason = decode_reason::<T>(&self.body, e);
                Err(self.decode_error(reason))
            }
        }
    }

    pub(crate) fn text<E>(self) -> Result<Response<String>, Error<E>> {
        match std::str::from_utf8(&self.body) {
            Ok(text) => {
                let text = text.to_owned();
                Ok(self.with(text))
            }
            Err(_) => Err(self.decode_error("the body is not UTF-8 text".into())),
        }
    }

    pub(crate) fn bytes<E>(mut self) -> Result<Response<Vec<u8>>, Error<E>> {
        let body = std::mem::take(&mut self.body);
        Ok(self.with(body))
    }

    /// For operations whose success answer has no body: whatever came is ignored.
    pub(crate) fn empty<E>(self) -> Result<Response<()>, Error<E>> {
        Ok(self.with(()))
    }

    /// For an answer enum (a variant per status): the body decoded as JSON into `variant`.
    pub(crate) fn json_as<T: DeserializeOwned, U, E>(
        self,
        variant: impl FnOnce(T) -> U,
    ) -> Result<Response<U>, Error<E>> {
        self.json::<T, E>().map(|answer| answer.map(variant))
    }

    /// For an answer enum: the body as text, in `variant`.
    pub(crate) fn text_as<U, E>(self, variant: impl FnOnce(String) -> U) -> Result<Response<U>, Error<E>> {
        self.text().map(|answer| answer.map(variant))
    }

    /// For an answer enum: the body as bytes, in `variant`.
    pub(crate) fn bytes_as<U, E>(self, variant: impl FnOnce(Vec<u8>) -> U) -> Result<Response<U>, Error<E>> {
        self.bytes().map(|answer| answer.map(variant))
    }

    /// For an answer enum: an answer without a body, as `variant`; whatever came is ignored.
    pub(crate) fn empty_as<U, E>(self, variant: U) -> Result<Response<U>, Error<E>> {
        Ok(self.with(variant))
    }

    fn with<T>(self, body: T) -> Response<T> {
        Response { status: self.status, headers: self.headers, attempts: self.attempts, body }
    }

    fn decode_error<E>(&self, reason: String) -> Error<E> {
        Error::Decode { status: self.status, reason, body: String::from_utf8_lossy(&self.body).into_owned() }
    }
}

/// A success answer: the typed body, and the status and headers it came with.
///
/// Derefs to the body, so `response.field` reads a field of the body.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    attempts: u32,
    body: T,
}

impl<T> Response<T> {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, attempts: u32, body: T) -> Self {
        Self { status, headers, attempts, body }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The rate-limit headers (`x-ratelimit-limit`, `-remaining`, `-reset`).
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }

    /// How many attempts it took (more than one after retries).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The body, without the rest.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The body, and the rest of the answer without it.
    pub(crate) fn into_parts(self) -> (T, Response<()>) {
        let Response { status, headers, attempts, body } = self;
        (body, Response { status, headers, attempts, body: () })
    }

    /// The same answer with its body changed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response { status: self.status, headers: self.headers, attempts: self.attempts, body: f(self.body) }
    }
}

/// An answer whose body is a stream (an [`EventStream`](super::EventStream)) is that
/// stream, so `send().await?` can be read with `StreamExt::next` at once.
impl<S: futures_util::Stream + Unpin> futures_util::Stream for Response<S> {
    type Item = S::Item;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::pin::Pin::new(&mut self.body).poll_next(cx)
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &[u8]) -> RawResponse {
        RawResponse { status: StatusCode::OK, headers: HeaderMap::new(), body: body.to_vec(), attempts: 1 }
    }

    #[test]
    fn decodes_json_or_reports_the_body() {
        let value = ok(b"[1,2]").json::<Vec<u32>, ()>().expect("decodes");
        assert_eq!(*value, [1, 2]);
        assert_eq!((value.status(), value.attempts()), (StatusCode::OK, 1));
        assert_eq!(value.into_body(), [1, 2]);
        let error = ok(b"<html>").json::<Vec<u32>, ()>().expect_err("not JSON");
        let Error::Decode { status, body, .. } = &error else { panic!("expected a decode error, got {error:?}") };
        assert_eq!((*status, body.as_str()), (StatusCode::OK, "<html>"));
        // A value that does not fit names where it is.
        let error = ok(br#"{"a":[1,"x"]}"#).json::<std::collections::BTreeMap<String, Vec<u32>>, ()>();
        let Err(Error::Decode { reason, .. }) = &error else { panic!("expected a decode error, got {error:?}") };
        assert!(reason.starts_with("a[1]: invalid type: string"), "{reason}");
    }

    #[test]
    fn text_must_be_utf8() {
        assert_eq!(ok(b"hi").text::<()>().expect("text").body(), "hi");
        assert!(matches!(ok(&[0xff, 0xfe]).text::<()>(), Err(Error::Decode { .. })));
    }

    #[test]
    fn query_values_of_any_type_follow_the_form_style() {
        let pairs = |value: serde_json::Value, explode: bool| {
            let request = Request::new(Method::GET, "/a", &["a"]).query_value("f", &value, explode).expect("encodes");
            request.query.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
        };
        assert_eq!(pairs(serde_json::json!("x"), true), "f=x");
        assert_eq!(pairs(serde_json::json!(2.5), true), "f=2.5");
        assert_eq!(pairs(serde_json::json!(null), true), "");
        assert_eq!(pairs(serde_json::json!(["a", "b"]), true), "f=a&f=b");
        assert_eq!(pairs(serde_json::json!(["a", 1]), false), "f=a,1");
        // Keys in sorted order: serde_json keeps insertion order only with `preserve_order`.
        assert_eq!(pairs(serde_json::json!({"b": "x", "g": null, "r": 1}), true), "b=x&r=1");
        assert_eq!(pairs(serde_json::json!({"b": "x", "r": 1}), false), "f=b,x,r,1");
    }

    #[test]
    fn simple_style_writes_any_value_as_one_piece_of_text() {
        let text = |value: serde_json::Value| simple_style("p", &value).expect("encodes");
        assert_eq!(text(serde_json::json!(42)), "42");
        assert_eq!(text(serde_json::json!("main.yml")), "main.yml");
        assert_eq!(text(serde_json::json!(["a", 1])), "a,1");
        assert_eq!(text(serde_json::json!({"a": 1, "b": "x"})), "a,1,b,x");
        assert_eq!(text(serde_json::json!(null)), "");
    }

    #[test]
    fn json_and_comma_separated_values_are_one_piece_of_text() {
        let filter = serde_json::json!({"labels": ["a b", 1]});
        assert_eq!(json_text("filter", &filter).expect("encodes"), r#"{"labels":["a b",1]}"#);
        assert_eq!(json_text("s", &"x").expect("encodes"), r#""x""#);
        assert_eq!(comma_separated(&["a", "b c"]), "a,b c");
        assert_eq!(comma_separated(&[1, 2]), "1,2");
        assert_eq!(comma_separated(&[] as &[u8]), "");
    }

    #[test]
    fn a_query_parameter_set_again_keeps_its_place() {
        let mut request = Request::new(Method::GET, "/a", &["a"]).query("page", 0).query("q", "x").query("page", 9);
        request.set_query("page", "2".to_owned());
        request.set_query("from", "c".to_owned());
        let pairs: Vec<String> = request.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(pairs, ["page=2", "q=x", "from=c"]);
    }

    #[test]
    fn cookies_share_one_header() {
        let request = Request::new(Method::GET, "/a", &["a"]).cookie("session", "s1").cookie("theme", 2);
        assert_eq!(request.headers, [("cookie", "session=s1; theme=2".to_owned())]);
    }

    #[test]
    fn form_bodies_encode_each_property() {
        let body = serde_json::json!({"grant_type": "client_credentials", "n": 1, "scope": ["a b", "c"], "x": null});
        let request = Request::new(Method::POST, "/t", &["t"]).form("application/x-www-form-urlencoded", &body);
        let body = request.expect("encodes").body.expect("body");
        let text = String::from_utf8(body.content.as_bytes().expect("in memory").to_vec()).expect("text");
        assert_eq!(text, "grant_type=client_credentials&n=1&scope=a+b&scope=c");
        let not_an_object = Request::new(Method::POST, "/t", &["t"]).form("application/x-www-form-urlencoded", &[1]);
        assert!(not_an_object.is_err());
    }

    #[test]
    fn json_bodies_carry_their_content_type() {
        let request = Request::new(Method::POST, "/a", &["a"]).json("application/json", &[1]).expect("encodes");
        let body = request.body.expect("body");
        let bytes = body.content.as_bytes().expect("in memory");
        assert_eq!((body.content_type.as_ref(), bytes.as_ref()), ("application/json", b"[1]".as_slice()));
    }
}
