//! Server-sent events: an answer in `text/event-stream` read as it arrives, one typed value
//! per event, for the operations whose spec says their success answer is a stream.
//!
//! The body goes through three steps:
//!
//! 1. `Frames` reads the body chunk by chunk, each read bounded by the idle timeout (not by
//!    the per-attempt timeout: a live stream may last hours), and cuts it into whole events
//!    at the blank lines, each at most `max_event_bytes` long. A larger event is skipped to
//!    its end and becomes an error item; an event that is not UTF-8 too. Line ends are
//!    made `\n` on the way (`\r\n` and `\r` end lines too in SSE), so that an event is whole
//!    at its blank line.
//! 2. `eventsource-stream` parses each event's fields (`event`, `data`, `id`, `retry`,
//!    comments, the byte order mark): the SSE syntax is that crate's, not ours. It has no
//!    size limit of its own, which is why step 1 hands it only whole, bounded events.
//! 3. [`EventStream`] decodes each event's `data` as JSON into the answer's type. When the
//!    type is a union tagged by a property and the data lacks that property, the event's
//!    name (its `event:` field, `message` when it has none) is put there first: that is how
//!    Auth0's `GET /events` names its events (a heartbeat is `offset-only`, an error `error`,
//!    both typed values like the rest).
//!
//! A malformed event is an error item ([`Error::Event`]) and the stream goes on; a broken
//! connection or an idle timeout is a last error item ([`Error::Transport`]), after which
//! the stream ends. Nothing reconnects by itself: to resume, send the operation again from
//! the last cursor the events carried (for Auth0, `subscribe().from(offset)`).
// A spec (or a choice of features) without event streams uses none of it.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::Stream;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::{Error, EventError, TransportError};
use super::request::Response;

/// The default limit on the size of one event of a stream.
pub const DEFAULT_MAX_EVENT_BYTES: usize = 1024 * 1024;
/// The default longest wait for the next bytes of a stream before it is given up.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// A success answer in `text/event-stream`, its body not read yet.
#[derive(Debug)]
pub(crate) struct RawStream {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) attempts: u32,
    pub(super) body: reqwest::Response,
    pub(super) max_event_bytes: usize,
    pub(super) idle_timeout: Duration,
}

impl RawStream {
    /// The events, decoded into `T`; `tag` is the property that takes an event's name.
    pub(crate) fn events<T: DeserializeOwned, E>(self, tag: Option<&'static str>) -> Response<EventStream<T, E>> {
        let frames = Frames::new(self.body, self.max_event_bytes, self.idle_timeout);
        let events = EventStream {
            events: eventsource_stream::EventStream::new(frames.into_stream()),
            tag,
            attempts: self.attempts,
            max_event_bytes: self.max_event_bytes,
            idle_timeout: self.idle_timeout,
            ended: false,
            types: PhantomData,
        };
        Response::new(self.status, self.headers, self.attempts, events)
    }
}

/// The events of a server-sent event stream as they arrive, each decoded into `T` (the
/// answer's type in the spec); `E` is the operation's error type.
///
/// A [`Stream`] of `Result<T, Error<E>>`. An event that cannot be read (too large, not
/// UTF-8, not JSON of the type) is an [`Error::Event`] item, and the stream goes on after
/// it. When the connection breaks, or nothing arrives within the idle timeout
/// (`ClientBuilder::event_idle_timeout`), the last item is an [`Error::Transport`]; when
/// the server closes the stream, it ends. It does not reconnect: to resume, send the
/// operation again from the last cursor the events carried.
pub struct EventStream<T, E> {
    events: eventsource_stream::EventStream<FrameStream>,
    tag: Option<&'static str>,
    attempts: u32,
    max_event_bytes: usize,
    idle_timeout: Duration,
    ended: bool,
    types: PhantomData<fn() -> (T, E)>,
}

impl<T, E> std::fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("tag", &self.tag)
            .field("last_event_id", &self.last_event_id())
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl<T, E> EventStream<T, E> {
    /// The `id:` of the last event that had one (SSE's own cursor; empty if none had).
    pub fn last_event_id(&self) -> &str {
        self.events.last_event_id()
    }
}

impl<T: DeserializeOwned, E> Stream for EventStream<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        use eventsource_stream::EventStreamError;
        if self.ended {
            return Poll::Ready(None);
        }
        let item = match Pin::new(&mut self.events).poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(item) => item,
        };
        let transport = |source, attempts| Error::Transport { source, attempts };
        let item = match item {
            None => None,
            Some(Ok(event)) => Some(decode(&event, self.tag)),
            Some(Err(EventStreamError::Transport(fault))) => Some(Err(match fault {
                Fault::TooLarge => Error::Event(EventError::TooLarge { limit: self.max_event_bytes }),
                Fault::NotUtf8 => Error::Event(EventError::NotUtf8),
                Fault::Http(e) => transport(TransportError::Http(e.without_url()), self.attempts),
                Fault::Idle => transport(TransportError::Idle { limit: self.idle_timeout }, self.attempts),
            })),
            // Frames are whole UTF-8 events, which the parser always reads; should it fail,
            // it would fail again on the same text, so the stream ends here.
            Some(Err(EventStreamError::Parser(e))) => {
                self.ended = true;
                Some(Err(Error::Event(EventError::Syntax { reason: e.to_string() })))
            }
            Some(Err(EventStreamError::Utf8(e))) => {
                self.ended = true;
                Some(Err(Error::Event(EventError::Syntax { reason: e.to_string() })))
            }
        };
        if item.is_none() {
            self.ended = true;
        }
        Poll::Ready(item)
    }
}

/// An event's `data` as a `T`, its name put into the `tag` property when it lacks one.
fn decode<T: DeserializeOwned, E>(event: &eventsource_stream::Event, tag: Option<&str>) -> Result<T, Error<E>> {
    let decoded = match tag {
        None => serde_json::from_str(&event.data),
        Some(tag) => serde_json::from_str::<serde_json::Value>(&event.data).and_then(|mut value| {
            if let serde_json::Value::Object(object) = &mut value {
                object.entry(tag).or_insert_with(|| serde_json::Value::String(event.event.clone()));
            }
            serde_json::from_value(value)
        }),
    };
    decoded.map_err(|e| {
        Error::Event(EventError::Decode { event: event.event.clone(), reason: e.to_string(), data: event.data.clone() })
    })
}

/// Why `Frames` has no event to give.
#[derive(Debug)]
enum Fault {
    /// An event longer than the limit (skipped to its end).
    TooLarge,
    /// An event that is not UTF-8.
    NotUtf8,
    /// The transfer failed; the stream ends.
    Http(reqwest::Error),
    /// Nothing arrived within the idle timeout; the stream ends.
    Idle,
}

type FrameStream = Pin<Box<dyn Stream<Item = Result<String, Fault>> + Send>>;

/// The body cut into whole events, each ending with its blank line, line ends made `\n`.
struct Frames {
    body: reqwest::Response,
    idle_timeout: Duration,
    cutter: Cutter,
    done: bool,
}

impl Frames {
    fn new(body: reqwest::Response, limit: usize, idle_timeout: Duration) -> Self {
        Self { body, idle_timeout, cutter: Cutter::new(limit), done: false }
    }

    fn into_stream(self) -> FrameStream {
        Box::pin(futures_util::stream::unfold(self, |mut frames| async move {
            loop {
                if let Some(frame) = frames.cutter.ready.pop_front() {
                    return Some((frame, frames));
                }
                if frames.done {
                    // An event without its blank line at the end is dropped, as SSE says.
                    return None;
                }
                match tokio::time::timeout(frames.idle_timeout, frames.body.chunk()).await {
                    Ok(Ok(Some(chunk))) => frames.cutter.feed(&chunk),
                    Ok(Ok(None)) => frames.done = true,
                    Ok(Err(e)) => {
                        frames.done = true;
                        frames.cutter.ready.push_back(Err(Fault::Http(e)));
                    }
                    Err(_) => {
                        frames.done = true;
                        frames.cutter.ready.push_back(Err(Fault::Idle));
                    }
                }
            }
        }))
    }
}

/// Cuts bytes into events at blank lines, within a size limit.
#[derive(Debug)]
struct Cutter {
    limit: usize,
    /// The event so far, line ends made `\n`.
    event: Vec<u8>,
    /// The current line has nothing yet: a line end here ends the event.
    line_empty: bool,
    /// The last byte was `\r`: a `\n` now is the same line end.
    after_cr: bool,
    /// The current event went past the limit: its bytes are dropped until its end.
    skipping: bool,
    /// Whole events (or why one was dropped), in order.
    ready: VecDeque<Result<String, Fault>>,
}

impl Cutter {
    fn new(limit: usize) -> Self {
        Self { limit, event: Vec::new(), line_empty: true, after_cr: false, skipping: false, ready: VecDeque::new() }
    }

    fn feed(&mut self, mut bytes: &[u8]) {
        while let Some(&first) = bytes.first() {
            if std::mem::take(&mut self.after_cr) && first == b'\n' {
                // The LF of a CRLF: that line has ended already.
                bytes = &bytes[1..];
                continue;
            }
            let Some(end) = bytes.iter().position(|&b| b == b'\n' || b == b'\r') else {
                self.keep(bytes);
                self.line_empty = false;
                return;
            };
            self.keep(&bytes[..end]);
            if end > 0 {
                self.line_empty = false;
            }
            self.after_cr = bytes[end] == b'\r';
            self.keep(b"\n");
            if self.line_empty {
                self.end_event();
            }
            self.line_empty = true;
            bytes = &bytes[end + 1..];
        }
    }

    /// Adds bytes of a line to the event, unless it is being skipped or they would make it
    /// too large (then it is skipped from here to its end).
    fn keep(&mut self, bytes: &[u8]) {
        if self.skipping {
            return;
        }
        if self.event.len() + bytes.len() > self.limit {
            self.event = Vec::new();
            self.skipping = true;
            self.ready.push_back(Err(Fault::TooLarge));
            return;
        }
        self.event.extend_from_slice(bytes);
    }

    fn end_event(&mut self) {
        if std::mem::take(&mut self.skipping) {
            return;
        }
        let event = std::mem::take(&mut self.event);
        // A blank line with nothing before it (between events) is no event.
        if event == b"\n" {
            return;
        }
        self.ready.push_back(String::from_utf8(event).map_err(|_| Fault::NotUtf8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(limit: usize, chunks: &[&[u8]]) -> Vec<Result<String, String>> {
        let mut cutter = Cutter::new(limit);
        for chunk in chunks {
            cutter.feed(chunk);
        }
        cutter.ready.into_iter().map(|r| r.map_err(|e| format!("{e:?}"))).collect()
    }

    #[test]
    fn events_end_at_blank_lines_whatever_the_line_ends_and_chunks() {
        let expected = vec![Ok("data: a\n\n".to_owned()), Ok("event: b\ndata: c\n\n".to_owned())];
        assert_eq!(cut(100, &[b"data: a\n\nevent: b\ndata: c\n\n"]), expected);
        assert_eq!(cut(100, &[b"data: a\r\n\r\nevent: b\r\ndata: c\r\n\r\n"]), expected);
        assert_eq!(cut(100, &[b"data: a\r\revent: b\rdata: c\r\r"]), expected);
        let bytes = b"data: a\r\n\r\nevent: b\r\ndata: c\r\n\r\n";
        let one_by_one: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(cut(100, &one_by_one), expected);
        // Blank lines between events are no events; a last event without its blank line waits.
        assert_eq!(cut(100, &[b"\n\n\ndata: a\n\n\n\ndata: x"]), vec![Ok("data: a\n\n".to_owned())]);
    }

    #[test]
    fn a_large_event_is_skipped_to_its_end_and_the_next_one_kept() {
        let big = format!("data: {}\n\ndata: small\n\n", "x".repeat(50));
        assert_eq!(cut(20, &[big.as_bytes()]), vec![Err("TooLarge".to_owned()), Ok("data: small\n\n".to_owned())]);
    }

    #[test]
    fn the_limit_counts_the_whole_event_with_its_blank_line_however_it_is_cut() {
        let event = b"data: 12345\n\n"; // 13 bytes
        assert_eq!(cut(13, &[event]), vec![Ok("data: 12345\n\n".to_owned())]);
        assert_eq!(cut(12, &[event]), vec![Err("TooLarge".to_owned())]);
        let crlf: Vec<&[u8]> = b"data: 12345\r\n\r\ndata: 1\r\n\r\n".chunks(3).collect();
        assert_eq!(cut(12, &crlf), vec![Err("TooLarge".to_owned()), Ok("data: 1\n\n".to_owned())]);
    }

    #[test]
    fn an_event_that_is_not_utf8_is_reported_and_the_next_one_kept() {
        assert_eq!(
            cut(100, &[b"data: \xff\n\ndata: ok\n\n"]),
            vec![Err("NotUtf8".to_owned()), Ok("data: ok\n\n".to_owned())]
        );
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(tag = "type")]
    enum Message {
        #[serde(rename = "ping")]
        Ping { offset: String },
    }

    #[test]
    fn the_event_name_is_the_tag_when_the_data_lacks_one() {
        let event = |name: &str, data: &str| eventsource_stream::Event {
            event: name.to_owned(),
            data: data.to_owned(),
            ..Default::default()
        };
        let ping: Result<Message, Error<()>> = decode(&event("ping", r#"{"offset":"1"}"#), Some("type"));
        assert_eq!(ping.expect("decodes"), Message::Ping { offset: "1".into() });
        let kept: Result<Message, Error<()>> = decode(&event("other", r#"{"type":"ping","offset":"2"}"#), Some("type"));
        assert_eq!(kept.expect("decodes"), Message::Ping { offset: "2".into() });
        let broken: Result<Message, Error<()>> = decode(&event("ping", "{not json"), Some("type"));
        assert!(matches!(broken, Err(Error::Event(EventError::Decode { .. }))), "{broken:?}");
    }
}
