//! Helpers for writing SVG by hand: XML escaping, text width estimation and wrapping, and number
//! formatting (one decimal rounded half up, thousands separators, compact coordinates).
//!
//! There is no font at hand on the server, so text widths are estimated: East Asian wide and
//! fullwidth characters count 1.0 em, everything else 0.55 em. That is generous for Latin text in
//! the Noto/Hiragino/Yu Gothic families, so estimated boxes err on the side of too much room.

/// Escapes `&`, `<`, `>`, `"` and `'` for use in XML text and attribute values, and drops the
/// characters XML 1.0 does not allow at all (C0 controls other than tab, LF and CR; U+FFFE/U+FFFF),
/// so that any label yields a well-formed document.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Code point ranges drawn one em wide: East Asian Width `W` and `F`, plus the `A` (ambiguous)
/// symbols that Japanese fonts draw full width (…, ※, arrows, ①, ○●■□, ★☆).
const WIDE: &[(u32, u32)] = &[
    (0x1100, 0x115F),   // Hangul Jamo initials
    (0x2026, 0x2026),   // … (ambiguous)
    (0x203B, 0x203B),   // ※ (ambiguous)
    (0x2190, 0x21FF),   // arrows (ambiguous)
    (0x2460, 0x24FF),   // ① … enclosed alphanumerics (ambiguous)
    (0x25A0, 0x25FF),   // geometric shapes (ambiguous)
    (0x2605, 0x2606),   // ★☆ (ambiguous)
    (0x2E80, 0x303E),   // CJK radicals … CJK symbols and punctuation
    (0x3041, 0x33FF),   // hiragana, katakana … CJK compatibility
    (0x3400, 0x4DBF),   // CJK extension A
    (0x4E00, 0x9FFF),   // CJK unified ideographs
    (0xA000, 0xA4CF),   // Yi
    (0xA960, 0xA97F),   // Hangul Jamo extended-A
    (0xAC00, 0xD7A3),   // Hangul syllables
    (0xF900, 0xFAFF),   // CJK compatibility ideographs
    (0xFE10, 0xFE19),   // vertical forms
    (0xFE30, 0xFE6F),   // CJK compatibility forms, small form variants
    (0xFF01, 0xFF60),   // fullwidth forms
    (0xFFE0, 0xFFE6),   // fullwidth signs
    (0x1F300, 0x1F64F), // pictographs, emoticons
    (0x1F900, 0x1F9FF), // supplemental pictographs
    (0x20000, 0x2FFFD), // CJK extensions B …
    (0x30000, 0x3FFFD), // CJK extensions G …
];

/// Whether `c` is drawn one em wide in a Japanese font (see [`text_width_em`]).
pub fn is_wide(c: char) -> bool {
    let c = c as u32;
    WIDE.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

/// Characters that take no room: controls, combining diacritics, zero-width spaces and joiners,
/// variation selectors.
fn is_zero_width(c: char) -> bool {
    matches!(c as u32, 0..=0x1F | 0x7F..=0x9F | 0x300..=0x36F | 0x200B..=0x200F | 0xFE00..=0xFE0F)
}

/// Estimated width of `text` in em: wide/fullwidth characters 1.0, zero-width ones 0, others 0.55.
pub fn text_width_em(text: &str) -> f64 {
    text.chars().map(char_width_em).sum()
}

fn char_width_em(c: char) -> f64 {
    if is_wide(c) {
        1.0
    } else if is_zero_width(c) {
        0.0
    } else {
        0.55
    }
}

/// Characters that must not start a line (Japanese 行頭禁則, simplified): a line break before one
/// of them moves the character in front of it down too.
fn no_line_start(c: char) -> bool {
    "、。，．,.)）」』】〕〉》！？!?:：;；ー…々ぁぃぅぇぉっゃゅょァィゥェォッャュョ".contains(c)
}

/// Wraps `text` into lines of at most `max_em` (estimated) and at most `max_lines` lines; if the
/// text needs more, the last line is shortened and ends with "…". Latin words break at spaces
/// when they can; Japanese text breaks between any two characters, except before closing
/// punctuation and small kana (line-start rule). Whitespace runs (including newlines) collapse to one space.
/// Always returns at least one line (possibly empty).
pub fn wrap(text: &str, max_em: f64, max_lines: usize) -> Vec<String> {
    wrap_lines(text, max_em, max_lines).0
}

/// [`wrap`], also telling whether the text was cut short.
pub(crate) fn wrap_lines(text: &str, max_em: f64, max_lines: usize) -> (Vec<String>, bool) {
    let max_lines = max_lines.max(1);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text_width_em(&text) <= max_em {
        return (vec![text], false);
    }
    // Tokens: a run of narrow non-space characters (a Latin word), a single wide character, or a
    // single space.
    let mut tokens: Vec<String> = Vec::new();
    for c in text.chars() {
        let joins = !is_wide(c)
            && c != ' '
            && tokens
                .last()
                .and_then(|t| t.chars().last())
                .is_some_and(|p| !is_wide(p) && p != ' ');
        if joins {
            if let Some(last) = tokens.last_mut() {
                last.push(c);
            }
        } else {
            tokens.push(c.to_string());
        }
    }

    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut pending_space = false;
    for token in tokens {
        if token == " " {
            pending_space = !line.is_empty();
            continue;
        }
        let sep = if pending_space { " " } else { "" };
        let line_w = text_width_em(&line) + text_width_em(sep);
        let token_w = text_width_em(&token);
        pending_space = false;
        if line_w + token_w <= max_em {
            line.push_str(sep);
            line.push_str(&token);
            continue;
        }
        let first = token.chars().next().unwrap_or(' ');
        if !line.is_empty() && sep.is_empty() && token.chars().count() == 1 && no_line_start(first)
        {
            // Push the line's last character down with it (追い出し), or, when that character
            // is not a wide one of its own (or may not start a line either), let it hang.
            let last = line.chars().last().unwrap_or(' ');
            if line.chars().count() >= 2 && is_wide(last) && !no_line_start(last) {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(last);
            }
            line.push_str(&token);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // Start a new line with the token, splitting it by characters if it is wider than a line.
        for c in token.chars() {
            if !line.is_empty() && text_width_em(&line) + char_width_em(c) > max_em {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    let truncated = lines.len() > max_lines;
    if truncated {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            let ellipsis = text_width_em("…");
            while !last.is_empty() && text_width_em(last) + ellipsis > max_em {
                last.pop();
            }
            let trimmed = last.trim_end().len();
            last.truncate(trimmed);
            last.push('…');
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    (lines, truncated)
}

/// `value` rounded half up to `decimals` decimals, as kojo-core's `format::round1` does (with a
/// tiny epsilon so binary noise like 65.05 = 65.04999… still rounds up): `65.05` → `"65.1"`.
/// `-0.0` and values that round to zero print without a sign. Non-finite values print as "–".
pub fn fixed(value: f64, decimals: u32) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let decimals = decimals.min(6);
    let scale = 10f64.powi(decimals as i32);
    let scaled = (value * scale + 0.5 + 1e-9).floor();
    if scaled.abs() >= 9.0e15 {
        return format!("{value:.prec$}", prec = decimals as usize);
    }
    let units = crate::num::trunc_i64(scaled);
    let digits = format!(
        "{:0width$}",
        units.unsigned_abs(),
        width = decimals as usize + 1
    );
    let (int, frac) = digits.split_at(digits.len() - decimals as usize);
    let sign = if units < 0 { "-" } else { "" };
    if decimals == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

/// One decimal, rounded half up: `66.666…` → `"66.7"`, `65.05` → `"65.1"`.
pub fn fmt1(value: f64) -> String {
    fixed(value, 1)
}

/// A percentage with one decimal: `65.0` → `"65.0%"`.
pub fn percent(value: f64) -> String {
    format!("{}%", fixed(value, 1))
}

/// A count with thousands separators: `1234` → `"1,234"`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A coordinate: rounded to one decimal, without a trailing ".0" (`12.0` → `"12"`,
/// `12.25` → `"12.3"`). Non-finite values become `0`.
pub fn coord(value: f64) -> String {
    let value = if value.is_finite() { value } else { 0.0 };
    let s = fixed(value, 1);
    match s.strip_suffix(".0") {
        Some(int) => int.to_string(),
        None => s,
    }
}

/// A tiny element writer: `El::new("rect").attr("class", "bar").num("x", 1.25).empty()`.
/// Attribute values and text content are escaped.
pub(crate) struct El {
    tag: &'static str,
    buf: String,
}

impl El {
    pub(crate) fn new(tag: &'static str) -> Self {
        El {
            tag,
            buf: format!("<{tag}"),
        }
    }

    /// Adds `name="value"` (escaped).
    pub(crate) fn attr(mut self, name: &str, value: &str) -> Self {
        self.buf.push(' ');
        self.buf.push_str(name);
        self.buf.push_str("=\"");
        self.buf.push_str(&escape(value));
        self.buf.push('"');
        self
    }

    /// Adds `name="value"` without escaping: only for constants known to need none.
    pub(crate) fn attr_unescaped(mut self, name: &str, value: &'static str) -> Self {
        debug_assert!(!value.contains(['"', '<', '&']));
        self.buf.push(' ');
        self.buf.push_str(name);
        self.buf.push_str("=\"");
        self.buf.push_str(value);
        self.buf.push('"');
        self
    }

    /// Adds a coordinate or length attribute (see [`coord`]).
    pub(crate) fn num(self, name: &str, value: f64) -> Self {
        let value = coord(value);
        self.attr(name, &value)
    }

    /// `<tag …/>`
    pub(crate) fn empty(mut self) -> String {
        self.buf.push_str("/>");
        self.buf
    }

    /// `<tag …>escaped text</tag>`
    pub(crate) fn text(self, content: &str) -> String {
        self.raw(&escape(content))
    }

    /// `<tag …>inner</tag>` with `inner` already markup.
    pub(crate) fn raw(mut self, inner: &str) -> String {
        self.buf.push('>');
        self.buf.push_str(inner);
        self.buf.push_str("</");
        self.buf.push_str(self.tag);
        self.buf.push('>');
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_the_five_xml_specials_and_drops_forbidden_controls() {
        assert_eq!(
            escape(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
        assert_eq!(escape("a\u{0}b\u{1b}c\u{FFFF}"), "abc");
        assert_eq!(escape("組織的対策"), "組織的対策");
    }

    #[test]
    fn width_counts_wide_characters_as_one_em_and_others_as_055() {
        assert_eq!(text_width_em("組織"), 2.0);
        assert!((text_width_em("ab") - 1.1).abs() < 1e-9);
        assert!((text_width_em("ＡＢｶ") - 2.55).abs() < 1e-9); // fullwidth A B, halfwidth ka
        assert_eq!(text_width_em("①…"), 2.0);
        assert!(is_wide('　') && is_wide('한') && !is_wide('a') && !is_wide('ｶ'));
    }

    #[test]
    fn one_decimal_rounds_half_up() {
        assert_eq!(fmt1(65.05), "65.1");
        assert_eq!(fmt1(47.94), "47.9");
        assert_eq!(fmt1(47.95), "48.0");
        assert_eq!(fmt1(66.666_666), "66.7");
        assert_eq!(fmt1(99.95), "100.0");
        assert_eq!(fmt1(0.0), "0.0");
        assert_eq!(fmt1(-0.0), "0.0");
        assert_eq!(fmt1(-0.04), "0.0");
        assert_eq!(fmt1(-1.26), "-1.3");
        assert_eq!(fmt1(f64::NAN), "–");
        assert_eq!(fixed(40.5, 0), "41");
        assert_eq!(percent(65.0), "65.0%");
    }

    #[test]
    fn counts_get_thousands_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1234), "1,234");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn coordinates_have_at_most_one_decimal_and_no_trailing_zero() {
        assert_eq!(coord(12.0), "12");
        assert_eq!(coord(12.25), "12.3");
        assert_eq!(coord(-0.01), "0");
        assert_eq!(coord(1.0 / 3.0), "0.3");
        assert_eq!(coord(f64::INFINITY), "0");
    }

    #[test]
    fn wrap_keeps_short_text_on_one_line() {
        assert_eq!(wrap("組織的対策", 10.0, 2), vec!["組織的対策"]);
        assert_eq!(wrap("  a \n b ", 10.0, 2), vec!["a b"]);
        assert_eq!(wrap("", 10.0, 2), vec![""]);
    }

    #[test]
    fn wrap_breaks_latin_text_at_spaces() {
        let lines = wrap("Organizational measures for factories", 12.0, 3);
        assert_eq!(lines, vec!["Organizational", "measures for", "factories"]);
        assert!(lines.iter().all(|l| text_width_em(l) <= 12.0));
    }

    #[test]
    fn wrap_breaks_japanese_anywhere_but_not_before_closing_punctuation() {
        // Five characters per line: "。" would start line two, so "策" moves down with it.
        assert_eq!(
            wrap("工場の対策。確認", 5.0, 3),
            vec!["工場の対", "策。確認"]
        );
        // After a Latin word there is nothing to move, so the punctuation hangs.
        assert_eq!(wrap("工場のPLC。確認", 5.0, 3), vec!["工場のPLC。", "確認"]);
        assert_eq!(
            wrap("あいうえおかきくけこ", 4.0, 3),
            vec!["あいうえ", "おかきく", "けこ"]
        );
    }

    #[test]
    fn wrap_truncates_with_an_ellipsis_after_max_lines() {
        let lines = wrap("あいうえおかきくけこさしすせそ", 5.0, 2);
        assert_eq!(lines, vec!["あいうえお", "かきくけ…"]);
        assert!(lines.iter().all(|l| text_width_em(l) <= 5.0));
    }
}
