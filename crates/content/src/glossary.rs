//! The glossary (`reference/glossary.toml`): the terms the checklist uses, defined once in both
//! languages with a reading, and the one spelling kojo uses for words that have several
//! (サーバー, not サーバ). `kojo content check` refuses a refused spelling in any text of any
//! content file.

use std::collections::HashSet;

use kojo_core::Text;
use serde::{Deserialize, Serialize};

use crate::texts::TextAt;
use crate::validate::valid_id;
use crate::{ContentError, ContentErrors};

pub(crate) const FILE: &str = "reference/glossary.toml";

/// The glossary file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Glossary {
    pub source: Text,
    pub terms: Vec<Term>,
    #[serde(default)]
    pub spellings: Vec<Spelling>,
}

/// One term: what pages link to when the word appears.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// Stable id (`ews`, `hmi`, `equipment-vendor`); pages link to `#<id>`.
    pub id: String,
    pub term: Text,
    /// The Japanese reading in kana (for sorting and for readers who do not know the word).
    pub reading: String,
    pub definition: Text,
    /// Other ids of this glossary worth reading with it.
    #[serde(default)]
    pub see: Vec<String>,
}

/// One word, one spelling: `preferred` is used, `variants` are refused in every content text of
/// the language `lang`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spelling {
    pub preferred: String,
    pub variants: Vec<String>,
    /// `ja` (default) or `en`: the texts the rule applies to.
    #[serde(default = "ja")]
    pub lang: String,
}

fn ja() -> String {
    "ja".into()
}

impl Glossary {
    pub fn term(&self, id: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.id == id)
    }
}

impl Spelling {
    /// The variant `text` uses, if any: occurrences of the preferred spelling (and of another
    /// rule's preferred spelling that contains the variant) are not variants.
    pub fn variant_in(&self, text: &str) -> Option<&str> {
        let rest = text.replace(&self.preferred, "\u{0}");
        self.variants
            .iter()
            .find(|v| rest.contains(v.as_str()))
            .map(String::as_str)
    }
}

/// Kana (hiragana, katakana), the long-vowel mark, the middle dot and spaces.
fn is_reading(s: &str) -> bool {
    !s.trim().is_empty()
        && s.chars()
            .all(|c| matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}' | ' ' | '　'))
}

pub(crate) fn validate(g: &Glossary, errors: &mut ContentErrors) {
    let mut ids = HashSet::new();
    for t in &g.terms {
        let entry = format!("term {}", t.id);
        if !ids.insert(t.id.as_str()) {
            errors.push(ContentError::entry(FILE, &entry, "duplicate id"));
        }
        if !valid_id(&t.id) {
            errors.push(ContentError::entry(FILE, &entry, "invalid id"));
        }
        if !is_reading(&t.reading) {
            errors.push(ContentError::entry(
                FILE,
                &entry,
                format!("reading {:?} must be written in kana", t.reading),
            ));
        }
    }
    for t in &g.terms {
        for s in &t.see {
            if !ids.contains(s.as_str()) || s == &t.id {
                errors.push(ContentError::entry(
                    FILE,
                    format!("term {}", t.id),
                    format!("see {s:?}: not another term of the glossary"),
                ));
            }
        }
    }
    if g.terms.is_empty() {
        errors.push(ContentError::file(FILE, "no [[terms]]"));
    }
    for s in &g.spellings {
        let entry = format!("spelling {}", s.preferred);
        if !["ja", "en"].contains(&s.lang.as_str()) {
            errors.push(ContentError::entry(
                FILE,
                &entry,
                format!("lang {:?}: expected ja or en", s.lang),
            ));
        }
        if s.variants.is_empty() || s.variants.iter().any(|v| v.trim().is_empty()) {
            errors.push(ContentError::entry(FILE, &entry, "needs variants"));
        }
        if s.variants.iter().any(|v| v == &s.preferred) {
            errors.push(ContentError::entry(
                FILE,
                &entry,
                "the preferred spelling cannot also be a variant",
            ));
        }
    }
}

/// Refuses every text that uses a refused spelling.
pub(crate) fn check_spellings(g: &Glossary, texts: &[TextAt], errors: &mut ContentErrors) {
    for t in texts {
        for s in g.spellings.iter().filter(|s| s.lang == t.lang) {
            if let Some(v) = s.variant_in(&t.text) {
                let message = format!(
                    "{}: {v:?} is written {:?} in kojo's content (reference/glossary.toml)",
                    t.path, s.preferred
                );
                errors.push(match &t.entry {
                    Some(e) => ContentError::entry(&t.file, e, message),
                    None => ContentError::file(&t.file, message),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variant_inside_the_preferred_spelling_is_not_a_variant() {
        let s = Spelling {
            preferred: "サーバー".into(),
            variants: vec!["サーバ".into()],
            lang: "ja".into(),
        };
        assert_eq!(s.variant_in("ログサーバーを置く"), None);
        assert_eq!(s.variant_in("ログサーバを置く"), Some("サーバ"));
        assert_eq!(s.variant_in("サーバーとサーバ"), Some("サーバ"));
        assert!(is_reading("さーばー"));
        assert!(is_reading("イーダブリューエス"));
        assert!(!is_reading("EWS"));
    }
}
