//! A request as generated operations describe it, before it meets the HTTP client.
//!
//! Not every spec uses every kind of parameter or body.
#![allow(dead_code)]

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{Error, ValidationError};

/// What an operation sends: filled by generated code, sent by [`super::Client::send`].
#[derive(Debug)]
pub(crate) struct Request {
    pub(super) method: Method,
    /// The path template from the spec, e.g. `/users/{id}`, for messages.
    pub(super) path: &'static str,
    /// The path's segments, parameters already filled in; the URL encodes each one.
    pub(super) segments: Vec<String>,
    pub(super) query: Vec<(&'static str, String)>,
    pub(super) headers: Vec<(&'static str, String)>,
    /// The media type of the success answer the spec describes, sent as `Accept`.
    pub(super) accept: Option<&'static str>,
    pub(super) body: Option<Body>,
    pub(super) authenticated: bool,
}

#[derive(Debug)]
pub(super) struct Body {
    pub(super) content_type: &'static str,
    pub(super) bytes: Vec<u8>,
}

impl Request {
    pub(crate) fn new(method: Method, path: &'static str, segments: &[&str]) -> Self {
        Self {
            method,
            path,
            segments: segments.iter().map(|s| (*s).to_owned()).collect(),
            query: Vec::new(),
            headers: Vec::new(),
            accept: None,
            body: None,
            authenticated: false,
        }
    }

    /// Sends the client's bearer token with this request.
    pub(crate) fn authenticated(mut self) -> Self {
        self.authenticated = true;
        self
    }

    pub(crate) fn accept(mut self, media_type: &'static str) -> Self {
        self.accept = Some(media_type);
        self
    }

    pub(crate) fn query(mut self, name: &'static str, value: impl ToString) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    pub(crate) fn header(mut self, name: &'static str, value: impl ToString) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    pub(crate) fn json(mut self, content_type: &'static str, body: &impl Serialize) -> Result<Self, ValidationError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| ValidationError::new("body", format!("cannot be encoded as JSON: {e}")))?;
        self.body = Some(Body { content_type, bytes });
        Ok(self)
    }

    pub(crate) fn text(mut self, content_type: &'static str, body: String) -> Self {
        self.body = Some(Body { content_type, bytes: body.into_bytes() });
        self
    }

    pub(crate) fn bytes(mut self, content_type: &'static str, body: Vec<u8>) -> Self {
        self.body = Some(Body { content_type, bytes: body });
        self
    }
}

/// A success answer, whose body the operation decodes into its own type.
#[derive(Debug)]
pub(crate) struct Response {
    pub(super) status: reqwest::StatusCode,
    pub(super) body: Vec<u8>,
}

impl Response {
    pub(crate) fn json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        serde_json::from_slice(&self.body).map_err(|e| self.decode_error(e.to_string()))
    }

    pub(crate) fn text<E>(self) -> Result<String, Error<E>> {
        match String::from_utf8(self.body) {
            Ok(text) => Ok(text),
            Err(e) => {
                let body = e.as_bytes().to_vec();
                Err(Response { status: self.status, body }.decode_error("the body is not UTF-8 text".into()))
            }
        }
    }

    pub(crate) fn bytes<E>(self) -> Result<Vec<u8>, Error<E>> {
        Ok(self.body)
    }

    /// For operations whose success answer has no body: whatever came is ignored.
    pub(crate) fn empty<E>(self) -> Result<(), Error<E>> {
        Ok(())
    }

    fn decode_error<E>(&self, reason: String) -> Error<E> {
        Error::Decode { status: self.status, reason, body: String::from_utf8_lossy(&self.body).into_owned() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &[u8]) -> Response {
        Response { status: reqwest::StatusCode::OK, body: body.to_vec() }
    }

    #[test]
    fn decodes_json_or_reports_the_body() {
        let value: Vec<u32> = ok(b"[1,2]").json::<_, ()>().expect("decodes");
        assert_eq!(value, [1, 2]);
        let error = ok(b"<html>").json::<Vec<u32>, ()>().expect_err("not JSON");
        let Error::Decode { status, body, .. } = &error else { panic!("expected a decode error, got {error:?}") };
        assert_eq!((*status, body.as_str()), (reqwest::StatusCode::OK, "<html>"));
    }

    #[test]
    fn text_must_be_utf8() {
        assert_eq!(ok(b"hi").text::<()>().expect("text"), "hi");
        assert!(matches!(ok(&[0xff, 0xfe]).text::<()>(), Err(Error::Decode { .. })));
    }

    #[test]
    fn json_bodies_carry_their_content_type() {
        let request = Request::new(Method::POST, "/a", &["a"]).json("application/json", &[1]).expect("encodes");
        let body = request.body.expect("body");
        assert_eq!((body.content_type, body.bytes.as_slice()), ("application/json", b"[1]".as_slice()));
    }
}
