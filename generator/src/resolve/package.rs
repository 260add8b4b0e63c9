//! The generated package's metadata that the spec states: its licence, as an SPDX
//! expression Cargo accepts, and a web page for `homepage`. What the spec does not state
//! plainly is left out rather than guessed.

use openapiv3::OpenAPI;

use crate::parse::LICENSE_IDENTIFIER;

/// The package's `license`: 3.1's `info.license.identifier` (an SPDX expression by
/// definition), else `info.license.name` when it is an SPDX expression of licences in
/// [`KNOWN`] (a name is free text: "Apache 2.0" or "MIT License" are left out).
pub(super) fn license(document: &OpenAPI) -> Option<String> {
    let license = document.info.license.as_ref()?;
    let identifier = license.extensions.get(LICENSE_IDENTIFIER).and_then(|value| value.as_str());
    if let Some(identifier) = identifier.filter(|id| is_spdx_expression(id, |_| true)) {
        return Some(identifier.trim().to_owned());
    }
    let name = license.name.trim();
    is_spdx_expression(name, |id| KNOWN.contains(&id)).then(|| name.to_owned())
}

/// The package's `homepage`: the API's documentation (`externalDocs.url`), else the
/// contact's page (`info.contact.url`); only an absolute `http(s)` URL.
pub(super) fn homepage(document: &OpenAPI) -> Option<String> {
    let docs = document.external_docs.as_ref().map(|docs| docs.url.as_str());
    let contact = document.info.contact.as_ref().and_then(|contact| contact.url.as_deref());
    [docs, contact].into_iter().flatten().map(str::trim).find(|url| is_web_url(url)).map(str::to_owned)
}

fn is_web_url(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/') && !url.contains(char::is_whitespace))
}

/// SPDX licence identifiers a `name` may be (the common ones; an identifier in 3.1's
/// `identifier` may be any).
const KNOWN: &[&str] = &[
    "0BSD",
    "AGPL-3.0",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-2.0",
    "Artistic-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "BSL-1.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "EPL-2.0",
    "GPL-2.0",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "ISC",
    "LGPL-2.1",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "MIT",
    "MIT-0",
    "MPL-2.0",
    "Unicode-3.0",
    "Unlicense",
    "Zlib",
    // Exceptions, after `WITH`.
    "Classpath-exception-2.0",
    "LLVM-exception",
];

/// Whether `text` is an SPDX licence expression (SPDX 2.3, annex D): identifiers that
/// `known` accepts (an `Id+`, or `LicenseRef-...`), joined by `AND`, `OR` and `WITH`, in
/// parentheses.
fn is_spdx_expression(text: &str, known: impl Fn(&str) -> bool) -> bool {
    let spaced = text.replace('(', " ( ").replace(')', " ) ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let mut parser = Parser { tokens: &tokens, at: 0, known: &known };
    !tokens.is_empty() && parser.expression() && parser.at == tokens.len()
}

struct Parser<'t, 'k> {
    tokens: &'t [&'t str],
    at: usize,
    known: &'k dyn Fn(&str) -> bool,
}

impl Parser<'_, '_> {
    fn next_is(&mut self, token: &str) -> bool {
        let is = self.tokens.get(self.at) == Some(&token);
        self.at += usize::from(is);
        is
    }

    /// `term (AND|OR term)*`: precedence does not matter for validity.
    fn expression(&mut self) -> bool {
        if !self.term() {
            return false;
        }
        while self.next_is("AND") || self.next_is("OR") {
            if !self.term() {
                return false;
            }
        }
        true
    }

    /// `( expression )`, or `id [WITH id]`.
    fn term(&mut self) -> bool {
        if self.next_is("(") {
            return self.expression() && self.next_is(")");
        }
        self.identifier() && (!self.next_is("WITH") || self.identifier())
    }

    fn identifier(&mut self) -> bool {
        let Some(token) = self.tokens.get(self.at) else { return false };
        let id = token.strip_suffix('+').unwrap_or(token);
        let well_formed = !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        let ok =
            well_formed && !["AND", "OR", "WITH"].contains(&id) && (id.starts_with("LicenseRef-") || (self.known)(id));
        self.at += usize::from(ok);
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(text: &str) -> bool {
        is_spdx_expression(text, |id| KNOWN.contains(&id))
    }

    #[test]
    fn licence_names_that_are_spdx_expressions() {
        for text in [
            "MIT",
            "Apache-2.0",
            "MIT OR Apache-2.0",
            "(MIT OR Apache-2.0) AND BSD-3-Clause",
            "GPL-2.0+",
            "Apache-2.0 WITH LLVM-exception",
            "LicenseRef-Acme",
        ] {
            assert!(known(text), "{text}");
        }
        for text in [
            "",
            "MIT License",
            "Apache 2.0",
            "proprietary",
            "MIT OR",
            "(MIT",
            "MIT)",
            "AND",
            "MIT WITH",
            "Apache-2.0 ()",
        ] {
            assert!(!known(text), "{text}");
        }
        // An identifier (3.1) is SPDX by definition: any well-formed one.
        assert!(is_spdx_expression("BSD-4-Clause-UC", |_| true));
        assert!(!is_spdx_expression("Not a licence", |_| true));
    }

    #[test]
    fn web_urls() {
        assert!(is_web_url("https://auth0.com/docs/api/management/v2/"));
        assert!(!is_web_url("mailto:support@example.com"));
        assert!(!is_web_url("https:///path"));
        assert!(!is_web_url("/relative"));
    }
}
