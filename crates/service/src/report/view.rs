//! The report in one language: every text the results page, the printable report and the
//! results workbook show. Charts are drawn by the web from [`ReportView::category_titles`] and
//! the report's scores.

use kojo_content::Catalog;
use kojo_core::checklist::Checklist;
use kojo_core::date::Date;
use kojo_core::format;
use kojo_core::ids::{AssessmentId, SiteId};
use kojo_core::plan::{Asker, who_to_ask};
use kojo_core::report::{AssessmentReport, ReportFigure, ReportGap};
use kojo_core::scale::Scale;
use kojo_core::scoring::CategoryStatus;
use kojo_core::status::{AssessmentStatus, PlanStatus};

use super::glance::Glance;
use crate::glossary::Linker;
use crate::{Lang, Result, Service};

pub struct ScoreRow {
    pub title: String,
    pub score: String,
    pub previous: String,
    pub answered: String,
    pub scorable: bool,
}

pub struct FigureView {
    pub item: String,
    /// The published value as shown: `65.0%`.
    pub national: String,
    pub item_title: String,
    pub statement: String,
    pub site: String,
    pub in_group: Option<bool>,
    /// Whether the site's place is the good side of the figure (in the "done" group, or
    /// outside the "not done" group).
    pub favourable: Option<bool>,
    pub related: bool,
}

pub struct MeasureRow {
    pub id: String,
    pub title: String,
    pub cost: String,
    /// The example as HTML, glossary terms linked.
    pub example_html: String,
    /// Costs nothing beyond staff time.
    pub free: bool,
    /// Subsidies that can pay for part of the example.
    pub subsidies: Vec<SubsidyView>,
    pub in_plan: bool,
}

/// A subsidy named beside a measure.
pub struct SubsidyView {
    pub id: String,
    pub name: String,
    pub covers: String,
    pub url: String,
}

/// The subsidies with these ids, in the reader's language (unknown ids left out).
pub fn subsidies(catalog: &Catalog, ids: &[String], lang: &Lang) -> Vec<SubsidyView> {
    ids.iter()
        .filter_map(|id| catalog.subsidy(id))
        .map(|s| SubsidyView {
            id: s.id.clone(),
            name: lang.text(&s.name).to_string(),
            covers: lang.text(&s.covers).to_string(),
            url: s.url.clone(),
        })
        .collect()
}

pub struct GapView {
    pub rank: usize,
    pub item: String,
    pub title: String,
    /// Why the item matters, as HTML with glossary terms linked.
    pub why_html: String,
    /// The first step for a company of up to 20 staff, as HTML with glossary terms linked.
    pub first_step_html: String,
    pub level: String,
    pub priority: String,
    pub neglect: String,
    /// How much of the site's high risks the item would cut (empty without a plant model).
    pub risk: String,
    /// The gaps to do first ("OPS-6 資産台帳…"), empty when none.
    pub after: String,
    pub measures: Vec<MeasureRow>,
    pub figures: Vec<FigureView>,
}

pub struct ChangeView {
    pub item: String,
    pub title: String,
    pub before: String,
    pub after: String,
    pub better: bool,
}

/// One row of the action plan as the report lists it.
pub struct PlanLine {
    pub measure: String,
    pub item: String,
    pub owner: String,
    pub due_date: String,
    pub status: String,
}

/// Everything the results page, the printable report and the results workbook show, in one
/// language.
pub struct ReportView {
    pub id: AssessmentId,
    pub site_id: SiteId,
    pub company: String,
    pub site: String,
    pub checklist: String,
    pub status: String,
    pub complete: bool,
    pub date: String,
    pub size: String,
    pub overall: String,
    pub previous_overall: Option<String>,
    pub scores: Vec<ScoreRow>,
    pub figures: Vec<FigureView>,
    pub gaps: Vec<GapView>,
    pub to_verify: Vec<(String, String)>,
    pub changes: Vec<ChangeView>,
    pub previous_id: Option<AssessmentId>,
    pub plan: Vec<PlanLine>,
    /// The first screen of the results page.
    pub glance: Glance,
    /// Who to ask about each item to verify, in the order of `to_verify`.
    pub askers: Vec<String>,
    /// What each item to verify checks (its description: the question to ask), same order.
    pub verify_questions: Vec<String>,
}

/// The label of a plan status in the reader's language.
pub fn plan_status_label(status: PlanStatus, lang: &Lang) -> &'static str {
    let t = lang.t;
    match status {
        PlanStatus::Planned => t.plan_status_planned,
        PlanStatus::InProgress => t.plan_status_in_progress,
        PlanStatus::Done => t.plan_status_done,
        PlanStatus::Dropped => t.plan_status_dropped,
    }
}

/// What the view's helpers share.
struct Texts<'a> {
    catalog: &'a Catalog,
    lang: &'a Lang,
    checklist: &'a Checklist,
    scale: &'a Scale,
    report: &'a AssessmentReport,
}

impl Texts<'_> {
    fn score(&self, s: Option<f64>) -> String {
        s.map(|v| format!("{v:.1}"))
            .unwrap_or_else(|| self.lang.t.results_not_scorable.to_string())
    }

    fn level(&self, code: Option<&str>) -> String {
        code.and_then(|c| self.scale.level(c))
            .map(|lv| self.lang.text(&lv.label).to_string())
            .unwrap_or_else(|| self.lang.t.assess_unanswered.to_string())
    }

    fn item_title(&self, id: &str) -> String {
        self.checklist
            .item(id)
            .map(|i| self.lang.text(&i.title).to_string())
            .unwrap_or_default()
    }

    fn scores(&self) -> Vec<ScoreRow> {
        let t = self.lang.t;
        let r = self.report;
        r.scores
            .categories
            .iter()
            .zip(&self.checklist.categories)
            .map(|(c, cat)| ScoreRow {
                title: self.lang.text(&cat.title).to_string(),
                score: match c.status {
                    CategoryStatus::TooManyNotApplicable => t.results_too_many_na.to_string(),
                    CategoryStatus::NoAnswers => t.results_not_scorable.to_string(),
                    CategoryStatus::Scored => self.score(c.score),
                },
                previous: r
                    .previous
                    .as_ref()
                    .and_then(|p| p.scores.category(&c.category))
                    .map(|p| self.score(p.score))
                    .unwrap_or_default(),
                answered: format!("{}/{}", c.answered, c.items),
                scorable: c.score.is_some(),
            })
            .collect()
    }

    fn figure(&self, f: &ReportFigure) -> FigureView {
        let lang = self.lang;
        let c = &f.comparison;
        let template = if c.counts_not_done {
            lang.t.results_national_not_done
        } else {
            lang.t.results_national_done
        };
        let base = lang.fill2(
            template,
            ("value", &format::percent(c.value)),
            ("year", &f.year),
        );
        let topic = match &f.answer {
            Some(a) => format!("{}: {}", lang.text(&f.topic), lang.text(a)),
            None => lang.text(&f.topic).to_string(),
        };
        FigureView {
            item: c.item.clone(),
            national: format::percent(c.value),
            item_title: self.item_title(&c.item),
            statement: format!("{base} ({topic})"),
            site: self
                .report
                .answers
                .iter()
                .find(|a| a.item == c.item)
                .map(|a| self.level(a.level.as_deref()))
                .unwrap_or_default(),
            in_group: c.site_in_group,
            favourable: c.site_in_group.map(|g| g != c.counts_not_done),
            related: c.related,
        }
    }

    fn gap(&self, g: &ReportGap) -> GapView {
        let lang = self.lang;
        let terms = Linker::new(&self.catalog.glossary, lang.locale);
        GapView {
            rank: g.rank,
            item: g.gap.item.clone(),
            title: lang.text(&g.title).to_string(),
            why_html: terms.html(lang.text(&g.why)),
            first_step_html: terms.html(lang.text(&g.first_step)),
            level: lang.text(&g.level_label).to_string(),
            priority: format!("{:.1}", g.gap.priority),
            neglect: g
                .gap
                .neglect
                .map(|n| lang.fill(lang.t.results_neglect, "value", format::percent(n * 100.0)))
                .unwrap_or_default(),
            risk: g
                .gap
                .risk
                .filter(|r| *r > 0.0)
                .map(|r| {
                    lang.fill(
                        lang.t.results_risk_share,
                        "value",
                        format::percent(r * 100.0),
                    )
                })
                .unwrap_or_default(),
            after: if g.gap.after.is_empty() {
                String::new()
            } else {
                let items: Vec<String> = g
                    .gap
                    .after
                    .iter()
                    .map(|i| format!("{i} {}", self.item_title(i)))
                    .collect();
                lang.fill(lang.t.results_first, "items", items.join("、"))
            },
            measures: g
                .measures
                .iter()
                .map(|m| MeasureRow {
                    id: m.id.clone(),
                    title: lang.text(&m.title).to_string(),
                    cost: lang.text(&m.cost_label).to_string(),
                    example_html: terms.html(lang.text(&m.example)),
                    free: m.free,
                    subsidies: subsidies(self.catalog, &m.subsidies, lang),
                    in_plan: m.in_plan,
                })
                .collect(),
            figures: g.figures.iter().map(|f| self.figure(f)).collect(),
        }
    }

    fn changes(&self) -> Vec<ChangeView> {
        let Some(p) = &self.report.previous else {
            return Vec::new();
        };
        p.changes
            .iter()
            .map(|c| ChangeView {
                item: c.item.clone(),
                title: self.item_title(&c.item),
                before: self.level(c.before.as_deref()),
                after: self.level(c.after.as_deref()),
                better: c.delta.is_some_and(|d| d > 0),
            })
            .collect()
    }

    fn plan(&self) -> Vec<PlanLine> {
        let lang = self.lang;
        self.report
            .plan
            .iter()
            .map(|p| PlanLine {
                measure: lang.text(&p.measure_title).to_string(),
                item: lang.text(&p.item_title).to_string(),
                owner: p.entry.owner.clone(),
                due_date: p.entry.due_date.clone().unwrap_or_default(),
                status: plan_status_label(p.entry.status, lang).to_string(),
            })
            .collect()
    }
}

/// Who to ask about an item, in the reader's language.
pub fn asker_label(asker: Asker, lang: &Lang) -> &'static str {
    let t = lang.t;
    match asker {
        Asker::Vendor => t.results2_ask_vendor,
        Asker::Management => t.results2_ask_management,
        Asker::PlantStaff => t.results2_ask_plant_staff,
        Asker::Purchasing => t.results2_ask_purchasing,
    }
}

impl ReportView {
    /// The report in one language, as of today (JST).
    pub fn new(catalog: &Catalog, report: &AssessmentReport, lang: &Lang) -> Result<ReportView> {
        let today = kojo_core::plan::today_jst(kojo_storage::now_millis());
        ReportView::on(catalog, report, lang, today)
    }

    /// The report in one language as of `today` (overdue plan items).
    pub fn on(
        catalog: &Catalog,
        report: &AssessmentReport,
        lang: &Lang,
        today: Date,
    ) -> Result<ReportView> {
        let service_checklist = |key: &str| {
            let checklist = catalog.checklist_by_key(key)?;
            Some((checklist, catalog.scale(&checklist.scale)?))
        };
        let (checklist, scale) = service_checklist(&report.header.checklist).ok_or_else(|| {
            crate::Error::Internal(format!(
                "checklist {} is not in this kojo's content",
                report.header.checklist
            ))
        })?;
        let texts = Texts {
            catalog,
            lang,
            checklist,
            scale,
            report,
        };
        let t = lang.t;
        let h = &report.header;
        let complete = h.status == AssessmentStatus::Complete;
        Ok(ReportView {
            id: h.assessment_id,
            site_id: h.site_id,
            company: h.company.clone(),
            site: h.site.clone(),
            checklist: lang.text(&checklist.title).to_string(),
            status: if complete {
                t.assess_status_complete
            } else {
                t.assess_status_draft
            }
            .to_string(),
            complete,
            date: format::date(h.completed_at.unwrap_or(h.created_at), lang.locale),
            size: catalog
                .company_sizes
                .example_bands
                .iter()
                .find(|b| b.id == report.size_band.id())
                .map(|b| lang.text(&b.label).to_string())
                .unwrap_or_default(),
            overall: texts.score(report.scores.overall),
            previous_overall: report
                .previous
                .as_ref()
                .map(|p| texts.score(p.scores.overall)),
            scores: texts.scores(),
            figures: report.baseline.iter().map(|f| texts.figure(f)).collect(),
            gaps: report.gaps.iter().map(|g| texts.gap(g)).collect(),
            to_verify: report
                .to_verify
                .iter()
                .map(|i| (i.clone(), texts.item_title(i)))
                .collect(),
            changes: texts.changes(),
            previous_id: report.previous.as_ref().map(|p| p.assessment_id),
            plan: texts.plan(),
            glance: Glance::new(report, catalog, lang, today),
            askers: report
                .to_verify
                .iter()
                .map(|i| {
                    checklist
                        .item(i)
                        .map(|item| asker_label(who_to_ask(item), lang).to_string())
                        .unwrap_or_default()
                })
                .collect(),
            verify_questions: report
                .to_verify
                .iter()
                .map(|i| {
                    checklist
                        .item(i)
                        .map(|item| lang.text(&item.description).to_string())
                        .unwrap_or_default()
                })
                .collect(),
        })
    }

    /// Category titles, in checklist order (chart axes).
    pub fn category_titles(&self) -> Vec<String> {
        self.scores.iter().map(|s| s.title.clone()).collect()
    }
}

impl Service {
    /// The report in the reader's language.
    pub fn report_view(&self, report: &AssessmentReport, lang: &Lang) -> Result<ReportView> {
        ReportView::new(self.catalog(), report, lang)
    }
}
