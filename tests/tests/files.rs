//! Uploads that do not sit in memory, on Auth0's users import job (`POST /jobs/users-imports`,
//! multipart with a `users` file part): a file streamed from a path and from a stream,
//! checked byte for byte as a loopback server receives it; retries resend a file from a
//! path but not a stream already read. (The Management API has no binary answer; the
//! streamed download is tested on the `files` fixture, `tests/fixtures/files.rs`.)

use auth0_management::types::CreateImportUsersRequestContent as ImportBody;
use auth0_management::{Client, Error, File};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A request as the server read it: its head (lower case) and its body, de-chunked.
struct Received {
    head: String,
    body: Vec<u8>,
}

/// Answers each connection with the next of `answers` (status line, JSON body) and returns
/// what it read.
async fn serve(answers: Vec<(&'static str, &'static str)>) -> (Client, tokio::task::JoinHandle<Vec<Received>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let url = format!("http://{}/api/v2", listener.local_addr().expect("address"));
    let server = tokio::spawn(async move {
        let mut received = Vec::new();
        for (status, body) in answers {
            let (stream, _) = listener.accept().await.expect("accepts");
            let mut reader = BufReader::new(stream);
            received.push(read_request(&mut reader).await);
            let answer = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            reader.get_mut().write_all(answer.as_bytes()).await.expect("answers");
        }
        received
    });
    let client = Client::builder(url)
        .allow_http()
        .bearer_token("t")
        .max_retries(2)
        .retry_base_delay(std::time::Duration::from_millis(1))
        .retry_non_idempotent(true)
        .build()
        .expect("client");
    (client, server)
}

async fn read_request(reader: &mut BufReader<tokio::net::TcpStream>) -> Received {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).await.expect("reads");
        if line == "\r\n" || line.is_empty() {
            break;
        }
        head.push_str(&line.to_ascii_lowercase());
    }
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .map(|value| value.trim().parse::<usize>().expect("a length"));
    let mut body = Vec::new();
    match length {
        Some(length) => {
            body.resize(length, 0);
            reader.read_exact(&mut body).await.expect("reads the body");
        }
        None => loop {
            assert!(head.contains("transfer-encoding: chunked"), "neither a length nor chunks: {head}");
            let mut size = String::new();
            reader.read_line(&mut size).await.expect("a chunk size");
            let size = usize::from_str_radix(size.trim(), 16).expect("hex");
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).await.expect("a chunk");
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        },
    }
    Received { head, body }
}

const JOB: &str = r#"{"status":"pending","type":"users_import","created_at":"2026-12-01T00:00:00Z","id":"job_1","connection_id":"con_1","connection":"db"}"#;

/// 300 KiB of varied bytes, so that a lost or repeated chunk shows.
fn content() -> Vec<u8> {
    (0..300 * 1024u32).map(|i| (i * 7 + i / 251) as u8).collect()
}

/// The multipart body the server must have received for `users` (file name `users.json`).
fn expected_body(head: &str, users: &[u8]) -> Vec<u8> {
    let boundary = head
        .split("content-type: multipart/form-data; boundary=")
        .nth(1)
        .and_then(|rest| rest.split("\r\n").next())
        .expect("a multipart content type");
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"users\"; filename=\"users.json\"\r\n\
         Content-Type: application/json\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(users);
    body.extend_from_slice(
        format!(
            "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"connection_id\"\r\n\r\ncon_1\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"upsert\"\r\n\r\ntrue\r\n--{boundary}--\r\n"
        )
        .as_bytes(),
    );
    body
}

fn import(users: File) -> ImportBody {
    ImportBody::new(users.content_type("application/json"), "con_1").upsert(true)
}

#[tokio::test]
async fn a_file_from_a_path_is_streamed_with_its_length_and_resent_on_a_retry() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("users.json");
    let users = content();
    std::fs::write(&path, &users).expect("writes");
    let (client, server) = serve(vec![("503 Service Unavailable", "{}"), ("202 Accepted", JOB)]).await;

    let job = client.jobs().users_imports().create(import(File::from_path(&path))).send().await.expect("a job");
    assert_eq!((job.id.as_str(), job.attempts()), ("job_1", 2));
    let received = server.await.expect("the server");
    for request in &received {
        assert!(request.head.starts_with("post /api/v2/jobs/users-imports "), "{}", request.head);
        assert!(!request.head.contains("transfer-encoding"), "{}", request.head);
        let length = format!("content-length: {}\r\n", request.body.len());
        assert!(request.head.contains(&length), "{}", request.head);
        assert!(request.body == expected_body(&request.head, &users), "the body differs from the file's parts");
    }
}

#[tokio::test]
async fn a_file_from_a_stream_is_sent_chunked_once_and_not_retried_after_it_was_read() {
    let users = content();
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = users.chunks(10_000).map(|c| Ok(c.to_vec())).collect();
    let stream = tokio_stream_iter(chunks);
    let (client, server) = serve(vec![("503 Service Unavailable", "{\"message\":\"busy\"}")]).await;

    let file = File::from_stream(stream).file_name("users.json");
    let error = client.jobs().users_imports().create(import(file)).send().await.expect_err("not retried");
    let Error::Api(error) = error else { panic!("expected the server's answer, got {error:?}") };
    assert_eq!((error.status().as_u16(), error.attempts()), (503, 1));
    let received = server.await.expect("the server");
    assert!(received[0].head.contains("transfer-encoding: chunked"), "{}", received[0].head);
    assert!(received[0].body == expected_body(&received[0].head, &users), "the body differs from the stream's parts");
}

#[tokio::test]
async fn a_reader_of_a_declared_size_is_sent_with_its_length() {
    let users = content();
    let (client, server) = serve(vec![("202 Accepted", JOB)]).await;

    let reader = std::io::Cursor::new(users.clone());
    let file = File::from_reader(reader).size(users.len() as u64).file_name("users.json");
    client.jobs().users_imports().create(import(file)).send().await.expect("a job");
    let received = server.await.expect("the server");
    let request = &received[0];
    assert!(request.head.contains(&format!("content-length: {}\r\n", request.body.len())), "{}", request.head);
    assert!(request.body == expected_body(&request.head, &users), "the body differs from the reader's parts");
}

#[tokio::test]
async fn a_file_that_cannot_be_read_fails_before_anything_is_sent() {
    let (client, server) = serve(vec![]).await;
    let file = File::from_path("/nonexistent/users.json");
    let error = client.jobs().users_imports().create(import(file)).send().await.expect_err("unreadable");
    assert!(matches!(&error, Error::InvalidRequest(e) if e.to_string().contains("/nonexistent/users.json")), "{error}");
    assert!(server.await.expect("the server").is_empty());
}

#[tokio::test]
async fn a_slow_upload_that_keeps_moving_is_not_cut_and_one_that_stands_still_is() {
    let timeout = std::time::Duration::from_millis(150);
    // Ten chunks 50 ms apart: 500 ms in all, more than the time limit, never idle that long.
    let (client, server) = serve(vec![("202 Accepted", JOB)]).await;
    let file = File::from_stream(Paced::new(10, 50)).file_name("users.json");
    let options = auth0_management::RequestOptions::new().timeout(timeout);
    client.jobs().users_imports().create(import(file)).options(options).send().await.expect("not cut");
    let received = server.await.expect("the server");
    assert!(received[0].body == expected_body(&received[0].head, &[b'p'; 10 * 1024]));

    // A chunk, then a pause of 2 s: the call ends with a timeout after 150 ms of standing still.
    let (client, _server) = serve(vec![("202 Accepted", JOB)]).await;
    let file = File::from_stream(Paced::new(2, 2_000)).file_name("users.json");
    let options = auth0_management::RequestOptions::new().timeout(timeout);
    let started = std::time::Instant::now();
    let error = client.jobs().users_imports().create(import(file)).options(options).send().await.expect_err("stalled");
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < std::time::Duration::from_millis(1_500), "{:?}", started.elapsed());
    assert_eq!(error.attempts(), Some(1), "a stream already read is not sent again");
}

/// `chunks` chunks of 1 KiB, the first at once and each next after `pause_ms`.
struct Paced {
    left: usize,
    pause: std::time::Duration,
    sleep: Option<std::pin::Pin<Box<tokio::time::Sleep>>>,
}

impl Paced {
    fn new(chunks: usize, pause_ms: u64) -> Self {
        Self { left: chunks, pause: std::time::Duration::from_millis(pause_ms), sleep: None }
    }
}

impl futures_core::Stream for Paced {
    type Item = Result<Vec<u8>, std::io::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::future::Future;
        if self.left == 0 {
            return std::task::Poll::Ready(None);
        }
        if let Some(sleep) = self.sleep.as_mut() {
            if sleep.as_mut().poll(cx).is_pending() {
                return std::task::Poll::Pending;
            }
        }
        self.left -= 1;
        let pause = self.pause;
        self.sleep = Some(Box::pin(tokio::time::sleep(pause)));
        std::task::Poll::Ready(Some(Ok(vec![b'p'; 1024])))
    }
}

/// A stream of `items` (what `futures::stream::iter` does, without the dependency).
fn tokio_stream_iter<T: Unpin>(items: Vec<T>) -> impl futures_core::Stream<Item = T> + Unpin {
    struct Iter<T>(std::vec::IntoIter<T>);
    impl<T: Unpin> futures_core::Stream for Iter<T> {
        type Item = T;
        fn poll_next(mut self: std::pin::Pin<&mut Self>, _: &mut std::task::Context<'_>) -> std::task::Poll<Option<T>> {
            std::task::Poll::Ready(self.0.next())
        }
    }
    Iter(items.into_iter())
}
