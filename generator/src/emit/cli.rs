//! `src/cli.rs` and `src/bin/<tool>.rs`: the command-line tool, a subcommand per operation,
//! behind the crate's `cli` feature. The shared parts (global flags, printing, exit codes)
//! are in the runtime's `cli.rs`; this writes only what depends on the spec.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, inner_doc_attrs};
use super::{ident, Content, Emitter, File, Place};
use crate::model::{
    BodyKind, CliAlias, CliCommand, CliFlag, CliGlobal, CliGroup, FlagSource, Operation, SchemeKind, TypeId, TypeKind,
    TypeRef,
};
use crate::Config;

/// The head of `src/cli.rs` (see [`cli_rs_head`]), and the tool's `main`.
pub(super) fn files(cx: &Emitter<'_>, config: &Config) -> Vec<File> {
    let binary = config.cli_binary();
    vec![
        File { path: "src/cli.rs".into(), content: Content::RustPart(cli_rs_head(cx, config, &binary)) },
        File { path: format!("src/bin/{binary}.rs"), content: Content::Rust(bin_rs(config, &binary)) },
    ]
}

/// A part of `src/cli.rs` after its head: for each command of `commands` (indexes of the
/// model's commands), its flags and the function that runs it.
pub(super) fn commands(cx: &Emitter<'_>, commands: std::ops::Range<usize>) -> TokenStream {
    let commands = cx.model.cli.commands.get(commands).unwrap_or_default();
    commands.iter().flat_map(|command| [args_struct(cx, command), command_fn(cx, command)]).collect()
}

fn bin_rs(config: &Config, binary: &str) -> TokenStream {
    let krate = ident(&config.crate_name.replace('-', "_"));
    let doc = inner_doc_attrs(&format!(
        "The `{binary}` command-line tool: `cargo run --features cli --bin {binary} -- --help`."
    ));
    quote! {
        #doc

        #[tokio::main]
        async fn main() -> std::process::ExitCode {
            let env = |name: &str| std::env::var(name).ok();
            let code = #krate::cli::run(std::env::args_os(), &env, &mut std::io::stdout(), &mut std::io::stderr()).await;
            std::process::ExitCode::from(code)
        }
    }
}

/// `src/cli.rs` up to its commands: the tool's global flags, its subcommand enums, and `run`,
/// which parses the arguments and runs the command's function ([`commands`]).
fn cli_rs_head(cx: &Emitter<'_>, config: &Config, binary: &str) -> TokenStream {
    let model = cx.model;
    let cli = &model.cli;
    let env_prefix = config.cli_env_prefix();
    let module_doc = inner_doc_attrs(&format!(
        "The `{binary}` command-line tool: every operation of the API as a subcommand, in the \
         groups the client has.\n\n\
         Built with the `cli` feature: `cargo run --features cli --bin {binary} -- --help`."
    ));
    let about = format!("A command-line client for the {}: every operation as a subcommand.", model.title.trim());
    let mut keys = Vec::new();
    let mut key_help = String::new();
    for scheme in &model.security_schemes {
        let name = &scheme.name;
        match &scheme.kind {
            SchemeKind::Bearer { .. } => {}
            SchemeKind::ApiKey { env, .. } => {
                keys.push(quote!(crate::runtime::cli::Key::ApiKey(#name, #env)));
                key_help.push_str(&format!(" The API key `{name}`: {env_prefix}_{env}."));
            }
            SchemeKind::Basic { env, .. } => {
                keys.push(quote!(crate::runtime::cli::Key::Basic(#name, #env)));
                key_help.push_str(&format!(
                    " The username and password `{name}`: {env_prefix}_{env}_USERNAME and {env_prefix}_{env}_PASSWORD."
                ));
            }
        }
    }
    let after_help = format!(
        "Credentials: --token, else the environment variable {env_prefix}_TOKEN, else {env_prefix}_CLIENT_ID and \
         {env_prefix}_CLIENT_SECRET (client credentials).{key_help}\n\
         Output: the answer's JSON on stdout. Exit codes: 0 success; 1 the API or the network failed; \
         2 a wrong command (nothing was sent)."
    );

    // Global flags: the server's variables and the header defaults.
    let variables = model.server.as_ref().map_or(&[][..], |s| s.variables.as_slice());
    let mut global_fields = Vec::new();
    for (flag, variable) in cli.server_flags.iter().zip(variables) {
        let doc = format!(
            "{} (the server URL's `{}`).",
            variable.description.as_deref().map(str::trim).unwrap_or("The server"),
            variable.wire_name
        );
        global_fields.push(global_flag_fields(flag, &doc));
    }
    for (flag, default) in cli.header_flags.iter().zip(&model.header_defaults) {
        let doc = format!(
            "`{}` for the operations that take it: {}",
            default.wire_name,
            default.doc.description.as_deref().unwrap_or("a header parameter.")
        );
        global_fields.push(global_flag_fields(flag, &doc));
    }
    let server_url = match (model.server.as_ref(), cli.server_flags.as_slice()) {
        (None, _) => quote!(None),
        (Some(_), []) => quote!(Some(crate::Client::server_url())),
        (Some(_), [flag]) => {
            let field = ident(&flag.field);
            match &flag.alias {
                Some(CliAlias::BeforeSubcommand(own)) => {
                    let own = ident(own);
                    quote!(cli.#field.as_deref().or(cli.#own.as_deref()).map(crate::Client::server_url))
                }
                _ => quote!(cli.#field.as_deref().map(crate::Client::server_url)),
            }
        }
        (Some(_), flags) => {
            let fields: Vec<_> = flags.iter().map(|f| ident(&f.field)).collect();
            quote! {
                match (#(&cli.#fields,)*) {
                    (#(Some(#fields),)*) => Some(crate::Client::server_url(#(#fields),*)),
                    _ => None,
                }
            }
        }
    };
    let header_defaults = cli.header_flags.iter().zip(&model.header_defaults).map(|(flag, default)| {
        let field = ident(&flag.field);
        let wire = &default.wire_name;
        match &flag.alias {
            Some(CliAlias::BeforeSubcommand(own)) => {
                let own = ident(own);
                quote!((#wire, cli.#field.clone().or_else(|| cli.#own.clone())))
            }
            _ => quote!((#wire, cli.#field.clone())),
        }
    });

    let top_level = enum_variants(cx, None);
    let enums: TokenStream = (0..cli.groups.len()).map(|index| group_enum(cx, index)).collect();
    let dispatch = dispatch(cx, None, &quote!(Command), &quote!(cli.command), &quote!(&client));
    let json_flag = cli.commands.iter().flat_map(|c| &c.flags).any(|f| f.json).then(json_flag_fn);

    quote! {
        #module_doc

        use std::ffi::OsString;
        use std::io::Write;

        use clap::Parser;

        use crate::runtime::cli::{finish, usage, Globals};

        #[derive(Debug, clap::Parser)]
        #[command(name = #binary, version, about = #about, after_help = #after_help)]
        struct Cli {
            #(#global_fields)*
            #[command(flatten)]
            globals: Globals,
            #[command(subcommand)]
            command: Command,
        }

        // Named after the operations, which may share a prefix; made once per run, so a
        // large variant costs nothing worth boxing.
        #[derive(Debug, clap::Subcommand)]
        #[allow(clippy::enum_variant_names, clippy::large_enum_variant)]
        enum Command {
            #top_level
        }

        #enums

        /// Runs the tool on `args` (the program's name first, as `std::env::args_os` gives them),
        /// reading environment variables through `env`, printing to `out` and `err`.
        /// Returns the exit code: 0 success, 1 the API or the network failed, 2 a wrong command.
        pub async fn run<I, T>(args: I, env: &dyn Fn(&str) -> Option<String>, out: &mut dyn Write, err: &mut dyn Write) -> u8
        where
            I: IntoIterator<Item = T>,
            T: Into<OsString> + Clone,
        {
            let cli = match Cli::try_parse_from(args) {
                Ok(cli) => cli,
                Err(error) => return crate::runtime::cli::clap_error(error, out, err),
            };
            let server_url = #server_url;
            let header_defaults = [#(#header_defaults),*];
            let client = match cli.globals.client(server_url, env, #env_prefix, &header_defaults, &[#(#keys),*]) {
                Ok(client) => client,
                Err(message) => return usage(err, message),
            };
            #dispatch
        }

        #json_flag
    }
}

/// The fields of the tool's `Cli` struct for a global flag: the flag, with its alias, or
/// beside it a flag of the tool's own command that means the same, given before the
/// subcommand ([`CliAlias::BeforeSubcommand`]; the global flag, if given too, wins).
fn global_flag_fields(flag: &CliGlobal, doc: &str) -> TokenStream {
    let (field, doc) = (ident(&flag.field), doc_attrs(doc));
    let (alias, before_subcommand) = match &flag.alias {
        None => (None, None),
        Some(CliAlias::Global(alias)) => (Some(quote!(, visible_alias = #alias)), None),
        Some(CliAlias::BeforeSubcommand(own)) => {
            let long = own.replace('_', "-");
            let own_doc = doc_attrs(&format!(
                "The same as `--{}`, given before the subcommand (some subcommands have a `--{long}` of their own).",
                flag.field.replace('_', "-")
            ));
            let own = ident(own);
            (None, Some(quote!(#own_doc #[arg(long = #long)] #own: Option<String>,)))
        }
    };
    quote!(#doc #[arg(long, global = true #alias)] #field: Option<String>, #before_subcommand)
}

/// The subcommands of enum `of` (a group's, or the tool's at `None`): its operations, then
/// its groups.
fn members<'m>(cx: &Emitter<'m>, of: Option<usize>) -> (Vec<&'m CliCommand>, Vec<(&'m CliGroup, usize)>) {
    let cli = &cx.model.cli;
    let enum_of = |group: usize| cli.groups.get(group).and_then(Option::as_ref).map(|_| group);
    let commands = cli.commands.iter().filter(|c| enum_of(c.group) == of).collect();
    let groups = cli
        .groups
        .iter()
        .enumerate()
        .filter_map(|(index, group)| Some((group.as_ref()?, index)))
        .filter(|(_, index)| cx.model.groups[*index].parent == of)
        .collect();
    (commands, groups)
}

fn enum_variants(cx: &Emitter<'_>, of: Option<usize>) -> TokenStream {
    let (commands, groups) = members(cx, of);
    let commands = commands.into_iter().map(|command| {
        let op = operation(cx, command);
        let (name, variant, args) = (&command.name, ident(&command.variant), ident(&command.args_struct));
        let doc = doc_attrs(op.summary.as_deref().unwrap_or(&format!("`{} {}`", op.http_method.as_str(), op.path)));
        quote!(#doc #[command(name = #name)] #variant(#args),)
    });
    let groups = groups.into_iter().map(|(group, index)| {
        let (name, variant, enum_name) = (&group.name, ident(&group.variant), ident(&group.enum_name));
        let words: Vec<&str> = cx.model.group_path(index).iter().map(|g| g.wire_name.as_str()).collect();
        let description = cx.model.groups[index].name.as_ref().and_then(|g| g.description.as_deref());
        let doc = doc_attrs(description.unwrap_or(&format!("The `{}` operations.", words.join(" "))));
        quote!(#doc #[command(name = #name, subcommand)] #variant(#enum_name),)
    });
    quote!(#(#commands)* #(#groups)*)
}

/// The enum of group `index`'s subcommands and the function that runs them.
fn group_enum(cx: &Emitter<'_>, index: usize) -> TokenStream {
    let Some(Some(group)) = cx.model.cli.groups.get(index) else { return TokenStream::new() };
    let enum_name = ident(&group.enum_name);
    let function = ident(&group.function);
    let variants = enum_variants(cx, Some(index));
    let dispatch = dispatch(cx, Some(index), &quote!(#enum_name), &quote!(command), &quote!(client));
    quote! {
        #[derive(Debug, clap::Subcommand)]
        #[allow(clippy::enum_variant_names, clippy::large_enum_variant)]
        enum #enum_name {
            #variants
        }

        async fn #function(client: &crate::Client, command: #enum_name, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
            #dispatch
        }
    }
}

/// `match command { ... }`: each subcommand of enum `of` to the function that runs it.
fn dispatch(
    cx: &Emitter<'_>,
    of: Option<usize>,
    enum_name: &TokenStream,
    command: &TokenStream,
    client: &TokenStream,
) -> TokenStream {
    let (commands, groups) = members(cx, of);
    let commands = commands.into_iter().map(|c| {
        let (variant, function) = (ident(&c.variant), ident(&c.function));
        quote!(#enum_name::#variant(args) => #function(#client, args, out, err).await,)
    });
    let groups = groups.into_iter().map(|(g, _)| {
        let (variant, function) = (ident(&g.variant), ident(&g.function));
        quote!(#enum_name::#variant(command) => #function(#client, command, out, err).await,)
    });
    quote! {
        match #command {
            #(#commands)*
            #(#groups)*
        }
    }
}

/// Reads a flag given as JSON (see [`crate::model::CliFlag::json`]).
fn json_flag_fn() -> TokenStream {
    quote! {
        /// The value of a flag given as JSON; text that is not JSON is taken as a JSON string
        /// (`--id abc` for `--id '"abc"'`).
        fn json_flag<T: serde::de::DeserializeOwned>(text: &str, flag: &str) -> Result<T, String> {
            serde_json::from_str(text)
                .or_else(|json_error| serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|_| json_error))
                .map_err(|e| format!("{flag} is not a valid value: {e}"))
        }
    }
}

fn operation<'m>(cx: &Emitter<'m>, command: &CliCommand) -> &'m Operation {
    &cx.model.groups[command.group].operations[command.operation]
}

/// The Rust type of a flag's value: enums are taken as text and checked by clap, JSON is
/// taken as text and read when the command runs.
fn flag_type(cx: &Emitter<'_>, flag: &CliFlag) -> TokenStream {
    match &flag.ty {
        _ if flag.json => quote!(String),
        TypeRef::Named(_) => quote!(String),
        TypeRef::Vec(item) if matches!(**item, TypeRef::Named(_)) => quote!(Vec<String>),
        other => cx.type_tokens(other, Place::Crate),
    }
}

fn args_struct(cx: &Emitter<'_>, command: &CliCommand) -> TokenStream {
    let op = operation(cx, command);
    let name = ident(&command.args_struct);
    let has_body_flags = command.flags.iter().any(|f| matches!(f.source, FlagSource::BodyField(_)));
    let body_flag_names: Vec<String> = command
        .flags
        .iter()
        .filter(|f| matches!(f.source, FlagSource::BodyField(_)))
        .map(|f| f.field.trim_start_matches("r#").to_owned())
        .collect();
    let fields = command.flags.iter().map(|flag| {
        let field = ident(&flag.field);
        let doc = doc_attrs(&flag.doc);
        let ty = flag_type(cx, flag);
        // A required parameter's flag is its value (clap refuses a command without it); a
        // required body field's may be left for `--body`.
        let ty = if is_repeated(flag) || is_required_param(flag) { ty } else { quote!(Option<#ty>) };
        let mut settings = vec![quote!(long)];
        if flag.json {
            settings.push(quote!(value_name = "JSON"));
        }
        match (flag.required, flag.source) {
            (true, FlagSource::BodyField(_)) => settings.push(quote!(required_unless_present = "body")),
            (true, FlagSource::Param(_)) => settings.push(quote!(required = true)),
            _ => {}
        }
        if is_required_param(flag) && flag.ty == TypeRef::Bool && !flag.json {
            // A `bool` is a switch unless told to take `true` or `false`.
            settings.push(quote!(action = clap::ArgAction::Set));
        }
        if let Some(enum_type) = enum_type(cx, flag) {
            settings.push(quote!(value_parser = clap::builder::PossibleValuesParser::new(#enum_type::VALUES)));
        }
        quote!(#doc #[arg(#(#settings),*)] #field: #ty,)
    });
    let body = op.body.as_ref().map(|body| {
        let (value_name, doc) = match body.kind {
            BodyKind::Json(_) | BodyKind::Form(_) | BodyKind::Multipart(_) if has_body_flags => {
                ("JSON", "The whole request body as JSON, or `@file.json`, instead of the field flags.")
            }
            BodyKind::Json(_) | BodyKind::Form(_) | BodyKind::Multipart(_) => {
                ("JSON", "The request body as JSON, or `@file.json`.")
            }
            BodyKind::Bytes => ("BYTES", "The request body: `@file` sends the file's bytes, other text itself."),
            BodyKind::Text | BodyKind::EventStream { .. } => ("TEXT", "The request body as text, or `@file`."),
        };
        let doc = doc_attrs(doc);
        let required = (body.required && !has_body_flags).then(|| quote!(required = true,));
        let conflicts = has_body_flags.then(|| quote!(conflicts_with_all = Self::BODY_FIELD_FLAGS,));
        quote!(#doc #[arg(long, value_name = #value_name, #required #conflicts)] body: Option<String>,)
    });
    // The list is a constant of its own: inside the attribute, prettyplease would break it
    // at every comma without indenting it.
    let body_field_flags = has_body_flags.then(|| {
        quote! {
            impl #name {
                /// The flags of the body's fields, which `--body` replaces.
                const BODY_FIELD_FLAGS: &[&str] = &[#(#body_flag_names),*];
            }
        }
    });
    let list_flags = command.list_flags.as_ref().map(|flags| {
        let (all, jsonl) = (ident(&flags.all), ident(&flags.jsonl));
        let all_name = flags.all.trim_start_matches("r#");
        quote! {
            /// Every item of every page, as one JSON array (the paging flags set where it starts and the page size).
            #[arg(long)]
            #all: bool,
            /// With --all: one JSON object a line, printed as the pages arrive.
            #[arg(long, requires = #all_name)]
            #jsonl: bool,
        }
    });
    quote! {
        #[derive(Debug, clap::Args)]
        struct #name {
            #(#fields)*
            #body
            #list_flags
        }

        #body_field_flags
    }
}

/// Whether the flag is given once per item of a list (`--role a --role b`).
fn is_repeated(flag: &CliFlag) -> bool {
    !flag.json && matches!(flag.ty, TypeRef::Vec(_))
}

/// Whether the flag is a required parameter given once: a value, not an `Option`.
fn is_required_param(flag: &CliFlag) -> bool {
    flag.required && matches!(flag.source, FlagSource::Param(_)) && !is_repeated(flag)
}

/// The enum type of an enum flag (or of a list of enums).
fn enum_type(cx: &Emitter<'_>, flag: &CliFlag) -> Option<TokenStream> {
    match &flag.ty {
        _ if flag.json => None,
        ty @ TypeRef::Named(_) => Some(cx.type_tokens(ty, Place::Crate)),
        TypeRef::Vec(item) if matches!(**item, TypeRef::Named(_)) => Some(cx.type_tokens(item, Place::Crate)),
        _ => None,
    }
}

/// A flag's value converted to the type the client takes (a usage error for JSON that does
/// not fit).
fn convert(cx: &Emitter<'_>, flag: &CliFlag, value: TokenStream) -> TokenStream {
    match &flag.ty {
        ty if flag.json => {
            let ty = cx.type_tokens(ty, Place::Crate);
            let name = format!("--{}", flag.field.trim_start_matches("r#").replace('_', "-"));
            quote! {
                match json_flag::<#ty>(&#value, #name) {
                    Ok(value) => value,
                    Err(message) => return usage(err, message),
                }
            }
        }
        TypeRef::Named(_) => {
            let ty = cx.type_tokens(&flag.ty, Place::Crate);
            quote!(#ty::from(#value.as_str()))
        }
        TypeRef::Vec(item) if matches!(**item, TypeRef::Named(_)) => {
            let ty = cx.type_tokens(item, Place::Crate);
            quote!(#value.iter().map(|v| #ty::from(v.as_str())).collect())
        }
        _ => value,
    }
}

fn command_fn(cx: &Emitter<'_>, command: &CliCommand) -> TokenStream {
    let op = operation(cx, command);
    let function = ident(&command.function);
    let args_struct = ident(&command.args_struct);
    let flag_for = |source: FlagSource| command.flags.iter().find(|f| f.source == source);
    let mut statements = TokenStream::new();

    // Required parameters, in the order the operation's method takes them.
    let mut call_args = Vec::new();
    // Each is its flag's value (`args.id`), or, converted, bound to the flag's name, which
    // no local of this function can have (resolve keeps flags off them), where a
    // parameter's own name could be `args` or `client`.
    for (index, param) in op.arguments() {
        let Some(flag) = flag_for(FlagSource::Param(index)) else {
            // A parameter the tool cannot take as a flag (never generated for such specs today).
            return unsupported(&function, &args_struct, &param.wire_name);
        };
        let field = ident(&flag.field);
        if enum_type(cx, flag).is_none() && !flag.json && !is_repeated(flag) {
            // The flag's value is the argument (clap requires the flag).
            call_args.push(quote!(args.#field));
            continue;
        }
        // Converted in its own scope: `value` must not shadow a parameter of that name.
        let converted = convert(cx, flag, quote!(args.#field));
        statements.extend(quote!(let #field = #converted;));
        call_args.push(quote!(#field));
    }

    if let Some(body) = &op.body {
        let name = ident(&body.rust_name);
        let from_flags = command.body_fields_of.and_then(|id| body_from_flags(cx, command, id));
        // Tested field by field: the parameters' fields of `args` may be moved out.
        let body_flags: Vec<_> = command
            .flags
            .iter()
            .filter(|f| matches!(f.source, FlagSource::BodyField(_)))
            .map(|f| ident(&f.field))
            .collect();
        let fallback = match (from_flags, body.required) {
            (Some(from_flags), true) => from_flags,
            (None, true) => quote!(return usage(err, "--body is required")),
            // An optional body is sent when --body or one of its field flags is given.
            (Some(from_flags), false) if !body_flags.is_empty() => quote! {
                if #(args.#body_flags.is_some())||* { Some(#from_flags) } else { None }
            },
            (_, false) => quote!(None),
        };
        let read = match body.kind {
            BodyKind::Json(_) | BodyKind::Form(_) | BodyKind::Multipart(_) => {
                // A string body is taken as `impl Into<String>`, which names no type to read.
                let string = matches!(body.kind, BodyKind::Json(TypeRef::String)).then(|| quote!(::<String>));
                quote!(crate::runtime::cli::body_from_arg #string (&text))
            }
            BodyKind::Bytes => quote!(crate::runtime::cli::bytes_from_arg(text)),
            BodyKind::Text | BodyKind::EventStream { .. } => quote!(crate::runtime::cli::text_from_arg(text)),
        };
        let parse = quote!(match #read {
            Ok(body) => body,
            Err(message) => return usage(err, message),
        });
        let parsed = if body.required { parse } else { quote!(Some(#parse)) };
        statements.extend(quote! {
            let #name = match args.body {
                Some(text) => #parsed,
                None => #fallback,
            };
        });
        if body.required {
            call_args.push(quote!(#name));
        }
    }

    let method = ident(&op.method_name);
    let accessors = cx.model.group_path(command.group).into_iter().map(|group| ident(&group.accessor));
    let receiver = quote!(client #(.#accessors())*);
    let mut setters = TokenStream::new();
    for (index, param) in op.optional_params() {
        let Some(flag) = flag_for(FlagSource::Param(index)) else { continue };
        let field = ident(&flag.field);
        let setter = ident(&param.rust_name);
        if is_repeated(flag) {
            let value = convert(cx, flag, quote!(args.#field));
            setters.extend(quote!(if !args.#field.is_empty() { call = call.#setter(#value); }));
        } else {
            let value = convert(cx, flag, quote!(value));
            setters.extend(quote!(if let Some(value) = args.#field { call = call.#setter(#value); }));
        }
    }
    if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
        let name = ident(&body.rust_name);
        setters.extend(quote!(if let Some(value) = #name { call = call.#name(value); }));
    }
    let binding = if setters.is_empty() { quote!(let call) } else { quote!(let mut call) };
    statements.extend(quote!(#binding = #receiver.#method(#(#call_args),*); #setters));
    let print_with = |printer: TokenStream| quote!(finish(call.send().await, out, err, crate::runtime::cli::#printer));
    let finish = match op.response.body.as_ref().map(|(_, kind)| kind) {
        _ if op.response.by_status.is_some() => print_with(quote!(json_out)),
        None => print_with(quote!(empty_out)),
        Some(BodyKind::Json(_) | BodyKind::Form(_) | BodyKind::Multipart(_)) => print_with(quote!(json_out)),
        Some(BodyKind::Text) => print_with(quote!(text_out)),
        Some(BodyKind::Bytes) => print_with(quote!(bytes_out)),
        // Events are printed as they arrive, one JSON object a line.
        Some(BodyKind::EventStream { .. }) => {
            quote!(crate::runtime::cli::finish_events(call.send().await, out, err).await)
        }
    };
    let list = command.list_flags.as_ref().map(|flags| {
        let (all, jsonl) = (ident(&flags.all), ident(&flags.jsonl));
        quote! {
            if args.#all {
                return crate::runtime::cli::all_items(call.into_stream(), args.#jsonl, out, err).await;
            }
        }
    });
    let args = if command.flags.is_empty() && op.body.is_none() && list.is_none() { quote!(_) } else { quote!(args) };
    quote! {
        async fn #function(client: &crate::Client, #args: #args_struct, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
            #statements
            #list
            #finish
        }
    }
}

/// `let name = <the flag's value, converted>`, or a usage error when the flag is missing
/// (clap makes sure it is not; this keeps the code free of `unwrap`).
fn bind_required(cx: &Emitter<'_>, field: &proc_macro2::Ident, flag: &CliFlag, missing: &str) -> TokenStream {
    if enum_type(cx, flag).is_none() && !flag.json {
        return quote!(let Some(#field) = args.#field else { return usage(err, #missing) };);
    }
    // The text is bound to the variable's own name, then shadowed: a temporary name could
    // shadow another variable (a body field named `value`).
    let value = convert(cx, flag, quote!(#field));
    quote! {
        let Some(#field) = args.#field else { return usage(err, #missing) };
        let #field = #value;
    }
}

fn unsupported(function: &proc_macro2::Ident, args_struct: &proc_macro2::Ident, wire_name: &str) -> TokenStream {
    let message = format!("this operation's `{wire_name}` parameter cannot be given on the command line yet");
    quote! {
        async fn #function(_: &crate::Client, _: #args_struct, _: &mut dyn Write, err: &mut dyn Write) -> u8 {
            usage(err, #message)
        }
    }
}

/// The body built from its field flags: `new(required...)`, then a setter per flag given.
/// An expression; `None` if a required field has no flag (resolve gives such a body none).
fn body_from_flags(cx: &Emitter<'_>, command: &CliCommand, id: TypeId) -> Option<TokenStream> {
    let TypeKind::Struct(s) = &cx.model.type_def(id).kind else { return None };
    let ty = cx.type_tokens(&TypeRef::Named(id), Place::Crate);
    let mut statements = TokenStream::new();
    let mut new_args = Vec::new();
    // Bound to their flags' names, as the operation's required parameters are.
    for (index, field) in s.fields.iter().enumerate().filter(|(_, f)| f.required) {
        let flag = command.flags.iter().find(|f| f.source == FlagSource::BodyField(index))?;
        let flag_field = ident(&flag.field);
        let value = convert(cx, flag, quote!(value));
        if field.nullable && value.to_string() == "value" {
            statements.extend(quote!(let #flag_field = args.#flag_field;));
        } else if field.nullable {
            statements.extend(quote!(let #flag_field = args.#flag_field.map(|value| #value);));
        } else {
            let missing =
                format!("--{} is required (or --body)", flag.field.trim_start_matches("r#").replace('_', "-"));
            statements.extend(bind_required(cx, &flag_field, flag, &missing));
        }
        new_args.push(quote!(#flag_field));
    }
    let mut setters = TokenStream::new();
    for (index, field) in s.fields.iter().enumerate().filter(|(_, f)| !f.required) {
        let Some(flag) = command.flags.iter().find(|f| f.source == FlagSource::BodyField(index)) else { continue };
        let flag_field = ident(&flag.field);
        let setter = ident(&field.setter);
        let value = convert(cx, flag, quote!(value));
        let value = if field.nullable { quote!(Some(#value)) } else { value };
        setters.extend(quote!(if let Some(value) = args.#flag_field { body = body.#setter(#value); }));
    }
    Some(match (statements.is_empty(), setters.is_empty()) {
        (true, true) => quote!(#ty::new(#(#new_args),*)),
        (false, true) => quote!({ #statements #ty::new(#(#new_args),*) }),
        (_, false) => quote! {{
            #statements
            let mut body = #ty::new(#(#new_args),*);
            #setters
            body
        }},
    })
}
