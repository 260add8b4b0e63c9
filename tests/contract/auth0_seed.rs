// ---- Appended for tests/fixtures/auth0_seed.yaml (tests/contract/auth0_seed.rs) ----

use api::types::{CreateGuardianEnrollmentTicketRequestContent, GuardianEnrollmentFactorEnum};

/// A client of the validating Prism server, with this bearer token.
fn prism_client(plan: &Plan, token: &str) -> api::Client {
    api::Client::builder(plan.validating_url.clone())
        .allow_http()
        .max_retries(0)
        .bearer_token(token)
        .build()
        .expect("a client for Prism")
}

/// The API error of a failed call, or a failure naming what came instead.
fn api_error<T: std::fmt::Debug>(
    result: Result<api::Response<T>, api::Error<api::types::ErrorResponse>>,
) -> api::ApiError<api::types::ErrorResponse> {
    match result {
        Err(api::Error::Api(error)) => error,
        other => panic!("expected the client's API error, got {other:?}"),
    }
}

/// Prism's refusals, as the typed client reports them: an `Error::Api` with Prism's status,
/// its body decoded into the spec's `ErrorResponse`, and Prism's reason in its headers.
#[tokio::test(flavor = "current_thread")]
async fn prism_refusals_are_typed_api_errors() {
    let plan = plan();
    let request = || CreateGuardianEnrollmentTicketRequestContent::new("auth0|contract");

    // No token (an empty one): 401.
    let without_token = prism_client(&plan, "");
    let call = without_token.guardian().enrollments().create_ticket(request());
    let error = api_error(call.send().await);
    assert_eq!(error.status().as_u16(), 401, "{error:?}");
    assert!(error.body().is_some(), "Prism's 401 body decodes into ErrorResponse: {}", error.raw_body());
    let violations = error.headers().get("sl-violations").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(violations.contains("security"), "Prism says why: {violations}");

    // A factor the spec does not list: the client passes unknown values through (its enums
    // keep values newer than the spec), so only the server refuses it: 400, as the spec lists.
    let unknown = GuardianEnrollmentFactorEnum::from("carrier-pigeon");
    let client = prism_client(&plan, "token");
    let call = client.guardian().enrollments().create_ticket(request().factor(unknown));
    let error = api_error(call.send().await);
    assert_eq!(error.status().as_u16(), 400, "{error:?}");
    assert!(error.body().is_some(), "Prism's 400 body decodes into ErrorResponse: {}", error.raw_body());
    let violations = error.headers().get("sl-violations").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(violations.contains("factor"), "Prism names the field: {violations}");
}
