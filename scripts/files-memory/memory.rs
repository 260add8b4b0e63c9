//! Peak memory of a big upload or download through a generated client (the crate of
//! `tests/fixtures/files.yaml`), against a loopback server in the same process that counts
//! the bytes and keeps none. Run by `scripts/files-memory.sh`, which copies this file into
//! the generated crate as `examples/memory.rs`.
//!
//!     memory MODE MEGABYTES
//!
//! Modes: `upload-path` (multipart, the file part streamed from a file on disk),
//! `upload-stream` (multipart, the file part from a stream of the caller's, of declared
//! size), `upload-bytes` (multipart, the file in memory: the baseline), `download-stream`
//! (`send_streaming`, chunks counted and dropped), `download-whole` (`send`, the body in
//! memory: the baseline). Prints the bytes the server received or sent, the time, and the
//! process's peak resident memory (VmHWM).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use generated_files::types::CreateImportBody;
use generated_files::{Bytes, Client, File};

const CHUNK: usize = 64 * 1024;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (mode, megabytes) = match args.as_slice() {
        [_, mode, megabytes] => (mode.as_str(), megabytes.parse::<u64>().expect("MEGABYTES is a number")),
        _ => panic!("usage: memory MODE MEGABYTES"),
    };
    let size = megabytes * 1024 * 1024;
    let download = mode.starts_with("download");
    let (client, server) = serve(if download { Some(size) } else { None });
    let started = Instant::now();
    match mode {
        "upload-path" => {
            let path = std::env::temp_dir().join(format!("files-memory-{}.json", std::process::id()));
            write_file(&path, size);
            let started = Instant::now();
            upload(&client, File::from_path(&path)).await;
            let elapsed = started.elapsed();
            std::fs::remove_file(&path).expect("removes the file");
            report(mode, server.join().expect("the server"), elapsed);
            return;
        }
        "upload-stream" => upload(&client, File::from_stream(Generated { left: size }).size(size)).await,
        "upload-bytes" => upload(&client, File::new(vec![b'u'; size as usize])).await,
        "download-stream" => {
            let mut stream = client.get_blob("b").send_streaming().await.expect("the head").into_body();
            let mut received = 0u64;
            while let Some(chunk) = stream.chunk().await.expect("a chunk") {
                received += chunk.len() as u64;
            }
            assert_eq!(received, size, "the client received all the bytes");
        }
        "download-whole" => {
            let body = client.get_blob("b").send().await.expect("the body").into_body();
            assert_eq!(body.len() as u64, size, "the client received all the bytes");
        }
        other => panic!("unknown mode {other}"),
    }
    report(mode, server.join().expect("the server"), started.elapsed());
}

async fn upload(client: &Client, users: File) {
    let body = CreateImportBody::new(users.file_name("users.json"), "con_1");
    let job = client.create_import(body).send().await.expect("the import job");
    assert_eq!(job.id, "job_1");
}

fn report(mode: &str, bytes: u64, elapsed: std::time::Duration) {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let peak = status.lines().find(|line| line.starts_with("VmHWM:")).expect("VmHWM");
    let mib = bytes as f64 / (1024.0 * 1024.0);
    println!(
        "{mode}: {bytes} bytes on the wire in {:.2} s ({:.0} MiB/s); peak resident memory {}",
        elapsed.as_secs_f64(),
        mib / elapsed.as_secs_f64(),
        peak.trim_start_matches("VmHWM:").trim()
    );
}

/// `size` bytes of JSON-ish text, written a chunk at a time.
fn write_file(path: &std::path::Path, size: u64) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("creates the file"));
    let chunk = vec![b'f'; CHUNK];
    let mut left = size;
    while left > 0 {
        let n = left.min(CHUNK as u64) as usize;
        file.write_all(&chunk[..n]).expect("writes");
        left -= n as u64;
    }
    file.flush().expect("flushes");
}

/// A caller's stream: `left` bytes made a chunk at a time.
struct Generated {
    left: u64,
}

impl futures_core::Stream for Generated {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        let n = self.left.min(CHUNK as u64);
        self.left -= n;
        Poll::Ready(Some(Ok(Bytes::from(vec![b's'; n as usize]))))
    }
}

/// One connection: an upload's body read and counted (`download: None`), or a download of
/// `download` bytes written a chunk at a time. Returns the body bytes it read or wrote.
fn serve(download: Option<u64>) -> (Client, std::thread::JoinHandle<u64>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("accepts");
        let mut reader = BufReader::with_capacity(CHUNK, stream.try_clone().expect("clones"));
        let mut length = 0u64;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("reads");
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().expect("a length");
            }
            if line == "\r\n" || line.is_empty() {
                break;
            }
        }
        let mut buffer = vec![0; CHUNK];
        let mut read = 0u64;
        while read < length {
            let n = reader.read(&mut buffer[..(length - read).min(CHUNK as u64) as usize]).expect("reads the body");
            assert!(n > 0, "the body ended early");
            read += n as u64;
        }
        match download {
            None => {
                let job = r#"{"id":"job_1"}"#;
                let answer = format!(
                    "HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{job}",
                    job.len()
                );
                stream.write_all(answer.as_bytes()).expect("answers");
                read
            }
            Some(size) => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {size}\r\n\r\n"
                );
                stream.write_all(head.as_bytes()).expect("answers");
                let chunk = vec![b'd'; CHUNK];
                let mut left = size;
                while left > 0 {
                    let n = left.min(CHUNK as u64) as usize;
                    stream.write_all(&chunk[..n]).expect("writes the body");
                    left -= n as u64;
                }
                size
            }
        }
    });
    let client = Client::builder(url)
        .allow_http()
        .max_response_bytes(usize::MAX)
        .timeout(std::time::Duration::from_secs(600))
        .build()
        .expect("a client");
    (client, server)
}
