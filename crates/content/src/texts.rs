//! Bilingual completeness, checked on the raw TOML so an error can name where the text sits.
//! A bilingual text is any table with a `ja` or an `en` key; both must be non-empty strings.

use toml::{Table, Value};

use crate::{ContentError, ContentErrors};

pub fn check(file: &str, table: &Table, errors: &mut ContentErrors) {
    walk_table(file, table, "", None, errors);
}

fn walk_table(
    file: &str,
    table: &Table,
    path: &str,
    entry: Option<&str>,
    errors: &mut ContentErrors,
) {
    if table.contains_key("ja") || table.contains_key("en") {
        for lang in ["ja", "en"] {
            let ok = matches!(table.get(lang), Some(Value::String(s)) if !s.trim().is_empty());
            if !ok {
                let at = format!("{path}.{lang}");
                let message = format!("{at}: text missing or empty (expected a non-empty string)");
                errors.push(match entry {
                    Some(e) => ContentError::entry(file, e, message),
                    None => ContentError::file(file, message),
                });
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
        walk_value(file, value, &child, entry, errors);
    }
}

fn walk_value(
    file: &str,
    value: &Value,
    path: &str,
    entry: Option<&str>,
    errors: &mut ContentErrors,
) {
    match value {
        Value::Table(t) => walk_table(file, t, path, entry, errors),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk_value(file, v, &format!("{path}[{i}]"), entry, errors);
            }
        }
        _ => {}
    }
}
