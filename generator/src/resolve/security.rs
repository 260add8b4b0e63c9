//! Security: the schemes the client can send credentials for, and what each operation
//! requires of them.
//!
//! Every scheme of `components/securitySchemes` becomes a [`SecurityScheme`]: an API key
//! (header, query or cookie), HTTP basic, or a bearer token (HTTP bearer, OAuth 2 of any flow,
//! OpenID Connect, which all share the client's one token). Other HTTP schemes (`digest`, ...)
//! are left out with a warning; 3.1's `mutualTLS` is removed by the parse stage. An API key or
//! basic scheme gets its `ClientBuilder` method here, named from the scheme (a lone basic
//! scheme is `basic_auth`), and the suffix of the tool's environment variables.
//!
//! An operation's requirements (its own `security`, else the document's) become
//! alternatives of sets of schemes, by index; a scheme that is not generated is dropped from
//! its set, so an alternative of only such schemes asks for nothing.

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityRequirement};

use super::Context;
use crate::error::Pointer;
use crate::model::{ParamLocation, SchemeKind, SecurityScheme};
use crate::names::{Case, Scope};

/// Names a scheme's builder method may not take: the runtime's `ClientBuilder` methods, and
/// names whose environment variable the tool already reads (`TOKEN`, `CLIENT_ID`, ...).
pub(super) fn reserved_methods() -> Vec<&'static str> {
    let mut reserved = super::operations::CLIENT_BUILDER_METHODS.to_vec();
    reserved.extend(["token", "client_id", "client_secret", "credential"]);
    reserved
}

/// The schemes the client can send, in spec order.
pub(super) fn schemes(cx: &mut Context<'_>) -> Vec<SecurityScheme> {
    let Some(components) = cx.document.components.as_ref() else { return Vec::new() };
    let basic_count = components
        .security_schemes
        .values()
        .filter(|s| matches!(s, ReferenceOr::Item(openapiv3::SecurityScheme::HTTP { scheme, .. }) if scheme.eq_ignore_ascii_case("basic")))
        .count();
    let mut methods = Scope::with_reserved(Case::Value, &reserved_methods());
    let mut schemes = Vec::new();
    for (name, scheme) in &components.security_schemes {
        let pointer = Pointer::root().join("components").join("securitySchemes").join(name);
        let ReferenceOr::Item(scheme) = scheme else {
            cx.warn(&pointer, "security scheme given by `$ref` is not supported yet; ignored");
            continue;
        };
        let (description, kind) = match scheme {
            openapiv3::SecurityScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                (description, SchemeKind::Bearer { token_url: None })
            }
            openapiv3::SecurityScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                let method = methods.claim(if basic_count == 1 { "basic_auth" } else { name });
                (description, SchemeKind::Basic { env: method.trim_start_matches("r#").to_ascii_uppercase(), method })
            }
            openapiv3::SecurityScheme::HTTP { scheme, .. } => {
                cx.warn(
                    &pointer,
                    format!(
                        "HTTP authentication scheme `{scheme}` is not supported (only `bearer` and `basic`); \
                         ignored: operations that require it are sent without it"
                    ),
                );
                continue;
            }
            openapiv3::SecurityScheme::APIKey { location, name: wire_name, description, .. } => {
                let location = match location {
                    APIKeyLocation::Header => ParamLocation::Header,
                    APIKeyLocation::Query => ParamLocation::Query,
                    APIKeyLocation::Cookie => ParamLocation::Cookie,
                };
                let method = methods.claim(name);
                let env = method.trim_start_matches("r#").to_ascii_uppercase();
                (description, SchemeKind::ApiKey { location, wire_name: wire_name.clone(), method, env })
            }
            openapiv3::SecurityScheme::OAuth2 { description, flows, .. } => {
                let token_url = flows.client_credentials.as_ref().map(|flow| flow.token_url.clone());
                (description, SchemeKind::Bearer { token_url })
            }
            openapiv3::SecurityScheme::OpenIDConnect { description, .. } => {
                (description, SchemeKind::Bearer { token_url: None })
            }
        };
        schemes.push(SecurityScheme { name: name.clone(), description: description.clone(), kind });
    }
    schemes
}

/// What an operation requires: its own `security`, else the document's, as alternatives of
/// sets of [`schemes`] by index. A scheme that is not generated is left out of its set, and
/// named once in a warning when the spec does not define it.
pub(super) fn requirements(
    cx: &mut Context<'_>,
    schemes: &[SecurityScheme],
    own: Option<&Vec<SecurityRequirement>>,
    pointer: &Pointer,
) -> Vec<Vec<usize>> {
    let (requirements, pointer) = match own {
        Some(own) => (own, pointer.join("security")),
        None => match cx.document.security.as_ref() {
            Some(document) => (document, Pointer::root().join("security")),
            None => return Vec::new(),
        },
    };
    let defined = |name: &str| cx.document.components.as_ref().is_some_and(|c| c.security_schemes.contains_key(name));
    let mut alternatives: Vec<Vec<usize>> = Vec::new();
    let mut undefined = Vec::new();
    for (index, requirement) in requirements.iter().enumerate() {
        let mut set = Vec::new();
        for name in requirement.keys() {
            match schemes.iter().position(|s| &s.name == name) {
                Some(scheme) => set.push(scheme),
                None if !defined(name) => undefined.push((index, name.clone())),
                None => {}
            }
        }
        if !alternatives.contains(&set) {
            alternatives.push(set);
        }
    }
    for (index, name) in undefined {
        if cx.unknown_schemes.insert(name.clone()) {
            cx.warn(
                &pointer.join(index),
                format!(
                    "security requirement names `{name}`, which `components/securitySchemes` does not define \
                     (or the parse stage removed); ignored"
                ),
            );
        }
    }
    // Only "nothing": no credentials, as `security: []`.
    if alternatives == [Vec::<usize>::new()] {
        alternatives.clear();
    }
    alternatives
}

/// Where an operation's credentials go, by place and lower-case name (`header`,
/// `authorization`): a parameter the spec also declares there is the client's to set.
pub(super) fn credential_places(schemes: &[SecurityScheme], security: &[Vec<usize>]) -> Vec<(ParamLocation, String)> {
    let mut places = Vec::new();
    for &index in security.iter().flatten() {
        let place = match &schemes[index].kind {
            SchemeKind::Bearer { .. } | SchemeKind::Basic { .. } => (ParamLocation::Header, "authorization".to_owned()),
            SchemeKind::ApiKey { location, wire_name, .. } => (*location, wire_name.to_ascii_lowercase()),
        };
        if !places.contains(&place) {
            places.push(place);
        }
    }
    places
}
