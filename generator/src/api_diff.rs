//! What changed between two versions of a crate's `API.md`, and whether it breaks users.
//!
//! Reads the facts `api_summary` writes (one per `- ` line, under a `###` heading) and
//! classifies every difference:
//!
//! | change | users |
//! |---|---|
//! | operation or type added | compatible |
//! | operation or type removed | breaking |
//! | optional field or parameter added | compatible (structs are `#[non_exhaustive]`; optional parameters are builder methods) |
//! | required field or parameter added | breaking (`new` or the operation's method takes one more argument) |
//! | enum value added | compatible (enums are `#[non_exhaustive]` and keep unknown values) |
//! | union variant added | compatible (unions are `#[non_exhaustive]`) |
//! | a type's extra derive added (`--derive`: `- derive \`Eq\``) | compatible |
//! | an operation's pages added (`pages()`, `into_stream()`) | compatible |
//! | a credential method added to `ClientBuilder` (an API-key or basic scheme) | compatible |
//! | anything removed, or changed (a type, required ↔ optional, a signature) | breaking |

use std::collections::BTreeMap;
use std::fmt::{self, Write};

/// How a change affects the crate's users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    Compatible,
    Breaking,
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The operation or type, as `API.md` heads it, e.g. ``struct `Ticket` ``.
    pub subject: String,
    /// What changed, e.g. ``field `email` added: `String`, optional``.
    pub what: String,
    pub impact: Impact,
}

/// The semver step a set of changes calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Semver {
    /// Nothing in the public API changed.
    None,
    /// Only additions that break no one.
    Minor,
    /// Something breaks users.
    Major,
}

impl fmt::Display for Semver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Semver::None => "none (the public API is unchanged)",
            Semver::Minor => "minor (compatible additions)",
            Semver::Major => "major (breaking changes)",
        })
    }
}

/// All differences, breaking first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub changes: Vec<Change>,
}

type Facts = BTreeMap<String, BTreeMap<String, String>>;

/// Reads `API.md`: heading to (fact kind and name, fact value).
fn facts(text: &str) -> Facts {
    let mut facts = Facts::new();
    let mut heading = None;
    for line in text.lines() {
        if let Some(title) = line.strip_prefix("### ") {
            heading = Some(title.trim().to_owned());
            facts.entry(title.trim().to_owned()).or_default();
        } else if line.starts_with("## ") {
            heading = None;
        } else if let (Some(heading), Some(fact)) = (&heading, line.strip_prefix("- ")) {
            let (key, value) = fact.split_once(": ").unwrap_or((fact, ""));
            facts.entry(heading.clone()).or_default().insert(key.to_owned(), value.to_owned());
        }
    }
    facts
}

/// Compares the `API.md` of the previous version with the new one.
pub fn compare(old: &str, new: &str) -> Report {
    let (old, new) = (facts(old), facts(new));
    let mut changes = Vec::new();
    for (subject, old_facts) in &old {
        let Some(new_facts) = new.get(subject) else {
            changes.push(Change { subject: subject.clone(), what: "removed".into(), impact: Impact::Breaking });
            continue;
        };
        for (key, old_value) in old_facts {
            match new_facts.get(key) {
                None => changes.push(Change {
                    subject: subject.clone(),
                    what: format!("{key} removed (was {old_value})"),
                    impact: change_impact(key),
                }),
                Some(new_value) if new_value != old_value => changes.push(Change {
                    subject: subject.clone(),
                    what: format!("{key} changed: {old_value} → {new_value}"),
                    impact: change_impact(key),
                }),
                Some(_) => {}
            }
        }
        for (key, new_value) in new_facts.iter().filter(|(key, _)| !old_facts.contains_key(*key)) {
            changes.push(Change {
                subject: subject.clone(),
                what: format!("{key} added: {new_value}"),
                impact: addition(key, new_value),
            });
        }
    }
    for subject in new.keys().filter(|subject| !old.contains_key(*subject)) {
        changes.push(Change { subject: subject.clone(), what: "added".into(), impact: Impact::Compatible });
    }
    changes.sort_by(|a, b| {
        b.impact.cmp(&a.impact).then_with(|| a.subject.cmp(&b.subject)).then_with(|| a.what.cmp(&b.what))
    });
    Report { changes }
}

/// A fact of an operation or type removed or changed: breaking, except its release stage
/// (`beta`, `early access`), which only its docs say.
fn change_impact(key: &str) -> Impact {
    if key == "release" {
        Impact::Compatible
    } else {
        Impact::Breaking
    }
}

/// A new fact in an existing operation or type: compatible unless users must now supply it.
fn addition(key: &str, value: &str) -> Impact {
    let required = value.split(", ").any(|part| part == "required");
    if key == "release" || key == "pages" || key.starts_with("method ") || key.starts_with("derive ") {
        Impact::Compatible
    } else if (key.starts_with("field ") || key.starts_with("parameter ")) && required {
        Impact::Breaking
    } else if ["field ", "parameter ", "value ", "variant "].iter().any(|kind| key.starts_with(kind)) {
        Impact::Compatible
    } else {
        Impact::Breaking
    }
}

impl Report {
    pub fn semver(&self) -> Semver {
        if self.changes.iter().any(|c| c.impact == Impact::Breaking) {
            Semver::Major
        } else if self.changes.is_empty() {
            Semver::None
        } else {
            Semver::Minor
        }
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// For a terminal: one change per line.
    pub fn to_text(&self) -> String {
        let mut text = format!("API changes: {}; semver: {}\n", self.changes.len(), self.semver());
        for change in &self.changes {
            let impact = match change.impact {
                Impact::Breaking => "BREAKING  ",
                Impact::Compatible => "compatible",
            };
            let _ = writeln!(text, "  {impact} {}: {}", change.subject, change.what);
        }
        text
    }

    /// For a pull request's description.
    pub fn to_markdown(&self) -> String {
        let mut text = format!("### API changes\n\nSemver: **{}**.\n", self.semver());
        if self.changes.is_empty() {
            text.push_str("\nNo change to the public API.\n");
            return text;
        }
        text.push_str("\n| impact | item | change |\n|---|---|---|\n");
        for change in &self.changes {
            let impact = match change.impact {
                Impact::Breaking => "**breaking**",
                Impact::Compatible => "compatible",
            };
            let _ = writeln!(text, "| {impact} | {} | {} |", change.subject, change.what.replace('|', "\\|"));
        }
        text
    }
}

/// The version after `semver`'s step, as Cargo reads semver: below 1.0 a breaking change bumps
/// the minor number and a compatible one the patch number. `None` if `version` is not `x.y.z`.
pub fn bump(version: &str, semver: Semver) -> Option<String> {
    let mut parts = version.split('.').map(|p| p.parse::<u64>().ok());
    let (Some(Some(major)), Some(Some(minor)), Some(Some(patch)), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    Some(match (semver, major) {
        (Semver::None, _) => format!("{major}.{minor}.{patch}"),
        (Semver::Major, 0) => format!("0.{}.0", minor + 1),
        (Semver::Major, _) => format!("{}.0.0", major + 1),
        (Semver::Minor, 0) => format!("0.{minor}.{}", patch + 1),
        (Semver::Minor, _) => format!("{major}.{}.0", minor + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_bump_as_cargo_reads_semver() {
        assert_eq!(bump("0.1.0", Semver::Major).as_deref(), Some("0.2.0"));
        assert_eq!(bump("0.1.3", Semver::Minor).as_deref(), Some("0.1.4"));
        assert_eq!(bump("1.4.2", Semver::Major).as_deref(), Some("2.0.0"));
        assert_eq!(bump("1.4.2", Semver::Minor).as_deref(), Some("1.5.0"));
        assert_eq!(bump("1.4.2", Semver::None).as_deref(), Some("1.4.2"));
        assert_eq!(bump("1.4", Semver::Minor), None);
        assert_eq!(bump("1.4.2-beta", Semver::Minor), None);
    }

    #[test]
    fn the_same_text_has_no_changes() {
        let text = "## Types\n\n### enum `E`\n\n- value `a`: `A`\n";
        assert_eq!(compare(text, text), Report::default());
        assert_eq!(compare(text, text).semver(), Semver::None);
    }

    #[test]
    fn a_derive_gained_is_compatible_and_lost_breaking() {
        let one = "## Types\n\n### struct `S`\n\n- field `a`: `i64`, required, Rust `a`\n- derive `Eq`\n";
        let two = format!("{one}- derive `Hash`\n");
        assert_eq!(compare(one, &two).semver(), Semver::Minor);
        assert_eq!(compare(&two, one).semver(), Semver::Major);
    }

    #[test]
    fn a_credential_method_added_is_compatible_and_removed_breaking() {
        let one =
            "## Credentials\n\n### `ClientBuilder`\n\n- method `api_key`: API key of the scheme `k`, header `X-Key`\n";
        let two = format!("{one}- method `basic_auth`: username and password of the scheme `basic`\n");
        assert_eq!(compare(one, &two).semver(), Semver::Minor);
        assert_eq!(compare(&two, one).semver(), Semver::Major);
    }
}
