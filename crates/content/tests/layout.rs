//! The content files stay diff-friendly: one language per line, and no long line except a single
//! text on its own (`key = "…"` or `key.lang = "…"`), so a change to one translation is a
//! one-line diff (docs/content-format.md, "Layout of a file").

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

/// Longest line allowed, in characters, unless the line is one string assignment.
const MAX_LINE: usize = 200;

/// `key = "string"` or `a.b.c = "string"`: bare keys, one basic string, nothing after it.
fn is_one_string_assignment(line: &str) -> bool {
    let Some((key, value)) = line.split_once(" = ") else {
        return false;
    };
    let bare = |k: &str| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    if !key.split('.').all(bare) {
        return false;
    }
    let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
        return false;
    };
    // No unescaped quote inside: the string must be the whole value.
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.next().is_none() => return false,
            '"' => return false,
            _ => {}
        }
    }
    true
}

/// The line with every basic string emptied, so only the TOML structure is left.
fn structure(line: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => {
                    in_string = false;
                    out.push('"');
                }
                _ => {}
            }
        } else {
            if c == '#' {
                break;
            }
            if c == '"' {
                in_string = true;
            }
            out.push(c);
        }
    }
    out
}

/// An inline table holding a text (`{ ja = "…", en = "…" }`) puts two languages on one line.
fn has_inline_text(line: &str) -> bool {
    let s = structure(line);
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    ["{ja=", ",ja=", "{en=", ",en="]
        .iter()
        .any(|p| s.contains(p))
}

/// What is wrong with a line, if anything.
fn problem(line: &str) -> Option<String> {
    if line.trim_start().starts_with('#') {
        let n = line.chars().count();
        return (n > MAX_LINE).then(|| format!("comment of {n} characters (wrap it)"));
    }
    if has_inline_text(line) {
        return Some(
            "inline bilingual table: write `key.ja = \"…\"` and `key.en = \"…\"` on their own lines"
                .into(),
        );
    }
    let n = line.chars().count();
    if n > MAX_LINE && !is_one_string_assignment(line) {
        return Some(format!(
            "{n} characters; only a single `key = \"…\"` text may be longer than {MAX_LINE}"
        ));
    }
    None
}

#[test]
fn content_lines_are_short_and_hold_one_language() {
    let mut problems = Vec::new();
    let mut files = 0;
    for (path, text) in kojo_content::embedded_files() {
        files += 1;
        for (n, line) in text.lines().enumerate() {
            if let Some(p) = problem(line) {
                problems.push(format!("content/{path}:{}: {p}", n + 1));
            }
        }
    }
    assert!(files >= 10, "only {files} content files embedded");
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_layout_rule_refuses_what_it_should() {
    let long_ja = "工場".repeat(80);
    let long_en = "factory ".repeat(30);
    // A long text on its own line is fine, dotted or not, with escaped quotes.
    assert_eq!(problem(&format!("title.ja = \"{long_ja}\"")), None);
    assert_eq!(
        problem(&format!("small.en = \"{long_en} \\\"x\\\"\"")),
        None
    );
    assert_eq!(problem(&format!("note = \"{long_en}\"")), None);
    // Two languages on one line, long or short.
    assert!(
        problem(&format!(
            "title = {{ ja = \"{long_ja}\", en = \"{long_en}\" }}"
        ))
        .is_some()
    );
    assert!(problem("title = { ja = \"不明\", en = \"Unknown\" }").is_some());
    assert!(
        problem("  { code = \"1\", label = { ja = \"はい\", en = \"Yes\" } },").is_some(),
        "an option of an inline array"
    );
    // A long line that is more than one string.
    assert!(problem(&format!("a = \"{long_en}\", b = \"x\"")).is_some());
    assert!(problem(&format!("a = \"{long_en}\" # and a comment")).is_some());
    assert!(problem(&format!("figures = [\"{long_en}\", \"{long_en}\"]")).is_some());
    assert!(problem(&format!("# {long_en}")).is_some());
    // Text that merely mentions `ja =` inside a string is not a table.
    assert_eq!(problem("note.en = \"write { ja = … } like this\""), None);
    assert_eq!(problem("short = 1"), None);
}
