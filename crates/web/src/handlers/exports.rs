//! Files out and in: the results workbook (xlsx), the answers as CSV (UTF-8 with BOM, or CP932
//! on request), the blank workbook for answering offline, the current answers as that workbook,
//! and its upload.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kojo_core::ids::{AssessmentId, SiteId};
use kojo_formats::csv_out::Encoding;
use kojo_service::assessment::{WORKBOOK_UPLOAD_LIMIT, WorkbookImport};
use kojo_service::report::export::{encoding, file_stem};
use kojo_service::{Error, Problem};
use serde::Deserialize;

use crate::upload::{CSV, XLSX, download, uploaded_file};
use crate::views::import::ImportErrorsPage;
use crate::{AppError, AppState, Ctx};

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub encoding: Option<String>,
}

pub async fn xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<AssessmentId>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let ctx = ctx.in_locale(q.lang.as_deref());
    let report = state.service.assessment_report(&ctx.who()?, id).await?;
    let bytes = state.service.results_workbook(&report, &ctx.lang())?;
    Ok(download(
        bytes,
        XLSX,
        &format!("{}.xlsx", file_stem(&report)),
    ))
}

pub async fn csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<AssessmentId>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let ctx = ctx.in_locale(q.lang.as_deref());
    let encoding = encoding(q.encoding.as_deref())?;
    let report = state.service.assessment_report(&ctx.who()?, id).await?;
    let bytes = state.service.answers_csv(&report, &ctx.lang(), encoding)?;
    let content_type = match encoding {
        Encoding::Utf8Bom => CSV,
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
    Path(id): Path<AssessmentId>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let ctx = ctx.in_locale(q.lang.as_deref());
    let (name, bytes) = state
        .service
        .assessment_workbook(&ctx.who()?, id, &ctx.lang())
        .await?;
    Ok(download(bytes, XLSX, &name))
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
    let ctx = ctx.in_locale(q.lang.as_deref());
    let (name, bytes) = state
        .service
        .assessment_template(q.checklist.as_deref(), &ctx.lang())?;
    Ok(download(bytes, XLSX, &name))
}

/// Uploads a filled workbook: a new assessment is created only if every cell is valid.
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (name, bytes) = uploaded_file(multipart, WORKBOOK_UPLOAD_LIMIT, "upload.xlsx").await?;
    match state
        .service
        .import_workbook(&ctx.who()?, site, &bytes)
        .await
    {
        Ok(WorkbookImport::Imported(a)) => {
            Ok(Redirect::to(&format!("/assessments/{}", a.id)).into_response())
        }
        Ok(WorkbookImport::Rejected(e)) => {
            let page = ImportErrorsPage::rejected(ctx, name, &e);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(Error::Conflict(Problem::DraftExists)) => {
            let problem = Problem::DraftExists.message(&ctx.lang());
            let page = ImportErrorsPage::refused(ctx, name, problem);
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
