// The contract tests' runner. `cargo xtask contract` (and `cargo xtask test`) copies this file
// into a generated crate as `tests/contract.rs`, after a prelude that names the crate `api` and
// the plan's path `PLAN` (`tests/tests/contract_management.rs` includes it the same way for
// `generated-client/`), writes the cases into the plan (see xtask/src/contract/plan.rs), starts
// Prism and runs it. It is the same for every spec: it calls the generated command-line tool
// (`api::cli::run`) in-process with each case's arguments, so every request is built by the
// generated code and every answer decoded by it.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::{Duration, Instant};

use serde_json::Value;

/// How many requests are in flight at once against the dynamic server.
const IN_FLIGHT: usize = 8;

struct Plan {
    binary: String,
    validating_url: String,
    dynamic_url: String,
    validating_log: String,
    cases: Vec<Case>,
}

#[derive(Clone)]
struct Case {
    operation: String,
    name: String,
    args: Vec<String>,
    token: bool,
    kind: String,
    repeat: usize,
    status: Option<String>,
}

/// How often a long run says how far it is.
const PROGRESS_EVERY: Duration = Duration::from_secs(10);

/// Progress lines on stderr (`--nocapture` shows them as they come): cases done of the total
/// and failures so far, every [`PROGRESS_EVERY`], for runs that take minutes.
struct Progress {
    what: &'static str,
    total: usize,
    done: Cell<usize>,
    failed: Cell<usize>,
    last_line: Cell<Instant>,
}

impl Progress {
    fn new(what: &'static str, total: usize) -> Self {
        Progress { what, total, done: Cell::new(0), failed: Cell::new(0), last_line: Cell::new(Instant::now()) }
    }

    fn case_done(&self, case: &Case, failed: bool) {
        self.done.set(self.done.get() + 1);
        self.failed.set(self.failed.get() + usize::from(failed));
        if self.last_line.get().elapsed() >= PROGRESS_EVERY {
            self.last_line.set(Instant::now());
            eprintln!(
                "  {}: {} of {} cases done, {} failed so far (now: {})",
                self.what,
                self.done.get(),
                self.total,
                self.failed.get(),
                case.operation
            );
        }
    }
}

/// What one call of the tool gave.
struct Outcome {
    code: u8,
    stdout: String,
    stderr: String,
}

fn plan() -> Plan {
    let path = PLAN;
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {path} ({e}): run the contract tests with `cargo xtask contract`"));
    let plan: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let text_of =
        |value: &Value, key: &str| value[key].as_str().unwrap_or_else(|| panic!("{path}: no `{key}`")).to_owned();
    let cases = plan["cases"]
        .as_array()
        .unwrap_or_else(|| panic!("{path}: no cases"))
        .iter()
        .map(|case| Case {
            operation: text_of(case, "operation"),
            name: text_of(case, "name"),
            args: case["args"].as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect(),
            token: case["token"].as_bool().unwrap_or(true),
            kind: text_of(case, "kind"),
            repeat: case["repeat"].as_u64().unwrap_or(1) as usize,
            status: case["status"].as_str().map(str::to_owned),
        })
        .collect();
    Plan {
        binary: text_of(&plan, "binary"),
        validating_url: text_of(&plan, "validating_url"),
        dynamic_url: text_of(&plan, "dynamic_url"),
        validating_log: text_of(&plan, "validating_log"),
        cases,
    }
}

/// Runs the tool once, as `<binary> --base-url URL ... <case args>`.
async fn call(binary: String, url: String, case: Case) -> Outcome {
    let token = if case.token { "contract-test-token" } else { "" };
    let mut args = vec![binary, "--base-url".into(), url, "--allow-http".into(), "--max-retries".into(), "0".into()];
    args.extend(["--token".into(), token.into()]);
    args.extend(case.args);
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    // The tool reads API keys and basic credentials only from environment variables, whose
    // names come from the spec's schemes: with credentials, every variable has a value.
    let with_token = case.token;
    let environment = move |_: &str| with_token.then(|| "contract-test-credential".to_owned());
    let code = api::cli::run(args, &environment, &mut stdout, &mut stderr).await;
    Outcome {
        code,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

fn command_line(plan: &Plan, case: &Case) -> String {
    let quoted: Vec<String> =
        case.args.iter().map(|a| if a.contains([' ', '"', '{']) { format!("'{a}'") } else { a.clone() }).collect();
    format!("{} {}", plan.binary, quoted.join(" "))
}

/// Prism's log so far (its text, lossily: it may cut a character as it writes).
fn read_log(log: &str) -> String {
    std::fs::read(log).map(|bytes| String::from_utf8_lossy(&bytes).into_owned()).unwrap_or_default()
}

/// What Prism logged since `from` (a byte offset of its log): its validation messages, verbatim.
fn prism_messages(log: &str, from: usize) -> String {
    let text = read_log(log);
    let lines: Vec<&str> = text
        .get(from..)
        .unwrap_or("")
        .lines()
        .filter(|line| line.contains('✖') || line.contains("Violation") || is_crash(line))
        .collect();
    if lines.is_empty() {
        // Prism stops on some specs (a `TypeError` of its own): say so, not "no violation".
        match text.lines().find(|line| is_crash(line)) {
            Some(crash) => format!("    (Prism crashed on an earlier request and answers no more: {})", crash.trim()),
            None => "    (Prism logged no violation)".to_owned(),
        }
    } else {
        // Prism also logs every violation of the answers it makes up; a few lines say enough.
        const SHOWN: usize = 12;
        let mut shown: Vec<String> = lines.iter().take(SHOWN).map(|line| format!("    {}", line.trim())).collect();
        if lines.len() > SHOWN {
            shown.push(format!("    ... and {} more lines in {log}", lines.len() - SHOWN));
        }
        shown.join("\n")
    }
}

/// A JavaScript exception that ended Prism (`TypeError: Cannot read properties ...`).
fn is_crash(line: &str) -> bool {
    line.split_once(": ").is_some_and(|(head, _)| head.ends_with("Error") && !head.contains(' '))
}

fn log_length(log: &str) -> usize {
    std::fs::metadata(log).map(|m| m.len() as usize).unwrap_or(0)
}

/// Prism's own failure to answer: a 500 whose problem type is Prism's `UNKNOWN` error.
fn is_prism_error(stderr: &str) -> bool {
    status_of(stderr) == Some(500) && stderr.contains("https://stoplight.io/prism/errors#UNKNOWN")
}

/// The status at the start of the tool's error line (`error: 401 Unauthorized: ...`).
fn status_of(stderr: &str) -> Option<u16> {
    stderr.trim_start().strip_prefix("error: ")?.split_whitespace().next()?.parse().ok()
}

/// For an operation the spec gives only error answers, the status Prism answers a valid
/// request with (the plan's `status` of an `accepted` or `dynamic` case).
fn error_answer(case: &Case) -> Option<u16> {
    if case.kind == "refused" {
        return None;
    }
    case.status.as_deref().and_then(|status| status.parse().ok())
}

/// Whether Prism's log, from byte `from` on, says a request passed its validation and
/// names no violation.
fn passed_validation(log: &str, from: usize) -> bool {
    let text = read_log(log);
    let text = text.get(from..).unwrap_or("");
    text.contains("The request passed the validation rules") && !text.lines().any(|line| line.contains("[VALIDATOR] ✖"))
}

/// The plan's cases of one kind; every operation has `accepted` and `dynamic` ones.
fn cases<'p>(plan: &'p Plan, kind: &str) -> Vec<&'p Case> {
    let cases: Vec<&Case> = plan.cases.iter().filter(|c| c.kind == kind).collect();
    assert!(
        !cases.is_empty() || kind == "refused",
        "the plan has no `{kind}` case: no operation of this spec can be exercised (why is printed where the plan is made)"
    );
    cases
}

/// Fails with every failure (the first 20 of them; all of them, with a count per operation,
/// in a file beside the plan), or says how many cases passed.
fn report(what: &str, total: usize, failures: &[String]) {
    const SHOWN: usize = 20;
    let mut shown = failures.iter().take(SHOWN).cloned().collect::<Vec<_>>().join("\n\n");
    if failures.len() > SHOWN {
        let file = format!("{}.{}.failures.txt", PLAN.trim_end_matches(".json"), what.replace(' ', "-"));
        let mut per_operation = std::collections::BTreeMap::<&str, usize>::new();
        for failure in failures {
            *per_operation.entry(failure.split(" (").next().unwrap_or(failure)).or_default() += 1;
        }
        let counts: Vec<String> = per_operation.iter().map(|(operation, n)| format!("{n:5}  {operation}")).collect();
        let text = format!("failures per operation:\n{}\n\n{}\n", counts.join("\n"), failures.join("\n\n"));
        let written = match std::fs::write(&file, text) {
            Ok(()) => format!("all of them in {file}"),
            Err(e) => format!("cannot write {file}: {e}"),
        };
        shown.push_str(&format!("\n\n... and {} more ({written})", failures.len() - SHOWN));
    }
    assert!(failures.is_empty(), "{} of {total} cases failed ({what}):\n\n{shown}", failures.len());
    println!("{total} cases passed ({what})");
}

/// Every request the plan builds through the generated client is valid for Prism, and its
/// (static) answer decodes. Sequential (and the tests run one at a time, `--test-threads=1`),
/// so that Prism's log can be read per request.
#[tokio::test(flavor = "current_thread")]
async fn prism_accepts_every_request() {
    let plan = plan();
    let cases = cases(&plan, "accepted");
    let progress = Progress::new("requests accepted", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let from = log_length(&plan.validating_log);
        let outcome = call(plan.binary.clone(), plan.validating_url.clone(), (*case).clone()).await;
        let passed = match error_answer(case) {
            None => outcome.code == 0,
            // The spec gives only errors: Prism answers a valid request with one (and says
            // it is valid), which the tool reports as an API error.
            Some(status) => {
                // Prism writes its log as it answers; give it a moment.
                tokio::time::sleep(Duration::from_millis(200)).await;
                outcome.code == 1
                    && status_of(&outcome.stderr) == Some(status)
                    && passed_validation(&plan.validating_log, from)
            }
        };
        progress.case_done(case, !passed);
        if !passed {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let expected = error_answer(case).map_or(String::new(), |s| format!(" (expected 1, an API error {s})"));
            failures.push(format!(
                "{} ({}): exit code {}{expected}\n  command: {}\n  client: {}\n  Prism:\n{}",
                case.operation,
                case.name,
                outcome.code,
                command_line(&plan, case),
                outcome.stderr.trim(),
                prism_messages(&plan.validating_log, from)
            ));
        }
    }
    report("requests accepted by Prism", cases.len(), &failures);
}

/// Prism's dynamic answers (random data that fits the response schemas) decode into the
/// generated types, for every operation, `repeat` times each.
#[tokio::test(flavor = "current_thread")]
async fn prism_dynamic_answers_decode() {
    let plan = plan();
    let mut queue = VecDeque::new();
    for case in cases(&plan, "dynamic") {
        for _ in 0..case.repeat {
            queue.push_back(case.clone());
        }
    }
    let total = queue.len();
    let queue = Rc::new(RefCell::new(queue));
    let failures = Rc::new(RefCell::new(Vec::new()));
    // Answers Prism failed to make up (its own 500, such as a `TypeError` of its data
    // faker), per operation: not the client's to decode.
    let prism_errors = Rc::new(RefCell::new(std::collections::BTreeMap::<String, usize>::new()));
    let progress = Rc::new(Progress::new("dynamic answers", total));
    let local = tokio::task::LocalSet::new();
    for _ in 0..IN_FLIGHT {
        let (queue, failures, progress) = (Rc::clone(&queue), Rc::clone(&failures), Rc::clone(&progress));
        let prism_errors = Rc::clone(&prism_errors);
        let (binary, url) = (plan.binary.clone(), plan.dynamic_url.clone());
        local.spawn_local(async move {
            loop {
                let Some(case) = queue.borrow_mut().pop_front() else { break };
                let outcome = call(binary.clone(), url.clone(), case.clone()).await;
                if outcome.code != 0 && is_prism_error(&outcome.stderr) {
                    *prism_errors.borrow_mut().entry(case.operation.clone()).or_default() += 1;
                    progress.case_done(&case, false);
                    continue;
                }
                let passed = match error_answer(&case) {
                    None => outcome.code == 0,
                    Some(status) => outcome.code == 1 && status_of(&outcome.stderr) == Some(status),
                };
                progress.case_done(&case, !passed);
                if !passed {
                    failures.borrow_mut().push(format!(
                        "{} ({}): exit code {}: {}",
                        case.operation,
                        case.name,
                        outcome.code,
                        outcome.stderr.trim()
                    ));
                }
            }
        });
    }
    local.await;
    let mut failures = failures.borrow().clone();
    // The same mismatch tends to repeat: each once.
    failures.sort();
    failures.dedup();
    let repeat_of = |operation: &str| {
        plan.cases.iter().find(|c| c.kind == "dynamic" && c.operation == operation).map_or(0, |c| c.repeat)
    };
    for (operation, count) in prism_errors.borrow().iter() {
        if *count >= repeat_of(operation) {
            failures
                .push(format!("{operation}: every dynamic answer was an error of Prism's own, none could be decoded"));
        } else {
            eprintln!("  note: {operation}: {count} of {} dynamic answers were errors of Prism's own (a 500 it made, not the spec's answer), not decoded", repeat_of(operation));
        }
    }
    // Counted as cases only the answers the client had to decode.
    let unanswered: usize = prism_errors.borrow().values().sum();
    report("dynamic answers decoded", total - unanswered, &failures);
}

/// Prism's refusals (401 without a token, 4xx for a body it finds invalid) reach the caller
/// as the client's API error: the tool exits with 1 (an API error; 2 would mean the client
/// refused to send) and names the status Prism answered with.
#[tokio::test(flavor = "current_thread")]
async fn prism_refusals_are_api_errors() {
    let plan = plan();
    let cases = cases(&plan, "refused");
    let progress = Progress::new("refusals", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let outcome = call(plan.binary.clone(), plan.validating_url.clone(), (*case).clone()).await;
        let status = status_of(&outcome.stderr);
        let expected = match case.status.as_deref() {
            Some("401") => status == Some(401),
            _ => status.is_some_and(|s| (400..500).contains(&s)),
        };
        progress.case_done(case, outcome.code != 1 || !expected);
        if outcome.code != 1 || !expected {
            failures.push(format!(
                "{} ({}): expected an API error with status {}, got exit code {} and\n  stdout: {}\n  stderr: {}\n  command: {}",
                case.operation,
                case.name,
                case.status.as_deref().unwrap_or("4xx"),
                outcome.code,
                outcome.stdout.trim(),
                outcome.stderr.trim(),
                command_line(&plan, case)
            ));
        }
    }
    report("refusals reported as API errors", cases.len(), &failures);
}
