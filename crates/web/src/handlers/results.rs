//! The results page (cached per answers, plan and language) and the printable report.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use kojo_core::format;
use kojo_core::ids::AssessmentId;
use kojo_storage::ResultsVersion;
use serde::Deserialize;

use kojo_service::plant::analysis_options;

use crate::views::report_plant::ReportPlant;
use crate::views::results::{PrintReport, ResultsBody, ResultsPage, ResultsView};
use crate::{AppError, AppState, Ctx};

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<AssessmentId>,
) -> Result<ResultsPage, AppError> {
    // The authorisation layer has checked that the assessment is this company's.
    let version = results_version(&state, id).await?;
    let key = (
        id,
        ctx.locale,
        version.updated_at,
        version.plan,
        version.plant,
    );
    let body = match state.results_cache.get(&key) {
        Some(body) => body,
        None => {
            let v = results_view(&state, &ctx, id).await?;
            let body: Arc<str> = ResultsBody { ctx: &ctx, v: &v }
                .render()
                .map_err(|e| AppError::Internal(e.to_string()))?
                .into();
            state.results_cache.put(key, body.clone());
            body
        }
    };
    Ok(ResultsPage {
        ctx,
        title: version.site_name,
        body,
    })
}

async fn results_view(
    state: &AppState,
    ctx: &Ctx,
    id: AssessmentId,
) -> Result<ResultsView, AppError> {
    let report = state.service.assessment_report(&ctx.who()?, id).await?;
    let text = state.service.report_view(&report, &ctx.lang())?;
    Ok(ResultsView::new(ctx, &report, text))
}

/// The version of an assessment's results, from the database or, when nothing was changed
/// through this server since it was read, from the short-lived cache.
async fn results_version(state: &AppState, id: AssessmentId) -> Result<ResultsVersion, AppError> {
    let generation = state.writes.current();
    if let Some((at, v)) = state.results_versions.get(&id)
        && at == generation
    {
        return Ok(v);
    }
    let v = state.service.results_version(id).await?;
    state.results_versions.put(id, (generation, v.clone()));
    Ok(v)
}

#[derive(Deserialize, Default)]
pub struct LangQuery {
    #[serde(default)]
    pub lang: Option<String>,
}

/// The printable A4 report for management, in the language asked for (`?lang=en`).
pub async fn print(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<AssessmentId>,
    Query(q): Query<LangQuery>,
) -> Result<PrintReport, AppError> {
    let ctx = ctx.in_locale(q.lang.as_deref());
    let who = ctx.who()?;
    let report = state.service.assessment_report(&who, id).await?;
    let text = state.service.report_view(&report, &ctx.lang())?;
    let v = ResultsView::new(&ctx, &report, text);
    // The plant section uses the default analysis (the risk page's first view).
    let options = analysis_options(None, None, None)?;
    let analysis = state
        .service
        .analyse_plant(&who, report.header.site_id, &options)
        .await?;
    let plant = ReportPlant::new(&ctx, state.service.catalog(), &analysis);
    let generated = format::datetime(kojo_storage::now_millis(), ctx.locale);
    Ok(PrintReport {
        ctx,
        v,
        generated,
        plant,
    })
}
