//! Inline schemas that become named types (a struct, an enum or a union written out in
//! place), each defined once.
//!
//! Specs copy schemas freely (GitHub's has 463 inline `User` objects): the same schema, by
//! its JSON text, is the same type wherever it is written out. A schema met again inside
//! itself (through an `allOf` of its own component) is the type being defined. This module
//! only remembers the names; [`super::schemas`] defines the types.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::Schema;

use crate::model::TypeDef;

/// The named types made from inline schemas so far.
#[derive(Debug, Default)]
pub(super) struct InlineTypes {
    /// Those being defined right now, by pointer.
    defining: BTreeMap<String, String>,
    /// Those already defined, by their JSON.
    defined: BTreeMap<String, InlineType>,
}

#[derive(Debug)]
struct InlineType {
    name: String,
    /// The documentation made up from its first place, if the schema had none of its own.
    made_up_doc: bool,
    /// Written out in more than one place.
    shared: bool,
}

/// What tells copies of an inline schema apart: its JSON text.
pub(super) fn json_key(schema: &Schema) -> Option<String> {
    serde_json::to_string(schema).ok()
}

impl InlineTypes {
    /// The name of the type being defined at `pointer`, if this schema is met inside itself.
    pub(super) fn being_defined(&self, pointer: &str) -> Option<&str> {
        self.defining.get(pointer).map(String::as_str)
    }

    /// The name of the type an earlier copy of the schema became (now used in one more place).
    pub(super) fn copy_of(&mut self, json_key: &str) -> Option<String> {
        let known = self.defined.get_mut(json_key)?;
        known.shared = true;
        Some(known.name.clone())
    }

    /// Notes that the schema at `pointer` is being defined under `name`, until [`Self::end`].
    pub(super) fn start(&mut self, pointer: &str, name: &str) {
        self.defining.insert(pointer.to_owned(), name.to_owned());
    }

    pub(super) fn end(&mut self, pointer: &str) {
        self.defining.remove(pointer);
    }

    /// Remembers the type a schema became, for its copies.
    pub(super) fn remember(&mut self, json_key: String, name: String, made_up_doc: bool) {
        self.defined.insert(json_key, InlineType { name, made_up_doc, shared: false });
    }

    /// Replaces the made-up doc of each type written out in several places, which named only
    /// its first place.
    pub(super) fn document_shared(&self, types: &mut [TypeDef]) {
        let shared: BTreeSet<&str> =
            self.defined.values().filter(|t| t.shared && t.made_up_doc).map(|t| t.name.as_str()).collect();
        for def in types.iter_mut().filter(|def| shared.contains(def.name.as_str())) {
            def.doc = Some("A schema the spec writes out in several places; each of them uses this type.".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::InlineTypes;
    use crate::model::{TypeDef, TypeKind};

    fn def(name: &str, doc: &str) -> TypeDef {
        let kind = TypeKind::Enum { variants: Vec::new(), fallback: "Unknown".into() };
        TypeDef { name: name.into(), doc: Some(doc.into()), deprecated: false, kind }
    }

    #[test]
    fn a_copy_is_the_same_type_and_only_a_shared_made_up_doc_changes() {
        let mut inline = InlineTypes::default();
        inline.start("#/a", "A");
        assert_eq!(inline.being_defined("#/a"), Some("A"));
        inline.end("#/a");
        assert_eq!(inline.being_defined("#/a"), None);
        inline.remember("{a}".into(), "A".into(), true);
        inline.remember("{b}".into(), "B".into(), true);
        inline.remember("{c}".into(), "C".into(), false);
        assert_eq!(inline.copy_of("{a}").as_deref(), Some("A"));
        assert_eq!(inline.copy_of("{c}").as_deref(), Some("C"));
        assert_eq!(inline.copy_of("{d}"), None);
        let mut types = vec![def("A", "The `a` field."), def("B", "The `b` field."), def("C", "Its own.")];
        inline.document_shared(&mut types);
        let docs: Vec<_> = types.iter().map(|t| t.doc.as_deref().unwrap_or_default()).collect();
        assert_eq!(
            docs,
            [
                "A schema the spec writes out in several places; each of them uses this type.",
                "The `b` field.",
                "Its own."
            ]
        );
    }
}
