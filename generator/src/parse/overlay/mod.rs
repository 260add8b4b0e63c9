//! OpenAPI Overlay 1.0 documents (<https://spec.openapis.org/overlay/v1.0.0>), applied to
//! the spec's document tree before anything else reads it. Corrections to a spec we do not
//! own (a vendored description) then live in a file of their own that reviewers read, not
//! as edits to the copy.
//!
//! An overlay is `overlay: 1.0.x`, an `info` (`title`, `version`), an optional `extends`
//! (the document it was written for: informational here, since the caller says which spec
//! it applies to), and a list of `actions`, applied in order, each to the result of the ones
//! before. An action's `target` is an RFC 9535 JSONPath, read by `serde_json_path`; what it
//! selects must be objects or arrays. [`edit`] says what `update` and `remove` do.
//!
//! Everything is checked before the first action runs: unknown fields (a misspelt `remove`
//! would otherwise do nothing), wrong types, a version other than 1.0.x, a `target` that is
//! not JSONPath, an action with neither `update` nor `remove: true`. Errors name the
//! overlay's file and the JSON pointer of the offending value in it
//! (`#/actions/3/target`). A target that selects nothing is allowed by the specification,
//! but in a file of corrections it means the spec changed under it: a [`Warning`] whose
//! pointer is the overlay's file and the action's (`spec/api.overlay.yaml#/actions/3/target`).

mod edit;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use super::{check_depth, read_value};
use crate::error::{Error, ErrorKind, Pointer, Warning};
use crate::Overlay;

/// Applies `overlay` to `document`; the warnings name actions whose target selects nothing.
pub(super) fn apply(document: &mut Value, overlay: Overlay<'_>) -> Result<Vec<Warning>, Error> {
    let error = |(pointer, message): (Pointer, String)| Error {
        kind: ErrorKind::Spec,
        file: overlay.path.to_owned(),
        pointer: pointer.to_string(),
        message,
    };
    let tree = read_value(overlay.text).map_err(|message| error((Pointer::root(), message)))?;
    check_depth(&tree).map_err(error)?;
    let actions = read_actions(&tree).map_err(error)?;
    let mut warnings = Vec::new();
    for action in &actions {
        let locations = edit::locate(document, &action.target);
        if locations.is_empty() {
            warnings.push(Warning {
                pointer: format!("{}{}", overlay.path, action.pointer.join("target")),
                message: format!(
                    "the overlay's action{} changes nothing: `{}` selects nothing in the spec",
                    action.description.map(|d| format!(" \"{}\"", first_line(d))).unwrap_or_default(),
                    action.target_text
                ),
            });
        } else if action.remove {
            edit::remove(document, locations, action).map_err(error)?;
        } else if let Some(update) = action.update {
            edit::update(document, &locations, update, action).map_err(error)?;
        }
    }
    Ok(warnings)
}

/// One action of an overlay, checked.
struct Action<'t> {
    /// Where the action is in the overlay: `#/actions/3`.
    pointer: Pointer,
    target: JsonPath,
    target_text: &'t str,
    description: Option<&'t str>,
    update: Option<&'t Value>,
    remove: bool,
}

const OVERLAY_FIELDS: &[&str] = &["overlay", "info", "extends", "actions"];
const INFO_FIELDS: &[&str] = &["title", "version"];
const ACTION_FIELDS: &[&str] = &["target", "description", "update", "remove"];

/// How deep brackets may nest in a `target`. The JSONPath parser tries the ways to read a
/// filter inside a filter (`$[?@[?@.a]]`) one after another, so each level doubles its time
/// (about 2 ms at 7 deep in a debug build, minutes at 20); real targets nest two deep.
const MAX_BRACKET_NESTING: usize = 6;
/// How deep parentheses may nest in a `target`: the parser recurses on them.
const MAX_PARENTHESIS_NESTING: usize = 32;

/// The overlay's actions, once the whole document is checked.
fn read_actions(tree: &Value) -> Result<Vec<Action<'_>>, (Pointer, String)> {
    let root = Pointer::root();
    let Value::Object(overlay) = tree else {
        return Err((root, "an Overlay document must be a mapping at the top level".into()));
    };
    check_fields(overlay, &root, "an Overlay document", OVERLAY_FIELDS)?;
    let version = string_field(overlay, &root, "overlay")?
        .ok_or_else(|| (root.join("overlay"), "missing `overlay` version field (such as \"1.0.0\")".to_owned()))?;
    let patch = version.strip_prefix("1.0.");
    if !patch.is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit())) {
        return Err((
            root.join("overlay"),
            format!("Overlay version {version} is not supported (1.0.x is): its actions may mean something else"),
        ));
    }
    let info_pointer = root.join("info");
    match overlay.get("info") {
        Some(Value::Object(info)) => {
            check_fields(info, &info_pointer, "the overlay's `info`", INFO_FIELDS)?;
            for field in INFO_FIELDS {
                if string_field(info, &info_pointer, field)?.is_none() {
                    return Err((
                        info_pointer.join(field),
                        format!("missing `{field}`: `info` needs a title and a version"),
                    ));
                }
            }
        }
        Some(_) => return Err((info_pointer, "`info` must be a mapping with a `title` and a `version`".into())),
        None => return Err((info_pointer, "missing `info` (a `title` and a `version`)".into())),
    }
    string_field(overlay, &root, "extends")?;
    let actions_pointer = root.join("actions");
    let actions = match overlay.get("actions") {
        Some(Value::Array(actions)) if !actions.is_empty() => actions,
        Some(Value::Array(_)) => {
            return Err((actions_pointer, "`actions` is empty: an overlay has one action or more".into()))
        }
        Some(_) => return Err((actions_pointer, "`actions` must be a list of actions".into())),
        None => return Err((actions_pointer, "missing `actions` (the list of changes to make)".into())),
    };
    actions.iter().enumerate().map(|(index, action)| read_action(actions_pointer.join(index), action)).collect()
}

fn read_action(pointer: Pointer, action: &Value) -> Result<Action<'_>, (Pointer, String)> {
    let Value::Object(action) = action else {
        return Err((pointer, "an action must be a mapping with a `target` and an `update` or `remove`".into()));
    };
    check_fields(action, &pointer, "an action", ACTION_FIELDS)?;
    let target_pointer = pointer.join("target");
    let target_text = string_field(action, &pointer, "target")?
        .ok_or_else(|| (target_pointer.clone(), "missing `target` (a JSONPath such as `$.paths.*.get`)".to_owned()))?;
    for (open, close, what, most) in
        [('[', ']', "filters", MAX_BRACKET_NESTING), ('(', ')', "parentheses", MAX_PARENTHESIS_NESTING)]
    {
        if nesting(target_text, open, close) > most {
            let message = format!("`target` nests {what} more than {most} deep, which is not supported");
            return Err((target_pointer, message));
        }
    }
    let target = JsonPath::parse(target_text).map_err(|e| {
        let message = format!(
            "`{target_text}` is not a JSONPath query (RFC 9535): {} (at character {})",
            e.message(),
            e.position()
        );
        (target_pointer.clone(), message)
    })?;
    let description = string_field(action, &pointer, "description")?;
    let remove = match action.get("remove") {
        None => false,
        Some(Value::Bool(remove)) => *remove,
        Some(_) => return Err((pointer.join("remove"), "`remove` must be `true` or `false`".into())),
    };
    let update = action.get("update");
    if update.is_none() && !remove {
        return Err((pointer, "the action changes nothing: it needs an `update`, or `remove: true`".into()));
    }
    Ok(Action { pointer, target, target_text, description, update, remove })
}

/// An error naming the first field of `map` that is neither in `known` nor an extension.
fn check_fields(
    map: &Map<String, Value>,
    pointer: &Pointer,
    what: &str,
    known: &[&str],
) -> Result<(), (Pointer, String)> {
    match map.keys().find(|key| !known.contains(&key.as_str()) && !key.starts_with("x-")) {
        None => Ok(()),
        Some(key) => {
            let fields = known.iter().map(|field| format!("`{field}`")).collect::<Vec<_>>().join(", ");
            Err((
                pointer.join(key),
                format!("{what} has no field `{key}`: its fields are {fields}, and extensions named `x-...`"),
            ))
        }
    }
}

/// The field `key` of `map` if it is there, which must then be a string.
fn string_field<'t>(
    map: &'t Map<String, Value>,
    pointer: &Pointer,
    key: &str,
) -> Result<Option<&'t str>, (Pointer, String)> {
    match map.get(key) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err((pointer.join(key), format!("`{key}` must be a string"))),
    }
}

/// The deepest nesting of `open` and `close` in `text` (counting those in string literals
/// too: an over-estimate is safe).
fn nesting(text: &str, open: char, close: char) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0;
    for c in text.chars() {
        if c == open {
            depth += 1;
            deepest = deepest.max(depth);
        } else if c == close {
            depth = depth.saturating_sub(1);
        }
    }
    deepest
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default().trim()
}
