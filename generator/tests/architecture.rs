//! The pipeline's boundaries, checked on the source: only `parse` and `resolve` know
//! `openapiv3`, and no stage reaches into a later one (or, past the model, an earlier one).
//!
//! These are rules a reviewer would otherwise have to remember; a change that breaks one
//! fails here with the file and the line.

use std::path::{Path, PathBuf};

/// Stages and the modules of the crate each may not name: a stage depends only on the
/// stages before it, and those after `resolve` see the model alone.
const FORBIDDEN: &[(&str, &[&str])] = &[
    ("parse", &["resolve", "model", "emit", "format", "api_summary", "api_diff"]),
    ("resolve", &["emit", "format", "api_summary", "api_diff"]),
    ("emit", &["parse", "resolve", "format"]),
    ("api_summary", &["parse", "resolve", "emit", "format"]),
    ("format", &["parse", "resolve", "model", "emit"]),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, with its path relative to `src/`.
fn rust_files(dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("a readable folder").flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(src()).expect("under src/").to_string_lossy().replace('\\', "/");
            out.push((relative, std::fs::read_to_string(&path).expect("a readable file")));
        }
    }
}

fn all_files() -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    assert!(files.len() > 20, "expected the generator's sources under {}", src().display());
    files
}

/// The stage a file belongs to: `emit/types.rs` and `emit.rs` are in `emit`.
fn stage(path: &str) -> &str {
    path.split('/').next().unwrap_or(path).trim_end_matches(".rs")
}

/// Lines of code, without comments (doc comments may name anything), numbered from 1.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, line)| (i + 1, line)).filter(|(_, line)| !line.trim_start().starts_with("//"))
}

/// The crate's modules the code names, each with its line: `crate::emit::X` names `emit`,
/// and `use crate::{emit, model::Y}` (on one line or several) names `emit` and `model`.
fn crate_modules(text: &str) -> Vec<(usize, String)> {
    // Unit tests may use any module to make their inputs.
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    let code: String = text
        .lines()
        .map(|line| if line.trim_start().starts_with("//") { "" } else { line })
        .collect::<Vec<_>>()
        .join("\n");
    let first_name =
        |item: &str| -> String { item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect() };
    let mut modules = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let line = code[..at].matches('\n').count() + 1;
        let rest = &code[at + "crate::".len()..];
        let names: Vec<String> = match rest.strip_prefix('{') {
            Some(group) => {
                // The group's top-level items: a nested `{...}` belongs to the item before it.
                let (mut items, mut item, mut depth) = (Vec::new(), String::new(), 0);
                for c in group.chars() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => items.push(first_name(&std::mem::take(&mut item))),
                        _ if depth == 0 => item.push(c),
                        _ => {}
                    }
                }
                items.push(first_name(&item));
                items
            }
            None => vec![first_name(rest)],
        };
        modules.extend(names.into_iter().filter(|n| !n.is_empty()).map(|n| (line, n)));
    }
    modules
}

#[test]
fn only_parse_and_resolve_know_openapiv3() {
    let mut offenders = Vec::new();
    for (path, text) in all_files() {
        if matches!(stage(&path), "parse" | "resolve") {
            continue;
        }
        for (number, line) in code_lines(&text) {
            if line.contains("openapiv3") {
                offenders.push(format!("{path}:{number}: {}", line.trim()));
            }
        }
    }
    assert!(offenders.is_empty(), "openapiv3 outside parse/ and resolve/:\n{}", offenders.join("\n"));
}

#[test]
fn no_stage_names_a_module_it_must_not_depend_on() {
    let mut offenders = Vec::new();
    let mut checked = 0;
    for (path, text) in all_files() {
        let Some((_, forbidden)) = FORBIDDEN.iter().find(|(stage_name, _)| *stage_name == stage(&path)) else {
            continue;
        };
        checked += 1;
        for (number, module) in crate_modules(&text) {
            if forbidden.contains(&module.as_str()) {
                offenders.push(format!("{path}:{number}: names `crate::{module}`"));
            }
        }
    }
    assert!(checked > 15, "expected files of every stage, checked {checked}");
    assert!(offenders.is_empty(), "a stage depends on one it must not:\n{}", offenders.join("\n"));
}

/// The check itself finds what it looks for.
#[test]
fn module_names_are_read_from_paths_and_groups() {
    let names =
        |text: &str| crate_modules(text).into_iter().map(|(line, name)| format!("{line}:{name}")).collect::<Vec<_>>();
    assert_eq!(names("use crate::emit::Content;"), ["1:emit"]);
    assert_eq!(names("use crate::{emit, model::Model};"), ["1:emit", "1:model"]);
    assert_eq!(
        names("use std::fmt;\nuse crate::{\n    emit,\n    model::{Model, TypeRef},\n};"),
        ["2:emit", "2:model"]
    );
    assert_eq!(names("// crate::resolve in a comment\nlet x = crate::resolve::resolve(a);"), ["2:resolve"]);
    assert!(names("let x = 1;").is_empty());
}
