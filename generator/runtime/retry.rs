//! When to try a request again, and how long to wait first.
//!
//! - 429 is always retried. The wait is `Retry-After` (seconds or an HTTP date) when the
//!   answer has it, else Auth0's `x-ratelimit-reset` (epoch seconds) minus now, else
//!   exponential backoff from one second (1, 2, 4 ...) with jitter.
//! - 408 and 5xx, timeouts and broken connections are retried the same way for idempotent
//!   methods only: repeating a POST that reached the server could, for example, create a
//!   second enrollment ticket. A connection that was refused never reached the server, so
//!   it is retried for every method. `retry_non_idempotent` lifts the restriction.
//! - Every wait is capped (`max_wait`, 60 seconds by default).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// The client's retry settings.
#[derive(Debug, Clone)]
pub(crate) struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retrying.
    pub(crate) max_retries: u32,
    /// The longest wait before a retry.
    pub(crate) max_wait: Duration,
    /// The first backoff wait; later ones double.
    pub(crate) base_delay: Duration,
    /// Retry POST and PATCH on 408, 5xx and failures after the request may have arrived.
    pub(crate) retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            max_wait: Duration::from_secs(60),
            base_delay: Duration::from_secs(1),
            retry_non_idempotent: false,
        }
    }
}

/// How an attempt ended, as far as retrying is concerned.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Outcome {
    /// The server answered with this status.
    Status(StatusCode),
    /// The connection was refused or could not be made: the request never left.
    NotConnected,
    /// Timed out or broke after the request may have reached the server.
    Interrupted,
}

impl RetryPolicy {
    pub(crate) fn should_retry(&self, method: &Method, outcome: Outcome) -> bool {
        let may_repeat = self.retry_non_idempotent || is_idempotent(method);
        match outcome {
            Outcome::Status(StatusCode::TOO_MANY_REQUESTS) => true,
            Outcome::Status(status) => {
                (status == StatusCode::REQUEST_TIMEOUT || status.is_server_error()) && may_repeat
            }
            Outcome::NotConnected => true,
            Outcome::Interrupted => may_repeat,
        }
    }

    /// The wait before retry number `retry` (0 for the first retry). `jitter` is a random
    /// number in `[0, 1)`; the backoff is scaled by 0.75 to 1.25 with it.
    pub(crate) fn delay(&self, retry: u32, headers: Option<&HeaderMap>, now: SystemTime, jitter: f64) -> Duration {
        let told = headers.and_then(|h| retry_after(h, now).or_else(|| rate_limit_reset(h, now)));
        let wait = told.unwrap_or_else(|| {
            let backoff = self.base_delay.saturating_mul(2u32.saturating_pow(retry.min(16)));
            backoff.mul_f64(0.75 + 0.5 * jitter.clamp(0.0, 1.0))
        });
        wait.min(self.max_wait)
    }
}

fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE)
}

/// `Retry-After`: seconds, or an HTTP date.
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Auth0's `x-ratelimit-reset`: when the limit resets, in seconds since the epoch.
fn rate_limit_reset(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let reset: u64 = headers.get("x-ratelimit-reset")?.to_str().ok()?.trim().parse().ok()?;
    let at = UNIX_EPOCH + Duration::from_secs(reset);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).expect("header value"));
        }
        map
    }

    fn at(epoch_seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(epoch_seconds)
    }

    #[test]
    fn which_answers_are_retried() {
        let policy = RetryPolicy::default();
        let cases = [
            (Method::POST, Outcome::Status(StatusCode::TOO_MANY_REQUESTS), true),
            (Method::GET, Outcome::Status(StatusCode::INTERNAL_SERVER_ERROR), true),
            (Method::GET, Outcome::Status(StatusCode::REQUEST_TIMEOUT), true),
            (Method::DELETE, Outcome::Status(StatusCode::BAD_GATEWAY), true),
            (Method::POST, Outcome::Status(StatusCode::INTERNAL_SERVER_ERROR), false),
            (Method::PATCH, Outcome::Status(StatusCode::SERVICE_UNAVAILABLE), false),
            (Method::GET, Outcome::Status(StatusCode::NOT_FOUND), false),
            (Method::POST, Outcome::NotConnected, true),
            (Method::POST, Outcome::Interrupted, false),
            (Method::GET, Outcome::Interrupted, true),
        ];
        for (method, outcome, expected) in cases {
            assert_eq!(policy.should_retry(&method, outcome), expected, "{method} {outcome:?}");
        }
        let opted_in = RetryPolicy { retry_non_idempotent: true, ..RetryPolicy::default() };
        assert!(opted_in.should_retry(&Method::POST, Outcome::Status(StatusCode::INTERNAL_SERVER_ERROR)));
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date_comes_first() {
        let policy = RetryPolicy::default();
        let now = at(1_700_000_000);
        assert_eq!(policy.delay(0, Some(&headers(&[("retry-after", "7")])), now, 0.5), Duration::from_secs(7));
        let date = httpdate::fmt_http_date(at(1_700_000_003));
        let both = headers(&[("retry-after", &date), ("x-ratelimit-reset", "1700000030")]);
        assert_eq!(policy.delay(0, Some(&both), now, 0.5), Duration::from_secs(3));
        let past = httpdate::fmt_http_date(at(1_600_000_000));
        assert_eq!(policy.delay(0, Some(&headers(&[("retry-after", &past)])), now, 0.5), Duration::ZERO);
    }

    #[test]
    fn then_the_rate_limit_reset() {
        let policy = RetryPolicy::default();
        let now = at(1_700_000_000);
        let reset = headers(&[("x-ratelimit-reset", "1700000012")]);
        assert_eq!(policy.delay(1, Some(&reset), now, 0.9), Duration::from_secs(12));
        let passed = headers(&[("x-ratelimit-reset", "1699999990")]);
        assert_eq!(policy.delay(0, Some(&passed), now, 0.9), Duration::ZERO);
    }

    #[test]
    fn else_exponential_backoff_with_jitter() {
        let policy = RetryPolicy::default();
        let now = at(1_700_000_000);
        for (retry, seconds) in [(0, 1.0), (1, 2.0), (2, 4.0), (3, 8.0)] {
            let low = policy.delay(retry, None, now, 0.0).as_secs_f64();
            let middle = policy.delay(retry, Some(&HeaderMap::new()), now, 0.5).as_secs_f64();
            let high = policy.delay(retry, None, now, 0.999_999).as_secs_f64();
            assert!((low - 0.75 * seconds).abs() < 1e-6, "retry {retry}: {low}");
            assert!((middle - seconds).abs() < 1e-6, "retry {retry}: {middle}");
            assert!(high < 1.25 * seconds && high > 1.2499 * seconds, "retry {retry}: {high}");
        }
    }

    #[test]
    fn every_wait_is_capped() {
        let policy = RetryPolicy { max_wait: Duration::from_secs(60), ..RetryPolicy::default() };
        let now = at(1_700_000_000);
        assert_eq!(policy.delay(0, Some(&headers(&[("retry-after", "3600")])), now, 0.5), Duration::from_secs(60));
        assert_eq!(policy.delay(30, None, now, 0.5), Duration::from_secs(60));
        let short = RetryPolicy { max_wait: Duration::from_millis(5), ..RetryPolicy::default() };
        assert_eq!(short.delay(0, None, now, 0.5), Duration::from_millis(5));
    }
}
