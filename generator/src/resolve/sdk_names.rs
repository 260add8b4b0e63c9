//! Where an operation lives in the client: the groups and the method name that SDK
//! generators' extensions give it, or else its first tag and its `operationId`.
//!
//! Specs written for SDK generators name every operation for them. Auth0's
//! `x-operation-group: [guardian, enrollments]` and `x-operation-name: createTicket` are what
//! its official SDKs call `client.Guardian.Enrollments.CreateTicket`, and the Rust client
//! calls `client.guardian().enrollments().create_ticket()`. The extensions of Fern and
//! Speakeasy say the same; this module reads all of them, so the rule is decided once.

use indexmap::IndexMap;
use serde_json::Value;

/// An operation's place in the client, as the spec names it (not yet Rust names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Placement {
    /// The groups it is reached through, outermost first; none: a method of the client.
    pub(super) groups: Vec<String>,
    /// The method's name.
    pub(super) method: String,
    /// Whether the method's name is an SDK name (from an extension) rather than the
    /// `operationId`. An SDK name is short (`list`) and unique only within its group.
    pub(super) sdk_method: bool,
}

/// How an extension writes a list of groups in one string.
#[derive(Clone, Copy)]
enum Separator {
    /// One group (a list is written as a JSON array).
    None,
    /// Groups joined by dots: Speakeasy's `users.roles`.
    Dot,
}

/// The extensions that name an operation's groups, in the order they are read.
const GROUP_EXTENSIONS: &[(&str, Separator)] = &[
    ("x-operation-group", Separator::None),
    ("x-fern-sdk-group-name", Separator::None),
    ("x-speakeasy-group", Separator::Dot),
];

/// The extensions that name an operation's method, in the order they are read.
const METHOD_EXTENSIONS: &[&str] = &["x-operation-name", "x-fern-sdk-method-name", "x-speakeasy-name-override"];

/// An extension that is there but says nothing usable: its name, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Unreadable {
    pub(super) extension: &'static str,
    pub(super) problem: &'static str,
}

/// Where the operation goes: its groups from the first group extension it has (or its first
/// tag), its method from the first method extension (or the `operationId`). An extension
/// whose value cannot be read is skipped and reported.
pub(super) fn placement(
    extensions: &IndexMap<String, Value>,
    first_tag: Option<&str>,
    operation_id: &str,
) -> (Placement, Vec<Unreadable>) {
    let mut unreadable = Vec::new();
    let groups = GROUP_EXTENSIONS.iter().find_map(|&(extension, separator)| {
        let value = extensions.get(extension)?;
        let groups = group_names(value, separator);
        if groups.is_none() {
            unreadable.push(Unreadable { extension, problem: "not a name or a list of names" });
        }
        groups
    });
    let method = METHOD_EXTENSIONS.iter().find_map(|&extension| {
        let value = extensions.get(extension)?;
        let name = value.as_str().map(str::trim).filter(|name| !name.is_empty());
        if name.is_none() {
            unreadable.push(Unreadable { extension, problem: "not a name" });
        }
        name
    });
    let placement = Placement {
        groups: groups.unwrap_or_else(|| first_tag.map(str::to_owned).into_iter().collect()),
        method: method.unwrap_or(operation_id).to_owned(),
        sdk_method: method.is_some(),
    };
    (placement, unreadable)
}

/// The groups a group extension names; `None` if its value is not a name or a list of names.
fn group_names(value: &Value, separator: Separator) -> Option<Vec<String>> {
    let names: Vec<&str> = match (value, separator) {
        (Value::String(name), Separator::None) => vec![name],
        (Value::String(names), Separator::Dot) => names.split('.').collect(),
        (Value::Array(names), _) => names.iter().map(Value::as_str).collect::<Option<_>>()?,
        _ => return None,
    };
    let names: Vec<String> = names.iter().map(|name| name.trim().to_owned()).collect();
    names.iter().all(|name| !name.is_empty()).then_some(names)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Each case: the operation's extensions, then the groups and method it is placed at.
    #[test]
    fn operations_are_placed_where_the_extensions_say() {
        let cases: &[(Value, &[&str], &str, bool)] = &[
            (json!({}), &["guardian"], "create_guardian_enrollment_ticket", false),
            (
                json!({"x-operation-group": ["guardian", "enrollments"], "x-operation-name": "createTicket"}),
                &["guardian", "enrollments"],
                "createTicket",
                true,
            ),
            (json!({"x-operation-group": "users", "x-operation-name": "list"}), &["users"], "list", true),
            (json!({"x-operation-group": []}), &[], "create_guardian_enrollment_ticket", false),
            (
                json!({"x-fern-sdk-group-name": ["users", "roles"], "x-fern-sdk-method-name": "assign"}),
                &["users", "roles"],
                "assign",
                true,
            ),
            (json!({"x-fern-sdk-group-name": "users"}), &["users"], "create_guardian_enrollment_ticket", false),
            (
                json!({"x-speakeasy-group": "users.roles", "x-speakeasy-name-override": "assign"}),
                &["users", "roles"],
                "assign",
                true,
            ),
            (json!({"x-speakeasy-name-override": "ticket"}), &["guardian"], "ticket", true),
            // Auth0's extensions come first when a spec has several.
            (
                json!({"x-fern-sdk-group-name": "fern", "x-operation-group": "auth0"}),
                &["auth0"],
                "create_guardian_enrollment_ticket",
                false,
            ),
        ];
        for (extensions, groups, method, sdk_method) in cases {
            let extensions: IndexMap<String, Value> = serde_json::from_value(extensions.clone()).expect("a map");
            let (placement, unreadable) = placement(&extensions, Some("guardian"), "create_guardian_enrollment_ticket");
            let expected = Placement {
                groups: groups.iter().map(|g| (*g).to_owned()).collect(),
                method: (*method).to_owned(),
                sdk_method: *sdk_method,
            };
            assert_eq!(placement, expected, "{extensions:?}");
            assert!(unreadable.is_empty(), "{extensions:?}");
        }
    }

    #[test]
    fn an_unreadable_extension_is_reported_and_the_next_one_read() {
        let extensions: IndexMap<String, Value> = serde_json::from_value(json!({
            "x-operation-group": ["users", 7],
            "x-fern-sdk-group-name": "people",
            "x-operation-name": "",
        }))
        .expect("a map");
        let (placement, unreadable) = placement(&extensions, None, "getUsers");
        assert_eq!(placement.groups, ["people"]);
        assert_eq!(placement.method, "getUsers");
        let names: Vec<_> = unreadable.iter().map(|u| u.extension).collect();
        assert_eq!(names, ["x-operation-group", "x-operation-name"]);
    }
}
