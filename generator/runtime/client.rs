//! The client: where requests are sent from, with which credentials, over which connection pool.

use std::fmt;
use std::sync::Arc;

use reqwest::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::Url;
use serde::de::DeserializeOwned;

use super::error::{ApiError, BuildError, Error, ValidationError};
use super::request::{Request, Response};

/// A client of the API. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    bearer_token: Option<String>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("bearer_token", &self.inner.bearer_token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Client {
    /// Starts building a client for the API at `base_url`, e.g. `https://example.com/api/v2`.
    /// Operation paths are appended to it.
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder { base_url: base_url.into(), bearer_token: None, http: None }
    }

    /// The URL that operation paths are appended to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// Sends `request` and returns the answer if its status is a success.
    #[allow(dead_code)] // Unused only in a crate from a spec without operations.
    pub(crate) async fn send<E: DeserializeOwned>(&self, request: Request) -> Result<Response, Error<E>> {
        let url = self.url(&request);
        let mut builder = self.inner.http.request(request.method, url);
        if let Some(media_type) = request.accept {
            builder = builder.header(ACCEPT, media_type);
        }
        for (name, value) in &request.headers {
            let name_bytes = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| ValidationError::new(*name, "is not a valid header name"))?;
            let value = HeaderValue::from_str(value)
                .map_err(|_| ValidationError::new(*name, "contains characters a header value cannot carry"))?;
            builder = builder.header(name_bytes, value);
        }
        if request.authenticated {
            if let Some(token) = &self.inner.bearer_token {
                builder = builder.bearer_auth(token);
            }
        }
        if let Some(body) = request.body {
            builder = builder.header(CONTENT_TYPE, body.content_type).body(body.bytes);
        }
        let answer = builder.send().await.map_err(Error::Transport)?;
        let status = answer.status();
        let headers = answer.headers().clone();
        let body = answer.bytes().await.map_err(Error::Transport)?;
        if status.is_success() {
            Ok(Response { status, body: body.to_vec() })
        } else {
            Err(Error::Api(ApiError::new(status, headers, &body)))
        }
    }

    fn url(&self, request: &Request) -> Url {
        let mut url = self.inner.base_url.clone();
        // `build` made sure the base URL can have path segments.
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().extend(&request.segments);
        }
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(request.query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        url
    }
}

/// Settings of a [`Client`] under construction.
pub struct ClientBuilder {
    base_url: String,
    bearer_token: Option<String>,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("bearer_token", &self.bearer_token.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The token sent as `Authorization: Bearer <token>` with every operation that needs one.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(token.into());
        self
    }

    /// Uses this `reqwest` client (for its proxy, TLS or timeout settings) instead of a new one.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = Url::parse(&self.base_url)
            .map_err(|e| BuildError::InvalidBaseUrl { url: self.base_url.clone(), reason: e.to_string() })?;
        if !matches!(base_url.scheme(), "https" | "http") || base_url.cannot_be_a_base() {
            return Err(BuildError::UnsupportedScheme { url: self.base_url });
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(BuildError::HttpClient)?,
        };
        Ok(Client { inner: Arc::new(Inner { http, base_url, bearer_token: self.bearer_token }) })
    }
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

    #[test]
    fn server_url_fills_variables_and_refuses_escapes() {
        let template = "https://{tenantDomain}/api/v2";
        assert_eq!(
            server_url(template, &[("tenantDomain", "acme.eu.auth0.com")]).expect("valid"),
            "https://acme.eu.auth0.com/api/v2"
        );
        for bad in ["", "evil.com/", "evil.com?", "evil.com#", "user@evil.com", "a b", "evil.com\\"] {
            let error = server_url(template, &[("tenantDomain", bad)]).expect_err(bad);
            assert!(matches!(error, BuildError::InvalidServerVariable { .. }), "{bad:?}: {error}");
        }
    }

    #[test]
    fn base_url_must_be_http_or_https() {
        assert!(matches!(Client::builder("not a url").build(), Err(BuildError::InvalidBaseUrl { .. })));
        assert!(matches!(Client::builder("ftp://example.com").build(), Err(BuildError::UnsupportedScheme { .. })));
        assert!(matches!(Client::builder("mailto:a@example.com").build(), Err(BuildError::UnsupportedScheme { .. })));
        assert!(Client::builder("http://127.0.0.1:1/api").build().is_ok());
    }

    #[test]
    fn segments_are_appended_and_encoded() {
        let client = Client::builder("https://example.com/api/v2/").build().expect("client");
        let request = Request::new(reqwest::Method::GET, "/users/{id}", &["users", "auth0|a/b c"]).query("q", "x&y");
        assert_eq!(client.url(&request).as_str(), "https://example.com/api/v2/users/auth0|a%2Fb%20c?q=x%26y");
    }

    #[test]
    fn debug_output_hides_the_token() {
        let builder = Client::builder("https://example.com").bearer_token("s3cr3t-token");
        assert!(!format!("{builder:?}").contains("s3cr3t"));
        let client = builder.build().expect("client");
        let debug = format!("{client:?}");
        assert!(!debug.contains("s3cr3t") && debug.contains("<redacted>"), "{debug}");
    }
}
