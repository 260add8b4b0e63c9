//! Server-sent events (`GET /events`, `events().subscribe()`) against a small HTTP server on
//! 127.0.0.1 that writes the stream as the test tells it to (wiremock answers whole bodies
//! only): events arrive one by one while the connection is open, typed by their `event:`
//! name; heartbeats and `error` events are values; a malformed or oversized event is an
//! error item and the stream goes on; the per-attempt timeout does not cut a live stream,
//! the idle timeout does; the command-line tool prints one JSON object a line.

use std::time::Duration;

use auth0_management::types::EventStreamSubscribeEventsResponseContent as Message;
use auth0_management::{Client, Error, EventError, TransportError};
use futures::StreamExt;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};

const OK_HEAD: &str = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n\r\n";

/// A server for one connection: answers `head`, then writes what the test feeds it, as it
/// is fed, and closes the connection when the feed is dropped. Also gives the request's head.
struct Server {
    base_url: String,
    feed: mpsc::UnboundedSender<Vec<u8>>,
    request: oneshot::Receiver<String>,
}

impl Server {
    /// Has the server write `bytes` now.
    fn write(&self, bytes: impl Into<Vec<u8>>) {
        self.feed.send(bytes.into()).expect("the server is running");
    }
}

async fn serve(head: String) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let (feed, mut fed) = mpsc::unbounded_channel::<Vec<u8>>();
    let (request_tx, request) = oneshot::channel();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut received = Vec::new();
        let mut buffer = [0u8; 1024];
        while !received.windows(4).any(|w| w == b"\r\n\r\n") {
            let read = socket.read(&mut buffer).await.expect("read");
            if read == 0 {
                return;
            }
            received.extend_from_slice(&buffer[..read]);
        }
        let _ = request_tx.send(String::from_utf8_lossy(&received).into_owned());
        socket.write_all(head.as_bytes()).await.expect("write head");
        while let Some(bytes) = fed.recv().await {
            if socket.write_all(&bytes).await.is_err() {
                return;
            }
        }
    });
    Server { base_url: format!("http://{address}/api/v2"), feed, request }
}

fn client(server: &Server) -> auth0_management::ClientBuilder {
    Client::builder(&server.base_url).allow_http().bearer_token("t").max_retries(0)
}

fn group_deleted(offset: &str) -> serde_json::Value {
    json!({
        "offset": offset,
        "event": {
            "specversion": "1.0",
            "type": "group.deleted",
            "source": "urn:auth0:acme.auth0.com",
            "id": "evt_0123456789abcdef",
            "time": "2026-12-01T12:00:00Z",
            "a0tenant": "acme",
            "a0stream": "est_1",
            "data": {"object": {
                "id": "grp_1", "name": "admins", "type": "connection", "connection_id": "con_1",
                "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"
            }}
        }
    })
}

fn event(name: &str, data: &serde_json::Value) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

#[tokio::test]
async fn events_arrive_one_by_one_typed_by_their_name_before_the_connection_closes() {
    let mut server = serve(OK_HEAD.to_owned()).await;
    let client = client(&server).build().expect("client");
    let mut events = client.events().subscribe().from("cursor-0").send().await.expect("stream opened");
    assert_eq!(events.status(), 200);

    let request = server.request.try_recv().expect("request head");
    let first_line = request.lines().next().unwrap_or_default();
    assert_eq!(first_line, "GET /api/v2/events?from=cursor-0 HTTP/1.1");
    let lower = request.to_ascii_lowercase();
    assert!(lower.contains("accept: text/event-stream"), "{request}");
    assert!(lower.contains("authorization: bearer t"), "{request}");

    // Each event is fed only once the one before it came out of the stream.
    server.write(event("group.deleted", &group_deleted("1")));
    match events.next().await {
        Some(Ok(Message::GroupDeleted(deleted))) => {
            assert_eq!(deleted.offset, "1");
            assert_eq!(deleted.event.id, "evt_0123456789abcdef");
        }
        other => panic!("expected group.deleted, got {other:?}"),
    }
    // A cursor-only heartbeat, its `type` from the event name, sent in two pieces.
    server.write("event: offset-only\ndata: {\"off".to_owned());
    server.write("set\":\"2\"}\r\n\r\n".to_owned());
    match events.next().await {
        Some(Ok(Message::OffsetOnly(heartbeat))) => assert_eq!(heartbeat.offset, "2"),
        other => panic!("expected a heartbeat, got {other:?}"),
    }
    // An `error` event is a value too.
    let error = json!({"error": {"code": "cursor_expired", "message": "too old"}});
    server.write(event("error", &error));
    match events.next().await {
        Some(Ok(Message::Error(message))) => assert_eq!(message.error.message, "too old"),
        other => panic!("expected an error event, got {other:?}"),
    }
    // Data that carries its own `type` keeps it; an event name nobody knows is `Unknown`.
    server.write(event("ignored", &json!({"type": "offset-only", "offset": "3"})));
    assert!(matches!(events.next().await, Some(Ok(Message::OffsetOnly(h))) if h.offset == "3"));
    server.write(event("group.renamed", &json!({"offset": "4"})));
    assert!(matches!(events.next().await, Some(Ok(Message::Unknown(_)))));

    drop(server.feed);
    assert!(events.next().await.is_none(), "the stream ends when the server closes it");
}

#[tokio::test]
async fn a_malformed_event_is_an_error_item_and_the_stream_goes_on() {
    let server = serve(OK_HEAD.to_owned()).await;
    let client = client(&server).build().expect("client");
    let mut events = client.events().subscribe().send().await.expect("stream opened");

    server.write("event: offset-only\ndata: {not json\n\n".to_owned());
    match events.next().await {
        Some(Err(Error::Event(EventError::Decode { event, data, .. }))) => {
            assert_eq!(event, "offset-only");
            assert_eq!(data, "{not json");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    // A known name with the wrong shape.
    server.write(event("group.deleted", &json!({"offset": "1"})));
    assert!(matches!(events.next().await, Some(Err(Error::Event(EventError::Decode { .. })))));
    // Not UTF-8.
    server.write(&b"event: offset-only\ndata: {\"offset\": \"\xff\"}\n\n"[..]);
    assert!(matches!(events.next().await, Some(Err(Error::Event(EventError::NotUtf8)))));
    server.write(event("offset-only", &json!({"offset": "2"})));
    assert!(matches!(events.next().await, Some(Ok(Message::OffsetOnly(h))) if h.offset == "2"));
}

#[tokio::test]
async fn an_event_over_the_size_limit_is_skipped_and_the_stream_goes_on() {
    let server = serve(OK_HEAD.to_owned()).await;
    let client = client(&server).max_event_bytes(256).build().expect("client");
    let mut events = client.events().subscribe().send().await.expect("stream opened");

    let big = json!({"offset": "x".repeat(1000)});
    server.write(event("offset-only", &big));
    match events.next().await {
        Some(Err(Error::Event(EventError::TooLarge { limit }))) => assert_eq!(limit, 256),
        other => panic!("expected a too-large error, got {other:?}"),
    }
    server.write(event("offset-only", &json!({"offset": "5"})));
    assert!(matches!(events.next().await, Some(Ok(Message::OffsetOnly(h))) if h.offset == "5"));
}

#[tokio::test]
async fn the_attempt_timeout_does_not_cut_a_live_stream_but_the_idle_timeout_does() {
    let server = serve(OK_HEAD.to_owned()).await;
    let client = client(&server)
        .timeout(Duration::from_millis(200))
        .event_idle_timeout(Duration::from_millis(500))
        .build()
        .expect("client");
    let mut events = client.events().subscribe().send().await.expect("stream opened");
    // Four heartbeats 100 ms apart: twice the attempt's time limit in all.
    for offset in 0..4 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        server.write(event("offset-only", &json!({"offset": offset.to_string()})));
        assert!(matches!(events.next().await, Some(Ok(Message::OffsetOnly(_)))));
    }
    // Then nothing for longer than the idle timeout: a last error, and the end.
    match events.next().await {
        Some(Err(error @ Error::Transport { source: TransportError::Idle { .. }, .. })) => {
            assert!(error.is_timeout());
        }
        other => panic!("expected an idle timeout, got {other:?}"),
    }
    assert!(events.next().await.is_none());
    drop(server.feed);
}

#[tokio::test]
async fn an_error_status_is_an_api_error_from_send() {
    let body = json!({"statusCode": 403, "error": "Forbidden", "message": "Too many streams"}).to_string();
    let head = format!(
        "HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let server = serve(head).await;
    let client = client(&server).build().expect("client");
    let error = client.events().subscribe().send().await.expect_err("403");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
    let body = error.api_error().and_then(|e| e.body()).expect("decoded error body");
    assert_eq!(body.message, "Too many streams");
}

#[tokio::test]
async fn the_tool_prints_one_json_object_a_line_as_events_arrive() {
    let server = serve(OK_HEAD.to_owned()).await;
    server.write(event("offset-only", &json!({"offset": "1"})));
    server.write("event: offset-only\ndata: {broken\n\n".to_owned());
    server.write(event("error", &json!({"error": {"code": "timeout", "message": "bye"}})));
    drop(server.feed);
    let args = ["auth0-mgmt", "--base-url", &server.base_url, "--allow-http", "--token", "t", "events", "subscribe"];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = auth0_management::cli::run(args, &|_: &str| None::<String>, &mut out, &mut err).await;
    let out = String::from_utf8(out).expect("UTF-8");
    let err = String::from_utf8(err).expect("UTF-8");
    let lines: Vec<serde_json::Value> =
        out.lines().map(|line| serde_json::from_str(line).expect("one JSON object a line")).collect();
    assert_eq!(
        lines,
        [
            json!({"type": "offset-only", "offset": "1"}),
            json!({"type": "error", "error": {"code": "timeout", "message": "bye"}}),
        ]
    );
    assert!(err.starts_with("error: ") && err.contains("offset-only"), "{err}");
    assert_eq!(code, 1, "an event that could not be read makes the exit code 1");
}
