//! Where a `Box` is needed: a type that holds itself, directly or through other types, would
//! have no finite size. Only what is held in place counts: a `Vec` or a map is on the heap
//! already.
//!
//! Every member whose type leads back to the type holding it is boxed: on the cycle
//! `A → B → A`, both `A`'s member and `B`'s. This module sees only names; [`super::finish`]
//! gives it the types and applies its answer.

use std::collections::{BTreeMap, BTreeSet};

/// For each type (its name, and for each member the named type it holds in place, if any),
/// whether each member needs a `Box`: the type it holds leads back to the holder.
pub(super) fn members_to_box(types: &[(&str, Vec<Option<&str>>)]) -> Vec<Vec<bool>> {
    let holds: BTreeMap<&str, BTreeSet<&str>> =
        types.iter().map(|(name, members)| (*name, members.iter().flatten().copied().collect())).collect();
    let reaches = |from: &str, to: &str| {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(node) = stack.pop() {
            if node == to {
                return true;
            }
            if seen.insert(node) {
                stack.extend(holds.get(node).into_iter().flatten().copied());
            }
        }
        false
    };
    types
        .iter()
        .map(|(name, members)| members.iter().map(|held| held.is_some_and(|held| reaches(held, name))).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::members_to_box;

    #[test]
    fn members_on_a_cycle_are_boxed() {
        let types = [
            ("Node", vec![Some("Node"), None]),
            ("A", vec![Some("B"), Some("Leaf")]),
            ("B", vec![Some("A")]),
            ("Leaf", vec![None]),
            ("Root", vec![Some("A")]),
        ];
        let boxed = members_to_box(&types);
        assert_eq!(boxed, [vec![true, false], vec![true, false], vec![true], vec![false], vec![false]]);
    }
}
