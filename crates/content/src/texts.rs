//! Bilingual completeness, checked on the raw TOML so an error can name where the text sits.
//! A bilingual text is any table with a `ja` or an `en` key; both must be non-empty strings.
//! The same walk collects every text with its language, for the spelling rules of the glossary.

use toml::{Table, Value};

use crate::{ContentError, ContentErrors};

/// One text of a content file, in one language.
#[derive(Debug, Clone)]
pub(crate) struct TextAt {
    pub file: String,
    pub entry: Option<String>,
    /// Where in the entry (`examples.small.ja`).
    pub path: String,
    /// `ja` or `en`.
    pub lang: &'static str,
    pub text: String,
}

/// Checks every bilingual text of a file and returns them all.
pub fn check(file: &str, table: &Table, errors: &mut ContentErrors) -> Vec<TextAt> {
    let mut texts = Vec::new();
    walk_table(file, table, "", None, errors, &mut texts);
    texts
}

fn walk_table(
    file: &str,
    table: &Table,
    path: &str,
    entry: Option<&str>,
    errors: &mut ContentErrors,
    texts: &mut Vec<TextAt>,
) {
    if table.contains_key("ja") || table.contains_key("en") {
        for lang in ["ja", "en"] {
            let at = format!("{path}.{lang}");
            match table.get(lang) {
                Some(Value::String(s)) if !s.trim().is_empty() => texts.push(TextAt {
                    file: file.to_string(),
                    entry: entry.map(str::to_string),
                    path: at,
                    lang,
                    text: s.clone(),
                }),
                _ => {
                    let message =
                        format!("{at}: text missing or empty (expected a non-empty string)");
                    errors.push(match entry {
                        Some(e) => ContentError::entry(file, e, message),
                        None => ContentError::file(file, message),
                    });
                }
            }
        }
        return;
    }
    // Name the entry by its `id` (or `code`, or the plant files' `rule`, `entry`, `field`) so the
    // author can find it.
    let own = ["id", "code", "rule", "entry", "field"]
        .iter()
        .find_map(|k| table.get(*k).and_then(Value::as_str));
    let entry = own.or(entry);
    for (key, value) in table {
        let child = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        walk_value(file, value, &child, entry, errors, texts);
    }
}

fn walk_value(
    file: &str,
    value: &Value,
    path: &str,
    entry: Option<&str>,
    errors: &mut ContentErrors,
    texts: &mut Vec<TextAt>,
) {
    match value {
        Value::Table(t) => walk_table(file, t, path, entry, errors, texts),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk_value(file, v, &format!("{path}[{i}]"), entry, errors, texts);
            }
        }
        _ => {}
    }
}

/// A measure that still states a cost band of its own: the band belongs to each example.
pub fn measure_costs(file: &str, table: &Table, errors: &mut ContentErrors) {
    let items = table.get("items").and_then(Value::as_array);
    for item in items.into_iter().flatten() {
        let measures = item.get("measures").and_then(Value::as_array);
        for m in measures.into_iter().flatten() {
            if m.get("cost").is_some() {
                let item_id = item.get("id").and_then(Value::as_str).unwrap_or("?");
                let id = m.get("id").and_then(Value::as_str).unwrap_or("?");
                errors.push(ContentError::entry(
                    file,
                    format!("item {item_id} / measure {id}"),
                    "a measure has no cost of its own: give each example its band (small.cost, medium.cost, large.cost); the measure's range is derived from them",
                ));
            }
        }
    }
}
