//! The stack check of a generated command-line tool (`cargo xtask cli-stack`): its help,
//! argument parsing and dispatch must fit in a 2 MiB thread stack, whatever the size of the
//! API. `tests/cli_stack/runner.rs` is copied into the generated crate; this module chooses
//! what it runs, from the generator's model: the help of every group and operation, and one
//! command against a local server.

use std::fs;
use std::path::Path;

use generator::model::{CliCommand, FlagSource, Model, PathSegment, TypeKind, TypeRef};
use heck::ToKebabCase;
use serde_json::{json, Value};

/// The runner, copied into the generated crate as `tests/cli_stack.rs`.
const RUNNER: &str = include_str!("../../tests/cli_stack/runner.rs");

/// Writes the runner into the crate as `tests/cli_stack.rs` and its case as
/// `tests/cli-stack.json`.
pub fn add_check(crate_dir: &Path, package: &str, model: &Model) -> Result<(), String> {
    let case = case(model).ok_or_else(|| format!("{package}: no command the check can run"))?;
    let tests = crate_dir.join("tests");
    fs::create_dir_all(&tests).map_err(|e| format!("cannot create {}: {e}", tests.display()))?;
    let attribute = "#![cfg(feature = \"cli\")]\n";
    let import = format!("{attribute}\nuse {} as api;\n", package.replace('-', "_"));
    let files = [
        ("cli_stack.rs", RUNNER.replacen(attribute, &import, 1)),
        ("cli-stack.json", serde_json::to_string_pretty(&case).map_err(|e| e.to_string())?),
    ];
    for (name, text) in files {
        let path = tests.join(name);
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// What the runner runs: `helps` (the words of every group and operation), `command` (the
/// words and flags of the most nested command whose required flags it can fill) and the
/// `request` line that command sends. `None` when no command can be run.
pub fn case(model: &Model) -> Option<Value> {
    let mut helps: Vec<Vec<&str>> = Vec::new();
    for command in &model.cli.commands {
        let words = model.cli_words(command);
        for depth in 1..=words.len() {
            if !helps.iter().any(|h| h[..] == words[..depth]) {
                helps.push(words[..depth].to_vec());
            }
        }
    }
    let (command, args, path) = model
        .cli
        .commands
        .iter()
        .filter_map(|command| Some((command, filled(model, command)?)))
        .max_by_key(|(command, _)| model.cli_words(command).len())
        .map(|(command, (args, path))| (command, args, path))?;
    let op = &model.groups[command.group].operations[command.operation];
    let mut words: Vec<String> = model.cli_words(command).into_iter().map(str::to_owned).collect();
    words.extend(args);
    Some(json!({
        "helps": helps,
        "command": words,
        "request": format!("{} {path}", op.http_method.as_str()),
    }))
}

/// The flags a command requires, filled with a value each, and the path it then requests;
/// `None` if a required flag takes JSON (no value fits every schema).
fn filled(model: &Model, command: &CliCommand) -> Option<(Vec<String>, String)> {
    let op = &model.groups[command.group].operations[command.operation];
    let mut args = Vec::new();
    let mut values = vec![None; op.params.len()];
    for flag in command.flags.iter().filter(|f| f.required) {
        if flag.json {
            return None;
        }
        let value = sample(model, &flag.ty)?;
        if let FlagSource::Param(index) = flag.source {
            values[index] = Some(value.clone());
        }
        args.push(format!("--{}", flag.field.trim_start_matches("r#").to_kebab_case()));
        args.push(value);
    }
    let mut path = String::new();
    for segment in &op.segments {
        path.push('/');
        push_segment(&mut path, segment, &values)?;
    }
    Some((args, if path.is_empty() { "/".to_owned() } else { path }))
}

fn push_segment(path: &mut String, segment: &PathSegment, values: &[Option<String>]) -> Option<()> {
    match segment {
        PathSegment::Literal(text) => path.push_str(text),
        PathSegment::Param(index) => path.push_str(values.get(*index)?.as_deref()?),
        PathSegment::Mixed(parts) => {
            for part in parts {
                push_segment(path, part, values)?;
            }
        }
    }
    Some(())
}

/// A value a flag of type `ty` takes, sent unchanged in a path: `x`, `1`, `true` or the
/// first value of an enum. `None` for a list (a path takes it joined, a query repeated).
fn sample(model: &Model, ty: &TypeRef) -> Option<String> {
    match ty {
        TypeRef::String => Some("x".to_owned()),
        TypeRef::Integer(_) | TypeRef::Float(_) => Some("1".to_owned()),
        TypeRef::Bool => Some("true".to_owned()),
        TypeRef::Named(id) => match &model.type_def(*id).kind {
            TypeKind::Enum { variants, .. } => variants.first().map(|v| v.wire_name.clone()),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_the_most_nested_command_it_can_fill() {
        let text = include_str!("../../tests/fixtures/sdk_names.yaml");
        let (model, _) = generator::model(generator::Spec::new("sdk_names.yaml", text)).expect("a model");
        let case = case(&model).expect("a case");
        assert_eq!(case["command"], json!(["guardian", "factors", "push-notification", "get"]));
        assert_eq!(case["request"], "GET /guardian/factors/push-notification");
        let helps = case["helps"].as_array().expect("a list");
        assert!(helps.contains(&json!(["guardian", "enrollments", "create-ticket"])), "{helps:?}");
        assert!(helps.contains(&json!(["guardian"])), "{helps:?}");
    }
}
