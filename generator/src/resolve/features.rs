//! Which Cargo features compile what: each top-level group is a feature, so that a program
//! using a few groups of a large API compiles only those groups and the types they use.
//!
//! A type is compiled when a feature whose operations use it is on, directly or through the
//! types that hold it. The client's own methods are always compiled, and so are the types
//! they use. The types no operation uses (schemas the spec shares, or parts of others) have a
//! feature of their own, `unused-schemas`, off by default (no operation and not the
//! command-line tool needs them; docs.rs, which builds every feature, documents them): in
//! Auth0's Management API they are 695 of 2,399 types, and compiling them took a one-group
//! build from 5 to 43 seconds.
//! A crate with fewer than two top-level groups has no features of these kinds: one group
//! feature would only leave out the client's own methods, if any.

use crate::model::{Compiled, Group, TypeDef, TypeId, TypeRef};
use crate::names::{Case, Scope};

use super::finish::{members, operation_types};

/// The features the generated manifest already has: a group may not take their names.
const RESERVED_FEATURES: &[&str] = &["cli", "default", "rustls", "native-tls"];

/// Names a feature for each top-level group (when there are two or more) and marks each type
/// with the features that compile it. Returns the feature of the types no operation uses, if
/// there are group features and such types. `types` are final: every id in `groups` is one.
pub(super) fn assign_features(groups: &mut [Group], types: &mut [TypeDef]) -> Option<String> {
    let top_level: Vec<usize> =
        groups.iter().enumerate().filter(|(_, g)| g.name.is_some() && g.parent.is_none()).map(|(i, _)| i).collect();
    if top_level.len() < 2 {
        return None;
    }
    let mut names = Scope::with_reserved(Case::Feature, RESERVED_FEATURES);
    let mut features = Vec::new();
    for &index in &top_level {
        let group = &mut groups[index];
        let feature = names.claim(group.name.as_ref().map_or("", |name| name.wire_name.as_str()));
        group.feature = Some(feature.clone());
        features.push(feature);
    }
    let mut users = Users::new(types);
    for index in 0..groups.len() {
        // The feature of the top-level group it is in; `None`: the client's own methods.
        let feature = top_level.iter().position(|&top| top == outermost(groups, index));
        for op in &mut groups[index].operations {
            for ty in operation_types(op) {
                users.mark(ty, feature);
            }
        }
    }
    let unused: Vec<usize> =
        (0..types.len()).filter(|&index| !users.always[index] && users.features[index].is_empty()).collect();
    let unused_feature = (!unused.is_empty()).then(|| names.claim("unused schemas"));
    if let Some(feature) = &unused_feature {
        for index in unused {
            users.mark(&TypeRef::Named(TypeId::new(index)), Some(features.len()));
        }
        features.push(feature.clone());
    }
    let Users { always, features: used_by, .. } = users;
    for ((def, always), used_by) in types.iter_mut().zip(always).zip(used_by) {
        def.compiled = if always {
            Compiled::Always
        } else {
            Compiled::WithAnyOf(used_by.iter().map(|&f| features[f].clone()).collect())
        };
    }
    unused_feature
}

/// The top-level group that group `index` is reached through (itself, if it is one).
fn outermost(groups: &[Group], index: usize) -> usize {
    let mut current = index;
    // A chain of parents is never longer than the list of groups.
    for _ in 0..groups.len() {
        match groups.get(current).and_then(|group| group.parent) {
            Some(parent) => current = parent,
            None => break,
        }
    }
    current
}

/// What uses each type, by id: whether something always compiled does, and the features
/// (by index among the top-level groups, ascending) whose operations do.
struct Users<'t> {
    types: &'t [TypeDef],
    always: Vec<bool>,
    features: Vec<Vec<usize>>,
}

impl<'t> Users<'t> {
    fn new(types: &'t [TypeDef]) -> Self {
        Self { types, always: vec![false; types.len()], features: vec![Vec::new(); types.len()] }
    }

    /// Marks the types `ty` names, and the types they hold, as used by `feature` (`None`:
    /// by something always compiled).
    fn mark(&mut self, ty: &TypeRef, feature: Option<usize>) {
        let mut pending = Vec::new();
        named_types(ty, &mut pending);
        while let Some(id) = pending.pop() {
            let index = id.index();
            let newly = match feature {
                None => !std::mem::replace(&mut self.always[index], true),
                Some(feature) => match self.features[index].binary_search(&feature) {
                    Ok(_) => false,
                    Err(at) => {
                        self.features[index].insert(at, feature);
                        true
                    }
                },
            };
            if newly {
                for (member, _) in members(&self.types[index]) {
                    named_types(member, &mut pending);
                }
            }
        }
    }
}

/// The named types in `ty`, at any depth (the items of a list, the values of a map).
fn named_types(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => named_types(inner, out),
        TypeRef::Tuple(items) => items.iter().for_each(|item| named_types(item, out)),
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

#[cfg(test)]
mod tests {
    use crate::model::{Compiled, Model};

    fn model(spec: &str) -> Model {
        crate::model(crate::Spec::new("features.yaml", spec)).expect("a model").0
    }

    fn compiled<'m>(model: &'m Model, name: &str) -> &'m Compiled {
        &model.types.iter().find(|def| def.name == name).expect("the type").compiled
    }

    fn with(features: &[&str]) -> Compiled {
        Compiled::WithAnyOf(features.iter().map(|f| (*f).to_owned()).collect())
    }

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Features, version: "1"}
paths:
  /users:
    post:
      tags: [users]
      operationId: createUser
      requestBody: {required: true, content: {application/json: {schema: {$ref: "#/components/schemas/User"}}}}
      responses: {"204": {description: Created.}}
  /logs:
    get:
      x-operation-group: [logs, recent]
      x-operation-name: list
      responses: {"200": {description: The log., content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Entry"}}}}}}
  /defaults:
    get:
      tags: [default]
      operationId: getDefaults
      responses: {"204": {description: Found.}}
  /stats:
    get:
      operationId: getStats
      responses: {"200": {description: The stats., content: {application/json: {schema: {$ref: "#/components/schemas/Stats"}}}}}
components:
  schemas:
    User: {type: object, properties: {role: {$ref: "#/components/schemas/Role"}, home: {$ref: "#/components/schemas/Address"}}}
    Entry: {type: object, properties: {role: {$ref: "#/components/schemas/Role"}}}
    Role: {type: string, enum: [admin, member]}
    Address: {type: object, properties: {city: {type: string}}}
    Stats: {type: object, properties: {users: {$ref: "#/components/schemas/Count"}}}
    Count: {type: object, properties: {total: {type: integer}}}
    Unused: {type: object, properties: {home: {$ref: "#/components/schemas/Address"}}}
"##;

    #[test]
    fn groups_named_like_the_tls_features_take_other_names() {
        let model = model(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a: {get: {tags: [rustls], operationId: a, responses: {"204": {description: ok}}}}
  /b: {get: {tags: [native_tls], operationId: b, responses: {"204": {description: ok}}}}
"#,
        );
        let features: Vec<&str> = model.group_features().map(|(_, feature)| feature).collect();
        assert_eq!(features, ["rustls-2", "native-tls-2"]);
    }

    #[test]
    fn each_top_level_group_is_a_feature_named_in_kebab_case_apart_from_the_manifests_own() {
        let model = model(SPEC);
        let features: Vec<&str> = model.group_features().map(|(_, feature)| feature).collect();
        assert_eq!(features, ["users", "logs", "default-2"]);
        // A nested group is compiled with its top-level group's module: no feature of its own.
        assert!(model.groups.iter().filter(|g| g.parent.is_some()).all(|g| g.feature.is_none()));
    }

    #[test]
    fn a_type_is_compiled_with_the_features_that_use_it_directly_or_through_other_types() {
        let model = model(SPEC);
        assert_eq!(compiled(&model, "User"), &with(&["users"]));
        assert_eq!(compiled(&model, "Entry"), &with(&["logs"]));
        assert_eq!(compiled(&model, "Role"), &with(&["users", "logs"]));
        // The client's own operation, and what it holds.
        assert_eq!(compiled(&model, "Stats"), &Compiled::Always);
        assert_eq!(compiled(&model, "Count"), &Compiled::Always);
        // Used by no operation, and what it holds, which `users` uses too.
        assert_eq!(model.unused_types_feature.as_deref(), Some("unused-schemas"));
        assert_eq!(compiled(&model, "Unused"), &with(&["unused-schemas"]));
        assert_eq!(compiled(&model, "Address"), &with(&["users", "unused-schemas"]));
    }

    #[test]
    fn a_crate_with_one_top_level_group_has_no_group_features() {
        let spec = SPEC.replace("x-operation-group: [logs, recent]", "x-operation-group: [users, recent]");
        let spec = spec.replace("tags: [default]", "tags: [users]");
        let model = model(&spec);
        assert_eq!(model.group_features().count(), 0);
        assert_eq!(model.unused_types_feature, None);
        assert!(model.types.iter().all(|def| def.compiled == Compiled::Always));
    }
}
