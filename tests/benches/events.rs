//! The event-stream benchmark (`cargo bench -p integration-tests --bench events`): how many
//! server-sent events per second come out of `events().subscribe()` as typed values, from a
//! server on 127.0.0.1 that writes a prepared stream as fast as the socket takes it; and,
//! for scale, the same bytes read with plain `reqwest` and not parsed. Results and method:
//! BENCHMARKS.md.

use std::time::{Duration, Instant};

use auth0_management::types::EventStreamSubscribeEventsResponseContent as Message;
use auth0_management::Client;
use futures::StreamExt;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const EVENTS: usize = 100_000;
const RUNS: usize = 5;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        for (label, stream) in
            [("group.deleted events", stream_of(EVENTS, false)), ("heartbeats", stream_of(EVENTS, true))]
        {
            let size = stream.len() as f64 / EVENTS as f64;
            let (mut typed, mut raw) = (Vec::new(), Vec::new());
            for _ in 0..RUNS {
                typed.push(typed_run(&stream).await);
                raw.push(raw_run(&stream).await);
            }
            let (typed, raw) = (median(typed), median(raw));
            let (direct, injected) = decode_only(&stream);
            let per_second = |elapsed: Duration| EVENTS as f64 / elapsed.as_secs_f64();
            let mib_per_second = |elapsed: Duration| stream.len() as f64 / elapsed.as_secs_f64() / (1 << 20) as f64;
            println!(
                "{label} ({size:.0} bytes each), {EVENTS} a run, median of {RUNS}: typed stream {:.0} events/s \
                 ({:.1} MiB/s, {:.2} µs an event); plain reqwest read of the same bytes {:.1} MiB/s; \
                 decoding alone {:.2} µs an event ({:.2} µs with the tag put in as the stream does)",
                per_second(typed),
                mib_per_second(typed),
                typed.as_secs_f64() * 1e6 / EVENTS as f64,
                mib_per_second(raw),
                direct.as_secs_f64() * 1e6 / EVENTS as f64,
                injected.as_secs_f64() * 1e6 / EVENTS as f64,
            );
        }
    });
}

/// `count` events, as Auth0 sends them: `event:` the type, `data:` the JSON without it.
fn stream_of(count: usize, heartbeats: bool) -> Vec<u8> {
    let mut stream = Vec::new();
    for index in 0..count {
        let (name, data) = if heartbeats {
            ("offset-only", json!({"offset": format!("cursor-{index}")}))
        } else {
            ("group.deleted", group_deleted(index))
        };
        stream.extend_from_slice(format!("event: {name}\ndata: {data}\n\n").as_bytes());
    }
    stream
}

fn group_deleted(index: usize) -> serde_json::Value {
    json!({
        "offset": format!("cursor-{index}"),
        "event": {
            "specversion": "1.0",
            "type": "group.deleted",
            "source": "urn:auth0:acme.auth0.com",
            "id": "evt_0123456789abcdef",
            "time": "2026-12-01T12:00:00Z",
            "a0tenant": "acme",
            "a0stream": "est_1",
            "data": {"object": {
                "id": format!("grp_{index}"), "name": "admins", "type": "connection", "connection_id": "con_1",
                "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"
            }}
        }
    })
}

/// The time to decode every event's data alone, no stream: straight from the text with the
/// `type` already in it, and as the stream does it (a `serde_json::Value`, the event's name
/// put in as `type`, then the type).
fn decode_only(stream: &[u8]) -> (Duration, Duration) {
    let text = std::str::from_utf8(stream).expect("UTF-8");
    let events: Vec<(&str, &str)> = text
        .split("\n\n")
        .filter_map(|event| {
            let (name, data) = event.split_once('\n')?;
            Some((name.strip_prefix("event: ")?, data.strip_prefix("data: ")?))
        })
        .collect();
    assert_eq!(events.len(), EVENTS);
    let with_type: Vec<String> = events
        .iter()
        .map(|(name, data)| {
            let mut value: serde_json::Value = serde_json::from_str(data).expect("JSON");
            value["type"] = json!(name);
            value.to_string()
        })
        .collect();
    let started = Instant::now();
    for data in &with_type {
        let _: Message = serde_json::from_str(data).expect("decodes");
    }
    let direct = started.elapsed();
    let started = Instant::now();
    for (name, data) in &events {
        let mut value: serde_json::Value = serde_json::from_str(data).expect("JSON");
        if let serde_json::Value::Object(object) = &mut value {
            object.entry("type").or_insert_with(|| json!(name));
        }
        let _: Message = serde_json::from_value(value).expect("decodes");
    }
    (direct, started.elapsed())
}

/// A server for one connection that answers with `stream` and closes.
async fn serve(stream: &[u8]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let stream = stream.to_vec();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut received = Vec::new();
        let mut buffer = [0u8; 4096];
        while !received.windows(4).any(|w| w == b"\r\n\r\n") {
            let read = socket.read(&mut buffer).await.expect("read");
            if read == 0 {
                return;
            }
            received.extend_from_slice(&buffer[..read]);
        }
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
        socket.write_all(head.as_bytes()).await.expect("head");
        socket.write_all(&stream).await.expect("stream");
    });
    format!("http://{address}/api/v2")
}

/// The time to read every event of `stream` as a typed value.
async fn typed_run(stream: &[u8]) -> Duration {
    let base_url = serve(stream).await;
    let client = Client::builder(base_url).allow_http().bearer_token("t").build().expect("client");
    let started = Instant::now();
    let mut events = client.events().subscribe().send().await.expect("stream");
    let mut count = 0;
    while let Some(event) = events.next().await {
        match event {
            Ok(Message::GroupDeleted(_) | Message::OffsetOnly(_)) => count += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    let elapsed = started.elapsed();
    assert_eq!(count, EVENTS);
    elapsed
}

/// The time to read the same bytes with plain `reqwest`, chunk by chunk, parsing nothing.
async fn raw_run(stream: &[u8]) -> Duration {
    let base_url = serve(stream).await;
    let started = Instant::now();
    let mut answer = reqwest::get(format!("{base_url}/events")).await.expect("answer");
    let mut bytes = 0;
    while let Some(chunk) = answer.chunk().await.expect("chunk") {
        bytes += chunk.len();
    }
    let elapsed = started.elapsed();
    assert_eq!(bytes, stream.len());
    elapsed
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}
