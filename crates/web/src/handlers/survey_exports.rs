//! A survey report as files: a workbook with a sheet per section and the figures, or the
//! sections as one CSV table — for a round, or the ministry's national view.

use axum::extract::{Path, State};
use axum::response::Response;
use kojo_core::ids::RoundId;
use kojo_service::survey_report::Scope;

use crate::upload::{CSV, XLSX, download};
use crate::{AppError, AppState, Ctx};

async fn xlsx_of(state: &AppState, ctx: &Ctx, scope: Scope) -> Result<Response, AppError> {
    let (name, bytes) = state
        .service
        .survey_report_xlsx(&ctx.who()?, &scope, &ctx.lang())
        .await?;
    Ok(download(bytes, XLSX, &name))
}

async fn csv_of(state: &AppState, ctx: &Ctx, scope: Scope) -> Result<Response, AppError> {
    let (name, bytes) = state
        .service
        .survey_report_csv(&ctx.who()?, &scope, &ctx.lang())
        .await?;
    Ok(download(bytes, CSV, &name))
}

pub async fn xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RoundId>,
) -> Result<Response, AppError> {
    xlsx_of(&state, &ctx, Scope::Round(id)).await
}

pub async fn csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RoundId>,
) -> Result<Response, AppError> {
    csv_of(&state, &ctx, Scope::Round(id)).await
}

pub async fn national_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(instrument): Path<String>,
) -> Result<Response, AppError> {
    xlsx_of(&state, &ctx, Scope::National(instrument)).await
}

pub async fn national_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(instrument): Path<String>,
) -> Result<Response, AppError> {
    csv_of(&state, &ctx, Scope::National(instrument)).await
}
