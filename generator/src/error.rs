//! Errors and warnings: values that name the spec's file and the JSON pointer of the problem.

use std::fmt;
use std::rc::Rc;

/// Why a spec could not be turned into a crate.
///
/// Shown as `file: pointer: message`, with `internal error: ` before the message of an
/// [`ErrorKind::Internal`] error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {pointer}: {}{message}", .kind.prefix())]
pub struct Error {
    /// Whether the spec or the generator is at fault.
    pub kind: ErrorKind,
    /// The spec's path, as the caller gave it.
    pub file: String,
    /// The JSON pointer (RFC 6901, as a URI fragment) of the offending part, e.g.
    /// `#/paths/~1guardian~1enrollments~1ticket/post/requestBody`.
    pub pointer: String,
    /// What is wrong, in words meant for the spec's maintainer (or, for an internal error,
    /// the generator's).
    pub message: String,
}

/// Who can fix an [`Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The spec is wrong, or asks for what the generator cannot write: its maintainer can
    /// change it.
    Spec,
    /// The generator's settings ([`crate::Config::derives`], [`crate::Config::replacements`])
    /// are wrong or do not fit the spec: the person generating can change them.
    Settings,
    /// The generator went wrong (for example, it emitted code that does not parse): a bug
    /// to report, whatever the spec says.
    Internal,
}

impl ErrorKind {
    /// What the error's text says before its message.
    fn prefix(self) -> &'static str {
        match self {
            ErrorKind::Spec => "",
            ErrorKind::Settings => "settings: ",
            ErrorKind::Internal => "internal error: ",
        }
    }
}

/// Something the generator could only approximate, for example a construct it does not
/// support yet and generated as `serde_json::Value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Where: a JSON pointer into the spec (`#/components/schemas/Pet`), or into another file
    /// with that file's path before it (`spec/models/pet.yaml#/properties/id`: a file a
    /// `$ref` brought in, or an overlay).
    pub pointer: String,
    /// What the generator did, in words meant for the spec's maintainer.
    pub message: String,
}

impl Warning {
    /// What the warning says, with the names it quotes in backquotes masked (`` `…` ``):
    /// warnings of one kind say the same, whatever they are about. For grouping them.
    pub fn kind(&self) -> String {
        let mut kind = String::with_capacity(self.message.len());
        for (i, piece) in self.message.split('`').enumerate() {
            kind.push_str(if i % 2 == 1 { "`…`" } else { piece });
        }
        kind
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// A JSON pointer under construction, kept as its unescaped segments.
///
/// The stages that walk the whole document make a pointer for every value they visit, so
/// a pointer shares its parent's segments instead of copying them: [`Pointer::join`] makes
/// one node, and a clone is a reference count.
#[derive(Clone, Default)]
pub(crate) struct Pointer {
    /// The last segment and the pointer before it; `None` for the root.
    last: Option<Rc<Segment>>,
}

struct Segment {
    parent: Pointer,
    text: String,
}

impl Pointer {
    pub(crate) fn root() -> Self {
        Self::default()
    }

    /// This pointer with one more segment.
    pub(crate) fn join(&self, segment: impl fmt::Display) -> Self {
        self.with(segment.to_string())
    }

    fn with(&self, text: String) -> Self {
        Self { last: Some(Rc::new(Segment { parent: self.clone(), text })) }
    }

    /// Reads a local `$ref` target such as `#/components/schemas/User`.
    pub(crate) fn parse_ref(reference: &str) -> Option<Self> {
        let rest = reference.strip_prefix('#')?;
        if rest.is_empty() {
            return Some(Self::root());
        }
        let rest = rest.strip_prefix('/')?;
        Some(rest.split('/').fold(Self::root(), |pointer, segment| {
            pointer.with(match segment.contains('~') {
                true => segment.replace("~1", "/").replace("~0", "~"),
                false => segment.to_owned(),
            })
        }))
    }

    /// The segments, first to last.
    pub(crate) fn segments(&self) -> Vec<&str> {
        let mut segments = Vec::new();
        let mut at = self;
        while let Some(last) = &at.last {
            segments.push(last.text.as_str());
            at = &last.parent;
        }
        segments.reverse();
        segments
    }

    /// The last segment (`None` for the root).
    pub(crate) fn last(&self) -> Option<&str> {
        self.last.as_ref().map(|last| last.text.as_str())
    }
}

impl PartialEq for Pointer {
    fn eq(&self, other: &Self) -> bool {
        match (&self.last, &other.last) {
            (None, None) => true,
            (Some(a), Some(b)) => Rc::ptr_eq(a, b) || (a.text == b.text && a.parent == b.parent),
            _ => false,
        }
    }
}

impl Eq for Pointer {}

impl fmt::Debug for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pointer({self})")
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("#")?;
        for segment in self.segments() {
            write!(f, "/{}", segment.replace('~', "~0").replace('/', "~1"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{Error, ErrorKind, Pointer};

    #[test]
    fn an_internal_error_says_so_before_its_message() {
        let error = |kind| Error { kind, file: "api.yaml".into(), pointer: "#/x".into(), message: "wrong".into() };
        assert_eq!(error(ErrorKind::Spec).to_string(), "api.yaml: #/x: wrong");
        assert_eq!(error(ErrorKind::Internal).to_string(), "api.yaml: #/x: internal error: wrong");
    }

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
