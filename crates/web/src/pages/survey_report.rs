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
use kojo_formats::tables_xlsx::{self, Cell, SheetTable};
use kojo_storage::Round;
use serde::Deserialize;

use crate::survey_data::{self, Request};
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
    use kojo_core::Locale::{En, Ja};
    match (w, l) {
        (Withheld::FewerThanK { k }, Ja) => format!("回答者が{k}未満のため非表示"),
        (Withheld::FewerThanK { k }, En) => format!("fewer than {k} respondents"),
        (Withheld::Complementary { k }, Ja) => {
            format!("{k}未満の区分を合計から逆算できないよう非表示")
        }
        (Withheld::Complementary { k }, En) => {
            format!("withheld so that a group of fewer than {k} cannot be derived from the totals")
        }
        (Withheld::Breakdown { k }, Ja) => {
            format!("{k}未満の区分を逆算できないよう内訳を非表示")
        }
        (Withheld::Breakdown { k }, En) => {
            format!("breakdown withheld so that no group of fewer than {k} can be derived")
        }
        (Withheld::DependsOnWithheld { .. }, Ja) => "非表示の値から計算されるため非表示".into(),
        (Withheld::DependsOnWithheld { .. }, En) => "computed from withheld values".into(),
    }
}

/// The labels of a question's answer options (or grid columns).
fn choice_labels(q: &kojo_core::instrument::Question, l: kojo_core::Locale) -> Vec<String> {
    let choices = if q.columns.is_empty() {
        &q.options
    } else {
        &q.columns
    };
    choices.iter().map(|c| c.label.get(l).to_string()).collect()
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
    let fig = state.catalog.national_baseline().figure(id)?;
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

fn cross_options(ctx: &Ctx, inst: &Instrument) -> (Options, Options) {
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
    let k = state.config.disclosure_k;
    let results = load(state, inst, rounds, national, &cross, k).await?;
    let section = q.section.clone().unwrap_or_else(|| {
        inst.sections
            .first()
            .map(|s| s.code.clone())
            .unwrap_or_default()
    });
    let l = ctx.locale;
    let (options_by, options_of) = cross_options(&ctx, inst);
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
    survey_data::results(
        &state.store,
        &state.catalog,
        &state.survey_cache,
        &Request {
            instrument: inst,
            rounds,
            national,
            cross,
            k,
        },
    )
    .await
    .map_err(|e| match e {
        survey_data::DataError::Store(s) => s.into(),
        survey_data::DataError::Schema(m) => AppError::BadRequest(m),
    })
}

pub async fn round(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> Result<ReportPage, AppError> {
    let round = state.store.round(id).await?;
    let inst = state
        .catalog
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
        .catalog
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
        .store
        .rounds(None)
        .await?
        .into_iter()
        .filter(|r| r.instrument == instrument)
        .collect())
}

/// The report as tables: a sheet per section (xlsx) or one long table (CSV).
pub fn tables(
    ctx: &Ctx,
    inst: &Instrument,
    results: &Results,
    baseline: &kojo_core::baseline::Baseline,
) -> Vec<SheetTable> {
    let l = ctx.locale;
    let t = ctx.t;
    let header = vec![
        t.survey_col_question.to_string(),
        t.survey_col_row.to_string(),
        t.survey_col_answer.to_string(),
        t.survey_col_count.to_string(),
        t.survey_col_percent.to_string(),
        "n".to_string(),
        t.survey_col_note.to_string(),
    ];
    let mut sheets: Vec<SheetTable> = inst
        .sections
        .iter()
        .map(|s| SheetTable {
            name: format!("{} {}", s.code, s.title.get(l)),
            header: header.clone(),
            rows: vec![],
        })
        .collect();
    for q in &inst.questions {
        let Some(r) = results.question(&q.id) else {
            continue;
        };
        let Some(sheet) = sheets
            .iter_mut()
            .zip(&inst.sections)
            .find(|(_, s)| s.code == q.section)
            .map(|(sh, _)| sh)
        else {
            continue;
        };
        for row in &r.rows {
            let row_label = row
                .label
                .as_ref()
                .map(|x| x.get(l).to_string())
                .unwrap_or_default();
            match row.data.shown() {
                Some(d) => {
                    for o in &d.options {
                        sheet.rows.push(vec![
                            Cell::Text(format!("{} {}", q.id, q.text.get(l))),
                            Cell::Text(row_label.clone()),
                            Cell::Text(o.label.get(l).to_string()),
                            Cell::Number(o.count as f64),
                            o.percent.map(Cell::Percent).unwrap_or(Cell::Empty),
                            Cell::Number(d.n as f64),
                            Cell::Text(String::new()),
                        ]);
                    }
                }
                None => {
                    let note = row
                        .data
                        .withheld()
                        .map(|s| format!("{}: {}", t.survey_withheld, reason_in(&s, l)))
                        .unwrap_or_default();
                    let labels = if r.number.is_some() || q.kind == QuestionType::Text {
                        vec![String::new()]
                    } else {
                        choice_labels(q, l)
                    };
                    for label in labels {
                        sheet.rows.push(vec![
                            Cell::Text(format!("{} {}", q.id, q.text.get(l))),
                            Cell::Text(row_label.clone()),
                            Cell::Text(label),
                            Cell::Empty,
                            Cell::Empty,
                            Cell::Empty,
                            Cell::Text(note.clone()),
                        ]);
                    }
                }
            }
        }
    }
    let mut figures = SheetTable {
        name: t.survey_figures_sheet.to_string(),
        header: vec![
            "id".into(),
            t.survey_col_question.into(),
            t.survey_col_value.into(),
            t.survey_col_count.into(),
            "n".into(),
            t.survey_col_published.into(),
        ],
        rows: vec![],
    };
    for (id, f) in &results.figures {
        let published = baseline.figure(id);
        figures.rows.push(vec![
            Cell::Text(id.clone()),
            Cell::Text(published.map(|p| p.label(l)).unwrap_or_default()),
            f.value().map(Cell::Number).unwrap_or(Cell::Empty),
            f.count()
                .map(|c| Cell::Number(c as f64))
                .unwrap_or(Cell::Empty),
            f.n().map(|c| Cell::Number(c as f64)).unwrap_or(Cell::Empty),
            published
                .map(|p| Cell::Number(p.value))
                .unwrap_or(Cell::Empty),
        ]);
    }
    sheets.push(figures);
    sheets
}

/// What an export covers: one round, or the ministry's national view of an instrument.
enum Scope {
    Round(i64),
    National(String),
}

/// The tables of a scope and the file name stem for its downloads.
async fn export_tables(
    state: &AppState,
    ctx: &Ctx,
    scope: Scope,
) -> Result<(String, Vec<SheetTable>), AppError> {
    let (instrument, rounds, national, stem) = match scope {
        Scope::Round(id) => {
            let round = state.store.round(id).await?;
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
        .catalog
        .instrument(&instrument)
        .ok_or(AppError::NotFound)?;
    let results = load(
        state,
        inst,
        &rounds,
        national,
        &[],
        state.config.disclosure_k,
    )
    .await?;
    Ok((
        stem,
        tables(ctx, inst, &results, state.catalog.national_baseline()),
    ))
}

fn xlsx_download(stem: &str, sheets: &[SheetTable]) -> Result<Response, AppError> {
    let bytes = tables_xlsx::write(sheets).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(super::exports::download(
        bytes,
        super::exports::XLSX,
        &format!("{stem}.xlsx"),
    ))
}

pub async fn xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
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
    Path(id): Path<i64>,
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
fn csv_download(ctx: &Ctx, stem: &str, sheets: &[SheetTable]) -> Result<Response, AppError> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (i, sheet) in sheets.iter().enumerate() {
        if i == 0 {
            rows.push(
                std::iter::once(ctx.t.survey_col_section.to_string())
                    .chain(sheet.header.iter().cloned())
                    .collect(),
            );
        }
        if sheet.name == ctx.t.survey_figures_sheet {
            continue;
        }
        for r in &sheet.rows {
            let cells = r.iter().map(|c| match c {
                Cell::Text(t) => t.clone(),
                Cell::Number(n) => format!("{n}"),
                Cell::Percent(p) => format!("{p:.1}"),
                Cell::Empty => String::new(),
            });
            rows.push(std::iter::once(sheet.name.clone()).chain(cells).collect());
        }
    }
    let bytes = kojo_formats::csv_out::write(&rows, kojo_formats::csv_out::Encoding::Utf8Bom)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(super::exports::download(
        bytes,
        "text/csv; charset=utf-8",
        &format!("{stem}.csv"),
    ))
}
