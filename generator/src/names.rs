//! The one place where Rust names are made from names in the spec.
//!
//! Spec names can be anything: keywords (`type`), digits first (`2fa`), punctuation
//! (`x-rate-limit`), non-ASCII (spelled in ASCII by `deunicode`), or two names that differ
//! only in case (`user_id`, `userId`).
//! Every name goes through [`Scope::claim`], which converts it with `heck`, repairs what is
//! not an identifier, and makes it unique within its scope by a numeric suffix. Claims are
//! made in spec order, so the same spec always gives the same names.

use std::collections::BTreeSet;

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};

/// Which convention a name follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    /// Types, variants: `UpperCamelCase`.
    Type,
    /// Fields, methods, parameters, modules: `snake_case`.
    Value,
    /// Cargo features: `kebab-case`, as most crates name theirs (`rt-multi-thread`). Not a
    /// Rust identifier: keywords and a leading digit are fine.
    Feature,
}

/// A namespace in the generated code: the names taken in it so far.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    case: Case,
    taken: BTreeSet<String>,
}

impl Scope {
    pub(crate) fn new(case: Case) -> Self {
        Self { case, taken: BTreeSet::new() }
    }

    /// A scope in which `reserved` names (already used by the generated code) are taken.
    pub(crate) fn with_reserved(case: Case, reserved: &[&str]) -> Self {
        let mut scope = Self::new(case);
        scope.taken.extend(reserved.iter().map(|name| (*name).to_owned()));
        scope
    }

    /// Makes an identifier from `raw`, unique in this scope, and takes it.
    pub(crate) fn claim(&mut self, raw: &str) -> String {
        let base = identifier(raw, self.case);
        let mut candidate = base.clone();
        let mut n = 2;
        while self.taken.contains(candidate.trim_start_matches("r#")) {
            let bare = base.trim_start_matches("r#");
            candidate = match self.case {
                Case::Type => format!("{bare}{n}"),
                // `self_` (the keyword `self` repaired) is followed by `self_2`, not `self__2`.
                Case::Value => format!("{}_{n}", bare.trim_end_matches('_')),
                Case::Feature => format!("{bare}-{n}"),
            };
            n += 1;
        }
        self.taken.insert(candidate.trim_start_matches("r#").to_owned());
        candidate
    }

    pub(crate) fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

/// Converts `raw` to an identifier of the given case (not yet unique).
pub(crate) fn identifier(raw: &str, case: Case) -> String {
    let converted = if case == Case::Value && is_snake_case(raw) {
        // What the conversion below gives such a name, without its cost: most of a spec's
        // field names are snake_case already.
        raw.to_owned()
    } else {
        // Non-ASCII letters become their closest ASCII spelling (`größe` → `grosse`, `日本` →
        // `ri ben`), so that names stay readable and typeable; then anything that is not an
        // ASCII letter or digit separates words, and heck joins them.
        let ascii = deunicode::deunicode(raw);
        let words: String = ascii.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
        match case {
            Case::Type => words.to_upper_camel_case(),
            Case::Value => words.to_snake_case(),
            Case::Feature => words.to_kebab_case(),
        }
    };
    let converted = if converted.is_empty() {
        match case {
            Case::Type => "Unnamed".to_owned(),
            Case::Value | Case::Feature => "unnamed".to_owned(),
        }
    } else {
        converted
    };
    if converted.starts_with(|c: char| c.is_ascii_digit()) {
        return match case {
            Case::Type => format!("N{converted}"),
            Case::Value => format!("n{converted}"),
            // Cargo takes a feature that starts with a digit.
            Case::Feature => converted,
        };
    }
    if is_keyword(&converted) && case != Case::Feature {
        return if can_be_raw(&converted) { format!("r#{converted}") } else { format!("{converted}_") };
    }
    converted
}

/// Whether `raw` is lowercase ASCII words of letters and digits, the first starting with a
/// letter, joined by single underscores (`user_id`, `x509_cert`).
fn is_snake_case(raw: &str) -> bool {
    raw.starts_with(|c: char| c.is_ascii_lowercase())
        && raw
            .split('_')
            .all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// What an enum's variant for the value `wire` is named from: the value, or `empty` for the
/// empty string (Auth0's custom domains list `""` among their IP headers, Stripe's `enum: [""]`
/// means "clear this field"), which has no word to be named from.
pub(crate) fn enum_value_word(wire: &str) -> &str {
    if wire.is_empty() {
        "empty"
    } else {
        wire
    }
}

/// Rust's strict and reserved keywords, in every edition the generated code may use.
pub(crate) fn is_keyword(name: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn",
        "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro",
        "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct",
        "super", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while",
        "yield",
    ];
    KEYWORDS.contains(&name)
}

/// `self`, `Self`, `super` and `crate` cannot be raw identifiers.
fn can_be_raw(name: &str) -> bool {
    !matches!(name, "self" | "Self" | "super" | "crate")
}

#[cfg(test)]
mod tests {
    use super::{identifier, Case, Scope};

    #[test]
    fn converts_case_and_repairs_identifiers() {
        let cases = [
            ("user_id", Case::Type, "UserId"),
            ("guardian-enrollment", Case::Type, "GuardianEnrollment"),
            ("statusCode", Case::Value, "status_code"),
            ("auth0-custom-domain", Case::Value, "auth0_custom_domain"),
            ("type", Case::Value, "r#type"),
            ("self", Case::Value, "self_"),
            ("Self", Case::Type, "Self_"),
            ("2fa", Case::Value, "n2fa"),
            ("2fa", Case::Type, "N2fa"),
            ("ünïcode", Case::Value, "unicode"),
            ("Größe", Case::Type, "Grosse"),
            ("日本", Case::Value, "ri_ben"),
            ("😀", Case::Value, "grinning"),
            ("$$$", Case::Type, "Unnamed"),
            ("", Case::Value, "unnamed"),
            ("attackProtection", Case::Feature, "attack-protection"),
            ("users", Case::Feature, "users"),
            ("type", Case::Feature, "type"),
            ("2fa", Case::Feature, "2fa"),
            ("$$$", Case::Feature, "unnamed"),
        ];
        for (raw, case, expected) in cases {
            assert_eq!(identifier(raw, case), expected, "{raw:?} as {case:?}");
        }
    }

    /// A snake_case name is taken as it is: the same name the conversion gives it.
    #[test]
    fn snake_case_names_are_what_the_conversion_makes_of_them() {
        for raw in ["user_id", "a", "a_1", "abc1def", "v2", "x509_cert", "a1_b2", "e164_number", "type", "self"] {
            assert!(super::is_snake_case(raw), "{raw}");
            let words: String = raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
            let converted = heck::ToSnakeCase::to_snake_case(words.as_str());
            assert_eq!(converted, raw);
        }
        for raw in ["", "_a", "a_", "a__b", "A_b", "aB", "1a", "a-b", "ä"] {
            assert!(!super::is_snake_case(raw), "{raw}");
        }
    }

    #[test]
    fn collisions_get_numbered_in_claim_order() {
        let mut scope = Scope::with_reserved(Case::Type, &["String"]);
        assert_eq!(scope.claim("user_id"), "UserId");
        assert_eq!(scope.claim("UserId"), "UserId2");
        assert_eq!(scope.claim("userId"), "UserId3");
        assert_eq!(scope.claim("string"), "String2");
        let mut fields = Scope::new(Case::Value);
        assert_eq!(fields.claim("type"), "r#type");
        assert_eq!(fields.claim("Type"), "type_2");
        assert_eq!(fields.claim("self"), "self_");
        assert_eq!(fields.claim("Self"), "self_2");
        let mut features = Scope::with_reserved(Case::Feature, &["cli", "default"]);
        assert_eq!(features.claim("default"), "default-2");
        assert_eq!(features.claim("Users"), "users");
        assert_eq!(features.claim("users"), "users-2");
    }
}
