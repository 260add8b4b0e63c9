//! Operations: parameters, request bodies and responses; where each goes is [`super::groups`]'.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, ReferenceOr, Response, Schema, SchemaKind, StatusCode, Type,
};

use super::groups::Groups;
use super::schemas::{shape_of, Hint, SchemaRef};
use super::Context;
use crate::error::{Error, Pointer};
use crate::model::{
    BodyKind, Group, HeaderDefault, HttpMethod, Operation, Param, ParamLocation, PathSegment, Release, RequestBody,
    ResponseDoc, SchemeKind, SecurityScheme, Status, StatusEnum, StatusVariant, SuccessResponse, TypeRef,
};
use crate::names::{Case, Scope};

pub(super) fn resolve_operations(cx: &mut Context<'_>, schemes: &[SecurityScheme]) -> Result<Vec<Group>, Error> {
    let mut groups = Groups::new();
    let document = cx.document;
    // Each `operationId` seen, and which operation it named first.
    let mut ids: BTreeMap<&str, String> = BTreeMap::new();
    for (path, item) in &document.paths.paths {
        let item_pointer = Pointer::root().join("paths").join(path);
        let ReferenceOr::Item(item) = item else {
            return Err(cx.error(&item_pointer, "a path item given by `$ref` is not supported yet"));
        };
        for (method, op) in item.iter() {
            let pointer = item_pointer.join(method);
            if let Some(id) = op.operation_id.as_deref() {
                if let Some(first) = ids.get(id) {
                    let message = format!(
                        "`operationId` `{id}` also names `{first}`, and ids must be unique: both are \
                         generated, and a name they would share is numbered (`_2`)"
                    );
                    cx.warn(&pointer.join("operationId"), message);
                } else {
                    ids.insert(id, format!("{} {path}", method.to_uppercase()));
                }
            }
            let operation_id = op.operation_id.clone().unwrap_or_else(|| format!("{method} {path}"));
            let placed = groups.place(cx, op, &operation_id, &pointer);
            let path_params = (item.parameters.as_slice(), &item_pointer);
            let names =
                OperationNames { operation_id, method_name: placed.method_name, builder_name: placed.builder_name };
            let builders = groups.builders(placed.group);
            let operation = operation(cx, path, method, op, path_params, schemes, names, builders, &pointer)?;
            groups.push(placed.group, operation);
        }
    }
    Ok(groups.finish())
}

/// An operation's names, taken where it is placed.
struct OperationNames {
    operation_id: String,
    method_name: String,
    builder_name: String,
}

/// Methods of the runtime's `ClientBuilder`, which a header default or a security scheme's
/// method may not take.
pub(super) const CLIENT_BUILDER_METHODS: &[&str] = &[
    "allow_http",
    "audience",
    "bearer_token",
    "build",
    "build_with",
    "client_credentials",
    "default_header_parameter",
    "http_client",
    "max_response_bytes",
    "max_retries",
    "max_retry_wait",
    "retry_base_delay",
    "retry_non_idempotent",
    "telemetry",
    "timeout",
    "token_url",
];

/// The optional string header parameters of all operations, once each by wire name (case
/// insensitive), in spec order: a client can give a value for each that every call sends
/// unless the caller sets one. Each such parameter gets the index of its default.
pub(super) fn header_defaults(groups: &mut [Group], schemes: &[SecurityScheme]) -> Vec<HeaderDefault> {
    let mut reserved = super::security::reserved_methods();
    reserved.extend(schemes.iter().filter_map(|s| match &s.kind {
        SchemeKind::Basic { method, .. } | SchemeKind::ApiKey { method, .. } => Some(method.trim_start_matches("r#")),
        SchemeKind::Bearer { .. } => None,
    }));
    let mut names = Scope::with_reserved(Case::Value, &reserved);
    let mut defaults: Vec<HeaderDefault> = Vec::new();
    for param in groups.iter_mut().flat_map(|g| &mut g.operations).flat_map(|op| &mut op.params) {
        if param.location != ParamLocation::Header || param.required || param.ty != TypeRef::String {
            continue;
        }
        let known = defaults.iter().position(|d| d.wire_name.eq_ignore_ascii_case(&param.wire_name));
        param.client_default = Some(known.unwrap_or(defaults.len()));
        if known.is_none() {
            defaults.push(HeaderDefault {
                wire_name: param.wire_name.clone(),
                method_name: names.claim(&format!("default {}", param.wire_name)),
                doc: param.doc.clone(),
            });
        }
    }
    defaults
}

#[allow(clippy::too_many_arguments)]
fn operation(
    cx: &mut Context<'_>,
    path: &str,
    method: &str,
    op: &openapiv3::Operation,
    path_item_params: (&[ReferenceOr<Parameter>], &Pointer),
    schemes: &[SecurityScheme],
    OperationNames { operation_id, method_name, builder_name }: OperationNames,
    builders: &mut Scope,
    pointer: &Pointer,
) -> Result<Operation, Error> {
    let type_hint = cx.type_names_hint(&operation_id);

    let security = super::security::requirements(cx, schemes, op.security.as_ref(), pointer);
    let credential_places = super::security::credential_places(schemes, &security);

    // Parameter names share the builder's fields and methods with the client and the body.
    let mut param_names = Scope::with_reserved(Case::Value, crate::model::BUILDER_MEMBERS);
    let body = match &op.request_body {
        Some(body) => request_body(cx, body, &mut param_names, &type_hint, &pointer.join("requestBody"))?,
        None => None,
    };
    let mut params = parameters(cx, op, path_item_params, &credential_places, &mut param_names, &type_hint, pointer)?;
    undeclared_path_params(cx, path, &mut params, &mut param_names, pointer);
    // A declared path parameter the path does not use cannot be sent: left out, with a warning.
    params.retain(|p| {
        let used = p.location != ParamLocation::Path || path.contains(&format!("{{{}}}", p.wire_name));
        if !used {
            cx.warn(pointer, format!("path parameter `{}` does not appear in the path; left out", p.wire_name));
        }
        used
    });
    let segments = path_segments(cx, path, &params, pointer)?;
    let release = lifecycle(cx, op, pointer);
    let (response, error_type, responses) =
        responses(cx, op, &type_hint, &builder_name, builders, &pointer.join("responses"))?;

    Ok(Operation {
        operation_id,
        method_name,
        builder_name,
        http_method: http_method(method),
        path: path.to_owned(),
        segments,
        summary: op.summary.clone(),
        description: op.description.clone(),
        deprecated: op.deprecated || release == Some(Lifecycle::Deprecated),
        release: match release {
            Some(Lifecycle::Release(release)) => Some(release),
            _ => None,
        },
        params,
        body,
        response,
        error_type,
        responses,
        security,
        paging: None,
    })
}

impl Context<'_> {
    /// The base of the names of an operation's inline types, e.g. `CreateTicket`.
    fn type_names_hint(&self, operation_id: &str) -> String {
        crate::names::identifier(operation_id, Case::Type)
    }
}

fn http_method(method: &str) -> HttpMethod {
    match method {
        "put" => HttpMethod::Put,
        "post" => HttpMethod::Post,
        "delete" => HttpMethod::Delete,
        "options" => HttpMethod::Options,
        "head" => HttpMethod::Head,
        "patch" => HttpMethod::Patch,
        "trace" => HttpMethod::Trace,
        _ => HttpMethod::Get,
    }
}

fn parameters(
    cx: &mut Context<'_>,
    op: &openapiv3::Operation,
    (path_item_params, item_pointer): (&[ReferenceOr<Parameter>], &Pointer),
    credential_places: &[(ParamLocation, String)],
    names: &mut Scope,
    type_hint: &str,
    pointer: &Pointer,
) -> Result<Vec<Param>, Error> {
    // Path-level parameters first, each replaced by an operation parameter of the same name and place.
    let mut all: IndexMap<(String, &'static str), (&Parameter, Pointer)> = IndexMap::new();
    let declared = path_item_params
        .iter()
        .enumerate()
        .map(|(i, p)| (p, item_pointer.join("parameters").join(i)))
        .chain(op.parameters.iter().enumerate().map(|(i, p)| (p, pointer.join("parameters").join(i))));
    for (param, param_pointer) in declared {
        let (param, param_pointer) = cx.follow(param, &param_pointer, "parameters", |c| &c.parameters)?;
        let data = param.parameter_data_ref();
        let place = match param {
            Parameter::Path { .. } => "path",
            Parameter::Query { .. } => "query",
            Parameter::Header { .. } => "header",
            Parameter::Cookie { .. } => "cookie",
        };
        all.insert((data.name.clone(), place), (param, param_pointer));
    }

    let mut params = Vec::new();
    for ((wire_name, _), (param, param_pointer)) in all {
        let data = param.parameter_data_ref();
        let location = match param {
            Parameter::Path { .. } => ParamLocation::Path,
            Parameter::Query { .. } => ParamLocation::Query,
            Parameter::Header { .. } => ParamLocation::Header,
            Parameter::Cookie { .. } => ParamLocation::Cookie,
        };
        let lower = wire_name.to_ascii_lowercase();
        // OpenAPI: these header parameters "SHALL be ignored"; the client sets them itself.
        let content_header = location == ParamLocation::Header && (lower == "accept" || lower == "content-type");
        // So are the operation's credentials (`Authorization`, an API key's header, query
        // parameter or cookie), set once on the client builder. A spec without a security
        // scheme keeps its `Authorization` parameter, as the only way to authenticate. Nothing
        // is lost either way, so neither is a warning.
        let credential = credential_places.iter().any(|(place, name)| *place == location && *name == lower);
        if content_header || credential {
            continue;
        }
        // A parameter described by `content` (`{application/json: {schema}}`) is its one media
        // type's schema; a JSON one is sent as the value's JSON text.
        let (schema, schema_pointer, json) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => (Some(schema), param_pointer.join("schema"), false),
            ParameterSchemaOrContent::Content(content) => {
                let Some((media_type, media)) = content.iter().next() else {
                    return Err(cx.error(&param_pointer.join("content"), "a parameter's `content` needs a media type"));
                };
                let pointer = param_pointer.join("content").join(media_type).join("schema");
                (media.schema.as_ref(), pointer, is_json(media_type))
            }
        };
        let maximum = schema.and_then(|schema| integer_maximum(cx, schema));
        let hint = Hint::new(format!("{type_hint} {wire_name}"), format!("The `{wire_name}` parameter."));
        let shape = match schema {
            Some(schema) => shape_of(cx, SchemaRef::of(schema), &hint, &schema_pointer)?,
            // A media type without a schema takes any value.
            None => shape_of(
                cx,
                SchemaRef::Item(&Schema {
                    schema_data: Default::default(),
                    schema_kind: SchemaKind::Any(Default::default()),
                }),
                &hint,
                &schema_pointer,
            )?,
        };
        // Values of any type are written in the parameter's style: `form` in the query
        // (`Request::query_value`), `simple` in the path and headers (`request::simple_style`).
        let mut doc = shape.doc;
        if data.description.is_some() {
            doc.description = data.description.clone();
        }
        doc.deprecated |= data.deprecated.unwrap_or(false);
        // A schema shared with response fields may be `readOnly`; a parameter is always sent.
        (doc.read_only, doc.write_only) = (false, false);
        params.push(Param {
            rust_name: names.claim(&wire_name),
            wire_name,
            location,
            required: data.required || location == ParamLocation::Path,
            client_default: None,
            ty: shape.ty,
            explode: data.explode.unwrap_or(true),
            json,
            constraints: shape.constraints,
            maximum,
            doc,
        });
    }
    Ok(params)
}

/// A media type without its parameters, in lower case (`application/json`).
fn essence(media_type: &str) -> String {
    media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// Whether a media type is JSON (`application/json`, `application/problem+json`).
fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// The largest value an integer parameter's schema allows, if it says.
fn integer_maximum(cx: &Context<'_>, schema: &ReferenceOr<Schema>) -> Option<u64> {
    let (schema, _) = cx.follow(schema, &Pointer::root(), "schemas", |c| &c.schemas).ok()?;
    match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(integer)) => {
            let maximum = integer.maximum?.checked_sub(i64::from(integer.exclusive_maximum))?;
            u64::try_from(maximum).ok()
        }
        _ => None,
    }
}

/// A `{name}` in the path that no parameter declares (a mistake some published specs make)
/// becomes a required string parameter, with a warning, so that the operation can be called.
fn undeclared_path_params(
    cx: &mut Context<'_>,
    path: &str,
    params: &mut Vec<Param>,
    names: &mut Scope,
    pointer: &Pointer,
) {
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}').map(|end| start + end) else { return };
        let wire_name = &rest[start + 1..end];
        if !params.iter().any(|p| p.location == ParamLocation::Path && p.wire_name == wire_name) {
            cx.warn(
                pointer,
                format!("the path uses `{{{wire_name}}}`, which no parameter declares; taken as a required string"),
            );
            params.push(Param {
                rust_name: names.claim(wire_name),
                wire_name: wire_name.to_owned(),
                location: ParamLocation::Path,
                required: true,
                client_default: None,
                ty: TypeRef::String,
                explode: false,
                json: false,
                constraints: Default::default(),
                maximum: None,
                doc: Default::default(),
            });
        }
        rest = &rest[end + 1..];
    }
}

fn path_segments(cx: &Context<'_>, path: &str, params: &[Param], pointer: &Pointer) -> Result<Vec<PathSegment>, Error> {
    let mut segments = Vec::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        // A segment is text and `{parameter}`s, e.g. `{base}...{head}`.
        let mut parts = Vec::new();
        let mut rest = segment;
        while !rest.is_empty() {
            match rest.find('{') {
                Some(0) => {
                    let end = rest.find('}').ok_or_else(|| {
                        cx.error(pointer, format!("the path segment `{segment}` has an unclosed `{{`"))
                    })?;
                    let name = &rest[1..end];
                    let param = params
                        .iter()
                        .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
                        .ok_or_else(|| {
                            cx.error(pointer, format!("the path uses `{{{name}}}`, which no path parameter declares"))
                        })?;
                    parts.push(PathSegment::Param(param));
                    rest = &rest[end + 1..];
                }
                found => {
                    let end = found.unwrap_or(rest.len());
                    if rest[..end].contains('}') {
                        return Err(cx.error(pointer, format!("the path segment `{segment}` has a `}}` without `{{`")));
                    }
                    parts.push(PathSegment::Literal(rest[..end].to_owned()));
                    rest = &rest[end..];
                }
            }
        }
        segments.push(match parts.len() {
            1 => parts.remove(0),
            _ => PathSegment::Mixed(parts),
        });
    }
    Ok(segments)
}

fn request_body(
    cx: &mut Context<'_>,
    body: &ReferenceOr<openapiv3::RequestBody>,
    names: &mut Scope,
    type_hint: &str,
    pointer: &Pointer,
) -> Result<Option<RequestBody>, Error> {
    let (body, pointer) = cx.follow(body, pointer, "requestBodies", |c| &c.request_bodies)?;
    let hint = Hint::new(format!("{type_hint} Body"), "The request body.");
    let Some((content_type, kind)) = content(cx, &body.content, true, &hint, &pointer.join("content"))? else {
        cx.warn(&pointer.join("content"), "a request body without a media type: the operation sends none");
        return Ok(None);
    };
    let other_content_types = body.content.keys().filter(|m| **m != content_type).cloned().collect();
    Ok(Some(RequestBody {
        rust_name: names.claim("body"),
        other_content_types,
        content_type,
        kind,
        required: body.required,
        // ExaVault's bodies have `description: ""`: no doc, so the setter gets the default one.
        description: body.description.clone().filter(|text| !text.trim().is_empty()),
    }))
}

/// The media type the client uses from `content` (JSON first, then for a request body a
/// form, then text, then bytes), and how its body is typed. An answer in
/// `text/event-stream` is a stream of events typed by its schema.
fn content(
    cx: &mut Context<'_>,
    content: &IndexMap<String, MediaType>,
    request: bool,
    hint: &Hint,
    pointer: &Pointer,
) -> Result<Option<(String, BodyKind)>, Error> {
    const FORM: &str = "application/x-www-form-urlencoded";
    // JSON first; a request body may also be a form or multipart.
    let chosen = content
        .iter()
        .find(|(media_type, _)| is_json(media_type))
        .or_else(|| content.iter().find(|(media_type, _)| request && essence(media_type) == FORM))
        .or_else(|| content.iter().find(|(media_type, _)| request && essence(media_type) == "multipart/form-data"))
        .or_else(|| content.iter().find(|(media_type, _)| essence(media_type).starts_with("text/")))
        .or_else(|| content.iter().find(|(media_type, _)| essence(media_type) == "application/octet-stream"))
        .or_else(|| content.iter().find(|(media_type, _)| essence(media_type) == "*/*"));
    // Any other media type is raw bytes, sent and read as they are.
    let Some((media_type, media)) = chosen.or_else(|| content.iter().next()) else { return Ok(None) };
    if !request && essence(media_type) == "multipart/form-data" {
        cx.warn(&pointer.join(media_type), "a multipart answer is read as bytes");
    }
    let typed = |cx: &mut Context<'_>| match &media.schema {
        Some(schema) => {
            shape_of(cx, SchemaRef::of(schema), hint, &pointer.join(media_type).join("schema")).map(|s| s.ty)
        }
        None => Ok(TypeRef::Json),
    };
    let kind = if is_json(media_type) {
        BodyKind::Json(typed(cx)?)
    } else if essence(media_type) == FORM {
        BodyKind::Form(typed(cx)?)
    } else if request && essence(media_type) == "multipart/form-data" {
        match typed(cx)? {
            ty @ TypeRef::Named(_) => BodyKind::Multipart(ty),
            _ => {
                cx.warn(
                    &pointer.join(media_type),
                    "a multipart body that is not an object: the body is bytes, encoded by the caller",
                );
                BodyKind::Bytes
            }
        }
    } else if !request && essence(media_type) == "text/event-stream" {
        // The tag is known once every type is: `finish::event_stream_tags` sets it.
        BodyKind::EventStream { ty: typed(cx)?, tag: None }
    } else if essence(media_type).starts_with("text/") {
        BodyKind::Text
    } else {
        BodyKind::Bytes
    };
    Ok(Some((media_type.clone(), kind)))
}

type Responses = (SuccessResponse, TypeRef, Vec<ResponseDoc>);

/// A success status, its description and its body (media type and kind), if it has one.
type Success = (Status, String, Option<(String, BodyKind)>);

/// The success answer: one body when all success statuses agree on it (or there is one),
/// else an enum with a variant per status.
fn success_response(successes: Vec<Success>, builder_name: &str, builders: &mut Scope) -> SuccessResponse {
    let same_body =
        successes.windows(2).all(|pair| pair[0].2.as_ref().map(|b| &b.1) == pair[1].2.as_ref().map(|b| &b.1));
    if same_body {
        return match successes.into_iter().next() {
            Some((_, description, body)) => SuccessResponse { description: Some(description), body, by_status: None },
            None => SuccessResponse { description: None, body: None, by_status: None },
        };
    }
    let mut names = Scope::new(Case::Type);
    let variants = successes
        .into_iter()
        .map(|(status, description, body)| StatusVariant {
            name: names.claim(&status_name(status)),
            status,
            // One variant of several: an event stream there is read whole, as text.
            body: body.map(|(media_type, kind)| match kind {
                BodyKind::EventStream { .. } => (media_type, BodyKind::Text),
                other => (media_type, other),
            }),
            description,
        })
        .collect();
    let name = builders.claim(&format!("{builder_name} Response"));
    SuccessResponse { description: None, body: None, by_status: Some(StatusEnum { name, variants }) }
}

/// A variant name for a success status, after its reason phrase.
fn status_name(status: Status) -> String {
    let name = match status {
        Status::Code(200) => "Ok",
        Status::Code(201) => "Created",
        Status::Code(202) => "Accepted",
        Status::Code(203) => "NonAuthoritative",
        Status::Code(204) => "NoContent",
        Status::Code(205) => "ResetContent",
        Status::Code(206) => "PartialContent",
        Status::Code(207) => "MultiStatus",
        Status::Code(208) => "AlreadyReported",
        Status::Code(226) => "ImUsed",
        Status::Range(2) => "Success",
        Status::Default => "Default",
        other => return other.to_string(),
    };
    name.to_owned()
}

fn responses(
    cx: &mut Context<'_>,
    op: &openapiv3::Operation,
    type_hint: &str,
    builder_name: &str,
    builders: &mut Scope,
    pointer: &Pointer,
) -> Result<Responses, Error> {
    let declared: Vec<(Status, &ReferenceOr<Response>)> = op
        .responses
        .responses
        .iter()
        .map(|(status, response)| match status {
            StatusCode::Code(code) => (Status::Code(*code), response),
            StatusCode::Range(range) => (Status::Range(*range), response),
        })
        .chain(op.responses.default.iter().map(|response| (Status::Default, response)))
        .collect();
    let has_success = declared.iter().any(|(status, _)| status.is_success());

    let mut successes: Vec<Success> = Vec::new();
    let mut error_types: Vec<TypeRef> = Vec::new();
    let mut docs = Vec::new();
    for (status, response) in declared {
        let (response, response_pointer) = cx.follow(response, &pointer.join(status), "responses", |c| &c.responses)?;
        docs.push(ResponseDoc { status, description: response.description.clone() });
        // `default` is the success answer of an operation that names none, and an error
        // answer of one that does.
        let is_success = status.is_success() || (status == Status::Default && !has_success);
        let is_error = match status {
            Status::Default => has_success,
            other => *other.codes().start() >= 400,
        };
        if is_success {
            let hint = Hint::new(format!("{type_hint} Response"), "The response body.");
            let body = content(cx, &response.content, false, &hint, &response_pointer.join("content"))?;
            successes.push((status, response.description.clone(), body));
        }
        if is_error {
            let hint = Hint::new(format!("{type_hint} Error"), "An error response body.");
            if let Some((_, BodyKind::Json(ty))) =
                content(cx, &response.content, false, &hint, &response_pointer.join("content"))?
            {
                error_types.push(ty);
            }
        }
    }
    let success = success_response(successes, builder_name, builders);
    error_types.sort();
    error_types.dedup();
    let error_type = match error_types.as_slice() {
        [single] => single.clone(),
        _ => TypeRef::Json,
    };
    Ok((success, error_type, docs))
}

/// What `x-release-lifecycle` says of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lifecycle {
    Release(Release),
    Deprecated,
}

/// The operation's `x-release-lifecycle` (Auth0's: `GA`, `EA`, `beta`, `deprecated`); `None`
/// for general availability, no extension, or a value it does not know (with a warning).
fn lifecycle(cx: &mut Context<'_>, op: &openapiv3::Operation, pointer: &Pointer) -> Option<Lifecycle> {
    let value = op.extensions.get("x-release-lifecycle")?;
    match value.as_str().map(str::to_ascii_lowercase).as_deref() {
        Some("ga") => None,
        Some("beta") => Some(Lifecycle::Release(Release::Beta)),
        Some("ea" | "early-access" | "early access") => Some(Lifecycle::Release(Release::EarlyAccess)),
        Some("deprecated") => Some(Lifecycle::Deprecated),
        _ => {
            cx.warn(&pointer.join("x-release-lifecycle"), format!("unknown release stage {value}; ignored"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    /// Parameters the client sets itself (`Accept`, `Content-Type`, the credentials of the
    /// operation's schemes) are left out without a warning: nothing is lost, as OpenAPI says
    /// to ignore the first two and the client builder takes the credentials once. An
    /// operation that requires no scheme keeps its `Authorization` parameter.
    #[test]
    fn parameters_the_client_sets_are_left_out_in_silence() {
        let spec = r#"
openapi: 3.0.3
info: {title: Client-set, version: '1'}
paths:
  /keyed:
    get:
      operationId: keyed
      security: [{key: []}]
      parameters:
        - {name: Accept, in: header, schema: {type: string}}
        - {name: content-type, in: header, schema: {type: string}}
        - {name: X-API-Key, in: header, schema: {type: string}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses: {'204': {description: Done}}
  /open:
    get:
      operationId: open
      security: []
      parameters:
        - {name: Authorization, in: header, schema: {type: string}}
      responses: {'204': {description: Done}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-API-Key}
"#;
        let (model, warnings) = crate::model(crate::Spec::new("spec.yaml", spec)).expect("the spec is read");
        assert!(warnings.is_empty(), "{warnings:?}");
        let params = |id: &str| -> Vec<String> {
            let op = model
                .groups
                .iter()
                .flat_map(|g| &g.operations)
                .find(|op| op.operation_id == id)
                .expect("the operation");
            op.params.iter().map(|p| p.wire_name.clone()).collect()
        };
        assert_eq!(params("keyed"), ["X-Trace"]);
        assert_eq!(params("open"), ["Authorization"]);
    }
}
