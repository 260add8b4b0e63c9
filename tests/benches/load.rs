//! The load benchmark (`cargo bench -p integration-tests --bench load`): throughput of one
//! client under load with injected faults, and the latency the client adds over a plain
//! `reqwest` call to the same local server. Results and method: BENCHMARKS.md.

use std::time::{Duration, Instant};

use auth0_management::types::CreateGuardianEnrollmentTicketRequestContent as TicketRequest;
use auth0_management::Client;
use integration_tests::load::{faulty_server, run, Ending, Scenario};

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        throughput().await;
        added_latency().await;
    });
}

async fn throughput() {
    let scenario = Scenario {
        requests: 10_000,
        tasks: 64,
        every_429: 7,
        every_500: 31,
        every_slow: 97,
        slow: Duration::from_millis(20),
    };
    let report = run(&scenario).await;
    let successes = report.endings.iter().filter(|(_, e)| matches!(e, Ending::Success { .. })).count();
    let served: usize = report.served.values().map(Vec::len).sum();
    let seconds = report.elapsed.as_secs_f64();
    println!("load: {} calls from {} tasks in {seconds:.2} s", scenario.requests, scenario.tasks);
    println!(
        "load: {:.0} calls/s, {:.0} HTTP requests/s (retries included); {successes} successes, {} typed errors",
        scenario.requests as f64 / seconds,
        served as f64 / seconds,
        scenario.requests - successes
    );
}

/// One call at a time, no faults: the client's `send` against a plain `reqwest` POST of the
/// same body with the same headers.
async fn added_latency() {
    const CALLS: usize = 2_000;
    let quiet = Scenario { requests: 0, tasks: 0, every_429: 0, every_500: 0, every_slow: 0, slow: Duration::ZERO };
    let (_server, base_url, _) = faulty_server(&quiet).await;
    let client = Client::builder(&base_url).allow_http().bearer_token("token").build().expect("client");
    let plain = reqwest::Client::new();
    let url = format!("{base_url}/guardian/enrollments/ticket");
    let body = serde_json::to_vec(&serde_json::json!({"user_id": "auth0|1"})).expect("JSON");

    // Warm both connection pools.
    for _ in 0..200 {
        client.guardian().enrollments().create_ticket(TicketRequest::new("auth0|1")).send().await.expect("ok");
        plain_call(&plain, &url, &body).await;
    }
    let mut ours = Vec::with_capacity(CALLS);
    let mut theirs = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let started = Instant::now();
        client.guardian().enrollments().create_ticket(TicketRequest::new("auth0|1")).send().await.expect("ok");
        ours.push(started.elapsed());
        let started = Instant::now();
        plain_call(&plain, &url, &body).await;
        theirs.push(started.elapsed());
    }
    let (ours, theirs) = (summary(ours), summary(theirs));
    println!("latency, generated client: {ours}");
    println!("latency, plain reqwest:    {theirs}");
}

async fn plain_call(plain: &reqwest::Client, url: &str, body: &[u8]) {
    let answer = plain
        .post(url)
        .bearer_auth("token")
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(body.to_vec())
        .send()
        .await
        .expect("answer");
    let bytes = answer.bytes().await.expect("body");
    let _: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
}

fn summary(mut samples: Vec<Duration>) -> String {
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e6;
    let mean = samples.iter().map(Duration::as_secs_f64).sum::<f64>() / samples.len() as f64 * 1e6;
    format!("median {:.0} µs, p90 {:.0} µs, p99 {:.0} µs, mean {mean:.0} µs", at(0.5), at(0.9), at(0.99))
}
