//! The last step of the schema stage, once every type is defined: what needs the whole list
//! of types at once. The types are sorted by name; members that lead back to their own type
//! are boxed ([`super::cycles`] finds them); and a type is marked as validating (checked
//! before a request is sent) when a member has constraints or holds a type that validates,
//! which is a fixed point, as types hold each other.

use std::collections::BTreeSet;

use super::cycles;
use crate::model::{Constraints, TypeDef, TypeKind, TypeRef};

/// The finished list of types: sorted by name, with recursive members boxed and the types
/// that need checking before a request is sent marked.
pub(super) fn finish_types(mut types: Vec<TypeDef>) -> Vec<TypeDef> {
    types.sort_by(|a, b| a.name.cmp(&b.name));
    let holds: Vec<(&str, Vec<Option<&str>>)> =
        types.iter().map(|def| (def.name.as_str(), members(def).map(|(ty, _)| named(ty)).collect())).collect();
    let boxed = cycles::members_to_box(&holds);
    let validates = validating(&types);
    for (def, boxed) in types.iter_mut().zip(boxed) {
        let validates = validates.contains(&def.name);
        match &mut def.kind {
            TypeKind::Struct(s) => {
                s.validates = validates;
                for (field, boxed) in s.fields.iter_mut().zip(boxed) {
                    field.boxed = boxed;
                }
            }
            TypeKind::Union(u) => {
                u.validates = validates;
                for (variant, boxed) in u.variants.iter_mut().zip(boxed) {
                    variant.boxed = boxed;
                }
            }
            TypeKind::Enum { .. } => {}
        }
    }
    types
}

/// The names of the types that validate: those with a member that has constraints or holds
/// (anywhere inside) a type that validates.
fn validating(types: &[TypeDef]) -> BTreeSet<String> {
    let mut validates: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = validates.len();
        for def in types {
            if members(def).any(|(ty, constraints)| !constraints.is_empty() || mentions(ty, &validates)) {
                validates.insert(def.name.clone());
            }
        }
        if validates.len() == before {
            return validates;
        }
    }
}

/// The types a named type holds: a struct's fields, a union's variants.
fn members(def: &TypeDef) -> Box<dyn Iterator<Item = (&TypeRef, &Constraints)> + '_> {
    match &def.kind {
        TypeKind::Struct(s) => Box::new(s.fields.iter().map(|f| (&f.ty, &f.constraints))),
        TypeKind::Union(u) => Box::new(u.variants.iter().map(|v| (&v.ty, &v.constraints))),
        TypeKind::Enum { .. } => Box::new(std::iter::empty()),
    }
}

/// The named type a member holds in place (not inside a `Vec` or a map).
fn named(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) => Some(name),
        _ => None,
    }
}

/// Whether `ty` holds, at any depth, one of `names`.
fn mentions(ty: &TypeRef, names: &BTreeSet<String>) -> bool {
    match ty {
        TypeRef::Named(name) => names.contains(name),
        TypeRef::Vec(inner) | TypeRef::Map(inner) => mentions(inner, names),
        _ => false,
    }
}
