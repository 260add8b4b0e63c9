//! Contract tests: the generated client against Prism, an independent OpenAPI
//! implementation that validates every request against the spec and can answer with random
//! data that fits the response schemas. Our own tests check the client against our reading
//! of the spec; Prism is a second reading.
//!
//! - [`plan`] turns a spec into cases (command lines of the generated tool), [`sample`]
//!   makes their values from the spec's schemas;
//! - `tests/contract/runner.rs` is copied into the generated crate ([`add_runner`]) and runs
//!   the cases in-process against two Prism servers: one validating with static answers, one
//!   with dynamic answers;
//! - [`install_prism`] installs the pinned Prism with `npm ci` from
//!   `tests/contract/package-lock.json` into `target/tools/prism`; [`Prism`] runs one server
//!   on 127.0.0.1 and stops it when dropped, whatever happened meanwhile.

pub mod plan;
pub mod sample;

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::codegen::Job;

/// The runner, copied into each generated crate as `tests/contract.rs`.
const RUNNER: &str = include_str!("../../../tests/contract/runner.rs");

/// How long Prism may take to start listening.
const STARTUP_LIMIT: Duration = Duration::from_secs(90);

/// A generated crate whose contract tests run.
#[derive(Debug, Clone)]
pub struct ContractCrate {
    /// The generation it came from: the spec, its overlays, and how messages name it.
    pub job: Job,
    /// Its package name, e.g. `generated-auth0-seed`.
    pub package: String,
    /// The feature its runner needs, e.g. `generated-auth0-seed/cli`.
    pub feature: String,
    /// Where [`start`] writes the plan the runner reads (`CONTRACT_PLAN`, else the crate's
    /// `tests/contract-plan.json`).
    pub plan: PathBuf,
    /// The name of the tool in the command lines failures show.
    pub binary: String,
    /// Which operations are exercised.
    pub operations: Operations,
    /// How many of Prism's dynamic answers each operation must decode.
    pub dynamic_answers: usize,
}

/// Which operations of a spec the contract tests exercise.
#[derive(Debug, Clone)]
pub enum Operations {
    All,
    /// A fixed sample: the first operation of every top-level group (in the spec's order),
    /// and these subcommands (e.g. `guardian enrollments create-ticket`).
    FirstOfEachGroupAnd(&'static [&'static str]),
}

/// Whether the generated crate in `crate_dir` has operations to call: a spec of webhooks or
/// components only gives a crate of types, without the tool the runner drives.
pub fn has_operations(crate_dir: &Path) -> bool {
    crate_dir.join("src/cli.rs").is_file()
}

/// Writes the runner into the crate as `tests/contract.rs`, followed by the tests of
/// `extra` (`tests/contract/<spec's name>.rs`: typed checks of one spec), if it exists.
pub fn add_runner(crate_dir: &Path, package: &str, extra: &Path) -> Result<(), String> {
    if !has_operations(crate_dir) {
        return Err(format!(
            "{package} has no operations (its spec holds webhooks or components only): no contract tests to run"
        ));
    }
    let tests = crate_dir.join("tests");
    fs::create_dir_all(&tests).map_err(|e| format!("cannot create {}: {e}", tests.display()))?;
    let mut text = format!(
        "#![cfg(feature = \"cli\")]\n\nuse {} as api;\n\n/// Where `cargo xtask contract` writes the cases.\n\
         const PLAN: &str = concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/tests/contract-plan.json\");\n\n{RUNNER}",
        package.replace('-', "_")
    );
    if extra.is_file() {
        text.push_str(&read(extra)?);
    }
    let path = tests.join("contract.rs");
    fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Installs the pinned Prism into `target/tools/prism` (once; again when the lock file
/// changes) and returns its executable.
pub fn install_prism(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("target/tools/prism");
    crate::npm::install(&root.join("tests/contract"), &dir)?;
    let executable = dir.join("node_modules/.bin/prism");
    if !executable.is_file() {
        return Err(format!("npm installed no {}", executable.display()));
    }
    Ok(executable)
}

/// One Prism server on 127.0.0.1, stopped when dropped.
pub struct Prism {
    child: Child,
    pub url: String,
    pub log: PathBuf,
    label: String,
}

impl Prism {
    /// Starts `prism mock` on `port` (from [`free_ports`]), its output going to `log`. Call
    /// [`Prism::wait_until_listening`] before sending requests.
    pub fn spawn(executable: &Path, spec: &Path, dynamic: bool, port: u16, log: PathBuf) -> Result<Prism, String> {
        let output = fs::File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let errors = output.try_clone().map_err(|e| e.to_string())?;
        let mut command = Command::new(executable);
        command.args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()]);
        if dynamic {
            command.arg("--dynamic");
        }
        let child = command
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(output)
            .stderr(errors)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", executable.display()))?;
        let label = format!("Prism ({}) for {}", if dynamic { "dynamic" } else { "validating" }, spec.display());
        Ok(Prism { child, url: format!("http://127.0.0.1:{port}"), log, label })
    }

    /// Waits until Prism says it listens; fails with its output if it stops or takes too long.
    pub fn wait_until_listening(&mut self) -> Result<(), String> {
        let started = Instant::now();
        loop {
            let output = fs::read_to_string(&self.log).unwrap_or_default();
            if output.contains("Prism is listening") {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("{} stopped ({status}) before listening:\n{output}", self.label));
            }
            if started.elapsed() > STARTUP_LIMIT {
                return Err(format!("{} did not listen within {STARTUP_LIMIT:?}:\n{output}", self.label));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// `count` ports that are free on 127.0.0.1, all different: each is held until all are
/// found, so that two servers started together never get the same one.
pub fn free_ports(count: usize) -> Result<Vec<u16>, String> {
    let held = (0..count)
        .map(|_| TcpListener::bind("127.0.0.1:0"))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("cannot find a free port on 127.0.0.1: {e}"))?;
    held.iter()
        .map(|listener| listener.local_addr().map(|address| address.port()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the two Prism servers of each crate and writes each crate's plan (with the
/// servers' URLs) where the crate's runner reads it. The servers run until the returned
/// values are dropped.
pub fn start(executable: &Path, crates: &[ContractCrate], logs: &Path) -> Result<Vec<Prism>, String> {
    fs::create_dir_all(logs).map_err(|e| format!("cannot create {}: {e}", logs.display()))?;
    let mut servers = Vec::new();
    let mut plans = Vec::new();
    let mut ports = free_ports(2 * crates.len())?.into_iter();
    let mut port = || ports.next().ok_or_else(|| "fewer free ports than servers".to_owned());
    for krate in crates {
        let (plan, served) = plan_of(krate, logs)?;
        println!(
            "{}: {} of {} operations, {} requests Prism must accept, {} refusals, {} dynamic answers each",
            krate.job.spec_label,
            plan.count(|k| matches!(k, plan::Kind::Dynamic { .. })),
            plan.operations,
            plan.count(|k| matches!(k, plan::Kind::Accepted)),
            plan.count(|k| matches!(k, plan::Kind::Refused { .. })),
            plan.dynamic_answers()
        );
        for note in &plan.notes {
            println!("  note: {note}");
        }
        let log = |kind: &str| logs.join(format!("{}-{kind}.log", krate.package));
        servers.push(Prism::spawn(executable, &served, false, port()?, log("validating"))?);
        servers.push(Prism::spawn(executable, &served, true, port()?, log("dynamic"))?);
        plans.push(plan);
    }
    for server in &mut servers {
        server.wait_until_listening()?;
    }
    for (index, (krate, plan)) in crates.iter().zip(&plans).enumerate() {
        let (validating, dynamic) = (&servers[2 * index], &servers[2 * index + 1]);
        let json = plan.to_json(&krate.binary, &validating.url, &dynamic.url, &validating.log.to_string_lossy());
        fs::write(&krate.plan, json).map_err(|e| format!("cannot write {}: {e}", krate.plan.display()))?;
    }
    Ok(servers)
}

/// The crate's plan, and the document Prism serves: the spec itself, or, when overlays
/// correct it, the corrected document written into `logs`, so that Prism, the plan and the
/// generated client all read the same description.
fn plan_of(krate: &ContractCrate, logs: &Path) -> Result<(plan::Plan, PathBuf), String> {
    let job = &krate.job;
    let (document, model) = job.with_spec(|spec| {
        let (document, _) = generator::overlaid_document(spec).map_err(|e| e.to_string())?;
        let (model, _) = generator::model(spec).map_err(|e| e.to_string())?;
        Ok::<_, String>((document, model))
    })??;
    let mut plan = plan::plan(&document, &model).with_dynamic_answers(krate.dynamic_answers);
    if let Operations::FirstOfEachGroupAnd(also) = krate.operations {
        plan.keep_only(&plan::first_of_each_group(&model, also));
    }
    if job.overlays.is_empty() {
        return Ok((plan, job.spec.clone()));
    }
    let served = logs.join(format!("{}-overlaid.json", krate.package));
    let text = serde_json::to_string(&document).map_err(|e| e.to_string())?;
    fs::write(&served, text).map_err(|e| format!("cannot write {}: {e}", served.display()))?;
    Ok((plan, served))
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}
