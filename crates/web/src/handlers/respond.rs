//! Answering a survey: through a personal link without an account, or signed in as a company
//! member for its associations' company surveys (the checklist grid pre-filled from the latest
//! self-assessment). Posted forms are decoded here and checked by the use case.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kojo_core::ids::{RoundId, SiteId};
use kojo_service::responses::{Answered, Outcome, Posted};

use crate::views::respond::{CompanySurveys, RespondPage};
use crate::{AppError, AppState, Ctx};

/// The fields of a URL-encoded form body, in order.
fn decode(body: &[u8]) -> Posted {
    Posted::new(
        form_urlencoded::parse(body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
    )
}

/// The page after a post, with its status code.
fn answered_page(ctx: Ctx, answered: &Answered, action: String) -> Response {
    let status = match answered.outcome {
        Outcome::Closed | Outcome::Conflict => StatusCode::CONFLICT,
        Outcome::Incomplete => StatusCode::BAD_REQUEST,
        Outcome::Saved | Outcome::Submitted => StatusCode::OK,
    };
    (status, RespondPage::answered(ctx, answered, action)).into_response()
}

pub async fn link_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<RespondPage, AppError> {
    let form = state.service.link_form(&token).await?;
    let action = format!("/r/{token}");
    Ok(RespondPage::new(ctx, &form, action, &Default::default()))
}

pub async fn link_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let answered = state.service.answer_by_link(&token, &decode(&body)).await?;
    Ok(answered_page(ctx, &answered, format!("/r/{token}")))
}

pub async fn company_list(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<CompanySurveys, AppError> {
    let surveys = state.service.company_surveys(&ctx.who()?).await?;
    Ok(CompanySurveys::new(ctx, surveys))
}

#[derive(serde::Deserialize, Default)]
pub struct SiteQuery {
    #[serde(default)]
    pub site: Option<SiteId>,
}

/// The company's form; on first opening, the checklist grid is filled from the latest
/// self-assessment of the chosen site.
pub async fn company_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RoundId>,
    Query(q): Query<SiteQuery>,
) -> Result<RespondPage, AppError> {
    let who = ctx.who()?;
    let (form, prefill) = state.service.company_form(&who, id, q.site).await?;
    let action = format!("/company/surveys/{id}");
    Ok(RespondPage::new(ctx, &form, action, &Default::default()).with_prefill(prefill))
}

pub async fn company_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RoundId>,
    body: Bytes,
) -> Result<Response, AppError> {
    let who = ctx.who()?;
    let answered = state
        .service
        .answer_as_company(&who, id, &decode(&body))
        .await?;
    Ok(answered_page(
        ctx,
        &answered,
        format!("/company/surveys/{id}"),
    ))
}
