//! The whole result of one assessment as one value: scores, every answer, the prioritised gap
//! list with measures and the example that fits the company's size, the national figures beside
//! the items, the comparison with the site's previous assessment and the action plan.
//!
//! Every output (results page, JSON API, `kojo assess report`, xlsx/CSV/printable exports) is
//! rendered from this value, so they cannot disagree. Texts stay bilingual here; renderers pick
//! the language.

use std::collections::HashSet;

use serde::Serialize;

use crate::Text;
use crate::baseline::Baseline;
use crate::checklist::{Checklist, SizeBand};
use crate::ids::{AssessmentId, PlanItemId, SiteId};
use crate::planning::{self, Change, FigureComparison, Gap};
use crate::reference::Bands;
use crate::scale::Scale;
use crate::scoring::{self, Levels, Scores};
use crate::status::{AssessmentStatus, PlanStatus};

/// One stored answer, as the report needs it.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AnswerData {
    pub item: String,
    pub level: Option<String>,
    pub note: String,
    pub owner: String,
    pub target_date: Option<String>,
}

/// One entry of the site's action plan.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct PlanData {
    pub id: PlanItemId,
    pub item: String,
    pub measure: String,
    pub owner: String,
    pub due_date: Option<String>,
    pub status: PlanStatus,
    pub note: String,
    pub version: i64,
}

/// Everything the builder reads (all already loaded).
pub struct ReportInput<'a> {
    pub checklist: &'a Checklist,
    pub scale: &'a Scale,
    pub baseline: &'a Baseline,
    pub bands: &'a Bands,
    pub size: SizeBand,
    pub header: ReportHeader,
    pub answers: &'a [AnswerData],
    pub previous: Option<(AssessmentId, &'a [AnswerData])>,
    pub plan: &'a [PlanData],
    /// Each item's share of the site's high risks (empty without a plant model).
    pub risk: &'a planning::RiskShares,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ReportHeader {
    pub assessment_id: AssessmentId,
    pub checklist: String,
    pub status: AssessmentStatus,
    pub company: String,
    pub site: String,
    pub site_id: SiteId,
    pub created_at: i64,
    pub completed_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AssessmentReport {
    #[serde(flatten)]
    pub header: ReportHeader,
    pub size_band: SizeBand,
    pub target_level: u8,
    pub scores: Scores,
    pub answers: Vec<ReportAnswer>,
    pub gaps: Vec<ReportGap>,
    pub to_verify: Vec<String>,
    pub baseline: Vec<ReportFigure>,
    pub previous: Option<Previous>,
    pub plan: Vec<ReportPlanEntry>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ReportAnswer {
    pub item: String,
    pub category: String,
    pub title: Text,
    pub level: Option<String>,
    pub level_label: Option<Text>,
    pub note: String,
    pub owner: String,
    pub target_date: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ReportGap {
    pub rank: usize,
    #[serde(flatten)]
    pub gap: Gap,
    pub title: Text,
    pub why: Text,
    pub level_label: Text,
    pub measures: Vec<ReportMeasure>,
    pub figures: Vec<ReportFigure>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ReportMeasure {
    pub id: String,
    pub title: Text,
    pub cost: String,
    pub cost_label: Text,
    /// The implementation example for the company's size band.
    pub example: Text,
    pub in_plan: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ReportFigure {
    #[serde(flatten)]
    pub comparison: FigureComparison,
    pub topic: Text,
    pub answer: Option<Text>,
    pub year: u32,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Previous {
    pub assessment_id: AssessmentId,
    pub scores: Scores,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ReportPlanEntry {
    #[serde(flatten)]
    pub entry: PlanData,
    pub item_title: Text,
    pub measure_title: Text,
    pub cost_label: Text,
}

fn levels_of(answers: &[AnswerData]) -> Levels {
    answers
        .iter()
        .filter_map(|a| Some((a.item.clone(), a.level.clone()?)))
        .collect()
}

impl AssessmentReport {
    #[allow(
        clippy::too_many_lines,
        reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
    )]
    pub fn build(input: &ReportInput) -> AssessmentReport {
        let (cl, scale, baseline) = (input.checklist, input.scale, input.baseline);
        let levels = levels_of(input.answers);
        // Each measure is shown with the example for the company's size, so with that
        // example's cost band.
        let size = input.size;
        let cost_label = |m: &crate::checklist::Measure| {
            input.bands.example_cost_label(m.examples.example(size))
        };
        let level_label = |code: &str| scale.level(code).map(|l| l.label.clone());
        let planned: HashSet<&str> = input.plan.iter().map(|p| p.measure.as_str()).collect();
        let figures: Vec<ReportFigure> = planning::compare(cl, scale, baseline, &levels)
            .into_iter()
            .filter_map(|comparison| {
                let f = baseline.figure(&comparison.figure)?;
                Some(ReportFigure {
                    topic: f.topic.clone(),
                    answer: f.answer.clone(),
                    year: baseline.year,
                    comparison,
                })
            })
            .collect();
        let answers = cl
            .items
            .iter()
            .map(|item| {
                let a = input.answers.iter().find(|a| a.item == item.id);
                let level = a.and_then(|a| a.level.clone());
                ReportAnswer {
                    item: item.id.clone(),
                    category: item.category.clone(),
                    title: item.title.clone(),
                    level_label: level.as_deref().and_then(level_label),
                    level,
                    note: a.map(|a| a.note.clone()).unwrap_or_default(),
                    owner: a.map(|a| a.owner.clone()).unwrap_or_default(),
                    target_date: a.and_then(|a| a.target_date.clone()),
                }
            })
            .collect();
        let gaps = planning::gaps(cl, scale, baseline, &levels, cl.target_level, input.risk)
            .into_iter()
            .enumerate()
            .filter_map(|(i, gap)| {
                let item = cl.item(&gap.item)?;
                Some(ReportGap {
                    rank: i + 1,
                    title: item.title.clone(),
                    why: item.why.clone(),
                    level_label: level_label(&gap.level)?,
                    measures: item
                        .measures
                        .iter()
                        .map(|m| ReportMeasure {
                            id: m.id.clone(),
                            title: m.title.clone(),
                            cost: m.examples.example(size).cost.clone(),
                            cost_label: cost_label(m),
                            example: m.examples.for_size(input.size).clone(),
                            in_plan: planned.contains(m.id.as_str()),
                        })
                        .collect(),
                    figures: figures
                        .iter()
                        .filter(|f| f.comparison.item == item.id)
                        .cloned()
                        .collect(),
                    gap,
                })
            })
            .collect();
        let previous = input.previous.map(|(id, prev)| {
            let before = levels_of(prev);
            Previous {
                assessment_id: id,
                scores: scoring::score(cl, scale, &before),
                changes: planning::changes(cl, scale, &before, &levels),
            }
        });
        let plan = input
            .plan
            .iter()
            .map(|p| {
                let item = cl.item(&p.item);
                let measure = item.and_then(|i| i.measures.iter().find(|m| m.id == p.measure));
                ReportPlanEntry {
                    item_title: item
                        .map(|i| i.title.clone())
                        .unwrap_or_else(|| Text::new(&p.item, &p.item)),
                    measure_title: measure
                        .map(|m| m.title.clone())
                        .unwrap_or_else(|| Text::new(&p.measure, &p.measure)),
                    cost_label: measure.map(cost_label).unwrap_or_default(),
                    entry: p.clone(),
                }
            })
            .collect();
        AssessmentReport {
            header: input.header.clone(),
            size_band: input.size,
            target_level: cl.target_level,
            scores: scoring::score(cl, scale, &levels),
            answers,
            gaps,
            to_verify: planning::to_verify(cl, scale, &levels)
                .into_iter()
                .map(String::from)
                .collect(),
            baseline: figures,
            previous,
            plan,
        }
    }
}
