//! The seed fragment (tests/fixtures/auth0_seed.yaml) says what Auth0's reference page says
//! (../shared/seed/guardian-enrollments-ticket.txt):
//! every field, header, enum value, constraint and status, read back through the generator's
//! model, so that a spec edit that drops one fails here.

use generator::model::{BodyKind, Field, Model, Operation, ParamLocation, Status, TypeDef, TypeKind, TypeRef};
use generator::Spec;

fn model() -> Model {
    let path = xtask::codegen::workspace_root().join(integration_tests::SEED_SPEC);
    let text = std::fs::read_to_string(&path).expect("the seed fragment is readable");
    let (model, warnings) =
        generator::model(Spec::new(integration_tests::SEED_SPEC, &text)).expect("the seed fragment resolves");
    assert!(warnings.is_empty(), "{warnings:?}");
    model
}

fn type_def<'m>(model: &'m Model, ty: &TypeRef) -> &'m TypeDef {
    let TypeRef::Named(id) = ty else { panic!("{ty:?} is not a named type") };
    model.type_def(*id)
}

fn fields_of(def: &TypeDef) -> &[Field] {
    match &def.kind {
        TypeKind::Struct(s) => &s.fields,
        TypeKind::Enum { .. } | TypeKind::Union(_) => panic!("{} is not a struct", def.name),
    }
}

fn ticket_operation(model: &Model) -> &Operation {
    let group = model
        .groups
        .iter()
        .find(|g| g.name.as_ref().is_some_and(|n| n.wire_name == "enrollments"))
        .expect("a guardian tag");
    group.operations.iter().find(|op| op.operation_id == "create_guardian_enrollment_ticket").expect("the operation")
}

#[test]
fn server_and_authentication() {
    let model = model();
    let server = model.server.as_ref().expect("a server");
    assert_eq!(server.url, "https://{tenantDomain}/api/v2");
    let names: Vec<&str> = server.variables.iter().map(|v| v.wire_name.as_str()).collect();
    assert_eq!(names, ["tenantDomain"]);
    let auth = model.security_schemes.iter().find(|s| s.is_bearer()).expect("bearer auth");
    assert!(auth.description.as_deref().is_some_and(|d| d.contains("Bearer <token>")));
}

#[test]
fn the_operation() {
    let model = model();
    let op = ticket_operation(&model);
    assert_eq!((op.http_method.as_str(), op.path.as_str()), ("POST", "/guardian/enrollments/ticket"));
    assert!(op.summary.is_some() && op.description.is_some());
    assert!(op.needs_credentials());

    let [param] = op.params.as_slice() else { panic!("one parameter expected: {:?}", op.params) };
    assert_eq!(
        (param.wire_name.as_str(), param.location, param.required),
        ("auth0-custom-domain", ParamLocation::Header, false)
    );
    assert_eq!((param.constraints.min_length, param.constraints.max_length), (Some(3), Some(255)));
    assert_eq!(param.doc.description.as_deref(), Some("Custom domain to be used for this request"));
}

#[test]
fn the_request_body() {
    let model = model();
    let body = ticket_operation(&model).body.as_ref().expect("a body");
    assert!(body.required);
    assert_eq!(body.content_type, "application/json");
    let BodyKind::Json(ty) = &body.kind else { panic!("a JSON body") };
    let fields = fields_of(type_def(&model, ty));

    // (wire name, required, type, format, description starts with)
    type Expected = (&'static str, bool, Option<TypeRef>, Option<&'static str>, &'static str);
    let expected: &[Expected] = &[
        ("user_id", true, Some(TypeRef::String), Some("user-id"), "user_id for the enrollment ticket"),
        (
            "email",
            false,
            Some(TypeRef::String),
            Some("email"),
            "alternate email to which the enrollment email will be sent",
        ),
        ("send_mail", false, Some(TypeRef::Bool), None, "Send an email to the user to start the enrollment"),
        ("email_locale", false, Some(TypeRef::String), None, "Optional. Specify the locale of the enrollment email."),
        ("factor", false, None, None, "Optional. Specifies which factor the user must enroll with."),
        (
            "allow_multiple_enrollments",
            false,
            Some(TypeRef::Bool),
            None,
            "Optional. Allows a user who has previously enrolled",
        ),
    ];
    let names: Vec<&str> = fields.iter().map(|f| f.wire_name.as_str()).collect();
    let expected_names: Vec<&str> = expected.iter().map(|e| e.0).collect();
    assert_eq!(names, expected_names);
    for (field, (wire, required, ty, format, description)) in fields.iter().zip(expected) {
        assert_eq!(field.required, *required, "{wire}");
        if let Some(ty) = ty {
            assert_eq!(&field.ty, ty, "{wire}");
        }
        assert_eq!(field.doc.format.as_deref(), *format, "{wire}");
        assert!(
            field.doc.description.as_deref().is_some_and(|d| d.starts_with(description)),
            "{wire}: {:?}",
            field.doc
        );
    }
    let email = fields.iter().find(|f| f.wire_name == "email").expect("email");
    assert!(email.constraints.email, "email addresses are checked");

    let factor = fields.iter().find(|f| f.wire_name == "factor").expect("factor");
    let TypeKind::Enum { variants, .. } = &type_def(&model, &factor.ty).kind else { panic!("factor is an enum") };
    let values: Vec<&str> = variants.iter().map(|v| v.wire_name.as_str()).collect();
    assert_eq!(values, ["push-notification", "phone", "email", "otp", "webauthn-roaming", "webauthn-platform"]);
}

#[test]
fn the_responses() {
    let model = model();
    let op = ticket_operation(&model);
    let Some((media_type, BodyKind::Json(ty))) = &op.response.body else { panic!("a JSON success body") };
    assert_eq!(media_type, "application/json");
    let fields = fields_of(type_def(&model, ty));
    let ticket_id = fields.iter().find(|f| f.wire_name == "ticket_id").expect("ticket_id");
    assert_eq!(ticket_id.doc.default.as_deref(), Some("\"u2x2-u2x2-u2x2-u2x2-u2x2-u2x2\""));
    let ticket_url = fields.iter().find(|f| f.wire_name == "ticket_url").expect("ticket_url");
    assert_eq!((&ticket_url.ty, ticket_url.doc.format.as_deref()), (&TypeRef::String, Some("url")));

    let statuses: Vec<Status> = op.responses.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 400, 401, 403, 404, 429].map(Status::Code));
    // One shared error schema, with Auth0's four fields.
    let error = type_def(&model, &op.error_type);
    assert_eq!(error.name, "ErrorResponse");
    let names: Vec<(&str, bool)> = fields_of(error).iter().map(|f| (f.wire_name.as_str(), f.required)).collect();
    assert_eq!(names, [("statusCode", true), ("error", true), ("message", true), ("errorCode", false)]);
}
