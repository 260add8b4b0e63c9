//! Where each part of the prepared document was written, so that a message about it names
//! the place in the files a person edits.
//!
//! Parse rewrites the document before the typed reading: [`super::bundle`] brings other
//! files' parts in (a schema as a new component, anything else in place of its `$ref`),
//! and [`super::local_refs`] and [`super::inheritance`] move schemas into new components.
//! Each records here what it put where; [`Origins::place`] undoes both, so an error in a
//! schema of `models/droplet.yml` names that file and the pointer in it, not the component
//! the bundle made of it.

use std::collections::BTreeMap;

use crate::error::{Error, Warning};

/// The records of the rewrites (see the module doc).
#[derive(Debug, Default)]
pub(crate) struct Origins {
    /// A new component's pointer, and the pointer of the schema it was.
    moved: Vec<(String, String)>,
    /// Places the text of another file gave, by their pointer in the document: that file (as
    /// messages name it) and the pointer there. A place inside a recorded one may be recorded
    /// too (a parameter file's schema); the longest prefix wins.
    from_files: BTreeMap<String, (String, String)>,
}

/// A place in the files the spec was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    /// The other file the place is in, as messages name it; `None` for the spec itself.
    pub(crate) file: Option<String>,
    pub(crate) pointer: String,
}

impl Origins {
    /// Records that the schema at `old` is now the component at `new`.
    pub(super) fn record_move(&mut self, new: String, old: String) {
        self.moved.push((new, old));
    }

    /// Records that the document's `at` is the text of `file` at `pointer`.
    pub(super) fn record_file(&mut self, at: String, file: String, pointer: String) {
        self.from_files.insert(at, (file, pointer));
    }

    /// `pointer` in the document as the spec's files have it: the same, unless it is in a
    /// moved schema.
    pub(crate) fn original(&self, pointer: &str) -> String {
        for (new, old) in &self.moved {
            if let Some(rest) = pointer.strip_prefix(new.as_str()) {
                if rest.is_empty() || rest.starts_with('/') {
                    return format!("{old}{rest}");
                }
            }
        }
        pointer.to_owned()
    }

    /// The file and pointer a place of the document was written at.
    pub(crate) fn place(&self, pointer: &str) -> Place {
        let pointer = self.original(pointer);
        // Each prefix ends before a `/`: a segment's own slashes are escaped (`~1`).
        let mut end = pointer.len();
        loop {
            if let Some((file, at)) = self.from_files.get(&pointer[..end]) {
                return Place { file: Some(file.clone()), pointer: format!("{at}{}", &pointer[end..]) };
            }
            match pointer[..end].rfind('/') {
                Some(slash) => end = slash,
                None => return Place { file: None, pointer },
            }
        }
    }

    /// `error`, naming the file and pointer its place was written at.
    pub(crate) fn locate_error(&self, error: Error) -> Error {
        let place = self.place(&error.pointer);
        Error { file: place.file.unwrap_or(error.file), pointer: place.pointer, ..error }
    }

    /// `warning`, its pointer naming its place: `#/...` in the spec itself, `file#/...` in
    /// another file (as a warning about an overlay names the overlay).
    pub(crate) fn locate_warning(&self, warning: Warning) -> Warning {
        let place = self.place(&warning.pointer);
        let pointer = match place.file {
            Some(file) => format!("{file}{}", place.pointer),
            None => place.pointer,
        };
        Warning { pointer, ..warning }
    }
}

#[cfg(test)]
mod tests {
    use super::{Origins, Place};

    #[test]
    fn places_name_the_file_and_pointer_they_were_written_at() {
        let mut origins = Origins::default();
        origins.record_file("#/paths/~1pets".into(), "paths/pets.yaml".into(), "#".into());
        origins.record_file("#/paths/~1pets/get/parameters/0".into(), "common.yaml".into(), "#/Limit".into());
        origins.record_file("#/components/schemas/Pet".into(), "models/pet.yaml".into(), "#".into());
        origins.record_move("#/components/schemas/Pet_name".into(), "#/components/schemas/Pet/properties/name".into());
        let place = |pointer: &str| origins.place(pointer);
        let other = |file: &str, pointer: &str| Place { file: Some(file.into()), pointer: pointer.into() };
        assert_eq!(place("#/paths/~1pets/get/responses"), other("paths/pets.yaml", "#/get/responses"));
        assert_eq!(place("#/paths/~1pets"), other("paths/pets.yaml", "#"));
        assert_eq!(place("#/paths/~1pets/get/parameters/0/schema"), other("common.yaml", "#/Limit/schema"));
        assert_eq!(place("#/paths/~1pets/get/parameters/1"), other("paths/pets.yaml", "#/get/parameters/1"));
        assert_eq!(place("#/components/schemas/Pet_name/type"), other("models/pet.yaml", "#/properties/name/type"));
        // A name that only starts like a recorded one is not inside it.
        assert_eq!(
            place("#/components/schemas/Petty"),
            Place { file: None, pointer: "#/components/schemas/Petty".into() }
        );
        assert_eq!(place("#/info"), Place { file: None, pointer: "#/info".into() });
    }
}
