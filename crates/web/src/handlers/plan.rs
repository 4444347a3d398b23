//! A site's action plan: the page, adding a measure from the gap list, and saving a row.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use kojo_core::ids::{AssessmentId, PlanItemId, SiteId};
use kojo_service::plan::PlanDraft;
use kojo_storage::Saved;
use serde::Deserialize;

use crate::views::plan::{PlanAdded, PlanPage, PlanRow, PlanRowFragment, statuses};
use crate::{AppError, AppState, Ctx};

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
) -> Result<PlanPage, AppError> {
    let (site, entries) = state.service.plan(&ctx.who()?, site).await?;
    Ok(PlanPage {
        rows: entries.iter().map(|e| PlanRow::new(&ctx, e)).collect(),
        statuses: statuses(&ctx),
        ctx,
        site: site.name,
    })
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
    let mut r = PlanRow::new(&ctx, entry);
    r.message = Some(message.to_string());
    r.conflict = conflict;
    Ok(PlanRowFragment {
        statuses: statuses(&ctx),
        ctx,
        r,
    }
    .into_response())
}
