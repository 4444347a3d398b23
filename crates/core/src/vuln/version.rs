//! One version as advisories and asset registers write it, turned into a key that compares
//! the way vendors number their releases — never as text (`r18` < `r2` as text, not here).
//!
//! A [`Version`] has
//! - a **main part**: numbers and words in order (`V2.74C` → 2, 74, c; `15.2(4a)EA5` → 15, 2, 4,
//!   a, ea, 5). Numbers compare as numbers, missing numbers count as 0 (`1.0` = `1.0.0`), a word
//!   after the numbers is a later release (`2.74` < `2.74A` < `2.74C`, Mitsubishi's letter
//!   suffixes) unless it is a pre-release word (`alpha`, `beta`, `rc`, `pre`, `dev`).
//! - **qualifiers**, compared after the main part in a fixed order: release (`2016 R2`), feature
//!   pack (`FP2`), service pack (`SP3`), maintenance pack (`MP3`), update (`Update 2`, `Upd 5`),
//!   patch (`Patch 3`, `P014`), hot fix (`HF4`), build (`Build 683`). A missing qualifier is 0,
//!   so `V14` < `V14 SP1` < `V14 SP1 Update 10` < `V14 SP2`.
//! - or it is a **date** (`April/19/2023`, `8/30/2024`, `2019-09-21`, `January 20 2017`), which
//!   compares only with dates.
//!
//! Prefixes are dropped before parsing: `V`, `Ver.`, `Version`, `R` (Yokogawa), `SV`, `FW`,
//! `Firmware`, `Rev.`. Input is NFKC-folded first, so full-width digits work.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::text::fold_spaced;
use crate::codes;

/// A number or a word of a version's main part.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Piece {
    Num(u64),
    Word(String),
}

codes!(
    /// Parts of a version that refine the main part, in the order they are compared.
    Qualifier {
        /// `2016 R2`, `9.0 R2`.
        Release = "r",
        /// `1.2 FP2`.
        FeaturePack = "fp",
        /// `V14 SP3`, `2015 SP1`.
        ServicePack = "sp",
        /// `V2020.2.MP3`.
        MaintenancePack = "mp",
        /// `Update 2`, `Upd5`.
        Update = "update",
        /// `Patch 3`, `P014`.
        Patch = "patch",
        /// `HF4`, `Hotfix 2`.
        Hotfix = "hf",
        /// `Build 683`, `Build01`.
        Build = "build",
    }
);

/// A parsed version; see the module documentation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Version {
    /// A calendar date (year, month, day in `main`); compares only with other dates.
    pub date: bool,
    pub main: Vec<Piece>,
    /// At most one of each kind, in [`Qualifier`] order.
    pub qualifiers: Vec<(Qualifier, u64)>,
}

/// Words that mark a pre-release: such a word sorts before the release it precedes.
const PRE_RELEASE: [&str; 6] = ["alpha", "beta", "rc", "pre", "dev", "preview"];

/// Words written before a version number that do not belong to it.
const PREFIX_WORDS: [&str; 10] = [
    "version", "firmware", "ver.", "ver", "fw", "rev.", "rev", "release", "v.", "build",
];

pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

impl Version {
    /// Parses one version (an asset's firmware version, one bound of a range). `None` when the
    /// text is not a version kojo can compare: it must contain a number and nothing but numbers,
    /// letters, qualifiers and separators (`.`, `-`, `_`, `+`, `(`, `)`, spaces).
    pub fn parse(text: &str) -> Option<Version> {
        let s = fold_spaced(text);
        let s = s.trim_matches(|c: char| c == ',' || c == ';' || c == ':' || c == ' ');
        let s = s.strip_suffix('.').unwrap_or(s);
        if let Some(d) = parse_date(s) {
            return Some(d);
        }
        let s = strip_prefix(s);
        if s.starts_with(digit) {
            return parse_plain(s);
        }
        // A firmware line's name before the number (`MX-V4.4.1.56`, `QRTB_2.12.7`): dropped.
        if let Some((name, rest)) = s.split_once(['_', '-'])
            && name.chars().all(|c| c.is_ascii_alphanumeric())
            && rest.contains('.')
        {
            let rest = strip_prefix(rest);
            if rest.starts_with(digit) {
                return parse_plain(rest);
            }
        }
        // One or two letters glued to a dotted number (`C4.93`, `A1.5.3`): kept as a word,
        // since `A1.5.3` and `B1.2.4` are different series.
        let letters = s.len()
            - s.trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .len();
        if (1..=2).contains(&letters) && s[letters..].starts_with(digit) && s.contains('.') {
            return parse_plain(s);
        }
        None
    }

    /// Like [`Version::parse`], and also accepts a short version made of letters only (`LF`,
    /// `W`, `BT06`): Mitsubishi and others number hardware and firmware revisions with letters.
    /// Used for an asset's own version and after an explicit comparison sign in an advisory.
    pub fn parse_loose(text: &str) -> Option<Version> {
        if let Some(v) = Version::parse(text) {
            return Some(v);
        }
        let s = fold_spaced(text);
        let s = s.trim_matches(|c: char| c == ',' || c == ';' || c == ':' || c == ' ');
        let short = (1..=6).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '.');
        if !short {
            return None;
        }
        let runs = runs(s)?;
        let main = runs
            .iter()
            .filter(|r| r.0 != Run::Sep)
            .map(|(kind, text, _)| match kind {
                Run::Digits => text.parse().ok().map(Piece::Num),
                _ => Some(Piece::Word(text.to_string())),
            })
            .collect::<Option<Vec<Piece>>>()?;
        Some(Version {
            date: false,
            main,
            qualifiers: vec![],
        })
    }

    /// A version with numbers only (`[1, 2]` is 1.2).
    pub fn numeric(parts: &[u64]) -> Version {
        Version {
            date: false,
            main: parts.iter().map(|n| Piece::Num(*n)).collect(),
            qualifiers: vec![],
        }
    }

    /// Compares two versions; `None` when one is a date and the other is not.
    pub fn compare(&self, other: &Version) -> Option<Ordering> {
        if self.date != other.date {
            return None;
        }
        Some(compare_main(&self.main, &other.main).then_with(|| self.compare_qualifiers(other)))
    }

    fn compare_qualifiers(&self, other: &Version) -> Ordering {
        for q in Qualifier::ALL {
            let a = self.qualifier(*q).unwrap_or(0);
            let b = other.qualifier(*q).unwrap_or(0);
            match a.cmp(&b) {
                Ordering::Equal => {}
                o => return o,
            }
        }
        Ordering::Equal
    }

    /// The number of a qualifier, if the version has it.
    pub fn qualifier(&self, q: Qualifier) -> Option<u64> {
        self.qualifiers
            .iter()
            .find(|(k, _)| *k == q)
            .map(|(_, n)| *n)
    }

    /// The first number of the main part: the release train `V33.017` belongs to (33).
    pub fn train(&self) -> Option<u64> {
        match self.main.first() {
            Some(Piece::Num(n)) if !self.date => Some(*n),
            _ => None,
        }
    }

    /// The smallest version above every version starting with this one's main part: for the
    /// wildcard `12.2.*` (main part 12, 2) that is 12.3. `None` without a number to increase.
    pub fn next_prefix(&self) -> Option<Version> {
        let mut main = self.main.clone();
        while let Some(last) = main.pop() {
            if let Piece::Num(n) = last {
                main.push(Piece::Num(n.checked_add(1)?));
                return Some(Version {
                    date: self.date,
                    main,
                    qualifiers: vec![],
                });
            }
        }
        None
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sep = if self.date { "-" } else { "." };
        let mut prev_num = false;
        for (i, p) in self.main.iter().enumerate() {
            match p {
                Piece::Num(n) => {
                    if i > 0 {
                        f.write_str(sep)?;
                    }
                    write!(f, "{n}")?;
                    prev_num = true;
                }
                Piece::Word(w) => {
                    if i > 0 && !prev_num {
                        f.write_str(sep)?;
                    }
                    f.write_str(w)?;
                    prev_num = false;
                }
            }
        }
        for (q, n) in &self.qualifiers {
            write!(f, " {q}{n}")?;
        }
        Ok(())
    }
}

/// Drops `V`, `Ver.`, `R`, `SV`, `Firmware_` … in front of the number.
pub(crate) fn strip_prefix(s: &str) -> &str {
    let mut s = s.trim_start();
    loop {
        let before = s;
        for w in PREFIX_WORDS {
            if let Some(rest) = s.strip_prefix(w)
                && rest.starts_with(|c: char| c.is_ascii_digit() || " _.:".contains(c))
            {
                s = rest.trim_start_matches([' ', '_', '.', ':']);
            }
        }
        for p in ["sv", "v", "r"] {
            if let Some(rest) = s.strip_prefix(p)
                && (rest.starts_with(|c: char| c.is_ascii_digit())
                    || (p == "v" && rest.starts_with(" ") && rest[1..].starts_with(digit)))
            {
                s = rest.trim_start();
            }
        }
        if s == before {
            return s;
        }
    }
}

fn digit(c: char) -> bool {
    c.is_ascii_digit()
}

/// Kinds of characters a version's main part is cut into.
#[derive(Clone, Copy, PartialEq)]
enum Run {
    Digits,
    Letters,
    Sep,
}

fn run_of(c: char) -> Option<Run> {
    if c.is_ascii_digit() {
        Some(Run::Digits)
    } else if c.is_ascii_alphabetic() {
        Some(Run::Letters)
    } else if ".-_+(){} ".contains(c) {
        Some(Run::Sep)
    } else {
        None
    }
}

/// Cuts into (run kind, text, preceded by a separator).
fn runs(s: &str) -> Option<Vec<(Run, &str, bool)>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut kind: Option<Run> = None;
    let mut after_sep = false;
    for (i, c) in s.char_indices() {
        let k = run_of(c)?;
        if Some(k) != kind {
            if let Some(prev) = kind {
                if prev == Run::Sep {
                    after_sep = true;
                } else {
                    out.push((prev, &s[start..i], after_sep));
                    after_sep = false;
                }
            }
            start = i;
            kind = Some(k);
        }
    }
    if let Some(prev) = kind
        && prev != Run::Sep
    {
        out.push((prev, &s[start..], after_sep));
    }
    Some(out)
}

/// The qualifier a word names, if it does. Single letters count only after a separator.
fn qualifier_word(w: &str, after_sep: bool) -> Option<Qualifier> {
    Some(match w {
        "sp" | "servicepack" | "sr" => Qualifier::ServicePack,
        "fp" => Qualifier::FeaturePack,
        "mp" | "mr" => Qualifier::MaintenancePack,
        "update" | "upd" | "cu" | "qu" | "uc" => Qualifier::Update,
        "patch" => Qualifier::Patch,
        "hf" | "hotfix" => Qualifier::Hotfix,
        "build" => Qualifier::Build,
        "p" if after_sep => Qualifier::Patch,
        "r" if after_sep => Qualifier::Release,
        "u" if after_sep => Qualifier::Update,
        "b" if after_sep => Qualifier::Build,
        _ => return None,
    })
}

fn parse_plain(s: &str) -> Option<Version> {
    let runs = runs(s)?;
    let mut v = Version {
        date: false,
        main: Vec::new(),
        qualifiers: Vec::new(),
    };
    let mut i = 0;
    while i < runs.len() {
        let (kind, text, after_sep) = runs[i];
        match kind {
            Run::Digits => v.main.push(Piece::Num(text.parse().ok()?)),
            Run::Letters => {
                let next_num = runs.get(i + 1).filter(|r| r.0 == Run::Digits);
                match qualifier_word(text, after_sep) {
                    Some(q) if !v.main.is_empty() && v.qualifier(q).is_none() => {
                        // "Hotfix" without a number still comes after the plain release.
                        let n = match next_num {
                            Some(n) => {
                                i += 1;
                                n.1.parse().ok()?
                            }
                            None if text.len() > 1 => 1,
                            None => return None,
                        };
                        v.qualifiers.push((q, n));
                    }
                    _ if !v.qualifiers.is_empty() => return None,
                    // A longer word is a name or a remark, not part of a version number.
                    _ if text.len() > 2 && !PRE_RELEASE.contains(&text) => return None,
                    _ => v.main.push(Piece::Word(text.to_string())),
                }
            }
            Run::Sep => {}
        }
        i += 1;
    }
    v.qualifiers.sort_by_key(|(q, _)| *q);
    v.main
        .iter()
        .any(|p| matches!(p, Piece::Num(_)))
        .then_some(v)
}

fn compare_main(a: &[Piece], b: &[Piece]) -> Ordering {
    let n = a.len().max(b.len());
    for i in 0..n {
        let o = match (a.get(i), b.get(i)) {
            (Some(Piece::Num(x)), Some(Piece::Num(y))) => x.cmp(y),
            (Some(Piece::Word(x)), Some(Piece::Word(y))) => compare_words(x, y),
            (Some(Piece::Num(_)), Some(Piece::Word(w))) => {
                // A number is later than a letter (rpm's rule), and than a pre-release.
                let _ = w;
                Ordering::Greater
            }
            (Some(Piece::Word(_)), Some(Piece::Num(_))) => Ordering::Less,
            (Some(Piece::Num(x)), None) => x.cmp(&0),
            (None, Some(Piece::Num(y))) => 0.cmp(y),
            (Some(Piece::Word(w)), None) => word_vs_end(w),
            (None, Some(Piece::Word(w))) => word_vs_end(w).reverse(),
            (None, None) => Ordering::Equal,
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

fn compare_words(x: &str, y: &str) -> Ordering {
    let px = PRE_RELEASE.contains(&x);
    let py = PRE_RELEASE.contains(&y);
    match (px, py) {
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        _ => x.len().cmp(&y.len()).then_with(|| x.cmp(y)),
    }
}

/// A word where the other version has ended: a suffix letter is later (2.74C > 2.74), a
/// pre-release earlier (1.0beta < 1.0).
fn word_vs_end(w: &str) -> Ordering {
    if PRE_RELEASE.contains(&w) {
        Ordering::Less
    } else {
        Ordering::Greater
    }
}

/// `April/19/2023`, `april 19 2023`, `January 20, 2017`, `8/30/2024`, `2019-09-21`,
/// `2023/10/01`.
fn parse_date(s: &str) -> Option<Version> {
    let parts: Vec<&str> = s
        .split(['/', '-', ' ', ',', '_'])
        .filter(|p| !p.is_empty())
        .collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let month_word = MONTHS
        .iter()
        .position(|m| *a == *m || (a.len() >= 3 && m.starts_with(a)));
    let (y, m, d) = if let Some(m) = month_word {
        (c.parse().ok()?, u64::try_from(m + 1).ok()?, b.parse().ok()?)
    } else if a.len() == 4 && s.contains(['-', '/']) {
        (a.parse().ok()?, b.parse().ok()?, c.parse().ok()?)
    } else if c.len() == 4 && s.contains('/') {
        (c.parse().ok()?, a.parse().ok()?, b.parse().ok()?)
    } else {
        return None;
    };
    let valid = (1990..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d);
    valid.then(|| Version {
        date: true,
        main: vec![Piece::Num(y), Piece::Num(m), Piece::Num(d)],
        qualifiers: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap_or_else(|| panic!("{s:?} should parse"))
    }

    fn lt(a: &str, b: &str) {
        assert_eq!(v(a).compare(&v(b)), Some(Ordering::Less), "{a} < {b}");
        assert_eq!(v(b).compare(&v(a)), Some(Ordering::Greater), "{b} > {a}");
    }

    fn eq(a: &str, b: &str) {
        assert_eq!(v(a).compare(&v(b)), Some(Ordering::Equal), "{a} = {b}");
    }

    #[test]
    fn numbers_compare_as_numbers_not_text() {
        lt("r2", "r18");
        lt("V9.6.2", "V9.6.12");
        lt("1.9", "1.10");
        eq("1.0", "1.0.0");
        eq("V2.1", "2.1");
        eq("20.011", "20.11");
        lt("1.0", "1.0.1");
        eq("Ｖ２．１", "2.1");
    }

    #[test]
    fn letter_suffixes_are_ordered_releases() {
        lt("2.74", "2.74A");
        lt("2.74A", "2.74C");
        lt("1.215Z", "1.270G");
        lt("1.058L", "1.059A");
        lt("1.0beta", "1.0");
        lt("1.0rc1", "1.0");
    }

    #[test]
    fn prefixes_are_dropped() {
        eq("V6.2", "6.2");
        eq("R3.09.50", "3.09.50");
        eq("Ver. 2.1", "2.1");
        eq("SV4.10", "4.10");
        eq("firmware_05", "5");
        eq("FW 1.2", "1.2");
        eq("V 4.01", "4.01");
        eq("v.33.011", "33.11");
    }

    #[test]
    fn service_packs_updates_and_hotfixes_are_sub_segments() {
        lt("V14", "V14 SP1");
        lt("V14 SP1", "V14 SP1 Update 10");
        lt("V14 SP1 Update 10", "V14 SP2");
        lt("V14 SP1 Upd5", "V14 SP1 Update 6");
        lt("V4.7 HF29", "V4.7 SP1");
        lt("V5.6 SP2 HF3", "V5.6 SP2 HF4");
        lt("9.90_SP_6", "9.90_SP_7");
        lt("V2020.2.MP3", "V2020.2.MP4");
        lt("2016 R2", "2016 R3");
        lt("8.0 Patch 3", "8.0 Patch 10");
        lt("V3.15 P014", "V3.15 P020");
        lt("0.1.1.4 Build01", "0.1.1.4 Build02");
        assert_eq!(v("V14 SP1 Update 10").to_string(), "14 sp1 update10");
    }

    #[test]
    fn cisco_and_dashed_versions_compare_piecewise() {
        lt("15.2(4a)EA5", "15.2(4a)EA6");
        lt("15.2(4)EA5", "15.2(5)EA1");
        lt("2.4.2-r29", "2.4.2-r30");
        lt("7.00-20130619", "7.00-20141022");
    }

    #[test]
    fn dates_compare_only_with_dates() {
        lt("April/13/2023", "April/19/2023");
        lt("8/30/2024", "2024-09-01");
        lt("january 20 2017", "2017-01-21");
        assert_eq!(v("2019-09-21").compare(&v("1.2")), None);
        assert!(v("April/19/2023").date);
    }

    #[test]
    fn non_versions_are_refused() {
        for s in [
            "",
            "SCADA Web Server",
            "LNL-X3300",
            "ESP32",
            "n/a",
            "1.2/3",
            "*",
            "x.y",
        ] {
            assert_eq!(Version::parse(s), None, "{s:?}");
        }
    }

    #[test]
    fn wildcard_prefixes_have_a_next_version() {
        assert_eq!(v("12.2").next_prefix(), Some(v("12.3")));
        assert_eq!(v("14").next_prefix(), Some(v("15")));
        assert_eq!(v("33.017").train(), Some(33));
    }
}
