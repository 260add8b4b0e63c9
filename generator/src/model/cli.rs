//! The model of the generated command-line tool: its subcommands, flags and global flags,
//! named by `resolve` so that emit only writes them. A part of [`super`] of its own because
//! the tool is a product of its own (behind the crate's `cli` feature).

use super::{TypeId, TypeRef};

/// The generated command-line tool's shape: subcommands nested as the client's groups are
/// (`auth0-mgmt guardian enrollments create-ticket`). Flag names are snake_case field names;
/// clap shows them in kebab-case (`user_id` is `--user-id`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cli {
    /// One flag per server variable, by index in `Model::server`; `domain` when there is one.
    pub server_flags: Vec<CliGlobal>,
    /// One flag per header default, by index in `Model::header_defaults`.
    pub header_flags: Vec<CliGlobal>,
    /// The subcommand of each group, by index in [`Model::groups`](super::Model::groups); `None` for the client's
    /// own methods, whose subcommands are the tool's own.
    pub groups: Vec<Option<CliGroup>>,
    pub commands: Vec<CliCommand>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CliGlobal {
    pub field: String,
    /// A shorter name also accepted, e.g. `custom-domain` for `--auth0-custom-domain`.
    pub alias: Option<CliAlias>,
}

/// Where a global flag's shorter name is accepted.
#[derive(Debug, Clone, PartialEq)]
pub enum CliAlias {
    /// Anywhere, as the global flag's own alias: `--domain` for `--tenant-domain`.
    Global(String),
    /// Before the subcommand only, as a flag of the tool's own command (this field of its
    /// `Cli` struct, the name in snake_case): some subcommand has a flag of that name (a
    /// custom domain's `--domain`), which clap refuses beside a global flag's alias, since a
    /// global flag is copied into every subcommand. A flag of the tool's own command is not.
    BeforeSubcommand(String),
}

/// A group's subcommand, whose own subcommands are its operations and groups.
#[derive(Debug, Clone, PartialEq)]
pub struct CliGroup {
    /// As typed, e.g. `enrollments` or `push-notification`.
    pub name: String,
    /// Its variant in the enum of the group it is reached from (or the tool's), e.g. `Enrollments`.
    pub variant: String,
    /// The enum of its subcommands, e.g. `GuardianEnrollmentsCommand`.
    pub enum_name: String,
    /// The function of `cli.rs` that runs its subcommands, e.g. `guardian_enrollments`.
    pub function: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CliCommand {
    /// Index of the group and of the operation in it.
    pub group: usize,
    pub operation: usize,
    /// The subcommand as typed, from the operation's method, e.g. `create-ticket`.
    pub name: String,
    /// Its variant in the enum of its group (or the tool's), e.g. `CreateTicket`.
    pub variant: String,
    /// The struct of its flags, e.g. `GuardianEnrollmentsCreateTicketArgs`.
    pub args_struct: String,
    /// The function of `cli.rs` that runs it, e.g. `guardian_enrollments_create_ticket`.
    pub function: String,
    pub flags: Vec<CliFlag>,
    /// The JSON body's struct, when the body can also be given field by field.
    pub body_fields_of: Option<TypeId>,
    /// For a list that spans pages: the flags that print every item instead of one answer.
    pub list_flags: Option<ListFlags>,
}

/// A list command's own flags (fields of its flags' struct, after the parameters' flags).
#[derive(Debug, Clone, PartialEq)]
pub struct ListFlags {
    /// `--all`: every item of every page, as one JSON array.
    pub all: String,
    /// `--jsonl`: with `--all`, one JSON object a line, printed as pages arrive.
    pub jsonl: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CliFlag {
    pub field: String,
    pub source: FlagSource,
    /// The flag must be given (or, for a body field, `--body`).
    pub required: bool,
    /// The value is given as JSON (a type with no text form, e.g. an object); text that is
    /// not JSON is taken as a JSON string.
    pub json: bool,
    /// For an enum (or a list of them), clap lists its values in `--help` and refuses others.
    pub ty: TypeRef,
    pub doc: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagSource {
    /// A parameter of the operation, by index.
    Param(usize),
    /// A field of the JSON body's struct, by index.
    BodyField(usize),
}
