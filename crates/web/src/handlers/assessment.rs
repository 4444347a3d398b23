//! Answering an assessment: the page, starting or continuing one, saving an item (htmx or a
//! plain form post), an item's history, completing and discarding.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use kojo_core::ids::{AssessmentId, SiteId};
use kojo_service::assessment::{AnswerDraft, Completion, ItemOutcome};
use serde::Deserialize;

use crate::views::assessment::{AssessmentPage, HistoryFragment, HistoryPage, SaveFragment};
use crate::{AppError, AppState, Ctx};

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<AssessmentId>,
) -> Result<AssessmentPage, AppError> {
    let who = ctx.who()?;
    let sheet = state.service.answer_sheet(&who, id).await?;
    let found = state.service.vuln_ops8(&who, sheet.site.id).await?;
    Ok(AssessmentPage::new(&state, ctx, &sheet, None).with_vulns(found))
}

#[derive(Deserialize)]
pub struct StartForm {
    /// Start from a copy of this assessment's answers.
    #[serde(default)]
    pub copy_from: Option<AssessmentId>,
}

/// Starts an assessment of a site (or continues its draft) and opens it.
pub async fn start(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
    Form(form): Form<StartForm>,
) -> Result<Redirect, AppError> {
    let started = state
        .service
        .start_assessment(&ctx.who()?, site, form.copy_from)
        .await?;
    Ok(Redirect::to(&format!(
        "/assessments/{}",
        started.assessment.id
    )))
}

#[derive(Deserialize)]
pub struct DiscardForm {
    #[serde(default)]
    pub confirm: String,
}

/// Deletes a draft (company admins; the box must be ticked), back to the company page.
pub async fn discard(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<AssessmentId>,
    Form(form): Form<DiscardForm>,
) -> Result<Redirect, AppError> {
    let who = ctx.who()?;
    state
        .service
        .discard_assessment(&who, id, form.confirm == "yes")
        .await?;
    Ok(Redirect::to("/company"))
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub target_date: String,
    #[serde(default)]
    pub version: i64,
}

impl From<AnswerForm> for AnswerDraft {
    fn from(f: AnswerForm) -> AnswerDraft {
        AnswerDraft {
            level: f.level,
            note: f.note,
            owner: f.owner,
            target_date: f.target_date,
            version: f.version,
        }
    }
}

/// Saves one item. An htmx save gets the item's status line back (saved, or why not: a bad
/// field, a conflict, a completed assessment — with 400/409), the fields stay as typed; a plain
/// form post returns to the item when saved, or shows the page with the item as typed and why.
pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path((id, item)): Path<(AssessmentId, String)>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    let draft = AnswerDraft::from(form);
    let who = ctx.who()?;
    let attempt = state
        .service
        .try_save_answer(&who, id, &item, &draft)
        .await?;
    if headers.get("hx-request").is_some() {
        let fragment = SaveFragment::new(&ctx, &attempt);
        return Ok((fragment.http_status(), fragment).into_response());
    }
    if let ItemOutcome::Saved(_) = attempt.outcome {
        let to = format!("/assessments/{id}#item-{}", attempt.item.id);
        return Ok(Redirect::to(&to).into_response());
    }
    let sheet = state.service.answer_sheet(&who, id).await?;
    let page = AssessmentPage::new(&state, ctx, &sheet, None);
    Ok(page.not_saved(&draft, &attempt).into_response())
}

pub async fn history(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path((id, item)): Path<(AssessmentId, String)>,
) -> Result<Response, AppError> {
    let (scale, changes) = state.service.answer_history(&ctx.who()?, id, &item).await?;
    let fragment = HistoryFragment::new(ctx, scale, changes);
    // Followed as a plain link (no JavaScript): a page of its own, with its title and language.
    if headers.get("hx-request").is_none() {
        return Ok(HistoryPage::new(fragment, id, item).into_response());
    }
    Ok(fragment.into_response())
}

/// Completes the assessment when every item is answered (the results follow); otherwise the
/// page again, saying how many items are missing.
pub async fn complete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<AssessmentId>,
) -> Result<Response, AppError> {
    let who = ctx.who()?;
    match state.service.complete_assessment(&who, id).await? {
        Completion::Completed => {
            Ok(Redirect::to(&format!("/assessments/{id}/results")).into_response())
        }
        Completion::Missing { missing, .. } => {
            let message = ctx.fill(ctx.t.assess_incomplete, "n", missing);
            let sheet = state.service.answer_sheet(&who, id).await?;
            Ok(AssessmentPage::new(&state, ctx, &sheet, Some(message)).into_response())
        }
    }
}
