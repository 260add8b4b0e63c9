//! The runtime sources, embedded so that every generated crate carries its own copy.
//!
//! They live in `generator/runtime/` as ordinary Rust files and are compiled and tested
//! where they run: inside `generated-client`.

/// The runtime's files: path in the generated crate, and text.
pub(crate) const FILES: &[(&str, &str)] = &[
    ("src/runtime/mod.rs", include_str!("../runtime/mod.rs")),
    ("src/runtime/auth.rs", include_str!("../runtime/auth.rs")),
    ("src/runtime/cli.rs", include_str!("../runtime/cli.rs")),
    ("src/runtime/client.rs", include_str!("../runtime/client.rs")),
    ("src/runtime/codec.rs", include_str!("../runtime/codec.rs")),
    ("src/runtime/error.rs", include_str!("../runtime/error.rs")),
    ("src/runtime/multipart.rs", include_str!("../runtime/multipart.rs")),
    ("src/runtime/object.rs", include_str!("../runtime/object.rs")),
    ("src/runtime/paging.rs", include_str!("../runtime/paging.rs")),
    ("src/runtime/rate_limit.rs", include_str!("../runtime/rate_limit.rs")),
    ("src/runtime/request.rs", include_str!("../runtime/request.rs")),
    ("src/runtime/retry.rs", include_str!("../runtime/retry.rs")),
    ("src/runtime/sse.rs", include_str!("../runtime/sse.rs")),
    ("src/runtime/streams.rs", include_str!("../runtime/streams.rs")),
    ("src/runtime/validate.rs", include_str!("../runtime/validate.rs")),
];
