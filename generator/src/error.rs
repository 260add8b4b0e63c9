//! Errors and warnings: values that name the spec's file and the JSON pointer of the problem.

use std::fmt;

/// Why a spec could not be turned into a crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {pointer}: {message}")]
pub struct Error {
    /// The spec's path, as the caller gave it.
    pub file: String,
    /// The JSON pointer (RFC 6901, as a URI fragment) of the offending part, e.g.
    /// `#/paths/~1guardian~1enrollments~1ticket/post/requestBody`.
    pub pointer: String,
    /// What is wrong, in words meant for the spec's maintainer.
    pub message: String,
}

/// Something the generator could only approximate, for example a construct it does not
/// support yet and generated as `serde_json::Value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// A JSON pointer under construction, kept as its unescaped segments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Pointer {
    segments: Vec<String>,
}

impl Pointer {
    pub(crate) fn root() -> Self {
        Self::default()
    }

    /// This pointer with one more segment.
    pub(crate) fn join(&self, segment: impl fmt::Display) -> Self {
        let mut segments = self.segments.clone();
        segments.push(segment.to_string());
        Self { segments }
    }

    /// Reads a local `$ref` target such as `#/components/schemas/User`.
    pub(crate) fn parse_ref(reference: &str) -> Option<Self> {
        let rest = reference.strip_prefix('#')?;
        if rest.is_empty() {
            return Some(Self::root());
        }
        let rest = rest.strip_prefix('/')?;
        let segments = rest.split('/').map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
        Some(Self { segments })
    }

    pub(crate) fn segments(&self) -> &[String] {
        &self.segments
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("#")?;
        for segment in &self.segments {
            write!(f, "/{}", segment.replace('~', "~0").replace('/', "~1"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Pointer;

    #[test]
    fn escapes_slashes_and_tildes() {
        let pointer = Pointer::root().join("paths").join("/a~b/{id}").join("get");
        assert_eq!(pointer.to_string(), "#/paths/~1a~0b~1{id}/get");
        assert_eq!(Pointer::parse_ref(&pointer.to_string()), Some(pointer));
    }

    #[test]
    fn only_local_refs_parse() {
        assert_eq!(Pointer::parse_ref("other.yaml#/x"), None);
        assert_eq!(Pointer::parse_ref("#"), Some(Pointer::root()));
    }
}
