//! How names are compared: the same folding as the asset register (`kojo_content::fold`: Unicode
//! NFKC, lower case, no spaces), after repairing mojibake, and for vendors without legal forms
//! and punctuation.
//!
//! - [`fold`]: NFKC + lower case + no white space ("ＭＥＬＳＥＣ iQ-R" → "melseciq-r").
//! - [`repair_mojibake`]: UTF-8 that was read as Latin-1 / Windows-1252 and written back
//!   ("GeutebrÃ¼ck" → "Geutebrück"); a string that is not such mojibake comes back unchanged.
//! - [`vendor_key`]: the key vendors are compared on: repaired, folded, parenthesised
//!   abbreviations and legal forms (Inc., Co., Ltd., GmbH, 株式会社, …) removed, then only letters
//!   and digits kept ("Schweitzer Engineering Laboratories, Inc. (SEL)" →
//!   "schweitzerengineeringlaboratories").
//! - [`compact`]: letters and digits only, upper case ("6ES7 512-1DK00-0AB0" → "6ES75121DK000AB0"),
//!   the key order numbers and model numbers are compared on once dashes and spaces are ignored.

use unicode_normalization::UnicodeNormalization;

/// The characters of `s` after NFKC; ASCII text is already in that form and skips the work.
fn nfkc(s: &str) -> Box<dyn Iterator<Item = char> + '_> {
    if s.is_ascii() {
        Box::new(s.chars())
    } else {
        Box::new(s.nfkc())
    }
}

/// NFKC, lower case, white space removed. The same as `kojo_content::fold`.
pub fn fold(s: &str) -> String {
    nfkc(s)
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// NFKC and lower case, white space collapsed to single spaces and trimmed.
pub fn fold_spaced(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in nfkc(s).flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// The bytes Windows-1252 gives to the characters it places at 0x80–0x9F.
const CP1252_HIGH: [(char, u8); 27] = [
    ('€', 0x80),
    ('‚', 0x82),
    ('ƒ', 0x83),
    ('„', 0x84),
    ('…', 0x85),
    ('†', 0x86),
    ('‡', 0x87),
    ('ˆ', 0x88),
    ('‰', 0x89),
    ('Š', 0x8A),
    ('‹', 0x8B),
    ('Œ', 0x8C),
    ('Ž', 0x8E),
    ('‘', 0x91),
    ('’', 0x92),
    ('“', 0x93),
    ('”', 0x94),
    ('•', 0x95),
    ('–', 0x96),
    ('—', 0x97),
    ('˜', 0x98),
    ('™', 0x99),
    ('š', 0x9A),
    ('›', 0x9B),
    ('œ', 0x9C),
    ('ž', 0x9E),
    ('Ÿ', 0x9F),
];

/// Undoes one round of "UTF-8 bytes read as Latin-1 (or Windows-1252)": every character is
/// turned back into its single byte and the bytes are read as UTF-8. The string is returned
/// unchanged unless that works and gives something different, so correct text (including
/// Japanese, which has characters no single byte can hold) is never altered.
pub fn repair_mojibake(s: &str) -> String {
    // Mojibake of a two-byte UTF-8 sequence always starts with Â, Ã, Ä, Å … (0xC2–0xDF) or, for
    // three bytes, with â, ã, ä … (0xE0–0xEF).
    if !s.chars().any(|c| ('\u{C2}'..='\u{EF}').contains(&c)) {
        return s.to_string();
    }
    let mut bytes = Vec::with_capacity(s.len());
    for c in s.chars() {
        let code = u32::from(c);
        if let Ok(b) = u8::try_from(code) {
            bytes.push(b);
        } else if let Some((_, b)) = CP1252_HIGH.iter().find(|(h, _)| *h == c) {
            bytes.push(*b);
        } else {
            return s.to_string();
        }
    }
    match String::from_utf8(bytes) {
        Ok(fixed) if fixed != s => fixed,
        _ => s.to_string(),
    }
}

/// Legal forms and filler words dropped from vendor names before comparing (already folded).
const LEGAL: &[&str] = &[
    "inc",
    "inc.",
    "incorporated",
    "corp",
    "corp.",
    "corporation",
    "co",
    "co.",
    "company",
    "ltd",
    "ltd.",
    "limited",
    "llc",
    "llc.",
    "gmbh",
    "ag",
    "kg",
    "se",
    "sa",
    "s.a.",
    "s.r.l",
    "s.r.l.",
    "srl",
    "plc",
    "bv",
    "b.v.",
    "oy",
    "ab",
    "aktiebolag",
    "pte",
    "pvt",
    "ltda",
    "me",
    "mfg.",
    "株式会社",
    "(株)",
    "有限会社",
    "(有)",
    "合同会社",
];

/// The key vendor names are compared on. See the module documentation.
pub fn vendor_key(name: &str) -> String {
    let repaired = repair_mojibake(name);
    let spaced = fold_spaced(&repaired);
    let mut words: Vec<String> = Vec::new();
    for word in strip_parentheses(&spaced).split([' ', ',']) {
        let word = word.trim_matches(|c: char| c == '-' || c == ',');
        if word.is_empty() {
            continue;
        }
        // 株式会社 may be glued to the name (三菱電機株式会社).
        let word = strip_affixes(word);
        if word.is_empty() || LEGAL.contains(&word) {
            continue;
        }
        words.push(word.to_string());
    }
    let key: String = words
        .concat()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    if key.is_empty() {
        // A name that is nothing but a legal form or an abbreviation: keep what it is.
        return fold(&repaired)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
    }
    key
}

/// Removes 株式会社 / (株) written before or after a name without a space.
fn strip_affixes(word: &str) -> &str {
    let mut w = word;
    for affix in ["株式会社", "(株)", "有限会社", "(有)"] {
        if let Some(rest) = w.strip_prefix(affix) {
            w = rest;
        }
        if let Some(rest) = w.strip_suffix(affix) {
            w = rest;
        }
    }
    w
}

/// The text without parenthesised parts ("General Electric (GE)" → "General Electric "). Legal
/// forms written in parentheses ((株)) are left for [`strip_affixes`].
fn strip_parentheses(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if depth == 0 && (rest.starts_with("(株)") || rest.starts_with("(有)")) {
            out.push_str(&rest[..5]);
            rest = &rest[5..];
            continue;
        }
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Letters and digits only, NFKC and upper case: the key identifiers (order numbers, model
/// numbers) are compared on when dashes, dots and spaces are ignored.
pub fn compact(s: &str) -> String {
    nfkc(s)
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// NFKC, upper case, white space removed (dashes kept): identifiers compared case-insensitively.
pub fn upper_no_space(s: &str) -> String {
    nfkc(s)
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mojibake_is_repaired_and_correct_text_kept() {
        assert_eq!(repair_mojibake("GeutebrÃ¼ck"), "Geutebrück");
        assert_eq!(
            repair_mojibake("LCDS - LeÃ£o Consultoria"),
            "LCDS - Leão Consultoria"
        );
        assert_eq!(repair_mojibake("Innokas YhtymÃ¤ Oy"), "Innokas Yhtymä Oy");
        assert_eq!(repair_mojibake("Geutebrück"), "Geutebrück");
        assert_eq!(repair_mojibake("Dräger"), "Dräger");
        assert_eq!(repair_mojibake("三菱電機"), "三菱電機");
        assert_eq!(repair_mojibake("G�teborg"), "G�teborg");
        // Windows-1252 punctuation inside mojibake: "–" (E2 80 93) read as "â€“".
        assert_eq!(repair_mojibake("a â€“ b"), "a – b");
    }

    #[test]
    fn vendor_keys_drop_legal_forms_case_width_and_abbreviations() {
        let k = vendor_key;
        assert_eq!(k("Mitsubishi Electric Corporation"), "mitsubishielectric");
        assert_eq!(k(" Mitsubishi Electric "), "mitsubishielectric");
        assert_eq!(
            k("ＭＩＴＳＵＢＩＳＨＩ　ＥＬＥＣＴＲＩＣ"),
            "mitsubishielectric"
        );
        assert_eq!(k("三菱電機株式会社"), "三菱電機");
        assert_eq!(k("㈱三菱電機"), "三菱電機");
        assert_eq!(k("三菱電機(株)"), "三菱電機");
        assert_eq!(k("Johnson Controls, Inc."), "johnsoncontrols");
        assert_eq!(k("General Electric (GE)"), "generalelectric");
        assert_eq!(k("GeutebrÃ¼ck GmbH"), "geutebrück");
        assert_eq!(k("Automation Direct"), k("AutomationDirect"));
        assert_eq!(k("Dahua Technology Co, Ltd"), "dahuatechnology");
        assert_eq!(k("Hitachi Energy"), "hitachienergy");
        assert_ne!(k("Hitachi Energy"), k("Hitachi, Ltd."));
        assert_eq!(k("Inc."), "inc");
    }

    #[test]
    fn compact_ignores_separators_and_width() {
        assert_eq!(compact("6ES7 512-1DK00-0AB0"), "6ES75121DK000AB0");
        assert_eq!(
            compact("６ＥＳ７５１２－１ＤＫ００－０ＡＢ０"),
            "6ES75121DK000AB0"
        );
        assert_eq!(upper_no_space("r04 cpu"), "R04CPU");
        assert_eq!(fold_spaced("  MELSEC   iQ-R  "), "melsec iq-r");
    }
}
