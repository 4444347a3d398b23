//! The plant model's content: the words for every code (asset kinds, zone purposes, …), what
//! each finding means and which checklist items fix it, and how asset registers name their
//! columns. Loaded from `content/plant/` by the content crate.

use serde::{Deserialize, Serialize};

use super::findings::Rule;
use crate::Text;

/// A code with its label (and, where useful, an explanation).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    pub code: String,
    pub label: Text,
    #[serde(default)]
    pub description: Option<Text>,
}

/// Labels of every code of the plant model (`content/plant/labels.toml`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    pub importance: Vec<Label>,
    pub damages: Vec<Label>,
    pub zone_purposes: Vec<Label>,
    pub exposures: Vec<Label>,
    pub conduit_kinds: Vec<Label>,
    pub directions: Vec<Label>,
    pub asset_kinds: Vec<Label>,
    pub asset_statuses: Vec<Label>,
    pub entry_points: Vec<Label>,
    pub risk_levels: Vec<Label>,
}

impl Labels {
    /// The label of `code` in `list`.
    pub fn find<'a>(list: &'a [Label], code: &str) -> Option<&'a Text> {
        list.iter().find(|l| l.code == code).map(|l| &l.label)
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    High,
    Medium,
    Low,
}

/// What a finding rule means (`content/plant/findings.toml`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingText {
    pub rule: Rule,
    pub severity: Severity,
    pub title: Text,
    /// Why it matters, in plain words.
    pub explanation: Text,
    /// What to do about it.
    pub fix: Text,
    /// Checklist items whose measures fix it.
    pub items: Vec<String>,
    /// Where the rule comes from (CSET rule, IEC 62443-3-2 ZCR, kojo).
    pub source: String,
}

/// A column of an asset register (資産台帳) and the headers people give it
/// (`content/plant/register.toml`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterColumn {
    /// The asset field (`name`, `kind`, `vendor`, `model`, `version`, …).
    pub field: String,
    /// The header kojo writes in its template and export.
    pub header: Text,
    /// Other headers that mean the same, compared after NFKC, case and space folding.
    pub synonyms: Vec<String>,
    /// What the cell holds, for the template's notes and error messages.
    pub expected: Text,
}

/// Words in register cells that stand for codes or yes/no.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueSynonyms {
    /// The field whose cells these are (`kind`, `status`, or `flag` for every yes/no column).
    pub field: String,
    /// Code → words meaning it.
    pub values: Vec<ValueWords>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueWords {
    pub code: String,
    pub words: Vec<String>,
}

/// The register import's vocabulary.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Register {
    pub columns: Vec<RegisterColumn>,
    pub values: Vec<ValueSynonyms>,
}
