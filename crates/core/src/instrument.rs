//! Questionnaires (instruments): sections, questions, routing, the figures each answer counts,
//! scores and derived figures. Content only; the survey engine reads these.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Provenance, Text};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    pub schema: u32,
    pub id: String,
    pub kind: InstrumentKind,
    pub year: u32,
    pub baseline: String,
    pub survey: String,
    pub title: Text,
    pub source: Text,
    pub sections: Vec<Section>,
    pub questions: Vec<Question>,
    #[serde(default)]
    pub scores: Vec<Score>,
    #[serde(default)]
    pub derived: Vec<Derived>,
    #[serde(default)]
    pub themes: Vec<Theme>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InstrumentKind {
    Association,
    Company,
    Hearing,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub code: String,
    pub title: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionType {
    Single,
    Multiple,
    Number,
    Band,
    Text,
    Grid,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub section: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    pub text: Text,
    /// `Source` when the survey report shows the question (its subject and the answers it
    /// names; the wording is kojo's in every case), `Reconstructed` when it is kojo's design.
    /// Required in content files.
    #[serde(default)]
    pub provenance: Option<Provenance>,
    #[serde(default)]
    pub note: Option<Text>,
    #[serde(default)]
    pub attribute: Option<String>,
    #[serde(default)]
    pub show_if: Option<Condition>,
    #[serde(default)]
    pub options: Vec<Choice>,
    #[serde(default)]
    pub options_from: Option<String>,
    #[serde(default)]
    pub exclusive: Vec<String>,
    #[serde(default)]
    pub bands: Option<String>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub unit: Option<Text>,
    #[serde(default)]
    pub max_length: Option<usize>,
    #[serde(default)]
    pub rows: Vec<Row>,
    #[serde(default)]
    pub rows_from: Option<String>,
    #[serde(default)]
    pub columns: Vec<Choice>,
    #[serde(default)]
    pub scale: Option<String>,
    #[serde(default)]
    pub figures: Vec<FigureRule>,
}

/// An answer option (also a grid column).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub code: String,
    pub label: Text,
    #[serde(default)]
    pub figures: Vec<String>,
    /// "Unknown" / "not applicable" answers: counted, but never the top answer of a ranking.
    #[serde(default)]
    pub neutral: bool,
    /// `Source` when the survey report names this answer, else `Reconstructed`. Written on
    /// options and columns in the file; filled from the table for options and columns that come
    /// from `options_from`, `bands` or `scale`.
    #[serde(default)]
    pub provenance: Option<Provenance>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    pub id: String,
    pub label: Text,
    /// `Source` when the survey report names this row, else `Reconstructed`. Required in
    /// content files.
    #[serde(default)]
    pub provenance: Option<Provenance>,
}

/// "Asked only if question Q (row R) was answered with one of these codes."
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub question: String,
    #[serde(default)]
    pub row: Option<String>,
    pub codes: Vec<String>,
}

/// A figure computed from one question.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureRule {
    pub id: String,
    pub codes: Vec<String>,
    #[serde(default)]
    pub row: Option<String>,
    #[serde(default)]
    pub rows: Vec<String>,
    #[serde(default)]
    pub each: bool,
    #[serde(default)]
    pub given: Option<Condition>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Score {
    pub id: String,
    pub title: Text,
    pub question: String,
    pub rows: Vec<String>,
    pub points: BTreeMap<String, i64>,
    #[serde(default)]
    pub figure: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DerivedRule {
    /// Respondents whose listed scores are all > 0.
    AllPositive,
    /// Respondents whose listed scores are all 0.
    AllZero,
    /// Within `given`, the lowest of the listed scores' "score > 0" rates (percent).
    MinRate,
    /// How many of `rows` have a share of `codes` not below `reference_row`'s share.
    RowsNotBelow,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Derived {
    pub id: String,
    pub rule: DerivedRule,
    #[serde(default)]
    pub scores: Vec<String>,
    #[serde(default)]
    pub given: Option<Condition>,
    #[serde(default)]
    pub question: Option<String>,
    #[serde(default)]
    pub rows: Vec<String>,
    #[serde(default)]
    pub reference_row: Option<String>,
    #[serde(default)]
    pub codes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub id: String,
    pub topic: Text,
    pub label: Text,
}

impl Instrument {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.id == id)
    }
}
