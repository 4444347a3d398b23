//! Files out and in: the results workbook (xlsx), the answers as CSV (UTF-8 with BOM, or CP932
//! on request), the blank workbook for answering offline, and its upload.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use kojo_content::Catalog;
use kojo_core::Locale;
use kojo_core::report::AssessmentReport;
use kojo_formats::assessment_xlsx::{
    self, AnswerRow, BaselineRow, ExportData, GapRow, ImportError, PlanRow, ScoreRow,
};
use kojo_formats::csv_out::{self, Encoding};
use kojo_i18n::Msg;
use kojo_storage::{Actor, AnswerInput};
use serde::Deserialize;

use super::results::{plan_status_label, view};
use crate::access::{company_user, own_assessment, own_site};
use crate::reports::{self, checklist_of};
use crate::{AppError, AppState, Ctx};

/// Largest workbook accepted for upload.
pub const UPLOAD_LIMIT: usize = 5 * 1024 * 1024;

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `Content-Disposition` for a download with a Japanese file name (RFC 6266 / 5987).
fn attachment(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        crate::error::urlencode(name)
    )
}

pub(crate) fn download(bytes: Vec<u8>, content_type: &str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, attachment(name)),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub encoding: Option<String>,
}

fn in_locale(mut ctx: Ctx, lang: Option<&str>) -> Ctx {
    if let Some(l) = lang.and_then(Locale::parse) {
        ctx.locale = l;
        ctx.t = Msg::for_locale(l);
    }
    ctx
}

/// The results workbook's content, in the context's language.
pub fn export_data(
    catalog: &Catalog,
    ctx: &Ctx,
    r: &AssessmentReport,
) -> Result<ExportData, AppError> {
    let v = view(catalog, ctx, r)?;
    let l = ctx.locale;
    let t = ctx.t;
    let (checklist, _) = checklist_of(catalog, &r.header.checklist)?;
    let category_title = |id: &str| {
        checklist
            .category(id)
            .map(|c| c.title.get(l).to_string())
            .unwrap_or_default()
    };
    Ok(ExportData {
        locale: l,
        title: t.results_title.to_string(),
        meta: vec![
            (t.results_company.to_string(), v.company.clone()),
            (t.results_site.to_string(), v.site.clone()),
            (
                t.results_checklist.to_string(),
                checklist.title.get(l).to_string(),
            ),
            (t.results_date.to_string(), v.date.clone()),
            (t.results_status.to_string(), v.status.clone()),
            (t.results_size.to_string(), v.size.clone()),
            (t.results_overall.to_string(), v.overall.clone()),
        ],
        categories: r
            .scores
            .categories
            .iter()
            .zip(&v.scores)
            .map(|(c, row)| ScoreRow {
                category: row.title.clone(),
                score: c.score,
                answered: c.answered,
                items: c.items,
                status: row.score.clone(),
            })
            .collect(),
        overall: r.scores.overall,
        answers: r
            .answers
            .iter()
            .map(|a| AnswerRow {
                item_id: a.item.clone(),
                category: category_title(&a.category),
                title: a.title.get(l).to_string(),
                level: a
                    .level_label
                    .as_ref()
                    .map(|x| x.get(l).to_string())
                    .unwrap_or_default(),
                note: a.note.clone(),
                owner: a.owner.clone(),
                target_date: a.target_date.clone().unwrap_or_default(),
            })
            .collect(),
        gaps: r
            .gaps
            .iter()
            .flat_map(|g| {
                g.measures.iter().map(move |m| GapRow {
                    rank: g.rank,
                    item_id: g.gap.item.clone(),
                    title: g.title.get(l).to_string(),
                    level: g.level_label.get(l).to_string(),
                    priority: g.gap.priority,
                    measure: m.title.get(l).to_string(),
                    example: m.example.get(l).to_string(),
                    cost: m.cost_label.get(l).to_string(),
                })
            })
            .collect(),
        plan: r
            .plan
            .iter()
            .map(|p| PlanRow {
                item_id: p.entry.item.clone(),
                measure: p.measure_title.get(l).to_string(),
                owner: p.entry.owner.clone(),
                due_date: p.entry.due_date.clone().unwrap_or_default(),
                status: plan_status_label(ctx, &p.entry.status).to_string(),
                note: p.entry.note.clone(),
            })
            .collect(),
        baseline: v
            .figures
            .iter()
            .map(|f| BaselineRow {
                item_id: f.item.clone(),
                title: f.item_title.clone(),
                figure: f.statement.clone(),
                national: f.national.clone(),
                site: f.site.clone(),
            })
            .collect(),
    })
}

fn file_stem(r: &AssessmentReport) -> String {
    format!("kojo-{}-{}", r.header.site, r.header.assessment_id)
}

pub async fn xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let a = own_assessment(&state, &ctx, id).await?;
    let ctx = in_locale(ctx, q.lang.as_deref());
    let report = reports::load(&state.store, &state.catalog, &a).await?;
    let data = export_data(&state.catalog, &ctx, &report)?;
    let bytes = assessment_xlsx::export(&data).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(
        bytes,
        XLSX,
        &format!("{}.xlsx", file_stem(&report)),
    ))
}

/// The answers as one table (a row per item), for other tools.
pub fn answers_csv(
    catalog: &Catalog,
    ctx: &Ctx,
    r: &AssessmentReport,
) -> Result<Vec<Vec<String>>, AppError> {
    let l = ctx.locale;
    let t = ctx.t;
    let (checklist, _) = checklist_of(catalog, &r.header.checklist)?;
    let mut rows = vec![
        [
            t.csv_item_id,
            t.csv_category,
            t.csv_item,
            t.csv_level_code,
            t.csv_level,
            t.csv_note,
            t.csv_owner,
            t.csv_target_date,
            t.csv_priority_rank,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<String>>(),
    ];
    for a in &r.answers {
        let rank = r
            .gaps
            .iter()
            .find(|g| g.gap.item == a.item)
            .map(|g| g.rank.to_string())
            .unwrap_or_default();
        rows.push(vec![
            a.item.clone(),
            checklist
                .category(&a.category)
                .map(|c| c.title.get(l).to_string())
                .unwrap_or_default(),
            a.title.get(l).to_string(),
            a.level.clone().unwrap_or_default(),
            a.level_label
                .as_ref()
                .map(|x| x.get(l).to_string())
                .unwrap_or_default(),
            a.note.clone(),
            a.owner.clone(),
            a.target_date.clone().unwrap_or_default(),
            rank,
        ]);
    }
    Ok(rows)
}

pub async fn csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let a = own_assessment(&state, &ctx, id).await?;
    let ctx = in_locale(ctx, q.lang.as_deref());
    let encoding = match q.encoding.as_deref() {
        None | Some("") | Some("utf-8") | Some("utf8") => Encoding::Utf8Bom,
        Some("cp932") | Some("shift_jis") | Some("sjis") => Encoding::Cp932,
        Some(other) => {
            return Err(AppError::BadRequest(format!(
                "encoding {other:?}: use utf-8 or cp932"
            )));
        }
    };
    let report = reports::load(&state.store, &state.catalog, &a).await?;
    let rows = answers_csv(&state.catalog, &ctx, &report)?;
    let bytes =
        csv_out::write(&rows, encoding).map_err(|e| AppError::BadRequest(e.message(ctx.locale)))?;
    let content_type = match encoding {
        Encoding::Utf8Bom => "text/csv; charset=utf-8",
        Encoding::Cp932 => "text/csv; charset=shift_jis",
    };
    Ok(download(
        bytes,
        content_type,
        &format!("{}.csv", file_stem(&report)),
    ))
}

/// The assessment's current answers as the offline workbook, to continue on site.
pub async fn workbook(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let a = own_assessment(&state, &ctx, id).await?;
    let ctx = in_locale(ctx, q.lang.as_deref());
    let (checklist, scale) = checklist_of(&state.catalog, &a.checklist)?;
    let answers: Vec<assessment_xlsx::ImportedAnswer> = state
        .store
        .answers(a.id)
        .await?
        .into_iter()
        .map(|r| assessment_xlsx::ImportedAnswer {
            item_id: r.item_id,
            level: r.level,
            note: r.note,
            owner: r.owner,
            target_date: r.target_date,
        })
        .collect();
    let bytes = assessment_xlsx::template_with(checklist, scale, ctx.locale, &answers)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(
        bytes,
        XLSX,
        &format!("kojo-assessment-{}.xlsx", a.id),
    ))
}

#[derive(Deserialize, Default)]
pub struct TemplateQuery {
    #[serde(default)]
    pub checklist: Option<String>,
    #[serde(default)]
    pub lang: Option<String>,
}

/// The blank workbook to answer offline.
pub async fn template(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TemplateQuery>,
) -> Result<Response, AppError> {
    company_user(&ctx)?;
    let ctx = in_locale(ctx, q.lang.as_deref());
    let key = match &q.checklist {
        Some(k) => k.clone(),
        None => state
            .catalog
            .latest_checklist("factory-guideline")
            .map(|c| c.key())
            .unwrap_or_default(),
    };
    let (checklist, scale) = checklist_of(&state.catalog, &key).map_err(|_| AppError::NotFound)?;
    let bytes = assessment_xlsx::template(checklist, scale, ctx.locale)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(
        bytes,
        XLSX,
        &format!("kojo-{}-v{}.xlsx", checklist.id, checklist.version),
    ))
}

/// One bad cell as shown: sheet, cell (E7), the value found, what is expected.
pub type CellProblem = (String, String, String, String);

#[derive(Template, WebTemplate)]
#[template(path = "import_errors.html")]
pub struct ImportErrorsPage {
    pub ctx: Ctx,
    pub site_id: i64,
    pub file: String,
    pub problem: Option<String>,
    pub cells: Vec<CellProblem>,
}

/// Turns an import failure into what the user sees: a file-level problem or every bad cell.
pub fn import_problem(ctx: &Ctx, e: &ImportError) -> (Option<String>, Vec<CellProblem>) {
    let t = ctx.t;
    match e {
        ImportError::NotXlsx(_) => (Some(t.import_not_xlsx.to_string()), vec![]),
        ImportError::NotTemplate(_) => (Some(t.import_not_template.to_string()), vec![]),
        ImportError::WrongChecklist { found, expected } => (
            Some(ctx.fill2(
                t.import_wrong_checklist,
                &("found", found),
                &("expected", expected),
            )),
            vec![],
        ),
        ImportError::Cells(cells) => (
            None,
            cells
                .iter()
                .map(|c| {
                    (
                        c.sheet.clone(),
                        format!("{}{}", c.column, c.row),
                        c.value.clone(),
                        c.expected.get(ctx.locale).to_string(),
                    )
                })
                .collect(),
        ),
    }
}

/// Uploads a filled workbook: a new assessment is created only if every cell is valid.
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site_id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let site = own_site(&state, &ctx, site_id).await?;
    let (user, _) = company_user(&ctx)?;
    let (name, bytes) = super::uploaded_file(multipart, UPLOAD_LIMIT, "upload.xlsx").await?;
    let key = state
        .catalog
        .latest_checklist("factory-guideline")
        .map(|c| c.key())
        .unwrap_or_default();
    let (checklist, scale) = checklist_of(&state.catalog, &key)?;
    match assessment_xlsx::parse(&bytes, checklist, scale) {
        Ok(answers) => {
            if state.store.draft_of_site(site.id).await?.is_some() {
                let page = ImportErrorsPage {
                    problem: Some(ctx.t.import_draft_exists.to_string()),
                    ctx,
                    site_id: site.id,
                    file: name,
                    cells: vec![],
                };
                return Ok((StatusCode::CONFLICT, page).into_response());
            }
            let answers: Vec<(String, AnswerInput)> = answers
                .into_iter()
                .map(|a| {
                    (
                        a.item_id,
                        AnswerInput {
                            level: a.level,
                            note: a.note,
                            owner: a.owner,
                            target_date: a.target_date,
                        },
                    )
                })
                .collect();
            let a = state
                .store
                .import_assessment(&Actor::user(user.id, &user.login), site.id, &key, &answers)
                .await?;
            Ok(Redirect::to(&format!("/assessments/{}", a.id)).into_response())
        }
        Err(e) => {
            let (problem, cells) = import_problem(&ctx, &e);
            let page = ImportErrorsPage {
                ctx,
                site_id: site.id,
                file: name,
                problem,
                cells,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
