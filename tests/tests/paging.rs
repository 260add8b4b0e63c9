//! Lists walked page by page against a real HTTP server on 127.0.0.1 (wiremock): the exact
//! query of every page, when a walk stops, retries inside a walk, errors that end it, and
//! that pages are fetched only as the stream is polled.

use std::time::Duration;

use auth0_management::types::ErrorResponse;
use auth0_management::{Client, Error};
use futures::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client_for(server: &MockServer, retries: u32) -> Client {
    Client::builder(format!("{}/api/v2", server.uri()))
        .allow_http()
        .bearer_token("t")
        .max_retries(retries)
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .expect("client")
}

/// Users `first..first + count` as Auth0 answers them.
fn users(first: usize, count: usize) -> Vec<Value> {
    (first..first + count).map(|n| json!({"user_id": format!("auth0|{n}")})).collect()
}

/// A page of `/users` with totals: `{start, limit, length, total, users}`.
fn users_page(start: usize, count: usize, total: usize) -> ResponseTemplate {
    let body = json!({"start": start, "limit": 2, "length": count, "total": total, "users": users(start, count)});
    ResponseTemplate::new(200).set_body_json(body)
}

async fn mount_users_page(server: &MockServer, page: &str, template: ResponseTemplate) {
    let mock = Mock::given(method("GET")).and(path("/api/v2/users")).and(query_param("page", page));
    mock.respond_with(template).mount(server).await;
}

/// The path and query of every request the server received, in order.
async fn requests(server: &MockServer) -> Vec<String> {
    let received = server.received_requests().await.expect("recording is on");
    received.iter().map(|r| format!("{}?{}", r.url.path(), r.url.query().unwrap_or_default())).collect()
}

fn ids(users: &[auth0_management::types::UserResponseSchema]) -> Vec<String> {
    users.iter().map(|u| u.user_id.clone().unwrap_or_default()).collect()
}

#[tokio::test]
async fn an_offset_list_is_walked_page_by_page_to_its_total() {
    let server = MockServer::start().await;
    mount_users_page(&server, "0", users_page(0, 2, 5)).await;
    mount_users_page(&server, "1", users_page(2, 2, 5)).await;
    mount_users_page(&server, "2", users_page(4, 1, 5)).await;
    let client = client_for(&server, 0);

    let all: Vec<_> =
        client.users().list().per_page(2).q("name:*").into_stream().try_collect().await.expect("all pages");

    assert_eq!(ids(&all), ids_of(0..5));
    assert_eq!(
        requests(&server).await,
        [
            "/api/v2/users?page=0&per_page=2&include_totals=true&q=name%3A*",
            "/api/v2/users?page=1&per_page=2&include_totals=true&q=name%3A*",
            "/api/v2/users?page=2&per_page=2&include_totals=true&q=name%3A*",
        ]
    );
}

fn ids_of(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|n| format!("auth0|{n}")).collect()
}

#[tokio::test]
async fn pages_carry_the_total_and_the_caller_s_own_settings_win() {
    let server = MockServer::start().await;
    mount_users_page(&server, "3", users_page(6, 2, 8)).await;
    let client = client_for(&server, 0);

    let pages: Vec<_> = client.users().list().page(3).per_page(2).pages().try_collect().await.expect("pages");

    assert_eq!(pages.len(), 1, "page 3 of 2 items reaches the total of 8");
    assert_eq!((pages[0].total(), ids(pages[0].items())), (Some(8), ids_of(6..8)));
    assert_eq!(pages[0].status(), 200);
    assert_eq!(requests(&server).await, ["/api/v2/users?page=3&per_page=2&include_totals=true"]);
}

#[tokio::test]
async fn an_array_answer_ends_on_a_short_page() {
    let server = MockServer::start().await;
    mount_users_page(&server, "0", ResponseTemplate::new(200).set_body_json(users(0, 50))).await;
    mount_users_page(&server, "1", ResponseTemplate::new(200).set_body_json(users(50, 3))).await;
    let client = client_for(&server, 0);

    let all: Vec<_> = client.users().list().include_totals(false).into_stream().try_collect().await.expect("all");

    assert_eq!(ids(&all), ids_of(0..53));
    let sent = requests(&server).await;
    assert_eq!(
        sent,
        [
            "/api/v2/users?page=0&per_page=50&include_totals=false",
            "/api/v2/users?page=1&per_page=50&include_totals=false"
        ]
    );
}

#[tokio::test]
async fn a_checkpoint_list_follows_next_until_it_is_missing() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], next: Option<&str>| {
        let organizations: Vec<Value> = ids.iter().map(|id| json!({"id": id, "name": id})).collect();
        let mut body = json!({"organizations": organizations});
        if let Some(next) = next {
            body["next"] = json!(next);
        }
        ResponseTemplate::new(200).set_body_json(body)
    };
    let organizations = || Mock::given(method("GET")).and(path("/api/v2/organizations"));
    // The first page is the one request without `from`; later ones match their cursor.
    organizations().and(query_param("from", "c1")).respond_with(page(&["o3", "o4"], Some("c2"))).mount(&server).await;
    organizations().and(query_param("from", "c2")).respond_with(page(&["o5"], None)).mount(&server).await;
    organizations().respond_with(page(&["o1", "o2"], Some("c1"))).with_priority(10).mount(&server).await;
    let client = client_for(&server, 0);

    let all: Vec<_> = client.organizations().list().take(2).into_stream().try_collect().await.expect("all pages");

    let ids: Vec<&str> = all.iter().map(|o| o.id.as_deref().unwrap_or_default()).collect();
    assert_eq!(ids, ["o1", "o2", "o3", "o4", "o5"]);
    assert_eq!(
        requests(&server).await,
        [
            "/api/v2/organizations?take=2",
            "/api/v2/organizations?take=2&from=c1",
            "/api/v2/organizations?take=2&from=c2"
        ]
    );
}

#[tokio::test]
async fn a_page_refused_with_429_is_retried_without_losing_or_repeating_items() {
    let server = MockServer::start().await;
    mount_users_page(&server, "0", users_page(0, 2, 4)).await;
    let limited = Mock::given(method("GET")).and(path("/api/v2/users")).and(query_param("page", "1"));
    limited
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_users_page(&server, "1", users_page(2, 2, 4)).await;
    let client = client_for(&server, 2);

    let pages: Vec<_> = client.users().list().per_page(2).pages().try_collect().await.expect("all pages");

    let items: Vec<String> = pages.iter().flat_map(|p| ids(p.items())).collect();
    assert_eq!(items, ids_of(0..4));
    assert_eq!(pages.iter().map(|p| p.attempts()).collect::<Vec<_>>(), [1, 2], "the second page took a retry");
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn an_error_mid_list_ends_the_stream_after_the_items_before_it() {
    let server = MockServer::start().await;
    mount_users_page(&server, "0", users_page(0, 2, 6)).await;
    let error = json!({"statusCode": 500, "error": "Internal Server Error", "message": "boom"});
    mount_users_page(&server, "1", ResponseTemplate::new(500).set_body_json(error)).await;
    let client = client_for(&server, 0);

    let results: Vec<Result<_, Error<ErrorResponse>>> = client.users().list().per_page(2).into_stream().collect().await;

    assert_eq!(results.len(), 3, "two items, then the error, then the end: {results:?}");
    assert!(results[..2].iter().all(Result::is_ok));
    let Err(Error::Api(api)) = &results[2] else { panic!("expected the API's error, got {:?}", results[2]) };
    assert_eq!(api.status(), 500);
    assert_eq!(api.body().map(|b| b.message.as_str()), Some("boom"));
    assert_eq!(requests(&server).await.len(), 2, "nothing is sent after the error");
}

#[tokio::test]
async fn a_stream_fetches_only_what_is_read_and_nothing_after_it_is_dropped() {
    let server = MockServer::start().await;
    for page in 0..3 {
        mount_users_page(&server, &page.to_string(), users_page(page * 2, 2, 6)).await;
    }
    let client = client_for(&server, 0);

    let mut stream = client.users().list().per_page(2).into_stream();
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(requests(&server).await.is_empty(), "a stream not yet polled sends nothing");
    let first = stream.next().await.expect("an item").expect("not an error");
    assert_eq!(first.user_id.as_deref(), Some("auth0|0"));
    let second = stream.next().await.expect("an item").expect("not an error");
    assert_eq!(second.user_id.as_deref(), Some("auth0|1"));
    drop(stream);
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(requests(&server).await, ["/api/v2/users?page=0&per_page=2&include_totals=true"]);
}

#[tokio::test]
async fn a_request_that_breaks_the_spec_is_one_error_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let client = client_for(&server, 0);

    // `sort` is at most 15 characters long.
    let results: Vec<_> = client.organizations().list().sort("x".repeat(16)).into_stream().collect().await;

    assert_eq!(results.len(), 1);
    assert!(matches!(results[0], Err(Error::InvalidRequest(_))), "{:?}", results[0]);
    assert!(requests(&server).await.is_empty());
}
