//! Generates the typed message catalogue from `locales/ja.toml` and `locales/en.toml`.
//! A key present in one language and not the other, an empty text, or a placeholder (`{name}`)
//! that differs between the languages fails the build. Templates use the generated fields, so
//! a template that names an unknown key does not compile either.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales");
    let ja = read(&dir.join("ja.toml"));
    let en = read(&dir.join("en.toml"));
    let mut problems = Vec::new();
    for key in ja.keys().filter(|k| !en.contains_key(*k)) {
        problems.push(format!(
            "locales/en.toml: missing key {key} (present in ja.toml)"
        ));
    }
    for key in en.keys().filter(|k| !ja.contains_key(*k)) {
        problems.push(format!(
            "locales/ja.toml: missing key {key} (present in en.toml)"
        ));
    }
    for (key, ja_text) in &ja {
        let Some(en_text) = en.get(key) else { continue };
        for (lang, text) in [("ja", ja_text), ("en", en_text)] {
            if text.trim().is_empty() {
                problems.push(format!("locales/{lang}.toml: {key} is empty"));
            }
        }
        if placeholders(ja_text) != placeholders(en_text) {
            problems.push(format!(
                "{key}: placeholders differ between ja {:?} and en {:?}",
                placeholders(ja_text),
                placeholders(en_text)
            ));
        }
    }
    if !problems.is_empty() {
        panic!(
            "locale files are inconsistent:\n  {}",
            problems.join("\n  ")
        );
    }

    let mut out = String::new();
    out.push_str("/// Every UI string, one field per key of `locales/*.toml` (`section.key` → `section_key`).\n");
    out.push_str("#[derive(Debug)]\npub struct Msg {\n    pub lang: &'static str,\n");
    for key in ja.keys() {
        writeln!(out, "    pub {}: &'static str,", field(key)).unwrap();
    }
    out.push_str("}\n");
    for (name, lang, map) in [("JA", "ja", &ja), ("EN", "en", &en)] {
        writeln!(out, "pub static {name}: Msg = Msg {{\n    lang: {lang:?},").unwrap();
        for (key, text) in map.iter() {
            writeln!(out, "    {}: {:?},", field(key), text).unwrap();
        }
        out.push_str("};\n");
    }
    out.push_str("pub static KEYS: &[&str] = &[\n");
    for key in ja.keys() {
        writeln!(out, "    {key:?},").unwrap();
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("messages.rs");
    std::fs::write(dest, out).unwrap();
}

fn read(path: &Path) -> BTreeMap<String, String> {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: cannot read: {e}", path.display()));
    let table: toml::Table =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = BTreeMap::new();
    flatten("", &table, &mut out, path);
    out
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, String>, path: &Path) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            toml::Value::Table(t) => flatten(&key, t, out, path),
            other => panic!(
                "{}: {key} must be a string, found {}",
                path.display(),
                other.type_str()
            ),
        }
    }
}

fn field(key: &str) -> String {
    key.replace(['.', '-'], "_")
}

fn placeholders(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        found.push(rest[start + 1..start + len].to_string());
        rest = &rest[start + len + 1..];
    }
    found.sort();
    found
}
