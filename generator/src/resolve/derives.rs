//! Which of the user's extra derives ([`crate::Config::derives`]) each type gets, and the
//! schemas replaced by the user's types ([`crate::Config::replacements`]), checked against
//! the spec.
//!
//! A derive compiles only when every member's type implements the trait: `f64` is not `Eq`,
//! `Hash` or `Ord`; `serde_json::Value` is `Eq` and `Hash` but not ordered; `crate::File` is
//! `Eq` and nothing else; a replaced type implements what the user says. A type's members
//! include the types it holds, which may hold it back (a cycle): so the answer is a fixed
//! point, from every type getting every derive down to what holds, which keeps a derive on a
//! cycle whose types all allow it. A type also needs a derive's supertraits (`Ord`: `Eq` and
//! `PartialOrd`). A derive other than the standard ones and `schemars::JsonSchema` goes on
//! every type: the user answers for it.

use std::collections::BTreeSet;

use openapiv3::OpenAPI;

use super::finish::members;
use crate::model::{Derive, ReplacedSchema, TypeDef, TypeKind, TypeRef, UnionDecoding};
use crate::Replacement;

/// The replacements in the model's terms, in the user's order; an error names a schema the
/// spec does not have, one replaced twice, or a type that is not Rust.
pub(super) fn replacements(document: &OpenAPI, replacements: &[Replacement]) -> Result<Vec<ReplacedSchema>, String> {
    let schemas = document.components.as_ref().map(|c| &c.schemas);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for replacement in replacements {
        let text = format!("--replace {}={}", replacement.schema, replacement.rust_type);
        if !schemas.is_some_and(|schemas| schemas.contains_key(&replacement.schema)) {
            return Err(format!("`{text}`: the spec has no schema `{}`", replacement.schema));
        }
        if !seen.insert(replacement.schema.clone()) {
            return Err(format!("`{text}`: `{}` is replaced twice", replacement.schema));
        }
        let (rust_type, implements) = crate::type_options::replacement(replacement)?;
        out.push(ReplacedSchema { schema: replacement.schema.clone(), rust_type, implements });
    }
    Ok(out)
}

/// Sets [`TypeDef::derives`] of every type: each derive of `derives` (in that order) that
/// the type's members allow and its kind does not have already.
pub(super) fn decide(types: &mut [TypeDef], derives: &[Derive], replaced: &[ReplacedSchema]) {
    let gets = granted(types, derives, replaced);
    for (def, gets) in types.iter_mut().zip(gets) {
        def.derives = derives
            .iter()
            .zip(gets)
            .filter(|(derive, gets)| *gets && !def.kind.derives(derive))
            .map(|(derive, _)| derive.clone())
            .collect();
    }
}

/// For each type (by id), for each derive of `derives`: whether the type implements the
/// trait with it, its own or derived. The greatest fixed point: all start `true`.
fn granted(types: &[TypeDef], derives: &[Derive], replaced: &[ReplacedSchema]) -> Vec<Vec<bool>> {
    let mut gets = vec![vec![true; derives.len()]; types.len()];
    loop {
        let mut changed = false;
        for (index, def) in types.iter().enumerate() {
            for (d, derive) in derives.iter().enumerate() {
                if !gets[index][d] || matches!(derive, Derive::Other(_)) || def.kind.derives(derive) {
                    continue;
                }
                let has = |needed: &Derive| {
                    def.kind.derives(needed) || derives.iter().position(|d| d == needed).is_some_and(|d| gets[index][d])
                };
                let supertraits = match derive {
                    Derive::Ord => has(&Derive::Eq) && has(&Derive::PartialOrd),
                    _ => true,
                };
                let allowed =
                    supertraits && held(def).all(|ty| implements(ty, derive, types, derives, &gets, replaced));
                if !allowed {
                    gets[index][d] = false;
                    changed = true;
                }
            }
        }
        if !changed {
            return gets;
        }
    }
}

/// The types a value of `def` holds: its members, and the `serde_json::Value` a tagged
/// union keeps an unknown variant in.
fn held(def: &TypeDef) -> impl Iterator<Item = &TypeRef> {
    let fallback = match &def.kind {
        TypeKind::Union(union) if matches!(union.decoding, UnionDecoding::Tagged { .. }) => Some(&TypeRef::Json),
        _ => None,
    };
    members(def).map(|(ty, _)| ty).chain(fallback)
}

/// Whether `ty` implements the trait of `derive`, given what the types get so far.
fn implements(
    ty: &TypeRef,
    derive: &Derive,
    types: &[TypeDef],
    derives: &[Derive],
    gets: &[Vec<bool>],
    replaced: &[ReplacedSchema],
) -> bool {
    let recurse = |ty: &TypeRef| implements(ty, derive, types, derives, gets, replaced);
    match ty {
        TypeRef::Named(id) => {
            let kind_has = types.get(id.index()).is_some_and(|def| def.kind.derives(derive));
            let position = derives.iter().position(|d| d == derive);
            kind_has || position.is_some_and(|d| gets.get(id.index()).is_some_and(|gets| gets[d]))
        }
        TypeRef::String | TypeRef::Bool | TypeRef::Integer(_) | TypeRef::Formatted(_) => true,
        TypeRef::Float(_) => matches!(derive, Derive::PartialEq | Derive::PartialOrd | Derive::JsonSchema),
        TypeRef::Json => matches!(derive, Derive::PartialEq | Derive::Eq | Derive::Hash | Derive::JsonSchema),
        TypeRef::File => matches!(derive, Derive::PartialEq | Derive::Eq),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => recurse(inner),
        // The standard library implements the traits for tuples of up to 12 items.
        TypeRef::Tuple(items) => items.len() <= 12 && items.iter().all(recurse),
        TypeRef::Replaced(index) => {
            *derive == Derive::PartialEq || replaced.get(*index).is_some_and(|r| r.implements.contains(derive))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::decide;
    use crate::model::{
        Compiled, Constraints, Derive, Doc, Field, FloatType, ReplacedSchema, Struct, TypeDef, TypeId, TypeKind,
        TypeRef,
    };

    fn field(ty: TypeRef) -> Field {
        Field {
            wire_name: "f".into(),
            rust_name: "f".into(),
            setter: "f".into(),
            ty,
            required: true,
            nullable: false,
            boxed: false,
            constraints: Constraints::default(),
            doc: Doc::default(),
        }
    }

    fn object(name: &str, fields: Vec<TypeRef>) -> TypeDef {
        TypeDef {
            name: name.into(),
            doc: None,
            deprecated: false,
            validates: false,
            compiled: Compiled::Always,
            derives: Vec::new(),
            kind: TypeKind::Struct(Struct { fields: fields.into_iter().map(field).collect() }),
        }
    }

    fn named(index: usize) -> TypeRef {
        TypeRef::Named(TypeId::new(index))
    }

    fn vec(ty: TypeRef) -> TypeRef {
        TypeRef::Vec(Box::new(ty))
    }

    /// A cycle keeps a derive its members all allow, and loses it, all round, when one
    /// member anywhere on it does not: the fixed point starts from every derive.
    #[test]
    fn a_derive_follows_what_types_hold_round_cycles() {
        let all = [Derive::PartialEq, Derive::Eq, Derive::Hash, Derive::PartialOrd, Derive::Ord, Derive::JsonSchema];
        let float = TypeRef::Float(FloatType::F64);
        let mut types = vec![
            object("Tree", vec![vec(named(0)), TypeRef::String]), // 0: holds itself
            object("A", vec![named(2)]),                          // 1: A -> B -> A, B holds a float
            object("B", vec![vec(named(1)), float.clone()]),      // 2
            object("Json", vec![TypeRef::Json]),                  // 3
            object("HoldsA", vec![named(1)]),                     // 4
            object("Upload", vec![TypeRef::File]),                // 5
        ];
        decide(&mut types, &all, &[]);
        let got: Vec<Vec<&str>> = types.iter().map(|def| def.derives.iter().map(Derive::path).collect()).collect();
        let everything = vec!["Eq", "Hash", "PartialOrd", "Ord", "schemars::JsonSchema"];
        assert_eq!(got[0], everything);
        assert_eq!(got[1], ["PartialOrd", "schemars::JsonSchema"]);
        assert_eq!(got[2], ["PartialOrd", "schemars::JsonSchema"]);
        assert_eq!(got[3], ["Eq", "Hash", "schemars::JsonSchema"]);
        assert_eq!(got[4], ["PartialOrd", "schemars::JsonSchema"]);
        assert_eq!(got[5], ["Eq"]);
    }

    /// `Ord` needs `Eq` and `PartialOrd` on the type itself; an unknown derive goes everywhere;
    /// a replaced type allows what the user says.
    #[test]
    fn supertraits_other_derives_and_replaced_types() {
        let derives = [Derive::Eq, Derive::Hash, Derive::PartialOrd, Derive::Ord, Derive::Other("my::Derive".into())];
        let replaced =
            [ReplacedSchema { schema: "Money".into(), rust_type: "m::Money".into(), implements: vec![Derive::Eq] }];
        let mut types =
            vec![object("Price", vec![TypeRef::Replaced(0)]), object("Score", vec![TypeRef::Float(FloatType::F32)])];
        decide(&mut types, &derives, &replaced);
        let got: Vec<Vec<&str>> = types.iter().map(|def| def.derives.iter().map(Derive::path).collect()).collect();
        assert_eq!(got[0], ["Eq", "my::Derive"]);
        assert_eq!(got[1], ["PartialOrd", "my::Derive"]);
    }
}
