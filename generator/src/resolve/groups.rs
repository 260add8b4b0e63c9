//! Where an operation lives in the client: the groups and the method name that SDK
//! generators' extensions give it, or else its first tag and its `operationId` (less the
//! tag, when the id starts with it: `apps/list-webhook-deliveries`); and the
//! tree of groups, with the names each group's module and struct take.
//!
//! Specs written for SDK generators name every operation for them. Auth0's
//! `x-operation-group: [guardian, enrollments]` and `x-operation-name: createTicket` are what
//! its official SDKs call `client.Guardian.Enrollments.CreateTicket`, and the Rust client
//! calls `client.guardian().enrollments().create_ticket()`. The extensions of Fern and
//! Speakeasy say the same; this module reads all of them, so the rule is decided once.

use std::collections::HashMap;

use indexmap::IndexMap;
use serde_json::Value;

use super::Context;
use crate::error::Pointer;
use crate::model::{Group, GroupName, Operation};
use crate::names::{Case, Scope};

/// Methods of the runtime's `Client` that a method or accessor of the client may not take,
/// and `types`: a group's module is named after its accessor, and each module of `src/api/`
/// imports the `types` module beside the modules of its groups.
const CLIENT_METHODS: &[&str] = &["base_url", "builder", "clone", "fmt", "new", "send", "types"];

/// The groups made so far, each with the names taken in it.
pub(super) struct Groups {
    slots: Vec<Slot>,
    /// A group's index by its path of names in the spec; the client's own methods: `[]`.
    by_path: HashMap<Vec<String>, usize>,
    /// The groups' structs, unique in the crate.
    structs: Scope,
}

struct Slot {
    group: Group,
    /// The methods of the group's struct: its operations and its groups' accessors.
    methods: Scope,
    /// The types of the group's module: its request builders and answer enums.
    builders: Scope,
}

/// Where an operation goes: its group, by index, and the names of its method and builder.
pub(super) struct Placed {
    pub(super) group: usize,
    pub(super) method_name: String,
    pub(super) builder_name: String,
}

impl Groups {
    pub(super) fn new() -> Self {
        // The client's own methods come first, so that they keep their names on the client.
        let client = Slot {
            group: Group { name: None, parent: None, children: Vec::new(), feature: None, operations: Vec::new() },
            methods: Scope::with_reserved(Case::Value, CLIENT_METHODS),
            builders: builder_scope(None),
        };
        Self {
            slots: vec![client],
            by_path: HashMap::from([(Vec::new(), 0)]),
            structs: Scope::with_reserved(Case::Type, super::RESERVED_TYPE_NAMES),
        }
    }

    /// Places an operation (see [`placement`]), making its groups where they are new, and
    /// takes its method's and builder's names.
    pub(super) fn place(
        &mut self,
        cx: &mut Context<'_>,
        op: &openapiv3::Operation,
        operation_id: &str,
        pointer: &Pointer,
    ) -> Placed {
        let (placement, unreadable) = placement(&op.extensions, op.tags.first().map(String::as_str), operation_id);
        for Unreadable { extension, problem } in unreadable {
            cx.warn(&pointer.join(extension), format!("`{extension}` is {problem}; ignored"));
        }
        let group = self.group(cx, &placement.groups);
        let slot = &mut self.slots[group];
        Placed {
            group,
            method_name: slot.methods.claim(&placement.method),
            builder_name: slot.builders.claim(&placement.method),
        }
    }

    /// The types of group `index`'s module, in which its operations' answer enums are named.
    pub(super) fn builders(&mut self, index: usize) -> &mut Scope {
        &mut self.slots[index].builders
    }

    pub(super) fn push(&mut self, index: usize, operation: Operation) {
        self.slots[index].group.operations.push(operation);
    }

    /// The groups, as [`crate::model::Model::groups`] has them: without the client's own if
    /// it has no methods.
    pub(super) fn finish(self) -> Vec<Group> {
        let mut groups: Vec<Group> = self.slots.into_iter().map(|slot| slot.group).collect();
        if groups.first().is_some_and(|client| client.operations.is_empty()) {
            groups.remove(0);
            for group in &mut groups {
                group.parent = group.parent.map(|p| p - 1);
                group.children.iter_mut().for_each(|c| *c -= 1);
            }
        }
        groups
    }

    /// The index of the group at `path`, made (with the groups it is reached through) if new.
    fn group(&mut self, cx: &Context<'_>, path: &[String]) -> usize {
        if let Some(&index) = self.by_path.get(path) {
            return index;
        }
        let Some((wire_name, outer)) = path.split_last() else { return 0 };
        let parent = self.group(cx, outer);
        let accessor = self.slots[parent].methods.claim(wire_name);
        // A module named by a keyword would be `r#type` in code but `type.rs` on disk; `type_` is both.
        let module = accessor.strip_prefix("r#").map_or_else(|| accessor.clone(), |bare| format!("{bare}_"));
        let struct_name = self.structs.claim(&format!("{} Api", path.join(" ")));
        let tag = (outer.is_empty()).then(|| cx.document.tags.iter().find(|t| &t.name == wire_name)).flatten();
        let name = GroupName {
            wire_name: wire_name.clone(),
            description: tag.and_then(|t| t.description.clone()),
            accessor,
            struct_name: struct_name.clone(),
            module,
        };
        let index = self.slots.len();
        self.slots.push(Slot {
            group: Group {
                name: Some(name),
                parent: (parent != 0).then_some(parent),
                children: Vec::new(),
                feature: None,
                operations: Vec::new(),
            },
            methods: Scope::with_reserved(Case::Value, &["types"]),
            builders: builder_scope(Some(&struct_name)),
        });
        if parent != 0 {
            self.slots[parent].group.children.push(index);
        }
        self.by_path.insert(path.to_vec(), index);
        index
    }
}

/// Names of the types in one module: they may not take the names it imports, nor the name
/// of the group's struct, which lives in the same module.
fn builder_scope(group_struct: Option<&str>) -> Scope {
    let mut reserved = super::RESERVED_TYPE_NAMES.to_vec();
    reserved.extend(group_struct);
    Scope::with_reserved(Case::Type, &reserved)
}

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
    // In the group of its tag, an id that starts with the tag says it twice.
    let tag = first_tag.filter(|_| groups.is_none());
    let placement = Placement {
        groups: groups.unwrap_or_else(|| tag.map(str::to_owned).into_iter().collect()),
        method: method.unwrap_or_else(|| tag.map_or(operation_id, |tag| without_tag(operation_id, tag))).to_owned(),
        sdk_method: method.is_some(),
    };
    (placement, unreadable)
}

/// The `operationId` without the tag it starts with, when a separator (`/`, `.`, `_`, `-`)
/// follows the tag. GitHub writes `apps/list-webhook-deliveries` in the group `apps`, which
/// is `client.apps().list_webhook_deliveries()` as Octokit's `octokit.rest.apps.listWebhookDeliveries`;
/// ASP.NET's Swashbuckle and NSwag write `Users_GetById` in `Users`, which NSwag's own
/// clients call `UsersClient.GetByIdAsync`.
fn without_tag<'a>(operation_id: &'a str, tag: &str) -> &'a str {
    let starts_with_tag = operation_id.get(..tag.len()).is_some_and(|start| start.eq_ignore_ascii_case(tag));
    let rest = if starts_with_tag { operation_id[tag.len()..].strip_prefix(['/', '.', '_', '-']) } else { None };
    rest.filter(|rest| rest.chars().any(char::is_alphanumeric)).unwrap_or(operation_id)
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

    /// Each case: the first tag, the `operationId`, and the method's name in the tag's group.
    #[test]
    fn an_id_that_starts_with_its_tag_is_named_without_it() {
        let cases = [
            ("apps", "apps/list-webhook-deliveries", "list-webhook-deliveries"),
            ("Apps", "apps/get-authenticated", "get-authenticated"),
            ("pets", "pets.list", "list"),
            ("Users", "Users_GetById", "GetById"),
            ("users", "users-list", "list"),
            // Without a separator after the tag, the id is a name of its own.
            ("users", "usersList", "usersList"),
            ("repos", "reposition", "reposition"),
            ("apps", "apps/", "apps/"),
            ("apps", "billing/get-usage", "billing/get-usage"),
            ("größe", "größe/get", "get"),
            ("a", "ä/get", "ä/get"),
        ];
        for (tag, operation_id, method) in cases {
            let (placement, _) = placement(&IndexMap::new(), Some(tag), operation_id);
            assert_eq!(placement.method, method, "{tag} {operation_id}");
            assert_eq!(placement.groups, [tag]);
        }
        // With the groups from an extension the id is kept whole.
        let extensions: IndexMap<String, Value> =
            serde_json::from_value(json!({"x-fern-sdk-group-name": "apps"})).expect("a map");
        let (placement, _) = placement(&extensions, Some("apps"), "apps/list");
        assert_eq!(placement.method, "apps/list");
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
