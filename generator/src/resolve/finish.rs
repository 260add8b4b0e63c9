//! The last step of the schema stage, once every type is defined: what needs the whole list
//! of types at once. The types are sorted by name, and every [`TypeId`] (made in the order
//! names were claimed) is renumbered to match, in the types and in the operations; members
//! that lead back to their own type are boxed ([`super::cycles`] finds them); and a type is
//! marked as validating (checked before a request is sent) when a member has constraints or
//! holds a type that validates, which is a fixed point, as types hold each other. An event
//! stream of a tagged union learns its tag property here too.

use std::collections::BTreeSet;

use super::cycles;
use crate::model::{
    BodyKind, Constraints, Group, Operation, StringFormat, TypeDef, TypeId, TypeKind, TypeRef, Union, UnionDecoding,
};

/// The finished list of types, from the types in the order of their ids: sorted by name (the
/// ids in `types` and `groups` renumbered to match), with recursive members boxed and the
/// types that need checking before a request is sent marked.
pub(super) fn finish_types(types: Vec<TypeDef>, groups: &mut [Group]) -> Vec<TypeDef> {
    let mut types = sorted_by_name(types, groups);
    let holds: Vec<Vec<Option<TypeId>>> =
        types.iter().map(|def| members(def).map(|(ty, _)| named(ty)).collect()).collect();
    let boxed = cycles::members_to_box(&holds);
    let validates = validating(&types);
    for ((def, boxed), validates) in types.iter_mut().zip(boxed).zip(validates) {
        def.validates = validates;
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for (field, boxed) in s.fields.iter_mut().zip(boxed) {
                    field.boxed = boxed;
                }
            }
            TypeKind::Union(u) => {
                for (variant, boxed) in u.variants.iter_mut().zip(boxed) {
                    variant.boxed = boxed;
                }
            }
            TypeKind::Enum { .. } => {}
        }
    }
    event_stream_tags(&types, groups);
    types
}

/// An event stream of a union tagged by a property takes that property as the place of the
/// event's name (see [`BodyKind::EventStream`]).
fn event_stream_tags(types: &[TypeDef], groups: &mut [Group]) {
    let answers = groups.iter_mut().flat_map(|g| &mut g.operations).flat_map(|op| {
        let variants = op.response.by_status.iter_mut().flat_map(|s| &mut s.variants).flat_map(|v| &mut v.body);
        op.response.body.iter_mut().chain(variants)
    });
    for (_, kind) in answers {
        if let BodyKind::EventStream { ty: TypeRef::Named(id), tag } = kind {
            if let Some(TypeKind::Union(Union { decoding: UnionDecoding::Tagged { property, .. }, .. })) =
                types.get(id.index()).map(|def| &def.kind)
            {
                *tag = Some(property.clone());
            }
        }
    }
}

/// `types` sorted by name, with every id that refers to them, in them and in `groups`,
/// changed to the type's new place.
fn sorted_by_name(types: Vec<TypeDef>, groups: &mut [Group]) -> Vec<TypeDef> {
    let mut order: Vec<(usize, TypeDef)> = types.into_iter().enumerate().collect();
    order.sort_by(|(_, a), (_, b)| a.name.cmp(&b.name));
    let mut new_ids = vec![TypeId::new(0); order.len()];
    for (new, (old, _)) in order.iter().enumerate() {
        new_ids[*old] = TypeId::new(new);
    }
    let mut types: Vec<TypeDef> = order.into_iter().map(|(_, def)| def).collect();
    let renumber = |ty: &mut TypeRef| renumber(ty, &new_ids);
    types.iter_mut().flat_map(members_mut).for_each(renumber);
    groups.iter_mut().flat_map(|g| &mut g.operations).flat_map(operation_types).for_each(renumber);
    types
}

/// Changes every id in `ty` to its entry in `new_ids` (every id is an index of it).
fn renumber(ty: &mut TypeRef, new_ids: &[TypeId]) {
    match ty {
        TypeRef::Named(id) => {
            if let Some(new) = new_ids.get(id.index()) {
                *id = *new;
            }
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => renumber(inner, new_ids),
        TypeRef::Tuple(items) => items.iter_mut().for_each(|item| renumber(item, new_ids)),
        TypeRef::String
        | TypeRef::Bool
        | TypeRef::Integer(_)
        | TypeRef::Float(_)
        | TypeRef::Json
        | TypeRef::File
        | TypeRef::Formatted(_)
        | TypeRef::Replaced(_) => {}
    }
}

/// Every type an operation names: its parameters', bodies' and error type.
pub(super) fn operation_types(op: &mut Operation) -> impl Iterator<Item = &mut TypeRef> {
    fn body_type(kind: &mut BodyKind) -> Option<&mut TypeRef> {
        match kind {
            BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::Multipart(ty) => Some(ty),
            BodyKind::EventStream { ty, .. } => Some(ty),
            BodyKind::Text | BodyKind::Bytes => None,
        }
    }
    let params = op.params.iter_mut().map(|p| &mut p.ty);
    let request = op.body.iter_mut().map(|body| &mut body.kind);
    let answer = op.response.body.iter_mut().map(|(_, kind)| kind);
    let answers = op.response.by_status.iter_mut().flat_map(|s| &mut s.variants).flat_map(|v| &mut v.body);
    let bodies = request.chain(answer).chain(answers.map(|(_, kind)| kind)).filter_map(body_type);
    params.chain(bodies).chain(std::iter::once(&mut op.error_type))
}

/// Whether each type (by id) validates: it has a member that has constraints or holds
/// (anywhere inside) a type that validates.
fn validating(types: &[TypeDef]) -> Vec<bool> {
    let mut validates = vec![false; types.len()];
    loop {
        let mut changed = false;
        for (index, def) in types.iter().enumerate() {
            if !validates[index] && members(def).any(|(ty, c)| !c.is_empty() || mentions(ty, &validates)) {
                validates[index] = true;
                changed = true;
            }
        }
        if !changed {
            return validates;
        }
    }
}

/// The types a named type holds: a struct's fields, a union's variants.
pub(super) fn members(def: &TypeDef) -> Box<dyn Iterator<Item = (&TypeRef, &Constraints)> + '_> {
    match &def.kind {
        TypeKind::Struct(s) => Box::new(s.fields.iter().map(|f| (&f.ty, &f.constraints))),
        TypeKind::Union(u) => Box::new(u.variants.iter().map(|v| (&v.ty, &v.constraints))),
        TypeKind::Enum { .. } => Box::new(std::iter::empty()),
    }
}

/// [`members`], to change.
fn members_mut(def: &mut TypeDef) -> Box<dyn Iterator<Item = &mut TypeRef> + '_> {
    match &mut def.kind {
        TypeKind::Struct(s) => Box::new(s.fields.iter_mut().map(|f| &mut f.ty)),
        TypeKind::Union(u) => Box::new(u.variants.iter_mut().map(|v| &mut v.ty)),
        TypeKind::Enum { .. } => Box::new(std::iter::empty()),
    }
}

/// The named type a member holds in place (not inside a `Vec` or a map).
fn named(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        _ => None,
    }
}

/// Whether `ty` holds, at any depth, a type marked in `validates` (by id).
fn mentions(ty: &TypeRef, validates: &[bool]) -> bool {
    match ty {
        TypeRef::Named(id) => validates.get(id.index()).copied().unwrap_or(false),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => mentions(inner, validates),
        _ => false,
    }
}

/// The string formats with types of their own that the crate's types and operations use
/// (each needs its crate in the manifest), in order.
pub(super) fn formats_used(types: &[TypeDef], groups: &mut [Group]) -> Vec<StringFormat> {
    fn collect(ty: &TypeRef, out: &mut BTreeSet<StringFormat>) {
        match ty {
            TypeRef::Formatted(format) => {
                out.insert(*format);
            }
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => collect(inner, out),
            TypeRef::Tuple(items) => items.iter().for_each(|item| collect(item, out)),
            _ => {}
        }
    }
    let mut formats = BTreeSet::new();
    types.iter().flat_map(members).for_each(|(ty, _)| collect(ty, &mut formats));
    for op in groups.iter_mut().flat_map(|group| &mut group.operations) {
        operation_types(op).for_each(|ty| collect(ty, &mut formats));
    }
    formats.into_iter().collect()
}
