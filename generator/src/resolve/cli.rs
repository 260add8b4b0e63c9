//! The command-line tool's names: a subcommand per operation, a flag per scalar parameter
//! and body field, and global flags (server, credentials, header defaults) that no
//! subcommand flag may take.

use std::collections::HashMap;

use crate::model::{
    BodyKind, Cli, CliAlias, CliCommand, CliFlag, CliGlobal, CliGroup, Field, FlagSource, Group, HeaderDefault,
    ListFlags, ParamLocation, Server, TypeDef, TypeKind, TypeRef,
};
use crate::names::{Case, Scope};

/// Flags every generated tool has (see the runtime's `cli.rs`), as snake_case fields.
const FIXED_GLOBALS: &[&str] =
    &["allow_http", "base_url", "body", "help", "max_retries", "timeout", "token", "version"];

/// The names the functions of commands and groups may not take: the tool module's other
/// functions, and the locals of `run` and of a group's dispatch, which call them
/// (`Command::Cli(args) => cli(&client, ...)` beside `let cli = ...`).
const COMMAND_FUNCTIONS_TAKEN: &[&str] = &[
    "run",
    "usage",
    "finish",
    "main",
    "json_flag",
    "cli",
    "client",
    "server_url",
    "header_defaults",
    "env",
    "args",
    "out",
    "err",
    "command",
];

/// The names a command's function (`emit/cli.rs`) gives its parameters and locals, and
/// the functions of the tool's module it calls (a local of that name would shadow it).
const COMMAND_LOCALS: &[&str] = &["args", "call", "client", "err", "out", "usage", "finish", "json_flag"];

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
            let alias =
                (variables.len() == 1 && !globals.is_taken("domain")).then(|| CliAlias::Global("domain".into()));
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
            let alias = alias.filter(|a| !globals.is_taken(&a.replace('-', "_"))).map(CliAlias::Global);
            CliGlobal { field, alias }
        })
        .collect();
    // A command's function binds each required flag to a local of the flag's name, beside
    // its own parameters and its call: a flag takes none of their names.
    let taken: Vec<String> = FIXED_GLOBALS
        .iter()
        .chain(COMMAND_LOCALS)
        .map(|s| (*s).to_owned())
        .chain(server_flags.iter().chain(&header_flags).map(|g| g.field.clone()))
        .collect();
    let taken: Vec<&str> = taken.iter().map(String::as_str).collect();

    let mut names = CliNames::new(groups);
    let mut commands = Vec::new();
    for (group_index, group) in groups.iter().enumerate() {
        for (operation_index, op) in group.operations.iter().enumerate() {
            let (name, variant) = names.subcommand(CliNames::enum_of_operations(groups, group_index), &op.method_name);
            let path = names.path(group_index, &op.method_name);
            let mut fields = Scope::with_reserved(Case::Value, &taken);
            let mut flags = Vec::new();
            for (index, param) in op.params.iter().enumerate() {
                // A header named like a header default is set by the global flag of that name
                // (clap refuses two flags of one name), whatever its type.
                let has_global = param.location == ParamLocation::Header
                    && header_defaults.iter().any(|d| d.wire_name.eq_ignore_ascii_case(&param.wire_name));
                // A file has no form on the command line; any other value without a text form
                // is given as JSON (`--filter '{"author": "jane"}'`).
                if has_global || param.ty == TypeRef::File {
                    continue;
                }
                flags.push(CliFlag {
                    field: fields.claim(&param.wire_name),
                    source: FlagSource::Param(index),
                    required: param.required,
                    json: !is_flag_type(&param.ty, types, true),
                    ty: param.ty.clone(),
                    doc: param
                        .doc
                        .description
                        .clone()
                        .unwrap_or_else(|| format!("The `{}` parameter.", param.wire_name)),
                });
            }
            let mut body_fields_of = None;
            // A JSON object body can also be given field by field.
            if let Some(
                BodyKind::Json(TypeRef::Named(id))
                | BodyKind::Form(TypeRef::Named(id))
                | BodyKind::Multipart(TypeRef::Named(id)),
            ) = op.body.as_ref().map(|b| &b.kind)
            {
                let body_required = op.body.as_ref().is_some_and(|b| b.required);
                // Only when every required field has a flag: else the body comes from --body alone.
                let struct_fields = match types.get(id.index()).map(|d| &d.kind) {
                    Some(TypeKind::Struct(s)) => Some(&s.fields),
                    _ => None,
                };
                let flaggable = |field: &Field| is_flag_type(&field.ty, types, false) && !field.boxed;
                if let Some(struct_fields) = struct_fields.filter(|f| f.iter().all(|f| !f.required || flaggable(f))) {
                    body_fields_of = Some(*id);
                    for (index, field) in struct_fields.iter().enumerate() {
                        if !flaggable(field) {
                            continue;
                        }
                        flags.push(CliFlag {
                            field: fields.claim(&field.wire_name),
                            source: FlagSource::BodyField(index),
                            // Without a body, an optional one is not sent: its fields are
                            // required only once one of them is given (checked when run).
                            required: body_required && field.required && !field.nullable,
                            json: false,
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
            // Claimed after the parameters' flags, which keep the API's names.
            let list_flags =
                op.paging.as_ref().map(|_| ListFlags { all: fields.claim("all"), jsonl: fields.claim("jsonl") });
            commands.push(CliCommand {
                group: group_index,
                operation: operation_index,
                name,
                variant,
                function: names.functions.claim(&path),
                args_struct: names.structs.claim(&format!("{path} Args")),
                flags,
                body_fields_of,
                list_flags,
            });
        }
    }
    // A global flag's alias (`--domain`) that a subcommand also has as a flag (a custom
    // domain's `--domain`) is a flag of the tool's own command instead: clap refuses two flags
    // of one name in a command, and a global flag, aliases included, is copied into every
    // subcommand. The tool then reads `--domain TENANT custom-domains create --domain NAME`.
    let flag_names: Vec<&str> =
        commands.iter().flat_map(|c| &c.flags).map(|f| f.field.trim_start_matches("r#")).collect();
    for global in server_flags.iter_mut().chain(header_flags.iter_mut()) {
        let Some(CliAlias::Global(alias)) = &global.alias else { continue };
        let field = alias.replace('-', "_");
        if flag_names.contains(&field.as_str()) {
            // Its own field in the tool's `Cli` struct, if the name is free there.
            global.alias = (!globals.is_taken(&field)).then(|| CliAlias::BeforeSubcommand(globals.claim(&field)));
        }
    }
    Cli { server_flags, header_flags, groups: names.groups, commands }
}

/// The names of the tool's subcommands and of what `cli.rs` defines for them. A subcommand
/// is named after its group's or its operation's name in the client (`enrollments`,
/// `create-ticket`), unique among the subcommands of its enum: one enum per group, and the
/// tool's own for the client's methods and its groups.
struct CliNames {
    /// The subcommands' names (snake_case, shown in kebab-case) and variants of each enum:
    /// a group's by its index, the tool's own at `None`.
    enums: HashMap<Option<usize>, (Scope, Scope)>,
    groups: Vec<Option<CliGroup>>,
    /// Paths of groups as words (`guardian enrollments`), of which the other names are made.
    paths: Vec<String>,
    /// The structs and enums of `cli.rs`.
    structs: Scope,
    /// The functions of `cli.rs`: one per command and per group, beside what the module
    /// defines or imports.
    functions: Scope,
}

impl CliNames {
    /// Names every group's subcommand, in the order of the groups (a group after the one it
    /// is reached from).
    fn new(groups: &[Group]) -> Self {
        let mut names = CliNames {
            enums: HashMap::new(),
            groups: Vec::new(),
            paths: Vec::new(),
            structs: Scope::with_reserved(Case::Type, &["Cli", "Command", "Globals"]),
            functions: Scope::with_reserved(Case::Value, COMMAND_FUNCTIONS_TAKEN),
        };
        for group in groups {
            let Some(group_name) = &group.name else {
                names.groups.push(None);
                names.paths.push(String::new());
                continue;
            };
            let outer = group.parent.and_then(|p| names.paths.get(p)).map_or("", String::as_str);
            let path = format!("{outer} {}", group_name.accessor.trim_start_matches("r#")).trim().to_owned();
            let (name, variant) = names.subcommand(group.parent, &group_name.accessor);
            names.groups.push(Some(CliGroup {
                name,
                variant,
                enum_name: names.structs.claim(&format!("{path} Command")),
                function: names.functions.claim(&path),
            }));
            names.paths.push(path);
        }
        names
    }

    /// The enum in which the operations of group `index` are subcommands: the group's own, or
    /// the tool's for the client's methods.
    fn enum_of_operations(groups: &[Group], index: usize) -> Option<usize> {
        groups.get(index).and_then(|g| g.name.as_ref()).map(|_| index)
    }

    /// A subcommand's name (kebab-case) and variant in enum `of`, from the client's name for
    /// it (`create_ticket`): unique there, and never clap's own `help`.
    fn subcommand(&mut self, of: Option<usize>, client_name: &str) -> (String, String) {
        let (names, variants) = self
            .enums
            .entry(of)
            .or_insert_with(|| (Scope::with_reserved(Case::Value, &["help"]), Scope::new(Case::Type)));
        // A keyword is `r#type` or `self_` in Rust, and `type` or `self` on the command line.
        let claimed = names.claim(client_name.trim_start_matches("r#"));
        let bare = claimed.trim_start_matches("r#");
        let name = bare.strip_suffix('_').unwrap_or(bare).replace('_', "-");
        let variant = variants.claim(&name);
        (name, variant)
    }

    /// The words naming an operation of group `index` in `cli.rs`: `guardian enrollments create_ticket`.
    fn path(&self, index: usize, method_name: &str) -> String {
        let outer = self.paths.get(index).map_or("", String::as_str);
        format!("{outer} {}", method_name.trim_start_matches("r#")).trim().to_owned()
    }
}

/// Types a flag can carry: scalars and enums, and for parameters lists of them (a repeated flag).
fn is_flag_type(ty: &TypeRef, types: &[TypeDef], lists: bool) -> bool {
    match ty {
        TypeRef::String | TypeRef::Bool | TypeRef::Integer(_) | TypeRef::Float(_) | TypeRef::Formatted(_) => true,
        TypeRef::Named(_) => !enum_values(ty, types).is_empty(),
        TypeRef::Vec(item) => lists && !matches!(**item, TypeRef::Vec(_)) && is_flag_type(item, types, false),
        // `null` has no form on the command line: such a list is given as JSON.
        // A replaced schema's type is read from JSON, as its `Deserialize` says.
        TypeRef::Map(_)
        | TypeRef::Tuple(_)
        | TypeRef::Nullable(_)
        | TypeRef::Json
        | TypeRef::File
        | TypeRef::Replaced(_) => false,
    }
}

fn enum_values(ty: &TypeRef, types: &[TypeDef]) -> Vec<String> {
    let ty = match ty {
        TypeRef::Vec(item) => item,
        other => other,
    };
    let TypeRef::Named(id) = ty else { return Vec::new() };
    match types.get(id.index()).map(|d| &d.kind) {
        // An integer enum is taken as JSON (`--level 2`), which its `Deserialize` reads.
        Some(TypeKind::Enum { variants, integer: false, .. }) => variants.iter().map(|v| v.wire_name.clone()).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::model::CliAlias;
    use crate::{model, Spec};

    /// The server's `--domain` alias, with an operation whose body has a `domain` field or not.
    fn domain_alias(field: &str) -> Option<CliAlias> {
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

    /// Auth0's bodies are all optional, some path parameters are objects or unions.
    const TREE: &str = r#"
openapi: 3.0.3
info: {title: Tree, version: "1"}
paths:
  /guardian/enrollments/ticket:
    post:
      operationId: post_ticket
      x-operation-group: [guardian, enrollments]
      x-operation-name: createTicket
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [user_id]
              properties: {user_id: {type: string}, email: {type: string}, extra: {type: object}}
      responses: {"204": {description: Done.}}
  /repos/{repo}:
    get:
      operationId: help
      parameters:
        - {name: repo, in: path, required: true, schema: {oneOf: [{type: integer}, {type: string}]}}
      responses: {"204": {description: Done.}}
  /notes:
    post:
      operationId: post_note
      tags: [notes]
      requestBody:
        content:
          application/json:
            schema: {type: object, required: [meta], properties: {meta: {type: object}, title: {type: string}}}
      responses: {"204": {description: Done.}}
"#;

    #[test]
    fn subcommands_follow_the_groups_and_every_parameter_and_body_field_is_a_flag() {
        let (model, _) = model(Spec::new("tree.yaml", TREE)).expect("a model");
        let words: Vec<Vec<&str>> = model.cli.commands.iter().map(|c| model.cli_words(c)).collect();
        // `help` is clap's own subcommand.
        assert_eq!(
            words,
            [vec!["help-2"], vec!["guardian", "enrollments", "create-ticket"], vec!["notes", "post-note"]]
        );
        let flags = |index: usize| -> Vec<(&str, bool, bool)> {
            model.cli.commands[index].flags.iter().map(|f| (f.field.as_str(), f.required, f.json)).collect()
        };
        // A parameter with no text form is given as JSON.
        assert_eq!(flags(0), [("repo", true, true)]);
        // An optional body's fields are flags, required only once one of them is given.
        assert_eq!(flags(1), [("user_id", false, false), ("email", false, false)]);
        // A body whose required field has no flag comes from --body alone.
        assert_eq!(flags(2), []);
        assert_eq!(model.cli.commands[2].body_fields_of, None);
        let enrollments = model.cli.groups.iter().flatten().find(|g| g.name == "enrollments").expect("a group");
        assert_eq!(
            (enrollments.enum_name.as_str(), enrollments.function.as_str()),
            ("GuardianEnrollmentsCommand", "guardian_enrollments")
        );
        assert_eq!(model.cli.commands[1].args_struct, "GuardianEnrollmentsCreateTicketArgs");
    }

    #[test]
    fn a_global_alias_that_a_subcommand_has_as_a_flag_is_a_flag_before_the_subcommand() {
        assert_eq!(domain_alias("name"), Some(CliAlias::Global("domain".into())));
        assert_eq!(domain_alias("domain"), Some(CliAlias::BeforeSubcommand("domain".into())));
    }
}
