//! The plant model's content (`plant/*.toml`): labels of every code, what each finding means and
//! which checklist items fix it, the threat of each entry point with the items that counter it,
//! and the asset register's vocabulary. Checked against the codes in `kojo_core` so that a code
//! added there without words here, or a word for a code that does not exist, fails the check.

use std::collections::{BTreeSet, HashMap, HashSet};

use kojo_core::checklist::Checklist;
use kojo_core::ids::AssetId;
use kojo_core::plant::catalog::{FindingText, Label, Labels, Register, RegisterColumn};
use kojo_core::plant::routes::EntryPoint;
use kojo_core::plant::{
    Asset, AssetKind, AssetStatus, ConduitKind, Damage, Direction, Exposure, Importance, Rule,
    ZonePurpose,
};
use kojo_core::risk::{Level, Threat};
use serde::{Deserialize, Serialize};

use crate::fold::fold;
use crate::{Catalog, ContentError, ContentErrors};

pub(crate) const LABELS: &str = "plant/labels.toml";
pub(crate) const FINDINGS: &str = "plant/findings.toml";
pub(crate) const THREATS: &str = "plant/threats.toml";
pub(crate) const REGISTER: &str = "plant/register.toml";

/// The checklist whose items findings and threats link to.
pub const FACTORY_CHECKLIST: &str = "factory-guideline";

/// The register fields besides the asset's own that take more than one word: yes/no columns
/// share the `flag` vocabulary.
pub const VALUE_FIELDS: [&str; 3] = ["kind", "status", "flag"];

/// The codes of the `flag` vocabulary.
pub const FLAG_CODES: [&str; 2] = ["yes", "no"];

/// Everything under `plant/`.
#[derive(Debug, Clone, Serialize)]
pub struct PlantContent {
    pub labels: Labels,
    /// One per finding rule.
    pub findings: Vec<FindingText>,
    /// One per entry point.
    pub threats: Vec<Threat>,
    pub register: Register,
}

impl PlantContent {
    pub fn finding(&self, rule: Rule) -> Option<&FindingText> {
        self.findings.iter().find(|f| f.rule == rule)
    }

    pub fn threat(&self, entry: EntryPoint) -> Option<&Threat> {
        self.threats.iter().find(|t| t.entry == entry)
    }

    /// Each rule's checklist items, as `kojo_core::risk::findings_by_item` takes them.
    pub fn finding_items(&self) -> HashMap<Rule, Vec<String>> {
        self.findings
            .iter()
            .map(|f| (f.rule, f.items.clone()))
            .collect()
    }

    /// The register column a header names (kojo's header in either language or a synonym),
    /// compared after [`fold`](crate::fold).
    pub fn column(&self, header: &str) -> Option<&RegisterColumn> {
        let wanted = fold(header);
        if wanted.is_empty() {
            return None;
        }
        self.register
            .columns
            .iter()
            .find(|c| column_words(c).any(|w| fold(w) == wanted))
    }

    /// The code a cell word stands for in `field` (`kind`, `status` or `flag`), compared after
    /// folding. The code itself is accepted too.
    pub fn value_code(&self, field: &str, word: &str) -> Option<&str> {
        let wanted = fold(word);
        let vocabulary = self.register.values.iter().find(|v| v.field == field)?;
        vocabulary
            .values
            .iter()
            .find(|v| fold(&v.code) == wanted || v.words.iter().any(|w| fold(w) == wanted))
            .map(|v| v.code.as_str())
    }
}

/// kojo's headers and the synonyms of a column.
fn column_words(c: &RegisterColumn) -> impl Iterator<Item = &str> {
    [c.header.ja.as_str(), c.header.en.as_str()]
        .into_iter()
        .chain(c.synonyms.iter().map(String::as_str))
}

/// `plant/findings.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FindingsFile {
    pub findings: Vec<FindingText>,
}

/// `plant/threats.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ThreatsFile {
    pub threats: Vec<Threat>,
}

/// The fields of an asset a register column can fill, read from the model itself so that a new
/// field in `kojo_core::plant::Asset` needs a column here.
pub fn asset_fields() -> Vec<String> {
    let asset = Asset::new(AssetId::new(0), "", AssetKind::Other);
    serde_json::to_value(asset)
        .ok()
        .and_then(|v| v.as_object().map(|o| o.keys().cloned().collect()))
        .unwrap_or_default()
}

pub(crate) fn validate(cat: &Catalog, errors: &mut ContentErrors) {
    labels(&cat.plant.labels, errors);
    let checklist = cat.latest_checklist(FACTORY_CHECKLIST);
    if checklist.is_none() {
        for file in [FINDINGS, THREATS] {
            errors.push(ContentError::file(
                file,
                format!("links to checklists/{FACTORY_CHECKLIST}, which is missing"),
            ));
        }
    }
    findings(&cat.plant.findings, checklist, errors);
    threats(&cat.plant.threats, checklist, errors);
    register(&cat.plant.register, errors);
}

/// The codes of an enum of `kojo_core` and a test of whether a text is one.
struct Codes {
    all: Vec<&'static str>,
    known: fn(&str) -> bool,
}

macro_rules! codes_of {
    ($ty:ty) => {
        Codes {
            all: <$ty>::ALL.iter().map(|c| c.as_str()).collect(),
            known: |s: &str| <$ty>::parse(s).is_some(),
        }
    };
}

fn labels(l: &Labels, errors: &mut ContentErrors) {
    let lists: [(&str, &[Label], Codes); 10] = [
        ("importance", &l.importance, codes_of!(Importance)),
        ("damages", &l.damages, codes_of!(Damage)),
        ("zone_purposes", &l.zone_purposes, codes_of!(ZonePurpose)),
        ("exposures", &l.exposures, codes_of!(Exposure)),
        ("conduit_kinds", &l.conduit_kinds, codes_of!(ConduitKind)),
        ("directions", &l.directions, codes_of!(Direction)),
        ("asset_kinds", &l.asset_kinds, codes_of!(AssetKind)),
        ("asset_statuses", &l.asset_statuses, codes_of!(AssetStatus)),
        ("entry_points", &l.entry_points, codes_of!(EntryPoint)),
        ("risk_levels", &l.risk_levels, codes_of!(Level)),
    ];
    for (list, labels, codes) in lists {
        label_codes(list, labels, &codes, errors);
    }
    // The importance levels carry the guideline's meaning; a bare "1/2/3" would not do.
    for label in &l.importance {
        if label.description.is_none() {
            errors.push(ContentError::entry(
                LABELS,
                format!("importance {}", label.code),
                "needs a description (what the level means for a business process)",
            ));
        }
    }
}

/// Every code of `all` has exactly one label, and every label names a code.
fn label_codes(list: &str, labels: &[Label], codes: &Codes, errors: &mut ContentErrors) {
    let all = &codes.all;
    let mut seen = HashSet::new();
    for label in labels {
        let entry = format!("{list} {}", label.code);
        if !(codes.known)(&label.code) {
            errors.push(ContentError::entry(
                LABELS,
                &entry,
                format!("unknown code {:?} (expected one of {all:?})", label.code),
            ));
        } else if !seen.insert(label.code.as_str()) {
            errors.push(ContentError::entry(LABELS, &entry, "labelled twice"));
        }
    }
    for code in all {
        if !seen.contains(code) {
            errors.push(ContentError::entry(
                LABELS,
                list,
                format!("no label for code {code:?}"),
            ));
        }
    }
}

/// Problems with a list of checklist item ids.
fn item_links(
    file: &str,
    entry: &str,
    role: &str,
    items: &[String],
    checklist: Option<&Checklist>,
    errors: &mut ContentErrors,
) {
    if items.is_empty() {
        errors.push(ContentError::entry(
            file,
            entry,
            format!("{role} lists no checklist item"),
        ));
    }
    let mut seen = HashSet::new();
    for id in items {
        if !seen.insert(id.as_str()) {
            errors.push(ContentError::entry(
                file,
                entry,
                format!("{role}: item {id:?} is listed twice"),
            ));
        }
        if let Some(c) = checklist
            && c.item(id).is_none()
        {
            errors.push(ContentError::entry(
                file,
                entry,
                format!(
                    "{role}: unknown checklist item {id:?} (not in {})",
                    checklist_file(c)
                ),
            ));
        }
    }
}

fn checklist_file(c: &Checklist) -> String {
    format!("checklists/{}/v{}.toml", c.id, c.version)
}

/// Each value of `all` appears exactly once in `present`; reports the missing and the doubled.
fn once_each<T: Copy + Eq + std::hash::Hash + std::fmt::Display>(
    file: &str,
    what: &str,
    all: &[T],
    present: impl IntoIterator<Item = T>,
    errors: &mut ContentErrors,
) {
    let mut seen = HashSet::new();
    for p in present {
        if !seen.insert(p) {
            errors.push(ContentError::entry(
                file,
                format!("{what} {p}"),
                "listed twice",
            ));
        }
    }
    for a in all {
        if !seen.contains(a) {
            errors.push(ContentError::file(file, format!("no entry for {what} {a}")));
        }
    }
}

fn findings(list: &[FindingText], checklist: Option<&Checklist>, errors: &mut ContentErrors) {
    once_each(
        FINDINGS,
        "rule",
        Rule::ALL,
        list.iter().map(|f| f.rule),
        errors,
    );
    for f in list {
        let entry = format!("rule {}", f.rule);
        item_links(FINDINGS, &entry, "items", &f.items, checklist, errors);
        let cites = ["CSET Rule", "ZCR 3.", "kojo"];
        if !cites.iter().any(|c| f.source.contains(c)) {
            errors.push(ContentError::entry(
                FINDINGS,
                &entry,
                format!(
                    "source {:?} must say where the rule comes from (\"CSET Rule N\", \"IEC 62443-3-2 ZCR 3.x\" or \"kojo\")",
                    f.source
                ),
            ));
        }
    }
}

fn threats(list: &[Threat], checklist: Option<&Checklist>, errors: &mut ContentErrors) {
    once_each(
        THREATS,
        "entry point",
        EntryPoint::ALL,
        list.iter().map(|t| t.entry),
        errors,
    );
    for t in list {
        let entry = format!("entry point {}", t.entry);
        if !(1..=3).contains(&t.level) {
            errors.push(ContentError::entry(
                THREATS,
                &entry,
                format!("level must be 1, 2 or 3, found {}", t.level),
            ));
        }
        // An empty list could never earn its point in kojo_core::risk::vulnerability.
        for (role, items) in [
            ("protect", &t.protect),
            ("detect", &t.detect),
            ("recover", &t.recover),
        ] {
            item_links(THREATS, &entry, role, items, checklist, errors);
        }
    }
}

fn register(r: &Register, errors: &mut ContentErrors) {
    let fields = asset_fields();
    let known: BTreeSet<&str> = fields.iter().map(String::as_str).collect();
    // Folded header → the field it belongs to, across all columns.
    let mut owner: HashMap<String, (&str, &str)> = HashMap::new();
    let mut columns = HashSet::new();
    for c in &r.columns {
        let entry = format!("column {}", c.field);
        if !known.contains(c.field.as_str()) {
            errors.push(ContentError::entry(
                REGISTER,
                &entry,
                format!("not a field of an asset (expected one of {known:?})"),
            ));
        }
        if !columns.insert(c.field.as_str()) {
            errors.push(ContentError::entry(
                REGISTER,
                &entry,
                "a second column for this field",
            ));
        }
        // The two headers may be the same word ("OS"); that is not a repetition.
        let mut words: Vec<(String, &str)> = vec![(fold(&c.header.ja), c.header.ja.as_str())];
        if fold(&c.header.en) != words[0].0 {
            words.push((fold(&c.header.en), c.header.en.as_str()));
        }
        words.extend(c.synonyms.iter().map(|s| (fold(s), s.as_str())));
        for (folded, word) in words {
            if folded.is_empty() {
                errors.push(ContentError::entry(
                    REGISTER,
                    &entry,
                    format!("header {word:?} is empty once spaces are removed"),
                ));
                continue;
            }
            match owner.get(&folded) {
                Some((field, other)) if *field == c.field => {
                    errors.push(ContentError::entry(
                        REGISTER,
                        &entry,
                        format!("{word:?} is listed twice (same as {other:?} after folding)"),
                    ));
                }
                Some((field, other)) => {
                    errors.push(ContentError::entry(
                        REGISTER,
                        &entry,
                        format!(
                            "{word:?} would also mean column {field} ({other:?} folds to the same {folded:?})"
                        ),
                    ));
                }
                None => {
                    owner.insert(folded, (c.field.as_str(), word));
                }
            }
        }
    }
    for f in &known {
        if !columns.contains(f) {
            errors.push(ContentError::file(
                REGISTER,
                format!("no column for asset field {f:?}"),
            ));
        }
    }
    value_words(r, errors);
}

#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
fn value_words(r: &Register, errors: &mut ContentErrors) {
    let mut fields = HashSet::new();
    for v in &r.values {
        let entry = format!("values {}", v.field);
        let codes: Vec<&str> = match v.field.as_str() {
            "kind" => AssetKind::ALL.iter().map(|c| c.as_str()).collect(),
            "status" => AssetStatus::ALL.iter().map(|c| c.as_str()).collect(),
            "flag" => FLAG_CODES.to_vec(),
            other => {
                errors.push(ContentError::entry(
                    REGISTER,
                    &entry,
                    format!("unknown field {other:?} (expected one of {VALUE_FIELDS:?})"),
                ));
                continue;
            }
        };
        if !fields.insert(v.field.as_str()) {
            errors.push(ContentError::entry(REGISTER, &entry, "listed twice"));
        }
        let mut seen = HashSet::new();
        let mut owner: HashMap<String, (&str, &str)> = HashMap::new();
        for w in &v.values {
            let wentry = format!("{entry} / {}", w.code);
            if !codes.contains(&w.code.as_str()) {
                errors.push(ContentError::entry(
                    REGISTER,
                    &wentry,
                    format!("unknown code {:?} (expected one of {codes:?})", w.code),
                ));
            } else if !seen.insert(w.code.as_str()) {
                errors.push(ContentError::entry(REGISTER, &wentry, "code listed twice"));
            }
            if w.words.is_empty() {
                errors.push(ContentError::entry(REGISTER, &wentry, "no words"));
            }
            for word in &w.words {
                let folded = fold(word);
                if folded.is_empty() {
                    errors.push(ContentError::entry(
                        REGISTER,
                        &wentry,
                        format!("word {word:?} is empty once spaces are removed"),
                    ));
                    continue;
                }
                match owner.get(&folded) {
                    Some((code, other)) if *code == w.code => errors.push(ContentError::entry(
                        REGISTER,
                        &wentry,
                        format!("{word:?} is listed twice (same as {other:?} after folding)"),
                    )),
                    Some((code, other)) => errors.push(ContentError::entry(
                        REGISTER,
                        &wentry,
                        format!(
                            "{word:?} would also mean {code} ({other:?} folds to the same {folded:?})"
                        ),
                    )),
                    None => {
                        owner.insert(folded, (w.code.as_str(), word.as_str()));
                    }
                }
            }
        }
        for code in codes {
            if !seen.contains(code) {
                errors.push(ContentError::entry(
                    REGISTER,
                    &entry,
                    format!("no words for code {code:?}"),
                ));
            }
        }
    }
    for f in VALUE_FIELDS {
        if !fields.contains(f) {
            errors.push(ContentError::file(
                REGISTER,
                format!("no [[values]] for field {f:?}"),
            ));
        }
    }
}
