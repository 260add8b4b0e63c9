//! The client: where requests go, with which credentials, and how each one is sent:
//! token, headers, timeout per attempt, retries with their waits, and the answer read
//! within a size limit (or, for a download, handed over as a stream).
//!
//! A body in memory and an answer read whole have one time limit per attempt. When the
//! request body is streamed (a file) or the answer is (a download), the limit is instead
//! the longest time the transfer may stand still, so that a big transfer that keeps moving
//! is not cut.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::auth::{ClientCredentials, Credential, KeyLocation, Scheme, Secret, TokenError, TokenSource};
use super::error::{ApiError, BuildError, Error, TransportError, ValidationError};
use super::request::{RawResponse, Request, Response};
use super::retry::{Outcome, RetryPolicy};
use super::sse::{RawStream, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_EVENT_BYTES};
use super::streams::{ByteStream, Pieces, Progress};

/// What the generated crate tells the runtime about its API.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ApiSettings {
    /// The OAuth 2 token endpoint for client credentials, absolute or relative to the base URL.
    pub(crate) token_url: Option<&'static str>,
    /// The header that carries telemetry (Auth0: `auth0-client`), if the API takes one.
    pub(crate) telemetry_header: Option<&'static str>,
    /// The security schemes, by the names the spec gives them (which requests use).
    pub(crate) schemes: &'static [(&'static str, Scheme)],
}

/// The default time limit of one attempt.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default limit on the size of an answer's body.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// A client of the API. Cheap to clone: clones share one connection pool and one token cache.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    tokens: TokenSource,
    schemes: &'static [(&'static str, Scheme)],
    /// API keys and usernames with passwords, by scheme name.
    credentials: Vec<(&'static str, Credential)>,
    retry: RetryPolicy,
    timeout: Duration,
    max_response_bytes: usize,
    default_header_parameters: Vec<(String, String)>,
    telemetry: Option<(HeaderName, HeaderValue)>,
    events: EventSettings,
}

/// The limits of event streams ([`super::sse`]).
#[derive(Debug, Clone, Copy)]
struct EventSettings {
    max_event_bytes: usize,
    idle_timeout: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url.as_str())
            .field("credentials", &inner.tokens)
            .field("other_credentials", &inner.credentials)
            .field("retry", &inner.retry)
            .field("timeout", &inner.timeout)
            .finish_non_exhaustive()
    }
}

/// Telemetry sent with every request, as Auth0's SDKs send it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Telemetry {
    /// This crate's name and version, and the Rust version it supports.
    #[default]
    Default,
    /// Nothing is sent.
    Off,
    /// Another name and version (for a library that wraps this crate).
    Custom {
        /// The name to report.
        name: String,
        /// The version to report.
        version: String,
    },
}

impl Client {
    /// Starts building a client for the API at `base_url`, e.g. `https://example.com/api/v2`.
    /// Operation paths are appended to it.
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            credentials: Auth::None,
            other_credentials: Vec::new(),
            http: None,
            allow_http: false,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            default_header_parameters: Vec::new(),
            telemetry: Telemetry::Default,
            events: EventSettings { max_event_bytes: DEFAULT_MAX_EVENT_BYTES, idle_timeout: DEFAULT_IDLE_TIMEOUT },
        }
    }

    /// The URL that operation paths are appended to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// Gives a header parameter that the call left unset the client-wide value for it, if
    /// the client has one ([`ClientBuilder::default_header_parameter`]).
    #[allow(dead_code)] // Unused by a spec without optional header parameters.
    pub(crate) fn fill_header_default(&self, name: &str, value: &mut Option<String>) {
        if value.is_none() {
            let defaults = &self.inner.default_header_parameters;
            *value = defaults.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
        }
    }

    /// Sends `request`: attempts it, retries it as the policy allows, and returns the answer
    /// if its status is a success.
    #[allow(dead_code)] // Unused only in a crate from a spec without operations.
    pub(crate) async fn send<E: DeserializeOwned>(&self, request: Request) -> Result<RawResponse, Error<E>> {
        let answer = self.send_traced(request, false).await?;
        let body = match answer.body {
            AnswerBody::Read(body) => body,
            // Not asked for as a stream, so not one; read it all the same.
            AnswerBody::Open(mut response) => {
                let limit = self.inner.max_response_bytes;
                let progress = Progress::new();
                read_body(&mut response, answer.status, limit, &progress)
                    .await
                    .map_err(|e| Error::Transport { source: e.without_url(), attempts: answer.attempts })?
            }
        };
        Ok(RawResponse { status: answer.status, headers: answer.headers, body, attempts: answer.attempts })
    }

    /// Sends `request` as [`send`](Self::send) does, but hands over a success answer's body
    /// as a stream, unread: a download of any size. The time limit is then the longest wait
    /// for the head of the answer, and between two chunks of the body.
    #[allow(dead_code)] // Unused by a spec without binary answers.
    pub(crate) async fn send_streaming<E: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<Response<ByteStream<E>>, Error<E>> {
        let timeout = request.options.timeout.unwrap_or(self.inner.timeout);
        let answer = self.send_traced(request, true).await?;
        let body = match answer.body {
            AnswerBody::Open(response) => ByteStream::from_response(response, timeout, answer.attempts),
            AnswerBody::Read(body) => ByteStream::from_bytes(body, timeout, answer.attempts),
        };
        Ok(Response::new(answer.status, answer.headers, answer.attempts, body))
    }

    async fn send_traced<E: DeserializeOwned>(
        &self,
        request: Request,
        stream_answer: bool,
    ) -> Result<Answer, Error<E>> {
        let span = tracing::info_span!(
            "request",
            method = %request.method,
            path = request.path,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        let result = self.send_with_retries(&request, stream_answer).instrument(span.clone()).await;
        match &result {
            Ok(answer) => {
                span.record("status", answer.status.as_u16());
                span.record("attempts", answer.attempts);
            }
            Err(error) => {
                if let Some(status) = error.status() {
                    span.record("status", status.as_u16());
                }
                if let Some(attempts) = error.attempts() {
                    span.record("attempts", attempts);
                }
            }
        }
        result
    }

    async fn send_with_retries<E: DeserializeOwned>(
        &self,
        request: &Request,
        stream_answer: bool,
    ) -> Result<Answer, Error<E>> {
        let inner = &self.inner;
        let max_retries = request.options.max_retries.unwrap_or(inner.retry.max_retries);
        let timeout = request.options.timeout.unwrap_or(inner.timeout);
        let alternative = self.alternative(request.security).map_err(Error::Token)?;
        let bearer = alternative.iter().any(|name| matches!(self.scheme(name), Some(Scheme::Bearer)));
        let prepared = self.prepare(request, alternative)?;
        let mut attempts = 0;
        let mut retries = 0;
        let mut refreshed_token = false;
        loop {
            attempts += 1;
            let token = match bearer {
                true => Some(inner.tokens.token(&inner.http, timeout).await.map_err(Error::Token)?),
                false => None,
            };
            let started = Instant::now();
            let span = tracing::debug_span!("attempt", attempt = attempts, status = tracing::field::Empty);
            let progress = Progress::new();
            let body = match &prepared.body {
                Some((content_type, pieces)) => Some((content_type, pieces.open(&progress).await?)),
                None => None,
            };
            let attempt = self.attempt(&prepared, body, token.as_ref(), timeout, stream_answer, &progress);
            let result = match attempt.instrument(span.clone()).await {
                Ok((status, headers, body)) if status.is_success() => {
                    span.record("status", status.as_u16());
                    return Ok(Answer { status, headers, body, attempts });
                }
                other => other,
            };
            // A body whose stream an attempt read cannot be sent again.
            let can_resend = prepared.body.as_ref().is_none_or(|(_, pieces)| pieces.can_send());
            let (outcome, headers) = match &result {
                Ok((status, headers, _)) => (Outcome::Status(*status), Some(headers)),
                Err(error) if error.is_connect() => (Outcome::NotConnected, None),
                Err(_) => (Outcome::Interrupted, None),
            };
            if let Outcome::Status(status) = outcome {
                span.record("status", status.as_u16());
            }
            tracing::debug!(parent: &span, elapsed_ms = started.elapsed().as_millis() as u64, "attempt ended");

            if let Outcome::Status(status) = outcome {
                // A refused token is replaced once, and the request repeated, outside the retry budget.
                if status == StatusCode::UNAUTHORIZED && !refreshed_token && can_resend {
                    if let Some(token) = &token {
                        refreshed_token = true;
                        if inner.tokens.invalidate(token).await {
                            continue;
                        }
                    }
                }
            }
            if retries < max_retries && can_resend && inner.retry.should_retry(&request.method, outcome) {
                let wait = inner.retry.delay(retries, headers, SystemTime::now(), fastrand::f64());
                tracing::debug!(wait_ms = wait.as_millis() as u64, "retrying");
                retries += 1;
                tokio::time::sleep(wait).await;
                continue;
            }
            return match result {
                Ok((status, headers, AnswerBody::Read(body))) => {
                    Err(Error::Api(ApiError::new(status, headers, &body, attempts)))
                }
                // Only success answers are left unread.
                Ok((status, headers, AnswerBody::Open(_))) => {
                    Err(Error::Api(ApiError::new(status, headers, &[], attempts)))
                }
                Err(source) => Err(Error::Transport { source: source.without_url(), attempts }),
            };
        }
    }

    fn scheme(&self, name: &str) -> Option<Scheme> {
        self.inner.schemes.iter().find(|(n, _)| *n == name).map(|(_, scheme)| *scheme)
    }

    fn credential(&self, name: &str) -> Option<&Credential> {
        self.inner.credentials.iter().find(|(n, _)| *n == name).map(|(_, credential)| credential)
    }

    /// Which of the request's alternatives of security schemes to send: the first whose every
    /// scheme the client has credentials for. None left: an error, before anything is sent.
    fn alternative(&self, security: &'static [&'static [&'static str]]) -> Result<&'static [&'static str], TokenError> {
        if security.is_empty() {
            return Ok(&[]);
        }
        let has = |name: &&str| match self.scheme(name) {
            Some(Scheme::Bearer) => !matches!(self.inner.tokens, TokenSource::None),
            Some(_) => self.credential(name).is_some(),
            None => false,
        };
        if let Some(alternative) = security.iter().find(|alternative| alternative.iter().all(has)) {
            return Ok(alternative);
        }
        let bearer = |name: &&str| matches!(self.scheme(name), Some(Scheme::Bearer));
        if security.iter().any(|alternative| alternative.iter().all(bearer)) {
            return Err(TokenError::NoCredentials);
        }
        let needed: Vec<String> = security
            .iter()
            .map(|alternative| alternative.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(" and "))
            .collect();
        Err(TokenError::MissingCredentials { needed: needed.join(", or ") })
    }

    /// The parts of a request that do not change between attempts, checked once: with the
    /// credentials of `alternative` that do not change either (API keys, basic).
    fn prepare(&self, request: &Request, alternative: &[&str]) -> Result<PreparedRequest, ValidationError> {
        let mut url = match &request.link {
            Some(link) => link.clone(),
            None => {
                let mut url = self.inner.base_url.clone();
                // `build` made sure the base URL can have path segments.
                if let Ok(mut segments) = url.path_segments_mut() {
                    segments.pop_if_empty().extend(&request.segments);
                }
                url
            }
        };
        let mut key_headers = Vec::new();
        let mut key_query = Vec::new();
        let mut key_cookies = Vec::new();
        for name in alternative {
            match (self.scheme(name), self.credential(name)) {
                (Some(Scheme::ApiKey { location, name }), Some(Credential::ApiKey(key))) => match location {
                    KeyLocation::Header => key_headers.push((name, key.expose().to_owned())),
                    KeyLocation::Query => key_query.push((name, key.expose())),
                    KeyLocation::Cookie => key_cookies.push(format!("{name}={}", key.expose())),
                },
                (Some(Scheme::Basic), Some(Credential::Basic { username, password })) => {
                    use base64::Engine;
                    let pair = format!("{username}:{}", password.expose());
                    let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                    key_headers.push(("authorization", format!("Basic {encoded}")));
                }
                _ => {}
            }
        }
        if request.link.is_some() {
            // A link carries its query, and may carry an API key sent in the query already.
            key_query.retain(|(name, _)| !url.query_pairs().any(|(key, _)| key == *name));
        }
        let query = if request.link.is_some() { &[][..] } else { &request.query[..] };
        if !query.is_empty() || !key_query.is_empty() {
            let pairs = query.iter().map(|(k, v)| (k.as_ref(), v.as_str()));
            url.query_pairs_mut().extend_pairs(pairs.chain(key_query));
        }
        let mut headers = Vec::new();
        if let Some(media_type) = request.accept {
            headers.push((ACCEPT, HeaderValue::from_static(media_type)));
        }
        if let Some((name, value)) = &self.inner.telemetry {
            headers.push((name.clone(), value.clone()));
        }
        // Headers that carry a secret are marked sensitive (kept out of `HeaderValue`'s
        // `Debug`). An API key's cookie joins the request's one `Cookie` header, or is one.
        let mut cookies = (!key_cookies.is_empty()).then(|| key_cookies.join("; "));
        let mut all: Vec<(&str, String, bool)> = Vec::new();
        for (name, value) in &request.headers {
            match cookies.take() {
                Some(keys) if name.eq_ignore_ascii_case("cookie") => all.push((name, format!("{value}; {keys}"), true)),
                keys => {
                    cookies = keys;
                    all.push((name, value.clone(), false));
                }
            }
        }
        all.extend(request.options.headers.iter().map(|(n, v)| (n.as_str(), v.clone(), false)));
        all.extend(key_headers.into_iter().chain(cookies.map(|keys| ("cookie", keys))).map(|(n, v)| (n, v, true)));
        for (name, value, sensitive) in all {
            let header_name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| ValidationError::new(name, "is not a valid header name"))?;
            let mut header_value = HeaderValue::from_str(&value)
                .map_err(|_| ValidationError::new(name, "contains characters a header value cannot carry"))?;
            header_value.set_sensitive(sensitive);
            headers.push((header_name, header_value));
        }
        let body = match &request.body {
            Some(body) => {
                let content_type = HeaderValue::from_str(&body.content_type)
                    .map_err(|_| ValidationError::new("Content-Type", "is not a valid header value"))?;
                Some((content_type, body.content.clone()))
            }
            None => None,
        };
        Ok(PreparedRequest { method: request.method.clone(), url, headers, body })
    }

    /// One attempt: the answer's status, headers and body (left unread for a success answer
    /// asked for as a stream), or why there was none.
    async fn attempt(
        &self,
        request: &PreparedRequest,
        body: Option<(&HeaderValue, (reqwest::Body, Option<u64>))>,
        token: Option<&Secret>,
        timeout: Duration,
        stream_answer: bool,
        progress: &Progress,
    ) -> Result<(StatusCode, HeaderMap, AnswerBody), AttemptError> {
        let mut builder = self.inner.http.request(request.method.clone(), request.url.clone());
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(token) = token {
            builder = builder.bearer_auth(token.expose());
        }
        let streamed_body = request.body.as_ref().is_some_and(|(_, pieces)| pieces.as_bytes().is_none());
        if let Some((content_type, (body, length))) = body {
            builder = builder.header(CONTENT_TYPE, content_type);
            if let (Some(length), true) = (length, streamed_body) {
                builder = builder.header(CONTENT_LENGTH, length);
            }
            builder = builder.body(body);
        }
        let streamed = streamed_body || stream_answer;
        if !streamed {
            // One limit for the whole exchange, which is all in memory.
            builder = builder.timeout(timeout);
        }
        let limit = self.inner.max_response_bytes;
        let work = async {
            let mut answer = builder.send().await.map_err(AttemptError::Http)?;
            progress.mark();
            let status = answer.status();
            let headers = answer.headers().clone();
            if stream_answer && status.is_success() {
                return Ok((status, headers, AnswerBody::Open(answer)));
            }
            let body = read_body(&mut answer, status, limit, progress).await?;
            Ok((status, headers, AnswerBody::Read(body)))
        };
        match streamed {
            true => progress.idle_limit(timeout, work).await.unwrap_or(Err(AttemptError::Stalled(timeout))),
            false => work.await,
        }
    }
}

/// A body read whole, within `limit` bytes.
async fn read_body(
    answer: &mut reqwest::Response,
    status: StatusCode,
    limit: usize,
    progress: &Progress,
) -> Result<Vec<u8>, AttemptError> {
    if answer.content_length().is_some_and(|length| length > limit as u64) {
        return Err(AttemptError::TooLarge { status, limit });
    }
    let mut body = Vec::new();
    while let Some(chunk) = answer.chunk().await.map_err(AttemptError::Http)? {
        progress.mark();
        if body.len() + chunk.len() > limit {
            return Err(AttemptError::TooLarge { status, limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A success answer (or, inside the retry loop, any answer).
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: AnswerBody,
    attempts: u32,
}

/// An answer's body: read whole, or, for a success answer asked for as a stream, not yet.
enum AnswerBody {
    Read(Vec<u8>),
    Open(reqwest::Response),
}

impl Client {
    /// Sends `request`, whose success answer is an event stream, as [`Client::send`] does
    /// (token, retries, the time limit of an attempt), except that a success answer's body
    /// is left unread for [`RawStream::events`]: the time limit covers only the wait for the
    /// answer's head, and the body's size is limited per event, not in all.
    #[allow(dead_code)] // Unused by a spec without event streams.
    pub(crate) async fn send_stream<E: DeserializeOwned>(&self, request: Request) -> Result<RawStream, Error<E>> {
        let answer = self.send_traced(request, true).await?;
        let EventSettings { max_event_bytes, idle_timeout } = self.inner.events;
        let Answer { status, headers, attempts, body } = answer;
        match body {
            AnswerBody::Open(body) => Ok(RawStream { status, headers, attempts, body, max_event_bytes, idle_timeout }),
            // `attempt` leaves every success answer asked for as a stream unread.
            AnswerBody::Read(body) => Err(Error::Decode {
                status,
                reason: "the event stream was read whole instead of as it arrived".to_owned(),
                body: String::from_utf8_lossy(&body).into_owned(),
            }),
        }
    }
}

/// A request's URL, headers and body, ready to be sent as many times as needed.
struct PreparedRequest {
    method: reqwest::Method,
    url: Url,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Option<(HeaderValue, Pieces)>,
}

/// Why an attempt has no answer.
#[derive(Debug)]
enum AttemptError {
    Http(reqwest::Error),
    TooLarge {
        status: StatusCode,
        limit: usize,
    },
    /// A streamed transfer stood still for this long.
    Stalled(Duration),
}

impl AttemptError {
    fn is_connect(&self) -> bool {
        matches!(self, AttemptError::Http(e) if e.is_connect())
    }

    fn without_url(self) -> TransportError {
        match self {
            AttemptError::Http(e) => TransportError::Http(e.without_url()),
            AttemptError::TooLarge { status, limit } => TransportError::TooLarge { status, limit },
            AttemptError::Stalled(limit) => TransportError::Stalled(limit),
        }
    }
}

/// The credentials a builder was given.
enum Auth {
    None,
    Token(Secret),
    ClientCredentials { client_id: String, client_secret: Secret, audience: Option<String>, token_url: Option<String> },
}

/// Settings of a [`Client`] under construction.
pub struct ClientBuilder {
    base_url: String,
    credentials: Auth,
    /// API keys and usernames with passwords, by scheme name.
    other_credentials: Vec<(&'static str, Credential)>,
    http: Option<reqwest::Client>,
    allow_http: bool,
    timeout: Duration,
    retry: RetryPolicy,
    max_response_bytes: usize,
    default_header_parameters: Vec<(String, String)>,
    telemetry: Telemetry,
    events: EventSettings,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials = match &self.credentials {
            Auth::None => "none",
            Auth::Token(_) => "bearer token <redacted>",
            Auth::ClientCredentials { .. } => "client credentials <redacted>",
        };
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &credentials)
            .field("other_credentials", &self.other_credentials)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The credential of the security scheme `scheme` (an API key, a username and password),
    /// in place of any given before; the generated methods named after the schemes call it.
    #[allow(dead_code)] // Unused by a spec without API keys or basic authentication.
    pub(crate) fn credential(mut self, scheme: &'static str, credential: Credential) -> Self {
        self.other_credentials.retain(|(name, _)| *name != scheme);
        self.other_credentials.push((scheme, credential));
        self
    }

    /// The token sent as `Authorization: Bearer <token>` with every operation that needs one.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Auth::Token(Secret::new(token));
        self
    }

    /// Client credentials (OAuth 2 `client_credentials` grant): the client gets a token from
    /// the API's token endpoint, caches it, and gets a new one 10 seconds before it expires
    /// or when the API refuses it. Concurrent requests wait for one fetch.
    pub fn client_credentials(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        self.credentials = Auth::ClientCredentials {
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
            audience: None,
            token_url: None,
        };
        self
    }

    /// The audience asked for with client credentials (default: the base URL with a
    /// trailing slash, e.g. `https://{domain}/api/v2/`).
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        if let Auth::ClientCredentials { audience: slot, .. } = &mut self.credentials {
            *slot = Some(audience.into());
        }
        self
    }

    /// The token endpoint for client credentials, if not the one the spec names.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        if let Auth::ClientCredentials { token_url, .. } = &mut self.credentials {
            *token_url = Some(url.into());
        }
        self
    }

    /// Allows an `http://` base URL (tests, a local proxy). Without it, only `https://` is
    /// accepted, so a token is never sent in clear by accident.
    pub fn allow_http(mut self) -> Self {
        self.allow_http = true;
        self
    }

    /// The time limit of each attempt (default 60 seconds); a call can set its own.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Retries after the first attempt (default 2, so at most 3 requests); 0 disables them.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// The longest wait before a retry (default 60 seconds), whatever the server asks.
    pub fn max_retry_wait(mut self, wait: Duration) -> Self {
        self.retry.max_wait = wait;
        self
    }

    /// The first backoff wait when the server does not say how long to wait (default one
    /// second; later waits double).
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.retry.base_delay = delay;
        self
    }

    /// Also retries POST and PATCH after a 408, a 5xx or a broken connection. Off by
    /// default: a repeated POST can do its work twice.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry.retry_non_idempotent = retry;
        self
    }

    /// The largest answer body read (default 16 MiB); a larger one is an error.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// The largest event of an event stream read (default 1 MiB); a larger one is skipped
    /// and is an [`Error::Event`] item. (The stream as a whole has no size limit.)
    pub fn max_event_bytes(mut self, limit: usize) -> Self {
        self.events.max_event_bytes = limit;
        self
    }

    /// How long an event stream may send nothing before it is closed (default 2 minutes):
    /// its last item is then an [`Error::Transport`]. The time limit of an attempt bounds
    /// only the wait for the stream's first bytes, not the stream.
    pub fn event_idle_timeout(mut self, timeout: Duration) -> Self {
        self.events.idle_timeout = timeout;
        self
    }

    /// A value for a header parameter, sent by the operations whose spec declares that header
    /// when the call sets none (for Auth0: `auth0-custom-domain`).
    pub fn default_header_parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_header_parameters.push((name.into(), value.into()));
        self
    }

    /// Which telemetry to send (default: this crate's name and version).
    pub fn telemetry(mut self, telemetry: Telemetry) -> Self {
        self.telemetry = telemetry;
        self
    }

    /// Uses this `reqwest` client (its proxy or TLS settings) instead of a new one.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        self.build_with(crate::API)
    }

    pub(crate) fn build_with(self, api: ApiSettings) -> Result<Client, BuildError> {
        let base_url = Url::parse(&self.base_url)
            .map_err(|e| BuildError::InvalidBaseUrl { url: self.base_url.clone(), reason: e.to_string() })?;
        match base_url.scheme() {
            "https" => {}
            "http" if self.allow_http => {}
            "http" => return Err(BuildError::InsecureUrl { url: self.base_url }),
            _ => return Err(BuildError::UnsupportedScheme { url: self.base_url }),
        }
        if base_url.cannot_be_a_base() {
            return Err(BuildError::UnsupportedScheme { url: self.base_url });
        }
        let tokens = match self.credentials {
            Auth::None => TokenSource::None,
            Auth::Token(token) => TokenSource::Static(token),
            Auth::ClientCredentials { client_id, client_secret, audience, token_url } => {
                let token_url = token_url.as_deref().or(api.token_url).ok_or(BuildError::NoTokenUrl)?;
                let token_url = base_url
                    .join(token_url)
                    .map_err(|e| BuildError::InvalidBaseUrl { url: token_url.to_owned(), reason: e.to_string() })?;
                if token_url.scheme() == "http" && !self.allow_http {
                    return Err(BuildError::InsecureUrl { url: token_url.to_string() });
                }
                let audience = audience.unwrap_or_else(|| format!("{}/", base_url.as_str().trim_end_matches('/')));
                TokenSource::client_credentials(ClientCredentials { token_url, client_id, client_secret, audience })
            }
        };
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(USER_AGENT)
                .redirect(same_origin_redirects())
                .build()
                .map_err(BuildError::HttpClient)?,
        };
        let telemetry = match (api.telemetry_header, &self.telemetry) {
            (None, _) | (_, Telemetry::Off) => None,
            (Some(header), telemetry) => {
                let (name, version) = match telemetry {
                    Telemetry::Custom { name, version } => (name.as_str(), version.as_str()),
                    _ => (env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")),
                };
                let header = HeaderName::from_bytes(header.as_bytes()).map_err(|_| BuildError::InvalidTelemetry)?;
                Some((header, telemetry_value(name, version)?))
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                tokens,
                schemes: api.schemes,
                credentials: self.other_credentials,
                retry: self.retry,
                timeout: self.timeout,
                max_response_bytes: self.max_response_bytes,
                default_header_parameters: self.default_header_parameters,
                telemetry,
                events: self.events,
            }),
        })
    }
}

/// Redirects are followed (at most 10) only within the origin (scheme, host and port) of the
/// request: reqwest drops `Authorization` and `Cookie` on a redirect to another host, but not
/// an API key in a header of its own, which must not reach another host. A redirect elsewhere
/// is left as the answer (an [`Error::Api`] with its 3xx status).
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt.previous().first().is_some_and(|first| first.origin() == attempt.url().origin());
        if attempt.previous().len() > 10 {
            attempt.error("more than 10 redirects")
        } else if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// `{crate}/{version}`.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// base64url (no padding) of `{"name": ..., "version": ..., "env": {"rust": ...}}`, as
/// Auth0's SDKs send it; `rust` is the crate's minimum supported Rust version.
fn telemetry_value(name: &str, version: &str) -> Result<HeaderValue, BuildError> {
    use base64::Engine;
    let json = serde_json::json!({
        "name": name,
        "version": version,
        "env": {"rust": env!("CARGO_PKG_RUST_VERSION")},
    });
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json.to_string());
    // base64url is always a valid header value.
    HeaderValue::from_str(&encoded).map_err(|_| BuildError::InvalidTelemetry)
}

/// Fills the variables of a server URL template such as `https://{tenantDomain}/api/v2`.
///
/// Each value must stay within its own part of the URL: a value with `/`, `?`, `#`, `@`,
/// `\` or white space is refused rather than allowed to point the client elsewhere.
#[allow(dead_code)] // Only specs whose server URL has variables use it.
pub(crate) fn server_url(template: &str, variables: &[(&str, &str)]) -> Result<String, BuildError> {
    let mut url = template.to_owned();
    for (name, value) in variables {
        let breaks_out = |c: char| matches!(c, '/' | '?' | '#' | '@' | '\\') || c.is_whitespace();
        if value.is_empty() || value.contains(breaks_out) {
            return Err(BuildError::InvalidServerVariable { name: (*name).to_owned(), value: (*value).to_owned() });
        }
        url = url.replace(&format!("{{{name}}}"), value);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: ApiSettings =
        ApiSettings { token_url: Some("/oauth/token"), telemetry_header: Some("auth0-client"), schemes: &[] };

    #[test]
    fn server_url_fills_variables_and_refuses_escapes() {
        let template = "https://{tenantDomain}/api/v2";
        let url = server_url(template, &[("tenantDomain", "acme.eu.auth0.com")]).expect("valid");
        assert_eq!(url, "https://acme.eu.auth0.com/api/v2");
        for bad in ["", "evil.com/", "evil.com?", "evil.com#", "user@evil.com", "a b", "evil.com\\"] {
            let error = server_url(template, &[("tenantDomain", bad)]).expect_err(bad);
            assert!(matches!(error, BuildError::InvalidServerVariable { .. }), "{bad:?}: {error}");
        }
    }

    #[test]
    fn base_url_must_be_https_unless_http_is_allowed() {
        let build = |url: &str| Client::builder(url).build_with(API);
        assert!(matches!(build("not a url"), Err(BuildError::InvalidBaseUrl { .. })));
        assert!(matches!(build("ftp://example.com"), Err(BuildError::UnsupportedScheme { .. })));
        assert!(matches!(build("mailto:a@example.com"), Err(BuildError::UnsupportedScheme { .. })));
        assert!(matches!(build("http://127.0.0.1:1/api"), Err(BuildError::InsecureUrl { .. })));
        assert!(Client::builder("http://127.0.0.1:1/api").allow_http().build_with(API).is_ok());
        assert!(build("https://example.com/api").is_ok());
    }

    #[test]
    fn client_credentials_use_the_spec_token_url_and_the_api_as_audience() {
        let client =
            Client::builder("https://acme.auth0.com/api/v2").client_credentials("id", "secret").build_with(API);
        let client = client.expect("client");
        let TokenSource::ClientCredentials(tokens) = &client.inner.tokens else { panic!("client credentials") };
        let settings = &tokens.settings;
        assert_eq!(settings.token_url.as_str(), "https://acme.auth0.com/oauth/token");
        assert_eq!(settings.audience, "https://acme.auth0.com/api/v2/");
        let no_token_url = ApiSettings { token_url: None, telemetry_header: None, schemes: &[] };
        let error = Client::builder("https://acme.auth0.com").client_credentials("id", "s").build_with(no_token_url);
        assert!(matches!(error, Err(BuildError::NoTokenUrl)));
    }

    #[test]
    fn segments_are_appended_and_encoded() {
        let client = Client::builder("https://example.com/api/v2/").build_with(API).expect("client");
        let request = Request::new(reqwest::Method::GET, "/users/{id}", &["users", "auth0|a/b c"]).query("q", "x&y");
        let prepared = client.prepare(&request, &[]).expect("prepared");
        assert_eq!(prepared.url.as_str(), "https://example.com/api/v2/users/auth0|a%2Fb%20c?q=x%26y");
    }

    #[test]
    fn telemetry_is_base64url_json_and_can_be_switched_off_or_replaced() {
        use base64::Engine;
        let decode = |client: &Client| {
            let (name, value) = client.inner.telemetry.as_ref().expect("telemetry");
            assert_eq!(name.as_str(), "auth0-client");
            let json = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(value.as_bytes()).expect("base64url");
            serde_json::from_slice::<serde_json::Value>(&json).expect("JSON")
        };
        let default = Client::builder("https://example.com").build_with(API).expect("client");
        let json = decode(&default);
        assert_eq!(json["name"], env!("CARGO_PKG_NAME"));
        assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
        assert!(json["env"]["rust"].is_string());
        let custom = Telemetry::Custom { name: "wrapper".into(), version: "9.9.9".into() };
        let replaced = Client::builder("https://example.com").telemetry(custom).build_with(API).expect("client");
        assert_eq!(decode(&replaced)["name"], "wrapper");
        let off = Client::builder("https://example.com").telemetry(Telemetry::Off).build_with(API).expect("client");
        assert!(off.inner.telemetry.is_none());
    }

    const SCHEMES: ApiSettings = ApiSettings {
        token_url: None,
        telemetry_header: None,
        schemes: &[
            ("bearer", Scheme::Bearer),
            ("basic", Scheme::Basic),
            ("header_key", Scheme::ApiKey { location: KeyLocation::Header, name: "X-Key" }),
            ("query_key", Scheme::ApiKey { location: KeyLocation::Query, name: "key" }),
            ("cookie_key", Scheme::ApiKey { location: KeyLocation::Cookie, name: "session" }),
        ],
    };

    #[test]
    fn the_first_alternative_the_client_has_is_sent() {
        let keys = Client::builder("https://example.com")
            .credential("header_key", Credential::ApiKey(Secret::new("hk-s3cr3t")))
            .credential("query_key", Credential::ApiKey(Secret::new("q k")))
            .credential("cookie_key", Credential::ApiKey(Secret::new("ck-s3cr3t")))
            .credential("basic", Credential::Basic { username: "u".into(), password: Secret::new("p") })
            .build_with(SCHEMES)
            .expect("client");
        assert_eq!(
            keys.alternative(&[&["bearer"], &["header_key", "query_key"]]).expect("keys"),
            ["header_key", "query_key"]
        );
        assert!(keys.alternative(&[]).expect("public").is_empty());
        assert!(matches!(keys.alternative(&[&["bearer"]]), Err(TokenError::NoCredentials)));
        assert!(keys.alternative(&[&["bearer"], &[]]).expect("optional").is_empty());
        let none = Client::builder("https://example.com").build_with(SCHEMES).expect("client");
        let error = none.alternative(&[&["basic"], &["header_key", "bearer"]]).expect_err("nothing");
        assert_eq!(
            error.to_string(),
            "the operation needs credentials for `basic`, or `header_key` and `bearer`, and the client was not given them"
        );

        let request = Request::new(reqwest::Method::GET, "/a", &["a"]).query("q", "1").cookie("c", "2");
        let prepared = keys.prepare(&request, &["header_key", "query_key", "cookie_key", "basic"]).expect("prepared");
        assert_eq!(prepared.url.as_str(), "https://example.com/a?q=1&key=q+k");
        let header = |name: &str| {
            let values: Vec<_> = prepared.headers.iter().filter(|(n, _)| n.as_str() == name).map(|(_, v)| v).collect();
            assert_eq!(values.len(), 1, "{name}");
            assert!(values[0].is_sensitive(), "{name}");
            values[0].to_str().expect("text").to_owned()
        };
        assert_eq!(header("x-key"), "hk-s3cr3t");
        assert_eq!(header("cookie"), "c=2; session=ck-s3cr3t");
        assert_eq!(header("authorization"), "Basic dTpw");
        let debug = format!("{keys:?}");
        assert!(!debug.contains("s3cr3t") && !debug.contains("q k") && !debug.contains("dTpw"), "{debug}");
    }

    #[test]
    fn debug_output_hides_secrets() {
        let builder = Client::builder("https://example.com").bearer_token("s3cr3t-token");
        assert!(!format!("{builder:?}").contains("s3cr3t"));
        let client = builder.build_with(API).expect("client");
        let debug = format!("{client:?}");
        assert!(!debug.contains("s3cr3t") && debug.contains("<redacted>"), "{debug}");
        let credentials = Client::builder("https://example.com").client_credentials("id", "sh-secret");
        assert!(!format!("{credentials:?}").contains("sh-secret"));
        let client = credentials.build_with(API).expect("client");
        assert!(!format!("{client:?}").contains("sh-secret"));
    }
}
