//! Answering a survey: through a personal link without an account, or signed in as a company
//! member for its associations' company surveys (the checklist grid pre-filled from the latest
//! self-assessment). Posted forms are decoded here and checked by the use case; what a link
//! may show or change is decided there (`kojo_service::responses`).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use kojo_core::ids::{RoundId, SiteId};
use kojo_service::Problem;
use kojo_service::responses::{Answered, Outcome, Posted};

use crate::views::respond::{CompanySurveys, RefusedCells, RespondPage};
use crate::{AppError, AppState, Ctx};

/// The fields of a URL-encoded form body, in order.
fn decode(body: &[u8]) -> Posted {
    Posted::new(
        form_urlencoded::parse(body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
    )
}

/// A page holding answers or a resume code: never kept by the browser or a proxy.
fn private(status: StatusCode, page: RespondPage) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], page).into_response()
}

/// The page after a post, with its status code.
fn answered_page(ctx: Ctx, answered: &Answered, action: String) -> Response {
    let status = match &answered.outcome {
        Outcome::Refused(Problem::ResumeThrottled { .. }) => StatusCode::TOO_MANY_REQUESTS,
        Outcome::Refused(Problem::ResumeCodeWrong) => StatusCode::FORBIDDEN,
        Outcome::Refused(Problem::ResumeCodeLength { .. } | Problem::ConfirmRequired)
        | Outcome::Incomplete => StatusCode::BAD_REQUEST,
        Outcome::Refused(_) | Outcome::Conflict => StatusCode::CONFLICT,
        Outcome::Shown
        | Outcome::Saved
        | Outcome::Submitted
        | Outcome::Resumed
        | Outcome::Discarded => StatusCode::OK,
    };
    private(status, RespondPage::answered(ctx, answered, action))
}

/// The form a link opens: blank, or where the link stands (never stored answers).
pub async fn link_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let form = state.service.link_form(&token).await?;
    let action = format!("/r/{token}");
    let page = RespondPage::new(ctx, &form, action, RefusedCells::default());
    Ok(private(StatusCode::OK, page))
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
) -> Result<Response, AppError> {
    let who = ctx.who()?;
    let (form, prefill) = state.service.company_form(&who, id, q.site).await?;
    let action = format!("/company/surveys/{id}");
    let page = RespondPage::new(ctx, &form, action, RefusedCells::default()).with_prefill(prefill);
    Ok(private(StatusCode::OK, page))
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
