//! The options on generated types, as a user writes them (`--derive Eq,Hash`,
//! `--replace Money=rust_decimal::Decimal:Eq+Hash`), read into the model's terms and checked
//! before anything else runs, so that a mistake in them is an error of its own kind
//! ([`crate::ErrorKind::Settings`]) and never a crate that does not compile for a typo.

use crate::model::Derive;

/// A component schema replaced by a Rust type of the user's ([`crate::Config::replacements`]):
/// `#/components/schemas/{schema}` is not generated, and every reference to it is `rust_type`.
///
/// Written `Schema=path::Type`, or `Schema=path::Type:Eq+Hash` to say which of the extra
/// derives the type implements (a type holding it gets those only): see [`str::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// The component's name, as the spec writes it under `components/schemas`.
    pub schema: String,
    /// The Rust type, a path with generic arguments if any
    /// (`std::collections::BTreeMap<String, String>`). It must implement `Debug`, `Clone`,
    /// `PartialEq`, `Serialize` and `Deserialize`, as every generated type does.
    pub rust_type: String,
    /// The derives of [`crate::Config::derives`] the type implements, as paths.
    pub implements: Vec<String>,
}

impl std::str::FromStr for Replacement {
    type Err = String;

    /// `Schema=path::Type` or `Schema=path::Type:Trait+Trait` (spaces allowed around `=`,
    /// `:` and `+`).
    fn from_str(text: &str) -> Result<Self, String> {
        let (schema, rest) =
            text.split_once('=').ok_or_else(|| format!("`{text}`: a replacement is written `Schema=path::Type`"))?;
        let (rust_type, implements) = match bounds_colon(rest) {
            Some(at) => (&rest[..at], rest[at + 1..].split('+').map(|t| t.trim().to_owned()).collect()),
            None => (rest, Vec::new()),
        };
        let replacement =
            Replacement { schema: schema.trim().to_owned(), rust_type: rust_type.trim().to_owned(), implements };
        if replacement.schema.is_empty() {
            return Err(format!("`{text}`: the schema's name is missing before `=`"));
        }
        Ok(replacement)
    }
}

/// The place of the `:` that starts a type's bounds: one that is not half of a `::`.
fn bounds_colon(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (0..bytes.len()).find(|&i| bytes[i] == b':' && bytes.get(i + 1) != Some(&b':') && (i == 0 || bytes[i - 1] != b':'))
}

/// The extra derives of [`crate::Config::derives`], in the model's terms, without repeats;
/// or why one cannot be.
pub(crate) fn derives(paths: &[String]) -> Result<Vec<Derive>, String> {
    let mut out: Vec<Derive> = Vec::new();
    for path in paths {
        if let Some(derive) = derive(path)? {
            if !out.contains(&derive) {
                out.push(derive);
            }
        }
    }
    if out.contains(&Derive::Ord) && !(out.contains(&Derive::Eq) && out.contains(&Derive::PartialOrd)) {
        return Err("`--derive Ord` needs `Eq` and `PartialOrd` too (its supertraits)".to_owned());
    }
    Ok(out)
}

/// A derive path in the model's terms; `None` for one every generated type has already
/// (`Debug`, `Clone`).
fn derive(path: &str) -> Result<Option<Derive>, String> {
    let parsed: syn::Path = syn::parse_str(path).map_err(|_| format!("`{path}` is not a path to a derive macro"))?;
    let segments: Vec<String> = parsed.segments.iter().map(|s| s.ident.to_string()).collect();
    let std_path = |module: &str| {
        matches!(&segments[..], [_])
            || matches!(&segments[..], [root, m, _] if (root == "std" || root == "core") && m == module)
    };
    let last = segments.last().map(String::as_str).unwrap_or_default();
    let derive = match last {
        "Debug" | "Clone" if std_path(if last == "Debug" { "fmt" } else { "clone" }) => return Ok(None),
        "PartialEq" if std_path("cmp") => Derive::PartialEq,
        "Eq" if std_path("cmp") => Derive::Eq,
        "PartialOrd" if std_path("cmp") => Derive::PartialOrd,
        "Ord" if std_path("cmp") => Derive::Ord,
        "Hash" if std_path("hash") => Derive::Hash,
        "JsonSchema" if segments == ["schemars", "JsonSchema"] => Derive::JsonSchema,
        "JsonSchema" => return Err(format!("`{path}`: write `schemars::JsonSchema`")),
        "Copy" | "Default" if segments.len() == 1 || std_path("marker") || std_path("default") => {
            return Err(format!(
                "`{path}` cannot be derived on every generated type (strings and enums with data are not `Copy`; \
                 structs with required fields and enums have no default)"
            ))
        }
        "Serialize" | "Deserialize" if segments.len() == 1 || segments[0] == "serde" => {
            return Err(format!("`{path}`: every generated type implements it already"))
        }
        _ if segments.len() == 1 => {
            return Err(format!(
                "`{path}`: a derive other than the standard ones must be written with its crate (`my_crate::{path}`)"
            ))
        }
        _ => Derive::Other(segments.join("::")),
    };
    Ok(Some(derive))
}

/// Checks a replacement's Rust type and reads the derives it implements.
pub(crate) fn replacement(replacement: &Replacement) -> Result<(String, Vec<Derive>), String> {
    let text = format!("--replace {}={}", replacement.schema, replacement.rust_type);
    let ty: syn::Type = syn::parse_str(&replacement.rust_type)
        .map_err(|_| format!("`{text}`: `{}` is not a Rust type", replacement.rust_type))?;
    let rust_type = quote::ToTokens::to_token_stream(&ty).to_string();
    let mut implements = Vec::new();
    for path in &replacement.implements {
        if let Some(derive) = derive(path).map_err(|e| format!("`{text}`: {e}"))? {
            implements.push(derive);
        }
    }
    Ok((tidy_type(&rust_type), implements))
}

/// A type's tokens as text, spaced as Rust is written (`BTreeMap<String, String>`, not
/// `BTreeMap < String , String >`).
fn tidy_type(tokens: &str) -> String {
    tokens
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& ", "&")
}

#[cfg(test)]
mod tests {
    use super::{derives, replacement, Replacement};
    use crate::model::Derive;

    fn paths(list: &[&str]) -> Vec<String> {
        list.iter().map(|p| (*p).to_owned()).collect()
    }

    #[test]
    fn derives_are_read_in_order_without_repeats() {
        let read = derives(&paths(&["Eq", "std::hash::Hash", "Debug", "Eq", "schemars::JsonSchema", "my::Derive"]));
        assert_eq!(read, Ok(vec![Derive::Eq, Derive::Hash, Derive::JsonSchema, Derive::Other("my::Derive".into())]));
    }

    #[test]
    fn derives_that_cannot_be_are_refused() {
        for (path, says) in [
            ("Copy", "cannot be derived"),
            ("Default", "cannot be derived"),
            ("serde::Serialize", "implements it already"),
            ("JsonSchema", "schemars::JsonSchema"),
            ("MyDerive", "with its crate"),
            ("Eq Hash", "not a path"),
        ] {
            let error = derives(&paths(&[path])).expect_err(path);
            assert!(error.contains(says), "{path}: {error}");
        }
        let error = derives(&paths(&["Ord", "Eq"])).expect_err("Ord without PartialOrd");
        assert!(error.contains("supertraits"), "{error}");
    }

    #[test]
    fn replacements_are_read_with_their_bounds() {
        let read: Replacement = "Money = rust_decimal::Decimal: Eq + Hash".parse().expect("a replacement");
        assert_eq!(read.schema, "Money");
        assert_eq!(read.rust_type, "rust_decimal::Decimal");
        assert_eq!(read.implements, ["Eq", "Hash"]);
        let read: Replacement = "Labels=std::collections::BTreeMap<String,String>".parse().expect("a replacement");
        assert_eq!(replacement(&read), Ok(("std::collections::BTreeMap<String, String>".to_owned(), vec![])));
        assert!("Money".parse::<Replacement>().is_err());
        assert!("=String".parse::<Replacement>().is_err());
        let bad: Replacement = "Money=not a type".parse().expect("read; checked later");
        assert!(replacement(&bad).expect_err("not a type").contains("is not a Rust type"));
    }
}
