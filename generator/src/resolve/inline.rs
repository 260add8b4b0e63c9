//! Inline schemas that become named types (a struct, an enum or a union written out in
//! place), each defined once.
//!
//! Specs copy schemas freely (GitHub's has 463 inline `User` objects): the same schema, by
//! its JSON text, is the same type wherever it is written out, and an object with a
//! component's text is that component (bundlers write a schema out at its first use and
//! `$ref` it elsewhere: DigitalOcean's error answers). A schema met again inside
//! itself (through an `allOf` of its own component) is the type being defined. This module
//! only remembers the types' ids; [`super::schemas`] defines the types.

use std::collections::BTreeMap;

use openapiv3::Schema;

use crate::model::{TypeDef, TypeId};

/// The named types made from inline schemas so far.
#[derive(Debug, Default)]
pub(super) struct InlineTypes {
    /// Those being defined right now, by pointer.
    defining: BTreeMap<String, TypeId>,
    /// Those already defined, by their JSON.
    defined: BTreeMap<String, InlineType>,
}

#[derive(Debug)]
struct InlineType {
    id: TypeId,
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
    /// The type being defined at `pointer`, if this schema is met inside itself.
    pub(super) fn being_defined(&self, pointer: &str) -> Option<TypeId> {
        self.defining.get(pointer).copied()
    }

    /// The type an earlier copy of the schema became (now used in one more place).
    pub(super) fn copy_of(&mut self, json_key: &str) -> Option<TypeId> {
        let known = self.defined.get_mut(json_key)?;
        known.shared = true;
        Some(known.id)
    }

    /// Notes that the schema at `pointer` is being defined as the type `id`, until [`Self::end`].
    pub(super) fn start(&mut self, pointer: &str, id: TypeId) {
        self.defining.insert(pointer.to_owned(), id);
    }

    pub(super) fn end(&mut self, pointer: &str) {
        self.defining.remove(pointer);
    }

    /// Remembers the type a schema became, for its copies.
    pub(super) fn remember(&mut self, json_key: String, id: TypeId, made_up_doc: bool) {
        self.defined.insert(json_key, InlineType { id, made_up_doc, shared: false });
    }

    /// Remembers a component's type for the copies of its text written out in place; of two
    /// components of one text, copies take the first.
    pub(super) fn remember_component(&mut self, json_key: String, id: TypeId) {
        self.defined.entry(json_key).or_insert(InlineType { id, made_up_doc: false, shared: false });
    }

    /// Replaces the made-up doc of each type written out in several places, which named only
    /// its first place. `types` is indexed by id.
    pub(super) fn document_shared(&self, types: &mut [TypeDef]) {
        for shared in self.defined.values().filter(|t| t.shared && t.made_up_doc) {
            if let Some(def) = types.get_mut(shared.id.index()) {
                def.doc = Some("A schema the spec writes out in several places; each of them uses this type.".into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::InlineTypes;
    use crate::model::{Compiled, TypeDef, TypeId, TypeKind};

    fn def(name: &str, doc: &str) -> TypeDef {
        let kind = TypeKind::Enum { variants: Vec::new(), fallback: "Unknown".into(), integer: false };
        TypeDef {
            name: name.into(),
            doc: Some(doc.into()),
            deprecated: false,
            validates: false,
            compiled: Compiled::Always,
            derives: Vec::new(),
            kind,
        }
    }

    #[test]
    fn a_copy_is_the_same_type_and_only_a_shared_made_up_doc_changes() {
        let [a, b, c] = [0, 1, 2].map(TypeId::new);
        let mut inline = InlineTypes::default();
        inline.start("#/a", a);
        assert_eq!(inline.being_defined("#/a"), Some(a));
        inline.end("#/a");
        assert_eq!(inline.being_defined("#/a"), None);
        inline.remember("{a}".into(), a, true);
        inline.remember("{b}".into(), b, true);
        inline.remember("{c}".into(), c, false);
        assert_eq!(inline.copy_of("{a}"), Some(a));
        assert_eq!(inline.copy_of("{c}"), Some(c));
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
