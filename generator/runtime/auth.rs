//! Credentials: the security schemes of the API ([`Scheme`]: API keys, HTTP basic, bearer
//! tokens) and what the client was given for them. A bearer token is static, or comes from
//! client credentials exchanged for a token that is cached, refreshed before it expires, and
//! fetched once however many tasks need it. Every secret is a [`Secret`], whose `Debug`
//! never shows it.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// A secret (a token or a client secret). Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(Arc<str>);

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Self(Arc::from(value.into()))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A security scheme of the API, as the generated crate describes it (`crate::API`).
#[derive(Debug, Clone, Copy)]
#[allow(dead_code)] // A spec uses the kinds it has.
pub(crate) enum Scheme {
    /// `Authorization: Bearer <token>`: HTTP bearer, OAuth 2, OpenID Connect. Every such
    /// scheme takes the client's one token ([`super::ClientBuilder::bearer_token`] or client
    /// credentials).
    Bearer,
    /// `Authorization: Basic base64(username:password)`.
    Basic,
    /// A key sent under `name` in a header, a query parameter or a cookie.
    ApiKey { location: KeyLocation, name: &'static str },
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // A spec uses the places it has.
pub(crate) enum KeyLocation {
    Header,
    Query,
    Cookie,
}

/// What the client was given for an API-key or basic scheme (bearer tokens are a
/// [`TokenSource`]).
#[derive(Clone)]
#[allow(dead_code)] // A spec uses the kinds it has.
pub(crate) enum Credential {
    ApiKey(Secret),
    Basic { username: String, password: Secret },
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::ApiKey(_) => f.write_str("api key <redacted>"),
            Credential::Basic { .. } => f.write_str("username and password <redacted>"),
        }
    }
}

/// How long before its `expires_in` runs out a cached token is replaced.
pub(crate) const REFRESH_MARGIN: Duration = Duration::from_secs(10);

/// Why the credentials an operation needs could not be had (no token, no API key, ...).
/// Never contains a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The operation needs a token and the client was built without credentials.
    #[error("the operation needs a bearer token, and the client has no credentials")]
    NoCredentials,
    /// The operation needs credentials (an API key, a username and password, ...) that the
    /// client was not given. Nothing was sent.
    #[error("the operation needs credentials for {needed}, and the client was not given them")]
    MissingCredentials {
        /// The security schemes of each alternative, as the spec names them, e.g.
        /// `` `api_key`, or `basic` and `tenant` ``.
        needed: String,
    },
    /// The token endpoint could not be reached.
    #[error("the token endpoint {url} could not be reached: {source}")]
    Transport {
        /// The token endpoint.
        url: String,
        /// What failed.
        #[source]
        source: reqwest::Error,
    },
    /// The token endpoint refused (wrong client id or secret, audience not allowed, ...).
    #[error("the token endpoint {url} answered {status}: {body}")]
    Rejected {
        /// The token endpoint.
        url: String,
        /// The status it answered with.
        status: reqwest::StatusCode,
        /// Its answer, as text (Auth0 explains the refusal there).
        body: String,
    },
    /// The token endpoint answered with something that is not a token.
    #[error("the token endpoint {url} answered without a usable access_token: {reason}")]
    Malformed {
        /// The token endpoint.
        url: String,
        /// What was wrong.
        reason: String,
    },
}

/// The client-credentials grant's settings.
#[derive(Debug, Clone)]
pub(crate) struct ClientCredentials {
    pub(crate) token_url: Url,
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
    pub(crate) audience: String,
}

/// Where an operation's bearer token comes from.
#[derive(Debug)]
pub(crate) enum TokenSource {
    None,
    Static(Secret),
    ClientCredentials(Box<CachingTokens>),
}

/// Client credentials and the token they last gave.
#[derive(Debug)]
pub(crate) struct CachingTokens {
    pub(crate) settings: ClientCredentials,
    cache: Mutex<Option<CachedToken>>,
}

#[derive(Debug)]
pub(crate) struct CachedToken {
    token: Secret,
    refresh_at: Instant,
}

#[derive(serde::Deserialize)]
struct TokenAnswer {
    access_token: String,
    expires_in: Option<u64>,
}

impl TokenSource {
    pub(crate) fn client_credentials(settings: ClientCredentials) -> Self {
        TokenSource::ClientCredentials(Box::new(CachingTokens { settings, cache: Mutex::new(None) }))
    }

    /// A token to send. With client credentials, the cached one while it is fresh; else one
    /// fetched now. Concurrent callers wait on the same lock, so only the first one fetches.
    pub(crate) async fn token(&self, http: &reqwest::Client, timeout: Duration) -> Result<Secret, TokenError> {
        match self {
            TokenSource::None => Err(TokenError::NoCredentials),
            TokenSource::Static(token) => Ok(token.clone()),
            TokenSource::ClientCredentials(tokens) => {
                let CachingTokens { settings, cache } = tokens.as_ref();
                let mut cached = cache.lock().await;
                if let Some(token) = cached.as_ref().filter(|t| Instant::now() < t.refresh_at) {
                    return Ok(token.token.clone());
                }
                let fresh = fetch(http, settings, timeout).await?;
                let token = fresh.token.clone();
                *cached = Some(fresh);
                Ok(token)
            }
        }
    }

    /// Forgets `used` after the API refused it (401). Returns whether a new token can be had,
    /// that is, whether retrying makes sense.
    pub(crate) async fn invalidate(&self, used: &Secret) -> bool {
        match self {
            TokenSource::ClientCredentials(tokens) => {
                let mut cached = tokens.cache.lock().await;
                if cached.as_ref().is_some_and(|t| &t.token == used) {
                    *cached = None;
                }
                true
            }
            TokenSource::None | TokenSource::Static(_) => false,
        }
    }
}

async fn fetch(
    http: &reqwest::Client,
    settings: &ClientCredentials,
    timeout: Duration,
) -> Result<CachedToken, TokenError> {
    use tracing::Instrument;
    let url = settings.token_url.to_string();
    let span = tracing::debug_span!("token", url = %url);
    fetch_from(http, settings, timeout, url).instrument(span).await
}

async fn fetch_from(
    http: &reqwest::Client,
    settings: &ClientCredentials,
    timeout: Duration,
    url: String,
) -> Result<CachedToken, TokenError> {
    let body = serde_json::json!({
        "grant_type": "client_credentials",
        "client_id": settings.client_id,
        "client_secret": settings.client_secret.expose(),
        "audience": settings.audience,
    });
    let answer = http
        .post(settings.token_url.clone())
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_string())
        .timeout(timeout)
        .send()
        .await
        .map_err(|source| TokenError::Transport { url: url.clone(), source: source.without_url() })?;
    let status = answer.status();
    let text = answer.text().await.map_err(|source| TokenError::Transport { url: url.clone(), source })?;
    if !status.is_success() {
        return Err(TokenError::Rejected { url, status, body: text });
    }
    let answer: TokenAnswer =
        serde_json::from_str(&text).map_err(|e| TokenError::Malformed { url: url.clone(), reason: e.to_string() })?;
    if answer.access_token.is_empty() {
        return Err(TokenError::Malformed { url, reason: "access_token is empty".into() });
    }
    // Without expires_in the token is used once; Auth0 always sends it.
    let lifetime = Duration::from_secs(answer.expires_in.unwrap_or(0));
    let refresh_at = Instant::now() + lifetime.saturating_sub(REFRESH_MARGIN);
    Ok(CachedToken { token: Secret::new(answer.access_token), refresh_at })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_show_in_debug_output() {
        let secret = Secret::new("s3cr3t");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(secret.expose(), "s3cr3t");
    }

    #[tokio::test]
    async fn a_static_token_cannot_be_refreshed() {
        let source = TokenSource::Static(Secret::new("t"));
        let http = reqwest::Client::new();
        assert_eq!(source.token(&http, Duration::from_secs(1)).await.expect("token").expose(), "t");
        assert!(!source.invalidate(&Secret::new("t")).await);
        assert!(matches!(TokenSource::None.token(&http, Duration::from_secs(1)).await, Err(TokenError::NoCredentials)));
    }
}
