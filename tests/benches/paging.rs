//! The paging benchmark (`cargo bench -p integration-tests --bench paging`): items per
//! second through a list's `into_stream()` against a local server, beside a hand-written
//! reqwest loop over the same pages that decodes the same types. The difference is what
//! the page walk costs. Results and method: BENCHMARKS.md.

use std::time::{Duration, Instant};

use auth0_management::types::ListUsersResponseContent;
use auth0_management::Client;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const PAGES: usize = 100;
const PER_PAGE: usize = 100;
const ROUNDS: usize = 7;

/// Answers `GET /users?page=N` with page N of `PAGES` pages of `PER_PAGE` users, as Auth0
/// answers with totals; the bodies are made once.
struct Pages(Vec<Vec<u8>>);

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let page = request.url.query_pairs().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse::<usize>().ok());
        match page.and_then(|page| self.0.get(page)) {
            Some(body) => ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"),
            None => ResponseTemplate::new(200).set_body_raw(b"[]".to_vec(), "application/json"),
        }
    }
}

fn pages() -> Pages {
    let total = PAGES * PER_PAGE;
    let page = |number: usize| {
        let users: Vec<_> = (0..PER_PAGE)
            .map(|i| {
                let n = number * PER_PAGE + i;
                json!({
                    "user_id": format!("auth0|{n:08}"),
                    "email": format!("user{n}@example.com"),
                    "email_verified": n % 2 == 0,
                    "name": format!("User {n}"),
                    "nickname": format!("user{n}"),
                    "created_at": "2026-01-01T00:00:00.000Z",
                    "updated_at": "2026-06-01T00:00:00.000Z",
                    "logins_count": n % 50,
                    "app_metadata": {"plan": "pro"},
                    "identities": [{"connection": "Username-Password-Authentication", "provider": "auth0", "user_id": format!("{n:08}"), "isSocial": false}],
                })
            })
            .collect();
        let body =
            json!({"start": number * PER_PAGE, "limit": PER_PAGE, "length": PER_PAGE, "total": total, "users": users});
        serde_json::to_vec(&body).expect("JSON")
    };
    Pages((0..PAGES).map(page).collect())
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::path("/api/v2/users")).respond_with(pages()).mount(&server).await;
        let base_url = format!("{}/api/v2", server.uri());
        let client = Client::builder(&base_url).allow_http().bearer_token("token").build().expect("client");
        let plain = reqwest::Client::new();

        // Warm both connection pools and the server.
        let _ = through_stream(&client).await;
        let _ = hand_written(&plain, &base_url).await;
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            ours.push(through_stream(&client).await);
            theirs.push(hand_written(&plain, &base_url).await);
        }
        let items = (PAGES * PER_PAGE) as f64;
        let rate = |times: &mut Vec<Duration>| {
            times.sort();
            items / times[times.len() / 2].as_secs_f64()
        };
        let (ours, theirs) = (rate(&mut ours), rate(&mut theirs));
        println!("paging: {PAGES} pages of {PER_PAGE} users, median of {ROUNDS} rounds");
        println!("paging: into_stream() {ours:.0} items/s; hand-written reqwest loop {theirs:.0} items/s");
        println!("paging: into_stream() is {:+.1} % against the loop", (ours / theirs - 1.0) * 100.0);
    });
}

/// Every user through the generated client's page walk.
async fn through_stream(client: &Client) -> Duration {
    let started = Instant::now();
    let users: Vec<_> = client.users().list().per_page(PER_PAGE as u64).into_stream().try_collect().await.expect("all");
    let elapsed = started.elapsed();
    assert_eq!(users.len(), PAGES * PER_PAGE);
    elapsed
}

/// The same pages by hand: the query the client sends, the same answer type, stop at the total.
async fn hand_written(http: &reqwest::Client, base_url: &str) -> Duration {
    let started = Instant::now();
    let mut users = Vec::new();
    for page in 0.. {
        let url = format!("{base_url}/users?page={page}&per_page={PER_PAGE}&include_totals=true");
        let answer =
            http.get(url).bearer_auth("token").header("accept", "application/json").send().await.expect("sent");
        let body = answer.bytes().await.expect("body");
        let page: ListUsersResponseContent = serde_json::from_slice(&body).expect("decodes");
        let (items, total) = match page {
            ListUsersResponseContent::Array(items) => (items, None),
            ListUsersResponseContent::ListUsersOffsetPaginatedResponseContent(page) => {
                (page.users.unwrap_or_default(), page.total)
            }
            _ => unreachable!("the server answers with totals"),
        };
        let short = items.len() < PER_PAGE;
        users.extend(items);
        if short || total.is_some_and(|total| users.len() as f64 >= total) {
            break;
        }
    }
    let elapsed = started.elapsed();
    assert_eq!(users.len(), PAGES * PER_PAGE);
    elapsed
}
