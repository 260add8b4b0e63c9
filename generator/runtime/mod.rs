//! The hand-written part of the client: building the client, sending a request, decoding
//! the answer, and the error type.
//!
//! The generator copies these files unchanged into every crate it writes, so a generated
//! crate depends on nothing unpublished. Generated operations stay thin: they fill a
//! `request::Request` and hand it to `Client::send`. The runtime knows nothing of any one spec.

pub(crate) mod client;
mod error;
pub(crate) mod request;
pub(crate) mod validate;

pub use client::{Client, ClientBuilder};
pub use error::{ApiError, BuildError, Error, ValidationError};
