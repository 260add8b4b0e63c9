//! The API report: for each edit of the seed fragment (one row each), which changes it reports, how it
//! classifies them, and the semver step it asks for.

use generator::api_diff::{compare, Impact, Semver};
use generator::Spec;

fn api_md(spec_text: &str) -> String {
    let output = generator::generate(Spec::new("spec.yaml", spec_text), &xtask::codegen::project().config)
        .unwrap_or_else(|e| panic!("{e}"));
    output.files.get("API.md").cloned().expect("API.md is generated")
}

fn spec() -> String {
    let path = xtask::codegen::workspace_root().join(integration_tests::SEED_SPEC);
    std::fs::read_to_string(path).expect("the seed fragment is readable")
}

/// `text` with `from` replaced by `to`; `from` must be there.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the spec no longer contains {from:?}; update this table");
    text.replacen(from, to, 1)
}

const NEW_OPERATION: &str = r#"paths:
  /guardian/factors:
    get:
      operationId: list_guardian_factors
      tags: [guardian]
      responses:
        "200":
          description: The factors.
          content:
            application/json:
              schema: {type: array, items: {type: object, properties: {name: {type: string}}}}
"#;

struct Row {
    edit: &'static str,
    apply: fn(&str) -> String,
    /// (impact, subject, words the change's text contains)
    expected: &'static [(Impact, &'static str, &'static str)],
    semver: Semver,
}

const ROWS: &[Row] = &[
    Row {
        edit: "add a factor value",
        apply: |s| edit(s, "        - webauthn-platform\n", "        - webauthn-platform\n        - sms\n"),
        expected: &[(Impact::Compatible, "enum `GuardianEnrollmentFactorEnum`", "value `sms` added")],
        semver: Semver::Minor,
    },
    Row {
        edit: "mark the operation beta (x-release-lifecycle)",
        apply: |s| {
            edit(
                s,
                "      x-operation-name: createTicket\n",
                "      x-operation-name: createTicket\n      x-release-lifecycle: beta\n",
            )
        },
        expected: &[(Impact::Compatible, "`POST /guardian/enrollments/ticket`", "release added: beta")],
        semver: Semver::Minor,
    },
    Row {
        edit: "remove a factor value",
        apply: |s| edit(s, "        - otp\n", ""),
        expected: &[(Impact::Breaking, "enum `GuardianEnrollmentFactorEnum`", "value `otp` removed")],
        semver: Semver::Major,
    },
    Row {
        edit: "make email required",
        apply: |s| edit(s, "required: [user_id]", "required: [user_id, email]"),
        expected: &[(
            Impact::Breaking,
            "struct `CreateGuardianEnrollmentTicketRequestContent`",
            "field `email` changed: `String`, optional",
        )],
        semver: Semver::Major,
    },
    Row {
        edit: "remove allow_multiple_enrollments",
        apply: |s| {
            let start = s.find("        allow_multiple_enrollments:").expect("the field");
            let end = s[start..].find("    GuardianEnrollmentFactorEnum:").expect("the next schema") + start;
            format!("{}{}", &s[..start], &s[end..])
        },
        expected: &[(
            Impact::Breaking,
            "struct `CreateGuardianEnrollmentTicketRequestContent`",
            "field `allow_multiple_enrollments` removed",
        )],
        semver: Semver::Major,
    },
    Row {
        edit: "change send_mail's type",
        apply: |s| edit(s, "        send_mail:\n          type: boolean", "        send_mail:\n          type: string"),
        expected: &[(
            Impact::Breaking,
            "struct `CreateGuardianEnrollmentTicketRequestContent`",
            "field `send_mail` changed: `bool`, optional, Rust `send_mail` → `String`",
        )],
        semver: Semver::Major,
    },
    Row {
        edit: "add an optional response field",
        apply: |s| {
            edit(
                s,
                "        ticket_url:\n",
                "        expires_at:\n          type: string\n          format: date-time\n        ticket_url:\n",
            )
        },
        expected: &[(
            Impact::Compatible,
            "struct `CreateGuardianEnrollmentTicketResponseContent`",
            "field `expires_at` added: `String`, optional",
        )],
        semver: Semver::Minor,
    },
    Row {
        edit: "add an operation",
        apply: |s| edit(s, "paths:\n", NEW_OPERATION),
        expected: &[
            (Impact::Compatible, "`GET /guardian/factors`", "added"),
            (Impact::Compatible, "struct `ListGuardianFactorsResponseItem`", "added"),
        ],
        semver: Semver::Minor,
    },
    Row {
        edit: "add an optional header",
        apply: |s| {
            edit(s, "        - $ref: \"#/components/parameters/Auth0CustomDomain\"\n", "        - $ref: \"#/components/parameters/Auth0CustomDomain\"\n        - {name: x-request-id, in: header, schema: {type: string}}\n")
        },
        expected: &[(
            Impact::Compatible,
            "`POST /guardian/enrollments/ticket`",
            "parameter `x-request-id` added: header, `String`, optional",
        )],
        semver: Semver::Minor,
    },
    Row {
        edit: "add a required query parameter",
        apply: |s| {
            edit(s, "        - $ref: \"#/components/parameters/Auth0CustomDomain\"\n", "        - $ref: \"#/components/parameters/Auth0CustomDomain\"\n        - {name: connection, in: query, required: true, schema: {type: string}}\n")
        },
        expected: &[
            (Impact::Breaking, "`POST /guardian/enrollments/ticket`", "call changed"),
            (
                Impact::Breaking,
                "`POST /guardian/enrollments/ticket`",
                "parameter `connection` added: query, `String`, required",
            ),
        ],
        semver: Semver::Major,
    },
    Row {
        edit: "reword a description",
        apply: |s| {
            edit(
                s,
                "description: Send an email to the user to start the enrollment",
                "description: Email the user a link to start the enrollment",
            )
        },
        expected: &[],
        semver: Semver::None,
    },
];

#[test]
fn every_spec_edit_is_classified() {
    let before_spec = spec();
    let before = api_md(&before_spec);
    for row in ROWS {
        let after = api_md(&(row.apply)(&before_spec));
        let report = compare(&before, &after);
        let got: Vec<(Impact, &str, &str)> =
            report.changes.iter().map(|c| (c.impact, c.subject.as_str(), c.what.as_str())).collect();
        assert_eq!(got.len(), row.expected.len(), "{}: {got:#?}", row.edit);
        for (impact, subject, words) in row.expected {
            assert!(
                got.iter().any(|(i, s, w)| i == impact && s == subject && w.contains(words)),
                "{}: expected {impact:?} {subject}: {words}, got {got:#?}",
                row.edit
            );
        }
        assert_eq!(report.semver(), row.semver, "{}", row.edit);
    }
}

#[test]
fn reports_read_in_a_terminal_and_in_a_pull_request() {
    let before_spec = spec();
    let before = api_md(&before_spec);
    let after = api_md(&edit(&before_spec, "        - otp\n", "        - sms\n"));
    let report = compare(&before, &after);
    let text = report.to_text();
    assert!(text.starts_with("API changes: 2; semver: major"), "{text}");
    assert!(text.contains("BREAKING   enum `GuardianEnrollmentFactorEnum`: value `otp` removed"), "{text}");
    let markdown = report.to_markdown();
    assert!(markdown.contains("Semver: **major (breaking changes)**"), "{markdown}");
    assert!(
        markdown.contains("| **breaking** | enum `GuardianEnrollmentFactorEnum` | value `otp` removed (was `Otp`) |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| compatible | enum `GuardianEnrollmentFactorEnum` | value `sms` added: `Sms` |"),
        "{markdown}"
    );
}
