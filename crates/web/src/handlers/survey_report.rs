//! The report of a round (or the national roll-up of every round of an instrument): per section
//! and question, bar charts with N/n and percentages, grids as stacked bars, cross-tabs on
//! request, and each 2022 figure beside the national baseline — all after the disclosure rule.

use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use kojo_charts::{PercentBarsOptions, PercentRow, StackedBarsOptions, StackedRow};
use kojo_core::format;
use kojo_core::instrument::{Instrument, QuestionType};
use kojo_core::survey::Results;
use kojo_core::survey::results::{CrossResult, Withheld};
use kojo_formats::tables_xlsx;
use kojo_storage::Round;
use serde::Deserialize;

use kojo_core::ids::RoundId;
use kojo_service::survey_results::Request;
use kojo_service::survey_tables::{ReportTables, report_tables};

use crate::upload::{CSV, XLSX, download};
use crate::{AppError, AppState, Ctx};

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub by: Option<String>,
    #[serde(default)]
    pub of: Option<String>,
}

pub struct FigureLine {
    pub id: String,
    pub label: String,
    pub computed: String,
    pub published: String,
}

pub struct QuestionBlock {
    pub id: String,
    pub text: String,
    pub counts: String,
    pub chart: String,
    pub table: Vec<(String, String, String)>,
    pub figures: Vec<FigureLine>,
    pub suppressed: Option<String>,
}

pub struct CrossView {
    pub title: String,
    pub heads: Vec<String>,
    pub rows: Vec<(String, String, Vec<String>)>,
    pub note: String,
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

/// Why a part is withheld, in the reader's language.
fn reason_in(w: &Withheld, l: kojo_core::Locale) -> String {
    kojo_service::survey_tables::withheld_reason(w, &kojo_service::Lang::new(l))
}

fn choice_labels(q: &kojo_core::instrument::Question, l: kojo_core::Locale) -> Vec<String> {
    kojo_service::survey_tables::choice_labels(q, &kojo_service::Lang::new(l))
}

fn figure_ids(q: &kojo_core::instrument::Question) -> Vec<String> {
    let mut ids: Vec<String> = q
        .options
        .iter()
        .chain(&q.columns)
        .flat_map(|o| o.figures.iter().cloned())
        .collect();
    ids.extend(q.figures.iter().map(|f| f.id.clone()));
    ids.dedup();
    ids
}

fn figure_line(state: &AppState, ctx: &Ctx, results: &Results, id: &str) -> Option<FigureLine> {
    let fig = state.catalog().national_baseline().figure(id)?;
    let r = results.figures.get(id)?;
    let l = ctx.locale;
    let show = |v: Option<f64>| match (v, fig.unit) {
        (Some(v), kojo_core::baseline::Unit::Percent) => format::percent(v),
        (Some(v), kojo_core::baseline::Unit::Count) => format::int(v as i64),
        (None, _) => ctx.t.survey_withheld.to_string(),
    };
    Some(FigureLine {
        id: id.to_string(),
        label: fig.label(l),
        computed: match (r.data.withheld(), r.n()) {
            (Some(_), _) => ctx.t.survey_withheld.to_string(),
            (None, Some(n)) if fig.unit == kojo_core::baseline::Unit::Percent => {
                format!("{} (n={})", show(r.value()), format::int(n as i64))
            }
            _ => show(r.value()),
        },
        published: fig.display_value(l),
    })
}

fn blocks(
    state: &AppState,
    ctx: &Ctx,
    inst: &Instrument,
    results: &Results,
    section: &str,
) -> Vec<QuestionBlock> {
    let l = ctx.locale;
    let t = ctx.t;
    let withheld = |s: Withheld| format!("{} ({})", t.survey_withheld, reason_in(&s, l));
    inst.questions
        .iter()
        .filter(|q| q.section == section)
        .filter_map(|q| {
            let r = results.question(&q.id)?;
            let first = r.rows.first()?;
            // The size of a withheld group is not shown either.
            let counts = match first.data.shown() {
                None => format!("N / n: {}", t.survey_withheld),
                Some(d) => format!(
                    "N={} / n={}",
                    format::int(d.eligible as i64),
                    format::int(d.n as i64)
                ),
            };
            let figures = figure_ids(q)
                .iter()
                .filter_map(|id| figure_line(state, ctx, results, id))
                .collect();
            let (chart, table, suppressed) = match q.kind {
                QuestionType::Grid => {
                    let rows: Vec<StackedRow> = r
                        .rows
                        .iter()
                        .map(|row| StackedRow {
                            label: row
                                .label
                                .as_ref()
                                .map(|x| x.get(l).to_string())
                                .unwrap_or_default(),
                            shares: row
                                .data
                                .shown()
                                .map(|d| d.options.iter().map(|o| o.count as f64).collect()),
                            // Only used for layout when the row is withheld (not printed).
                            n: row.n().unwrap_or(0),
                            note: row.data.withheld().map(withheld),
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
                            let label = row
                                .label
                                .as_ref()
                                .map(|x| x.get(l).to_string())
                                .unwrap_or_default();
                            let shares = match row.data.shown() {
                                Some(d) => d
                                    .options
                                    .iter()
                                    .map(|o| {
                                        o.percent.map(format::percent).unwrap_or_else(|| "—".into())
                                    })
                                    .collect::<Vec<_>>()
                                    .join(" / "),
                                None => vec!["—"; q.columns.len()].join(" / "),
                            };
                            let n = row
                                .n()
                                .map(|n| format!("n={n}"))
                                .unwrap_or_else(|| "—".into());
                            (label, n, shares)
                        })
                        .collect();
                    (chart, table, None)
                }
                QuestionType::Number | QuestionType::Text => {
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
                        first.data.withheld().map(withheld),
                    )
                }
                _ => {
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
                        None => choice_labels(q, l)
                            .into_iter()
                            .map(|label| PercentRow {
                                label,
                                percent: None,
                                count: None,
                                note: first.data.withheld().map(withheld),
                                highlight: false,
                            })
                            .collect(),
                    };
                    let chart = kojo_charts::percent_bars(
                        &rows,
                        &PercentBarsOptions {
                            title: q.text.get(l).to_string(),
                            caption: counts.clone(),
                            width: 760,
                        },
                    );
                    let table = match first.data.shown() {
                        Some(d) => d
                            .options
                            .iter()
                            .map(|o| {
                                (
                                    o.label.get(l).to_string(),
                                    format::int(o.count as i64),
                                    o.percent.map(format::percent).unwrap_or_else(|| "—".into()),
                                )
                            })
                            .collect(),
                        None => choice_labels(q, l)
                            .into_iter()
                            .map(|label| (label, "—".into(), "—".into()))
                            .collect(),
                    };
                    (chart, table, first.data.withheld().map(withheld))
                }
            };
            Some(QuestionBlock {
                id: q.id.clone(),
                text: q.text.get(l).to_string(),
                counts,
                chart,
                table,
                figures,
                suppressed,
            })
        })
        .collect()
}

fn cross_view(ctx: &Ctx, c: &CrossResult, by: &Options, of: &Options) -> CrossView {
    let l = ctx.locale;
    let t = ctx.t;
    let heads = c
        .groups
        .iter()
        .find_map(|g| g.data.shown())
        .map(|g| {
            g.cells
                .iter()
                .map(|cell| cell.label.get(l).to_string())
                .collect()
        })
        .unwrap_or_default();
    let rows = c
        .groups
        .iter()
        .filter(|g| g.n() != Some(0))
        .map(|g| {
            let cells = match g.data.shown() {
                None => vec![format!(
                    "{} ({})",
                    t.survey_withheld,
                    g.data
                        .withheld()
                        .map(|w| reason_in(&w, ctx.locale))
                        .unwrap_or_default()
                )],
                Some(d) => d
                    .cells
                    .iter()
                    .map(|cell| {
                        cell.percent
                            .map(format::percent)
                            .unwrap_or_else(|| "—".into())
                    })
                    .collect(),
            };
            (
                g.label.get(l).to_string(),
                g.n()
                    .map(|n| format!("n={n}"))
                    .unwrap_or_else(|| "—".into()),
                cells,
            )
        })
        .collect();
    CrossView {
        title: format!("{} × {}", label_of(by, &c.by), label_of(of, &c.of)),
        heads,
        rows,
        note: String::new(),
    }
}

/// The label of a cross-tab choice (the code itself if unknown).
fn label_of<'a>(options: &'a Options, code: &'a str) -> &'a str {
    options
        .iter()
        .find(|(v, _)| v == code)
        .map(|(_, label)| label.as_str())
        .unwrap_or(code)
}

/// The columns a cross-tab can be taken by (single-choice) and of (anything with codes).
/// (value, label) pairs of a select.
type Options = Vec<(String, String)>;

/// The columns a cross-tab can be taken by (the breakdowns the disclosure rule audits) and of.
fn cross_options(ctx: &Ctx, inst: &Instrument, results: &Results) -> (Options, Options) {
    let allowed: Vec<String> = results
        .breakdown_columns()
        .into_iter()
        .flat_map(|(name, attr)| [Some(name.to_string()), attr.map(|a| format!("@{a}"))])
        .flatten()
        .collect();
    let l = ctx.locale;
    let t = ctx.t;
    let mut by: Options = [
        ("@industry", t.survey_by_industry),
        ("@size_band", t.survey_by_size),
        ("@association", t.survey_by_association),
        ("@sc3", t.survey_by_sc3),
    ]
    .iter()
    .map(|(v, label)| (v.to_string(), label.to_string()))
    .collect();
    let mut of = Vec::new();
    for q in &inst.questions {
        let short: String = q.text.get(l).chars().take(40).collect();
        match q.kind {
            QuestionType::Single | QuestionType::Band => {
                by.push((q.id.clone(), format!("{} {short}", q.id)));
                of.push((q.id.clone(), format!("{} {short}", q.id)));
            }
            QuestionType::Multiple => of.push((q.id.clone(), format!("{} {short}", q.id))),
            QuestionType::Grid => {
                for r in &q.rows {
                    of.push((
                        format!("{}.{}", q.id, r.id),
                        // The row's label says which row; its id is for files, not readers.
                        format!("{} {}", q.id, r.label.get(l)),
                    ));
                }
            }
            _ => {}
        }
    }
    by.retain(|(v, _)| allowed.contains(v));
    (by, of)
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    ctx: Ctx,
    inst: &Instrument,
    rounds: &[Round],
    national: bool,
    title: String,
    base: String,
    q: ReportQuery,
) -> Result<ReportPage, AppError> {
    let cross: Vec<(String, String)> = match (&q.by, &q.of) {
        (Some(b), Some(o)) if !b.is_empty() && !o.is_empty() => vec![(b.clone(), o.clone())],
        _ => vec![],
    };
    let k = state.service.config().disclosure_k;
    let results = load(state, inst, rounds, national, &cross, k).await?;
    let section = q.section.clone().unwrap_or_else(|| {
        inst.sections
            .first()
            .map(|s| s.code.clone())
            .unwrap_or_default()
    });
    let l = ctx.locale;
    let (options_by, options_of) = cross_options(&ctx, inst, &results);
    let cross = results
        .crosstabs
        .first()
        .map(|c| cross_view(&ctx, c, &options_by, &options_of));
    let derived: Vec<String> = inst
        .scores
        .iter()
        .filter_map(|s| s.figure.clone())
        .chain(inst.derived.iter().map(|d| d.id.clone()))
        .collect();
    Ok(ReportPage {
        respondents: ctx.fill(
            ctx.t.survey_respondents,
            "n",
            format::int(results.respondents as i64),
        ),
        k,
        withheld: results.withheld.as_ref().map(|s| reason_in(s, l)),
        sections: inst
            .sections
            .iter()
            .map(|s| {
                (
                    s.code.clone(),
                    s.title.get(l).to_string(),
                    s.code == section,
                )
            })
            .collect(),
        blocks: blocks(state, &ctx, inst, &results, &section),
        figures: derived
            .iter()
            .filter_map(|id| figure_line(state, &ctx, &results, id))
            .collect(),
        options_by,
        options_of,
        by: q.by.clone().unwrap_or_default(),
        of: q.of.clone().unwrap_or_default(),
        cross,
        title,
        export_base: if national {
            format!("{base}/report")
        } else {
            base.clone()
        },
        base,
        ctx,
    })
}

pub async fn load(
    state: &AppState,
    inst: &Instrument,
    rounds: &[Round],
    national: bool,
    cross: &[(String, String)],
    k: u64,
) -> Result<Arc<Results>, AppError> {
    let request = Request {
        instrument: inst,
        rounds,
        national,
        cross,
        k,
    };
    Ok(state.service.survey_results(&request).await?)
}

pub async fn round(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RoundId>,
    Query(q): Query<ReportQuery>,
) -> Result<ReportPage, AppError> {
    let round = state.store().round(id).await?;
    let inst = state
        .catalog()
        .instrument(&round.instrument)
        .ok_or(AppError::NotFound)?;
    let title = round.title.clone();
    render(
        &state,
        ctx,
        inst,
        std::slice::from_ref(&round),
        false,
        title,
        format!("/rounds/{id}/report"),
        q,
    )
    .await
}

/// The ministry's national view: every round of an instrument, each organisation once.
pub async fn national(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(instrument): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Result<ReportPage, AppError> {
    let inst = state
        .catalog()
        .instrument(&instrument)
        .ok_or(AppError::NotFound)?;
    let rounds = national_rounds(&state, &instrument).await?;
    let title = ctx.fill(
        ctx.t.survey_national_title,
        "instrument",
        inst.title.get(ctx.locale),
    );
    render(
        &state,
        ctx,
        inst,
        &rounds,
        true,
        title,
        format!("/national/{instrument}"),
        q,
    )
    .await
}

/// Every round of an instrument, whoever ran it.
async fn national_rounds(state: &AppState, instrument: &str) -> Result<Vec<Round>, AppError> {
    Ok(state
        .store()
        .rounds(None)
        .await?
        .into_iter()
        .filter(|r| r.instrument == instrument)
        .collect())
}

/// What an export covers: one round, or the ministry's national view of an instrument.
enum Scope {
    Round(RoundId),
    National(String),
}

/// The tables of a scope and the file name stem for its downloads.
async fn export_tables(
    state: &AppState,
    ctx: &Ctx,
    scope: Scope,
) -> Result<(String, ReportTables), AppError> {
    let (instrument, rounds, national, stem) = match scope {
        Scope::Round(id) => {
            let round = state.store().round(id).await?;
            (
                round.instrument.clone(),
                vec![round],
                false,
                format!("round-{id}-report"),
            )
        }
        Scope::National(instrument) => {
            let rounds = national_rounds(state, &instrument).await?;
            let stem = format!("national-{instrument}-report");
            (instrument, rounds, true, stem)
        }
    };
    let inst = state
        .catalog()
        .instrument(&instrument)
        .ok_or(AppError::NotFound)?;
    let results = load(
        state,
        inst,
        &rounds,
        national,
        &[],
        state.service.config().disclosure_k,
    )
    .await?;
    Ok((
        stem,
        report_tables(
            inst,
            &results,
            state.catalog().national_baseline(),
            &ctx.lang(),
        ),
    ))
}

fn xlsx_download(stem: &str, tables: &ReportTables) -> Result<Response, AppError> {
    let bytes =
        tables_xlsx::write(&tables.sheets()).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(bytes, XLSX, &format!("{stem}.xlsx")))
}

pub async fn xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RoundId>,
) -> Result<Response, AppError> {
    let (stem, sheets) = export_tables(&state, &ctx, Scope::Round(id)).await?;
    xlsx_download(&stem, &sheets)
}

pub async fn national_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(instrument): Path<String>,
) -> Result<Response, AppError> {
    let (stem, sheets) = export_tables(&state, &ctx, Scope::National(instrument)).await?;
    xlsx_download(&stem, &sheets)
}

pub async fn csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RoundId>,
) -> Result<Response, AppError> {
    let (stem, sheets) = export_tables(&state, &ctx, Scope::Round(id)).await?;
    csv_download(&ctx, &stem, &sheets)
}

pub async fn national_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(instrument): Path<String>,
) -> Result<Response, AppError> {
    let (stem, sheets) = export_tables(&state, &ctx, Scope::National(instrument)).await?;
    csv_download(&ctx, &stem, &sheets)
}

/// All sections as one long table, the section name first on each row.
fn csv_download(ctx: &Ctx, stem: &str, tables: &ReportTables) -> Result<Response, AppError> {
    let rows = tables.flat(&ctx.lang());
    let bytes = kojo_formats::csv_out::write(&rows, kojo_formats::csv_out::Encoding::Utf8Bom)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(bytes, CSV, &format!("{stem}.csv")))
}
