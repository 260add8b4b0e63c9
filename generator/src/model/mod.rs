//! The intermediate model: what the generated crate contains, with every `$ref` followed,
//! every Rust name made and every schema mapped to a Rust type.
//!
//! `resolve` builds it from the spec; `emit` turns it into code without looking at the
//! spec again. Every list is in a stable order (spec order or name), so the same spec always
//! gives the same files. Names here are final Rust identifiers (`r#type` for keywords).
//! Parts refer to each other directly, never by a name to look up: a type by its [`TypeId`],
//! a path parameter by its index in the operation's parameters. The command-line tool's part
//! is in [`cli`].

mod cli;
mod type_options;

pub use cli::{Cli, CliAlias, CliCommand, CliFlag, CliGlobal, CliGroup, FlagSource, ListFlags};
pub use type_options::{Derive, ReplacedSchema};

/// The names of a request builder's own fields and methods, which `emit` writes beside one
/// field and setter per parameter: `resolve` keeps parameter names off them. (The code of
/// the builder's methods reads parameters as `self.<field>`, so its locals, `request` or
/// `value`, take no name from parameters.)
pub const BUILDER_MEMBERS: &[&str] =
    &["client", "options", "send", "send_streaming", "into_request", "read_page", "pages", "pages_from", "into_stream"];

/// The whole API.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The package's licence: an SPDX expression the spec states (`info.license`).
    pub license: Option<String>,
    /// The API's web page (`externalDocs.url`, else `info.contact.url`), an `http(s)` URL.
    pub homepage: Option<String>,
    /// The first server of the spec, if it has an absolute URL.
    pub server: Option<Server>,
    /// The spec's security schemes that the client can send, in spec order; an operation
    /// names them by index ([`Operation::security`]).
    pub security_schemes: Vec<SecurityScheme>,
    /// Every named type, sorted by name. A [`TypeId`] is an index into it.
    pub types: Vec<TypeDef>,
    /// The operations, in groups as the client reaches them. The client's own methods (if
    /// any) come first; a group comes before the groups reached from it.
    pub groups: Vec<Group>,
    /// The Cargo feature (on by default) that compiles the types no operation uses, in a crate
    /// whose groups are features (see [`Group::feature`]) and that has such types.
    pub unused_types_feature: Option<String>,
    /// Optional string header parameters, which a client can give a value for every call
    /// (`ClientBuilder::default_auth0_custom_domain`), by wire name.
    pub header_defaults: Vec<HeaderDefault>,
    /// The command-line tool: a subcommand per operation.
    pub cli: Cli,
    /// The string formats with types of their own that the crate uses (each needs its
    /// crate: `chrono`, `uuid`), in order; empty unless generated with typed formats.
    pub formats: Vec<StringFormat>,
    /// The component schemas replaced by the user's Rust types
    /// ([`crate::Config::replacements`]): [`TypeRef::Replaced`] is an index of it.
    pub replaced: Vec<ReplacedSchema>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeaderDefault {
    pub wire_name: String,
    /// The `ClientBuilder` method, e.g. `default_auth0_custom_domain`.
    pub method_name: String,
    pub doc: Doc,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The URL template, e.g. `https://{tenantDomain}/api/v2`.
    pub url: String,
    pub description: Option<String>,
    pub variables: Vec<ServerVariable>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    /// The name in the URL template, e.g. `tenantDomain`.
    pub wire_name: String,
    /// The Rust parameter name, e.g. `tenant_domain`.
    pub rust_name: String,
    pub default: String,
    pub description: Option<String>,
}

/// A security scheme of `components/securitySchemes`: how its credentials travel.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The scheme's name in the spec, e.g. `api_key`; the runtime knows it by this name.
    pub name: String,
    pub description: Option<String>,
    pub kind: SchemeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>`: HTTP bearer, OAuth 2 (any flow) and OpenID Connect.
    /// Every such scheme takes the client's one token (`ClientBuilder::bearer_token`, or
    /// `client_credentials`), since all travel in the same header.
    Bearer {
        /// The token endpoint of an OAuth 2 client-credentials flow, as the spec writes it
        /// (absolute, or relative to the server).
        token_url: Option<String>,
    },
    /// `Authorization: Basic base64(username:password)`.
    Basic {
        /// The `ClientBuilder` method that takes the username and password, e.g. `basic_auth`.
        method: String,
        /// The suffix of the tool's environment variables, e.g. `BASIC_AUTH` (for
        /// `{PREFIX}_BASIC_AUTH_USERNAME` and `..._PASSWORD`).
        env: String,
    },
    /// A key sent as a header, query parameter or cookie named `wire_name`.
    ApiKey {
        location: ParamLocation,
        wire_name: String,
        /// The `ClientBuilder` method that takes the key, e.g. `api_key`.
        method: String,
        /// The suffix of the tool's environment variable, e.g. `API_KEY`.
        env: String,
    },
}

impl SecurityScheme {
    pub fn is_bearer(&self) -> bool {
        matches!(self.kind, SchemeKind::Bearer { .. })
    }
}

impl Model {
    /// The type an id stands for. Every id in the model is an index of [`Model::types`].
    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// Whether a scheme takes a bearer token (`ClientBuilder::bearer_token`).
    pub fn has_bearer(&self) -> bool {
        self.security_schemes.iter().any(SecurityScheme::is_bearer)
    }

    /// The token endpoint of the first OAuth 2 client-credentials flow, if a scheme has one.
    pub fn token_url(&self) -> Option<&str> {
        self.security_schemes.iter().find_map(|s| match &s.kind {
            SchemeKind::Bearer { token_url } => token_url.as_deref(),
            _ => None,
        })
    }

    /// The top-level groups that are Cargo features, with their features, in order.
    pub fn group_features(&self) -> impl Iterator<Item = (&Group, &str)> {
        self.groups.iter().filter_map(|group| Some((group, group.feature.as_deref()?)))
    }

    /// The names of the groups from the client to group `index`, outermost first: the
    /// accessors called one after another reach it (`client.guardian().enrollments()`).
    /// Empty for the client's own methods.
    pub fn group_path(&self, index: usize) -> Vec<&GroupName> {
        let mut path = Vec::new();
        let mut next = Some(index);
        while let Some(group) = next.and_then(|i| self.groups.get(i)) {
            path.extend(&group.name);
            next = group.parent;
        }
        path.reverse();
        path
    }

    /// The words that run a command of the tool, e.g. `["guardian", "enrollments", "create-ticket"]`.
    pub fn cli_words<'m>(&'m self, command: &'m CliCommand) -> Vec<&'m str> {
        let mut words = vec![command.name.as_str()];
        let mut next = Some(command.group);
        while let Some(index) = next {
            words.extend(self.cli.groups.get(index).and_then(Option::as_ref).map(|g| g.name.as_str()));
            next = self.groups.get(index).and_then(|g| g.parent);
        }
        words.reverse();
        words
    }
}

/// A type of [`Model::types`], by its index there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TypeId(usize);

impl TypeId {
    pub(crate) fn new(index: usize) -> Self {
        Self(index)
    }

    pub fn index(self) -> usize {
        self.0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    /// The schema is `deprecated`: the type gets `#[deprecated]`.
    pub deprecated: bool,
    /// Whether a member (a struct's field, a union's variant), directly or through a type it
    /// holds, carries a constraint: then the type gets a `validate` method that the client
    /// calls before sending. Never for an enum.
    pub validates: bool,
    /// The Cargo features that compile the type and everything written for it.
    pub compiled: Compiled,
    /// The derives of [`crate::Config::derives`] the type gets beyond those every type of its
    /// kind has (see [`TypeKind::derives`]): each one its members allow, in the user's order.
    pub derives: Vec<Derive>,
    pub kind: TypeKind,
}

/// When a type is compiled, in a crate whose top-level groups are Cargo features (see
/// [`Group::feature`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Compiled {
    /// Always: the crate has no group features, or the client's own methods use the type, or
    /// a type that is always compiled holds it.
    #[default]
    Always,
    /// When any of these features is on: those of the groups whose operations use the type,
    /// directly or through the types that hold it, in the order of [`Model::groups`]; then
    /// [`Model::unused_types_feature`] if a type no operation uses holds it (or it is one).
    WithAnyOf(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum, or an integer one (3.1's `oneOf` of `const`s). Unknown values decode
    /// into the `fallback` variant.
    Enum {
        variants: Vec<Variant>,
        fallback: String,
        /// The values are integers, numbers on the wire (each variant's `wire_name` is its
        /// decimal text); otherwise strings.
        integer: bool,
    },
    /// A value of one of several types (`oneOf`, `anyOf`).
    Union(Union),
}

impl TypeKind {
    /// Whether every type of this kind has `derive` already: a struct and a union derive
    /// `Debug`, `Clone` and `PartialEq`, an enum also `Eq` and `Hash` (an integer enum
    /// `Copy` too). `emit::types` writes these derives.
    pub fn derives(&self, derive: &Derive) -> bool {
        match self {
            TypeKind::Enum { .. } => matches!(derive, Derive::PartialEq | Derive::Eq | Derive::Hash),
            TypeKind::Struct(_) | TypeKind::Union(_) => *derive == Derive::PartialEq,
        }
    }
}

/// A `oneOf` or `anyOf`: a Rust enum with a variant per alternative.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// How a value is told apart when decoding.
    pub decoding: UnionDecoding,
    /// In decoding order for an untagged union; in spec order for a tagged one.
    pub variants: Vec<UnionVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum UnionDecoding {
    /// By the value of a property every variant has: the spec's `discriminator`, or a
    /// property whose value is a different constant in every variant.
    Tagged {
        property: String,
        /// The variant that keeps a value whose tag this version does not know.
        fallback: String,
    },
    /// By trying each variant in turn; the first that decodes wins.
    Untagged,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
    /// For a tagged union: the values of the tag that select this variant.
    pub tag_values: Vec<String>,
    /// The variant's type refers back to the union: the value is boxed.
    pub boxed: bool,
    pub constraints: Constraints,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub name: String,
    pub wire_name: String,
    /// What the spec says of this value (the `description` of a `const` alternative).
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    /// The name of the builder method that sets an optional field.
    pub setter: String,
    pub ty: TypeRef,
    /// The field must be present. An optional field is `Option<T>` and left out when `None`.
    pub required: bool,
    /// The field may be `null`. Required and nullable: `Option<T>`, `None` is `null`.
    /// Optional and nullable: `Option<Option<T>>`, so that absent (`None`) and `null`
    /// (`Some(None)`) stay apart, as the spec keeps them apart.
    pub nullable: bool,
    /// The field's type refers back to the struct it is in: the field is boxed.
    pub boxed: bool,
    pub constraints: Constraints,
    pub doc: Doc,
}

/// Documentation taken from the spec, for one field or parameter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    pub description: Option<String>,
    /// A string format the generator keeps as a plain string, e.g. `user-id`.
    pub format: Option<String>,
    /// The spec's default, as JSON.
    pub default: Option<String>,
    pub deprecated: bool,
    /// `readOnly`: only in answers. Such a field is optional, so requests can leave it out.
    pub read_only: bool,
    /// `writeOnly`: only in requests. Such a field is optional, as answers leave it out.
    pub write_only: bool,
}

/// Checks made before a request is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Constraints {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub email: bool,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        self.min_length.is_none() && self.max_length.is_none() && !self.email
    }
}

/// A Rust type, as a field, parameter or body has it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// A type of [`Model::types`].
    Named(TypeId),
    String,
    Bool,
    Integer(IntegerType),
    Float(FloatType),
    Vec(Box<TypeRef>),
    /// A JSON array of exactly these items (3.1 `prefixItems`): a Rust tuple.
    Tuple(Vec<TypeRef>),
    /// A JSON object with arbitrary keys.
    Map(Box<TypeRef>),
    /// An item of a list or tuple, or a value of a map, that may be `null`: `Option<T>`,
    /// `None` for `null`. Never around [`TypeRef::Json`], which holds `null` itself; a field
    /// or parameter says it may be `null` with its own `nullable`.
    Nullable(Box<TypeRef>),
    /// Any JSON value.
    Json,
    /// `format: binary`: a file (`crate::File`): a part of its own in a multipart body,
    /// base64 in JSON.
    File,
    /// A string of a format read into its own type, when the crate is generated with typed
    /// formats ([`crate::Config::typed_formats`]); a plain `String` otherwise.
    Formatted(StringFormat),
    /// A schema the user replaced by a Rust type of theirs: an index of [`Model::replaced`].
    Replaced(usize),
}

/// A string format with a Rust type of its own (crates `chrono` and `uuid`, serialized as
/// the spec's text: RFC 3339 date-times, ISO 8601 dates, hyphenated UUIDs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StringFormat {
    /// `date-time`: `chrono::DateTime<chrono::Utc>`.
    DateTime,
    /// `date`: `chrono::NaiveDate`.
    Date,
    /// `uuid`: `uuid::Uuid`.
    Uuid,
}

impl StringFormat {
    /// The format of a spec's `format` keyword, if it is one with a type of its own.
    pub fn of(format: &str) -> Option<Self> {
        match format {
            "date-time" => Some(Self::DateTime),
            "date" => Some(Self::Date),
            "uuid" => Some(Self::Uuid),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IntegerType {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FloatType {
    F32,
    F64,
}

/// The operations of one group: `client.guardian().enrollments()` reaches the group
/// `enrollments` inside `guardian`. A group is what the spec's SDK-naming extensions say
/// (`x-operation-group`), or else the operation's first tag.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// `None` for the operations that are methods of the client itself.
    pub name: Option<GroupName>,
    /// The group this one is reached from, by index in [`Model::groups`]; `None`: the client.
    pub parent: Option<usize>,
    /// The groups reached from this one, by index in [`Model::groups`], in spec order.
    pub children: Vec<usize>,
    /// The Cargo feature that compiles the group (its module and accessor), e.g.
    /// `attack-protection`. Only a top-level group has one, and only in a crate with two or
    /// more top-level groups: with one, the feature would pick nothing.
    pub feature: Option<String>,
    pub operations: Vec<Operation>,
}

/// A group's name in the spec and the names the client has for it.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupName {
    /// As the spec writes it: a tag, or a name of `x-operation-group` (`enrollments`).
    pub wire_name: String,
    /// The tag's description, for a group named by a tag that has one.
    pub description: Option<String>,
    /// The method that returns the group, on the client or on the group it is reached
    /// from, e.g. `enrollments`.
    pub accessor: String,
    /// The struct the accessor returns, unique in the crate, e.g. `GuardianEnrollmentsApi`.
    pub struct_name: String,
    /// The module the group is emitted in, inside its parent's, e.g. `enrollments`.
    pub module: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub operation_id: String,
    /// The method that starts the request, e.g. `create_ticket`.
    pub method_name: String,
    /// The request builder the method returns, in its group's module, e.g. `CreateTicket`.
    pub builder_name: String,
    pub http_method: HttpMethod,
    /// The path template as the spec writes it, e.g. `/users/{id}`.
    pub path: String,
    pub segments: Vec<PathSegment>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Not yet generally available (`x-release-lifecycle: beta` or `EA`): said in its docs.
    pub release: Option<Release>,
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    pub response: SuccessResponse,
    /// The type error bodies decode into: the one schema all error responses share, or JSON.
    pub error_type: TypeRef,
    /// The statuses the spec lists, for the documentation.
    pub responses: Vec<ResponseDoc>,
    /// The credentials the request carries: alternatives (the first the client has is sent),
    /// each a set of [`Model::security_schemes`] by index, all sent together. Empty: none
    /// (`security: []`, or no scheme the client can send). An empty alternative makes the
    /// others optional.
    pub security: Vec<Vec<usize>>,
    /// For a list that spans pages: how to walk them.
    pub paging: Option<Paging>,
}

/// How a list operation's pages are walked: what moves through them, and how each answer
/// gives its items. Recognised by `resolve::paging`, the one place its rule is.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    pub kind: PagingKind,
    /// The query parameter that sets the number of items per page, if there is one.
    pub size: Option<usize>,
    /// A boolean query parameter that asks for the list's total (Auth0's `include_totals`),
    /// sent `true` unless the caller sets it, when an answer has a total to give.
    pub totals: Option<usize>,
    /// The type of one item.
    pub item: TypeRef,
    /// How each shape of answer holds its page: one for a body that is not a union, else
    /// one per variant of the body's union, in its order.
    pub shapes: Vec<PageShape>,
}

/// What moves a walk from page to page. `param` is the query parameter that does, by index
/// in [`Operation::params`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagingKind {
    /// A page number (`page`), from the parameter's default (else 0).
    PageNumber { param: usize, first: u64 },
    /// The offset of the page's first item (`offset`).
    ItemOffset { param: usize },
    /// A cursor the previous answer gave (`next`), sent back (`from`).
    Cursor { param: usize },
    /// The URL of the next page, which each answer gives in its field `field` (the wire
    /// name, e.g. `@odata.nextLink`): fetched as it is, carrying its own query.
    NextLink { field: String },
}

impl PagingKind {
    /// The query parameter that moves through the pages; none when answers link the next.
    pub fn param(&self) -> Option<usize> {
        match *self {
            Self::PageNumber { param, .. } | Self::ItemOffset { param } | Self::Cursor { param } => Some(param),
            Self::NextLink { .. } => None,
        }
    }
}

/// Where one shape of answer keeps a page's items and what comes with them.
#[derive(Debug, Clone, PartialEq)]
pub struct PageShape {
    /// The variant of the body's union this shape is; `None` when the body is not a union.
    pub variant: Option<String>,
    /// The struct field holding the items; `None` when the value is the list itself.
    pub items: Option<String>,
    /// The struct field holding the number of items in the whole list.
    pub total: Option<String>,
    /// The struct field holding the next page's cursor, or its link.
    pub next: Option<String>,
}

/// A stage before general availability, as `x-release-lifecycle` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Release {
    /// `beta`: open to all, may still change.
    Beta,
    /// `EA`: early access, open to some tenants only, may still change.
    EarlyAccess,
}

impl Release {
    /// What the operation's docs say of it.
    pub fn note(self) -> &'static str {
        match self {
            Release::Beta => "**Beta**: the API may still change this operation.",
            Release::EarlyAccess => {
                "**Early access**: open to some tenants only; the API may still change this operation."
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

impl Operation {
    /// The parameters the operation's method takes as arguments, in their order: path
    /// parameters first, then the other required ones, each with its index in `params`.
    pub fn arguments(&self) -> impl Iterator<Item = (usize, &Param)> {
        let params = || self.params.iter().enumerate();
        let path = params().filter(|(_, p)| p.location == ParamLocation::Path);
        path.chain(params().filter(|(_, p)| p.location != ParamLocation::Path && p.required))
    }

    /// Whether the request cannot be sent without credentials.
    pub fn needs_credentials(&self) -> bool {
        !self.security.is_empty() && self.security.iter().all(|alternative| !alternative.is_empty())
    }

    /// The parameters set on the request builder (none of them required), with their index
    /// in `params`.
    pub fn optional_params(&self) -> impl Iterator<Item = (usize, &Param)> {
        self.params.iter().enumerate().filter(|(_, p)| !p.required)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Literal(String),
    /// A path parameter, by its index in [`Operation::params`].
    Param(usize),
    /// Text and parameters in one segment (`{base}...{head}`): literals and params only.
    Mixed(Vec<PathSegment>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire_name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    /// The request cannot be sent without it: every path parameter, and the others the spec
    /// marks `required`. The operation's method takes it as an argument (see
    /// [`Operation::arguments`]); an optional one is set on the request builder.
    pub required: bool,
    /// For an optional string header: the index in [`Model::header_defaults`] of the value a
    /// client can give for every call, sent when the caller sets none.
    pub client_default: Option<usize>,
    pub ty: TypeRef,
    /// For an array in the query: one `name=value` pair per item (`true`, the default), or
    /// one pair with the items joined by commas.
    pub explode: bool,
    /// Described by `content` of a JSON media type: sent as the value's JSON text
    /// (`?filter={"a":1}`), in any place.
    pub json: bool,
    pub constraints: Constraints,
    /// The largest value an integer parameter's schema allows (not checked before sending:
    /// the server does; kept so that a default the client picks, such as a page size, fits).
    pub maximum: Option<u64>,
    pub doc: Doc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    /// Sent as `name=value` in the `Cookie` header.
    Cookie,
}

impl ParamLocation {
    /// The location as the spec's `in` names it.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub rust_name: String,
    pub content_type: String,
    /// The other media types the spec accepts for this body; the client sends `content_type`.
    pub other_content_types: Vec<String>,
    pub kind: BodyKind,
    pub required: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    Json(TypeRef),
    /// `application/x-www-form-urlencoded`: the value's properties as `key=value` pairs.
    Form(TypeRef),
    /// `multipart/form-data`: a struct whose fields are parts (`File` fields file parts).
    Multipart(TypeRef),
    Text,
    Bytes,
    /// `text/event-stream` (an answer only): server-sent events, read as they arrive; each
    /// event's `data` is a JSON value of `ty`.
    EventStream {
        ty: TypeRef,
        /// When `ty` is a union tagged by a property: that property, which takes the event's
        /// `event:` name when the data lacks it (Auth0: "The type field is injected from the
        /// SSE event field by the SDK").
        tag: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct SuccessResponse {
    pub description: Option<String>,
    /// The media type asked for in `Accept`, and how the body is decoded; `None` when the
    /// success response has no body (or when `by_status` says how to decode it).
    pub body: Option<(String, BodyKind)>,
    /// Success statuses with different bodies: the answer is an enum with a variant per status.
    pub by_status: Option<StatusEnum>,
}

/// The answer of an operation whose success statuses have different bodies.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusEnum {
    /// The enum, in the operation's module, e.g. `CreatePetResponse`.
    pub name: String,
    pub variants: Vec<StatusVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    /// From the status: `Ok`, `Created`, `NoContent`, `Success` for `2XX`, `Default`.
    pub name: String,
    pub status: Status,
    pub body: Option<(String, BodyKind)>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseDoc {
    pub status: Status,
    pub description: String,
}

/// The status (or statuses) a response of the spec is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// One status, e.g. `201`.
    Code(u16),
    /// A class of statuses, by its first digit: `Range(2)` is `2XX`.
    Range(u16),
    /// `default`: every status the others do not name.
    Default,
}

impl Status {
    /// A `2xx` status or the `2XX` class (not `default`, which is a success only for an
    /// operation that names no success status).
    pub fn is_success(self) -> bool {
        match self {
            Status::Code(code) => (200..300).contains(&code),
            Status::Range(class) => class == 2,
            Status::Default => false,
        }
    }

    /// The statuses it stands for, as an inclusive range (`default`: every status).
    pub fn codes(self) -> std::ops::RangeInclusive<u16> {
        match self {
            Status::Code(code) => code..=code,
            Status::Range(class) => class.saturating_mul(100)..=class.saturating_mul(100).saturating_add(99),
            Status::Default => 100..=599,
        }
    }
}

impl std::fmt::Display for Status {
    /// As the spec writes it: `201`, `2XX` or `default`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Code(code) => write!(f, "{code}"),
            Status::Range(class) => write!(f, "{class}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}
