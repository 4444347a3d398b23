//! A site's action plan: the page, adding a measure from the gap list, and saving a row.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use kojo_core::format;
use kojo_core::ids::{AssessmentId, PlanItemId, SiteId};
use kojo_service::plan::PlanDraft;
use kojo_storage::Saved;
use serde::Deserialize;

use crate::handlers::results::LangQuery;
use crate::views::plan::{
    PlanAdded, PlanHead, PlanPage, PlanPrint, PlanRow, PlanRowFragment, statuses,
};
use crate::views::vuln::PlanVulns;
use crate::{AppError, AppState, Ctx};

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
) -> Result<PlanPage, AppError> {
    let who = ctx.who()?;
    let o = state.service.plan(&who, site).await?;
    let catalog = state.service.catalog();
    let lang = ctx.lang();
    let vulns = state.service.vuln_for_plan(&who, site, &lang).await?;
    Ok(PlanPage {
        vulns: PlanVulns::new(vulns.as_ref(), &lang),
        rows: o
            .entries
            .iter()
            .map(|e| PlanRow::new(&ctx, catalog, e, o.today))
            .collect(),
        head: PlanHead::new(&ctx, &o),
        statuses: statuses(&ctx),
        ctx,
    })
}

/// The plan on its own page, to print (A4), in the language asked for (`?lang=en`).
pub async fn print(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
    Query(q): Query<LangQuery>,
) -> Result<PlanPrint, AppError> {
    let ctx = ctx.in_locale(q.lang.as_deref());
    let who = ctx.who()?;
    let o = state.service.plan(&who, site).await?;
    let catalog = state.service.catalog();
    let lang = ctx.lang();
    let vulns = state.service.vuln_for_plan(&who, site, &lang).await?;
    Ok(PlanPrint {
        vulns: PlanVulns::new(vulns.as_ref(), &lang),
        rows: o
            .entries
            .iter()
            .map(|e| PlanRow::new(&ctx, catalog, e, o.today))
            .collect(),
        head: PlanHead::new(&ctx, &o),
        company: o.company.clone(),
        generated: format::datetime(kojo_storage::now_millis(), ctx.locale),
        ctx,
    })
}

/// Takes a measure out of the plan.
pub async fn remove(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<PlanItemId>,
) -> Result<Redirect, AppError> {
    let site = state.service.remove_plan_item(&ctx.who()?, id).await?;
    Ok(Redirect::to(&format!("/sites/{site}/plan")))
}

#[derive(Deserialize)]
pub struct AddToPlan {
    pub measure: String,
    #[serde(default)]
    pub assessment: Option<AssessmentId>,
}

/// Adds a measure to the site's plan (from the gap list).
pub async fn add(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(site): Path<SiteId>,
    Form(form): Form<AddToPlan>,
) -> Result<Response, AppError> {
    let who = ctx.who()?;
    state
        .service
        .add_to_plan(&who, site, &form.measure, form.assessment)
        .await?;
    if headers.get("hx-request").is_some() {
        Ok(PlanAdded { ctx, site_id: site }.into_response())
    } else {
        Ok(Redirect::to(&format!("/sites/{site}/plan")).into_response())
    }
}

#[derive(Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub due_date: String,
    pub status: String,
    #[serde(default)]
    pub note: String,
    pub version: i64,
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<PlanItemId>,
    Form(form): Form<PlanForm>,
) -> Result<Response, AppError> {
    let draft = PlanDraft {
        owner: form.owner,
        due_date: form.due_date,
        status: form.status,
        note: form.note,
        version: form.version,
    };
    let saved = state
        .service
        .update_plan_item(&ctx.who()?, id, &draft)
        .await?;
    let (entry, message, conflict) = match &saved {
        Saved::Saved(e) => (e, ctx.t.assess_saved, false),
        Saved::Conflict(Some(e)) => (e, ctx.t.plan_conflict, true),
        Saved::Conflict(None) => return Err(AppError::NotFound),
    };
    if headers.get("hx-request").is_none() {
        let to = format!("/sites/{}/plan", entry.item.site_id);
        return Ok(Redirect::to(&to).into_response());
    }
    let today = kojo_core::plan::today_jst(kojo_storage::now_millis());
    let mut r = PlanRow::new(&ctx, state.service.catalog(), entry, today);
    r.message = Some(message.to_string());
    r.conflict = conflict;
    Ok(PlanRowFragment {
        statuses: statuses(&ctx),
        ctx,
        r,
    }
    .into_response())
}
