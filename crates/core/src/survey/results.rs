//! Results from a tally: per question the counts and percentages over the respondents who
//! answered (n shown), the top answer, every figure by id, scores and cross-tabs. Percentages are
//! rounded half up to 0.1, as in the 2022 report.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Text;
use crate::baseline::{Baseline, Unit};
use crate::format::round1;
use crate::instrument::{DerivedRule, QuestionType};

use super::schema::{Kind, Schema};
use super::tally::{Plan, Tally};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Suppressed {
    /// Why, in English (files and the JSON API): the group had fewer respondents than the
    /// threshold (or hides one that had).
    pub reason: String,
    /// The threshold that applied.
    pub k: u64,
    /// Withheld only so that a smaller group cannot be derived from the totals.
    pub complementary: bool,
}

impl Suppressed {
    /// The reason in the reader's language.
    pub fn reason_in(&self, l: crate::Locale) -> String {
        match (l, self.complementary) {
            (crate::Locale::En, _) => self.reason.clone(),
            (crate::Locale::Ja, false) => format!("回答者が{}未満のため非表示", self.k),
            (crate::Locale::Ja, true) => {
                format!("{}未満の区分を合計から逆算できないよう非表示", self.k)
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct OptionResult {
    pub code: String,
    pub label: Text,
    pub count: Option<u64>,
    pub percent: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowResult {
    pub column: String,
    pub row: Option<String>,
    pub label: Option<Text>,
    /// Respondents who answered.
    pub n: u64,
    /// Respondents the question applied to (routing).
    pub eligible: u64,
    pub options: Vec<OptionResult>,
    /// The most frequent answer(s) (never an "unknown" answer).
    pub top: Vec<String>,
    pub suppressed: Option<Suppressed>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NumberSummary {
    pub n: u64,
    pub mean: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionResult {
    pub id: String,
    pub section: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    pub text: Text,
    pub rows: Vec<RowResult>,
    pub number: Option<NumberSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureElement {
    pub element: Option<String>,
    pub value: Option<f64>,
    pub count: Option<u64>,
    pub n: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureResult {
    pub value: Option<f64>,
    pub count: Option<u64>,
    pub n: Option<u64>,
    pub unit: Unit,
    /// For figures that hold for each of several rows or options.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<FigureElement>,
    pub suppressed: Option<Suppressed>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScoreResult {
    pub id: String,
    pub title: Text,
    pub n: u64,
    pub positive: u64,
    pub percent_positive: Option<f64>,
    pub distribution: Vec<u64>,
    pub suppressed: Option<Suppressed>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CrossGroup {
    pub code: String,
    pub label: Text,
    pub n: Option<u64>,
    pub cells: Vec<OptionResult>,
    pub suppressed: Option<Suppressed>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CrossResult {
    pub by: String,
    pub of: String,
    pub of_codes: Vec<String>,
    pub groups: Vec<CrossGroup>,
    /// Answer codes whose column is hidden (too few respondents chose them).
    pub suppressed_columns: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Results {
    pub instrument: String,
    pub respondents: u64,
    pub questions: Vec<QuestionResult>,
    pub figures: BTreeMap<String, FigureResult>,
    pub scores: Vec<ScoreResult>,
    pub crosstabs: Vec<CrossResult>,
    /// The disclosure threshold applied (None: raw results, for the respondent's own data or an
    /// analyst holding the file).
    pub k: Option<u64>,
    /// Set when the whole view is withheld (fewer respondents than k).
    pub suppressed: Option<Suppressed>,
}

/// `count / n` as a percentage rounded half up to 0.1.
pub fn percent(count: u64, n: u64) -> Option<f64> {
    (n > 0).then(|| round1(100.0 * count as f64 / n as f64))
}

fn label_of(schema: &Schema, column: usize, code: usize) -> Text {
    let col = &schema.columns[column];
    let code_str = &col.codes[code];
    let found = col.question.and_then(|qi| {
        let q = &schema.instrument.questions[qi];
        let choices = if q.columns.is_empty() {
            &q.options
        } else {
            &q.columns
        };
        choices
            .iter()
            .find(|c| &c.code == code_str)
            .map(|c| c.label.clone())
    });
    found
        .or_else(|| col.labels.get(code).cloned())
        .unwrap_or_else(|| Text::new(code_str.clone(), code_str.clone()))
}

pub fn build(schema: &Schema, plan: &Plan, tally: &Tally, baseline: &Baseline) -> Results {
    let inst = schema.instrument;
    let mut questions = Vec::new();
    for (qi, q) in inst.questions.iter().enumerate() {
        let mut rows = Vec::new();
        let mut number = None;
        for &c in &schema.of_question[qi] {
            let col = &schema.columns[c];
            let t = &tally.columns[c];
            if col.kind == Kind::Number {
                number = Some(NumberSummary {
                    n: t.answered,
                    mean: (t.answered > 0).then(|| t.sum / t.answered as f64),
                    min: (t.answered > 0).then_some(t.min),
                    max: (t.answered > 0).then_some(t.max),
                });
            }
            let options = col
                .codes
                .iter()
                .enumerate()
                .map(|(i, code)| OptionResult {
                    code: code.clone(),
                    label: label_of(schema, c, i),
                    count: Some(t.counts[i]),
                    percent: percent(t.counts[i], t.answered),
                })
                .collect();
            let best = t
                .counts
                .iter()
                .enumerate()
                .filter(|(i, _)| !col.neutral[*i])
                .map(|(_, n)| *n)
                .max()
                .unwrap_or(0);
            let top = if best > 0 {
                col.codes
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !col.neutral[*i] && t.counts[*i] == best)
                    .map(|(_, c)| c.clone())
                    .collect()
            } else {
                vec![]
            };
            rows.push(RowResult {
                column: col.name.clone(),
                row: col.row.map(|r| q.rows[r].id.clone()),
                label: col.row.map(|r| q.rows[r].label.clone()),
                n: t.answered,
                eligible: t.eligible,
                options,
                top,
                suppressed: None,
            });
        }
        questions.push(QuestionResult {
            id: q.id.clone(),
            section: q.section.clone(),
            kind: q.kind,
            text: q.text.clone(),
            rows,
            number,
        });
    }

    let unit_of = |id: &str| baseline.figure(id).map(|f| f.unit).unwrap_or(Unit::Percent);
    let value = |unit: Unit, count: u64, n: u64| match unit {
        Unit::Count => Some(count as f64),
        Unit::Percent => percent(count, n),
    };
    let mut figures: BTreeMap<String, FigureResult> = BTreeMap::new();
    for (f, (n, count)) in plan.figures.iter().zip(&tally.figures) {
        let unit = unit_of(&f.id);
        let entry = figures.entry(f.id.clone()).or_insert(FigureResult {
            value: None,
            count: None,
            n: None,
            unit,
            elements: vec![],
            suppressed: None,
        });
        if f.element.is_some() {
            entry.elements.push(FigureElement {
                element: f.element.clone(),
                value: value(unit, *count, *n),
                count: Some(*count),
                n: Some(*n),
            });
            // An "each" figure reports its elements' mean as its value.
            let values: Vec<f64> = entry.elements.iter().filter_map(|e| e.value).collect();
            entry.value = (!values.is_empty())
                .then(|| round1(values.iter().sum::<f64>() / values.len() as f64));
        } else {
            entry.value = value(unit, *count, *n);
            entry.count = Some(*count);
            entry.n = Some(*n);
        }
    }
    let mut scores = Vec::new();
    for (s, t) in plan.scores.iter().zip(&tally.scores) {
        let title = inst
            .scores
            .iter()
            .find(|x| x.id == s.id)
            .map(|x| x.title.clone())
            .unwrap_or_default();
        if let Some(fid) = &s.figure {
            let unit = unit_of(fid);
            figures.insert(
                fid.clone(),
                FigureResult {
                    value: value(unit, t.positive, t.answered),
                    count: Some(t.positive),
                    n: Some(t.answered),
                    unit,
                    elements: vec![],
                    suppressed: None,
                },
            );
        }
        scores.push(ScoreResult {
            id: s.id.clone(),
            title,
            n: t.answered,
            positive: t.positive,
            percent_positive: percent(t.positive, t.answered),
            distribution: t.distribution.clone(),
            suppressed: None,
        });
    }
    for (d, t) in plan.derived.iter().zip(&tally.derived) {
        let unit = unit_of(&d.id);
        let result = match d.rule {
            DerivedRule::AllPositive | DerivedRule::AllZero => {
                let (n, count) = t[0];
                FigureResult {
                    value: value(unit, count, n),
                    count: Some(count),
                    n: Some(n),
                    unit,
                    elements: vec![],
                    suppressed: None,
                }
            }
            DerivedRule::MinRate => {
                let elements: Vec<FigureElement> = d
                    .scores
                    .iter()
                    .zip(t)
                    .map(|(&s, (n, pos))| FigureElement {
                        element: Some(plan.scores[s].id.clone()),
                        value: percent(*pos, *n),
                        count: Some(*pos),
                        n: Some(*n),
                    })
                    .collect();
                let lowest = elements
                    .iter()
                    .filter(|e| e.value.is_some())
                    .min_by(|a, b| a.value.partial_cmp(&b.value).unwrap());
                FigureResult {
                    value: lowest.and_then(|e| e.value),
                    count: lowest.and_then(|e| e.count),
                    n: lowest.and_then(|e| e.n),
                    unit: Unit::Percent,
                    elements,
                    suppressed: None,
                }
            }
            DerivedRule::RowsNotBelow => {
                let share = |c: usize| {
                    let t = &tally.columns[c];
                    let hits: u64 = t
                        .counts
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| d.mask & (1u64 << i) != 0)
                        .map(|(_, n)| *n)
                        .sum();
                    (t.answered > 0).then(|| hits as f64 / t.answered as f64)
                };
                let reference = d.reference.and_then(share);
                let count = d
                    .rows
                    .iter()
                    .filter(|&&c| matches!((share(c), reference), (Some(s), Some(r)) if s >= r))
                    .count() as u64;
                FigureResult {
                    value: reference.map(|_| count as f64),
                    count: Some(count),
                    n: Some(d.rows.len() as u64),
                    unit: Unit::Count,
                    elements: vec![],
                    suppressed: None,
                }
            }
        };
        figures.insert(d.id.clone(), result);
    }
    let mut crosstabs = Vec::new();
    for (c, t) in plan.cross.iter().zip(&tally.cross) {
        let of_codes = schema.columns[c.of].codes.clone();
        let groups = schema.columns[c.by]
            .codes
            .iter()
            .enumerate()
            .map(|(b, code)| {
                let n = t.groups[b];
                CrossGroup {
                    code: code.clone(),
                    label: label_of(schema, c.by, b),
                    n: Some(n),
                    cells: (0..t.of_codes)
                        .map(|o| {
                            let count = t.cells[b * t.of_codes + o];
                            OptionResult {
                                code: of_codes[o].clone(),
                                label: label_of(schema, c.of, o),
                                count: Some(count),
                                percent: percent(count, n),
                            }
                        })
                        .collect(),
                    suppressed: None,
                }
            })
            .collect();
        crosstabs.push(CrossResult {
            by: schema.columns[c.by].name.clone(),
            of: schema.columns[c.of].name.clone(),
            of_codes,
            groups,
            suppressed_columns: vec![],
        });
    }
    Results {
        instrument: inst.id.clone(),
        respondents: tally.respondents,
        questions,
        figures,
        scores,
        crosstabs,
        k: None,
        suppressed: None,
    }
}

impl Results {
    pub fn question(&self, id: &str) -> Option<&QuestionResult> {
        self.questions.iter().find(|q| q.id == id)
    }
}

/// Whether a column counts codes (for cross-tabs: `by` must be single-choice).
pub fn is_single(schema: &Schema, column: usize) -> bool {
    schema.columns[column].kind == Kind::Single
}
