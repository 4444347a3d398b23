//! Product names as advisories write them, read for matching: a normalised name (and its words)
//! and the **designators** in it — model numbers, order numbers, type names — with wildcards
//! and shorthand expanded.
//!
//! From `Modicon M580 CPU (part numbers BMEP* and BMEH*)`, `R04/08/16/32/120ENCPU`,
//! `L26CPU(-P)`, `CJ2H-CPU**(-EIP)`, `CS1D-CPU □ □ S`, `DH-IPC-HFW1XXX` or
//! `SCALANCE SC622-2C (6GK5622-2GS00-2AC2)` kojo takes:
//!
//! - every word that holds letters and digits (`FX5S-80MT/ESS`, `6GK5622-2GS00-2AC2`) and every
//!   name followed by a number (`NPort 5110`, `ControlLogix 5580`);
//! - slash shorthand expanded when it lists numbers (`R04/08/16ENCPU` → R04ENCPU, R08ENCPU,
//!   R16ENCPU), a parenthesised suffix both with and without (`L26CPU(-P)` → L26CPU, L26CPU-P),
//!   a one-letter series suffix both ways (`1756-EN2TP/A` → also 1756-EN2TP);
//! - wildcards as patterns: `*` any run, `□`, `[]` and `?` one character, `XX…` after a digit or
//!   a dash one character each.
//!
//! Designators compare on [`compact`] (letters and digits, upper case), and report how close
//! the texts were: exactly as written (1.00), ignoring case, width and spaces (0.95), ignoring
//! dashes and other separators (0.90), through a pattern (0.90).
//!
//! The normalised name is folded, without parenthesised remarks, the vendor's own name in front,
//! and filler words (`series`, `family`, `firmware`, `software`, `products`, …).

use serde::{Deserialize, Serialize};

use super::text::{compact, fold_spaced, upper_no_space};

/// Where a designator came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DesignatorSource {
    /// `product_identification_helper.model_numbers`.
    ModelNumber,
    /// `product_identification_helper.skus`.
    Sku,
    /// Written in parentheses in the name (`(6GK5622-2GS00-2AC2)`).
    Parenthesis,
    /// A word of the name.
    Name,
    /// A model written where the version belongs (`product_version` = `LNL-X3300`).
    VersionField,
    /// The product's package URL.
    Purl,
    /// The product's CPE.
    Cpe,
}

/// One character position of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Glob {
    Char(char),
    /// Exactly one character.
    One,
    /// Any run of characters, possibly empty.
    Any,
}

/// A model or order number of an advisory product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Designator {
    /// As written (after expansion).
    pub text: String,
    /// Letters and digits, upper case; empty for a pattern.
    pub compact: String,
    /// NFKC, upper case, no white space (dashes kept).
    pub upper: String,
    /// For a designator with wildcards: the pattern over the compact form.
    pub pattern: Option<Vec<Glob>>,
    pub source: DesignatorSource,
    /// A model-like word of the name followed by another one (`S7-1500` in `SIMATIC S7-1500
    /// CPU 1518-4 PN/DP`): names go from the family to the model, so it names a family.
    pub family: bool,
}

/// How close an identifier came to a designator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdLevel {
    /// Through a wildcard pattern (0.90).
    Pattern,
    /// Equal once dashes, dots and spaces are ignored (0.90).
    IgnoringSeparators,
    /// Equal once case, width and spaces are ignored (0.95).
    CaseInsensitive,
    /// Exactly as written (1.00).
    Exact,
}

impl IdLevel {
    /// The OASIS-style confidence, in hundredths.
    pub fn confidence(self) -> u8 {
        match self {
            IdLevel::Exact => 100,
            IdLevel::CaseInsensitive => 95,
            IdLevel::IgnoringSeparators | IdLevel::Pattern => 90,
        }
    }
}

impl Designator {
    fn new(text: &str, source: DesignatorSource) -> Option<Designator> {
        let text = text.trim().trim_matches([',', ';', ':', '.']).trim();
        if text.is_empty() {
            return None;
        }
        let pattern = pattern_of(text, source);
        let compact = compact(text);
        if pattern.is_none() && compact.chars().count() < 3 {
            return None;
        }
        Some(Designator {
            upper: upper_no_space(text),
            text: text.to_string(),
            compact: if pattern.is_some() {
                String::new()
            } else {
                compact
            },
            pattern,
            source,
            family: false,
        })
    }

    /// Whether the pattern of a designator with wildcards matches a compact identifier (as
    /// characters). False for a designator without wildcards.
    pub fn pattern_matches(&self, compact_chars: &[char]) -> bool {
        self.pattern
            .as_ref()
            .is_some_and(|p| glob_match(p, compact_chars))
    }

    /// How `raw` (an asset's model or order number) matches, if it does.
    pub fn matches(&self, raw: &str) -> Option<IdLevel> {
        if let Some(p) = &self.pattern {
            return glob_match(p, &compact(raw).chars().collect::<Vec<_>>())
                .then_some(IdLevel::Pattern);
        }
        if compact(raw) != self.compact {
            return None;
        }
        Some(self.level(raw.trim(), &upper_no_space(raw)))
    }

    /// The level of an identifier already known to have this designator's compact form, given
    /// as written (trimmed) and as [`upper_no_space`] gives it.
    pub fn level(&self, trimmed: &str, upper: &str) -> IdLevel {
        if trimmed == self.text {
            IdLevel::Exact
        } else if upper == self.upper {
            IdLevel::CaseInsensitive
        } else {
            IdLevel::IgnoringSeparators
        }
    }
}

/// What kojo reads from one advisory product.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProductName {
    /// The normalised name (words joined by single spaces).
    pub key: String,
    /// Its words.
    pub words: Vec<String>,
    /// Other names: the name with the vendor's own name in front kept ("Omron PLC NX1P2"), and
    /// each product of a name that lists several ("A, B and C").
    pub alternatives: Vec<String>,
    pub designators: Vec<Designator>,
}

/// Words that say nothing about which product it is.
const FILLER: [&str; 17] = [
    "series", "family", "firmware", "software", "products", "product", "all", "versions",
    "version", "models", "model", "devices", "device", "the", "of", "and", "module",
];

impl ProductName {
    /// Reads a product name; `vendor` is the advisory's vendor name (dropped from the front).
    pub fn parse(vendor: &str, name: &str) -> ProductName {
        let (outside, inside) = split_parentheses(name);
        let mut designators = Vec::new();
        for part in &inside {
            for word in part.split([' ', ',']) {
                if is_model_like(word) {
                    designators.extend(Designator::new(word, DesignatorSource::Parenthesis));
                }
            }
        }
        name_designators(name, &mut designators);
        dedup(&mut designators);
        let vendor_words: Vec<String> = fold_spaced(vendor).split(' ').map(String::from).collect();
        let words = key_words(&fold_spaced(&outside), &vendor_words);
        let mut alternatives = folded_alternatives(&outside, &vendor_words);
        let full = key_words(&fold_spaced(&outside), &[]).join(" ");
        if full != words.join(" ") {
            alternatives.push(full);
        }
        ProductName {
            key: words.join(" "),
            words,
            alternatives,
            designators,
        }
    }

    /// Adds designators from identification helpers.
    pub fn add_helpers(&mut self, model_numbers: &[String], skus: &[String]) {
        for m in model_numbers {
            self.designators
                .extend(Designator::new(m, DesignatorSource::ModelNumber));
        }
        for s in skus {
            self.designators
                .extend(Designator::new(s, DesignatorSource::Sku));
        }
        dedup(&mut self.designators);
    }

    /// Adds a model written in the version field (`DH-IPC-HFW1XXX,`).
    pub fn add_version_field_model(&mut self, text: &str) {
        for word in text.split([' ', ',', '|']) {
            if is_model_like(word) {
                let mut expanded = Vec::new();
                expand(word, &mut expanded);
                for e in expanded {
                    self.designators
                        .extend(Designator::new(&e, DesignatorSource::VersionField));
                }
            }
        }
        dedup(&mut self.designators);
    }
}

/// The normalised words of an asset's product or model text, as [`ProductName::parse`] makes
/// them for advisory names.
pub fn asset_words(text: &str) -> Vec<String> {
    let (outside, _) = split_parentheses(text);
    key_words(&fold_spaced(&outside), &[])
}

fn dedup(designators: &mut Vec<Designator>) {
    let mut seen = std::collections::HashSet::new();
    designators.retain(|d| seen.insert((d.compact.clone(), d.pattern.clone(), d.text.clone())));
}

/// The words of a folded name: vendor words in front and filler removed, `-series` cut.
fn key_words(folded: &str, vendor_words: &[String]) -> Vec<String> {
    let mut words: Vec<String> = folded
        .split([' ', ','])
        .map(|w| w.trim_matches(['.', ';', ':']))
        .map(|w| w.strip_suffix("-series").unwrap_or(w).to_string())
        .filter(|w| !w.is_empty() && !FILLER.contains(&w.as_str()))
        .collect();
    let mut skip = 0;
    while skip < words.len().saturating_sub(1) && vendor_words.get(skip) == Some(&words[skip]) {
        skip += 1;
    }
    words.drain(..skip);
    words
}

/// "A, B and C" → the keys of A, B and C (only when there are several).
fn folded_alternatives(outside: &str, vendor_words: &[String]) -> Vec<String> {
    let folded = fold_spaced(outside);
    let parts: Vec<String> = folded
        .split([',', ';'])
        .flat_map(|p| p.split(" and "))
        .map(|p| key_words(p, vendor_words).join(" "))
        .filter(|k| !k.is_empty())
        .collect();
    if parts.len() > 1 { parts } else { vec![] }
}

/// The text outside parentheses and the texts inside them. A parenthesis glued to a word
/// (`L26CPU(-P)`) stays outside: it is part of the word.
fn split_parentheses(s: &str) -> (String, Vec<String>) {
    let mut outside = String::new();
    let mut inside = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    let mut prev: Option<char> = None;
    let mut glued = false;
    for c in s.chars() {
        match c {
            '(' if depth == 0 && prev.is_some_and(|p| p.is_alphanumeric() || p == '*') => {
                glued = true;
                outside.push(c);
            }
            ')' if glued => {
                glued = false;
                outside.push(c);
            }
            '(' | '[' if !(c == '[' && s.contains("[]")) => {
                depth += 1;
                if depth == 1 {
                    current.clear();
                }
            }
            ')' | ']' if depth > 0 && !(c == ']' && s.contains("[]")) => {
                depth -= 1;
                if depth == 0 {
                    inside.push(std::mem::take(&mut current));
                    outside.push(' ');
                }
            }
            _ if depth > 0 => current.push(c),
            _ => outside.push(c),
        }
        prev = Some(c);
    }
    (outside, inside)
}

/// A word that could be a model or order number: letters and digits (or wildcards), not a
/// version (`V2.0`, `R4.10`).
fn is_model_like(word: &str) -> bool {
    let w = word.trim().trim_matches([',', ';', ':', '.']);
    let digits = w.chars().any(|c| c.is_ascii_digit());
    let letters = w.chars().any(|c| c.is_alphabetic() || "*□?".contains(c));
    let versionish = {
        let lower = w.to_lowercase();
        let rest = lower.trim_start_matches(['v', 'r']);
        rest.len() < lower.len()
            && rest.starts_with(|c: char| c.is_ascii_digit())
            && !rest.chars().any(|c| c.is_alphabetic())
    };
    let wildcard = w.contains(['*', '□']) && w.chars().filter(|c| c.is_alphanumeric()).count() >= 3;
    ((digits && letters) || wildcard) && w.chars().count() >= 3 && !versionish
}

/// Designators from the words of a name (outside remarks): model-like words, expanded, and
/// "Name 1234" pairs.
fn name_designators(name: &str, out: &mut Vec<Designator>) {
    let (outside, _) = split_parentheses(name);
    let normalised = outside.replace(" □", "□").replace("□ ", "□");
    let words: Vec<&str> = normalised
        .split([' ', ',', ';'])
        .filter(|w| !w.is_empty())
        .collect();
    let last_model = words.iter().rposition(|w| is_model_like(w));
    for (i, w) in words.iter().enumerate() {
        if is_model_like(w) {
            let mut expanded = Vec::new();
            expand(w, &mut expanded);
            for e in expanded {
                if let Some(mut d) = Designator::new(&e, DesignatorSource::Name) {
                    d.family = Some(i) != last_model;
                    out.push(d);
                }
            }
        }
        let name_then_number = w.chars().all(char::is_alphabetic)
            && w.chars().count() >= 2
            && words
                .get(i + 1)
                .is_some_and(|n| n.len() >= 2 && n.chars().all(|c| c.is_ascii_digit()));
        if name_then_number && !FILLER.contains(&w.to_lowercase().as_str()) {
            out.extend(Designator::new(
                &format!("{w} {}", words[i + 1]),
                DesignatorSource::Name,
            ));
        }
    }
}

/// Expands shorthand in one word; see the module documentation.
fn expand(word: &str, out: &mut Vec<String>) {
    let w = word.trim().trim_matches([',', ';', ':', '.']);
    // `L26CPU(-P)`: with and without the suffix.
    if let Some(open) = w.find('(')
        && let Some(close) = w[open..].find(')').map(|c| c + open)
    {
        let base = format!("{}{}", &w[..open], &w[close + 1..]);
        let with = format!("{}{}{}", &w[..open], &w[open + 1..close], &w[close + 1..]);
        expand(&base, out);
        expand(&with, out);
        return;
    }
    if let Some(list) = slash_numbers(w) {
        out.extend(list);
        return;
    }
    out.push(w.to_string());
    // `1756-EN2TP/A`: also without the series letter.
    if let Some((base, series)) = w.rsplit_once('/')
        && series.chars().count() == 1
        && series.chars().all(|c| c.is_ascii_alphabetic())
    {
        out.push(base.to_string());
    }
}

/// `R04/08/16/32/120ENCPU`, `R08/16/32/120/PCPU`, `R00/01/02CPU`: numbers between slashes
/// with a shared prefix and suffix.
fn slash_numbers(w: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = w.split('/').collect();
    if parts.len() < 2 {
        return None;
    }
    let first = parts[0];
    let prefix_len = first.len()
        - first
            .trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '-')
            .len();
    let (prefix, first_num) = first.split_at(prefix_len);
    if first_num.is_empty() || !first_num.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let last = parts[parts.len() - 1];
    let last_digits = last.len() - last.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (last_num, suffix) = last.split_at(last_digits);
    let middle = &parts[1..parts.len() - 1];
    if !middle
        .iter()
        .all(|m| !m.is_empty() && m.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let mut numbers = vec![first_num];
    numbers.extend(middle.iter().copied());
    if !last_num.is_empty() {
        numbers.push(last_num);
    }
    if numbers.len() < 2 || suffix.is_empty() && last_num.is_empty() {
        return None;
    }
    Some(
        numbers
            .iter()
            .map(|n| format!("{prefix}{n}{suffix}"))
            .collect(),
    )
}

/// The pattern of a designator with wildcards, over its compact form.
fn pattern_of(text: &str, source: DesignatorSource) -> Option<Vec<Glob>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut wild = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '*' {
            out.push(Glob::Any);
            wild = true;
        } else if c == '□' || c == '?' {
            out.push(Glob::One);
            wild = true;
        } else if c == '[' && chars.get(i + 1) == Some(&']') {
            out.push(Glob::One);
            wild = true;
            i += 1;
        } else if (c == 'X' || c == 'x')
            && source != DesignatorSource::ModelNumber
            && x_run(&chars, i)
        {
            out.push(Glob::One);
            wild = true;
        } else if c.is_alphanumeric() {
            out.extend(c.to_uppercase().map(Glob::Char));
        }
        i += 1;
    }
    wild.then_some(out)
}

/// Whether the `x` at `i` belongs to a run of two or more `x` after a digit, a dash or a slash.
fn x_run(chars: &[char], i: usize) -> bool {
    let is_x = |j: usize| chars.get(j).is_some_and(|c| *c == 'X' || *c == 'x');
    let mut start = i;
    while start > 0 && is_x(start - 1) {
        start -= 1;
    }
    let mut end = i;
    while is_x(end + 1) {
        end += 1;
    }
    let before = start.checked_sub(1).and_then(|j| chars.get(j));
    end > start && before.is_none_or(|b| b.is_ascii_digit() || *b == '-' || *b == '/')
}

/// Glob matching over characters, by dynamic programming (no backtracking, so a pattern of
/// many `*` cannot take exponential time).
fn glob_match(p: &[Glob], s: &[char]) -> bool {
    // The literal start of the pattern decides most cases at once.
    for (i, g) in p.iter().enumerate() {
        match g {
            Glob::Char(c) if s.get(i) != Some(c) => return false,
            Glob::Char(_) => {}
            _ => break,
        }
    }
    // reach[j]: the pattern so far can match the first j characters.
    let mut reach = vec![false; s.len() + 1];
    reach[0] = true;
    for g in p {
        let mut next = vec![false; s.len() + 1];
        match g {
            Glob::Any => {
                let mut any = false;
                for j in 0..=s.len() {
                    any |= reach[j];
                    next[j] = any;
                }
            }
            Glob::One => {
                next[1..=s.len()].copy_from_slice(&reach[..s.len()]);
            }
            Glob::Char(c) => {
                for j in 0..s.len() {
                    next[j + 1] = reach[j] && s[j] == *c;
                }
            }
        }
        reach = next;
    }
    reach[s.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(vendor: &str, name: &str) -> Vec<String> {
        ProductName::parse(vendor, name)
            .designators
            .iter()
            .map(|d| d.text.clone())
            .collect()
    }

    fn hits(vendor: &str, name: &str, raw: &str) -> Option<IdLevel> {
        ProductName::parse(vendor, name)
            .designators
            .iter()
            .filter_map(|d| d.matches(raw))
            .max()
    }

    #[test]
    fn slash_shorthand_and_optional_suffixes_expand() {
        assert_eq!(
            texts("Mitsubishi Electric", "MELSEC iQ-R  R04/08/16/32/120ENCPU"),
            ["R04ENCPU", "R08ENCPU", "R16ENCPU", "R32ENCPU", "R120ENCPU"]
        );
        assert_eq!(
            texts("", "R08/16/32/120/PCPU"),
            ["R08PCPU", "R16PCPU", "R32PCPU", "R120PCPU"]
        );
        assert_eq!(texts("", "R00/01/02CPU"), ["R00CPU", "R01CPU", "R02CPU"]);
        assert_eq!(texts("", "L26CPU(-P)"), ["L26CPU", "L26CPU-P"]);
        assert_eq!(
            texts("", "MELSEC-F series FX3S-30MR/DSS"),
            ["FX3S-30MR/DSS"]
        );
        assert_eq!(texts("", "1756-EN2TP/A"), ["1756-EN2TP/A", "1756-EN2TP"]);
        assert_eq!(texts("Moxa", "NPort 5110"), ["NPort 5110"]);
    }

    #[test]
    fn order_numbers_in_parentheses_and_helpers_are_designators() {
        let mut p = ProductName::parse("Siemens", "SCALANCE SC622-2C (6GK5622-2GS00-2AC2)");
        assert_eq!(p.key, "scalance sc622-2c");
        p.add_helpers(&["6GK5622-2GS00-2AC2".into()], &[]);
        assert!(
            p.designators
                .iter()
                .any(|d| d.source == DesignatorSource::Parenthesis)
        );
        let d = p
            .designators
            .iter()
            .find(|d| d.text == "6GK5622-2GS00-2AC2")
            .unwrap();
        assert_eq!(d.matches("6GK5622-2GS00-2AC2"), Some(IdLevel::Exact));
        assert_eq!(
            d.matches("6gk5622-2gs00-2ac2"),
            Some(IdLevel::CaseInsensitive)
        );
        assert_eq!(
            d.matches("6GK5 622-2GS00-2AC2"),
            Some(IdLevel::CaseInsensitive)
        );
        assert_eq!(
            d.matches("6GK56222GS002AC2"),
            Some(IdLevel::IgnoringSeparators)
        );
        assert_eq!(
            d.matches("６ＧＫ５６２２－２ＧＳ００－２ＡＣ２"),
            Some(IdLevel::CaseInsensitive)
        );
        assert_eq!(d.matches("6GK5622-2GS00-2AC3"), None);
    }

    #[test]
    fn wildcards_match_one_or_any_characters() {
        let n = "Modicon M580 CPU (part numbers BMEP* and BMEH*)";
        assert_eq!(
            hits("Schneider Electric", n, "BMEP582040"),
            Some(IdLevel::Pattern)
        );
        assert_eq!(
            hits("Schneider Electric", n, "BMEH584040"),
            Some(IdLevel::Pattern)
        );
        assert_eq!(hits("Schneider Electric", n, "BMXP342020"), None);
        assert_eq!(
            hits("Omron", "CJ2H-CPU**(-EIP)", "CJ2H-CPU64-EIP"),
            Some(IdLevel::Pattern)
        );
        assert_eq!(
            hits("Omron", "CJ2H-CPU**(-EIP)", "CJ2H-CPU65"),
            Some(IdLevel::Pattern)
        );
        assert_eq!(
            hits("Omron", "CJ2M-CPU □ □", "CJ2M-CPU32"),
            Some(IdLevel::Pattern)
        );
        assert_eq!(hits("Omron", "CJ2M-CPU □ □", "CJ2M-CPU321"), None);
        assert_eq!(
            hits("Omron", "SYSMAC CS1D-CPU[][]S", "CS1D-CPU65S"),
            Some(IdLevel::Pattern)
        );
        assert_eq!(
            hits("Dahua", "DH-IPC-HFW1XXX", "DH-IPC-HFW1230"),
            Some(IdLevel::Pattern)
        );
        assert_eq!(
            hits("Mitsubishi", "M800VW (BND-2051W000-**)", "BND-2051W000-A1"),
            Some(IdLevel::Pattern)
        );
        // A real X in a Siemens order number is a letter, not a wildcard.
        let mut p = ProductName::parse("Siemens", "SIMATIC RTU3041C");
        p.add_helpers(&["6NH3112-4BB00-0XX0".into()], &[]);
        assert!(
            p.designators
                .iter()
                .any(|d| d.matches("6NH3112-4BB00-0XX0") == Some(IdLevel::Exact))
        );
        assert!(
            !p.designators
                .iter()
                .any(|d| d.matches("6NH3112-4BB00-0AB0").is_some())
        );
    }

    #[test]
    fn names_lose_vendor_filler_and_remarks() {
        let p = ProductName::parse("Omron", "Omron PLC NX1P2 series");
        assert_eq!(p.key, "plc nx1p2");
        let p = ProductName::parse("Omron", "NJ/NX-series Controllers and Software");
        assert_eq!(p.key, "nj/nx controllers");
        let p = ProductName::parse(
            "Mitsubishi Electric",
            "MELSEC iQ-L Series L08HCPU (sold in limited regions)",
        );
        assert_eq!(p.key, "melsec iq-l l08hcpu");
        let p = ProductName::parse(
            "Rockwell Automation",
            "FactoryTalk Linx, RSLinx Classic and Studio 5000",
        );
        assert_eq!(
            p.alternatives,
            ["factorytalk linx", "rslinx classic", "studio 5000"]
        );
        assert_eq!(
            asset_words("ＭＥＬＳＥＣ iQ-R シリーズ"),
            ["melsec", "iq-r", "シリーズ"]
        );
    }
}
