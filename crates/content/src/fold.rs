//! How asset-register headers and cell words are compared: Unicode NFKC (full-width letters and
//! digits become half-width, half-width katakana full-width), lower case, no spaces. Factories
//! type "Ｖｅｒ．", "VER." and "Ver ." for the same column; all three fold to "ver.".

use unicode_normalization::UnicodeNormalization;

/// The folded form of a header or a cell word.
pub fn fold(s: &str) -> String {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_width_case_and_spaces() {
        assert_eq!(fold("Ｖｅｒ．"), "ver.");
        assert_eq!(fold("VER."), "ver.");
        assert_eq!(fold(" Ver . "), "ver.");
        assert_eq!(fold("ﾒｰｶｰ"), "メーカー");
        assert_eq!(fold("IP　アドレス"), "ipアドレス");
        assert_eq!(fold("ＩＰアドレス（ＩＰｖ４）"), "ipアドレス(ipv4)");
        assert_ne!(fold("形式"), fold("型式"));
        assert_ne!(fold("〇"), fold("○"));
        assert_eq!(fold("  "), "");
    }
}
