//! What the contract tests send: for every operation of a spec, the command lines of the
//! generated tool (`cli::run`, called in-process by the runner) that make its requests.
//!
//! The generated tool is the one piece of generated code that can call every operation from
//! data, so a new endpoint in the spec gets its contract tests with no new test code. Names
//! (subcommands, flags) come from the generator's model, the way the tool is generated;
//! values come from the spec's own schemas ([`super::sample`]), not from the model.
//!
//! Per operation:
//! - requests Prism must accept: required fields only, every optional field, each optional
//!   field alone, each value of every enum (in parameters and anywhere in the body), each
//!   alternative of every `oneOf`/`anyOf` in the body, and the optional headers;
//! - the request with every optional field, answered 200 times by Prism's dynamic mode: each
//!   answer must decode;
//! - requests Prism must refuse, which must come back as the client's API error: an empty
//!   token where a bearer token would do (401), and a body enum value outside the enum sent raw (the client passes unknown enum
//!   values through, so only the server can refuse it).

use std::collections::BTreeSet;

use generator::model::{self, BodyKind, FlagSource, Model, Operation, PagingKind, ParamLocation, TypeId, TypeKind};
use heck::ToKebabCase;
use serde_json::{json, Map, Value};

use super::sample::{Fill, Sampler};

/// How many answers of Prism's dynamic mode each operation must decode, unless the caller
/// says otherwise ([`Plan::with_dynamic_answers`]).
pub const DYNAMIC_ANSWERS: usize = 200;

/// The value sent where an enum is expected, to be refused by the server.
const OUTSIDE_ENUM: &str = "not-a-listed-value";

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Prism (validating, static answers) must accept the request; the answer must decode.
    Accepted,
    /// Prism (dynamic answers) answers `repeat` times; every answer must decode.
    Dynamic { repeat: usize },
    /// Prism must refuse the request with this status class (`401`, or `4xx`), and the
    /// client must report it as an API error.
    Refused { status: Status },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Unauthorized,
    AnyClientError,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Case {
    /// The subcommand, e.g. `guardian enrollments create-ticket`.
    pub operation: String,
    /// What the case varies, e.g. `only --email`.
    pub name: String,
    /// The tool's arguments after the global connection flags: the subcommand's words first.
    pub args: Vec<String>,
    /// Whether the runner gives the tool a token (`false`: an empty one).
    pub token: bool,
    pub kind: Kind,
    /// For an operation the spec gives only error answers (`400`, `404`): the status Prism
    /// answers a valid request with, its lowest, which the tool must report as an API error
    /// (and Prism's log must say the request passed its validation). `None`: a success.
    pub error_answer: Option<u16>,
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub cases: Vec<Case>,
    /// What the harness cannot exercise, in words (printed, never silent), each starting
    /// with the subcommand and a colon.
    pub notes: Vec<String>,
    /// How many operations the spec has (some may have no case: see the notes).
    pub operations: usize,
}

impl Plan {
    /// The plan as the runner reads it (`tests/contract-plan.json`), with the URLs of the
    /// two Prism servers and the validating one's log (for its messages).
    pub fn to_json(&self, binary: &str, validating_url: &str, dynamic_url: &str, validating_log: &str) -> String {
        let cases: Vec<Value> = self
            .cases
            .iter()
            .map(|case| {
                let (kind, repeat, status) = match &case.kind {
                    Kind::Accepted => ("accepted", 1, Value::Null),
                    Kind::Dynamic { repeat } => ("dynamic", *repeat, Value::Null),
                    Kind::Refused { status: Status::Unauthorized } => ("refused", 1, json!("401")),
                    Kind::Refused { status: Status::AnyClientError } => ("refused", 1, json!("4xx")),
                };
                let status = case.error_answer.map_or(status, |code| json!(code.to_string()));
                json!({
                    "operation": case.operation, "name": case.name, "args": case.args,
                    "token": case.token, "kind": kind, "repeat": repeat, "status": status,
                })
            })
            .collect();
        let plan = json!({
            "binary": binary,
            "validating_url": validating_url,
            "dynamic_url": dynamic_url,
            "validating_log": validating_log,
            "cases": cases,
        });
        serde_json::to_string_pretty(&plan).expect("JSON values always serialize")
    }

    pub fn count(&self, wanted: fn(&Kind) -> bool) -> usize {
        self.cases.iter().filter(|c| wanted(&c.kind)).count()
    }

    /// The same plan with `answers` dynamic answers per operation.
    pub fn with_dynamic_answers(mut self, answers: usize) -> Self {
        for case in &mut self.cases {
            if let Kind::Dynamic { repeat } = &mut case.kind {
                *repeat = answers;
            }
        }
        self
    }

    /// The number of dynamic answers each operation must decode.
    pub fn dynamic_answers(&self) -> usize {
        self.cases
            .iter()
            .find_map(|case| match case.kind {
                Kind::Dynamic { repeat } => Some(repeat),
                _ => None,
            })
            .unwrap_or(0)
    }

    /// Keeps the cases and notes of these subcommands only.
    pub fn keep_only(&mut self, subcommands: &BTreeSet<String>) {
        self.cases.retain(|case| subcommands.contains(&case.operation));
        self.notes.retain(|note| note.split_once(':').is_some_and(|(subcommand, _)| subcommands.contains(subcommand)));
    }
}

/// A fixed sample of a spec's operations: the first subcommand of every top-level group of
/// the tool (and every subcommand at the top), in the spec's order, and those of `also`.
pub fn first_of_each_group(model: &Model, also: &[&str]) -> BTreeSet<String> {
    let mut groups_seen = BTreeSet::new();
    let mut sample: BTreeSet<String> = also.iter().map(|&subcommand| subcommand.to_owned()).collect();
    for command in &model.cli.commands {
        let words = model.cli_words(command);
        if groups_seen.insert(words[0].to_owned()) {
            sample.insert(words.join(" "));
        }
    }
    sample
}

/// The plan for a spec: `document` is the spec's tree, `model` what the generator made of it.
pub fn plan(document: &Value, model: &Model) -> Plan {
    let sampler = Sampler::new(document);
    let mut plan = Plan { operations: model.cli.commands.len(), ..Plan::default() };
    for command in &model.cli.commands {
        let op = &model.groups[command.group].operations[command.operation];
        let words: Vec<String> = model.cli_words(command).into_iter().map(str::to_owned).collect();
        let subcommand = words.join(" ");
        match OperationCases::new(document, &sampler, model, command, op, words) {
            Ok(operation) => operation.cases(&sampler, &mut plan.cases),
            Err(why) => plan.notes.push(format!("{subcommand}: not exercised: {why}")),
        }
        let unreachable: Vec<&str> = op
            .params
            .iter()
            .enumerate()
            .filter(|(index, param)| {
                !param.required
                    && !command.flags.iter().any(|f| f.source == FlagSource::Param(*index))
                    && param.client_default.is_none()
            })
            .map(|(_, param)| param.wire_name.as_str())
            .collect();
        if !unreachable.is_empty() {
            plan.notes.push(format!(
                "{subcommand}: optional parameter(s) the tool has no flag for, not sent: {}",
                unreachable.join(", ")
            ));
        }
        if let Some(PagingKind::NextLink { field }) = op.paging.as_ref().map(|paging| &paging.kind) {
            plan.notes.push(format!(
                "{subcommand}: its pages are not walked: each answer links the next (`{field}`), and the link \
                 in Prism's example names no page of the API"
            ));
        }
    }
    let mut seen = BTreeSet::new();
    plan.cases.retain(|case| seen.insert((case.args.clone(), case.token, case.kind.clone())));
    plan
}

/// One thing a case can add to the required minimum.
#[derive(Debug, Clone)]
struct Knob {
    /// How cases name it: `--email`, or `body.email` for a field sent in `--body`.
    label: String,
    target: Target,
    /// The value sent by default.
    value: Value,
    /// The values of its enum, when it is one (each gets a case).
    enum_values: Vec<Value>,
}

#[derive(Debug, Clone)]
enum Target {
    /// A flag of the subcommand, or a global one (a header default); whether it takes JSON.
    Flag(String, bool),
    /// A property of the JSON body.
    BodyField(String),
}

/// The JSON body of an operation and how the tool takes it.
struct Body<'d> {
    schema: &'d Value,
    required: bool,
    /// The body with required fields only.
    minimum: Value,
    /// Flags that set body fields, by property name (when the tool has them).
    flags: Option<Map<String, Value>>,
    /// The body is JSON text (else plain text, given as is).
    json: bool,
}

/// An operation, ready to make cases.
struct OperationCases<'d> {
    /// The subcommand's words, e.g. `["guardian", "enrollments", "create-ticket"]`.
    words: Vec<String>,
    /// The same, as one label.
    subcommand: String,
    /// Flags every request needs (path parameters, required query and header parameters).
    required: Vec<String>,
    knobs: Vec<Knob>,
    body: Option<Body<'d>>,
    /// Prism refuses the request without a token.
    needs_token: bool,
    /// The tool's flag that walks every page of a list (`--all`), for a list operation.
    all_pages: Option<String>,
    /// See [`Case::error_answer`].
    error_answer: Option<u16>,
}

impl<'d> OperationCases<'d> {
    fn new(
        document: &'d Value,
        sampler: &Sampler<'d>,
        model: &Model,
        command: &generator::model::CliCommand,
        op: &Operation,
        words: Vec<String>,
    ) -> Result<Self, String> {
        let raw = document
            .pointer(&format!("/paths/{}/{}", escape(&op.path), op.http_method.as_str().to_ascii_lowercase()))
            .ok_or_else(|| format!("{} {} is not in the document's paths", op.http_method.as_str(), op.path))?;
        // Without a success answer, Prism answers a valid request with the lowest status
        // the spec gives (and an invalid one with that too, or its own 422: its log tells).
        let error_answer = if op.responses.iter().any(|r| r.status.is_success() || r.status == model::Status::Default) {
            None
        } else {
            let errors = op.responses.iter().filter_map(|r| match r.status {
                model::Status::Code(code) if code >= 400 => Some(code),
                _ => None,
            });
            match errors.min() {
                Some(code) => Some(code),
                None => {
                    return Err("the spec gives it neither a success answer nor an error status (4xx, 5xx), so \
                         Prism has none to answer with"
                        .into())
                }
            }
        };
        if let Some(scheme) = only_unsent_http_schemes(document, raw) {
            return Err(format!(
                "it requires HTTP `{scheme}` authentication, which the client does not send (the generator \
                 warns), so Prism refuses every request"
            ));
        }
        if let Some(schemes) = only_requirements_of_two_authorizations(document, raw) {
            return Err(format!(
                "it requires {schemes} together, two credentials for the one `Authorization` header, \
                 which no request can carry, so Prism refuses every request"
            ));
        }
        if answers_only_event_streams(sampler, raw) {
            return Err("it answers with server-sent events (text/event-stream), which Prism cannot mock \
                 (it answers 500, \"Cannot serialise complex objects as text\")"
                .into());
        }
        let path_item = document.pointer(&format!("/paths/{}", escape(&op.path))).unwrap_or(&Value::Null);
        let mut required = Vec::new();
        let mut knobs = Vec::new();
        for (index, param) in op.params.iter().enumerate() {
            let schema = param_schema(sampler, path_item, raw, &param.wire_name, param.location);
            let flag = command.flags.iter().find(|f| f.source == FlagSource::Param(index));
            let global = param.client_default.and_then(|i| model.cli.header_flags.get(i)).map(|flag| &flag.field);
            let (flag, json) = match (flag, global) {
                (Some(flag), _) => (flag_name(&flag.field), flag.json),
                (None, Some(global)) => (flag_name(global), false),
                (None, None) if param.required => {
                    return Err(format!("the tool has no flag for its required parameter `{}`", param.wire_name))
                }
                (None, None) => continue,
            };
            let value = schema.map_or(json!("sample"), |s| sampler.sample(s, Fill::All));
            if param.required {
                push_flag(&mut required, &flag, &value, json);
            } else {
                let enum_values = schema.map(|s| enum_values(sampler, s)).unwrap_or_default();
                knobs.push(Knob { label: flag.clone(), target: Target::Flag(flag, json), value, enum_values });
            }
        }
        let body = match &op.body {
            None => None,
            Some(body) => {
                let json = match &body.kind {
                    // The tool reads a multipart body as JSON too, a file in it as base64.
                    BodyKind::Json(_) | BodyKind::Form(_) | BodyKind::Multipart(_) => true,
                    // A body of bytes, as of text, is the text given.
                    BodyKind::Text | BodyKind::Bytes | BodyKind::EventStream { .. } => false,
                };
                let schema = raw
                    .get("requestBody")
                    .map(|b| sampler.resolve(b))
                    .and_then(|b| b.get("content"))
                    .and_then(|c| c.get(&body.content_type))
                    .and_then(|m| m.get("schema"))
                    .unwrap_or(&Value::Null);
                let flags = command.body_fields_of.map(|id| body_flags(model, command, id));
                let left_out = sampler.left_out(schema);
                for (name, property) in sampler.request_properties(schema) {
                    if is_required(sampler.resolve(schema), name) || !json || left_out.contains(name) {
                        continue;
                    }
                    let enum_values = enum_values(sampler, property);
                    let value = sampler.sample(property, Fill::All);
                    let label = match flags.as_ref().and_then(|f| f.get(name)) {
                        Some(Value::String(flag)) => flag.clone(),
                        _ => format!("body.{name}"),
                    };
                    knobs.push(Knob { label, target: Target::BodyField(name.clone()), value, enum_values });
                }
                let minimum = sampler.sample(schema, Fill::Required);
                Some(Body { schema, required: body.required, minimum, flags, json })
            }
        };
        Ok(OperationCases {
            subcommand: words.join(" "),
            words,
            required,
            knobs,
            body,
            needs_token: needs_bearer_token(model, op) && requires_token(document, raw),
            // A walk by links follows Prism's example link, which leads nowhere (a note).
            all_pages: command
                .list_flags
                .as_ref()
                .filter(|_| !matches!(op.paging.as_ref().map(|p| &p.kind), Some(PagingKind::NextLink { .. })))
                .map(|flags| flag_name(&flags.all)),
            error_answer,
        })
    }

    fn cases(&self, sampler: &Sampler<'d>, cases: &mut Vec<Case>) {
        let all: Vec<usize> = (0..self.knobs.len()).collect();
        let accepted = |name: String, args: Vec<String>| Case {
            operation: self.subcommand.clone(),
            name,
            args,
            token: true,
            kind: Kind::Accepted,
            error_answer: self.error_answer,
        };
        cases.push(accepted("required fields only".into(), self.args(&[], &[], None)));
        cases.push(accepted("every optional field".into(), self.args(&all, &[], None)));
        for (index, knob) in self.knobs.iter().enumerate() {
            cases.push(accepted(format!("only {}", knob.label), self.args(&[index], &[], None)));
            // Body enums are covered below, wherever they are in the body.
            if matches!(knob.target, Target::Flag(..)) {
                for value in &knob.enum_values {
                    let name = format!("{} = {}", knob.label, plain(value));
                    cases.push(accepted(name, self.args(&[index], &[(index, value.clone())], None)));
                }
            }
        }
        // A body given field by field is also sent whole, through `--body`.
        if self.body.as_ref().is_some_and(|b| b.flags.is_some()) {
            cases.push(accepted("every optional field, as --body JSON".into(), self.body_as_json(&all)));
        }
        let body_sites = match &self.body {
            Some(body) if body.json => sampler.variations(body.schema),
            _ => Vec::new(),
        };
        for site in &body_sites {
            // The top-level field the enum is in is sent; `None`: the enum is the body itself or required.
            let knob = site.path.first().and_then(|first| {
                self.knobs.iter().position(|k| matches!(&k.target, Target::BodyField(n) if n == first))
            });
            let selected: Vec<usize> = knob.into_iter().collect();
            // Where the sampled body has no place for the value (inside an optional field
            // the sample leaves out), a case would send nothing of it: there is none.
            let base = self.body_value(&selected, &|index| self.knobs[index].value.clone(), None);
            if !base.as_ref().is_some_and(|body| has_place(body, &site.path)) {
                continue;
            }
            for (value, label) in site.values.iter().zip(&site.labels) {
                let name = match site.path.is_empty() {
                    true => format!("body = {label}"),
                    false => format!("body.{} = {label}", site.path.join(".")),
                };
                cases.push(accepted(name, self.args(&selected, &[], Some((&site.path, value.clone())))));
            }
        }
        // A list walks its pages: each page's request (the next page number, offset or
        // cursor) must be accepted too, and Prism's examples end the walk.
        if let Some(all) = &self.all_pages {
            let mut args = self.args(&[], &[], None);
            args.push(all.clone());
            cases.push(accepted(format!("every page ({all})"), args));
        }
        cases.push(Case {
            operation: self.subcommand.clone(),
            name: "every optional field, dynamic answers".into(),
            args: self.args(&all, &[], None),
            token: true,
            kind: Kind::Dynamic { repeat: DYNAMIC_ANSWERS },
            error_answer: self.error_answer,
        });
        if self.needs_token {
            cases.push(Case {
                operation: self.subcommand.clone(),
                name: "an empty token: 401".into(),
                args: self.args(&[], &[], None),
                token: false,
                kind: Kind::Refused { status: Status::Unauthorized },
                error_answer: None,
            });
        }
        // (Where a valid request is answered with an error too, a refusal tells nothing.)
        let refusable = self.error_answer.is_none();
        if let Some(site) = body_sites.iter().find(|s| refusable && s.is_enum && s.values.iter().all(Value::is_string))
        {
            let knob = site.path.first().and_then(|first| {
                self.knobs.iter().position(|k| matches!(&k.target, Target::BodyField(n) if n == first))
            });
            let selected: Vec<usize> = knob.into_iter().collect();
            let mut args = self.args(&selected, &[], Some((&site.path, json!(OUTSIDE_ENUM))));
            if !args.iter().any(|a| a == "--body") {
                // Flags for enum fields only take listed values: send it raw.
                args = self.body_as_json_with(&selected, Some((&site.path, json!(OUTSIDE_ENUM))));
            }
            cases.push(Case {
                operation: self.subcommand.clone(),
                name: format!("body.{} outside its enum, sent raw: 4xx", site.path.join(".")),
                args,
                token: true,
                kind: Kind::Refused { status: Status::AnyClientError },
                error_answer: None,
            });
        }
    }

    /// The arguments of a request with the knobs `selected` (values from `overrides`, else
    /// their default) and, in the body, `at` set.
    fn args(&self, selected: &[usize], overrides: &[(usize, Value)], at: Option<(&[String], Value)>) -> Vec<String> {
        let mut args = self.words.clone();
        args.extend(self.required.iter().cloned());
        let value_of = |index: usize| {
            overrides
                .iter()
                .find(|(i, _)| *i == index)
                .map_or_else(|| self.knobs[index].value.clone(), |(_, v)| v.clone())
        };
        for &index in selected {
            if let Target::Flag(flag, json) = &self.knobs[index].target {
                push_flag(&mut args, flag, &value_of(index), *json);
            }
        }
        let Some(body) = &self.body else { return args };
        let fields = self.body_value(selected, &value_of, at);
        let sent = body.required || fields.as_ref().is_some_and(|f| f != &body.minimum);
        let Some(fields) = fields.filter(|_| sent) else { return args };
        match (&body.flags, &fields) {
            (Some(flags), Value::Object(map))
                if !map.is_empty() && map.iter().all(|(k, v)| flags.contains_key(k) && is_flag_value(v)) =>
            {
                for (name, value) in map {
                    if let Some(Value::String(flag)) = flags.get(name) {
                        push_flag(&mut args, flag, value, false);
                    }
                }
            }
            _ => {
                args.push("--body".into());
                args.push(if body.json { fields.to_string() } else { plain(&fields) });
            }
        }
        args
    }

    /// The body of a request: the minimum, the selected body fields, and `at` set.
    fn body_value(
        &self,
        selected: &[usize],
        value_of: &dyn Fn(usize) -> Value,
        at: Option<(&[String], Value)>,
    ) -> Option<Value> {
        let body = self.body.as_ref()?;
        let mut value = body.minimum.clone();
        for &index in selected {
            if let (Target::BodyField(name), Value::Object(map)) = (&self.knobs[index].target, &mut value) {
                map.insert(name.clone(), value_of(index));
            }
        }
        if let Some((path, new)) = at {
            set(&mut value, path, new);
        }
        Some(value)
    }

    fn body_as_json(&self, selected: &[usize]) -> Vec<String> {
        self.body_as_json_with(selected, None)
    }

    fn body_as_json_with(&self, selected: &[usize], at: Option<(&[String], Value)>) -> Vec<String> {
        let mut args = self.words.clone();
        args.extend(self.required.iter().cloned());
        if let Some(value) = self.body_value(selected, &|index| self.knobs[index].value.clone(), at) {
            args.push("--body".into());
            args.push(value.to_string());
        }
        args
    }
}

/// The tool's flags for body fields: property name to `--flag`.
fn body_flags(model: &Model, command: &generator::model::CliCommand, id: TypeId) -> Map<String, Value> {
    let TypeKind::Struct(fields) = &model.type_def(id).kind else {
        return Map::new();
    };
    command
        .flags
        .iter()
        .filter_map(|flag| match flag.source {
            FlagSource::BodyField(index) => {
                Some((fields.fields[index].wire_name.clone(), Value::String(flag_name(&flag.field))))
            }
            FlagSource::Param(_) => None,
        })
        .collect()
}

/// A parameter's schema in the document: the operation's own, else the path item's.
fn param_schema<'d>(
    sampler: &Sampler<'d>,
    path_item: &'d Value,
    operation: &'d Value,
    name: &str,
    location: ParamLocation,
) -> Option<&'d Value> {
    let place = location.as_str();
    let lists = [operation.get("parameters"), path_item.get("parameters")];
    let param =
        lists.into_iter().flatten().filter_map(Value::as_array).flatten().map(|p| sampler.resolve(p)).find(|p| {
            p.get("in").and_then(Value::as_str) == Some(place)
                && p.get("name").and_then(Value::as_str).is_some_and(|n| n.eq_ignore_ascii_case(name))
        })?;
    param.get("schema").or_else(|| param.get("content")?.as_object()?.values().next()?.get("schema"))
}

/// The values of an enum parameter or field (of its items, for a list).
fn enum_values(sampler: &Sampler<'_>, schema: &Value) -> Vec<Value> {
    let schema = sampler.resolve(schema);
    let schema = match schema.get("items") {
        Some(items) => sampler.resolve(items),
        None => schema,
    };
    let values: Vec<Value> =
        schema.get("enum").and_then(Value::as_array).into_iter().flatten().filter(|v| !v.is_null()).cloned().collect();
    if values.len() > 1 {
        values
    } else {
        Vec::new()
    }
}

/// Whether every success answer of `operation` that has a body is `text/event-stream`.
fn answers_only_event_streams(sampler: &Sampler<'_>, operation: &Value) -> bool {
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else { return false };
    let mut media_types = responses
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .filter_map(|(_, response)| sampler.resolve(response).get("content").and_then(Value::as_object))
        .flat_map(|content| content.keys())
        .peekable();
    media_types.peek().is_some() && media_types.all(|media_type| media_type.starts_with("text/event-stream"))
}

/// Whether the operation cannot be sent without credentials and a bearer token would do:
/// an empty token then reaches the server, which must refuse it. (Without an API key or a
/// username, the client refuses to send at all.)
fn needs_bearer_token(model: &Model, op: &Operation) -> bool {
    op.needs_credentials()
        && op.security.iter().any(|set| set.iter().all(|&index| model.security_schemes[index].is_bearer()))
}

/// The HTTP scheme (`digest`, ...) that the client does not send, when every alternative of
/// the operation's security requirements names one: Prism refuses the operation whatever
/// the client does.
fn only_unsent_http_schemes(document: &Value, operation: &Value) -> Option<String> {
    let requirements = operation.get("security").or_else(|| document.get("security"))?.as_array()?;
    let unsent = |name: &String| {
        let scheme = document.pointer(&format!("/components/securitySchemes/{}", escape(name)))?;
        let http = scheme.get("scheme").and_then(Value::as_str).filter(|_| scheme["type"] == "http")?;
        (!["basic", "bearer"].contains(&http.to_ascii_lowercase().as_str())).then(|| http.to_owned())
    };
    let mut found = None;
    for requirement in requirements {
        let names = requirement.as_object()?;
        found = Some(names.keys().find_map(unsent)?);
    }
    found
}

/// The schemes of the operation's security requirement that needs two credentials in the
/// `Authorization` header (HTTP basic or bearer, OAuth 2, OpenID Connect together), when
/// every requirement does: no request can carry both, so Prism refuses every one.
fn only_requirements_of_two_authorizations(document: &Value, operation: &Value) -> Option<String> {
    let requirements = operation.get("security").or_else(|| document.get("security"))?.as_array()?;
    let in_authorization = |name: &&String| {
        document
            .pointer(&format!("/components/securitySchemes/{}", escape(name)))
            .and_then(|scheme| scheme.get("type"))
            .and_then(Value::as_str)
            .is_some_and(|kind| ["http", "oauth2", "openIdConnect"].contains(&kind))
    };
    let mut found = None;
    for requirement in requirements {
        let names: Vec<&String> = requirement.as_object()?.keys().filter(in_authorization).collect();
        if names.len() < 2 {
            return None;
        }
        found = Some(names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(" and "));
    }
    found
}

/// Whether every security requirement of the operation names a scheme whose credentials
/// travel in the request (not `mutualTLS`, a certificate Prism never sees), so that Prism
/// refuses a request without them.
fn requires_token(document: &Value, operation: &Value) -> bool {
    let requirements = operation.get("security").or_else(|| document.get("security"));
    let in_request = |name: &String| {
        let scheme =
            document.pointer(&format!("/components/securitySchemes/{}", name.replace('~', "~0").replace('/', "~1")));
        scheme.and_then(|s| s.get("type")).and_then(Value::as_str).is_some_and(|t| t != "mutualTLS")
    };
    requirements.and_then(Value::as_array).is_some_and(|list| {
        !list.is_empty() && list.iter().all(|r| r.as_object().is_some_and(|r| r.keys().any(in_request)))
    })
}

fn is_required(schema: &Value, name: &str) -> bool {
    schema.get("required").and_then(Value::as_array).is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name)))
}

/// `--user-id` for the field `user_id` (clap's spelling; `r#type` is `--type`).
fn flag_name(field: &str) -> String {
    format!("--{}", field.trim_start_matches("r#").to_kebab_case())
}

/// A flag and its value; a list is the flag repeated.
/// The flag with `value`: a list as the flag repeated, JSON flags' values as JSON text.
fn push_flag(args: &mut Vec<String>, flag: &str, value: &Value, json: bool) {
    match value {
        _ if json => {
            args.push(flag.to_owned());
            args.push(value.to_string());
        }
        Value::Array(items) => {
            for item in items {
                args.push(flag.to_owned());
                args.push(plain(item));
            }
        }
        other => {
            args.push(flag.to_owned());
            args.push(plain(other));
        }
    }
}

fn is_flag_value(value: &Value) -> bool {
    matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_))
}

/// A value as a flag takes it: strings without quotes.
fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Sets the value at `path` (property names, `0` for a list's first item) inside `value`.
fn set(value: &mut Value, path: &[String], new: Value) {
    let Some((first, rest)) = path.split_first() else {
        *value = new;
        return;
    };
    // A place the body does not have yet (a field of an alternative the sample did not
    // take) is made, so that the value is sent where the schema has it.
    if value.is_null() {
        *value = match first.parse::<usize>() {
            Ok(_) => Value::Array(Vec::new()),
            Err(_) => Value::Object(Map::new()),
        };
    }
    let slot = match value {
        Value::Object(map) => map.entry(first.clone()).or_insert(Value::Null),
        Value::Array(items) => match first.parse::<usize>() {
            Ok(index) if index <= items.len() => {
                if index == items.len() {
                    items.push(Value::Null);
                }
                &mut items[index]
            }
            _ => return,
        },
        _ => return,
    };
    set(slot, rest, new);
}

/// Whether `value` has the place `path` names: the containers on the way exist (the last
/// key itself may be missing from its object).
fn has_place(value: &Value, path: &[String]) -> bool {
    let Some((last, parents)) = path.split_last() else { return true };
    let mut at = value;
    for segment in parents {
        let next = match at {
            Value::Object(map) => map.get(segment),
            Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(next) => at = next,
            None => return false,
        }
    }
    match at {
        Value::Object(_) => true,
        Value::Array(items) => last.parse::<usize>().is_ok_and(|i| i < items.len()),
        _ => false,
    }
}

/// A path as a JSON pointer token: `~` and `/` escaped.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_set_where_the_body_has_no_place_for_it_yet() {
        let path = |p: &[&str]| p.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let mut body = json!({"type": "http"});
        set(&mut body, &path(&["filters", "0", "name"]), json!("x"));
        assert_eq!(body, json!({"type": "http", "filters": [{"name": "x"}]}));
        set(&mut body, &path(&["filters", "0", "type"]), json!("y"));
        assert_eq!(body, json!({"type": "http", "filters": [{"name": "x", "type": "y"}]}));
        set(&mut body, &path(&["filters", "5", "type"]), json!("z"));
        assert_eq!(body["filters"].as_array().map(Vec::len), Some(1), "no gaps are made");
        assert!(has_place(&body, &path(&["filters", "0", "other"])));
        assert!(!has_place(&body, &path(&["sink", "url"])));
        assert!(!has_place(&body, &path(&["filters", "1", "name"])));
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Plan, version: "1"}
servers: [{url: "https://api.example.com"}]
security: [{bearer: []}]
paths:
  /pets/{id}:
    put:
      operationId: updatePet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: mode, in: query, schema: {type: string, enum: [fast, safe]}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string, minLength: 3}
                size: {type: string, enum: [s, m]}
                owner: {type: object, properties: {kind: {type: string, enum: [person, shop]}}}
      responses:
        "200": {description: ok}
  /stream:
    get:
      operationId: stream
      responses:
        "101": {description: upgrade}
  /events:
    get:
      operationId: subscribe
      tags: [events]
      responses:
        "200": {description: events, content: {text/event-stream: {schema: {type: object}}}}
  /events/{id}:
    get:
      operationId: getEvent
      tags: [events]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: an event, content: {application/json: {schema: {type: object}}}}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
"#;

    fn plan_of(text: &str) -> Plan {
        let document: Value = serde_yaml::from_str(text).expect("YAML");
        let (model, _) = generator::model(generator::Spec::new("plan.yaml", text)).expect("a model");
        plan(&document, &model)
    }

    /// An operation the spec gives only error answers is exercised: Prism answers a valid
    /// request with the lowest of them, which the runner expects as an API error. A value
    /// outside an enum tells nothing there (a valid request is answered with an error too).
    #[test]
    fn an_operation_with_only_error_answers_expects_the_lowest() {
        let plan = plan_of(
            r#"
openapi: 3.0.3
info: {title: Errors only, version: "1"}
paths:
  /pets/{id}:
    put:
      operationId: updatePet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {size: {type: string, enum: [s, m]}}}
      responses:
        "405": {description: not allowed}
        "400": {description: refused}
        "4XX": {description: other}
  /pets:
    get:
      operationId: listPets
      responses:
        "200": {description: the pets}
  /pets/other:
    get:
      operationId: otherPets
      responses:
        "4XX": {description: refused}
"#,
        );
        let errors_only: Vec<&Case> = plan.cases.iter().filter(|c| c.operation == "update-pet").collect();
        assert!(errors_only.iter().any(|c| c.kind == Kind::Accepted));
        assert!(errors_only.iter().any(|c| matches!(c.kind, Kind::Dynamic { .. })));
        assert!(errors_only.iter().all(|c| c.error_answer == Some(400)), "{errors_only:#?}");
        assert!(!errors_only.iter().any(|c| matches!(c.kind, Kind::Refused { .. })), "{errors_only:#?}");
        assert!(plan.cases.iter().filter(|c| c.operation == "list-pets").all(|c| c.error_answer.is_none()));
        assert!(plan.notes.iter().any(|n| n.starts_with("other-pets: not exercised")), "{:?}", plan.notes);
        let json: Value = serde_json::from_str(&plan.to_json("tool", "url", "url", "log")).expect("JSON");
        let update = json["cases"].as_array().expect("cases").iter().find(|c| c["operation"] == "update-pet");
        assert_eq!(update.map(|c| &c["status"]), Some(&json!("400")));
    }

    fn case<'p>(plan: &'p Plan, name: &str) -> &'p Case {
        plan.cases.iter().find(|c| c.name == name).unwrap_or_else(|| {
            let names: Vec<&str> = plan.cases.iter().map(|c| c.name.as_str()).collect();
            panic!("no case {name:?} in {names:#?}")
        })
    }

    #[test]
    fn cases_cover_optional_fields_enum_values_and_refusals() {
        let plan = plan_of(SPEC);
        let args = |name: &str| case(&plan, name).args.join(" ");
        assert_eq!(args("required fields only"), "update-pet --id sample --name sample");
        assert_eq!(args("only --mode"), "update-pet --id sample --mode fast --name sample");
        assert_eq!(args("--mode = safe"), "update-pet --id sample --mode safe --name sample");
        assert_eq!(args("body.size = m"), "update-pet --id sample --name sample --size m");
        // A field without a flag (an object) is sent in `--body`.
        assert_eq!(
            args("body.owner.kind = shop"),
            r#"update-pet --id sample --body {"name":"sample","owner":{"kind":"shop"}}"#
        );
        assert_eq!(
            args("every optional field"),
            r#"update-pet --id sample --mode fast --body {"name":"sample","size":"s","owner":{"kind":"person"}}"#
        );
        let no_token = case(&plan, "an empty token: 401");
        assert!(!no_token.token);
        assert_eq!(no_token.kind, Kind::Refused { status: Status::Unauthorized });
        let outside = case(&plan, "body.size outside its enum, sent raw: 4xx");
        assert_eq!(
            outside.args.join(" "),
            r#"update-pet --id sample --body {"name":"sample","size":"not-a-listed-value"}"#
        );
        assert_eq!(case(&plan, "every optional field, dynamic answers").kind, Kind::Dynamic { repeat: 200 });
        let plan = plan.with_dynamic_answers(40);
        assert_eq!(case(&plan, "every optional field, dynamic answers").kind, Kind::Dynamic { repeat: 40 });
        assert_eq!(plan.dynamic_answers(), 40);
    }

    #[test]
    fn a_list_walks_every_page_against_the_validating_server() {
        let plan = plan_of(
            r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /pets:
    get:
      operationId: list-pets
      parameters:
        - {name: from, in: query, schema: {type: string}}
        - {name: take, in: query, schema: {type: integer}}
      responses:
        "200":
          description: Pets.
          content:
            application/json:
              schema:
                type: object
                properties:
                  pets: {type: array, items: {type: string}}
                  next: {type: string}
"#,
        );
        let walk = case(&plan, "every page (--all)");
        assert_eq!((walk.args.join(" "), &walk.kind), ("list-pets --all".to_owned(), &Kind::Accepted));
    }

    #[test]
    fn a_list_whose_answers_link_the_next_page_is_called_but_not_walked() {
        let plan = plan_of(
            r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /vaults:
    get:
      operationId: list-vaults
      responses:
        "200":
          description: Vaults.
          content:
            application/json:
              schema:
                type: object
                properties:
                  value: {type: array, items: {type: string}}
                  nextLink: {type: string}
"#,
        );
        assert!(plan.cases.iter().any(|c| c.args == ["list-vaults"] && c.kind == Kind::Accepted), "{:#?}", plan.cases);
        assert!(plan.cases.iter().all(|c| !c.args.contains(&"--all".to_owned())), "{:#?}", plan.cases);
        assert_eq!(
            plan.notes,
            ["list-vaults: its pages are not walked: each answer links the next (`nextLink`), and the link in \
              Prism's example names no page of the API"]
        );
    }

    #[test]
    fn a_sample_keeps_the_first_operation_of_each_group_and_those_named() {
        let (model, _) = generator::model(generator::Spec::new("plan.yaml", SPEC)).expect("a model");
        let first = first_of_each_group(&model, &[]);
        assert_eq!(first.iter().map(String::as_str).collect::<Vec<_>>(), ["events subscribe", "stream", "update-pet"]);
        let sample = first_of_each_group(&model, &["events get-event"]);
        let mut plan = plan_of(SPEC);
        plan.keep_only(&sample);
        let operations: BTreeSet<&str> = plan.cases.iter().map(|c| c.operation.as_str()).collect();
        assert_eq!(operations.into_iter().collect::<Vec<_>>(), ["events get-event", "update-pet"]);
        assert_eq!(plan.operations, 4, "the spec's operations are still counted");
        // Notes of operations outside the sample go with them.
        assert_eq!(plan.notes.len(), 2, "{:?}", plan.notes);
        plan.keep_only(&BTreeSet::from(["update-pet".to_owned()]));
        assert!(plan.notes.is_empty(), "{:?}", plan.notes);
    }

    #[test]
    fn an_operation_only_an_unsent_scheme_opens_is_not_exercised() {
        let plan = plan_of(
            r#"
openapi: 3.0.3
info: {title: Plan, version: "1"}
servers: [{url: "https://api.example.com"}]
paths:
  /digest:
    get: {operationId: digest, security: [{digest: []}], responses: {"204": {description: ok}}}
  /either:
    get: {operationId: either, security: [{digest: []}, {basic: []}], responses: {"204": {description: ok}}}
components:
  securitySchemes:
    digest: {type: http, scheme: digest}
    basic: {type: http, scheme: basic}
"#,
        );
        assert_eq!(plan.notes.len(), 1, "{:?}", plan.notes);
        assert!(plan.notes[0].starts_with("digest: not exercised: it requires HTTP `digest` authentication"));
        assert!(plan.cases.iter().any(|c| c.operation == "either"), "basic opens it");
    }

    #[test]
    fn a_requirement_of_two_authorization_headers_is_said() {
        let plan = plan_of(
            r#"
openapi: 3.0.3
info: {title: Both, version: "1"}
paths:
  /and:
    post: {operationId: and, security: [{key: [], basic: [], oauth: []}], responses: {"401": {description: no}}}
  /or:
    post: {operationId: or, security: [{basic: [], oauth: []}, {key: []}], responses: {"204": {description: ok}}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-API-KEY}
    basic: {type: http, scheme: basic}
    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: "https://example.com/token", scopes: {}}}}
"#,
        );
        assert_eq!(plan.notes.len(), 1, "{:?}", plan.notes);
        assert!(
            plan.notes[0].starts_with("and: not exercised: it requires `basic` and `oauth` together"),
            "{:?}",
            plan.notes
        );
        assert!(plan.cases.iter().any(|c| c.operation == "or"), "the API key opens it");
    }

    #[test]
    fn what_cannot_be_exercised_is_said() {
        let plan = plan_of(SPEC);
        assert!(plan.cases.iter().all(|c| c.operation != "stream" && c.operation != "events subscribe"));
        assert_eq!(
            plan.notes,
            [
                "stream: not exercised: the spec gives it neither a success answer nor an error status (4xx, \
                 5xx), so Prism has none to answer with",
                "events subscribe: not exercised: it answers with server-sent events (text/event-stream), which \
                 Prism cannot mock (it answers 500, \"Cannot serialise complex objects as text\")",
            ]
        );
    }
}
