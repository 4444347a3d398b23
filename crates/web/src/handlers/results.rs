//! The results page (cached per answers, plan and language) and the printable report.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use kojo_core::format;
use kojo_core::ids::AssessmentId;
use kojo_storage::ResultsVersion;
use serde::Deserialize;

use kojo_service::plant::analysis_options;

use crate::cache::ResultsKey;
use crate::views::evidence::EvidenceRow;
use crate::views::report_plant::ReportPlant;
use crate::views::results::{PrintReport, ResultsBody, ResultsPage, ResultsView, VendorQuestions};
use crate::{AppError, AppState, Ctx};

#[derive(Deserialize, Default)]
pub struct ResultsQuery {
    /// `free`: only the next steps that cost nothing.
    #[serde(default)]
    pub steps: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<AssessmentId>,
    Query(q): Query<ResultsQuery>,
) -> Result<ResultsPage, AppError> {
    // The authorisation layer has checked that the assessment is this company's.
    let version = results_version(&state, id).await?;
    let free_only = q.steps.as_deref() == Some("free");
    let key = ResultsKey {
        assessment: id,
        locale: ctx.locale,
        updated_at: version.updated_at,
        plan: version.plan,
        plant: version.plant,
        today: kojo_core::plan::today_jst(kojo_storage::now_millis()),
        free_only,
    };
    let body = match state.results_cache.get(&key) {
        Some(body) => body,
        None => {
            let v = results_view(&state, &ctx, id).await?;
            let body: Arc<str> = ResultsBody {
                ctx: &ctx,
                v: &v,
                free_only,
            }
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
    let who = ctx.who()?;
    let report = state.service.assessment_report(&who, id).await?;
    let text = state.service.report_view(&report, &ctx.lang())?;
    let mut v = ResultsView::new(ctx, &report, text);
    v.evidence = evidence_rows(state, ctx, &report).await?;
    Ok(v)
}

/// The evidence files of the report's assessment (its appendix).
async fn evidence_rows(
    state: &AppState,
    ctx: &Ctx,
    report: &kojo_core::report::AssessmentReport,
) -> Result<Vec<EvidenceRow>, AppError> {
    let (checklist, _) = state.service.checklist_of(&report.header.checklist)?;
    Ok(state
        .service
        .evidence_list(&ctx.who()?, report.header.assessment_id)
        .await?
        .iter()
        .map(|e| EvidenceRow::new(ctx, checklist, e))
        .collect())
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
    let mut v = ResultsView::new(&ctx, &report, text);
    v.evidence = evidence_rows(&state, &ctx, &report).await?;
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
        free_only: false,
        plant,
    })
}

/// The question sheet for the items answered 「わからない」, to print and send (`?lang=en`).
pub async fn vendor_questions(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<AssessmentId>,
    Query(q): Query<LangQuery>,
) -> Result<VendorQuestions, AppError> {
    let ctx = ctx.in_locale(q.lang.as_deref());
    let v = results_view(&state, &ctx, id).await?;
    let generated = format::datetime(kojo_storage::now_millis(), ctx.locale);
    Ok(VendorQuestions { ctx, v, generated })
}
