//! UI strings in Japanese and English, generated from `locales/` at build time.
//!
//! Domain texts (checklist items, questions, measures) are not here: they are bilingual in the
//! content files. This crate holds only the words of the interface itself.

use kojo_core::Locale;

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

impl Msg {
    pub fn for_locale(locale: Locale) -> &'static Msg {
        match locale {
            Locale::Ja => &JA,
            Locale::En => &EN,
        }
    }

    /// Fills `{name}` placeholders of a message with the given values, in one pass: a value
    /// that itself contains `{…}` (a cell a user typed) is inserted as written, never filled
    /// again. A placeholder without a value stays as it is.
    pub fn fill(&self, template: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        fill(template, args)
    }
}

/// [`Msg::fill`] without a catalogue at hand.
pub fn fill(template: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(template.len() + 16 * args.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (close, *v))
        });
        match value {
            Some((close, v)) => {
                let _ = write!(out, "{v}");
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_every_key() {
        assert!(!KEYS.is_empty());
        assert_eq!(JA.lang, "ja");
        assert_eq!(EN.lang, "en");
        assert_ne!(JA.app_name_long, EN.app_name_long);
        assert!(KEYS.contains(&"login.title"));
    }

    #[test]
    fn fills_placeholders() {
        let m = Msg::for_locale(Locale::En);
        assert_eq!(m.fill("{a} and {b}", &[("a", &1), ("b", &"x")]), "1 and x");
        assert_eq!(m.fill("{a}{a}", &[("a", &"{b}"), ("b", &2)]), "{b}{b}");
        assert_eq!(m.fill("{c} {", &[("a", &1)]), "{c} {");
        assert_eq!(fill("「{v}」", &[("v", &"値")]), "「値」");
    }
}
