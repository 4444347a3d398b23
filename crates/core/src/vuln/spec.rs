//! Version expressions as advisories write them, parsed into a [`VersionSpec`]: a set of
//! [`Range`]s (any of which makes a version affected), the conditions written beside them, and
//! how much of the text was understood.
//!
//! The grammar, after NFKC folding and lower-casing:
//!
//! ```text
//! spec       := "vers:" scheme "/" body | body
//! body       := segment ( "|" segment )*            -- constraints pooled as in `vers`
//! segment    := subject* item+ condition?
//! item       := op? version-item | version-item "-" version-item | "all versions" | "*"
//!             | "prior to" v | "before" v | "up to" v | v "and prior" | v "and later"
//!             | "from" v "to" v | "between" v "and" v | v "through" v | v "to" v
//! op         := "<" | "<=" | "=<" | ">" | ">=" | "=>" | "=" | "=="
//! version-item := version                           -- see `version::Version`
//!             | version ("_" version)+              -- one bound per release train
//!             | version ("/" version)+              -- the same, written with slashes
//!             | version ".x" | version ".*" | version "x"   -- every version of a prefix
//! condition  := a parenthesised remark, or words after the items
//!               ("only when running on …", "(if VP6E5000 is installed)")
//! subject    := words before the items ("NMC2 <= 6.9.8")
//! ```
//!
//! Constraints of all segments are pooled and paired the way the `vers` specification pairs
//! them: sorted by version, each lower bound (`>`, `>=`) is closed by the next upper bound
//! (`<`, `<=`); an upper bound with no lower bound before it starts at the bottom, a lower bound
//! with none after it is open to the top. So `>= 1.215Z | <= 1.270G` is one interval and
//! `>= V6.2 < V7.1` the same thing written with a space. A bare version before an upper bound is
//! its lower bound (`All versions V14 < V14 SP3`); other bare versions are exact versions.
//!
//! Anything left over is kept: the spec is `Partial` (some ranges understood) or `Unparsed`
//! (none), and a match on it is never "not affected" on the strength of the part that was
//! understood alone.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::text::{fold_spaced, repair_mojibake};
use super::version::{MONTHS, Version};
use crate::codes;

/// One end of an interval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bound {
    pub version: Version,
    pub inclusive: bool,
}

/// A set of versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Range {
    /// Every version (`vers:all/*`, `All versions`).
    All,
    /// Between two bounds; `None` is open.
    Interval {
        lo: Option<Bound>,
        hi: Option<Bound>,
    },
    /// Exactly this version (the advisory lists versions one by one).
    Exact { version: Version },
    /// One upper bound per release train (`<V33.017_V34.014_V35.013`): a version is in the set
    /// when it is below the bound of its own train (its first number), or older than every
    /// train named.
    Trains { bounds: Vec<Bound> },
}

codes!(
    /// How much of a version expression kojo understood.
    ParseStatus {
        /// All of it (conditions are captured as text and count as understood).
        Parsed = "parsed",
        /// Some ranges, and some text that is neither a range nor a condition.
        Partial = "partial",
        /// Nothing usable: every match on it needs checking.
        Unparsed = "unparsed",
        /// The advisory gives no version at all.
        Missing = "missing",
    }
);

/// A parsed version expression. [`VersionSpec::parse`] never fails: what it cannot read is
/// reported through [`VersionSpec::status`] and [`VersionSpec::leftover`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionSpec {
    /// A version is in the spec when it is in any of these.
    pub ranges: Vec<Range>,
    /// Conditions written beside the versions, as written (folded): "(if VP6E5000 is
    /// installed)", "only when running on ROX II < V2.15.1", a subject such as "NMC2".
    pub conditions: Vec<String>,
    /// The CVEs the versions are restricted to ("only affected by CVE-2019-10943"), upper case;
    /// empty when the versions hold for every CVE of the product.
    pub cves: Vec<String>,
    pub status: ParseStatus,
    /// The parts that were neither a range nor a condition.
    pub leftover: Vec<String>,
}

codes!(
    /// Why a version check could not decide.
    Uncertain {
        /// The advisory's version text was not understood.
        Unparsed = "unparsed",
        /// Part of it was not understood.
        Partial = "partial",
        /// The advisory names a condition (an installed option, a platform, a setting).
        Condition = "condition",
        /// The asset has no version recorded.
        AssetVersionMissing = "asset_version_missing",
        /// The asset's version is not one kojo can compare.
        AssetVersionUnparsed = "asset_version_unparsed",
        /// A date compared with a version number, or the reverse.
        Incomparable = "incomparable",
        /// The advisory lists single versions and this one is not listed but older than one
        /// that is.
        UnlistedVersion = "unlisted_version",
        /// A release train between the trains the advisory names.
        UnknownTrain = "unknown_train",
    }
);

/// What a version check says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "result", content = "why", rename_all = "snake_case")]
pub enum Eval {
    Affected,
    NotAffected,
    Unknown(Uncertain),
}

impl Range {
    /// `Some(true)` when the version is in the set, `None` when that cannot be told.
    pub fn contains(&self, v: &Version) -> Option<bool> {
        match self {
            Range::All => Some(true),
            Range::Exact { version } => Some(version.compare(v)? == Ordering::Equal),
            Range::Interval { lo, hi } => {
                let above = match lo {
                    None => true,
                    Some(b) => above(v, b)?,
                };
                let below = match hi {
                    None => true,
                    Some(b) => below(v, b)?,
                };
                Some(above && below)
            }
            Range::Trains { bounds } => trains_contain(bounds, v),
        }
    }
}

fn above(v: &Version, b: &Bound) -> Option<bool> {
    let o = v.compare(&b.version)?;
    Some(o == Ordering::Greater || (b.inclusive && o == Ordering::Equal))
}

fn below(v: &Version, b: &Bound) -> Option<bool> {
    let o = v.compare(&b.version)?;
    Some(o == Ordering::Less || (b.inclusive && o == Ordering::Equal))
}

fn trains_contain(bounds: &[Bound], v: &Version) -> Option<bool> {
    let train = v.train()?;
    if let Some(b) = bounds.iter().find(|b| b.version.train() == Some(train)) {
        return below(v, b);
    }
    let trains: Vec<u64> = bounds.iter().filter_map(|b| b.version.train()).collect();
    let min = trains.iter().min()?;
    let max = trains.iter().max()?;
    if train < *min {
        Some(true)
    } else if train > *max {
        Some(false)
    } else {
        None
    }
}

impl VersionSpec {
    /// A spec for an advisory product that gives no version.
    pub fn missing() -> VersionSpec {
        VersionSpec {
            ranges: vec![],
            conditions: vec![],
            cves: vec![],
            status: ParseStatus::Missing,
            leftover: vec![],
        }
    }

    /// Parses a version expression; see the module documentation.
    pub fn parse(raw: &str) -> VersionSpec {
        let text = normalise(raw);
        let (mut body, mut conditions) = extract_parentheses(&text);
        if body.trim().is_empty() && conditions.len() == 1 {
            // The whole text in parentheses: "(Release 1.3.2 1.4.0 1.4.1)".
            body = conditions.remove(0);
        }
        if NOT_VERSIONS.iter().any(|w| body.contains(w)) {
            // Serial numbers or production dates, not versions: every version, on condition.
            conditions.insert(0, body.trim().to_string());
            return VersionSpec::finish(vec![Range::All], conditions, vec![]);
        }
        let mut leftover = Vec::new();
        let mut items = Vec::new();
        for segment in body.split('|') {
            let seg = interpret(&lex(segment));
            if seg.items.is_empty() {
                if !seg.subject.is_empty() || seg.condition.is_some() || !seg.bad.is_empty() {
                    leftover.push(segment.trim().to_string());
                }
                continue;
            }
            if !seg.subject.is_empty() {
                conditions.push(seg.subject.join(" "));
            }
            conditions.extend(seg.condition);
            leftover.extend(seg.bad);
            items.extend(seg.items);
        }
        let ranges = build_ranges(items, &mut leftover);
        VersionSpec::finish(ranges, conditions, leftover)
    }

    fn finish(
        ranges: Vec<Range>,
        mut conditions: Vec<String>,
        leftover: Vec<String>,
    ) -> VersionSpec {
        let status = if ranges.is_empty() {
            ParseStatus::Unparsed
        } else if leftover.is_empty() {
            ParseStatus::Parsed
        } else {
            ParseStatus::Partial
        };
        let cves = take_cve_restrictions(&mut conditions);
        VersionSpec {
            ranges,
            conditions,
            cves,
            status,
            leftover,
        }
    }

    /// Understood well enough to decide (conditions aside).
    pub fn is_parsed(&self) -> bool {
        self.status == ParseStatus::Parsed
    }

    /// Whether `version` (the asset's, parsed) is affected; `None` means the asset has no
    /// usable version. See `docs/vulnerabilities.md` for the rules.
    pub fn evaluate(&self, version: Option<&Version>) -> Eval {
        match self.status {
            ParseStatus::Unparsed | ParseStatus::Missing => {
                return Eval::Unknown(Uncertain::Unparsed);
            }
            ParseStatus::Parsed | ParseStatus::Partial => {}
        }
        let hedge = |e: Eval| match e {
            Eval::Affected if !self.conditions.is_empty() => Eval::Unknown(Uncertain::Condition),
            Eval::Affected | Eval::NotAffected if self.status == ParseStatus::Partial => {
                Eval::Unknown(Uncertain::Partial)
            }
            Eval::NotAffected if self.conditions.iter().any(|c| names_version(c)) => {
                Eval::Unknown(Uncertain::Condition)
            }
            e => e,
        };
        if self.ranges.iter().all(|r| *r == Range::All) {
            return hedge(Eval::Affected);
        }
        let Some(v) = version else {
            return Eval::Unknown(Uncertain::AssetVersionMissing);
        };
        let mut unknown = None;
        for r in &self.ranges {
            match r.contains(v) {
                Some(true) => return hedge(Eval::Affected),
                Some(false) => {}
                None if matches!(r, Range::Trains { .. }) => {
                    unknown = Some(Uncertain::UnknownTrain)
                }
                None => unknown = Some(Uncertain::Incomparable),
            }
        }
        if let Some(u) = unknown {
            return Eval::Unknown(u);
        }
        if self.newer_than_listed(v) == Some(false) {
            return Eval::Unknown(Uncertain::UnlistedVersion);
        }
        hedge(Eval::NotAffected)
    }

    /// For a spec of exact versions only: whether `v` is newer than all of them.
    fn newer_than_listed(&self, v: &Version) -> Option<bool> {
        let mut newest: Option<&Version> = None;
        for r in &self.ranges {
            let Range::Exact { version } = r else {
                return None;
            };
            if newest.is_none_or(|n| version.compare(n) == Some(Ordering::Greater)) {
                newest = Some(version);
            }
        }
        Some(v.compare(newest?)? == Ordering::Greater)
    }
}

fn digit(c: char) -> bool {
    c.is_ascii_digit()
}

/// A condition that mentions a version (`or Software Version 1.1.13166`) may add versions to
/// the set, so a version outside the ranges is not "not affected" on its strength.
fn names_version(condition: &str) -> bool {
    condition
        .split([' ', ',', ';', '/'])
        .any(|t| matches!(classify(t.trim_matches(['(', ')'])), Tok::Ver(_)))
}

/// Phrases that show a "version" is about serial numbers or production dates.
const NOT_VERSIONS: [&str; 2] = ["serial n", "production date"];

/// Conditions that only say which CVEs the versions are for ("only affected by CVE-…"): taken
/// out of the conditions and returned as CVE ids.
fn take_cve_restrictions(conditions: &mut Vec<String>) -> Vec<String> {
    let mut cves = Vec::new();
    conditions.retain(|c| {
        let found: Vec<String> = c
            .split(|ch: char| ch.is_whitespace() || ch == ',' || ch == ';')
            .filter(|w| is_cve(w))
            .map(str::to_uppercase)
            .collect();
        let rest_is_filler = c
            .split(|ch: char| ch.is_whitespace() || ch == ',' || ch == ';')
            .all(|w| {
                w.is_empty() || is_cve(w) || ["only", "affected", "by", "and", "to"].contains(&w)
            });
        if found.is_empty() || !rest_is_filler {
            return true;
        }
        cves.extend(found);
        false
    });
    cves
}

/// `cve-2019-10943` (folded).
fn is_cve(w: &str) -> bool {
    let mut parts = w.split('-');
    parts.next() == Some("cve")
        && parts
            .next()
            .is_some_and(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()))
        && parts
            .next()
            .is_some_and(|n| n.len() >= 4 && n.chars().all(|c| c.is_ascii_digit()))
        && parts.next().is_none()
}

/// Folded, with dashes, comparison signs and the `vers:` scheme made uniform.
fn normalise(raw: &str) -> String {
    let mut s = fold_spaced(&repair_mojibake(raw));
    for (from, to) in [
        ("\u{2014}", " - "),
        ("\u{2013}", " - "),
        ("\u{2010}", "-"),
        ("\u{2212}", "-"),
        ("\u{2264}", "<="),
        ("\u{2265}", ">="),
        ("=<", "<="),
        ("=>", ">="),
        ("==", "="),
        ("\"", ""),
    ] {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    if let Some(rest) = s.strip_prefix("vers:")
        && let Some((_, body)) = rest.split_once('/')
    {
        s = body.to_string();
    }
    if s.contains('_') {
        s = s.split(' ').map(unglue_prose).collect::<Vec<_>>().join(" ");
    }
    s
}

/// `the_first_5_digits_of_serial_number_22031` → words: a token whose underscores join two or
/// more words of three letters or more is prose, not a version (`9.90_sp_6` stays as it is).
fn unglue_prose(token: &str) -> String {
    let words = token
        .split('_')
        .filter(|p| p.len() >= 3 && p.chars().all(|c| c.is_ascii_alphabetic()))
        .count();
    if words >= 2 {
        token.replace('_', " ")
    } else {
        token.to_string()
    }
}

/// Removes parenthesised remarks (kept as conditions). A parenthesis glued to the text before it
/// is part of a name or version (`15.2(4a)EA5`); one that wraps a single version right after a
/// comparison sign (`<=(R4.10)`) is unwrapped.
fn extract_parentheses(s: &str) -> (String, Vec<String>) {
    let mut body = String::with_capacity(s.len());
    let mut conditions = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find(['(', '[', '{']) {
        let before = &rest[..open];
        let glued = before.ends_with(|c: char| c.is_alphanumeric() || c == '.');
        let close = matching_close(&rest[open..]).map(|c| c + open);
        body.push_str(before);
        let Some(close) = close else {
            if glued {
                body.push_str(&rest[open..]);
            } else {
                conditions.push(rest[open + 1..].trim().to_string());
            }
            return (body, conditions);
        };
        let inner = &rest[open + 1..close];
        let after_op = before.trim_end().ends_with(['<', '>', '=']);
        if glued {
            body.push_str(&rest[open..=close]);
        } else if after_op && Version::parse(inner).is_some() {
            body.push_str(inner);
        } else if ["including", "inclusive", "included"].contains(&inner.trim()) {
            body.push(' ');
        } else if ["excluding", "exclusive", "excluded"].contains(&inner.trim()) {
            body.push_str(" excluding ");
        } else if !inner.trim().is_empty() {
            conditions.push(inner.trim().to_string());
            body.push(' ');
        }
        rest = &rest[close + 1..];
    }
    body.push_str(rest);
    (body, conditions)
}

/// The byte offset of the bracket closing the one `s` starts with.
fn matching_close(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Op(Op),
    /// Text starting with a number (or a version prefix and a number), or a date.
    Ver(String),
    Word(String),
    Comma,
    Dash,
    Slash,
    Star,
}

/// Cuts a segment into tokens; a version absorbs the qualifiers written after it
/// (`V14 SP1 Update 10` is one token).
fn lex(segment: &str) -> Vec<Tok> {
    let mut raw = Vec::new();
    let mut rest = segment;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let (tok, len) = lex_one(rest);
        raw.push(tok);
        rest = &rest[len..];
    }
    merge(raw)
}

fn lex_one(s: &str) -> (Tok, usize) {
    for (text, op) in [
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("<", Op::Lt),
        (">", Op::Gt),
        ("=", Op::Eq),
    ] {
        if s.starts_with(text) {
            return (Tok::Op(op), text.len());
        }
    }
    let standalone = |len: usize| s[len..].is_empty() || s[len..].starts_with(' ');
    if s.starts_with(',') || s.starts_with(';') {
        return (Tok::Comma, 1);
    }
    if let Some(rest) = s.strip_prefix('-')
        && (standalone(1) || rest.starts_with(|c: char| c.is_ascii_digit() || c == 'v'))
    {
        return (Tok::Dash, 1);
    }
    if s.starts_with('/') && standalone(1) {
        return (Tok::Slash, 1);
    }
    if s.starts_with('*') && standalone(1) {
        return (Tok::Star, 1);
    }
    let end = s
        .find(|c: char| c.is_whitespace() || "<>=,;".contains(c))
        .unwrap_or(s.len());
    let end = end.max(s.chars().next().map_or(1, char::len_utf8));
    let word = s[..end].trim_end_matches('.');
    let word = if word.is_empty() { &s[..end] } else { word };
    (classify(word), end)
}

fn classify(word: &str) -> Tok {
    let versionish =
        super::version::strip_prefix(word).starts_with(digit) || Version::parse(word).is_some();
    if versionish {
        Tok::Ver(word.to_string())
    } else {
        Tok::Word(word.to_string())
    }
}

/// Joins dates written as words (`january 20 2017`) and qualifiers written apart from their
/// version (`v14 sp1 update 10`) into one version token.
fn merge(raw: Vec<Tok>) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if let Some((date, used)) = word_date(&raw[i..]) {
            out.push(Tok::Ver(date));
            i += used;
            continue;
        }
        if let (Some(Tok::Ver(v)), Tok::Word(w)) = (out.last_mut(), &raw[i])
            && is_qualifier_word(w)
        {
            v.push(' ');
            v.push_str(w);
            if let Some(Tok::Ver(n)) = raw.get(i + 1)
                && n.chars().all(|c| c.is_ascii_digit())
                && !w.ends_with(digit)
            {
                v.push(' ');
                v.push_str(n);
                i += 1;
            }
            i += 1;
            continue;
        }
        out.push(raw[i].clone());
        i += 1;
    }
    out
}

/// `sp`, `sp1`, `update`, `upd5`, `hf4`, `patch`, `p014`, `fp2`, `mp3`, `r2`, `build`, `build01`.
fn is_qualifier_word(w: &str) -> bool {
    let letters = w.trim_end_matches(|c: char| c.is_ascii_digit());
    let has_number = letters.len() < w.len();
    match letters {
        "sp" | "update" | "upd" | "hf" | "patch" | "fp" | "mp" | "build" | "hotfix" | "cu"
        | "qu" | "uc" | "sr" | "mr" => true,
        "p" | "r" | "u" => has_number,
        _ => false,
    }
}

/// A month name, a day and a year as three tokens (commas allowed between).
fn word_date(toks: &[Tok]) -> Option<(String, usize)> {
    let Tok::Word(m) = toks.first()? else {
        return None;
    };
    let mut parts = vec![m.as_str()];
    let mut used = 1;
    for t in &toks[1..] {
        match t {
            Tok::Comma => used += 1,
            Tok::Ver(n) if parts.len() < 3 && n.chars().all(|c| c.is_ascii_digit()) => {
                parts.push(n);
                used += 1;
                if parts.len() == 3 {
                    break;
                }
            }
            _ => break,
        }
    }
    let text = parts.join(" ");
    (parts.len() == 3 && Version::parse(&text).is_some_and(|v| v.date)).then_some((text, used))
}

/// One understood piece of a segment.
#[derive(Debug, Clone)]
enum Item {
    Cmp(Op, Version),
    Exact(Version),
    /// Every version starting with this prefix; with the operator written before it.
    Wild(Option<Op>, Version),
    Trains(Op, Vec<Version>),
    /// From the first to the second, the second included when the flag is set.
    Span(Version, Version, bool),
    All,
}

#[derive(Default)]
struct Segment {
    items: Vec<Item>,
    subject: Vec<String>,
    condition: Option<String>,
    bad: Vec<String>,
}

/// Words that only say "versions" or join items.
const FILLER: [&str; 13] = [
    "all",
    "versions",
    "version",
    "and",
    "or",
    "inclusive",
    "included",
    "including",
    "incl",
    "&",
    "the",
    "firmware",
    "software",
];
/// Words that start a condition ("only when running on …", "with option G28").
const CONDITION: [&str; 20] = [
    "with", "without", "when", "if", "only", "running", "using", "used", "on", "where", "that",
    "for", "in", "could", "may", "unless", "except", "via", "under", "requires",
];
const BELOW: [&str; 9] = [
    "prior", "before", "earlier", "older", "below", "lower", "less", "until", "till",
];
const ABOVE: [&str; 9] = [
    "later", "newer", "above", "higher", "after", "onwards", "onward", "greater", "upwards",
];
const PREFIXES: [&str; 8] = [
    "ver", "ver.", "fw", "release", "rev", "rev.", "build", "revision",
];

fn interpret(toks: &[Tok]) -> Segment {
    let mut seg = Segment::default();
    let mut st = State::default();
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Tok::Op(op) => st.op = Some(*op),
            Tok::Ver(text) => st.version(text, &mut seg),
            Tok::Dash => st.span = true,
            Tok::Slash => st.train = true,
            Tok::Star => {
                if seg.items.is_empty() {
                    seg.items.push(Item::All);
                }
            }
            Tok::Comma => st.op = None,
            Tok::Word(w) if st.op.is_some() && Version::parse_loose(w).is_some() => {
                st.version(w, &mut seg);
            }
            Tok::Word(w) => {
                if let Some(skip) = st.word(w, toks.get(i + 1), &mut seg) {
                    i += skip;
                } else if MONTHS.contains(&w.as_str()) {
                    seg.bad.push(w.clone());
                } else if seg.items.is_empty()
                    && !CONDITION.contains(&w.as_str())
                    && (!st.saw_all
                        || toks[i..]
                            .iter()
                            .any(|t| matches!(t, Tok::Op(_) | Tok::Ver(_))))
                {
                    seg.subject.push(w.clone());
                } else {
                    if seg.items.is_empty() {
                        seg.items.push(Item::All);
                    }
                    seg.condition = Some(join(&toks[i..]));
                    break;
                }
            }
        }
        i += 1;
    }
    if seg.items.is_empty() && st.saw_all && seg.subject.is_empty() {
        seg.items.push(Item::All);
    }
    seg
}

fn join(toks: &[Tok]) -> String {
    let words: Vec<String> = toks
        .iter()
        .map(|t| match t {
            Tok::Op(Op::Lt) => "<".into(),
            Tok::Op(Op::Le) => "<=".into(),
            Tok::Op(Op::Gt) => ">".into(),
            Tok::Op(Op::Ge) => ">=".into(),
            Tok::Op(Op::Eq) => "=".into(),
            Tok::Ver(s) | Tok::Word(s) => s.clone(),
            Tok::Comma => ",".into(),
            Tok::Dash => "-".into(),
            Tok::Slash => "/".into(),
            Tok::Star => "*".into(),
        })
        .collect();
    words.join(" ")
}

/// What the words read so far in a segment have set up for the next version.
#[derive(Default)]
struct State {
    op: Option<Op>,
    /// The next version closes a span started by the last one (`a - b`, `a to b`).
    span: bool,
    /// The next version is another train of the last comparison (`<= 2.0.11 / 3.0.11`).
    train: bool,
    /// `between a and b`.
    between: bool,
    saw_all: bool,
}

impl State {
    fn version(&mut self, text: &str, seg: &mut Segment) {
        // After a comparison sign a version of letters only is a version (`<=LF`, `<= K`).
        let loose = || {
            self.op
                .and_then(|_| Version::parse_loose(text))
                .map(VerItem::One)
        };
        let Some(parsed) = version_item(text).or_else(loose) else {
            seg.bad.push(text.to_string());
            self.op = None;
            return;
        };
        let op = self.op.take();
        let (span, train) = (self.span, self.train);
        self.span = self.between;
        self.between = false;
        self.train = false;
        let new = match (parsed, seg.items.last_mut()) {
            (VerItem::One(b), Some(last @ Item::Exact(_))) if span && op.is_none() => {
                if let Item::Exact(a) = std::mem::replace(last, Item::All) {
                    *last = Item::Span(a, b, true);
                }
                return;
            }
            (VerItem::One(b), Some(last @ Item::Cmp(..))) if train => {
                if let Item::Cmp(o, a) = std::mem::replace(last, Item::All) {
                    *last = Item::Trains(o, vec![a, b]);
                }
                return;
            }
            (VerItem::One(b), Some(Item::Trains(_, list))) if train => {
                list.push(b);
                return;
            }
            (VerItem::One(v), _) => match op {
                None | Some(Op::Eq) => Item::Exact(v),
                Some(o) => Item::Cmp(o, v),
            },
            (VerItem::Wild(v), _) => Item::Wild(op, v),
            (VerItem::Trains(list), _) => Item::Trains(op.unwrap_or(Op::Lt), list),
            (VerItem::Span(a, b), _) => Item::Span(a, b, true),
        };
        seg.items.push(new);
    }

    /// Handles a word; `Some(n)` when it was understood (n more tokens consumed), `None` when it
    /// is not part of the version grammar.
    fn word(&mut self, w: &str, next: Option<&Tok>, seg: &mut Segment) -> Option<usize> {
        let next_word = match next {
            Some(Tok::Word(n)) => Some(n.as_str()),
            _ => None,
        };
        let last_exact = matches!(seg.items.last(), Some(Item::Exact(_)));
        if (w == "and" || w == "or") && last_exact {
            if let Some(n) = next_word
                && (BELOW.contains(&n) || ABOVE.contains(&n))
            {
                self.reopen_last(seg, BELOW.contains(&n));
                return Some(1);
            }
            if self.span {
                return Some(0);
            }
        }
        if w == "all" {
            self.saw_all = true;
        }
        if FILLER.contains(&w) || PREFIXES.contains(&w) {
            return Some(0);
        }
        if (BELOW.contains(&w) || ABOVE.contains(&w)) && last_exact && self.op.is_none() {
            self.reopen_last(seg, BELOW.contains(&w));
            return Some(0);
        }
        let skip_to = usize::from(matches!(next_word, Some("to" | "than")));
        if BELOW.contains(&w) {
            self.op = Some(if w == "until" || w == "till" {
                Op::Le
            } else {
                Op::Lt
            });
            return Some(skip_to);
        }
        match w {
            "up" if next_word == Some("to") => {
                self.op = Some(Op::Le);
                Some(1)
            }
            "to" | "through" | "thru" if last_exact && self.op.is_none() => {
                self.span = true;
                Some(0)
            }
            "to" | "through" | "thru" => {
                self.op = Some(Op::Le);
                Some(0)
            }
            "from" | "since" | "starting" => {
                self.op = Some(Op::Ge);
                Some(usize::from(next_word == Some("with")))
            }
            "between" => {
                self.between = true;
                Some(0)
            }
            "x" if !seg.items.is_empty() => Some(0),
            "excluding" => exclude_last(seg).then_some(0),
            _ => None,
        }
    }

    /// Turns the last exact version into an upper (`and prior`) or lower (`and later`) bound.
    fn reopen_last(&mut self, seg: &mut Segment, upper: bool) {
        if let Some(last) = seg.items.last_mut()
            && let Item::Exact(v) = last
        {
            let v = v.clone();
            *last = Item::Cmp(if upper { Op::Le } else { Op::Ge }, v);
        }
    }
}

/// `a (including) and b (excluding)`: the last span, or the last two exact versions, become a
/// span without its upper end. False when there is nothing to exclude.
fn exclude_last(seg: &mut Segment) -> bool {
    let n = seg.items.len();
    match seg.items.as_mut_slice() {
        [.., Item::Span(_, _, hi)] => {
            *hi = false;
            true
        }
        [.., Item::Exact(a), Item::Exact(b)] => {
            let span = Item::Span(a.clone(), b.clone(), false);
            seg.items.truncate(n - 2);
            seg.items.push(span);
            true
        }
        _ => false,
    }
}

enum VerItem {
    One(Version),
    Wild(Version),
    Trains(Vec<Version>),
    Span(Version, Version),
}

/// Reads one version token: a version, a wildcard prefix, trains or a dashed span.
fn version_item(text: &str) -> Option<VerItem> {
    let plain = Version::parse(text);
    if let Some(v) = plain.as_ref().filter(|v| v.date) {
        return Some(VerItem::One(v.clone()));
    }
    if let Some(list) = trains(text) {
        return Some(VerItem::Trains(list));
    }
    if let Some(s) = span(text) {
        return Some(s);
    }
    if let Some(prefix) = wildcard_prefix(text) {
        return Version::parse(prefix).map(VerItem::Wild);
    }
    plain.map(VerItem::One)
}

/// `12.2.*`, `14.x`, `2.3.X`, `7.4x`, `12.6.*` → the prefix before the wildcard.
fn wildcard_prefix(text: &str) -> Option<&str> {
    for suffix in [".*", ".x", "*"] {
        if let Some(p) = text.strip_suffix(suffix)
            && p.ends_with(digit)
        {
            return Some(p);
        }
    }
    None
}

/// `v33.017_v34.014_v35.013` or `2.0.11/3.0.11`: one bound per train.
fn trains(text: &str) -> Option<Vec<Version>> {
    let parts: Vec<&str> = if text.contains("_v") || text.contains("_r") {
        text.split('_').collect()
    } else if text.contains('/') {
        text.split('/').collect()
    } else {
        return None;
    };
    let list: Option<Vec<Version>> = parts.iter().map(|p| Version::parse(p)).collect();
    let list = list?;
    let mut seen = std::collections::HashSet::new();
    let distinct = list
        .iter()
        .all(|v| v.train().is_some_and(|t| seen.insert(t)));
    (list.len() >= 2 && distinct).then_some(list)
}

/// `13.2.1-13.2.4`: two versions with dots, the first below the second.
fn span(text: &str) -> Option<VerItem> {
    for (i, _) in text.match_indices('-') {
        let (a, b) = (&text[..i], &text[i + 1..]);
        if !a.contains('.') || !b.contains('.') {
            continue;
        }
        if let (Some(va), Some(vb)) = (Version::parse(a), Version::parse(b))
            && va.compare(&vb) == Some(Ordering::Less)
        {
            return Some(VerItem::Span(va, vb));
        }
    }
    None
}

/// Turns the items of all segments into ranges (see the module documentation for the pairing).
fn build_ranges(items: Vec<Item>, leftover: &mut Vec<String>) -> Vec<Range> {
    let mut ranges = Vec::new();
    let mut cmps: Vec<(Op, Version)> = Vec::new();
    let mut iter = items.into_iter().peekable();
    while let Some(item) = iter.next() {
        match item {
            Item::All => ranges.push(Range::All),
            Item::Exact(v) => {
                let next_is_upper = matches!(
                    iter.peek(),
                    Some(Item::Cmp(Op::Lt | Op::Le, _) | Item::Trains(..))
                );
                if next_is_upper {
                    cmps.push((Op::Ge, v));
                } else {
                    ranges.push(Range::Exact { version: v });
                }
            }
            Item::Cmp(op, v) => cmps.push((op, v)),
            Item::Span(a, b, hi) => ranges.push(interval(Some((a, true)), Some((b, hi)))),
            Item::Wild(op, p) => wild(op, p, &mut ranges, &mut cmps, leftover),
            Item::Trains(op, list) => match op {
                Op::Lt | Op::Le => ranges.push(Range::Trains {
                    bounds: list
                        .into_iter()
                        .map(|version| Bound {
                            version,
                            inclusive: op == Op::Le,
                        })
                        .collect(),
                }),
                _ => leftover.push("trains with a lower bound".into()),
            },
        }
    }
    pair(cmps, &mut ranges);
    ranges
}

fn interval(lo: Option<(Version, bool)>, hi: Option<(Version, bool)>) -> Range {
    let bound = |(version, inclusive)| Bound { version, inclusive };
    Range::Interval {
        lo: lo.map(bound),
        hi: hi.map(bound),
    }
}

fn wild(
    op: Option<Op>,
    p: Version,
    ranges: &mut Vec<Range>,
    cmps: &mut Vec<(Op, Version)>,
    leftover: &mut Vec<String>,
) {
    let Some(next) = p.next_prefix() else {
        leftover.push(p.to_string());
        return;
    };
    match op {
        None | Some(Op::Eq) => ranges.push(interval(Some((p, true)), Some((next, false)))),
        Some(Op::Ge) => cmps.push((Op::Ge, p)),
        Some(Op::Gt) => cmps.push((Op::Ge, next)),
        Some(Op::Lt) => cmps.push((Op::Lt, p)),
        Some(Op::Le) => cmps.push((Op::Lt, next)),
    }
}

/// The `vers` pairing of comparisons into intervals, dates and version numbers apart.
fn pair(cmps: Vec<(Op, Version)>, ranges: &mut Vec<Range>) {
    let (dates, numbers): (Vec<_>, Vec<_>) = cmps.into_iter().partition(|(_, v)| v.date);
    for mut group in [dates, numbers] {
        // Sorted by version; at equal versions a lower bound comes first so `>= a | <= a` is
        // [a, a].
        group.sort_by(|a, b| {
            a.1.compare(&b.1)
                .unwrap_or(Ordering::Equal)
                .then_with(|| is_lower(b.0).cmp(&is_lower(a.0)))
        });
        let mut open: Option<(Version, bool)> = None;
        let mut out: Vec<Range> = Vec::new();
        for (op, v) in group {
            let inclusive = matches!(op, Op::Le | Op::Ge | Op::Eq);
            if is_lower(op) {
                if open.is_none() {
                    open = Some((v, inclusive));
                }
                continue;
            }
            match (open.take(), out.last_mut()) {
                (Some(lo), _) => out.push(interval(Some(lo), Some((v, inclusive)))),
                (None, Some(Range::Interval { hi: Some(hi), .. })) => {
                    *hi = Bound {
                        version: v,
                        inclusive,
                    };
                }
                (None, _) => out.push(interval(None, Some((v, inclusive)))),
            }
        }
        if let Some(lo) = open {
            out.push(interval(Some(lo), None));
        }
        ranges.extend(out);
    }
}

fn is_lower(op: Op) -> bool {
    matches!(op, Op::Gt | Op::Ge)
}

#[cfg(test)]
mod tests;
