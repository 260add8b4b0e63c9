//! The hand-written part of the client: building the client, credentials and tokens,
//! sending a request with retries and time limits, decoding the answer (or reading it as a
//! stream of server-sent events), and the error type.
//!
//! The generator copies these files unchanged into every crate it writes, so a generated
//! crate depends on nothing unpublished. Generated operations stay thin: they fill a
//! `request::Request` and hand it to `Client::send`. The runtime knows nothing of any one spec.

pub(crate) mod auth;
#[cfg(feature = "cli")]
pub(crate) mod cli;
pub(crate) mod client;
pub(crate) mod codec;
pub(crate) mod enums;
mod error;
pub(crate) mod multipart;
pub(crate) mod object;
pub(crate) mod paging;
mod rate_limit;
pub(crate) mod request;
mod retry;
pub(crate) mod sse;
pub(crate) mod streams;
pub(crate) mod validate;

pub use auth::TokenError;
pub use bytes::Bytes;
pub use client::{Client, ClientBuilder, Telemetry, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT};
pub use error::{ApiError, BuildError, Error, EventError, TransportError, ValidationError};
pub use multipart::File;
pub use paging::{Items, Page, Pages};
pub use rate_limit::RateLimit;
pub use request::{RequestOptions, Response};
pub use sse::{EventStream, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_EVENT_BYTES};
pub use streams::ByteStream;

/// Puts the `#![cfg(...)]` it starts with on every item it holds. The generator writes a
/// type that several features compile, with its impls, inside one, so that the features are
/// named once rather than on each item: repeated, they made two thirds of Microsoft Graph's
/// `types.rs`.
#[allow(unused_macros)]
macro_rules! cfg_items {
    (#![cfg($condition:meta)] $($item:item)*) => {
        $(#[cfg($condition)] $item)*
    };
}
#[allow(unused_imports)]
pub(crate) use cfg_items;
