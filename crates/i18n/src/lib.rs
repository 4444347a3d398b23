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

    /// Fills `{name}` placeholders of a message with the given values.
    pub fn fill(&self, template: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        let mut out = template.to_string();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), &value.to_string());
        }
        out
    }
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
    }
}
