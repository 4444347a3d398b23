//! Survey rounds for associations and the ministry: open a round of an instrument, invite
//! members (single-use links, CSV for mail merge), follow the response rate, import responses,
//! close the round.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kojo_core::instrument::InstrumentKind;
use kojo_core::org::{OrgKind, Role};
use kojo_core::planning::size_band;
use kojo_core::survey::schema::Schema;
use kojo_core::{Locale, format};
use kojo_formats::csv_out::{self, Encoding};
use kojo_formats::survey_csv;
use kojo_storage::{Actor, NewInvitee, NewRound, Round};

use kojo_core::ids::{OrgId, RoundId};
use kojo_core::status::ResponseStatus;
use kojo_service::assessment::optional_date;
use kojo_service::{Expected, Problem};

use crate::auth::session::hash_token;
use crate::upload::uploaded_file;
use crate::{AppError, AppState, AuthUser, Ctx};

/// Largest response file accepted for upload (CSV or xlsx).
pub const UPLOAD_LIMIT: usize = kojo_service::rounds::RESPONSES_UPLOAD_LIMIT;

/// The instruments an organisation can run: associations survey their member companies; the
/// ministry surveys associations (and companies).
pub fn runnable(state: &AppState, user: &AuthUser) -> Vec<(String, String, String)> {
    state
        .catalog()
        .instruments
        .iter()
        .filter(|i| {
            matches!(
                (user.role, i.kind),
                (Role::AssociationAdmin, InstrumentKind::Company)
                    | (
                        Role::MinistryAnalyst,
                        InstrumentKind::Association | InstrumentKind::Company
                    )
            )
        })
        .map(|i| (i.id.clone(), i.title.ja.clone(), i.title.en.clone()))
        .collect()
}

pub struct RoundRow {
    pub id: RoundId,
    pub title: String,
    pub instrument: String,
    pub owner: String,
    pub status: String,
    pub period: String,
    pub submitted: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "rounds.html")]
pub struct RoundsPage {
    pub ctx: Ctx,
    pub rows: Vec<RoundRow>,
    pub instruments: Vec<(String, String)>,
    pub national: Vec<(String, String)>,
    pub error: Option<String>,
}

fn instrument_title(state: &AppState, id: &str, l: Locale) -> String {
    state
        .catalog()
        .instrument(id)
        .map(|i| i.title.get(l).to_string())
        .unwrap_or_else(|| id.to_string())
}

async fn rounds_page(
    state: &AppState,
    ctx: Ctx,
    error: Option<String>,
) -> Result<RoundsPage, AppError> {
    let user = ctx
        .require_role(&[Role::AssociationAdmin, Role::MinistryAnalyst])?
        .clone();
    let l = ctx.locale;
    let owner = if user.role == Role::MinistryAnalyst {
        None
    } else {
        user.org_id
    };
    let orgs: HashMap<OrgId, String> = state
        .store()
        .list_orgs(None)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let mut rows = Vec::new();
    for r in state.store().rounds(owner).await? {
        let (_, submitted) = state.store().response_counts(r.id).await?;
        rows.push(RoundRow {
            id: r.id,
            instrument: instrument_title(state, &r.instrument, l),
            owner: orgs.get(&r.owner_org_id).cloned().unwrap_or_default(),
            status: if r.is_open() {
                ctx.t.survey_open
            } else {
                ctx.t.survey_closed
            }
            .to_string(),
            period: format::period(r.opens_on.as_deref(), r.closes_on.as_deref(), l),
            title: r.title,
            submitted,
        });
    }
    let instruments = runnable(state, &user)
        .into_iter()
        .map(|(id, ja, en)| (id, if l == Locale::Ja { ja } else { en }))
        .collect();
    let national = if user.role == Role::MinistryAnalyst {
        state
            .catalog()
            .instruments
            .iter()
            .filter(|i| i.kind != InstrumentKind::Hearing)
            .map(|i| (i.id.clone(), i.title.get(l).to_string()))
            .collect()
    } else {
        vec![]
    };
    Ok(RoundsPage {
        ctx,
        rows,
        instruments,
        national,
        error,
    })
}

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<RoundsPage, AppError> {
    rounds_page(&state, ctx, None).await
}

#[derive(serde::Deserialize)]
pub struct NewRoundForm {
    pub instrument: String,
    pub title: String,
    #[serde(default)]
    pub opens_on: String,
    #[serde(default)]
    pub closes_on: String,
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(form): axum::Form<NewRoundForm>,
) -> Result<Response, AppError> {
    let user = ctx
        .require_role(&[Role::AssociationAdmin, Role::MinistryAnalyst])?
        .clone();
    let org = user.org_id.ok_or(AppError::Forbidden)?;
    if !runnable(&state, &user)
        .iter()
        .any(|(id, _, _)| id == &form.instrument)
    {
        return Err(Problem::Field {
            field: "instrument",
            value: form.instrument.clone(),
            expected: Expected::Id,
        }
        .into());
    }
    if form.title.trim().is_empty() {
        let msg = ctx.t.survey_title_required.to_string();
        return Ok((
            StatusCode::BAD_REQUEST,
            rounds_page(&state, ctx, Some(msg)).await?,
        )
            .into_response());
    }
    let round = state
        .store()
        .create_round(
            &Actor::user(user.id, &user.login),
            org,
            &NewRound {
                instrument: form.instrument.clone(),
                title: form.title.clone(),
                opens_on: optional_date("opens_on", &form.opens_on)?,
                closes_on: optional_date("closes_on", &form.closes_on)?,
            },
        )
        .await?;
    Ok(Redirect::to(&format!("/rounds/{}", round.id)).into_response())
}

pub struct InviteeRow {
    pub label: String,
    pub status: String,
    pub answered: bool,
}

pub struct RateRow {
    pub group: String,
    pub invited: usize,
    pub submitted: usize,
    pub rate: String,
}

pub struct Candidate {
    pub org_id: OrgId,
    pub name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "round.html")]
pub struct RoundPage {
    pub ctx: Ctx,
    pub id: RoundId,
    pub title: String,
    pub instrument: String,
    pub open: bool,
    pub owner: bool,
    pub is_ministry: bool,
    pub period: String,
    pub started: i64,
    pub submitted: i64,
    pub invitees: Vec<InviteeRow>,
    pub candidates: Vec<Candidate>,
    pub by_industry: Vec<RateRow>,
    pub by_size: Vec<RateRow>,
    pub message: Option<String>,
    pub errors: Vec<String>,
}

async fn load_round(state: &AppState, id: RoundId) -> Result<Round, AppError> {
    state.store().round(id).await.map_err(|e| match e {
        kojo_storage::StoreError::NotFound => AppError::NotFound,
        other => other.into(),
    })
}

/// Rows in the reference table's order (JSIC code, size from small to large), unknown last:
/// groups are keyed by (position in the table, label).
fn rate_rows(groups: HashMap<(usize, String), (usize, usize)>) -> Vec<RateRow> {
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort();
    groups
        .into_iter()
        .map(|((_, group), (invited, submitted))| RateRow {
            rate: kojo_core::format::percent(100.0 * submitted as f64 / invited.max(1) as f64),
            group,
            invited,
            submitted,
        })
        .collect()
}

async fn round_page(
    state: &AppState,
    ctx: Ctx,
    id: RoundId,
    message: Option<String>,
    errors: Vec<String>,
) -> Result<RoundPage, AppError> {
    let user = ctx
        .require_role(&[Role::AssociationAdmin, Role::MinistryAnalyst])?
        .clone();
    let l = ctx.locale;
    let round = load_round(state, id).await?;
    let owner = user.org_id == Some(round.owner_org_id);
    let invitees = state.store().invitees(round.id).await?;
    let (started, submitted) = state.store().response_counts(round.id).await?;
    let orgs: HashMap<OrgId, kojo_storage::Org> = state
        .store()
        .list_orgs(None)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    // Who can be invited: the association's members (companies), or for the ministry the
    // associations or companies, depending on the instrument.
    let kind = state
        .catalog()
        .instrument(&round.instrument)
        .map(|i| i.kind);
    let pool: Vec<kojo_storage::Org> = match (user.role, kind) {
        (Role::AssociationAdmin, _) => state.store().members(round.owner_org_id).await?,
        (_, Some(InstrumentKind::Association)) => {
            state.store().list_orgs(Some(OrgKind::Association)).await?
        }
        _ => state.store().list_orgs(Some(OrgKind::Company)).await?,
    };
    let invited: std::collections::HashSet<OrgId> =
        invitees.iter().filter_map(|i| i.org_id).collect();
    let candidates = pool
        .into_iter()
        .filter(|o| !invited.contains(&o.id))
        .map(|o| Candidate {
            org_id: o.id,
            name: o.name,
        })
        .collect();
    let mut by_industry: HashMap<(usize, String), (usize, usize)> = HashMap::new();
    let mut by_size: HashMap<(usize, String), (usize, usize)> = HashMap::new();
    let unknown = || (usize::MAX, ctx.t.survey_unknown_group.to_string());
    for i in &invitees {
        let org = i.org_id.and_then(|o| orgs.get(&o));
        let industry = org
            .and_then(|o| o.industry_code.as_deref())
            .and_then(|c| {
                state
                    .catalog()
                    .industries
                    .industries
                    .iter()
                    .position(|x| x.code == c)
            })
            .map(|at| {
                let title = &state.catalog().industries.industries[at].title;
                (at, title.get(l).to_string())
            })
            .unwrap_or_else(unknown);
        let bands = &state.catalog().company_sizes.example_bands;
        let size = org
            .filter(|o| o.employees.is_some())
            .map(|o| size_band(o.employees, bands))
            .and_then(|b| bands.iter().position(|x| x.id == b.id()))
            .map(|at| (at, bands[at].label.get(l).to_string()))
            .unwrap_or_else(unknown);
        let done = i.response_status() == Some(ResponseStatus::Submitted);
        for (map, key) in [(&mut by_industry, industry), (&mut by_size, size)] {
            let e = map.entry(key).or_default();
            e.0 += 1;
            if done {
                e.1 += 1;
            }
        }
    }
    Ok(RoundPage {
        id: round.id,
        instrument: instrument_title(state, &round.instrument, l),
        open: round.is_open(),
        owner,
        is_ministry: user.role == Role::MinistryAnalyst,
        period: format::period(round.opens_on.as_deref(), round.closes_on.as_deref(), l),
        title: round.title,
        started,
        submitted,
        invitees: invitees
            .iter()
            .map(|i| InviteeRow {
                label: i.label.clone(),
                answered: i.response_status() == Some(ResponseStatus::Submitted),
                status: match i.response_status() {
                    Some(ResponseStatus::Submitted) => ctx.t.survey_status_submitted,
                    Some(_) => ctx.t.survey_status_draft,
                    None => ctx.t.survey_status_none,
                }
                .to_string(),
            })
            .collect(),
        candidates,
        by_industry: rate_rows(by_industry),
        by_size: rate_rows(by_size),
        message,
        errors,
        ctx,
    })
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RoundId>,
) -> Result<RoundPage, AppError> {
    round_page(&state, ctx, id, None, vec![]).await
}

/// Invites selected organisations and/or a pasted list of names (one per line).
pub async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RoundId>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?.clone();
    let round = load_round(&state, id).await?;
    let mut orgs: Vec<OrgId> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "org" => orgs.push(v.parse().map_err(|_| Problem::Field {
                field: "org",
                value: v.to_string(),
                expected: Expected::Id,
            })?),
            "names" => names.extend(
                v.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from),
            ),
            _ => {}
        }
    }
    let known: HashMap<OrgId, kojo_storage::Org> = state
        .store()
        .list_orgs(None)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut new = Vec::new();
    for o in orgs {
        let org = known
            .get(&o)
            .ok_or_else(|| Problem::Rule(kojo_storage::Invalid::UnknownOrg { id: o.get() }))?;
        let token = state
            .service
            .invitee_token(round.id, &format!("org-{o}"))
            .await?;
        new.push(NewInvitee {
            org_id: Some(o),
            label: org.name.clone(),
            email: None,
            token_hash: hash_token(&token),
        });
    }
    for name in names {
        let token = state
            .service
            .invitee_token(round.id, &format!("name-{name}"))
            .await?;
        new.push(NewInvitee {
            org_id: None,
            label: name,
            email: None,
            token_hash: hash_token(&token),
        });
    }
    let result = state
        .store()
        .add_invitees(&Actor::user(user.id, &user.login), round.id, &new)
        .await;
    let (msg, errors) = match result {
        Ok(n) => (Some(ctx.fill(ctx.t.survey_invited, "n", n)), vec![]),
        Err(e @ kojo_storage::StoreError::Conflict(_)) => {
            let kojo_service::Error::Conflict(p) = kojo_service::Error::from(e) else {
                return Err(AppError::Internal("conflict".into()));
            };
            (None, vec![p.message(&ctx.lang())])
        }
        Err(e) => return Err(e.into()),
    };
    Ok(round_page(&state, ctx, id, msg, errors)
        .await?
        .into_response())
}

/// Every invitee's link, for mail merge (UTF-8 CSV with BOM; Excel-JP opens it).
pub async fn links(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    Path(id): Path<RoundId>,
) -> Result<Response, AppError> {
    let round = load_round(&state, id).await?;
    let base = state.config.base_url(&headers);
    let t = ctx.t;
    let mut rows = vec![vec![
        t.survey_csv_name.to_string(),
        t.survey_csv_status.to_string(),
        t.survey_csv_link.to_string(),
    ]];
    for i in state.store().invitees(round.id).await? {
        let key = match i.org_id {
            Some(o) => format!("org-{o}"),
            None => format!("name-{}", i.label),
        };
        let token = state.service.invitee_token(round.id, &key).await?;
        let status = match i.response_status() {
            Some(ResponseStatus::Submitted) => t.survey_status_submitted,
            Some(_) => t.survey_status_draft,
            None => t.survey_status_none,
        };
        rows.push(vec![
            i.label,
            status.to_string(),
            format!("{base}/r/{token}"),
        ]);
    }
    let bytes =
        csv_out::write(&rows, Encoding::Utf8Bom).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"round-{}-links.csv\"", round.id),
            ),
            (axum::http::header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RoundId>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?.clone();
    state
        .store()
        .close_round(&Actor::user(user.id, &user.login), id)
        .await?;
    Ok(Redirect::to(&format!("/rounds/{id}")).into_response())
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
    let errors = match imported {
        Ok(n) => {
            return Ok(round_page(
                &state,
                ctx.clone(),
                id,
                Some(ctx.fill(ctx.t.survey_imported, "n", n)),
                vec![],
            )
            .await?
            .into_response());
        }
        Err(errors) => errors,
    };
    let page = round_page(&state, ctx, id, None, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// The submitted responses in the import format (the ministry only: individual answers).
pub async fn responses_csv(
    State(state): State<AppState>,
    Path(id): Path<RoundId>,
) -> Result<Response, AppError> {
    let round = load_round(&state, id).await?;
    let inst = state
        .catalog()
        .instrument(&round.instrument)
        .ok_or(AppError::NotFound)?;
    let schema = Schema::new(inst).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut writer = survey_csv::Writer::new(Vec::new(), &schema)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    for row in state.store().submitted(&[round.id]).await? {
        let cells: Vec<(String, String)> = row
            .answers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        writer
            .cells(&schema, &row.respondent, &cells)
            .map_err(|e| AppError::Internal(e.to_string()))?;
    }
    let bytes = writer
        .finish()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"round-{}-responses.csv\"", round.id),
            ),
        ],
        bytes,
    )
        .into_response())
}
