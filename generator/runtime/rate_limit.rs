//! Auth0's rate-limit headers, read from any answer.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

/// What an answer said about the rate limit: `x-ratelimit-limit`, `-remaining` and `-reset`.
/// A header that is missing or not a number is `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed in the current window.
    pub limit: Option<u64>,
    /// Requests left in the current window.
    pub remaining: Option<u64>,
    /// When the window resets, in seconds since the Unix epoch.
    pub reset: Option<u64>,
}

impl RateLimit {
    /// Reads the headers of an answer.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse().ok();
        Self {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset: number("x-ratelimit-reset"),
        }
    }

    /// When the window resets.
    pub fn reset_at(&self) -> Option<SystemTime> {
        self.reset.map(|seconds| UNIX_EPOCH + Duration::from_secs(seconds))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn reads_the_three_headers_and_tolerates_garbage() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-limit", HeaderValue::from_static("50"));
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        headers.insert("x-ratelimit-reset", HeaderValue::from_static("soon"));
        let limit = RateLimit::from_headers(&headers);
        assert_eq!(limit, RateLimit { limit: Some(50), remaining: Some(0), reset: None });
        assert_eq!(RateLimit::from_headers(&HeaderMap::new()), RateLimit::default());
    }
}
