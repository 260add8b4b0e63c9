//! The load scenario shared by the load test (`tests/load.rs`, which checks that nothing is
//! lost or duplicated) and the load benchmark (`benches/load.rs`, which measures): many
//! requests from many tasks through one client, against a local server that answers some
//! requests with 429, some with 500 and some slowly.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use auth0_management::types::CreateGuardianEnrollmentTicketRequestContent as TicketRequest;
use auth0_management::{Client, Error};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// What the server injects, and how much load the client sends.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub requests: usize,
    pub tasks: usize,
    /// Every n-th answer is a 429 (with `Retry-After: 0`); 0 for never.
    pub every_429: u64,
    /// Every n-th answer is a 500; 0 for never.
    pub every_500: u64,
    /// Every n-th answer comes after `slow`; 0 for never.
    pub every_slow: u64,
    pub slow: Duration,
}

/// How one logical request (one call of `send`) ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    Success { attempts: u32 },
    ApiError { status: u16, attempts: u32 },
    OtherError(String),
}

/// What happened: each call's ending by its user id, what the server answered to each id,
/// and how long it all took.
#[derive(Debug)]
pub struct Report {
    pub endings: Vec<(String, Ending)>,
    pub served: BTreeMap<String, Vec<u16>>,
    pub elapsed: Duration,
}

/// The server side: decides each answer from a counter and writes down what it answered.
struct FaultyServer {
    scenario: Scenario,
    counter: AtomicU64,
    served: Arc<Mutex<Vec<(String, u16)>>>,
}

fn every(n: u64, count: u64) -> bool {
    n != 0 && count % n == n - 1
}

impl Respond for FaultyServer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let count = self.counter.fetch_add(1, Ordering::Relaxed);
        let user_id = serde_json::from_slice::<serde_json::Value>(&request.body)
            .ok()
            .and_then(|body| body["user_id"].as_str().map(str::to_owned))
            .unwrap_or_default();
        let s = &self.scenario;
        let status = if every(s.every_429, count) {
            429
        } else if every(s.every_500, count) {
            500
        } else {
            200
        };
        if let Ok(mut served) = self.served.lock() {
            served.push((user_id.clone(), status));
        }
        match status {
            429 => ResponseTemplate::new(429).insert_header("retry-after", "0"),
            500 => ResponseTemplate::new(500).set_body_json(
                serde_json::json!({"statusCode": 500, "error": "Internal Server Error", "message": "injected"}),
            ),
            _ => {
                let ticket = serde_json::json!({"ticket_id": user_id, "ticket_url": "https://example.com/t"});
                let answer = ResponseTemplate::new(200).set_body_json(ticket);
                if every(s.every_slow, count) {
                    answer.set_delay(s.slow)
                } else {
                    answer
                }
            }
        }
    }
}

/// A local server with the scenario's faults, and its base URL.
pub async fn faulty_server(scenario: &Scenario) -> (MockServer, String, Arc<Mutex<Vec<(String, u16)>>>) {
    let server = MockServer::start().await;
    let served = Arc::new(Mutex::new(Vec::new()));
    let responder =
        FaultyServer { scenario: scenario.clone(), counter: AtomicU64::new(0), served: Arc::clone(&served) };
    Mock::given(path("/api/v2/guardian/enrollments/ticket")).respond_with(responder).mount(&server).await;
    let base_url = format!("{}/api/v2", server.uri());
    (server, base_url, served)
}

/// Runs the scenario: `requests` calls spread over `tasks` tasks, all through one client.
pub async fn run(scenario: &Scenario) -> Report {
    let (server, base_url, served) = faulty_server(scenario).await;
    let client = Client::builder(base_url)
        .allow_http()
        .bearer_token("load-test-token")
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .unwrap_or_else(|e| panic!("client: {e}"));
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..scenario.tasks)
        .map(|_| {
            let client = client.clone();
            let next = Arc::clone(&next);
            let requests = scenario.requests;
            tokio::spawn(async move {
                let mut endings = Vec::new();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= requests {
                        return endings;
                    }
                    let user_id = format!("auth0|{index}");
                    let result =
                        client.guardian().enrollments().create_ticket(TicketRequest::new(&user_id)).send().await;
                    let ending = match result {
                        Ok(response) => Ending::Success { attempts: response.attempts() },
                        Err(Error::Api(api)) => {
                            Ending::ApiError { status: api.status().as_u16(), attempts: api.attempts() }
                        }
                        Err(other) => Ending::OtherError(other.to_string()),
                    };
                    endings.push((user_id, ending));
                }
            })
        })
        .collect();
    let mut endings = Vec::with_capacity(scenario.requests);
    for task in tasks {
        endings.extend(task.await.unwrap_or_default());
    }
    let elapsed = started.elapsed();
    drop(server);
    let mut by_id: BTreeMap<String, Vec<u16>> = BTreeMap::new();
    for (id, status) in served.lock().map(|s| s.clone()).unwrap_or_default() {
        by_id.entry(id).or_default().push(status);
    }
    Report { endings, served: by_id, elapsed }
}
