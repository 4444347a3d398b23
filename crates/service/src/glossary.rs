//! The glossary in the reader's language, and the links from a text to it: every term of
//! `content/reference/glossary.toml` is linked (`/glossary#<id>`) where it first appears in a
//! text, so a reader who does not know "EWS" or "VLAN" is one click from its definition.

use kojo_content::{Glossary, Term};
use kojo_core::Locale;

use crate::Lang;

/// One glossary entry as the glossary page shows it.
pub struct TermView {
    pub id: String,
    pub term: String,
    pub reading: String,
    pub definition: String,
    /// (id, term) of the entries worth reading with it.
    pub see: Vec<(String, String)>,
}

/// The glossary in the reader's language: Japanese by reading (五十音), English by term.
pub fn terms(glossary: &Glossary, lang: &Lang) -> Vec<TermView> {
    let l = lang.locale;
    let mut terms: Vec<&Term> = glossary.terms.iter().collect();
    match l {
        Locale::Ja => terms.sort_by(|a, b| a.reading.cmp(&b.reading)),
        Locale::En => terms.sort_by_key(|t| t.term.get(l).to_lowercase()),
    }
    terms
        .into_iter()
        .map(|t| TermView {
            id: t.id.clone(),
            term: t.term.get(l).to_string(),
            reading: t.reading.clone(),
            definition: t.definition.get(l).to_string(),
            see: t
                .see
                .iter()
                .filter_map(|id| glossary.term(id))
                .map(|s| (s.id.clone(), s.term.get(l).to_string()))
                .collect(),
        })
        .collect()
}

/// The words of a term that link to it in a text: the term up to its explanation in brackets
/// ("HMI（タッチパネル・表示器）" → "HMI", "Contractor (協力会社)" → "Contractor"), and in
/// English also its lowercase form for words that are not acronyms.
fn keys(term: &Term, locale: Locale) -> Vec<String> {
    let text = term.term.get(locale);
    let head = text
        .split(['（', '('])
        .next()
        .unwrap_or(text)
        .trim()
        .to_string();
    let mut keys = vec![head.clone()];
    if locale == Locale::En && head.chars().any(char::is_lowercase) {
        keys.push(head.to_lowercase());
    }
    keys.retain(|k| k.chars().count() >= 2);
    keys
}

/// Links glossary terms in texts of one language.
pub struct Linker {
    /// (key, term id), longest key first so "踏み台サーバー" wins over "サーバー".
    keys: Vec<(String, String)>,
}

impl Linker {
    pub fn new(glossary: &Glossary, locale: Locale) -> Linker {
        let mut keys: Vec<(String, String)> = glossary
            .terms
            .iter()
            .flat_map(|t| keys(t, locale).into_iter().map(|k| (k, t.id.clone())))
            .collect();
        keys.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        Linker { keys }
    }

    /// The text as HTML (escaped), with the first occurrence of each term linked to the
    /// glossary. A Latin key matches whole words only ("NAC" not inside "SNACK").
    pub fn html(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 64);
        let mut linked: Vec<&str> = Vec::new();
        let mut i = 0;
        while i < text.len() {
            let rest = &text[i..];
            let hit = self.keys.iter().find(|(k, id)| {
                rest.starts_with(k.as_str())
                    && !linked.contains(&id.as_str())
                    && whole_word(text, i, k)
            });
            if let Some((k, id)) = hit {
                out.push_str("<a href=\"/glossary#");
                out.push_str(id);
                out.push_str("\" class=\"term\">");
                escape_into(&mut out, k);
                out.push_str("</a>");
                linked.push(id);
                i += k.len();
            } else {
                let c = rest.chars().next().unwrap_or(' ');
                escape_into(&mut out, c.encode_utf8(&mut [0; 4]));
                i += c.len_utf8();
            }
        }
        out
    }
}

/// A key made of ASCII letters or digits at its edges must not continue a word of the text.
fn whole_word(text: &str, at: usize, key: &str) -> bool {
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let starts = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let ends = key
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let before = text[..at].chars().next_back();
    let after = text[at + key.len()..].chars().next();
    !((starts && alnum(before)) || (ends && alnum(after)))
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        kojo_content::load_embedded().unwrap().glossary
    }

    #[test]
    fn terms_link_once_with_the_text_escaped() {
        let ja = Linker::new(&glossary(), Locale::Ja);
        let html = ja.html("EWSとHMIを<b>VLAN</b>で分ける。EWSは重要。");
        assert!(
            html.contains("<a href=\"/glossary#ews\" class=\"term\">EWS</a>と"),
            "{html}"
        );
        assert!(html.contains("<a href=\"/glossary#hmi\" class=\"term\">HMI</a>"));
        assert!(
            html.contains("&lt;b&gt;<a href=\"/glossary#vlan\" class=\"term\">VLAN</a>&lt;/b&gt;")
        );
        assert_eq!(
            html.matches("glossary#ews").count(),
            1,
            "first occurrence only"
        );
    }

    #[test]
    fn latin_terms_match_whole_words_and_the_longest_term_wins() {
        let en = Linker::new(&glossary(), Locale::En);
        let html = en.html("HMIs and SNACKs");
        assert!(!html.contains("glossary#nac"), "{html}");
        let ja = Linker::new(&glossary(), Locale::Ja);
        let html = ja.html("踏み台サーバーを置く");
        assert!(html.contains("glossary#jump-server"), "{html}");
        assert!(!html.contains("glossary#server\""), "{html}");
    }

    #[test]
    fn the_japanese_glossary_is_in_reading_order_and_names_related_terms() {
        let t = terms(&glossary(), &Lang::ja());
        assert!(t.windows(2).all(|w| w[0].reading <= w[1].reading));
        let ews = t.iter().find(|t| t.id == "ews").unwrap();
        assert!(ews.term.starts_with("EWS"));
        assert!(t.iter().any(|t| !t.see.is_empty()));
    }
}
