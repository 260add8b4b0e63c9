//! How the client behaves like a production SDK, against real HTTP servers on 127.0.0.1:
//! tokens (client credentials, caching, single flight, refresh), retries and their waits,
//! time limits and broken answers, per-call options and client-wide header defaults,
//! telemetry and the answer's metadata.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use auth0_management::types::{CreateGuardianEnrollmentTicketRequestContent as TicketRequest, ErrorResponse};
use auth0_management::{
    BuildError, Client, ClientBuilder, Error, RequestOptions, Response, Telemetry, TokenError, TransportError,
};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

type Ticket = auth0_management::types::CreateGuardianEnrollmentTicketResponseContent;

const TICKET_PATH: &str = "/api/v2/guardian/enrollments/ticket";
const TOKEN_PATH: &str = "/oauth/token";
const SECRET: &str = "client-s3cr3t";

fn builder(server: &MockServer) -> ClientBuilder {
    // Backoff waits are scaled down; the waits themselves are unit-tested in the runtime.
    Client::builder(format!("{}/api/v2", server.uri())).allow_http().retry_base_delay(Duration::from_millis(1))
}

fn with_token(server: &MockServer) -> Client {
    builder(server).bearer_token("static-token").build().expect("client")
}

fn with_client_credentials(server: &MockServer) -> Client {
    builder(server).client_credentials("client-id", SECRET).build().expect("client")
}

async fn create_ticket(client: &Client) -> Result<Response<Ticket>, Error<ErrorResponse>> {
    client.guardian().enrollments().create_ticket(TicketRequest::new("auth0|123")).send().await
}

fn ticket() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"ticket_id": "t", "ticket_url": "https://x/t"}))
}

fn token(value: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"access_token": value, "expires_in": expires_in, "token_type": "Bearer"}))
}

async fn requests_to(server: &MockServer, to: &str) -> Vec<Request> {
    let requests = server.received_requests().await.expect("recording is on");
    requests.into_iter().filter(|r| r.url.path() == to).collect()
}

fn bearer(request: &Request) -> Option<String> {
    request.headers.get("authorization").map(|v| v.to_str().expect("ASCII").to_owned())
}

// ---- tokens ----

#[tokio::test]
async fn a_token_is_fetched_once_for_50_concurrent_calls() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(token("tok-1", 86_400)).mount(&server).await;
    Mock::given(method("POST")).and(path(TICKET_PATH)).respond_with(ticket()).mount(&server).await;
    let client = with_client_credentials(&server);

    let calls: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { create_ticket(&client).await.map(|r| r.status()) })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.expect("task").expect("ticket").as_u16(), 200);
    }

    let token_requests = requests_to(&server, TOKEN_PATH).await;
    assert_eq!(token_requests.len(), 1, "single flight");
    let body: Value = serde_json::from_slice(&token_requests[0].body).expect("JSON");
    assert_eq!(
        body,
        json!({
            "grant_type": "client_credentials",
            "client_id": "client-id",
            "client_secret": SECRET,
            "audience": format!("{}/api/v2/", server.uri()),
        })
    );
    let api_requests = requests_to(&server, TICKET_PATH).await;
    assert_eq!(api_requests.len(), 50);
    assert!(api_requests.iter().all(|r| bearer(r).as_deref() == Some("Bearer tok-1")));
}

#[tokio::test]
async fn a_token_is_reused_until_10_seconds_before_it_expires() {
    for (expires_in, expected_fetches) in [(3600, 1), (10, 3)] {
        let server = MockServer::start().await;
        Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(token("tok", expires_in)).mount(&server).await;
        Mock::given(method("POST")).and(path(TICKET_PATH)).respond_with(ticket()).mount(&server).await;
        let client = with_client_credentials(&server);
        for _ in 0..3 {
            create_ticket(&client).await.expect("ticket");
        }
        assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), expected_fetches, "expires_in {expires_in}");
    }
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_and_repeats_the_request() {
    let server = MockServer::start().await;
    Mock::given(path(TOKEN_PATH)).respond_with(token("old", 3600)).up_to_n_times(1).mount(&server).await;
    Mock::given(path(TOKEN_PATH)).respond_with(token("new", 3600)).mount(&server).await;
    Mock::given(path(TICKET_PATH))
        .and(header("authorization", "Bearer old"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(path(TICKET_PATH))
        .and(header("authorization", "Bearer new"))
        .respond_with(ticket())
        .mount(&server)
        .await;
    let client = builder(&server).client_credentials("id", SECRET).max_retries(0).build().expect("client");

    let response = create_ticket(&client).await.expect("ticket after a refresh");
    assert_eq!(response.attempts(), 2, "the repeat is outside the retry budget");
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
}

#[tokio::test]
async fn a_401_that_persists_is_returned_after_one_refresh() {
    let server = MockServer::start().await;
    Mock::given(path(TOKEN_PATH)).respond_with(token("tok", 3600)).mount(&server).await;
    Mock::given(path(TICKET_PATH)).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let error = create_ticket(&with_client_credentials(&server)).await.expect_err("401");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(requests_to(&server, TICKET_PATH).await.len(), 2);
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);

    // A static token cannot be refreshed: one request.
    let server = MockServer::start().await;
    Mock::given(path(TICKET_PATH)).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    create_ticket(&with_token(&server)).await.expect_err("401");
    assert_eq!(requests_to(&server, TICKET_PATH).await.len(), 1);
}

#[tokio::test]
async fn token_endpoint_failures_are_token_errors_and_nothing_is_sent() {
    let refused = ResponseTemplate::new(401)
        .set_body_json(json!({"error": "access_denied", "error_description": "Unauthorized"}));
    let cases = [
        (refused, "access_denied"),
        (ResponseTemplate::new(200).set_body_string("<html>"), "without a usable access_token"),
        (ResponseTemplate::new(200).set_body_json(json!({"access_token": ""})), "access_token is empty"),
    ];
    for (answer, words) in cases {
        let server = MockServer::start().await;
        Mock::given(path(TOKEN_PATH)).respond_with(answer).mount(&server).await;
        let error = create_ticket(&with_client_credentials(&server)).await.expect_err("no token");
        assert!(matches!(error, Error::Token(_)), "{error:?}");
        let shown = format!("{error} {error:?}");
        assert!(shown.contains(words), "{shown}");
        assert!(!shown.contains(SECRET), "the secret never shows: {shown}");
        assert!(requests_to(&server, TICKET_PATH).await.is_empty(), "never sent without its token");
    }

    let server = MockServer::start().await;
    let anonymous = builder(&server).build().expect("client");
    let error = create_ticket(&anonymous).await.expect_err("no credentials");
    assert!(matches!(error, Error::Token(TokenError::NoCredentials)), "{error:?}");
    assert!(server.received_requests().await.expect("recording").is_empty());
}

#[test]
fn plain_http_is_refused_unless_allowed() {
    let error = Client::builder("http://127.0.0.1:9/api/v2").bearer_token("t").build().expect_err("http");
    assert!(matches!(error, BuildError::InsecureUrl { .. }), "{error}");
    assert!(error.to_string().contains("allow_http"), "{error}");
    let error = Client::builder("https://acme.auth0.com/api/v2")
        .client_credentials("id", "secret")
        .token_url("http://acme.auth0.com/oauth/token")
        .build()
        .expect_err("a token endpoint over http");
    assert!(matches!(error, BuildError::InsecureUrl { .. }), "{error}");
}

// ---- retries ----

#[tokio::test]
async fn a_429_is_retried_and_the_answer_says_how_many_attempts_it_took() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("retry-after", "0");
    Mock::given(path(TICKET_PATH)).respond_with(limited).up_to_n_times(2).mount(&server).await;
    Mock::given(path(TICKET_PATH))
        .respond_with(ticket().insert_header("x-ratelimit-limit", "50").insert_header("x-ratelimit-remaining", "47"))
        .mount(&server)
        .await;
    let response = create_ticket(&with_token(&server)).await.expect("ticket");
    assert_eq!(response.attempts(), 3);
    assert_eq!((response.rate_limit().limit, response.rate_limit().remaining), (Some(50), Some(47)));
    assert_eq!(response.ticket_id.as_deref(), Some("t"));
}

#[tokio::test]
async fn retries_run_out_and_the_last_error_is_returned() {
    let reset = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs();
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429)
        .insert_header("x-ratelimit-limit", "10")
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-reset", reset.to_string().as_str())
        .set_body_json(
            json!({"statusCode": 429, "error": "Too Many Requests", "message": "Global limit has been reached"}),
        );
    Mock::given(path(TICKET_PATH)).respond_with(limited).mount(&server).await;

    let error = create_ticket(&with_token(&server)).await.expect_err("still limited");
    assert!(error.is_rate_limited());
    assert_eq!(error.attempts(), Some(3), "2 retries by default");
    let rate_limit = error.rate_limit().expect("an API error");
    assert_eq!((rate_limit.limit, rate_limit.remaining, rate_limit.reset), (Some(10), Some(0), Some(reset)));
    assert_eq!(
        error.api_error().and_then(|e| e.body()).map(|b| b.message.as_str()),
        Some("Global limit has been reached")
    );

    for (client_retries, call_retries, expected_requests) in [(0, None, 1), (0, Some(1), 2), (5, Some(0), 1)] {
        let server = MockServer::start().await;
        Mock::given(path(TICKET_PATH)).respond_with(ResponseTemplate::new(429)).mount(&server).await;
        let client = builder(&server).bearer_token("t").max_retries(client_retries).build().expect("client");
        let mut call = client.guardian().enrollments().create_ticket(TicketRequest::new("auth0|123"));
        if let Some(retries) = call_retries {
            call = call.options(RequestOptions::new().max_retries(retries));
        }
        call.send().await.expect_err("429");
        assert_eq!(server.received_requests().await.expect("recording").len(), expected_requests);
    }
}

#[tokio::test]
async fn waits_follow_the_server_and_are_capped() {
    // Retry-After asks for 30 s; the cap (100 ms here) wins, twice.
    let server = MockServer::start().await;
    Mock::given(path(TICKET_PATH))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "30"))
        .mount(&server)
        .await;
    let client = builder(&server).bearer_token("t").max_retry_wait(Duration::from_millis(100)).build().expect("client");
    let started = Instant::now();
    create_ticket(&client).await.expect_err("429");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(200), "waited {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "waited {elapsed:?}");

    // Without headers: backoff from the base delay (50 ms, then 100 ms, each ±25 %).
    let server = MockServer::start().await;
    Mock::given(path(TICKET_PATH)).respond_with(ResponseTemplate::new(429)).mount(&server).await;
    let client =
        builder(&server).bearer_token("t").retry_base_delay(Duration::from_millis(50)).build().expect("client");
    let started = Instant::now();
    create_ticket(&client).await.expect_err("429");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(112), "waited {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "waited {elapsed:?}");
}

#[tokio::test]
async fn a_500_on_a_post_is_not_repeated_unless_the_caller_opts_in() {
    for (opt_in, expected_requests) in [(false, 1), (true, 3)] {
        let server = MockServer::start().await;
        Mock::given(path(TICKET_PATH)).respond_with(ResponseTemplate::new(500)).mount(&server).await;
        let client = builder(&server).bearer_token("t").retry_non_idempotent(opt_in).build().expect("client");
        let error = create_ticket(&client).await.expect_err("500");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
        assert_eq!(server.received_requests().await.expect("recording").len(), expected_requests, "opt in: {opt_in}");
    }
}

#[tokio::test]
async fn dropping_the_call_while_it_waits_stops_it() {
    let server = MockServer::start().await;
    Mock::given(path(TICKET_PATH))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "30"))
        .mount(&server)
        .await;
    let client = with_token(&server);
    let outcome = tokio::time::timeout(Duration::from_millis(300), create_ticket(&client)).await;
    assert!(outcome.is_err(), "still waiting for the retry");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.received_requests().await.expect("recording").len(), 1, "nothing sent after the drop");
}

// ---- time limits and broken answers ----

#[tokio::test]
async fn a_slow_answer_is_a_timeout_error() {
    let server = MockServer::start().await;
    Mock::given(path(TICKET_PATH)).respond_with(ticket().set_delay(Duration::from_secs(2))).mount(&server).await;
    let started = Instant::now();
    let error = with_token(&server)
        .guardian()
        .enrollments()
        .create_ticket(TicketRequest::new("auth0|123"))
        .options(RequestOptions::new().timeout(Duration::from_millis(100)))
        .send()
        .await
        .expect_err("too slow");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(error.attempts(), Some(1), "a POST that may have arrived is not repeated");
    assert!(started.elapsed() < Duration::from_secs(2));
}

/// A server that answers every connection with `answer` and closes it.
async fn raw_server(answer: &'static [u8]) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buffer = vec![0; 64 * 1024];
            let _ = socket.read(&mut buffer).await;
            let _ = socket.write_all(answer).await;
            let _ = socket.shutdown().await;
        }
    });
    format!("http://{address}/api/v2")
}

#[tokio::test]
async fn a_connection_closed_mid_answer_is_a_transport_error() {
    let base_url =
        raw_server(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"ticket").await;
    let client = Client::builder(base_url).allow_http().bearer_token("t").build().expect("client");
    let error = create_ticket(&client).await.expect_err("cut short");
    assert!(matches!(error, Error::Transport { source: TransportError::Http(_), attempts: 1 }), "{error:?}");
}

#[tokio::test]
async fn garbage_instead_of_http_is_a_transport_error() {
    let base_url = raw_server(b"this is not HTTP\r\n\r\n").await;
    let client = Client::builder(base_url).allow_http().bearer_token("t").build().expect("client");
    let error = create_ticket(&client).await.expect_err("not HTTP");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
}

#[tokio::test]
async fn an_oversized_answer_is_refused() {
    let server = MockServer::start().await;
    let huge = json!({"ticket_id": "x".repeat(4096)});
    Mock::given(path(TICKET_PATH)).respond_with(ResponseTemplate::new(200).set_body_json(huge)).mount(&server).await;
    let client = builder(&server).bearer_token("t").max_response_bytes(1024).build().expect("client");
    let error = create_ticket(&client).await.expect_err("too large");
    assert!(
        matches!(error, Error::Transport { source: TransportError::TooLarge { limit: 1024, .. }, .. }),
        "{error:?}"
    );
}

// ---- options, header defaults, telemetry ----

#[tokio::test]
async fn the_client_default_custom_domain_is_sent_and_a_call_can_override_it() {
    let server = MockServer::start().await;
    Mock::given(path(TICKET_PATH)).respond_with(ticket()).mount(&server).await;
    let client =
        builder(&server).bearer_token("t").default_auth0_custom_domain("login.example.com").build().expect("client");
    create_ticket(&client).await.expect("ticket");
    client
        .guardian()
        .enrollments()
        .create_ticket(TicketRequest::new("auth0|123"))
        .auth0_custom_domain("id.example.org")
        .options(RequestOptions::new().header("x-request-id", "abc-1"))
        .send()
        .await
        .expect("ticket");
    let requests = server.received_requests().await.expect("recording");
    let domain = |r: &Request| r.headers.get("auth0-custom-domain").map(|v| v.to_str().expect("ASCII").to_owned());
    assert_eq!(domain(&requests[0]).as_deref(), Some("login.example.com"));
    assert_eq!(domain(&requests[1]).as_deref(), Some("id.example.org"));
    assert_eq!(requests[1].headers.get("x-request-id").map(|v| v.as_bytes()), Some(b"abc-1".as_slice()));

    // The default is checked like a per-call value.
    let client = builder(&server).bearer_token("t").default_auth0_custom_domain("ab").build().expect("client");
    let error = create_ticket(&client).await.expect_err("too short");
    assert!(matches!(&error, Error::InvalidRequest(e) if e.field() == "auth0-custom-domain"), "{error:?}");
    let bad_header = client
        .guardian()
        .enrollments()
        .create_ticket(TicketRequest::new("auth0|123"))
        .auth0_custom_domain("fine.example.com")
        .options(RequestOptions::new().header("bad header", "x"))
        .send()
        .await;
    assert!(matches!(bad_header, Err(Error::InvalidRequest(_))), "{bad_header:?}");
    assert_eq!(server.received_requests().await.expect("recording").len(), 2, "nothing sent for invalid calls");
}

#[tokio::test]
async fn telemetry_and_user_agent_name_the_crate() {
    use base64::Engine;
    let server = MockServer::start().await;
    Mock::given(path(TICKET_PATH)).respond_with(ticket()).mount(&server).await;
    create_ticket(&with_token(&server)).await.expect("ticket");
    let off = builder(&server).bearer_token("t").telemetry(Telemetry::Off).build().expect("client");
    create_ticket(&off).await.expect("ticket");

    let requests = server.received_requests().await.expect("recording");
    let telemetry = requests[0].headers.get("auth0-client").expect("telemetry header");
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(telemetry.as_bytes()).expect("base64url");
    let json: Value = serde_json::from_slice(&json).expect("JSON");
    assert_eq!(json["name"], "auth0-management");
    assert_eq!(json["version"], "0.1.0");
    assert!(json["env"]["rust"].is_string(), "{json}");
    let user_agent = requests[0].headers.get("user-agent").expect("user agent").to_str().expect("ASCII");
    assert_eq!(user_agent, "auth0-management/0.1.0");
    assert!(requests[1].headers.get("auth0-client").is_none());
}

#[tokio::test]
async fn spans_name_the_request_and_never_the_token() {
    let logs = Arc::new(Mutex::new(Vec::<u8>::new()));
    let writer_logs = Arc::clone(&logs);
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || LogWriter(Arc::clone(&writer_logs)))
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(path(TICKET_PATH)).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(path(TICKET_PATH)).respond_with(ticket()).mount(&server).await;
    let client = builder(&server).bearer_token("very-secret-token").retry_non_idempotent(true).build().expect("client");
    create_ticket(&client).await.expect("ticket");

    let logs = String::from_utf8(logs.lock().expect("logs").clone()).expect("UTF-8");
    assert!(logs.contains("method=POST"), "{logs}");
    assert!(logs.contains("path=\"/guardian/enrollments/ticket\""), "{logs}");
    assert!(logs.contains("attempt=1") && logs.contains("attempt=2"), "{logs}");
    assert!(logs.contains("status=503") && logs.contains("status=200"), "{logs}");
    assert!(logs.contains("attempts=2"), "{logs}");
    assert!(!logs.contains("very-secret-token"), "{logs}");
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
