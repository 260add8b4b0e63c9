//! The runtime sources, embedded so that every generated crate carries its own copy.
//!
//! They live in `generator/runtime/` as ordinary Rust files and are compiled and tested
//! where they run: inside generated crates (`cargo xtask test` runs their unit tests in the
//! seed fragment's crate; `generated-client/` is compiled with them too).

use std::borrow::Cow;

use crate::Layout;

/// The runtime's files: path in the generated crate, and text.
pub(crate) const FILES: &[(&str, &str)] = &[
    ("src/runtime/mod.rs", include_str!("../runtime/mod.rs")),
    ("src/runtime/auth.rs", include_str!("../runtime/auth.rs")),
    ("src/runtime/cli.rs", include_str!("../runtime/cli.rs")),
    ("src/runtime/client.rs", include_str!("../runtime/client.rs")),
    ("src/runtime/codec.rs", include_str!("../runtime/codec.rs")),
    ("src/runtime/enums.rs", include_str!("../runtime/enums.rs")),
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

/// The runtime's files for a crate of `layout`, with the command-line tool's part if the
/// crate has the `cli` feature (`tool`). A source to include (see
/// [`Layout::IncludedSource`]) has no command-line tool, and its runtime no unit tests: they
/// are this project's tests, with its dev-dependencies, not the including crate's.
pub(crate) fn files(layout: Layout, tool: bool) -> impl Iterator<Item = (&'static str, Cow<'static, str>)> {
    FILES.iter().filter_map(move |&(path, text)| match layout {
        _ if path == "src/runtime/cli.rs" && !tool => None,
        Layout::Package if path == "src/runtime/mod.rs" && !tool => {
            Some((path, Cow::Owned(text.replacen(CLI_MODULE, "", 1))))
        }
        Layout::Package => Some((path, Cow::Borrowed(text))),
        Layout::IncludedSource => {
            let text = without_unit_tests(text);
            let text = if path == "src/runtime/mod.rs" { text.replacen(CLI_MODULE, "", 1) } else { text.to_owned() };
            Some((path, Cow::Owned(text)))
        }
    })
}

/// How `runtime/mod.rs` declares the command-line tool's part of the runtime.
const CLI_MODULE: &str = "#[cfg(feature = \"cli\")]\npub(crate) mod cli;\n";

/// The unit tests' module, which ends each runtime file that has one.
const UNIT_TESTS: &str = "\n#[cfg(test)]\nmod tests {\n";

/// `text` without the unit tests' module at its end.
fn without_unit_tests(text: &str) -> &str {
    match text.find(UNIT_TESTS) {
        Some(start) => &text[..start + 1],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source to include is cut by text: what is cut must be what the cut means.
    #[test]
    fn the_included_runtime_leaves_out_the_tests_and_the_command_line_tool() {
        for (path, text) in FILES {
            if let Some(start) = text.find(UNIT_TESTS) {
                // Only the tests' module follows: it closes at the end of the file.
                let module = &text[start..];
                assert!(module.trim_end().ends_with('}'), "{path}");
                assert_eq!(module.matches("\n#[cfg(test)]").count(), 1, "{path}");
                assert!(!module.contains("\n}\n\n"), "{path}: something follows the tests' module");
            }
        }
        assert!(FILES[0].1.contains(CLI_MODULE), "runtime/mod.rs declares the cli module");
        for (path, text) in files(Layout::IncludedSource, false) {
            assert!(!text.contains("#[cfg(test)]"), "{path}");
            assert!(!text.contains("feature ="), "{path}");
            assert_ne!(path, "src/runtime/cli.rs");
        }
        assert_eq!(files(Layout::Package, true).count(), FILES.len());
        // A package without the tool keeps its tests, and names no `cli` feature.
        let without_tool: Vec<_> = files(Layout::Package, false).collect();
        assert_eq!(without_tool.len(), FILES.len() - 1);
        for (path, text) in without_tool {
            assert!(!text.contains("feature = \"cli\""), "{path}");
            assert_ne!(path, "src/runtime/cli.rs");
        }
    }
}
