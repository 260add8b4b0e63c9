//! The generated `auth0-mgmt` tool end to end, against a local server: the exact requests it
//! sends, what it prints, and its exit codes (0 success, 1 API or network failure, 2 a wrong
//! command, with nothing sent).

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TICKET_PATH: &str = "/api/v2/guardian/enrollments/ticket";

struct Run {
    code: u8,
    stdout: String,
    stderr: String,
}

async fn run_with_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let lookup = |name: &str| env.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned());
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let argv = std::iter::once("auth0-mgmt").chain(args.iter().copied());
    let code = auth0_management::cli::run(argv, &lookup, &mut out, &mut err).await;
    Run { code, stdout: String::from_utf8(out).expect("UTF-8"), stderr: String::from_utf8(err).expect("UTF-8") }
}

async fn run(args: &[&str]) -> Run {
    run_with_env(args, &[]).await
}

/// Runs against the local server at `base_url` with a token: `--base-url URL --allow-http --token t ARGS`.
async fn run_local(base_url: &str, args: &[&str]) -> Run {
    let all: Vec<&str> = ["--base-url", base_url, "--allow-http", "--token", "t"].iter().chain(args).copied().collect();
    run(&all).await
}

async fn serving(answer: ResponseTemplate) -> (MockServer, String) {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path(TICKET_PATH)).respond_with(answer).mount(&server).await;
    let base_url = format!("{}/api/v2", server.uri());
    (server, base_url)
}

fn ticket() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"ticket_id": "t-1", "ticket_url": "https://x/t-1"}))
}

async fn sent(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("recording is on")
}

#[tokio::test]
async fn field_flags_become_the_json_body_and_the_answer_is_printed() {
    let (server, base_url) = serving(ticket()).await;
    let result = run(&[
        "--base-url",
        &base_url,
        "--allow-http",
        "--token",
        "tok",
        "--custom-domain",
        "login.example.com",
        "guardian",
        "enrollments",
        "create-ticket",
        "--user-id",
        "auth0|1",
        "--email",
        "jane@example.com",
        "--send-mail",
        "true",
        "--email-locale",
        "fr",
        "--factor",
        "webauthn-platform",
        "--allow-multiple-enrollments",
        "false",
    ])
    .await;
    assert_eq!(result.code, 0, "{}", result.stderr);
    let printed: Value = serde_json::from_str(&result.stdout).expect("JSON on stdout");
    assert_eq!(printed, json!({"ticket_id": "t-1", "ticket_url": "https://x/t-1"}));

    let requests = sent(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.headers.get("authorization").map(|v| v.as_bytes()), Some(b"Bearer tok".as_slice()));
    assert_eq!(request.headers.get("auth0-custom-domain").map(|v| v.as_bytes()), Some(b"login.example.com".as_slice()));
    let body: Value = serde_json::from_slice(&request.body).expect("JSON body");
    assert_eq!(
        body,
        json!({
            "user_id": "auth0|1", "email": "jane@example.com", "send_mail": true, "email_locale": "fr",
            "factor": "webauthn-platform", "allow_multiple_enrollments": false
        })
    );
}

#[tokio::test]
async fn the_body_can_be_given_whole_as_json_or_a_file() {
    let (server, base_url) = serving(ticket()).await;
    let inline = run_local(
        &base_url,
        &["guardian", "enrollments", "create-ticket", "--body", r#"{"user_id": "auth0|2", "factor": "otp"}"#],
    )
    .await;
    assert_eq!(inline.code, 0, "{}", inline.stderr);

    let file = tempfile::NamedTempFile::new().expect("file");
    std::fs::write(file.path(), r#"{"user_id": "auth0|3"}"#).expect("write");
    let at_file = format!("@{}", file.path().display());
    let from_file = run_local(&base_url, &["guardian", "enrollments", "create-ticket", "--body", &at_file]).await;
    assert_eq!(from_file.code, 0, "{}", from_file.stderr);

    let bodies: Vec<Value> =
        sent(&server).await.iter().map(|r| serde_json::from_slice(&r.body).expect("JSON")).collect();
    assert_eq!(bodies, [json!({"user_id": "auth0|2", "factor": "otp"}), json!({"user_id": "auth0|3"})]);
}

#[tokio::test]
async fn an_api_error_is_one_line_on_stderr_and_exit_code_1() {
    let error = json!({"statusCode": 404, "error": "Not Found", "message": "The user does not exist.", "errorCode": "inexistent_user"});
    let (_server, base_url) = serving(ResponseTemplate::new(404).set_body_json(error)).await;
    let result = run_local(&base_url, &["guardian", "enrollments", "create-ticket", "--user-id", "auth0|x"]).await;
    assert_eq!(result.code, 1);
    assert_eq!(result.stdout, "");
    assert_eq!(result.stderr, "error: 404 Not Found: Not Found: The user does not exist. (inexistent_user)\n");
}

#[tokio::test]
async fn wrong_commands_exit_2_and_send_nothing() {
    let (server, base_url) = serving(ticket()).await;
    let cases: &[(&[&str], &str)] = &[
        (
            &["guardian", "enrollments", "create-ticket", "--user-id", "u", "--factor", "carrier-pigeon"],
            "possible values: push-notification",
        ),
        (
            &["--custom-domain", "ab", "guardian", "enrollments", "create-ticket", "--user-id", "u"],
            "`auth0-custom-domain` must be between 3 and 255 characters long",
        ),
        (&["guardian", "enrollments", "create-ticket"], "--user-id <USER_ID>"),
        (
            &["guardian", "enrollments", "create-ticket", "--user-id", "u", "--email", "not-an-email"],
            "`email` must be an email address",
        ),
        (&["guardian", "enrollments", "create-ticket", "--body", "{not json"], "--body is not a valid request body"),
        (&["guardian", "enrollments", "create-ticket", "--user-id", "u", "--body", "{}"], "cannot be used with"),
        (&["no-such-command"], "unrecognized subcommand"),
    ];
    for (args, words) in cases {
        let result = run_local(&base_url, args).await;
        assert_eq!(result.code, 2, "{args:?}: {}", result.stderr);
        assert!(result.stderr.contains(words), "{args:?}: {}", result.stderr);
    }
    let no_server = run(&["--token", "t", "guardian", "enrollments", "create-ticket", "--user-id", "u"]).await;
    assert_eq!(no_server.code, 2);
    assert!(no_server.stderr.contains("--base-url"), "{}", no_server.stderr);
    let bad_domain = run(&[
        "--tenant-domain",
        "evil.com/x",
        "--token",
        "t",
        "guardian",
        "enrollments",
        "create-ticket",
        "--user-id",
        "u",
    ])
    .await;
    assert_eq!(bad_domain.code, 2);
    assert!(bad_domain.stderr.contains("is not a valid `tenantDomain`"), "{}", bad_domain.stderr);
    let no_credentials =
        run(&["--base-url", &base_url, "--allow-http", "guardian", "enrollments", "create-ticket", "--user-id", "u"])
            .await;
    assert_eq!(no_credentials.code, 2, "{}", no_credentials.stderr);
    assert!(no_credentials.stderr.contains("no credentials"), "{}", no_credentials.stderr);
    assert!(sent(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn client_credentials_come_from_the_environment() {
    let (server, base_url) = serving(ticket()).await;
    Mock::given(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"access_token": "cc-token", "expires_in": 86400})),
        )
        .mount(&server)
        .await;
    let env = [("AUTH0_CLIENT_ID", "id"), ("AUTH0_CLIENT_SECRET", "secret")];
    let result = run_with_env(
        &["--base-url", &base_url, "--allow-http", "guardian", "enrollments", "create-ticket", "--user-id", "u"],
        &env,
    )
    .await;
    assert_eq!(result.code, 0, "{}", result.stderr);
    let api = sent(&server).await.into_iter().find(|r| r.url.path() == TICKET_PATH).expect("the API call");
    assert_eq!(api.headers.get("authorization").map(|v| v.as_bytes()), Some(b"Bearer cc-token".as_slice()));

    // AUTH0_TOKEN is used when --token is not given.
    let result = run_with_env(
        &["--base-url", &base_url, "--allow-http", "guardian", "enrollments", "create-ticket", "--user-id", "u"],
        &[("AUTH0_TOKEN", "env-token")],
    )
    .await;
    assert_eq!(result.code, 0, "{}", result.stderr);
    let last = sent(&server).await.into_iter().rev().find(|r| r.url.path() == TICKET_PATH).expect("the API call");
    assert_eq!(last.headers.get("authorization").map(|v| v.as_bytes()), Some(b"Bearer env-token".as_slice()));
}

#[tokio::test]
async fn retries_and_time_limits_are_flags() {
    let (server, base_url) = serving(ResponseTemplate::new(429)).await;
    let result =
        run_local(&base_url, &["--max-retries", "0", "guardian", "enrollments", "create-ticket", "--user-id", "u"])
            .await;
    assert_eq!(result.code, 1);
    assert!(result.stderr.starts_with("error: 429 Too Many Requests"), "{}", result.stderr);
    assert_eq!(sent(&server).await.len(), 1);

    let (_slow, base_url) = serving(ticket().set_delay(std::time::Duration::from_secs(3))).await;
    let started = std::time::Instant::now();
    let result =
        run_local(&base_url, &["--timeout", "1", "guardian", "enrollments", "create-ticket", "--user-id", "u"]).await;
    assert_eq!(result.code, 1);
    assert!(result.stderr.contains("the request failed before an answer arrived"), "{}", result.stderr);
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
}

#[tokio::test]
async fn help_lists_commands_flags_enum_values_and_environment() {
    let top = run(&["--help"]).await;
    assert_eq!(top.code, 0);
    for words in [
        "guardian",
        "The `guardian` operations",
        "--tenant-domain",
        "--base-url",
        "--token",
        "--custom-domain",
        "--max-retries",
        "--timeout",
        "--allow-http",
        "AUTH0_TOKEN",
        "AUTH0_CLIENT_ID",
    ] {
        assert!(top.stdout.contains(words), "{words} missing from:\n{}", top.stdout);
    }
    // The subcommands follow the client's groups: `client.guardian().enrollments().create_ticket()`.
    for (args, words) in [
        (&["guardian", "--help"][..], "enrollments"),
        (&["guardian", "enrollments", "--help"], "create-ticket"),
        (&["guardian", "enrollments", "--help"], "Create a multi-factor authentication enrollment ticket"),
    ] {
        let help = run(args).await;
        assert_eq!(help.code, 0, "{args:?}: {}", help.stderr);
        assert!(help.stdout.contains(words), "{words} missing from {args:?}:\n{}", help.stdout);
    }
    let group_alone = run(&["guardian"]).await;
    assert_eq!(group_alone.code, 2, "a group alone is not a command");
    assert!(group_alone.stderr.contains("enrollments"), "{}", group_alone.stderr);
    let command = run(&["guardian", "enrollments", "create-ticket", "--help"]).await;
    assert_eq!(command.code, 0);
    for words in [
        "--user-id",
        "--send-mail",
        "--body",
        "push-notification",
        "webauthn-roaming",
        "user_id for the enrollment ticket",
    ] {
        assert!(command.stdout.contains(words), "{words} missing from:\n{}", command.stdout);
    }
}

/// `--domain` is the tenant's domain before the subcommand, as on the seed fragment; after
/// `custom-domains create`, it is the custom domain's name (a flag of that command).
#[tokio::test]
async fn domain_before_the_subcommand_is_the_tenant_after_it_a_command_s_own_flag() {
    let create = ["custom-domains", "create", "--domain", "login.example.com", "--type", "auth0_managed_certs"];
    let args: Vec<&str> = ["--domain", "evil.com/x", "--token", "t"].iter().chain(&create).copied().collect();
    let result = run(&args).await;
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(result.stderr.contains("is not a valid `tenantDomain`"), "{}", result.stderr);

    let help = run(&["--help"]).await;
    assert!(help.stdout.contains("--domain <DOMAIN>"), "{}", help.stdout);
    let help = run(&["custom-domains", "create", "--help"]).await;
    assert_eq!(help.code, 0, "{}", help.stderr);
    for words in ["--domain <DOMAIN>", "Domain name", "--tenant-domain"] {
        assert!(help.stdout.contains(words), "{words} missing from:\n{}", help.stdout);
    }
    // The tool's own `--domain` is not the command's.
    assert!(!help.stdout.contains("given before the subcommand"), "{}", help.stdout);
}

/// Help, parsing and dispatch on a thread with a 2 MiB stack (a test thread's, and what most
/// programs give the threads they spawn), in a debug build. `cargo xtask cli-stack --spec
/// SPEC` checks the same for any spec, e.g. the full Management API.
#[test]
fn the_tool_fits_in_a_2_mib_stack() {
    let on_small_stack = |args: Vec<String>| {
        std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
                let server = runtime.block_on(serving(ticket()));
                let base_url = format!("{}/api/v2", server.0.uri());
                let args: Vec<&str> = args.iter().map(|a| if a == "BASE" { base_url.as_str() } else { a }).collect();
                let result = runtime.block_on(run(&args));
                let requests = runtime.block_on(sent(&server.0)).len();
                (result.code, result.stdout, requests)
            })
            .expect("a thread")
            .join()
            .expect("no stack overflow")
    };
    let words = |text: &str| text.split(' ').map(str::to_owned).collect::<Vec<_>>();
    for help in ["--help", "guardian --help", "guardian enrollments create-ticket --help"] {
        let (code, stdout, _) = on_small_stack(words(help));
        assert_eq!(code, 0, "{help}");
        assert!(stdout.contains("Usage:"), "{help}: {stdout}");
    }
    let command = "--base-url BASE --allow-http --token t guardian enrollments create-ticket --user-id auth0|1";
    let (code, stdout, requests) = on_small_stack(words(command));
    assert_eq!((code, requests), (0, 1), "{stdout}");
}

/// Two pages of organizations, `o1 o2` then `o3` (checkpoint paging: `from` the answer's `next`).
async fn organizations_in_two_pages(second: ResponseTemplate) -> (MockServer, String) {
    let server = MockServer::start().await;
    let list = || Mock::given(method("GET")).and(path("/api/v2/organizations"));
    let first = json!({"organizations": [{"id": "o1"}, {"id": "o2"}], "next": "c1"});
    list().and(wiremock::matchers::query_param("from", "c1")).respond_with(second).mount(&server).await;
    list().respond_with(ResponseTemplate::new(200).set_body_json(first)).with_priority(10).mount(&server).await;
    let base_url = format!("{}/api/v2", server.uri());
    (server, base_url)
}

fn last_page() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"organizations": [{"id": "o3"}]}))
}

#[tokio::test]
async fn all_prints_every_item_of_every_page_as_one_array() {
    let (server, base_url) = organizations_in_two_pages(last_page()).await;
    let result = run_local(&base_url, &["organizations", "list", "--all", "--take", "2"]).await;
    assert_eq!((result.code, result.stderr.as_str()), (0, ""));
    let printed: Value = serde_json::from_str(&result.stdout).expect("one JSON document");
    assert_eq!(printed, json!([{"id": "o1"}, {"id": "o2"}, {"id": "o3"}]));
    let queries: Vec<String> = sent(&server).await.iter().map(|r| r.url.query().unwrap_or("").to_owned()).collect();
    assert_eq!(queries, ["take=2", "take=2&from=c1"]);
}

#[tokio::test]
async fn jsonl_prints_an_item_a_line_and_an_error_after_the_lines_before_it() {
    let (_server, base_url) = organizations_in_two_pages(last_page()).await;
    let result = run_local(&base_url, &["organizations", "list", "--all", "--jsonl"]).await;
    assert_eq!((result.code, result.stdout.as_str()), (0, "{\"id\":\"o1\"}\n{\"id\":\"o2\"}\n{\"id\":\"o3\"}\n"));

    let failing = ResponseTemplate::new(503)
        .set_body_json(json!({"statusCode": 503, "error": "Unavailable", "message": "try later"}));
    let (_server, base_url) = organizations_in_two_pages(failing).await;
    let result = run_local(&base_url, &["--max-retries", "0", "organizations", "list", "--all", "--jsonl"]).await;
    assert_eq!(result.code, 1);
    assert_eq!(result.stdout, "{\"id\":\"o1\"}\n{\"id\":\"o2\"}\n");
    assert!(result.stderr.contains("503") && result.stderr.contains("try later"), "{}", result.stderr);
}

#[tokio::test]
async fn jsonl_without_all_is_a_usage_error() {
    let (server, base_url) = organizations_in_two_pages(last_page()).await;
    let result = run_local(&base_url, &["organizations", "list", "--jsonl"]).await;
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(sent(&server).await.is_empty());
}
