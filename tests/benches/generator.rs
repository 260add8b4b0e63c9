//! The generator's benchmark (`cargo bench -p integration-tests --bench generator`): whole
//! runs on synthetic specs of 10, 100 and 1,000 operations and on the largest shared spec
//! (divan), then, printed first, where the time goes at 1,000 operations and the process's
//! peak memory. `GENERATOR_BENCH_SPEC=FILE` also times one more spec (say, a large public
//! one) and prints its stages and the peak memory after it. Results and method: BENCHMARKS.md.

use std::time::Duration;

use generator::{Config, Spec, StageTimes};

fn config() -> Config {
    Config { command: "cargo bench".into(), ..Config::new("bench") }
}

fn run(text: &str) -> StageTimes {
    match generator::generate_timed(Spec::new("bench.json", text), &config()) {
        Ok((_, times)) => times,
        Err(error) => panic!("{error}"),
    }
}

/// Peak resident memory of this process so far (Linux's VmHWM).
fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 =
        status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    // Before anything else runs, so that the peak is the generator's (plus the process's baseline).
    let text = xtask::synthetic::spec(1000);
    let mut runs: Vec<StageTimes> = (0..5).map(|_| run(&text)).collect();
    runs.sort_by_key(|t| t.parse + t.resolve + t.emit + t.format);
    let median = runs[runs.len() / 2];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let total = median.parse + median.resolve + median.emit + median.format;
    // Emit and format overlap (both run on every core); `emit` is the workers' summed time in
    // emit, `format` the rest of that stage's wall time.
    println!(
        "1,000 operations, median of 5: total {:.0} ms = parse {:.0} + resolve {:.0} + emit {:.0} + format {:.0} ms",
        ms(total),
        ms(median.parse),
        ms(median.resolve),
        ms(median.emit),
        ms(median.format)
    );
    if let Some(peak) = peak_memory_mib() {
        println!("peak resident memory after 5 runs of 1,000 operations: {peak:.0} MiB");
    }
    if let Ok(path) = std::env::var("GENERATOR_BENCH_SPEC") {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut runs: Vec<StageTimes> = (0..3).map(|_| run(&text)).collect();
        runs.sort_by_key(|t| t.parse + t.resolve + t.emit + t.format);
        let t = runs[1];
        println!(
            "{path}, median of 3: total {:.0} ms = parse {:.0} + resolve {:.0} + emit {:.0} + format {:.0} ms",
            ms(t.parse + t.resolve + t.emit + t.format),
            ms(t.parse),
            ms(t.resolve),
            ms(t.emit),
            ms(t.format)
        );
        if let Some(peak) = peak_memory_mib() {
            println!("peak resident memory after it: {peak:.0} MiB");
        }
    }
    divan::main();
}

#[divan::bench(args = [10, 100, 1000], sample_count = 10, sample_size = 1)]
fn synthetic(bencher: divan::Bencher, operations: usize) {
    let text = xtask::synthetic::spec(operations);
    bencher.bench(|| run(&text));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn auth0_my_organization_api(bencher: divan::Bencher) {
    let path = integration_tests::shared_dir().join("specs-3.1/auth0-myorganization-api.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    bencher.bench(|| run(&text));
}
