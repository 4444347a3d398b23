//! Answering a survey: by a single-use link without an account (save, resume, submit, correct
//! until the round closes), or signed in as a company member for its association's company
//! survey, with the checklist grid (section H) pre-filled from the latest self-assessment.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kojo_core::ids::{OrgId, RoundId};
use kojo_core::instrument::{Instrument, InstrumentKind, QuestionType};
use kojo_core::status::ResponseStatus;
use kojo_core::survey::schema::Schema;
use kojo_storage::{Invitee, Round, Saved, StoreError};

use super::survey_form::{self, Cells, FormSection};
use crate::auth::session::hash_token;
use crate::{AppError, AppState, Ctx};

#[derive(Template, WebTemplate)]
#[template(path = "respond.html")]
pub struct RespondPage {
    pub ctx: Ctx,
    pub action: String,
    pub round_title: String,
    /// The round's period (dates as set by its runner; empty when none).
    pub period: String,
    pub instrument: String,
    pub respondent: String,
    pub open: bool,
    pub status: String,
    pub version: i64,
    pub sections: Vec<FormSection>,
    pub message: Option<String>,
    pub problems: Vec<String>,
    pub sites: Vec<(kojo_core::ids::SiteId, String)>,
    pub prefilled_from: Option<String>,
}

struct Target {
    round: Round,
    invitee: Option<Invitee>,
    org_id: Option<OrgId>,
    respondent: String,
    label: String,
}

fn instrument<'a>(state: &'a AppState, round: &Round) -> Result<&'a Instrument, AppError> {
    state
        .catalog()
        .instrument(&round.instrument)
        .ok_or(AppError::NotFound)
}

async fn by_token(state: &AppState, token: &str) -> Result<Target, AppError> {
    let invitee = state
        .store()
        .invitee_by_token(&hash_token(token))
        .await
        .map_err(|e| match e {
            StoreError::NotFound => AppError::NotFound,
            other => other.into(),
        })?;
    let round = state.store().round(invitee.round_id).await?;
    let respondent = match invitee.org_id {
        Some(o) => format!("org-{o}"),
        None => format!("inv-{}", invitee.id),
    };
    Ok(Target {
        org_id: invitee.org_id,
        label: invitee.label.clone(),
        round,
        invitee: Some(invitee),
        respondent,
    })
}

#[allow(clippy::too_many_arguments)]
async fn page(
    state: &AppState,
    ctx: Ctx,
    target: &Target,
    action: String,
    cells: Option<&Cells>,
    errors: &HashMap<String, String>,
    message: Option<String>,
    problems: Vec<String>,
) -> Result<RespondPage, AppError> {
    let inst = instrument(state, &target.round)?;
    let stored = state
        .store()
        .response(target.round.id, &target.respondent)
        .await?;
    let saved_cells = stored
        .as_ref()
        .map(|r| r.answers.clone())
        .unwrap_or_default();
    let cells = cells.unwrap_or(&saved_cells);
    let status = match stored.as_ref().map(|r| r.status) {
        Some(ResponseStatus::Submitted) => ctx.t.survey_status_submitted,
        Some(_) => ctx.t.survey_status_draft,
        None => ctx.t.survey_status_none,
    };
    Ok(RespondPage {
        action,
        round_title: target.round.title.clone(),
        period: kojo_core::format::period(
            target.round.opens_on.as_deref(),
            target.round.closes_on.as_deref(),
            ctx.locale,
        ),
        instrument: inst.title.get(ctx.locale).to_string(),
        respondent: target.label.clone(),
        open: target.round.is_open(),
        status: status.to_string(),
        version: stored.as_ref().map(|r| r.version).unwrap_or(0),
        sections: survey_form::build(inst, ctx.locale, cells, errors, ctx.t.survey_routing),
        message,
        problems,
        sites: vec![],
        prefilled_from: None,
        ctx,
    })
}

pub async fn link_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<RespondPage, AppError> {
    let target = by_token(&state, &token).await?;
    page(
        &state,
        ctx,
        &target,
        format!("/r/{token}"),
        None,
        &HashMap::new(),
        None,
        vec![],
    )
    .await
}

pub async fn link_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let target = by_token(&state, &token).await?;
    save(&state, ctx, &target, format!("/r/{token}"), &body).await
}

/// Saves or submits a form for a respondent.
async fn save(
    state: &AppState,
    ctx: Ctx,
    target: &Target,
    action: String,
    body: &[u8],
) -> Result<Response, AppError> {
    let inst = instrument(state, &target.round)?;
    let schema = Schema::new(inst).map_err(|e| AppError::Internal(e.to_string()))?;
    let parsed = survey_form::parse(&schema, body, ctx.locale);
    let version: i64 = form_urlencoded::parse(body)
        .find(|(k, _)| k == "version")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    if !target.round.is_open() {
        let msg = ctx.t.survey_round_closed.to_string();
        let p = page(
            state,
            ctx,
            target,
            action,
            None,
            &HashMap::new(),
            Some(msg),
            vec![],
        )
        .await?;
        return Ok((StatusCode::CONFLICT, p).into_response());
    }
    let mut problems: Vec<String> = parsed
        .dropped
        .iter()
        .map(|c| ctx.fill(ctx.t.survey_dropped, "question", c))
        .collect();
    let submit = parsed.action == "submit";
    if submit && !parsed.errors.is_empty() {
        problems.insert(0, ctx.t.survey_fix_errors.to_string());
        let p = page(
            state,
            ctx,
            target,
            action,
            Some(&parsed.cells),
            &parsed.errors,
            None,
            problems,
        )
        .await?;
        return Ok((StatusCode::BAD_REQUEST, p).into_response());
    }
    let outcome = state
        .store()
        .save_response(
            target.round.id,
            target.invitee.as_ref().map(|i| i.id),
            target.org_id,
            &target.respondent,
            &parsed.cells,
            version,
            submit,
        )
        .await?;
    let (status, message) = match outcome {
        Saved::Saved(r) if r.status == ResponseStatus::Submitted => {
            (StatusCode::OK, ctx.t.survey_submitted_message)
        }
        Saved::Saved(_) => (StatusCode::OK, ctx.t.survey_saved_message),
        Saved::Conflict(_) => (StatusCode::CONFLICT, ctx.t.survey_conflict),
    };
    let keep = if status == StatusCode::CONFLICT {
        None
    } else {
        Some(&parsed.cells)
    };
    let errors = if status == StatusCode::CONFLICT {
        HashMap::new()
    } else {
        parsed.errors.clone()
    };
    if !parsed.errors.is_empty() {
        problems.insert(0, ctx.t.survey_fix_errors.to_string());
    }
    let p = page(
        state,
        ctx,
        target,
        action,
        keep,
        &errors,
        Some(message.to_string()),
        problems,
    )
    .await?;
    Ok((status, p).into_response())
}

pub struct SurveyRow {
    pub id: RoundId,
    pub title: String,
    pub association: String,
    pub status: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "company_surveys.html")]
pub struct CompanySurveys {
    pub ctx: Ctx,
    pub rows: Vec<SurveyRow>,
}

/// Open company surveys of the associations the company belongs to.
async fn open_rounds(state: &AppState, company: OrgId) -> Result<Vec<Round>, AppError> {
    let mut out = Vec::new();
    for assoc in state.store().associations_of(company).await? {
        for r in state.store().rounds(Some(assoc.id)).await? {
            let is_company = state
                .catalog()
                .instrument(&r.instrument)
                .is_some_and(|i| i.kind == InstrumentKind::Company);
            if r.is_open() && is_company {
                out.push(r);
            }
        }
    }
    Ok(out)
}

pub async fn company_list(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<CompanySurveys, AppError> {
    let (_, org) = ctx.company_user()?;
    let owners: HashMap<OrgId, String> = state
        .store()
        .associations_of(org)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let mut rows = Vec::new();
    for r in open_rounds(&state, org).await? {
        let status = match state
            .store()
            .response(r.id, &format!("org-{org}"))
            .await?
            .map(|x| x.status)
        {
            Some(ResponseStatus::Submitted) => ctx.t.survey_status_submitted,
            Some(_) => ctx.t.survey_status_draft,
            None => ctx.t.survey_status_none,
        };
        rows.push(SurveyRow {
            id: r.id,
            title: r.title.clone(),
            association: owners.get(&r.owner_org_id).cloned().unwrap_or_default(),
            status: status.to_string(),
        });
    }
    Ok(CompanySurveys { ctx, rows })
}

async fn company_target(
    state: &AppState,
    ctx: &Ctx,
    round_id: RoundId,
) -> Result<Target, AppError> {
    let (_, org) = ctx.company_user()?;
    let round = open_rounds(state, org)
        .await?
        .into_iter()
        .find(|r| r.id == round_id)
        .ok_or(AppError::NotFound)?;
    let name = state.store().org(org).await?.name;
    Ok(Target {
        round,
        invitee: None,
        org_id: Some(org),
        respondent: format!("org-{org}"),
        label: name,
    })
}

#[derive(serde::Deserialize, Default)]
pub struct SiteQuery {
    #[serde(default)]
    pub site: Option<kojo_core::ids::SiteId>,
}

/// The company's form; on first opening, the checklist grid is filled from the latest
/// self-assessment of the chosen site.
pub async fn company_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RoundId>,
    Query(q): Query<SiteQuery>,
) -> Result<RespondPage, AppError> {
    let target = company_target(&state, &ctx, id).await?;
    let org = target.org_id.ok_or(AppError::NotFound)?;
    let inst = instrument(&state, &target.round)?;
    let sites = state.store().sites_of(org).await?;
    let existing = state
        .store()
        .response(target.round.id, &target.respondent)
        .await?;
    let mut prefill = None;
    let mut cells = existing
        .as_ref()
        .map(|r| r.answers.clone())
        .unwrap_or_default();
    let site = q.site.or_else(|| (sites.len() == 1).then(|| sites[0].id));
    if let Some(site_id) = site.filter(|s| sites.iter().any(|x| x.id == *s)) {
        for question in inst
            .questions
            .iter()
            .filter(|x| x.kind == QuestionType::Grid && x.rows_from.is_some())
        {
            let empty = question
                .rows
                .iter()
                .all(|r| !cells.contains(&format!("{}.{}", question.id, r.id)));
            if !empty {
                continue;
            }
            let assessments = state.store().assessments_of_site(site_id).await?;
            let Some(a) = assessments
                .iter()
                .find(|a| a.is_complete())
                .or(assessments.first())
            else {
                continue;
            };
            for answer in state.store().answers(a.id).await? {
                if let Some(level) = answer.level
                    && question.rows.iter().any(|r| r.id == answer.item_id)
                {
                    cells.insert(format!("{}.{}", question.id, answer.item_id), level);
                }
            }
            prefill = Some(format!(
                "{} ({})",
                a.site_name,
                kojo_core::format::date(a.updated_at, ctx.locale)
            ));
        }
    }
    let mut p = page(
        &state,
        ctx,
        &target,
        format!("/company/surveys/{id}"),
        Some(&cells),
        &HashMap::new(),
        None,
        vec![],
    )
    .await?;
    p.sites = sites.into_iter().map(|s| (s.id, s.name)).collect();
    p.prefilled_from = prefill;
    Ok(p)
}

pub async fn company_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RoundId>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let target = company_target(&state, &ctx, id).await?;
    save(
        &state,
        ctx,
        &target,
        format!("/company/surveys/{id}"),
        &body,
    )
    .await
}
