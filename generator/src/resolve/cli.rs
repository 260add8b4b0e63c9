//! The command-line tool's names: a subcommand per operation, a flag per scalar parameter
//! and body field, and global flags (server, credentials, header defaults) that no
//! subcommand flag may take.

use crate::model::{
    BodyKind, Cli, CliCommand, CliFlag, CliGlobal, FlagSource, Group, HeaderDefault, ParamLocation, Server, TypeDef,
    TypeKind, TypeRef,
};
use crate::names::{Case, Scope};

/// Flags every generated tool has (see the runtime's `cli.rs`), as snake_case fields.
const FIXED_GLOBALS: &[&str] =
    &["allow_http", "base_url", "body", "help", "max_retries", "timeout", "token", "version"];

pub(super) fn cli(
    server: Option<&Server>,
    header_defaults: &[HeaderDefault],
    groups: &[Group],
    types: &[TypeDef],
) -> Cli {
    // `command` and `globals` are fields of the tool's `Cli` struct too (not flags).
    let reserved: Vec<&str> = FIXED_GLOBALS.iter().copied().chain(["command", "globals"]).collect();
    let mut globals = Scope::with_reserved(Case::Value, &reserved);
    let variables = server.map_or(&[][..], |s| s.variables.as_slice());
    let mut server_flags: Vec<CliGlobal> = variables
        .iter()
        .map(|variable| {
            let field = globals.claim(&variable.wire_name);
            let alias = (variables.len() == 1 && !globals.is_taken("domain")).then(|| "domain".to_owned());
            CliGlobal { field, alias }
        })
        .collect();
    let mut header_flags: Vec<CliGlobal> = header_defaults
        .iter()
        .map(|default| {
            let field = globals.claim(&default.wire_name);
            // `auth0-custom-domain` is also `--custom-domain`.
            let words: Vec<&str> = default.wire_name.split('-').collect();
            let alias = (words.len() >= 3).then(|| words[1..].join("-").to_ascii_lowercase());
            let alias = alias.filter(|a| !globals.is_taken(&a.replace('-', "_")));
            CliGlobal { field, alias }
        })
        .collect();
    let taken: Vec<String> = FIXED_GLOBALS
        .iter()
        .map(|s| (*s).to_owned())
        .chain(server_flags.iter().chain(&header_flags).map(|g| g.field.clone()))
        .collect();
    let taken: Vec<&str> = taken.iter().map(String::as_str).collect();

    let mut variants = Scope::new(Case::Type);
    let mut structs = Scope::new(Case::Type);
    // The functions of `cli.rs`: one per command, beside what the module defines or imports.
    let mut functions = Scope::with_reserved(Case::Value, &["run", "usage", "finish", "main"]);
    let mut commands = Vec::new();
    for (group_index, group) in groups.iter().enumerate() {
        for (operation_index, op) in group.operations.iter().enumerate() {
            let mut fields = Scope::with_reserved(Case::Value, &taken);
            let mut flags = Vec::new();
            for (index, param) in op.params.iter().enumerate() {
                // A header named like a header default is set by the global flag of that name
                // (clap refuses two flags of one name), whatever its type.
                let has_global = param.location == ParamLocation::Header
                    && header_defaults.iter().any(|d| d.wire_name.eq_ignore_ascii_case(&param.wire_name));
                if has_global || !is_flag_type(&param.ty, types, true) {
                    continue;
                }
                flags.push(CliFlag {
                    field: fields.claim(&param.wire_name),
                    source: FlagSource::Param(index),
                    required: param.required,
                    ty: param.ty.clone(),
                    doc: param
                        .doc
                        .description
                        .clone()
                        .unwrap_or_else(|| format!("The `{}` parameter.", param.wire_name)),
                });
            }
            let mut body_fields_of = None;
            // A required JSON object body can also be given field by field.
            let required_body = op.body.as_ref().filter(|b| b.required);
            if let Some(
                BodyKind::Json(TypeRef::Named(id))
                | BodyKind::Form(TypeRef::Named(id))
                | BodyKind::Multipart(TypeRef::Named(id)),
            ) = required_body.map(|b| &b.kind)
            {
                if let Some(TypeKind::Struct(s)) = types.get(id.index()).map(|d| &d.kind) {
                    body_fields_of = Some(*id);
                    for (index, field) in s.fields.iter().enumerate() {
                        if !is_flag_type(&field.ty, types, false) || field.boxed {
                            continue;
                        }
                        flags.push(CliFlag {
                            field: fields.claim(&field.wire_name),
                            source: FlagSource::BodyField(index),
                            required: field.required && !field.nullable,
                            ty: field.ty.clone(),
                            doc: field
                                .doc
                                .description
                                .clone()
                                .unwrap_or_else(|| format!("The `{}` field.", field.wire_name)),
                        });
                    }
                }
            }
            commands.push(CliCommand {
                group: group_index,
                operation: operation_index,
                variant: variants.claim(&op.operation_id),
                function: functions.claim(&op.operation_id),
                args_struct: structs.claim(&format!("{} Args", op.operation_id)),
                flags,
                body_fields_of,
            });
        }
    }
    // A global flag's short alias (`--domain`) gives way to a subcommand's flag of that name
    // (My Organization's `--domain` of a domain): clap refuses two flags with one name.
    let flag_names: Vec<&str> =
        commands.iter().flat_map(|c| &c.flags).map(|f| f.field.trim_start_matches("r#")).collect();
    for global in server_flags.iter_mut().chain(header_flags.iter_mut()) {
        if global.alias.as_ref().is_some_and(|alias| flag_names.contains(&alias.replace('-', "_").as_str())) {
            global.alias = None;
        }
    }
    Cli { server_flags, header_flags, commands }
}

/// Types a flag can carry: scalars and enums, and for parameters lists of them (a repeated flag).
fn is_flag_type(ty: &TypeRef, types: &[TypeDef], lists: bool) -> bool {
    match ty {
        TypeRef::String | TypeRef::Bool | TypeRef::Integer(_) | TypeRef::Float(_) => true,
        TypeRef::Named(_) => !enum_values(ty, types).is_empty(),
        TypeRef::Vec(item) => lists && !matches!(**item, TypeRef::Vec(_)) && is_flag_type(item, types, false),
        TypeRef::Map(_) | TypeRef::Tuple(_) | TypeRef::Json | TypeRef::File => false,
    }
}

fn enum_values(ty: &TypeRef, types: &[TypeDef]) -> Vec<String> {
    let ty = match ty {
        TypeRef::Vec(item) => item,
        other => other,
    };
    let TypeRef::Named(id) = ty else { return Vec::new() };
    match types.get(id.index()).map(|d| &d.kind) {
        Some(TypeKind::Enum { variants, .. }) => variants.iter().map(|v| v.wire_name.clone()).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::{model, Spec};

    /// The server's `--domain` alias, with an operation whose body has a `domain` field or not.
    fn domain_alias(field: &str) -> Option<String> {
        let spec = format!(
            r#"
openapi: 3.0.3
info: {{title: Aliases, version: "1"}}
servers: [{{url: "https://{{tenantDomain}}/api", variables: {{tenantDomain: {{default: example.com}}}}}}]
paths:
  /domains:
    post:
      operationId: createDomain
      requestBody:
        required: true
        content:
          application/json:
            schema: {{type: object, required: [{field}], properties: {{{field}: {{type: string}}}}}}
      responses:
        "201": {{description: Created.}}
"#
        );
        let (model, _) = model(Spec::new("aliases.yaml", &spec)).expect("a model");
        assert!(model.cli.commands[0].flags.iter().any(|f| f.field == field));
        model.cli.server_flags[0].alias.clone()
    }

    #[test]
    fn a_global_alias_gives_way_to_a_subcommand_flag_of_its_name() {
        assert_eq!(domain_alias("name").as_deref(), Some("domain"));
        assert_eq!(domain_alias("domain"), None);
    }
}
