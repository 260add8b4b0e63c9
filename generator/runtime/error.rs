//! The errors a caller can meet: one type for everything an operation can fail with, and
//! the parts it is made of (the server's error answer, the reason no answer arrived, a
//! value refused before sending), next to the error of building a client.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::auth::TokenError;
use super::rate_limit::RateLimit;

/// Why an operation failed.
///
/// `E` is the type of the error bodies the spec declares for the operation (for Auth0,
/// `ErrorResponse`), or `serde_json::Value` when the spec declares none or several.
///
/// # When each variant is returned
///
/// Every operation's `send` fails in the same ways:
///
/// - [`Error::InvalidRequest`] when a value breaks a constraint of the spec (nothing is sent);
/// - [`Error::Token`] when no bearer token could be had (nothing is sent);
/// - [`Error::Api`] when the server answers with an error status, after any retries (the
///   operation's documentation lists the statuses its spec declares);
/// - [`Error::Transport`] when no complete answer arrives, after any retries;
/// - [`Error::Decode`] when a success answer does not match the spec.
///
/// The items of an event stream (`EventStream`) fail in two more ways: [`Error::Event`]
/// for one event that cannot be read (the stream goes on), and [`Error::Transport`] when
/// the connection breaks or stays idle too long (the stream ends).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request broke a constraint of the spec and was not sent; or, in a list's walk,
    /// the link an answer gave to the next page leads off the client's origin.
    #[error("the request was not sent: {0}")]
    InvalidRequest(#[from] ValidationError),
    /// No bearer token could be had, so the request was not sent.
    #[error("the request was not sent: {0}")]
    Token(#[source] TokenError),
    /// The server answered with a status that is not a success (after any retries).
    #[error(transparent)]
    Api(ApiError<E>),
    /// No complete answer arrived (after any retries): the connection, TLS, the time limit
    /// or the transfer failed, or the answer was too large.
    #[error("the request failed before an answer arrived ({attempts} attempt(s)): {source}")]
    Transport {
        /// What failed, on the last attempt.
        #[source]
        source: TransportError,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The server answered with a success status, but the body is not what the spec says.
    #[error("the server answered {status}, but its body does not match the spec: {reason}")]
    Decode {
        /// The status of the answer.
        status: StatusCode,
        /// What did not match.
        reason: String,
        /// The body as received (lossily decoded as UTF-8).
        body: String,
    },
    /// One event of an event stream could not be read; the stream goes on after it.
    #[error("an event of the stream was skipped: {0}")]
    Event(EventError),
}

impl<E> Error<E> {
    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(error) => Some(error.status()),
            Error::Decode { status, .. } => Some(*status),
            Error::Transport { .. } | Error::InvalidRequest(_) | Error::Token(_) | Error::Event(_) => None,
        }
    }

    /// How many attempts were made; `None` when nothing was sent or the answer was a success.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Api(error) => Some(error.attempts()),
            Error::Transport { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    /// Whether the server refused the request for its rate limit (429), after any retries.
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// Whether the last attempt ran out of time.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport { source, .. } if source.is_timeout())
    }

    /// The rate-limit headers of the server's error answer.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.api_error().map(ApiError::rate_limit)
    }

    /// The server's error answer, if that is what this is.
    pub fn api_error(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }
}

/// Why no (complete) answer arrived.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The connection, TLS, the time limit or the transfer failed.
    #[error("{0}")]
    Http(#[source] reqwest::Error),
    /// The answer's body was larger than the client's limit; it was not read to the end.
    #[error("the answer ({status}) is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The answer's status.
        status: StatusCode,
        /// The limit (see `ClientBuilder::max_response_bytes`).
        limit: usize,
    },
    /// A streamed transfer (a file sent, a download, an event stream) stood still for the
    /// time limit: no chunk of the body went out or came in, or the answer did not start,
    /// for that long.
    #[error("the transfer stood still for {0:?}, the time limit")]
    Stalled(std::time::Duration),
    /// An event stream sent nothing for longer than the idle timeout; it was closed.
    #[error("the event stream sent nothing for {limit:?}")]
    Idle {
        /// The idle timeout (see `ClientBuilder::event_idle_timeout`).
        limit: std::time::Duration,
    },
}

impl TransportError {
    /// Whether the attempt ran out of time (or an event stream stayed idle too long).
    pub fn is_timeout(&self) -> bool {
        match self {
            TransportError::Http(e) => e.is_timeout(),
            TransportError::Stalled(_) | TransportError::Idle { .. } => true,
            TransportError::TooLarge { .. } => false,
        }
    }
}

/// Why one event of an event stream could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EventError {
    /// The event is larger than the limit (see `ClientBuilder::max_event_bytes`); it was
    /// skipped to its end without being kept.
    #[error("the event is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// The event is not UTF-8 text.
    #[error("the event is not UTF-8 text")]
    NotUtf8,
    /// The event's data is not JSON of the type the spec gives.
    #[error("the data of event `{event}` does not match the spec: {reason}")]
    Decode {
        /// The event's name (`message` when it has none).
        event: String,
        /// What did not match.
        reason: String,
        /// The event's data, as received.
        data: String,
    },
    /// The event is not valid server-sent event syntax; the stream ends after it.
    #[error("the stream is not valid server-sent events: {reason}")]
    Syntax {
        /// What the parser said.
        reason: String,
    },
}

/// An answer with a status that is not a success.
#[derive(Debug)]
pub struct ApiError<E> {
    status: StatusCode,
    headers: HeaderMap,
    body: Option<E>,
    raw_body: String,
    attempts: u32,
}

/// How much of the raw body `Display` shows.
const DISPLAYED_BODY_CHARS: usize = 500;

impl<E: serde::de::DeserializeOwned> ApiError<E> {
    /// Decodes the body into `E` when it is a JSON value of that shape; keeps the raw text always.
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: &[u8], attempts: u32) -> Self {
        Self {
            status,
            headers,
            body: serde_json::from_slice(body).ok(),
            raw_body: String::from_utf8_lossy(body).into_owned(),
            attempts,
        }
    }
}

impl<E> ApiError<E> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded error body, when the server sent one of the shape the spec declares.
    pub fn body(&self) -> Option<&E> {
        self.body.as_ref()
    }

    /// The body as received (lossily decoded as UTF-8), whatever its shape.
    pub fn raw_body(&self) -> &str {
        &self.raw_body
    }

    /// How many attempts were made (more than one when the answer was retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The rate-limit headers of the answer.
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the server answered {}", self.status)?;
        let body = self.raw_body.trim();
        if !body.is_empty() {
            let shown: String = body.chars().take(DISPLAYED_BODY_CHARS).collect();
            let more = if shown.len() < body.len() { " …" } else { "" };
            write!(f, ": {shown}{more}")?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug> std::error::Error for ApiError<E> {}

/// A value that breaks a constraint of the spec, found before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{field}` {problem}")]
pub struct ValidationError {
    field: String,
    problem: String,
}

impl ValidationError {
    pub(crate) fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Self { field: field.into(), problem: problem.into() }
    }

    /// The field, parameter or header, by its name on the wire.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// What is wrong with it.
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL does not parse.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// Why it does not parse.
        reason: String,
    },
    /// The base URL is not `http` or `https`.
    #[error("the base URL `{url}` must start with https:// or http://")]
    UnsupportedScheme {
        /// The URL as given.
        url: String,
    },
    /// A server variable (such as a tenant domain) would change more of the URL than its own part.
    #[error("`{value}` is not a valid `{name}`: it must be a host name, without `/`, `?`, `#`, `@` or spaces")]
    InvalidServerVariable {
        /// The variable's name in the spec.
        name: String,
        /// The value given.
        value: String,
    },
    /// The base URL is `http://` and `allow_http` was not called: a token would travel in clear.
    #[error("the URL `{url}` is not https; call `allow_http()` to use it anyway (tests, local proxies)")]
    InsecureUrl {
        /// The URL as given.
        url: String,
    },
    /// Client credentials were given, but neither the spec nor the builder names a token URL.
    #[error("client credentials need a token URL: call `token_url(...)`")]
    NoTokenUrl,
    /// The telemetry header could not be made (an internal error).
    #[error("the telemetry header could not be made")]
    InvalidTelemetry,
    /// The HTTP client could not be created (for example, no TLS backend could start).
    #[error("the HTTP client could not be created: {0}")]
    HttpClient(#[source] reqwest::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Body {
        message: String,
    }

    #[test]
    fn api_error_keeps_json_body_and_raw_text() {
        let error = ApiError::<Body>::new(StatusCode::NOT_FOUND, HeaderMap::new(), br#"{"message":"gone"}"#, 1);
        assert_eq!(error.body(), Some(&Body { message: "gone".into() }));
        assert_eq!(error.raw_body(), r#"{"message":"gone"}"#);
        assert_eq!(error.to_string(), r#"the server answered 404 Not Found: {"message":"gone"}"#);
    }

    #[test]
    fn api_error_without_json_keeps_only_raw_text() {
        let error = ApiError::<Body>::new(StatusCode::BAD_GATEWAY, HeaderMap::new(), b"<html>upstream down</html>", 1);
        assert_eq!(error.body(), None);
        assert_eq!(error.to_string(), "the server answered 502 Bad Gateway: <html>upstream down</html>");
        let wrong_shape = ApiError::<Body>::new(StatusCode::BAD_REQUEST, HeaderMap::new(), br#"{"other":1}"#, 1);
        assert_eq!(wrong_shape.body(), None);
    }

    #[test]
    fn long_bodies_are_cut_in_messages() {
        let long = "x".repeat(2 * DISPLAYED_BODY_CHARS);
        let error = ApiError::<Body>::new(StatusCode::INTERNAL_SERVER_ERROR, HeaderMap::new(), long.as_bytes(), 1);
        let message = error.to_string();
        assert!(message.ends_with(" …"), "{message}");
        assert!(message.len() < long.len());
        assert_eq!(error.raw_body().len(), long.len());
    }

    #[test]
    fn status_is_reachable_from_every_answer() {
        let api: Error<Body> = Error::Api(ApiError::new(StatusCode::TOO_MANY_REQUESTS, HeaderMap::new(), b"", 3));
        assert_eq!(api.status(), Some(StatusCode::TOO_MANY_REQUESTS));
        assert!(api.is_rate_limited());
        assert_eq!(api.attempts(), Some(3));
        assert_eq!(api.to_string(), "the server answered 429 Too Many Requests");
        let invalid: Error<Body> = ValidationError::new("email", "is not an email address").into();
        assert_eq!((invalid.status(), invalid.attempts(), invalid.is_rate_limited()), (None, None, false));
        assert_eq!(invalid.to_string(), "the request was not sent: `email` is not an email address");
    }

    #[test]
    fn a_too_large_answer_is_a_transport_error_and_no_timeout() {
        let source = TransportError::TooLarge { status: StatusCode::OK, limit: 1024 };
        assert_eq!(source.to_string(), "the answer (200 OK) is larger than the limit of 1024 bytes");
        let error: Error<Body> = Error::Transport { source, attempts: 2 };
        assert_eq!((error.status(), error.attempts(), error.is_timeout()), (None, Some(2), false));
        let message = error.to_string();
        assert_eq!(message, "the request failed before an answer arrived (2 attempt(s)): the answer (200 OK) is larger than the limit of 1024 bytes");
    }
}
