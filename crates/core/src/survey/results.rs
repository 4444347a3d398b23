//! Results from a tally: per question the counts and percentages over the respondents who
//! answered (n shown), the top answer, every figure by id, scores and cross-tabs. Percentages are
//! rounded half up to 0.1, as in the 2022 report.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::Text;
use crate::baseline::{Baseline, Unit};
use crate::format::round1;
use crate::instrument::{DerivedRule, QuestionType};

use super::schema::{Column, Compiled, Kind, Schema};
use super::tally::{AtomLayout, DerivedPlan, Plan, Tally, UNKNOWN, has_codes};

/// Why a part of the results is withheld. Renderers word it (in the locale files); `k` is the
/// threshold that applied. Serialised as `{"reason": "fewer_than_k", "k": 5}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Withheld {
    /// Fewer than k respondents (the whole round, a question, a group, a figure's base).
    FewerThanK { k: u64 },
    /// Withheld with smaller groups so that none of them can be worked out from what is shown
    /// (by subtraction or by combining breakdowns).
    Complementary { k: u64 },
    /// The breakdown of this question is withheld as a whole: only its total is shown.
    Breakdown { k: u64 },
    /// Computed from parts that are withheld.
    DependsOnWithheld { k: u64 },
    /// The round is still open: its runner sees the results when it closes, so that no two
    /// versions of one round can be compared (differencing; docs/surveys.md).
    UntilClosed { k: u64 },
}

impl Withheld {
    pub fn k(&self) -> u64 {
        match *self {
            Withheld::FewerThanK { k }
            | Withheld::Complementary { k }
            | Withheld::Breakdown { k }
            | Withheld::DependsOnWithheld { k }
            | Withheld::UntilClosed { k } => k,
        }
    }

    /// A stable code for the reason (`fewer_than_k`, `complementary`, `breakdown`,
    /// `depends_on_withheld`, `until_closed`), as in the JSON.
    pub fn code(&self) -> &'static str {
        match self {
            Withheld::FewerThanK { .. } => "fewer_than_k",
            Withheld::Complementary { .. } => "complementary",
            Withheld::Breakdown { .. } => "breakdown",
            Withheld::DependsOnWithheld { .. } => "depends_on_withheld",
            Withheld::UntilClosed { .. } => "until_closed",
        }
    }
}

/// A part of the results that is either shown with its numbers or withheld with only a reason:
/// a withheld part carries no count, n, percentage, mean or eligible base, so no view can print
/// one. In JSON (flattened into its parent) a shown part is its fields and a withheld part is
/// `"withheld": {"reason": "fewer_than_k", "k": 5}` and nothing else.
#[derive(Debug, Clone, PartialEq)]
pub enum Disclosed<T> {
    Shown(T),
    Withheld(Withheld),
}

impl<T: Serialize> Serialize for Disclosed<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Disclosed::Shown(t) => t.serialize(s),
            Disclosed::Withheld(w) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("withheld", w)?;
                m.end()
            }
        }
    }
}

impl<T> Disclosed<T> {
    pub fn shown(&self) -> Option<&T> {
        match self {
            Disclosed::Shown(t) => Some(t),
            Disclosed::Withheld(_) => None,
        }
    }

    pub fn withheld(&self) -> Option<Withheld> {
        match self {
            Disclosed::Shown(_) => None,
            Disclosed::Withheld(w) => Some(*w),
        }
    }

    pub fn is_shown(&self) -> bool {
        matches!(self, Disclosed::Shown(_))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct OptionResult {
    pub code: String,
    pub label: Text,
    pub count: u64,
    /// None when nobody answered.
    pub percent: Option<f64>,
}

/// The numbers of a shown question or grid row.
#[derive(Debug, Clone, Serialize)]
pub struct RowData {
    /// Respondents who answered.
    pub n: u64,
    /// Respondents the question applied to (routing).
    pub eligible: u64,
    pub options: Vec<OptionResult>,
    /// The most frequent answer(s) (never an "unknown" answer).
    pub top: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowResult {
    pub column: String,
    pub row: Option<String>,
    pub label: Option<Text>,
    #[serde(flatten)]
    pub data: Disclosed<RowData>,
}

impl RowResult {
    /// Respondents who answered, if shown.
    pub fn n(&self) -> Option<u64> {
        self.data.shown().map(|d| d.n)
    }

    /// The options with their counts (empty when withheld).
    pub fn options(&self) -> &[OptionResult] {
        self.data.shown().map_or(&[], |d| d.options.as_slice())
    }

    /// The most frequent answer(s) (empty when withheld).
    pub fn top(&self) -> &[String] {
        self.data.shown().map_or(&[], |d| d.top.as_slice())
    }
}

/// A number question: the mean only (never the minimum or maximum, which are single
/// respondents' answers).
#[derive(Debug, Clone, Serialize)]
pub struct NumberSummary {
    pub n: u64,
    /// None when nobody answered.
    pub mean: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionResult {
    pub id: String,
    pub section: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    pub text: Text,
    pub rows: Vec<RowResult>,
    /// For number questions.
    pub number: Option<Disclosed<NumberSummary>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureElement {
    pub element: Option<String>,
    pub value: Option<f64>,
    pub count: u64,
    pub n: u64,
}

/// The numbers of a shown figure.
#[derive(Debug, Clone, Serialize)]
pub struct FigureValue {
    /// None when there is nothing to compute (no respondent in the base).
    pub value: Option<f64>,
    pub count: Option<u64>,
    pub n: Option<u64>,
    /// For figures that hold for each of several rows or options.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<FigureElement>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureResult {
    pub unit: Unit,
    #[serde(flatten)]
    pub data: Disclosed<FigureValue>,
}

impl FigureResult {
    pub fn value(&self) -> Option<f64> {
        self.data.shown().and_then(|d| d.value)
    }

    pub fn count(&self) -> Option<u64> {
        self.data.shown().and_then(|d| d.count)
    }

    pub fn n(&self) -> Option<u64> {
        self.data.shown().and_then(|d| d.n)
    }

    pub fn elements(&self) -> &[FigureElement] {
        self.data.shown().map_or(&[], |d| d.elements.as_slice())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ScoreData {
    pub n: u64,
    pub positive: u64,
    pub percent_positive: Option<f64>,
    pub distribution: Vec<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScoreResult {
    pub id: String,
    pub title: Text,
    #[serde(flatten)]
    pub data: Disclosed<ScoreData>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupData {
    /// Respondents of the group who answered the "of" question.
    pub n: u64,
    pub cells: Vec<OptionResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CrossGroup {
    /// The group's code; None for the respondents without one (no registered attribute, or no
    /// answer to the "by" question).
    pub code: Option<String>,
    pub label: Text,
    #[serde(flatten)]
    pub data: Disclosed<GroupData>,
}

impl CrossGroup {
    pub fn n(&self) -> Option<u64> {
        self.data.shown().map(|d| d.n)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CrossResult {
    pub by: String,
    pub of: String,
    pub of_codes: Vec<String>,
    pub groups: Vec<CrossGroup>,
}

/// Why a cross-tab is not available.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CrossError {
    #[error("{0} is not a breakdown (by) column")]
    NotABreakdown(String),
    #[error("{0} is not a question with answer options")]
    NotCounted(String),
    #[error("the results are withheld")]
    Withheld,
}

/// A breakdown column ("banner"): its groups are its codes and, last, "unknown".
#[derive(Debug, Clone)]
pub(crate) struct Banner {
    pub name: String,
    pub attribute: Option<String>,
    pub codes: Vec<String>,
    pub labels: Vec<Text>,
    pub unknown: Text,
}

impl Banner {
    pub fn groups(&self) -> usize {
        self.codes.len() + 1
    }
}

/// Counts of one column within each group of one banner: per group, answered then per code.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub width: usize,
    pub counts: Vec<u64>,
    /// Per group: withheld, or None when shown.
    pub withheld: Vec<Option<Withheld>>,
}

/// Where a figure's numbers come from, for the rule.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    Column {
        column: usize,
        given: Option<Compiled>,
    },
    Score(usize),
    AllScores,
    MinRate {
        scores: Vec<usize>,
        given: Option<Compiled>,
    },
    Rows(Vec<usize>),
}

/// What the rule needs beyond the tables: the tally's atoms and how the results map to columns.
#[derive(Debug, Clone, Default)]
pub(crate) struct Basis {
    pub banner_columns: Vec<usize>,
    pub layout: AtomLayout,
    /// Atoms sorted by key (so the rule's result does not depend on counting order).
    pub atoms: Vec<(Box<[u16]>, Vec<u32>)>,
    /// Per column: kind has codes.
    pub counted: Vec<bool>,
    /// Per column: the column its routing condition reads.
    pub show_if: Vec<Option<usize>>,
    /// Per question: its columns.
    pub of_question: Vec<Vec<usize>>,
    pub figures: Vec<(String, Source)>,
    /// Respondents per derived all_positive / all_zero figure base.
    pub derived_bases: HashMap<String, u64>,
    /// Per score: the subgroups (given) of min_rate figures over it.
    pub score_givens: Vec<Vec<Compiled>>,
    /// Per column: the subgroups (given) of figures over it.
    pub column_givens: Vec<Vec<Compiled>>,
}

/// A column with answer options: name, codes, labels.
pub(crate) type CountedColumn = (String, Vec<String>, Vec<Text>);

/// Every breakdown of every counted column, with what the rule decided per group.
#[derive(Debug, Clone, Default)]
pub(crate) struct Breakdowns {
    pub banners: Vec<Banner>,
    /// Column names and their codes' labels (columns with codes only; others None).
    pub columns: Vec<Option<CountedColumn>>,
    /// [column][banner].
    pub tables: Vec<Vec<Table>>,
    pub basis: Option<std::sync::Arc<Basis>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Results {
    pub instrument: String,
    pub respondents: u64,
    pub questions: Vec<QuestionResult>,
    pub figures: BTreeMap<String, FigureResult>,
    pub scores: Vec<ScoreResult>,
    /// The cross-tabs asked for when counting (under the rule: only approved ones, see
    /// [`Results::crosstab`]).
    pub crosstabs: Vec<CrossResult>,
    /// The disclosure threshold applied (None: raw results, for the respondent's own data or an
    /// analyst holding the file).
    pub k: Option<u64>,
    /// Set when the whole view is withheld (fewer respondents than k): only `respondents` shows.
    pub withheld: Option<Withheld>,
    #[serde(skip)]
    pub(crate) breakdowns: Breakdowns,
}

/// `count / n` as a percentage rounded half up to 0.1.
/// The headline value of an "each" figure (one that holds for each of several rows or options):
/// the mean of its elements' unrounded values, rounded once, half up to one decimal. Elements
/// nobody answered are left out; `None` when no element has a value. Each element keeps its own
/// (rounded) value, and each is what a published "each" figure is compared with
/// (docs/surveys.md, "Figures that hold for each").
pub fn each_value(unit: Unit, elements: &[FigureElement]) -> Option<f64> {
    let exact: Vec<f64> = elements
        .iter()
        .filter(|e| e.n > 0)
        .map(|e| match unit {
            Unit::Count => e.count as f64,
            Unit::Percent => 100.0 * e.count as f64 / e.n as f64,
        })
        .collect();
    (!exact.is_empty()).then(|| round1(exact.iter().sum::<f64>() / exact.len() as f64))
}

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

/// The results of a tally, raw (nothing withheld; [`super::disclosure::apply`] applies the rule).
pub fn build(schema: &Schema, plan: &Plan, tally: &Tally, baseline: &Baseline) -> Results {
    let mut figures = Figures {
        baseline,
        figures: BTreeMap::new(),
        sources: Vec::new(),
    };
    figures.columns(plan, tally);
    let scores = score_results(schema, plan, tally, &mut figures);
    let derived_bases = figures.derived(plan, tally);
    let Figures {
        figures, sources, ..
    } = figures;
    let breakdowns = breakdowns(schema, plan, tally, sources, derived_bases);
    let mut results = Results {
        instrument: schema.instrument.id.clone(),
        respondents: tally.respondents,
        questions: question_results(schema, tally),
        figures,
        scores,
        crosstabs: Vec::new(),
        k: None,
        withheld: None,
        breakdowns,
    };
    add_crosstabs(&mut results, schema, plan, tally);
    results
}

/// Every question's rows: counts and shares per option, the most chosen option(s), and for a
/// number question its mean.
fn question_results(schema: &Schema, tally: &Tally) -> Vec<QuestionResult> {
    let mut questions = Vec::new();
    for (qi, q) in schema.instrument.questions.iter().enumerate() {
        let mut rows = Vec::new();
        let mut number = None;
        for &c in &schema.of_question[qi] {
            let col = &schema.columns[c];
            let t = &tally.columns[c];
            if col.kind == Kind::Number {
                number = Some(Disclosed::Shown(NumberSummary {
                    n: t.answered,
                    mean: (t.answered > 0).then(|| t.sum / t.answered as f64),
                }));
            }
            let options = col
                .codes
                .iter()
                .enumerate()
                .map(|(i, code)| OptionResult {
                    code: code.clone(),
                    label: label_of(schema, c, i),
                    count: t.counts[i],
                    percent: percent(t.counts[i], t.answered),
                })
                .collect();
            let top = top_codes(col, &t.counts);
            rows.push(RowResult {
                column: col.name.clone(),
                row: col.row.map(|r| q.rows[r].id.clone()),
                label: col.row.map(|r| q.rows[r].label.clone()),
                data: Disclosed::Shown(RowData {
                    n: t.answered,
                    eligible: t.eligible,
                    options,
                    top,
                }),
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
    questions
}

/// The most chosen non-neutral option(s); none when nobody chose one.
fn top_codes(col: &Column, counts: &[u64]) -> Vec<String> {
    let best = counts
        .iter()
        .enumerate()
        .filter(|(i, _)| !col.neutral[*i])
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0);
    if best == 0 {
        return vec![];
    }
    col.codes
        .iter()
        .enumerate()
        .filter(|(i, _)| !col.neutral[*i] && counts[*i] == best)
        .map(|(_, c)| c.clone())
        .collect()
}

/// The figures being built and where each comes from (for the disclosure rule).
struct Figures<'a> {
    baseline: &'a Baseline,
    figures: BTreeMap<String, FigureResult>,
    sources: Vec<(String, Source)>,
}

impl Figures<'_> {
    fn unit_of(&self, id: &str) -> Unit {
        self.baseline
            .figure(id)
            .map(|f| f.unit)
            .unwrap_or(Unit::Percent)
    }

    fn shown(unit: Unit, value: Option<f64>, count: u64, n: u64) -> FigureResult {
        FigureResult {
            unit,
            data: Disclosed::Shown(FigureValue {
                value,
                count: Some(count),
                n: Some(n),
                elements: vec![],
            }),
        }
    }

    /// Figures counted on one column (an "each" figure gathers one element per row).
    fn columns(&mut self, plan: &Plan, tally: &Tally) {
        for (f, (n, count)) in plan.figures.iter().zip(&tally.figures) {
            let unit = self.unit_of(&f.id);
            self.sources.push((
                f.id.clone(),
                Source::Column {
                    column: f.column,
                    given: f.given,
                },
            ));
            let entry = self.figures.entry(f.id.clone()).or_insert(FigureResult {
                unit,
                data: Disclosed::Shown(FigureValue {
                    value: None,
                    count: None,
                    n: None,
                    elements: vec![],
                }),
            });
            let Disclosed::Shown(entry) = &mut entry.data else {
                continue;
            };
            if f.element.is_some() {
                entry.elements.push(FigureElement {
                    element: f.element.clone(),
                    value: unit_value(unit, *count, *n),
                    count: *count,
                    n: *n,
                });
                entry.value = each_value(unit, &entry.elements);
            } else {
                entry.value = unit_value(unit, *count, *n);
                entry.count = Some(*count);
                entry.n = Some(*n);
            }
        }
    }

    /// Figures derived from scores or rows; returns the bases of the all-scores figures.
    fn derived(&mut self, plan: &Plan, tally: &Tally) -> HashMap<String, u64> {
        let mut derived_bases = HashMap::new();
        for (d, t) in plan.derived.iter().zip(&tally.derived) {
            let unit = self.unit_of(&d.id);
            let (source, result) = match d.rule {
                DerivedRule::AllPositive | DerivedRule::AllZero => {
                    let (n, count) = t[0];
                    derived_bases.insert(d.id.clone(), n);
                    (
                        Source::AllScores,
                        Self::shown(unit, unit_value(unit, count, n), count, n),
                    )
                }
                DerivedRule::MinRate => (
                    Source::MinRate {
                        scores: d.scores.clone(),
                        given: d.given,
                    },
                    min_rate(plan, d, t),
                ),
                DerivedRule::RowsNotBelow => (
                    Source::Rows(d.rows.iter().copied().chain(d.reference).collect()),
                    rows_not_below(tally, d),
                ),
            };
            self.sources.push((d.id.clone(), source));
            self.figures.insert(d.id.clone(), result);
        }
        derived_bases
    }
}

fn unit_value(unit: Unit, count: u64, n: u64) -> Option<f64> {
    match unit {
        Unit::Count => Some(count as f64),
        Unit::Percent => percent(count, n),
    }
}

/// The lowest positive rate among the listed scores, each score an element.
fn min_rate(plan: &Plan, d: &DerivedPlan, t: &[(u64, u64)]) -> FigureResult {
    let elements: Vec<FigureElement> = d
        .scores
        .iter()
        .zip(t)
        .map(|(&s, (n, pos))| FigureElement {
            element: Some(plan.scores[s].id.clone()),
            value: percent(*pos, *n),
            count: *pos,
            n: *n,
        })
        .collect();
    let lowest = elements
        .iter()
        .filter(|e| e.value.is_some())
        .min_by(|a, b| {
            a.value
                .unwrap_or(f64::INFINITY)
                .total_cmp(&b.value.unwrap_or(f64::INFINITY))
        });
    FigureResult {
        unit: Unit::Percent,
        data: Disclosed::Shown(FigureValue {
            value: lowest.and_then(|e| e.value),
            count: lowest.map(|e| e.count),
            n: lowest.map(|e| e.n),
            elements,
        }),
    }
}

/// How many rows reach at least the reference row's share of the masked answers.
fn rows_not_below(tally: &Tally, d: &DerivedPlan) -> FigureResult {
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
    Figures::shown(
        Unit::Count,
        reference.map(|_| count as f64),
        count,
        d.rows.len() as u64,
    )
}

/// Scores, each with its figure when the baseline publishes one.
fn score_results(
    schema: &Schema,
    plan: &Plan,
    tally: &Tally,
    figures: &mut Figures,
) -> Vec<ScoreResult> {
    let mut scores = Vec::new();
    for (si, (s, t)) in plan.scores.iter().zip(&tally.scores).enumerate() {
        let title = schema
            .instrument
            .scores
            .iter()
            .find(|x| x.id == s.id)
            .map(|x| x.title.clone())
            .unwrap_or_default();
        if let Some(fid) = &s.figure {
            let unit = figures.unit_of(fid);
            figures.sources.push((fid.clone(), Source::Score(si)));
            figures.figures.insert(
                fid.clone(),
                Figures::shown(
                    unit,
                    unit_value(unit, t.positive, t.answered),
                    t.positive,
                    t.answered,
                ),
            );
        }
        scores.push(ScoreResult {
            id: s.id.clone(),
            title,
            data: Disclosed::Shown(ScoreData {
                n: t.answered,
                positive: t.positive,
                percent_positive: percent(t.positive, t.answered),
                distribution: t.distribution.clone(),
            }),
        });
    }
    scores
}

/// The planned cross-tabs: over a banner from the breakdowns, otherwise counted on request (raw
/// results only; the rule drops it).
fn add_crosstabs(results: &mut Results, schema: &Schema, plan: &Plan, tally: &Tally) {
    for (c, t) in plan.cross.iter().zip(&tally.cross) {
        let by = &schema.columns[c.by].name;
        let of = &schema.columns[c.of].name;
        if let Ok(x) = results.crosstab(by, of) {
            results.crosstabs.push(x);
            continue;
        }
        let of_codes = schema.columns[c.of].codes.clone();
        let groups = schema.columns[c.by]
            .codes
            .iter()
            .enumerate()
            .map(|(b, code)| {
                let n = t.groups[b];
                CrossGroup {
                    code: Some(code.clone()),
                    label: label_of(schema, c.by, b),
                    data: Disclosed::Shown(GroupData {
                        n,
                        cells: (0..t.of_codes)
                            .map(|o| {
                                let count = t.cells[b * t.of_codes + o];
                                OptionResult {
                                    code: of_codes[o].clone(),
                                    label: label_of(schema, c.of, o),
                                    count,
                                    percent: percent(count, n),
                                }
                            })
                            .collect(),
                    }),
                }
            })
            .collect();
        results.crosstabs.push(CrossResult {
            by: by.clone(),
            of: of.clone(),
            of_codes,
            groups,
        });
    }
}

/// The label of the group of respondents without a value of a banner.
fn unknown_label(schema: &Schema, column: usize) -> Text {
    if schema.columns[column].question.is_none() {
        Text::new("登録情報なし", "Not registered")
    } else {
        Text::new("無回答", "No answer")
    }
}

fn breakdowns(
    schema: &Schema,
    plan: &Plan,
    tally: &Tally,
    figures: Vec<(String, Source)>,
    derived_bases: HashMap<String, u64>,
) -> Breakdowns {
    let banners: Vec<Banner> = plan
        .banners
        .iter()
        .map(|&b| {
            let col = &schema.columns[b];
            Banner {
                name: col.name.clone(),
                attribute: match col.question {
                    None => col.name.strip_prefix('@').map(str::to_string),
                    Some(qi) => schema.instrument.questions[qi].attribute.clone(),
                },
                codes: col.codes.clone(),
                labels: (0..col.codes.len())
                    .map(|i| label_of(schema, b, i))
                    .collect(),
                unknown: unknown_label(schema, b),
            }
        })
        .collect();
    let stride = plan.layout.stride;
    let mut atoms: Vec<(Box<[u16]>, Vec<u32>)> = tally
        .atoms
        .keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.clone(), tally.atoms.atom(i, stride).to_vec()))
        .collect();
    atoms.sort_by(|a, b| a.0.cmp(&b.0));
    let counted: Vec<bool> = schema.columns.iter().map(|c| has_codes(c.kind)).collect();
    let mut tables = Vec::with_capacity(schema.columns.len());
    let mut columns = Vec::with_capacity(schema.columns.len());
    for (c, col) in schema.columns.iter().enumerate() {
        if !counted[c] {
            tables.push(Vec::new());
            columns.push(None);
            continue;
        }
        columns.push(Some((
            col.name.clone(),
            col.codes.clone(),
            (0..col.codes.len())
                .map(|i| label_of(schema, c, i))
                .collect(),
        )));
        let width = 1 + col.codes.len();
        tables.push(banner_tables(
            &banners,
            &atoms,
            plan.layout.columns[c],
            width,
        ));
    }
    let (column_givens, score_givens) = givens(schema, plan);
    Breakdowns {
        banners,
        columns,
        tables,
        basis: Some(std::sync::Arc::new(Basis {
            banner_columns: plan.banners.clone(),
            layout: plan.layout.clone(),
            atoms,
            counted,
            show_if: schema
                .columns
                .iter()
                .map(|c| c.show_if.map(|s| s.column))
                .collect(),
            of_question: schema.of_question.clone(),
            figures,
            derived_bases,
            score_givens,
            column_givens,
        })),
    }
}

/// One column's counts per group of each banner (`width` = the no-answer cell and its codes).
fn banner_tables(
    banners: &[Banner],
    atoms: &[(Box<[u16]>, Vec<u32>)],
    at: usize,
    width: usize,
) -> Vec<Table> {
    let mut per_banner = Vec::with_capacity(banners.len());
    for (bi, b) in banners.iter().enumerate() {
        let mut counts = vec![0u64; b.groups() * width];
        for (key, a) in atoms {
            let g = group_of(key[bi], b);
            for (x, &y) in counts[g * width..(g + 1) * width]
                .iter_mut()
                .zip(&a[at..at + width])
            {
                *x += y as u64;
            }
        }
        per_banner.push(Table {
            width,
            counts,
            withheld: vec![None; b.groups()],
        });
    }
    per_banner
}

/// The subgroups figures ask of each column and of each score (lowest-rate figures).
fn givens(schema: &Schema, plan: &Plan) -> (Vec<Vec<Compiled>>, Vec<Vec<Compiled>>) {
    let mut column_givens: Vec<Vec<Compiled>> = vec![Vec::new(); schema.columns.len()];
    for f in &plan.figures {
        if let Some(g) = f.given
            && !column_givens[f.column].contains(&g)
        {
            column_givens[f.column].push(g);
        }
    }
    let mut score_givens: Vec<Vec<Compiled>> = vec![Vec::new(); plan.scores.len()];
    for d in &plan.derived {
        if d.rule == DerivedRule::MinRate
            && let Some(g) = d.given
        {
            for &s in &d.scores {
                if !score_givens[s].contains(&g) {
                    score_givens[s].push(g);
                }
            }
        }
    }
    (column_givens, score_givens)
}

/// The group index of a banner code in an atom's key (the last group is "unknown").
pub(crate) fn group_of(code: u16, b: &Banner) -> usize {
    if code == UNKNOWN || code as usize >= b.codes.len() {
        b.codes.len()
    } else {
        code as usize
    }
}

impl Results {
    pub fn question(&self, id: &str) -> Option<&QuestionResult> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The breakdown columns a cross-tab can be taken by: (column name, attribute such as
    /// `industry` when it is an organisation attribute).
    pub fn breakdown_columns(&self) -> Vec<(&str, Option<&str>)> {
        self.breakdowns
            .banners
            .iter()
            .map(|b| (b.name.as_str(), b.attribute.as_deref()))
            .collect()
    }

    /// The cross-tab of `of` (a column with answer options) by `by` (a breakdown column, by name
    /// or as `@attribute`), with exactly the groups the disclosure rule approved when it was
    /// applied to these results: every view (page, export, API, CLI) takes its cross-tabs from
    /// here, so none can show a table the audit did not cover. A withheld group carries only
    /// its reason; the group of respondents without a value of `by` comes last (code None).
    pub fn crosstab(&self, by: &str, of: &str) -> Result<CrossResult, CrossError> {
        if self.withheld.is_some() {
            return Err(CrossError::Withheld);
        }
        let bd = &self.breakdowns;
        let bi = bd
            .banners
            .iter()
            .position(|b| {
                b.name == by
                    || b.attribute
                        .as_deref()
                        .is_some_and(|a| by.strip_prefix('@') == Some(a))
            })
            .ok_or_else(|| CrossError::NotABreakdown(by.to_string()))?;
        let c = bd
            .columns
            .iter()
            .position(|x| x.as_ref().is_some_and(|x| x.0 == of))
            .ok_or_else(|| CrossError::NotCounted(of.to_string()))?;
        let (of_name, of_codes, of_labels) = bd.columns[c].as_ref().expect("counted column");
        let banner = &bd.banners[bi];
        let table = &bd.tables[c][bi];
        let groups = (0..banner.groups())
            .map(|g| {
                let (code, label) = match banner.codes.get(g) {
                    Some(code) => (Some(code.clone()), banner.labels[g].clone()),
                    None => (None, banner.unknown.clone()),
                };
                let row = &table.counts[g * table.width..(g + 1) * table.width];
                let n = row[0];
                CrossGroup {
                    code,
                    label,
                    data: match table.withheld[g] {
                        Some(w) => Disclosed::Withheld(w),
                        None => Disclosed::Shown(GroupData {
                            n,
                            cells: of_codes
                                .iter()
                                .zip(of_labels)
                                .zip(&row[1..])
                                .map(|((code, label), &count)| OptionResult {
                                    code: code.clone(),
                                    label: label.clone(),
                                    count,
                                    percent: percent(count, n),
                                })
                                .collect(),
                        }),
                    },
                }
            })
            .collect();
        Ok(CrossResult {
            by: banner.name.clone(),
            of: of_name.clone(),
            of_codes: of_codes.clone(),
            groups,
        })
    }
}

/// Whether a column counts codes (for cross-tabs: `by` must be single-choice).
pub fn is_single(schema: &Schema, column: usize) -> bool {
    schema.columns[column].kind == Kind::Single
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(count: u64, n: u64) -> FigureElement {
        FigureElement {
            element: None,
            value: percent(count, n),
            count,
            n,
        }
    }

    #[test]
    fn an_each_figure_is_the_mean_of_unrounded_shares_rounded_once() {
        // 10.05% and 10.00%: rounded first they would be 10.1 and 10.0, whose mean rounds to
        // 10.1; the shares' own mean, 10.025%, rounds to 10.0.
        let elements = [element(201, 2000), element(200, 2000)];
        assert_eq!(elements[0].value, Some(10.1));
        assert_eq!(each_value(Unit::Percent, &elements), Some(10.0));
        // 1/3 three times: 33.3, not a sum of rounded thirds.
        let thirds = [element(1, 3), element(2, 6), element(3, 9)];
        assert_eq!(each_value(Unit::Percent, &thirds), Some(33.3));
        // Elements nobody answered are left out; none at all gives no value.
        let some = [element(1, 4), element(0, 0)];
        assert_eq!(each_value(Unit::Percent, &some), Some(25.0));
        assert_eq!(each_value(Unit::Percent, &[element(0, 0)]), None);
        // A count figure averages the counts.
        let counts = [element(3, 31), element(4, 31)];
        assert_eq!(each_value(Unit::Count, &counts), Some(3.5));
    }
}
