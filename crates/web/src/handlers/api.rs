//! The JSON API for assessments and results (same sessions and access rules as the pages). Its
//! OpenAPI document is generated from the route table (`crate::openapi`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kojo_core::ids::{AssessmentId, SiteId};
use kojo_service::Problem;
use kojo_service::access::company_of;
use kojo_service::assessment::{AnswerDraft, Completion};
use kojo_storage::Saved;
use serde_json::{Value, json};

use crate::api_types::{AnswerBody, AnswerJson, CompletedJson, SitesJson, StartBody, StartedJson};
use crate::{AppError, AppState, Ctx};

pub async fn sites(State(state): State<AppState>, ctx: Ctx) -> Result<Json<SitesJson>, AppError> {
    let org = company_of(&ctx.who()?)?;
    let sites = state.store().sites_of(org).await?;
    let assessments = state.store().assessments_of_org(org).await?;
    Ok(Json(SitesJson::new(sites, &assessments)))
}

/// Starts an assessment (201), or answers with the factory's draft in progress (200).
pub async fn start(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
    body: Option<Json<StartBody>>,
) -> Result<Response, AppError> {
    let copy_from = body.and_then(|b| b.0.copy_from);
    let started = state
        .service
        .start_assessment(&ctx.who()?, site, copy_from)
        .await?;
    let status = if started.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(StartedJson::from(&started.assessment))).into_response())
}

pub async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<AssessmentId>,
) -> Result<Json<kojo_core::report::AssessmentReport>, AppError> {
    Ok(Json(
        state.service.assessment_report(&ctx.who()?, id).await?,
    ))
}

pub async fn put_answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, item)): Path<(AssessmentId, String)>,
    Json(body): Json<AnswerBody>,
) -> Result<Response, AppError> {
    let draft = AnswerDraft {
        level: body.level,
        note: body.note,
        owner: body.owner,
        target_date: body.target_date.unwrap_or_default(),
        version: body.version,
    };
    let saved = state
        .service
        .save_answer(&ctx.who()?, id, &item, &draft)
        .await?;
    match saved.outcome {
        Saved::Saved(row) => Ok(Json(AnswerJson::from(&row)).into_response()),
        Saved::Conflict(current) => Ok(conflict(&ctx, current.as_ref().map(AnswerJson::from))),
    }
}

/// 409 with the answer as it is stored now, so the client can merge.
fn conflict(ctx: &Ctx, current: Option<AnswerJson>) -> Response {
    let body = json!({
        "error": {"code": "conflict", "message": Problem::Stale.message(&ctx.lang())},
        "current": current,
    });
    (StatusCode::CONFLICT, Json(body)).into_response()
}

pub async fn complete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<AssessmentId>,
) -> Result<Json<CompletedJson>, AppError> {
    match state.service.complete_assessment(&ctx.who()?, id).await? {
        Completion::Completed => Ok(Json(CompletedJson::new(id))),
        Completion::Missing { missing, items } => {
            Err(AppError::Conflict(Problem::Incomplete { missing, items }))
        }
    }
}

/// The OpenAPI document of this instance's JSON API.
pub async fn openapi() -> Json<Value> {
    Json(crate::openapi::document())
}
