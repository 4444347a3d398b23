//! The reader's language: the locale and its message catalogue, passed to every use case that
//! produces text (exports, error messages), so nothing below the edge needs the web's context.

use kojo_core::{Locale, Text};
use kojo_i18n::Msg;

#[derive(Debug, Clone, Copy)]
pub struct Lang {
    pub locale: Locale,
    pub t: &'static Msg,
}

impl Lang {
    pub fn new(locale: Locale) -> Lang {
        Lang {
            locale,
            t: Msg::for_locale(locale),
        }
    }

    pub fn ja() -> Lang {
        Lang::new(Locale::Ja)
    }

    pub fn en() -> Lang {
        Lang::new(Locale::En)
    }

    /// A bilingual content text in this language.
    pub fn text<'a>(&self, text: &'a Text) -> &'a str {
        text.get(self.locale)
    }

    /// Fills one `{name}` placeholder.
    pub fn fill(&self, template: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.t.fill(template, &[(name, &value)])
    }

    /// Fills two placeholders.
    pub fn fill2(
        &self,
        template: &str,
        a: (&str, &dyn std::fmt::Display),
        b: (&str, &dyn std::fmt::Display),
    ) -> String {
        self.t.fill(template, &[a, b])
    }
}

impl Default for Lang {
    fn default() -> Lang {
        Lang::new(Locale::default())
    }
}
