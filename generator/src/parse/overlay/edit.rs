//! What an overlay's action does to the nodes its `target` selects.
//!
//! - The target must select objects and arrays (Overlay 1.0: "not primitive types or `null`
//!   values"). To change a string, target the object that holds it and give the property its
//!   new value in `update`.
//! - `update` into an **object** merges: 1.0 says the update's properties replace the
//!   target's of the same name and new ones are added, and its structured example (one
//!   `update` at `$` that sets `info.x-overlay-applied` without erasing `info.title`) only
//!   works if objects merge recursively. Overlay 1.1 spells the rule out, and it is the one
//!   followed here: a property only in the update is added; an object merges into an
//!   object; an array is concatenated to an array; a plain value (string, number, boolean,
//!   null) replaces a plain value; any other pair is an error naming both places.
//! - `update` into an **array** appends the update to it, as one entry (1.0: "an entry to
//!   append to the array").
//! - `remove: true` removes each selected node from the object or array that holds it
//!   (`update` is then ignored). The root cannot be removed.
//!
//! The locations are taken before anything changes, each once (a JSONPath may select a node
//! twice); removals run deepest first and, within an array, from the last index down, so
//! that no removal shifts a location still to come.

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use serde_json_path::{JsonPath, PathElement};

use super::Action;
use crate::error::Pointer;

/// A step of a location in the document: a property's name or an array's index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Step {
    Name(String),
    Index(usize),
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Step::Name(name) => f.write_str(name),
            Step::Index(index) => write!(f, "{index}"),
        }
    }
}

/// The locations of the nodes `target` selects in `document`, in the order it selects them,
/// each once.
pub(super) fn locate(document: &Value, target: &JsonPath) -> Vec<Vec<Step>> {
    let mut locations: Vec<Vec<Step>> = Vec::new();
    let mut seen = BTreeSet::new();
    for path in target.query_located(document).locations() {
        let location: Vec<Step> = path
            .iter()
            .map(|element| match element {
                PathElement::Name(name) => Step::Name((*name).to_owned()),
                PathElement::Index(index) => Step::Index(*index),
            })
            .collect();
        if seen.insert(location.clone()) {
            locations.push(location);
        }
    }
    locations
}

/// Merges or appends `update` at each location.
pub(super) fn update(
    document: &mut Value,
    locations: &[Vec<Step>],
    update: &Value,
    action: &Action<'_>,
) -> Result<(), (Pointer, String)> {
    let update_pointer = action.pointer.join("update");
    for location in locations {
        let place = pointer_of(location);
        match node_mut(document, location) {
            Some(Value::Object(node)) => match update {
                Value::Object(fields) => merge(node, fields, &update_pointer, &place)?,
                other => {
                    return Err((
                        update_pointer,
                        format!(
                            "`{}` selects `{place}`, an object, so `update` must be a mapping of the properties \
                             to merge into it, not {}",
                            action.target_text,
                            kind(other)
                        ),
                    ))
                }
            },
            Some(Value::Array(items)) => items.push(update.clone()),
            Some(other) => return Err(not_a_container(action, &place, other, "update")),
            None => {}
        }
    }
    Ok(())
}

/// Removes the node at each location from the object or array that holds it.
pub(super) fn remove(
    document: &mut Value,
    mut locations: Vec<Vec<Step>>,
    action: &Action<'_>,
) -> Result<(), (Pointer, String)> {
    for location in &locations {
        match node_mut(document, location) {
            Some(Value::Object(_) | Value::Array(_)) | None => {}
            Some(other) => return Err(not_a_container(action, &pointer_of(location), other, "remove")),
        }
    }
    // Deepest first (a location sorts after its ancestors), and the last index of an array
    // first: no removal moves a node still to be removed.
    locations.sort();
    for location in locations.iter().rev() {
        let Some((last, parent)) = location.split_last() else {
            return Err((
                action.pointer.join("target"),
                format!("`{}` selects the whole document, which cannot be removed", action.target_text),
            ));
        };
        match (node_mut(document, parent), last) {
            (Some(Value::Object(map)), Step::Name(name)) => {
                map.shift_remove(name);
            }
            (Some(Value::Array(items)), Step::Index(index)) if *index < items.len() => {
                items.remove(*index);
            }
            // Gone with a node removed before it.
            _ => {}
        }
    }
    Ok(())
}

/// Merges `update` into `node`: see the module's documentation. `update_pointer` is where
/// `update` is in the overlay, `place` where `node` is in the spec.
fn merge(
    node: &mut Map<String, Value>,
    update: &Map<String, Value>,
    update_pointer: &Pointer,
    place: &Pointer,
) -> Result<(), (Pointer, String)> {
    for (key, new) in update {
        let Some(old) = node.get_mut(key) else {
            node.insert(key.clone(), new.clone());
            continue;
        };
        match (old, new) {
            (Value::Object(old), Value::Object(new)) => merge(old, new, &update_pointer.join(key), &place.join(key))?,
            (Value::Array(old), Value::Array(new)) => old.extend(new.iter().cloned()),
            (old, new) if is_plain(old) && is_plain(new) => *old = new.clone(),
            (old, new) => {
                return Err((
                    update_pointer.join(key),
                    format!(
                        "`update` gives `{}` {} where the spec has {}: an object merges only into an object, an \
                         array only into an array, and a plain value replaces only a plain value (to replace it, \
                         remove it in an action before)",
                        place.join(key),
                        kind(new),
                        kind(old)
                    ),
                ))
            }
        }
    }
    Ok(())
}

fn not_a_container(action: &Action<'_>, place: &Pointer, node: &Value, verb: &str) -> (Pointer, String) {
    let hint = match verb {
        "update" => "target the object that holds it, and give the property its new value in `update`",
        _ => "Overlay 1.0 removes only objects and arrays",
    };
    (
        action.pointer.join("target"),
        format!(
            "`{}` selects `{place}`, {}; an Overlay 1.0 target selects objects and arrays only: {hint}",
            action.target_text,
            kind(node)
        ),
    )
}

fn is_plain(value: &Value) -> bool {
    !matches!(value, Value::Object(_) | Value::Array(_))
}

/// The kind of a value, with its article, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
    }
}

fn pointer_of(location: &[Step]) -> Pointer {
    location.iter().fold(Pointer::root(), |pointer, step| pointer.join(step))
}

fn node_mut<'v>(document: &'v mut Value, location: &[Step]) -> Option<&'v mut Value> {
    location.iter().try_fold(document, |node, step| match (node, step) {
        (Value::Object(map), Step::Name(name)) => map.get_mut(name),
        (Value::Array(items), Step::Index(index)) => items.get_mut(*index),
        _ => None,
    })
}
