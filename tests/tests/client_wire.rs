//! The generated client against a real HTTP server on 127.0.0.1 (wiremock): the exact
//! request it sends, and how it decodes every answer the spec describes, and some it does not.

use auth0_management::types::{
    CreateGuardianEnrollmentTicketRequestContent as TicketRequest,
    CreateGuardianEnrollmentTicketResponseContent as Ticket, ErrorResponse, GuardianEnrollmentFactorEnum as Factor,
};
use auth0_management::{Client, Error, Response};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "test-token";
const TICKET_PATH: &str = "/api/v2/guardian/enrollments/ticket";

async fn server_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path(TICKET_PATH)).respond_with(template).mount(&server).await;
    server
}

fn client_for(server: &MockServer) -> Client {
    // Retries have tests of their own (tests/retries.rs).
    Client::builder(format!("{}/api/v2", server.uri()))
        .allow_http()
        .bearer_token(TOKEN)
        .max_retries(0)
        .build()
        .expect("client")
}

/// Creates a ticket for `auth0|123`, with nothing optional set.
async fn create_minimal_ticket(server: &MockServer) -> Result<Response<Ticket>, Error<ErrorResponse>> {
    client_for(server).guardian().enrollments().create_ticket(TicketRequest::new("auth0|123")).send().await
}

fn ticket_created() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "ticket_id": "u2x2-u2x2-u2x2-u2x2-u2x2-u2x2",
        "ticket_url": "https://acme.auth0.com/guardian/enroll?ticket=abc"
    }))
}

/// The one request the server received.
async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

fn header<'r>(request: &'r wiremock::Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).map(|v| v.to_str().expect("ASCII header"))
}

#[tokio::test]
async fn sends_the_exact_request_with_only_the_required_field() {
    let server = server_answering(ticket_created()).await;
    create_minimal_ticket(&server).await.expect("ticket");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), TICKET_PATH);
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "authorization"), Some("Bearer test-token"));
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(header(&request, "accept"), Some("application/json"));
    assert_eq!(header(&request, "auth0-custom-domain"), None, "not set, so not sent");
    assert!(header(&request, "user-agent").is_some_and(|ua| ua.starts_with("auth0-management/")));
    // Absent optional fields are left out, never sent as null.
    let body: Value = serde_json::from_slice(&request.body).expect("JSON body");
    assert_eq!(body, json!({"user_id": "auth0|123"}));
}

#[tokio::test]
async fn sends_every_optional_field_under_its_wire_name() {
    let server = server_answering(ticket_created()).await;
    let body = TicketRequest::new("auth0|123")
        .email("jane@example.com")
        .send_mail(true)
        .email_locale("fr-FR")
        .factor(Factor::WebauthnRoaming)
        .allow_multiple_enrollments(false);
    client_for(&server).guardian().enrollments().create_ticket(body).send().await.expect("ticket");

    let request = only_request(&server).await;
    let body: Value = serde_json::from_slice(&request.body).expect("JSON body");
    assert_eq!(
        body,
        json!({
            "user_id": "auth0|123",
            "email": "jane@example.com",
            "send_mail": true,
            "email_locale": "fr-FR",
            "factor": "webauthn-roaming",
            "allow_multiple_enrollments": false
        })
    );
}

#[tokio::test]
async fn sends_the_custom_domain_header_when_set() {
    let server = server_answering(ticket_created()).await;
    client_for(&server)
        .guardian()
        .enrollments()
        .create_ticket(TicketRequest::new("auth0|123"))
        .auth0_custom_domain("login.example.com")
        .send()
        .await
        .expect("ticket");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "auth0-custom-domain"), Some("login.example.com"));
}

#[tokio::test]
async fn refuses_values_that_break_the_spec_without_sending_anything() {
    let server = server_answering(ticket_created()).await;
    let client = client_for(&server);
    let ticket = || TicketRequest::new("auth0|123");
    let cases = [
        ("auth0-custom-domain", client.guardian().enrollments().create_ticket(ticket()).auth0_custom_domain("ab")),
        (
            "auth0-custom-domain",
            client.guardian().enrollments().create_ticket(ticket()).auth0_custom_domain("a".repeat(256)),
        ),
        ("email", client.guardian().enrollments().create_ticket(ticket().email("not-an-email"))),
    ];
    for (field, request) in cases {
        match request.send().await {
            Err(Error::InvalidRequest(error)) => {
                assert_eq!(error.field(), field);
                assert!(error.to_string().starts_with(&format!("`{field}` must be")), "{error}");
            }
            other => panic!("{field}: expected a validation error, got {other:?}"),
        }
    }
    // The bounds themselves are allowed.
    for domain in ["abc".to_owned(), "a".repeat(255)] {
        client
            .guardian()
            .enrollments()
            .create_ticket(ticket())
            .auth0_custom_domain(domain)
            .send()
            .await
            .expect("allowed");
    }
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 2, "only the two valid requests reached the server");
}

#[tokio::test]
async fn every_factor_goes_over_the_wire_as_the_spec_spells_it() {
    let factors = [
        (Factor::PushNotification, "push-notification"),
        (Factor::Phone, "phone"),
        (Factor::Email, "email"),
        (Factor::Otp, "otp"),
        (Factor::WebauthnRoaming, "webauthn-roaming"),
        (Factor::WebauthnPlatform, "webauthn-platform"),
    ];
    let server = server_answering(ticket_created()).await;
    let client = client_for(&server);
    for (factor, wire) in &factors {
        assert_eq!(factor.to_string(), *wire);
        assert_eq!(wire.parse::<Factor>(), Ok(factor.clone()));
        let body = TicketRequest::new("auth0|123").factor(factor.clone());
        client.guardian().enrollments().create_ticket(body).send().await.expect("ticket");
    }
    let sent: Vec<Value> = server
        .received_requests()
        .await
        .expect("recording is on")
        .iter()
        .map(|r| serde_json::from_slice::<Value>(&r.body).expect("JSON")["factor"].clone())
        .collect();
    let expected: Vec<Value> = factors.iter().map(|(_, wire)| json!(wire)).collect();
    assert_eq!(sent, expected);
}

#[test]
fn an_unknown_factor_decodes_and_round_trips() {
    let factor: Factor = serde_json::from_value(json!("carrier-pigeon")).expect("forward compatible");
    assert_eq!(factor, Factor::Unknown("carrier-pigeon".into()));
    assert_eq!(serde_json::to_value(&factor).expect("encodes"), json!("carrier-pigeon"));
}

#[tokio::test]
async fn decodes_the_created_ticket() {
    let server = server_answering(ticket_created()).await;
    let ticket = create_minimal_ticket(&server).await.expect("ticket");
    assert_eq!(ticket.ticket_id.as_deref(), Some("u2x2-u2x2-u2x2-u2x2-u2x2-u2x2"));
    assert_eq!(ticket.ticket_url.as_deref(), Some("https://acme.auth0.com/guardian/enroll?ticket=abc"));
}

#[tokio::test]
async fn a_ticket_with_fields_missing_or_added_still_decodes() {
    let server =
        server_answering(ResponseTemplate::new(200).set_body_json(json!({"ticket_url": "u", "new_field": 1}))).await;
    let ticket = create_minimal_ticket(&server).await.expect("ticket");
    assert_eq!((ticket.ticket_id.as_deref(), ticket.ticket_url.as_deref()), (None, Some("u")));
}

#[tokio::test]
async fn a_success_answer_that_is_not_the_spec_is_a_decode_error() {
    for body in ["not json", "[1, 2]", r#"{"ticket_id": 7}"#, ""] {
        let server = server_answering(ResponseTemplate::new(200).set_body_string(body)).await;
        let result = create_minimal_ticket(&server).await;
        match result {
            Err(Error::Decode { status, body: received, .. }) => {
                assert_eq!(status.as_u16(), 200);
                assert_eq!(received, body);
            }
            other => panic!("{body:?}: expected a decode error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn every_error_status_of_the_spec_decodes_into_the_auth0_error_body() {
    let statuses = [
        (400, "Bad Request", "Payload validation error", Some("invalid_body")),
        (401, "Unauthorized", "Invalid token", None),
        (
            403,
            "Forbidden",
            "Insufficient scope, expected any of: create:guardian_enrollment_tickets",
            Some("insufficient_scope"),
        ),
        (404, "Not Found", "The user does not exist.", Some("inexistent_user")),
        (429, "Too Many Requests", "Global limit has been reached", Some("too_many_requests")),
    ];
    for (status, error, message, error_code) in statuses {
        let mut body = json!({"statusCode": status, "error": error, "message": message});
        if let Some(code) = error_code {
            body["errorCode"] = json!(code);
        }
        let server = server_answering(ResponseTemplate::new(status).set_body_json(&body)).await;
        let result = create_minimal_ticket(&server).await;
        let Err(Error::Api(api)) = result else { panic!("{status}: expected an API error, got {result:?}") };
        assert_eq!(api.status().as_u16(), status);
        let decoded = api.body().unwrap_or_else(|| panic!("{status}: body not decoded: {}", api.raw_body()));
        assert_eq!(decoded.status_code, i64::from(status));
        assert_eq!(decoded.error, error);
        assert_eq!(decoded.message, message);
        assert_eq!(decoded.error_code.as_deref(), error_code);
        let shown = Error::Api(api).to_string();
        assert!(shown.contains(&status.to_string()) && shown.contains(message), "{shown}");
    }
}

#[tokio::test]
async fn an_error_body_that_is_not_json_is_kept_raw() {
    let html = "<html><body>502 Bad Gateway</body></html>";
    let server = server_answering(ResponseTemplate::new(502).set_body_string(html)).await;
    let result = create_minimal_ticket(&server).await;
    let Err(error) = result else { panic!("expected an error") };
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    let api = error.api_error().expect("an API error");
    assert!(api.body().is_none());
    assert_eq!(api.raw_body(), html);
    assert_eq!(error.to_string(), format!("the server answered 502 Bad Gateway: {html}"));
}

#[tokio::test]
async fn an_error_body_of_another_shape_is_kept_raw() {
    let server = server_answering(ResponseTemplate::new(400).set_body_json(json!({"oops": true}))).await;
    let result = create_minimal_ticket(&server).await;
    let Err(Error::Api(api)) = result else { panic!("expected an API error, got {result:?}") };
    assert!(api.body().is_none());
    assert_eq!(api.raw_body(), r#"{"oops":true}"#);
}

#[tokio::test]
async fn no_server_is_a_transport_error() {
    // Bind a port, then free it: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    // Connection refused is retried (the request never left); no waiting here.
    let client = Client::builder(format!("http://127.0.0.1:{port}/api/v2"))
        .allow_http()
        .bearer_token(TOKEN)
        .retry_base_delay(std::time::Duration::ZERO)
        .build()
        .expect("client");
    let result = client.guardian().enrollments().create_ticket(TicketRequest::new("auth0|123")).send().await;
    let Err(error) = result else { panic!("expected an error") };
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(error.status(), None);
    assert_eq!(error.attempts(), Some(3), "connection refused is retried twice by default");
    assert!(!format!("{error} {error:?}").contains(TOKEN), "the token never shows in errors");
}

#[test]
fn a_client_from_the_tenant_domain_talks_to_its_management_api() {
    let client = Client::new("acme.eu.auth0.com", TOKEN).expect("client");
    assert_eq!(client.base_url().as_str(), "https://acme.eu.auth0.com/api/v2");
    assert!(!format!("{client:?}").contains(TOKEN));
    for bad in ["", "acme.auth0.com/evil", "evil.com?x=", "user@evil.com"] {
        assert!(Client::new(bad, TOKEN).is_err(), "{bad:?} was accepted");
    }
}
