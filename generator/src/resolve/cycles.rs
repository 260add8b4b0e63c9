//! Where a `Box` is needed: a type that holds itself, directly or through other types, would
//! have no finite size. Only what is held in place counts: a `Vec` or a map is on the heap
//! already.
//!
//! Every member whose type leads back to the type holding it is boxed: on the cycle
//! `A → B → A`, both `A`'s member and `B`'s. This module sees only ids; [`super::finish`]
//! gives it the types and applies its answer.

use std::collections::BTreeSet;

use crate::model::TypeId;

/// For each type (by id: the list's index), for each member the type it holds in place, if
/// any: whether each member needs a `Box`, as the type it holds leads back to the holder.
pub(super) fn members_to_box(types: &[Vec<Option<TypeId>>]) -> Vec<Vec<bool>> {
    let reaches = |from: TypeId, to: TypeId| {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(node) = stack.pop() {
            if node == to {
                return true;
            }
            if seen.insert(node) {
                stack.extend(types.get(node.index()).into_iter().flatten().flatten().copied());
            }
        }
        false
    };
    let boxed = |(index, members): (usize, &Vec<Option<TypeId>>)| {
        members.iter().map(|held| held.is_some_and(|held| reaches(held, TypeId::new(index)))).collect()
    };
    types.iter().enumerate().map(boxed).collect()
}

#[cfg(test)]
mod tests {
    use super::members_to_box;
    use crate::model::TypeId;

    #[test]
    fn members_on_a_cycle_are_boxed() {
        let [node, a, b, leaf] = [0, 1, 2, 3].map(|index| Some(TypeId::new(index)));
        let types = [
            vec![node, None], // Node
            vec![b, leaf],    // A
            vec![a],          // B
            vec![None],       // Leaf
            vec![a],          // Root
        ];
        let boxed = members_to_box(&types);
        assert_eq!(boxed, [vec![true, false], vec![true, false], vec![true], vec![false], vec![false]]);
    }
}
