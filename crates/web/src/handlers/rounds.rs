//! Survey rounds for associations and the ministry: open a round of an instrument, invite
//! members (personal links, CSV for mail merge), follow the response rate, import responses,
//! close the round.

use axum::Form;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kojo_core::ids::{OrgId, RoundId};
use kojo_service::rounds::RoundDraft;
use kojo_service::{Error, Expected, Problem};
use kojo_storage::Invalid;
use serde::Deserialize;

use crate::upload::{CSV, download, uploaded_file};
use crate::views::rounds::{RoundPage, RoundsInput, RoundsPage};
use crate::{AppError, AppState, Ctx};

/// Largest response file accepted for upload (CSV or xlsx).
pub const UPLOAD_LIMIT: usize = kojo_service::rounds::RESPONSES_UPLOAD_LIMIT;

async fn rounds_page(
    state: &AppState,
    ctx: Ctx,
    error: Option<String>,
) -> Result<RoundsPage, AppError> {
    let who = ctx.who()?;
    let svc = &state.service;
    let input = RoundsInput {
        rounds: svc.list_rounds(&who).await?,
        runnable: svc.runnable_instruments(&who),
        national: svc.national_instruments(&who),
    };
    Ok(RoundsPage::new(ctx, svc.catalog(), input, error))
}

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<RoundsPage, AppError> {
    rounds_page(&state, ctx, None).await
}

#[derive(Deserialize)]
pub struct NewRoundForm {
    pub instrument: String,
    pub title: String,
    #[serde(default)]
    pub opens_on: String,
    #[serde(default)]
    pub closes_on: String,
}

/// Opens a round and shows it; a missing title shows the list again with the problem.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<NewRoundForm>,
) -> Result<Response, AppError> {
    let draft = RoundDraft {
        instrument: form.instrument,
        title: form.title,
        opens_on: form.opens_on,
        closes_on: form.closes_on,
    };
    match state.service.create_round(&ctx.who()?, None, &draft).await {
        Ok(round) => Ok(Redirect::to(&format!("/rounds/{}", round.id)).into_response()),
        Err(Error::Invalid(p @ Problem::Rule(Invalid::RoundTitleRequired))) => {
            let message = p.message(&ctx.lang());
            let page = rounds_page(&state, ctx, Some(message)).await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn round_page(
    state: &AppState,
    ctx: Ctx,
    id: RoundId,
    message: Option<String>,
    errors: Vec<String>,
) -> Result<RoundPage, AppError> {
    let overview = state.service.round_overview(&ctx.who()?, id).await?;
    Ok(RoundPage::new(ctx, overview, message, errors))
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RoundId>,
) -> Result<RoundPage, AppError> {
    round_page(&state, ctx, id, None, vec![]).await
}

/// Invites selected organisations (`org`, repeated) and/or a pasted list of names (`names`,
/// one per line); an organisation invited already, or one the runner may not invite, is named
/// on the page and nobody is added.
pub async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RoundId>,
    body: Bytes,
) -> Result<Response, AppError> {
    let mut orgs: Vec<OrgId> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "org" => orgs.push(v.parse().map_err(|_| Problem::Field {
                field: "org",
                value: v.to_string(),
                expected: Expected::Id,
            })?),
            "names" => names.push(v.into_owned()),
            _ => {}
        }
    }
    let invited = state.service.invite(&ctx.who()?, id, &orgs, &names).await;
    let (status, message, errors) = match invited {
        Ok(n) => {
            let message = ctx.fill(ctx.t.survey_invited, "n", n);
            (StatusCode::OK, Some(message), vec![])
        }
        Err(Error::Conflict(p)) => (StatusCode::OK, None, vec![p.message(&ctx.lang())]),
        Err(Error::Invalid(p)) => (StatusCode::BAD_REQUEST, None, vec![p.message(&ctx.lang())]),
        Err(e) => return Err(e.into()),
    };
    let page = round_page(&state, ctx, id, message, errors).await?;
    Ok((status, page).into_response())
}

/// Every invitee's link, for mail merge (UTF-8 CSV with BOM; Excel-JP opens it).
pub async fn links(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RoundId>,
) -> Result<Response, AppError> {
    let base = state.config.base_url()?;
    let (name, bytes) = state
        .service
        .links_csv(&ctx.who()?, id, base, &ctx.lang())
        .await?;
    Ok(download(bytes, CSV, &name))
}

pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RoundId>,
) -> Result<Redirect, AppError> {
    state.service.close_round(&ctx.who()?, id).await?;
    Ok(Redirect::to(&format!("/rounds/{id}")))
}

/// Imports responses from CSV or xlsx: every cell checked against the instrument; a file with
/// any error imports nothing.
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RoundId>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (name, bytes) = uploaded_file(multipart, UPLOAD_LIMIT, "responses.csv").await?;
    let imported = state
        .service
        .import_responses(&ctx.who()?, id, &name, &bytes, &ctx.lang())
        .await?;
    match imported {
        Ok(n) => {
            let message = ctx.fill(ctx.t.survey_imported, "n", n);
            let page = round_page(&state, ctx, id, Some(message), vec![]).await?;
            Ok(page.into_response())
        }
        Err(errors) => {
            let page = round_page(&state, ctx, id, None, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// The submitted responses in the import format (the ministry only: individual answers).
pub async fn responses_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RoundId>,
) -> Result<Response, AppError> {
    let (name, bytes) = state.service.responses_file(&ctx.who()?, id).await?;
    Ok(download(bytes, CSV, &name))
}
