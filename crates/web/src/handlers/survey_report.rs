//! The report page of a round, and the ministry's national view of every round of an
//! instrument (each organisation once), with a cross-tab on request.

use axum::extract::{Path, Query, State};
use kojo_core::ids::RoundId;
use kojo_service::survey_report::Scope;
use serde::Deserialize;

use crate::views::survey_report::{Asked, ReportPage};
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

async fn render(
    state: &AppState,
    ctx: Ctx,
    scope: Scope,
    base: String,
    q: ReportQuery,
) -> Result<ReportPage, AppError> {
    let asked = Asked {
        section: q.section,
        by: q.by.unwrap_or_default(),
        of: q.of.unwrap_or_default(),
    };
    let cross = if asked.by.is_empty() || asked.of.is_empty() {
        vec![]
    } else {
        vec![(asked.by.clone(), asked.of.clone())]
    };
    let svc = &state.service;
    let report = svc.survey_report(&ctx.who()?, &scope, &cross).await?;
    Ok(ReportPage::new(ctx, svc.catalog(), &report, base, asked))
}

pub async fn round(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RoundId>,
    Query(q): Query<ReportQuery>,
) -> Result<ReportPage, AppError> {
    let base = format!("/rounds/{id}/report");
    render(&state, ctx, Scope::Round(id), base, q).await
}

/// The ministry's national view: every round of an instrument, each organisation once.
pub async fn national(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(instrument): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Result<ReportPage, AppError> {
    let base = format!("/national/{instrument}");
    render(&state, ctx, Scope::National(instrument), base, q).await
}
