//! 10,000 requests from 64 tasks through one client, against a server that injects 429s,
//! 500s and slow answers: every request ends in a success or a typed error, none is lost or
//! duplicated, and retries stay within bounds. (Throughput is measured by `benches/load.rs`,
//! not here.)

use std::time::Duration;

use integration_tests::load::{run, Ending, Scenario};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_requests_none_lost_or_duplicated() {
    let scenario = Scenario {
        requests: 10_000,
        tasks: 64,
        every_429: 7,
        every_500: 31,
        every_slow: 97,
        slow: Duration::from_millis(20),
    };
    let report = run(&scenario).await;

    // Every call ended, exactly once.
    assert_eq!(report.endings.len(), scenario.requests);
    let mut ids: Vec<&str> = report.endings.iter().map(|(id, _)| id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), scenario.requests, "a call ended twice or another never ended");

    let (mut successes, mut failed_500, mut limited) = (0, 0, 0);
    for (id, ending) in &report.endings {
        let served = report.served.get(id).map(Vec::as_slice).unwrap_or_default();
        assert!(!served.is_empty() && served.len() <= 3, "{id}: {served:?}: at most 1 + 2 retries");
        match ending {
            Ending::Success { attempts } => {
                successes += 1;
                assert_eq!(served.iter().filter(|s| **s == 200).count(), 1, "{id}: {served:?}");
                assert_eq!(*served.last().unwrap_or(&0), 200, "{id}: {served:?}");
                assert_eq!(*attempts as usize, served.len(), "{id}");
            }
            Ending::ApiError { status: 500, attempts } => {
                failed_500 += 1;
                // A POST that reached the server is not repeated after a 500.
                assert_eq!(served.last(), Some(&500), "{id}: {served:?}");
                assert!(!served.contains(&200), "{id}: {served:?}");
                assert_eq!(*attempts as usize, served.len(), "{id}");
            }
            Ending::ApiError { status: 429, attempts } => {
                limited += 1;
                assert_eq!((*attempts, served), (3, &[429, 429, 429][..]), "{id}");
            }
            other => panic!("{id}: unexpected ending {other:?}"),
        }
    }
    // The server saw nothing but these calls.
    assert_eq!(report.served.len(), scenario.requests);
    assert_eq!(successes + failed_500 + limited, scenario.requests);
    assert!(successes > 9_000 && failed_500 > 100, "{successes} successes, {failed_500} 500s, {limited} 429s");
}
