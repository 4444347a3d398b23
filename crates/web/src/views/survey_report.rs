//! The report of a round (or the national roll-up of every round of an instrument): per section
//! and question, bar charts with N/n and percentages, grids as stacked bars, the cross-tab asked
//! for, and each 2022 figure beside the national baseline — all after the disclosure rule.

use askama::Template;
use askama_web::WebTemplate;
use kojo_charts::{PercentBarsOptions, PercentRow, StackedBarsOptions, StackedRow};
use kojo_content::Catalog;
use kojo_core::format;
use kojo_core::instrument::{Instrument, Question, QuestionType};
use kojo_core::survey::Results;
use kojo_core::survey::results::Withheld;
use kojo_core::survey::results::{QuestionResult, RowResult};
use kojo_service::survey_report::{
    FigureLine, SurveyReport, count_text, cross_choices, derived_figures, figure_line,
    question_figures,
};

use crate::Ctx;
use kojo_service::survey_tables::choice_labels;

use crate::views::crosstab::{CrossView, withheld};

pub struct QuestionBlock {
    pub id: String,
    pub text: String,
    pub counts: String,
    pub chart: String,
    pub table: Vec<(String, String, String)>,
    pub figures: Vec<FigureLine>,
    pub suppressed: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "survey_report.html")]
pub struct ReportPage {
    pub ctx: Ctx,
    pub title: String,
    pub base: String,
    /// Where the xlsx/CSV exports live (without the extension).
    pub export_base: String,
    pub respondents: String,
    pub k: u64,
    pub withheld: Option<String>,
    pub sections: Vec<(String, String, bool)>,
    pub blocks: Vec<QuestionBlock>,
    pub figures: Vec<FigureLine>,
    pub options_by: Vec<(String, String)>,
    pub options_of: Vec<(String, String)>,
    pub by: String,
    pub of: String,
    pub cross: Option<CrossView>,
}

/// What the reader asked for: a section, and a cross-tab's columns.
#[derive(Debug, Default)]
pub struct Asked {
    pub section: Option<String>,
    pub by: String,
    pub of: String,
}

impl ReportPage {
    /// The page of a report; `base` is the page's path.
    pub fn new(
        ctx: Ctx,
        catalog: &Catalog,
        report: &SurveyReport,
        base: String,
        asked: Asked,
    ) -> ReportPage {
        let (l, lang) = (ctx.locale, ctx.lang());
        let inst = report.instrument;
        let results = &report.results;
        let section = asked.section.unwrap_or_else(|| {
            inst.sections
                .first()
                .map(|s| s.code.clone())
                .unwrap_or_default()
        });
        let choices = cross_choices(inst, results, &lang);
        let cross = results
            .crosstabs
            .first()
            .map(|c| CrossView::new(&ctx, c, &choices));
        ReportPage {
            title: report.title(&lang),
            respondents: ctx.fill(
                ctx.t.survey_respondents,
                "n",
                count_text(results.respondents),
            ),
            k: report.k,
            withheld: results.withheld.as_ref().map(|w| {
                let reason = kojo_service::survey_tables::withheld_reason(w, &lang);
                match w {
                    Withheld::UntilClosed { .. } => reason,
                    _ => format!("{} ({reason})", ctx.t.survey_report_withheld),
                }
            }),
            sections: inst
                .sections
                .iter()
                .map(|s| {
                    let current = s.code == section;
                    (s.code.clone(), s.title.get(l).to_string(), current)
                })
                .collect(),
            blocks: blocks(&ctx, catalog, inst, results, &section),
            figures: derived_figures(inst)
                .iter()
                .filter_map(|id| figure_line(catalog, results, id, &lang))
                .collect(),
            options_by: choices.by,
            options_of: choices.of,
            by: asked.by,
            of: asked.of,
            cross,
            export_base: if report.national() {
                format!("{base}/report")
            } else {
                base.clone()
            },
            base,
            ctx,
        }
    }
}

fn row_label(ctx: &Ctx, row: &RowResult) -> String {
    row.label
        .as_ref()
        .map(|x| x.get(ctx.locale).to_string())
        .unwrap_or_default()
}

/// (chart, table, withheld note) of a question.
type Drawn = (String, Vec<(String, String, String)>, Option<String>);

fn blocks(
    ctx: &Ctx,
    catalog: &Catalog,
    inst: &Instrument,
    results: &Results,
    section: &str,
) -> Vec<QuestionBlock> {
    let (l, t, lang) = (ctx.locale, ctx.t, ctx.lang());
    inst.questions
        .iter()
        .filter(|q| q.section == section)
        .filter_map(|q| {
            let r = results.question(&q.id)?;
            let first = r.rows.first()?;
            // The size of a withheld group is not shown either.
            let counts = match first.data.shown() {
                None => format!("N / n: {}", t.survey_withheld),
                Some(d) => format!("N={} / n={}", count_text(d.eligible), count_text(d.n)),
            };
            let (chart, table, suppressed) = match q.kind {
                QuestionType::Grid => grid(ctx, q, r),
                QuestionType::Number | QuestionType::Text => summary(ctx, q, r, first),
                _ => choices(ctx, q, first, &counts),
            };
            Some(QuestionBlock {
                id: q.id.clone(),
                text: q.text.get(l).to_string(),
                counts,
                chart,
                table,
                figures: question_figures(q)
                    .iter()
                    .filter_map(|id| figure_line(catalog, results, id, &lang))
                    .collect(),
                suppressed,
            })
        })
        .collect()
}

fn grid(ctx: &Ctx, q: &Question, r: &QuestionResult) -> Drawn {
    let l = ctx.locale;
    let rows: Vec<StackedRow> = r
        .rows
        .iter()
        .map(|row| StackedRow {
            label: row_label(ctx, row),
            shares: row
                .data
                .shown()
                .map(|d| d.options.iter().map(|o| o.count as f64).collect()),
            // Only used for layout when the row is withheld (never printed).
            n: row.n().unwrap_or(0),
            note: row.data.withheld().map(|w| withheld(ctx, Some(w))),
        })
        .collect();
    let segments: Vec<String> = q
        .columns
        .iter()
        .map(|c| c.label.get(l).to_string())
        .collect();
    let last_neutral = q.columns.last().is_some_and(|c| c.neutral);
    let chart = kojo_charts::stacked_bars(
        &rows,
        &segments,
        &StackedBarsOptions {
            title: q.text.get(l).to_string(),
            last_is_neutral: last_neutral,
            width: 760,
        },
    );
    let table = r
        .rows
        .iter()
        .map(|row| {
            let shares = match row.data.shown() {
                Some(d) => d
                    .options
                    .iter()
                    .map(|o| o.percent.map(format::percent).unwrap_or_else(|| "—".into()))
                    .collect::<Vec<_>>()
                    .join(" / "),
                None => vec!["—"; q.columns.len()].join(" / "),
            };
            let n = row
                .n()
                .map(|n| format!("n={n}"))
                .unwrap_or_else(|| "—".into());
            (row_label(ctx, row), n, shares)
        })
        .collect();
    (chart, table, None)
}

fn summary(ctx: &Ctx, q: &Question, r: &QuestionResult, first: &RowResult) -> Drawn {
    let t = ctx.t;
    let summary = match &q.kind {
        QuestionType::Number => r
            .number
            .as_ref()
            .and_then(|n| n.shown())
            .and_then(|n| Some(format!("{}: {:.1}", t.survey_mean_range, n.mean?)))
            .unwrap_or_default(),
        _ => first
            .n()
            .map(|n| ctx.fill(t.survey_text_answers, "n", n))
            .unwrap_or_default(),
    };
    (
        String::new(),
        vec![(summary, String::new(), String::new())],
        first.data.withheld().map(|w| withheld(ctx, Some(w))),
    )
}

fn choices(ctx: &Ctx, q: &Question, first: &RowResult, counts: &str) -> Drawn {
    let (l, lang) = (ctx.locale, ctx.lang());
    let note = first.data.withheld().map(|w| withheld(ctx, Some(w)));
    let rows: Vec<PercentRow> = match first.data.shown() {
        Some(d) => d
            .options
            .iter()
            .map(|o| PercentRow {
                label: o.label.get(l).to_string(),
                percent: o.percent,
                count: Some(o.count),
                note: None,
                highlight: d.top.contains(&o.code),
            })
            .collect(),
        // A withheld question shows its choices and why, never a number.
        None => choice_labels(q, &lang)
            .into_iter()
            .map(|label| PercentRow {
                label,
                percent: None,
                count: None,
                note: note.clone(),
                highlight: false,
            })
            .collect(),
    };
    let chart = kojo_charts::percent_bars(
        &rows,
        &PercentBarsOptions {
            title: q.text.get(l).to_string(),
            caption: counts.to_string(),
            width: 760,
        },
    );
    let table = match first.data.shown() {
        Some(d) => d
            .options
            .iter()
            .map(|o| {
                let percent = o.percent.map(format::percent).unwrap_or_else(|| "—".into());
                (o.label.get(l).to_string(), count_text(o.count), percent)
            })
            .collect(),
        None => choice_labels(q, &lang)
            .into_iter()
            .map(|label| (label, "—".into(), "—".into()))
            .collect(),
    };
    (chart, table, note)
}
