//! Sorting names the way Japanese users expect without readings (furigana): kana in 五十音 order
//! (hiragana and katakana together), kanji in JIS X 0208 order, whose first level is ordered by
//! reading — the order Excel gives a Japanese column it has no readings for. Legal-form words
//! (株式会社, 一般社団法人, …) are ignored, as directories do, so 株式会社山田 sorts under や.
//!
//! One rule for both databases: SQLite sorts by code point and PostgreSQL by its collation, so
//! lists are sorted here, not in SQL.

use std::cmp::Ordering;

/// Legal forms dropped before comparing, longest first where one contains another.
const LEGAL_FORMS: &[&str] = &[
    "一般社団法人",
    "公益社団法人",
    "一般財団法人",
    "公益財団法人",
    "特定非営利活動法人",
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
    "（株）",
    "(株)",
    "㈱",
    "（有）",
    "(有)",
    "㈲",
];

/// The key names sort by (compare keys with `Ord`; ties fall back to the name itself).
pub fn key(name: &str) -> Vec<u8> {
    let mut core = name.trim();
    loop {
        let before = core;
        for form in LEGAL_FORMS {
            core = core
                .strip_prefix(form)
                .or_else(|| core.strip_suffix(form))
                .unwrap_or(core)
                .trim();
        }
        if core == before {
            break;
        }
    }
    // A name that is only a legal form keeps it.
    let core = if core.is_empty() { name.trim() } else { core };
    let mut out = Vec::with_capacity(core.len() * 2);
    for c in core.chars() {
        push_char(&mut out, fold(c));
    }
    out
}

/// What a list sorts by: [`key`], then the name itself, so the order is total (two names that
/// differ only in a legal form or in kana script still have a fixed order).
pub fn sort_key(name: &str) -> (Vec<u8>, String) {
    (key(name), name.to_string())
}

/// Compares two names by [`sort_key`].
pub fn cmp(a: &str, b: &str) -> Ordering {
    sort_key(a).cmp(&sort_key(b))
}

/// Katakana as hiragana (so カ sorts with か), full-width ASCII as ASCII, ASCII letters
/// upper-cased.
fn fold(c: char) -> char {
    match c {
        'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        '！'..='～' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c.to_ascii_uppercase(),
    }
}

/// The character's Shift_JIS (CP932) bytes — JIS order, with ASCII first — or, for a character
/// CP932 cannot hold, a marker byte above every lead byte and its code point, so it sorts last.
fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    let s: &str = c.encode_utf8(&mut buf);
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(s);
    if unmappable {
        out.push(0xFF);
        out.extend_from_slice(&(c as u32).to_be_bytes());
    } else {
        // Half-width katakana (single bytes 0xA1–0xDF) land between the two kanji levels, as in
        // Shift_JIS itself; they are rare in organisation names.
        out.extend_from_slice(&bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| cmp(a, b));
        v
    }

    #[test]
    fn kana_in_gojuon_order_whatever_the_script() {
        assert_eq!(
            sorted(&["さくら精機", "カワサキ工業", "あおば製作所", "たちばな化成"]),
            ["あおば製作所", "カワサキ工業", "さくら精機", "たちばな化成"]
        );
    }

    #[test]
    fn first_level_kanji_by_reading() {
        // 愛(あい) 北(ほく) 山(やま/さん) 東(とう): JIS level 1 is ordered by on-reading.
        assert_eq!(
            sorted(&["山田精機", "北陸化成", "東海プレス", "愛知製作所"]),
            ["愛知製作所", "山田精機", "東海プレス", "北陸化成"]
        );
    }

    #[test]
    fn legal_forms_are_ignored() {
        assert_eq!(
            sorted(&["株式会社山田精機", "愛知製作所株式会社", "(株)東海プレス"]),
            ["愛知製作所株式会社", "株式会社山田精機", "(株)東海プレス"]
        );
        assert_eq!(
            key("株式会社"),
            key(" 株式会社 "),
            "a bare legal form keeps itself"
        );
    }

    #[test]
    fn latin_names_and_characters_outside_cp932() {
        assert_eq!(
            sorted(&["zeta", "Alpha", "ＢＥＴＡ", "𠮷野家", "吉野"]),
            ["Alpha", "ＢＥＴＡ", "zeta", "吉野", "𠮷野家"]
        );
    }
}
