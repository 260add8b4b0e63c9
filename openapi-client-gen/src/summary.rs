//! What a person reads after a run: the crate in a few numbers, and the warnings grouped by
//! kind, each kind with its count and where it first occurs. A large spec can have
//! thousands of warnings of a dozen kinds; the whole list is for `--verbose`.

use std::fmt::Write as _;
use std::time::Duration;

use generator::{Counts, Warning};

/// Warnings of one kind (see [`Warning::kind`]): how many, and the first one's pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningKind {
    pub kind: String,
    pub count: usize,
    pub first_pointer: String,
}

/// `warnings` grouped by kind, the most frequent first (then in the order they came).
pub fn warnings_by_kind(warnings: &[Warning]) -> Vec<WarningKind> {
    let mut kinds: Vec<WarningKind> = Vec::new();
    for warning in warnings {
        let kind = warning.kind();
        match kinds.iter_mut().find(|k| k.kind == kind) {
            Some(known) => known.count += 1,
            None => kinds.push(WarningKind { kind, count: 1, first_pointer: warning.pointer.clone() }),
        }
    }
    // A stable sort keeps the first-seen order among kinds of one count.
    kinds.sort_by_key(|k| std::cmp::Reverse(k.count));
    kinds
}

/// The warnings as a person reads them: grouped by kind, or with `verbose` one a line.
/// `spec_label` names the spec before a pointer into it (`#/...`); a warning about another
/// file (an overlay, a file a `$ref` brought in) names that file in its pointer already
/// (`models/pet.yaml#/...`), and is shown the same way: `file: #/...`.
pub fn warnings_text(warnings: &[Warning], spec_label: &str, verbose: bool) -> String {
    let mut text = String::new();
    if warnings.is_empty() {
        return text;
    }
    let located = |pointer: &str| match pointer.split_once('#') {
        Some(("", _)) | None => format!("{spec_label}: {pointer}"),
        Some((file, fragment)) => format!("{file}: #{fragment}"),
    };
    if verbose {
        for warning in warnings {
            let _ = writeln!(text, "warning: {}: {}", located(&warning.pointer), warning.message);
        }
        return text;
    }
    let kinds = warnings_by_kind(warnings);
    let _ = writeln!(
        text,
        "{} of {} (`--verbose` lists each):",
        plural(warnings.len(), "warning"),
        plural(kinds.len(), "kind")
    );
    for kind in &kinds {
        let _ = writeln!(text, "  {:>5} × {}", kind.count, shortened(&kind.kind, 110));
        let _ = writeln!(text, "          first at {}", located(&kind.first_pointer));
    }
    text
}

/// The summary of a crate generated into an empty folder.
pub fn new_crate_text(
    crate_name: &str,
    version: &str,
    out: &str,
    counts: Counts,
    files: usize,
    took: Duration,
) -> String {
    let mut text = format!(
        "Generated {crate_name} {version} into {out} in {:.1} s: {}, {}, {}; {} written.\n",
        took.as_secs_f64(),
        plural(counts.operations, "operation"),
        plural(counts.groups, "group"),
        plural(counts.types, "type"),
        plural(files, "file"),
    );
    let _ = writeln!(text, "Use it: add `{crate_name} = {{ path = \"{out}\" }}` to [dependencies] in your Cargo.toml.");
    text
}

/// `1 file`, `2 files`, with thousands separated: `1,083 operations`.
fn plural(count: usize, noun: &str) -> String {
    let digits = count.to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if count == 1 {
        format!("{grouped} {noun}")
    } else {
        format!("{grouped} {noun}s")
    }
}

/// `text` cut to `max` characters, with `…` where it was cut.
fn shortened(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(pointer: &str, message: &str) -> Warning {
        Warning { pointer: pointer.to_owned(), message: message.to_owned() }
    }

    #[test]
    fn warnings_of_one_kind_are_counted_together_under_their_first_pointer() {
        let warnings = [
            warning("#/a", "format `uuid-v9` is not known"),
            warning("#/b", "an example does not fit"),
            warning("#/c", "format `ipv5` is not known"),
            warning("overlay.yaml#/actions/0", "target matches nothing"),
            warning("models/pet.yaml#/properties/id/maximum", "bound ignored"),
        ];
        let kinds = warnings_by_kind(&warnings);
        let shown: Vec<(&str, usize, &str)> =
            kinds.iter().map(|k| (k.kind.as_str(), k.count, k.first_pointer.as_str())).collect();
        assert_eq!(
            shown,
            [
                ("format `…` is not known", 2, "#/a"),
                ("an example does not fit", 1, "#/b"),
                ("target matches nothing", 1, "overlay.yaml#/actions/0"),
                ("bound ignored", 1, "models/pet.yaml#/properties/id/maximum"),
            ]
        );
        let text = warnings_text(&warnings, "api.yaml", false);
        assert!(text.starts_with("5 warnings of 4 kinds"), "{text}");
        assert!(text.contains("first at api.yaml: #/a\n"), "{text}");
        assert!(text.contains("first at overlay.yaml: #/actions/0\n"), "{text}");
        let verbose = warnings_text(&warnings, "api.yaml", true);
        assert_eq!(verbose.lines().count(), 5);
        assert!(verbose.contains("warning: api.yaml: #/c: format `ipv5` is not known\n"), "{verbose}");
        assert!(verbose.contains("warning: models/pet.yaml: #/properties/id/maximum: bound ignored\n"), "{verbose}");
        assert_eq!(warnings_text(&[], "api.yaml", false), "");
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(plural(1, "file"), "1 file");
        assert_eq!(plural(0, "file"), "0 files");
        assert_eq!(plural(1083, "operation"), "1,083 operations");
        assert_eq!(plural(1_234_567, "type"), "1,234,567 types");
        assert_eq!(shortened("abcdef", 4), "abc…");
    }
}
