// The stack check of a generated command-line tool. `cargo xtask cli-stack` copies this file
// into a generated crate as `tests/cli_stack.rs`, with `use <the crate> as api;` below the
// `cfg`, writes the case into `tests/cli-stack.json` (the subcommands whose help to print:
// every group and operation; one command to run) and runs it in a debug build.
//
// Each call runs on a thread of its own with a 2 MiB stack, the size of a test thread and of
// most threads a program spawns: the tool's help, its argument parsing and its dispatch must
// fit there, whatever the size of the API.

#![cfg(feature = "cli")]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use serde_json::Value;

/// The stack of every call: `std::thread::Builder`'s default, and that of test threads.
const STACK: usize = 2 * 1024 * 1024;

struct Case {
    /// Subcommands whose `--help` to print, e.g. `["guardian", "enrollments"]`.
    helps: Vec<Vec<String>>,
    command: Vec<String>,
    /// The request line the command must send, without the query and the HTTP version: `POST /path`.
    request: String,
}

fn case() -> Case {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cli-stack.json");
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {path} ({e}): run this check with `cargo xtask cli-stack`"));
    let case: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let words = |value: &Value| -> Vec<String> {
        value.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
    };
    Case {
        helps: case["helps"].as_array().into_iter().flatten().map(words).collect(),
        command: words(&case["command"]),
        request: case["request"].as_str().unwrap_or("").to_owned(),
    }
}

struct Outcome {
    code: u8,
    stdout: String,
    stderr: String,
}

/// Runs the tool with `args` on a thread with a 2 MiB stack, in a runtime of its own.
fn run_on_small_stack(args: Vec<String>) -> Outcome {
    let thread = std::thread::Builder::new()
        .name("cli-2MiB".into())
        .stack_size(STACK)
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let env = |_: &str| None;
            let argv = std::iter::once("tool".to_owned()).chain(args);
            let code = runtime.block_on(api::cli::run(argv, &env, &mut out, &mut err));
            Outcome { code, stdout: String::from_utf8_lossy(&out).into(), stderr: String::from_utf8_lossy(&err).into() }
        })
        .expect("a thread");
    thread.join().expect("the tool's thread ended without overflowing its stack")
}

/// Answers one request with `200 {}` and returns its request line.
fn serve_one() -> (String, std::thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("accepts");
        let mut reader = BufReader::new(stream.try_clone().expect("clones"));
        let mut request_line = String::new();
        reader.read_line(&mut request_line).expect("reads");
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("reads");
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
            if line == "\r\n" || line.is_empty() {
                break;
            }
        }
        let mut body = vec![0; length];
        std::io::Read::read_exact(&mut reader, &mut body).expect("reads the body");
        let answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
        stream.write_all(answer.as_bytes()).expect("answers");
        // The method and the path; the query's order is the client's business.
        let request = request_line.trim_end().trim_end_matches(" HTTP/1.1");
        request.split_once('?').map_or(request, |(path, _)| path).to_owned()
    });
    (url, server)
}

#[test]
fn help_parsing_and_dispatch_fit_in_a_2_mib_stack() {
    let case = case();

    for words in std::iter::once(Vec::new()).chain(case.helps) {
        let args: Vec<String> = words.iter().cloned().chain(["--help".to_owned()]).collect();
        let help = run_on_small_stack(args);
        assert_eq!(help.code, 0, "{words:?} --help: {}", help.stderr);
        assert!(help.stdout.contains("Usage:"), "{words:?} --help printed:\n{}", help.stdout);
    }

    let (url, server) = serve_one();
    let connection = ["--base-url", &url, "--allow-http", "--token", "t", "--max-retries", "0"];
    let args: Vec<String> = connection.iter().map(|a| (*a).to_owned()).chain(case.command.clone()).collect();
    let command = run_on_small_stack(args);
    // `{}` may not decode into the answer's type (exit code 1); the request must have gone.
    assert_ne!(command.code, 2, "{:?} was refused: {}", case.command, command.stderr);
    let request = server.join().expect("the server");
    assert_eq!(request, case.request, "{:?} (stdout: {}, stderr: {})", case.command, command.stdout, command.stderr);
}
