//! Bodies that do not sit in memory: where a file's bytes come from ([`Source`]: bytes, a
//! path reopened for each attempt, or a stream read once), a request body made of such
//! pieces and sent as a stream with its `Content-Length` when every size is known, the
//! watchdog that limits how long a streamed transfer may stand still, and [`ByteStream`],
//! an answer's body read as it arrives.
//!
//! A request body that can be sent again (bytes, paths) is sent again on a retry; a stream
//! can be read once, so a request whose stream was read is not retried.

// A spec without files or binary answers uses only part of it.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_core::Stream;
use tokio::io::AsyncRead;
use tokio_util::io::ReaderStream;

use super::{Error, TransportError, ValidationError};

/// What a caller's stream may fail with.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;
type BoxStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// The size of the chunks read from a file or an `AsyncRead`.
const CHUNK: usize = 64 * 1024;

/// Where the bytes of a file, or of a piece of a request body, come from.
#[derive(Clone)]
pub(crate) enum Source {
    /// In memory (cheap to clone: shared).
    Bytes(Bytes),
    /// A file on disk, opened again for each attempt.
    Path(PathBuf),
    /// A stream, read once: the first attempt that reaches it takes it.
    Stream {
        stream: Arc<Mutex<Option<BoxStream>>>,
        /// The size the caller declared, if any.
        size: Option<u64>,
    },
}

impl Source {
    pub(crate) fn from_stream<S, B, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes> + 'static,
        E: Into<BoxError> + 'static,
    {
        let stream: BoxStream = Box::pin(MapStream { inner: Box::pin(stream), _types: PhantomData });
        Source::Stream { stream: Arc::new(Mutex::new(Some(stream))), size: None }
    }

    pub(crate) fn from_reader(reader: impl AsyncRead + Send + 'static) -> Self {
        Self::from_stream(ReaderStream::with_capacity(reader, CHUNK))
    }

    /// Whether this piece can still be sent: a stream only until an attempt has read it.
    fn can_send(&self) -> bool {
        match self {
            Source::Stream { stream, .. } => stream.lock().map(|slot| slot.is_some()).unwrap_or(false),
            _ => true,
        }
    }
}

impl PartialEq for Source {
    /// Bytes and paths compare by value, streams by identity.
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            (Source::Path(a), Source::Path(b)) => a == b,
            (Source::Stream { stream: a, .. }, Source::Stream { stream: b, .. }) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Eq for Source {}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Bytes(bytes) => write!(f, "{} bytes", bytes.len()),
            Source::Path(path) => write!(f, "the file {}", path.display()),
            Source::Stream { size: Some(size), .. } => write!(f, "a stream of {size} bytes"),
            Source::Stream { size: None, .. } => f.write_str("a stream"),
        }
    }
}

/// A stream of the caller's chunks and errors, as the body needs them.
struct MapStream<S, B, E> {
    inner: Pin<Box<S>>,
    _types: PhantomData<fn() -> (B, E)>,
}

impl<S, B, E> Stream for MapStream<S, B, E>
where
    S: Stream<Item = Result<B, E>>,
    B: Into<Bytes>,
    E: Into<BoxError>,
{
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx).map(|item| item.map(|result| result.map(Into::into).map_err(Into::into)))
    }
}

/// A request body: its pieces in order (a multipart body's boundaries and headers are
/// pieces of bytes between its files).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pieces(pub(crate) Vec<Source>);

impl Pieces {
    /// The body in memory, if it is one piece of bytes.
    pub(crate) fn as_bytes(&self) -> Option<&Bytes> {
        match self.0.as_slice() {
            [Source::Bytes(bytes)] => Some(bytes),
            _ => None,
        }
    }

    /// Whether an attempt can (still) send this body: false once a stream in it was read.
    pub(crate) fn can_send(&self) -> bool {
        self.0.iter().all(Source::can_send)
    }

    /// The body of one attempt: files opened (a file that cannot be read is the caller's
    /// error, and nothing is sent), and the length when every piece's size is known.
    pub(crate) async fn open(&self, progress: &Progress) -> Result<(reqwest::Body, Option<u64>), ValidationError> {
        if let Some(bytes) = self.as_bytes() {
            return Ok((reqwest::Body::from(bytes.clone()), Some(bytes.len() as u64)));
        }
        let mut pieces = VecDeque::new();
        let mut length = Some(0u64);
        for source in &self.0 {
            let (piece, size) = match source {
                Source::Bytes(bytes) => (Piece::Bytes(bytes.clone()), Some(bytes.len() as u64)),
                Source::Path(path) => {
                    let unreadable = |e: std::io::Error| {
                        ValidationError::new("body", format!("the file {} cannot be read: {e}", path.display()))
                    };
                    let file = tokio::fs::File::open(path).await.map_err(unreadable)?;
                    let size = file.metadata().await.map_err(unreadable)?.len();
                    (
                        Piece::Stream(Box::pin(MapStream::<_, Bytes, std::io::Error> {
                            inner: Box::pin(ReaderStream::with_capacity(file, CHUNK)),
                            _types: PhantomData,
                        })),
                        Some(size),
                    )
                }
                Source::Stream { stream, size } => (Piece::OneShot(stream.clone()), *size),
            };
            pieces.push_back(piece);
            length = length.zip(size).map(|(a, b)| a + b);
        }
        let chain = Chain { pieces, current: None, progress: progress.clone() };
        Ok((reqwest::Body::wrap_stream(chain), length))
    }
}

enum Piece {
    Bytes(Bytes),
    Stream(BoxStream),
    OneShot(Arc<Mutex<Option<BoxStream>>>),
}

/// The pieces of a body one after the other; each chunk that leaves counts as progress.
struct Chain {
    pieces: VecDeque<Piece>,
    current: Option<BoxStream>,
    progress: Progress,
}

impl Stream for Chain {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(current) = self.current.as_mut() {
                match current.as_mut().poll_next(cx) {
                    Poll::Ready(Some(chunk)) => {
                        self.progress.mark();
                        return Poll::Ready(Some(chunk));
                    }
                    Poll::Ready(None) => self.current = None,
                    Poll::Pending => return Poll::Pending,
                }
            }
            match self.pieces.pop_front() {
                None => return Poll::Ready(None),
                Some(Piece::Bytes(bytes)) => {
                    self.progress.mark();
                    return Poll::Ready(Some(Ok(bytes)));
                }
                Some(Piece::Stream(stream)) => self.current = Some(stream),
                Some(Piece::OneShot(slot)) => {
                    let taken = slot.lock().ok().and_then(|mut slot| slot.take());
                    match taken {
                        Some(stream) => self.current = Some(stream),
                        None => {
                            return Poll::Ready(Some(Err("a stream can be sent once, and was already read".into())))
                        }
                    }
                }
            }
        }
    }
}

/// When a transfer last moved: a chunk of a streamed request body sent, or of the answer
/// received.
#[derive(Clone)]
pub(crate) struct Progress(Arc<(Instant, AtomicU64)>);

impl Progress {
    pub(crate) fn new() -> Self {
        Self(Arc::new((Instant::now(), AtomicU64::new(0))))
    }

    pub(crate) fn mark(&self) {
        let (start, last) = &*self.0;
        last.store(start.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        let (start, last) = &*self.0;
        *start + Duration::from_millis(last.load(Ordering::Relaxed))
    }

    /// Runs `work` until it ends, or until nothing has moved for `limit` (`None`).
    pub(crate) async fn idle_limit<T>(&self, limit: Duration, work: impl Future<Output = T>) -> Option<T> {
        let mut work = std::pin::pin!(work);
        self.mark();
        loop {
            let deadline = tokio::time::Instant::from_std(self.last() + limit);
            match tokio::time::timeout_at(deadline, work.as_mut()).await {
                Ok(done) => return Some(done),
                Err(_) if self.last() + limit <= Instant::now() => return None,
                Err(_) => continue,
            }
        }
    }
}

/// A success answer's body, read as it arrives: a [`Stream`] of chunks, or one chunk at a
/// time with [`chunk`](Self::chunk). Nothing limits its size; the client's time limit is the
/// longest wait for the next chunk.
///
/// A failure while reading (the connection broke, the wait ran out) is an
/// [`Error::Transport`] and ends the stream; it is not retried, since part of the body was
/// already handed over.
pub struct ByteStream<E> {
    inner: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    idle: Duration,
    sleep: Pin<Box<tokio::time::Sleep>>,
    attempts: u32,
    done: bool,
    _error: PhantomData<fn() -> E>,
}

impl<E> ByteStream<E> {
    pub(crate) fn from_response(answer: reqwest::Response, idle: Duration, attempts: u32) -> Self {
        Self::new(Box::pin(answer.bytes_stream()), idle, attempts)
    }

    /// A body already read.
    pub(crate) fn from_bytes(body: Vec<u8>, idle: Duration, attempts: u32) -> Self {
        Self::new(Box::pin(OneChunk(Some(Bytes::from(body)))), idle, attempts)
    }

    fn new(inner: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>, idle: Duration, attempts: u32) -> Self {
        Self { inner, idle, sleep: Box::pin(tokio::time::sleep(idle)), attempts, done: false, _error: PhantomData }
    }

    /// The next chunk, or `None` at the end of the body.
    ///
    /// # Errors
    ///
    /// [`Error::Transport`] when the transfer fails or no chunk comes within the time limit.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error<E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await.transpose()
    }

    /// The rest of the body in memory (for small answers; the stream is for big ones).
    ///
    /// # Errors
    ///
    /// As [`chunk`](Self::chunk).
    pub async fn collect(mut self) -> Result<Vec<u8>, Error<E>> {
        let mut body = Vec::new();
        while let Some(chunk) = self.chunk().await? {
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

impl<E> Stream for ByteStream<E> {
    type Item = Result<Bytes, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        let attempts = self.attempts;
        match self.inner.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                let deadline = tokio::time::Instant::now() + self.idle;
                self.sleep.as_mut().reset(deadline);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(e))) => {
                self.done = true;
                Poll::Ready(Some(Err(Error::Transport { source: TransportError::Http(e.without_url()), attempts })))
            }
            Poll::Ready(None) => {
                self.done = true;
                Poll::Ready(None)
            }
            Poll::Pending => match self.sleep.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    self.done = true;
                    let source = TransportError::Stalled(self.idle);
                    Poll::Ready(Some(Err(Error::Transport { source, attempts })))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

/// A body of one chunk, as a stream.
struct OneChunk(Option<Bytes>);

impl Stream for OneChunk {
    type Item = reqwest::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.take().filter(|chunk| !chunk.is_empty()).map(Ok))
    }
}

impl<E> fmt::Debug for ByteStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").field("idle_limit", &self.idle).field("done", &self.done).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn drain(chain: &mut Chain) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        while let Some(chunk) = std::future::poll_fn(|cx| Pin::new(&mut *chain).poll_next(cx)).await {
            out.extend_from_slice(&chunk.map_err(|e| e.to_string())?);
        }
        Ok(out)
    }

    fn chain_of(pieces: Vec<Piece>) -> Chain {
        Chain { pieces: pieces.into(), current: None, progress: Progress::new() }
    }

    #[tokio::test]
    async fn a_stream_is_sent_once_between_the_pieces_around_it() {
        let source = Source::from_reader(&b"middle"[..]);
        let Source::Stream { stream, .. } = &source else { panic!("a stream") };
        let pieces = Pieces(vec![Source::Bytes("head ".into()), source.clone(), Source::Bytes(" tail".into())]);
        assert!(pieces.can_send());
        let piece = || Piece::OneShot(stream.clone());
        let mut first = chain_of(vec![Piece::Bytes("head ".into()), piece(), Piece::Bytes(" tail".into())]);
        assert_eq!(drain(&mut first).await.expect("sent"), b"head middle tail");
        assert!(!pieces.can_send(), "the stream was read");
        let error = drain(&mut chain_of(vec![piece()])).await.expect_err("read already");
        assert!(error.contains("once"), "{error}");
    }

    #[tokio::test]
    async fn bodies_in_memory_stay_one_buffer_and_others_know_their_length() {
        let progress = Progress::new();
        let one = Pieces(vec![Source::Bytes("abc".into())]);
        assert_eq!(one.as_bytes().map(|b| b.as_ref()), Some(b"abc".as_slice()));
        assert_eq!(one.open(&progress).await.expect("opens").1, Some(3));
        let path = std::env::temp_dir().join(format!("streams-test-{}", std::process::id()));
        std::fs::write(&path, b"12345").expect("writes");
        let with_file = Pieces(vec![Source::Bytes("ab".into()), Source::Path(path.clone())]);
        assert_eq!(with_file.open(&progress).await.expect("opens").1, Some(7));
        std::fs::remove_file(&path).expect("removes");
        let error = with_file.open(&progress).await.expect_err("gone");
        assert!(error.to_string().contains("cannot be read"), "{error}");
        let unknown_size = Pieces(vec![Source::from_reader(&b"x"[..])]);
        assert_eq!(unknown_size.open(&progress).await.expect("opens").1, None);
    }

    #[tokio::test]
    async fn the_idle_limit_counts_from_the_last_progress() {
        let progress = Progress::new();
        let limit = Duration::from_millis(40);
        let moving = async {
            for _ in 0..6 {
                tokio::time::sleep(Duration::from_millis(15)).await;
                progress.mark();
            }
        };
        assert!(progress.idle_limit(limit, moving).await.is_some(), "90 ms in all, never idle for 40");
        let still = tokio::time::sleep(Duration::from_millis(200));
        assert!(progress.idle_limit(limit, still).await.is_none());
    }
}
