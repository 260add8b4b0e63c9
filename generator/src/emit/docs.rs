//! Documentation comments from the spec's text.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

use crate::model::Doc;

/// `#[doc]` attributes for `text`, one per line (printed as `///` comments).
pub(super) fn doc_attrs(text: &str) -> TokenStream {
    doc_attributes(text, false)
}

/// `#![doc]` attributes (module and crate docs, printed as `//!` comments).
pub(super) fn inner_doc_attrs(text: &str) -> TokenStream {
    doc_attributes(text, true)
}

/// `#[doc = " line"]` (or `#![doc = ...]`) for each line of `text`. Built token by token
/// rather than with `quote!`: a big spec has tens of thousands of doc lines.
fn doc_attributes(text: &str, inner: bool) -> TokenStream {
    let mut out = Vec::new();
    let mut line_text = String::new();
    // A lone carriage return ends a line too (VTEX's descriptions have them); rustc refuses
    // one in a doc comment.
    for line in code_blocks_as_text(text.trim()).lines().flat_map(|line| line.split('\r')) {
        let line = line.trim_end();
        line_text.clear();
        if !line.is_empty() {
            line_text.push(' ');
            line_text.push_str(line);
            if line.contains('\t') {
                line_text = line_text.replace('\t', "    ");
            }
            if line.contains(is_bidi_control) {
                // They reorder how the line shows (rustc denies them in comments).
                line_text.retain(|c| !is_bidi_control(c));
            }
        }
        out.push(TokenTree::Punct(Punct::new('#', Spacing::Alone)));
        if inner {
            out.push(TokenTree::Punct(Punct::new('!', Spacing::Alone)));
        }
        let attribute = [
            TokenTree::Ident(Ident::new("doc", Span::call_site())),
            TokenTree::Punct(Punct::new('=', Spacing::Alone)),
            TokenTree::Literal(string_literal(&line_text)),
        ];
        out.push(TokenTree::Group(Group::new(Delimiter::Bracket, attribute.into_iter().collect())));
    }
    out.into_iter().collect()
}

/// A Unicode control of text direction (U+202A to U+202E, U+2066 to U+2069).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` as a string literal. `Literal::string` escapes it a character at a time; text
/// that needs no escapes (printable ASCII without `"` and `\`, most doc lines) is put in
/// quotes and read as a literal, which is the same literal (the same characters) made
/// several times faster.
fn string_literal(text: &str) -> Literal {
    let plain = text.bytes().all(|b| matches!(b, b' '..=b'~') && b != b'"' && b != b'\\');
    let quoted = plain.then(|| format!("\"{text}\"").parse::<Literal>().ok()).flatten();
    quoted.unwrap_or_else(|| Literal::string(text))
}

/// `text` (Markdown) with its code blocks marked as text: rustdoc compiles a code block
/// without a language as a Rust doctest, and a spec's indented note or JSON sample is not
/// Rust. A fence without a language gets `text`; an indented block (four spaces after a
/// blank line) becomes a `text` fence. Fences that name a language are left as they are.
fn code_blocks_as_text(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut fenced = false;
    let mut indented = false;
    let mut previous_blank = true;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let blank = trimmed.is_empty();
        let indent = line.len() - trimmed.len();
        if indented && !blank && indent < 4 && !line.starts_with('\t') {
            close_indented_block(&mut out);
            indented = false;
        }
        if indented {
            out.push(line.get(4..).unwrap_or("").to_owned());
        } else if !fenced && previous_blank && !blank && (indent >= 4 || line.starts_with('\t')) {
            out.push("```text".to_owned());
            out.push(trimmed.to_owned());
            indented = true;
        } else if indent < 4 && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            let opens = !fenced;
            fenced = !fenced;
            let info = trimmed.trim_start_matches(['`', '~']).trim();
            out.push(if opens && info.is_empty() { format!("{}text", line.trim_end()) } else { line.to_owned() });
        } else {
            out.push(line.to_owned());
        }
        previous_blank = blank;
    }
    if indented {
        close_indented_block(&mut out);
    }
    out.join("\n")
}

/// Ends an indented block made a fence, before the blank lines that followed it.
fn close_indented_block(out: &mut Vec<String>) {
    let blanks = out.iter().rev().take_while(|line| line.trim().is_empty()).count();
    out.insert(out.len() - blanks, "```".to_owned());
}

/// The text of a field's or parameter's documentation: the spec's description, then its
/// format, default and deprecation, which the Rust type does not show.
pub(super) fn field_doc(doc: &Doc, fallback: &str) -> String {
    let mut text = doc.description.clone().filter(|d| !d.trim().is_empty()).unwrap_or_else(|| fallback.to_owned());
    let mut facts = Vec::new();
    if let Some(format) = &doc.format {
        facts.push(format!("Format: `{format}`."));
    }
    if let Some(default) = &doc.default {
        facts.push(format!("Default: `{default}`."));
    }
    if doc.deprecated {
        facts.push("Deprecated.".to_owned());
    }
    if doc.read_only {
        facts.push("Read-only: the server sets it; requests leave it out.".to_owned());
    }
    if doc.write_only {
        facts.push("Write-only: sent in requests, never in answers.".to_owned());
    }
    if !facts.is_empty() {
        text.push_str("\n\n");
        text.push_str(&facts.join(" "));
    }
    text
}

#[cfg(test)]
mod tests {
    use proc_macro2::Literal;

    use super::{code_blocks_as_text, string_literal};

    #[test]
    fn a_plain_line_makes_the_literal_an_escaping_one_does() {
        for text in
            ["", " Plain text.", " `code`, 'quotes' & {braces}", " \"quoted\"", " a\\b", " größe", " tab\t", "\u{7f}"]
        {
            assert_eq!(string_literal(text).to_string(), Literal::string(text).to_string(), "{text:?}");
        }
    }

    /// Each case: the spec's text, then the text of the doc comment.
    #[test]
    fn code_blocks_become_text_blocks() {
        let cases = [
            ("Plain text.\n    continued", "Plain text.\n    continued"),
            (
                "Retrieve keys.\n\n    Note: values cannot be read.\n\nMore.",
                "Retrieve keys.\n\n```text\nNote: values cannot be read.\n```\n\nMore.",
            ),
            ("A:\n\n    {\n      \"a\": 1\n    }", "A:\n\n```text\n{\n  \"a\": 1\n}\n```"),
            ("```\nGET /users\n```", "```text\nGET /users\n```"),
            ("```json\n{}\n```", "```json\n{}\n```"),
            ("```\n    indented in a fence\n```", "```text\n    indented in a fence\n```"),
            ("1. Call:\n   ```\n   GET /authorize\n   ```", "1. Call:\n   ```text\n   GET /authorize\n   ```"),
        ];
        for (spec, doc) in cases {
            assert_eq!(code_blocks_as_text(spec), doc, "{spec:?}");
        }
    }
}
