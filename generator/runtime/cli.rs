//! What every generated command-line tool shares (the `cli` feature): the global flags and
//! the client they make, reading `--body`, and printing answers and errors.
//!
//! Exit codes: 0 success; 1 the API, the network or the token endpoint failed; 2 the
//! command was wrong (a usage or validation error: nothing was sent).
//!
//! Not every spec has every kind of answer, so not every printer is used.
#![allow(dead_code)]

use std::io::{self, Write};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::auth::{Credential, Secret};
use super::{BuildError, Client, Error, EventStream, Items, Response, TokenError};

/// The command worked.
pub(crate) const SUCCESS: u8 = 0;
/// The API answered with an error, or no answer came.
pub(crate) const FAILURE: u8 = 1;
/// The command was wrong; nothing was sent.
pub(crate) const USAGE: u8 = 2;

/// Flags every tool takes, whatever its API.
#[derive(Debug, clap::Args)]
pub(crate) struct Globals {
    /// A full base URL to use instead of the spec's server (a proxy, a test server).
    #[arg(long, global = true, value_name = "URL")]
    base_url: Option<String>,
    /// The bearer token (else the TOKEN environment variable named below).
    #[arg(long, global = true)]
    token: Option<String>,
    /// Retries after the first attempt [default: 2].
    #[arg(long, global = true, value_name = "N")]
    max_retries: Option<u32>,
    /// The time limit of each attempt, in seconds [default: 60].
    #[arg(long, global = true, value_name = "SECS")]
    timeout: Option<u64>,
    /// Allows an http:// URL (local servers); the token then travels in clear.
    #[arg(long, global = true)]
    allow_http: bool,
}

/// A security scheme whose credentials the tool reads from environment variables, by the
/// scheme's name and the suffix of its variables.
pub(crate) enum Key {
    /// `{prefix}_{suffix}`.
    ApiKey(&'static str, &'static str),
    /// `{prefix}_{suffix}_USERNAME` and `{prefix}_{suffix}_PASSWORD`.
    Basic(&'static str, &'static str),
}

impl Globals {
    /// The client the flags describe. `server_url` is the spec's server with its variables
    /// filled from their flags, when they were all given. Credentials: `--token`, else
    /// `{prefix}_TOKEN`, else `{prefix}_CLIENT_ID` with `{prefix}_CLIENT_SECRET`; and the
    /// `keys` from their variables. (Only the bearer token is also a flag: a secret on the
    /// command line is seen by every user of the machine.)
    pub(crate) fn client(
        &self,
        server_url: Option<Result<String, BuildError>>,
        env: &dyn Fn(&str) -> Option<String>,
        env_prefix: &str,
        header_defaults: &[(&str, Option<String>)],
        keys: &[Key],
    ) -> Result<Client, String> {
        let base_url = match (&self.base_url, server_url) {
            (Some(url), _) => url.clone(),
            (None, Some(url)) => url.map_err(|e| e.to_string())?,
            (None, None) => return Err("say which server to call: the server flags (see --help) or --base-url".into()),
        };
        let mut builder = Client::builder(base_url);
        let token = self.token.clone().or_else(|| env(&format!("{env_prefix}_TOKEN")));
        let client_id = env(&format!("{env_prefix}_CLIENT_ID"));
        let client_secret = env(&format!("{env_prefix}_CLIENT_SECRET"));
        builder = match (token, client_id, client_secret) {
            (Some(token), _, _) => builder.bearer_token(token),
            (None, Some(id), Some(secret)) => builder.client_credentials(id, secret),
            _ => builder,
        };
        for key in keys {
            match key {
                Key::ApiKey(scheme, suffix) => {
                    if let Some(key) = env(&format!("{env_prefix}_{suffix}")) {
                        builder = builder.credential(scheme, Credential::ApiKey(Secret::new(key)));
                    }
                }
                Key::Basic(scheme, suffix) => {
                    let username = env(&format!("{env_prefix}_{suffix}_USERNAME"));
                    let password = env(&format!("{env_prefix}_{suffix}_PASSWORD"));
                    if let (Some(username), Some(password)) = (username, password) {
                        let password = Secret::new(password);
                        builder = builder.credential(scheme, Credential::Basic { username, password });
                    }
                }
            }
        }
        if let Some(retries) = self.max_retries {
            builder = builder.max_retries(retries);
        }
        if let Some(seconds) = self.timeout {
            builder = builder.timeout(Duration::from_secs(seconds));
        }
        if self.allow_http {
            builder = builder.allow_http();
        }
        for (name, value) in header_defaults {
            if let Some(value) = value {
                builder = builder.default_header_parameter(*name, value.clone());
            }
        }
        builder.build().map_err(|e| e.to_string())
    }
}

/// Prints clap's message (help and version on stdout, errors on stderr) and returns its code.
pub(crate) fn clap_error(error: clap::Error, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let text = error.render().to_string();
    let code = error.exit_code();
    let _ = if code == 0 { write!(out, "{text}") } else { write!(err, "{text}") };
    u8::try_from(code).unwrap_or(USAGE)
}

/// Prints a usage error and returns its code.
pub(crate) fn usage(err: &mut dyn Write, message: impl std::fmt::Display) -> u8 {
    let _ = writeln!(err, "error: {message}");
    USAGE
}

/// The body given as `--body JSON` or `--body @file.json`.
pub(crate) fn body_from_arg<T: DeserializeOwned>(arg: &str) -> Result<T, String> {
    let text = text_from_arg(arg.to_owned())?;
    serde_json::from_str(&text).map_err(|e| format!("--body is not a valid request body: {e}"))
}

/// A text body given as `--body TEXT` or `--body @file`.
pub(crate) fn text_from_arg(arg: String) -> Result<String, String> {
    match arg.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path).map_err(|e| format!("cannot read --body file {path}: {e}")),
        None => Ok(arg),
    }
}

/// A body of bytes given as `--body @file` (the file's bytes: an image, an archive) or as
/// `--body TEXT` (the text's).
pub(crate) fn bytes_from_arg(arg: String) -> Result<Vec<u8>, String> {
    match arg.strip_prefix('@') {
        Some(path) => std::fs::read(path).map_err(|e| format!("cannot read --body file {path}: {e}")),
        None => Ok(arg.into_bytes()),
    }
}

/// Prints the answer with `print` and returns the exit code; or prints the error as one line.
pub(crate) fn finish<T, E>(
    result: Result<Response<T>, Error<E>>,
    out: &mut dyn Write,
    err: &mut dyn Write,
    print: fn(T, &mut dyn Write) -> io::Result<()>,
) -> u8 {
    match result {
        Ok(response) => match print(response.into_body(), out) {
            Ok(()) => SUCCESS,
            Err(e) => cannot_write(err, e),
        },
        Err(error) => report(error, err),
    }
}

/// `--all`: every item of a list, across its pages, as one JSON array once all have come;
/// with `--jsonl`, one JSON object a line as each page arrives. An error after some items
/// is reported as any error is, after the lines already printed (JSON lines) or instead of
/// the array.
pub(crate) async fn all_items<T: Serialize, E>(
    mut items: Items<T, E>,
    jsonl: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    use futures_util::StreamExt;
    let mut all = Vec::new();
    while let Some(item) = items.next().await {
        let item = match item {
            Ok(item) => item,
            Err(error) => return report(error, err),
        };
        if !jsonl {
            all.push(item);
            continue;
        }
        let line = serde_json::to_writer(&mut *out, &item).and_then(|()| writeln!(out).map_err(serde_json::Error::io));
        if let Err(e) = line {
            return cannot_write(err, e);
        }
    }
    if jsonl {
        return SUCCESS;
    }
    match json_out(all, out) {
        Ok(()) => SUCCESS,
        Err(e) => cannot_write(err, e),
    }
}

fn cannot_write(err: &mut dyn Write, error: impl std::fmt::Display) -> u8 {
    let _ = writeln!(err, "error: cannot write the answer: {error}");
    FAILURE
}

/// Prints an error as one line and returns its exit code.
fn report<E>(error: Error<E>, err: &mut dyn Write) -> u8 {
    match error {
        Error::InvalidRequest(e) => usage(err, e),
        Error::Token(TokenError::NoCredentials) => usage(err, "no credentials: give --token, or set the TOKEN (or CLIENT_ID and CLIENT_SECRET) environment variables named in --help"),
        Error::Token(TokenError::MissingCredentials { needed }) => usage(err, format!("no credentials for {needed}: set the environment variables named in --help")),
        Error::Api(api) => {
            let _ = writeln!(err, "error: {}", api_error_line(api.status(), api.raw_body()));
            FAILURE
        }
        other => {
            let _ = writeln!(err, "error: {}", one_line(&other.to_string()));
            FAILURE
        }
    }
}

/// Prints the events of a stream as they arrive, one JSON object a line, and returns the
/// exit code: 0 when the server ended the stream and every event was read, else 1. An
/// event that cannot be read is an error line, and the stream goes on.
pub(crate) async fn finish_events<T: Serialize + DeserializeOwned, E>(
    result: Result<Response<EventStream<T, E>>, Error<E>>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    use futures_util::StreamExt;
    let mut events = match result {
        Ok(events) => events,
        Err(error) => return finish(Err(error), out, err, empty_out),
    };
    let mut code = SUCCESS;
    while let Some(event) = events.next().await {
        let written = match event {
            Ok(event) => serde_json::to_writer(&mut *out, &event).map_err(io::Error::from).and_then(|()| {
                writeln!(out)?;
                out.flush()
            }),
            Err(error) => {
                code = FAILURE;
                writeln!(err, "error: {}", one_line(&error.to_string()))
            }
        };
        if let Err(e) = written {
            let _ = writeln!(err, "error: cannot write the answer: {e}");
            return FAILURE;
        }
    }
    code
}

pub(crate) fn json_out<T: Serialize>(value: T, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}

pub(crate) fn text_out(value: String, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{value}")
}

pub(crate) fn bytes_out(value: Vec<u8>, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(&value)
}

pub(crate) fn empty_out(_: (), _: &mut dyn Write) -> io::Result<()> {
    Ok(())
}

/// `404 Not Found: Not Found: The user does not exist. (inexistent_user)`: the status, then
/// the error body's `error`, `message` and `errorCode` when it is Auth0-shaped JSON, else
/// the body's text.
fn api_error_line(status: reqwest::StatusCode, raw_body: &str) -> String {
    let fields = serde_json::from_str::<serde_json::Value>(raw_body).ok().and_then(|value| {
        let field = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_owned);
        let message = field("message").or_else(|| field("error_description"));
        let error = field("error");
        (message.is_some() || error.is_some()).then(|| (error, message, field("errorCode")))
    });
    let mut line = status.to_string();
    match fields {
        Some((error, message, code)) => {
            for part in [error, message].into_iter().flatten() {
                line.push_str(": ");
                line.push_str(&part);
            }
            if let Some(code) = code {
                line.push_str(&format!(" ({code})"));
            }
        }
        None if !raw_body.trim().is_empty() => {
            line.push_str(": ");
            line.push_str(&one_line(raw_body).chars().take(300).collect::<String>());
        }
        None => {}
    }
    one_line(&line)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_fit_on_one_line() {
        let auth0 = r#"{"statusCode":404,"error":"Not Found","message":"The user does not exist.","errorCode":"inexistent_user"}"#;
        assert_eq!(
            api_error_line(reqwest::StatusCode::NOT_FOUND, auth0),
            "404 Not Found: Not Found: The user does not exist. (inexistent_user)"
        );
        assert_eq!(
            api_error_line(reqwest::StatusCode::BAD_GATEWAY, "<html>\n<body>bad\ngateway</body></html>"),
            "502 Bad Gateway: <html> <body>bad gateway</body></html>"
        );
        assert_eq!(api_error_line(reqwest::StatusCode::FORBIDDEN, ""), "403 Forbidden");
    }

    #[test]
    fn body_from_json_or_file() {
        let value: serde_json::Value = body_from_arg(r#"{"a": 1}"#).expect("JSON");
        assert_eq!(value["a"], 1);
        let error = body_from_arg::<serde_json::Value>("@/no/such/file.json").expect_err("missing file");
        assert!(error.contains("/no/such/file.json"), "{error}");
        assert!(body_from_arg::<Vec<u8>>("{").is_err());
    }

    #[test]
    fn text_and_bytes_bodies_are_given_or_read_from_a_file() {
        let path = std::env::temp_dir().join(format!("cli-body-{}.bin", std::process::id()));
        let bytes = [0x89, b'P', b'N', b'G', 0xff, 0x00];
        std::fs::write(&path, bytes).expect("a temporary file");
        let arg = format!("@{}", path.display());
        assert_eq!(bytes_from_arg(arg.clone()), Ok(bytes.to_vec()));
        assert!(text_from_arg(arg).is_err_and(|e| e.contains("cli-body-")), "not UTF-8");
        std::fs::write(&path, "from a file").expect("a temporary file");
        assert_eq!(text_from_arg(format!("@{}", path.display())).as_deref(), Ok("from a file"));
        let _ = std::fs::remove_file(&path);
        assert_eq!(bytes_from_arg("plain".into()), Ok(b"plain".to_vec()));
        assert_eq!(text_from_arg("plain".into()).as_deref(), Ok("plain"));
        assert!(bytes_from_arg("@/no/such/file.png".into()).is_err_and(|e| e.contains("/no/such/file.png")));
    }
}
