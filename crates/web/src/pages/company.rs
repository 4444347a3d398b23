//! The company's own pages: its factories (sites) with their latest assessments, adding sites,
//! and members with invitation links.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use kojo_charts::{ScoreBarsOptions, Series};
use kojo_core::format;
use kojo_core::org::Role;
use kojo_core::scoring;
use kojo_storage::{Actor, NewSite, StoreError, now_millis};
use serde::Deserialize;

use crate::access::{company_admin, company_user};
use crate::auth::session;
use crate::reports::{answer_data, checklist_of};
use crate::{AppError, AppState, Ctx};

/// How long an invitation link works.
pub const INVITATION_VALID_MS: i64 = 7 * 24 * 3600 * 1000;

pub struct SiteRow {
    pub id: i64,
    pub name: String,
    pub prefecture: String,
    pub latest_status: String,
    pub latest_date: String,
    pub latest_score: String,
    pub complete_id: Option<i64>,
    pub draft_id: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "company.html")]
pub struct CompanyPage {
    pub ctx: Ctx,
    pub company: String,
    pub is_admin: bool,
    pub sites: Vec<SiteRow>,
    pub compare_chart: Option<String>,
    pub compare_rows: Vec<(String, Vec<String>)>,
    pub compare_heads: Vec<String>,
    pub checklist_key: String,
    pub error: Option<String>,
    pub prefectures: Vec<(String, String)>,
}

pub async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    render(&state, ctx, None).await
}

async fn render(state: &AppState, ctx: Ctx, error: Option<String>) -> Result<Response, AppError> {
    let (user, org_id) = company_user(&ctx)?;
    let is_admin = user.role == Role::CompanyAdmin;
    let l = ctx.locale;
    let t = ctx.t;
    let org = state.store.org(org_id).await?;
    let catalog = &state.catalog;
    let checklist = catalog
        .latest_checklist("factory-guideline")
        .ok_or_else(|| AppError::Internal("no factory checklist".into()))?;
    let sites = state.store.sites_of(org_id).await?;
    let assessments = state.store.assessments_of_org(org_id).await?;
    let mut rows = Vec::new();
    let mut series = Vec::new();
    for site in &sites {
        let of_site: Vec<_> = assessments
            .iter()
            .filter(|a| a.site_id == site.id)
            .collect();
        let complete = of_site.iter().find(|a| a.is_complete());
        let draft = of_site.iter().find(|a| !a.is_complete());
        let mut latest_score = String::new();
        if let Some(a) = complete {
            let (cl, scale) = checklist_of(catalog, &a.checklist)?;
            let levels = levels(&answer_data(&state.store.answers(a.id).await?));
            let scores = scoring::score(cl, scale, &levels);
            latest_score = scores
                .overall
                .map(|s| format!("{s:.1}"))
                .unwrap_or_else(|| "—".into());
            if cl.key() == checklist.key() {
                series.push(Series {
                    name: site.name.clone(),
                    values: scores.categories.iter().map(|c| c.score).collect(),
                });
            }
        }
        rows.push(SiteRow {
            id: site.id,
            name: site.name.clone(),
            prefecture: prefecture_name(state, site.prefecture_code.as_deref(), l),
            // The status, date and score all describe the same (latest completed) assessment;
            // a draft in progress is flagged beside it.
            latest_status: match (complete, draft) {
                (Some(_), Some(_)) => {
                    format!("{} ・{}", t.assess_status_complete, t.company_draft_open)
                }
                (Some(_), None) => t.assess_status_complete.to_string(),
                (None, Some(_)) => t.assess_status_draft.to_string(),
                (None, None) => t.company_no_assessment.to_string(),
            },
            latest_date: complete
                .and_then(|a| a.completed_at)
                .or(draft.map(|a| a.updated_at))
                .map(|at| format::date(at, l))
                .unwrap_or_default(),
            latest_score,
            complete_id: complete.map(|a| a.id),
            draft_id: draft.map(|a| a.id),
        });
    }
    let heads: Vec<String> = checklist
        .categories
        .iter()
        .map(|c| c.title.get(l).to_string())
        .collect();
    let compare_rows = series
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                s.values
                    .iter()
                    .map(|v| {
                        v.map(|v| format!("{v:.1}"))
                            .unwrap_or_else(|| t.results_not_scorable.to_string())
                    })
                    .collect(),
            )
        })
        .collect();
    let compare_chart = (series.len() >= 2).then(|| {
        kojo_charts::score_bars(
            &heads,
            &series,
            &ScoreBarsOptions {
                title: t.company_compare_title.to_string(),
                na_label: t.results_not_scorable.to_string(),
                width: 760,
            },
        )
    });
    let prefectures = catalog
        .prefectures
        .prefectures
        .iter()
        .map(|p| (p.code.clone(), p.title.get(l).to_string()))
        .collect();
    let page = CompanyPage {
        company: org.name,
        is_admin,
        sites: rows,
        compare_chart,
        compare_rows,
        compare_heads: heads,
        checklist_key: checklist.key(),
        error,
        prefectures,
        ctx,
    };
    Ok(page.into_response())
}

pub fn levels(answers: &[kojo_core::report::AnswerData]) -> scoring::Levels {
    answers
        .iter()
        .filter_map(|a| Some((a.item.clone(), a.level.clone()?)))
        .collect()
}

pub fn prefecture_name(state: &AppState, code: Option<&str>, l: kojo_core::Locale) -> String {
    code.and_then(|c| {
        state
            .catalog
            .prefectures
            .prefectures
            .iter()
            .find(|p| p.code == c)
    })
    .map(|p| p.title.get(l).to_string())
    .unwrap_or_default()
}

#[derive(Deserialize)]
pub struct SiteForm {
    pub name: String,
    #[serde(default)]
    pub prefecture: String,
}

pub async fn add_site(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SiteForm>,
) -> Result<Response, AppError> {
    let (user, org_id) = company_admin(&ctx)?;
    let actor = Actor::user(user.id, &user.login);
    let prefecture = Some(form.prefecture.trim().to_string()).filter(|p| !p.is_empty());
    if let Some(p) = &prefecture
        && !state
            .catalog
            .prefectures
            .prefectures
            .iter()
            .any(|x| &x.code == p)
    {
        return Err(AppError::BadRequest(format!(
            "unknown prefecture code {p:?}"
        )));
    }
    let new = NewSite {
        name: form.name.clone(),
        prefecture_code: prefecture,
    };
    match state.store.create_site(&actor, org_id, &new).await {
        Ok(_) => Ok(Redirect::to("/company").into_response()),
        Err(StoreError::Conflict(_)) => {
            let msg = ctx.fill(ctx.t.company_site_exists, "name", form.name.trim());
            render(&state, ctx, Some(msg)).await
        }
        Err(StoreError::Invalid(_)) => {
            let msg = ctx.t.company_site_name_required.to_string();
            render(&state, ctx, Some(msg)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub struct MemberRow {
    pub login: String,
    pub name: String,
    pub role: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "members.html")]
pub struct MembersPage {
    pub ctx: Ctx,
    pub members: Vec<MemberRow>,
    pub open_invitations: Vec<(String, String)>,
    pub new_link: Option<String>,
}

async fn members_page(
    state: &AppState,
    ctx: Ctx,
    new_link: Option<String>,
) -> Result<MembersPage, AppError> {
    let (_, org_id) = company_admin(&ctx)?;
    let members = state
        .store
        .list_users(Some(org_id))
        .await?
        .into_iter()
        .map(|u| MemberRow {
            role: ctx.role_label(&u.role()),
            login: u.login,
            name: u.display_name,
        })
        .collect();
    let open_invitations = state
        .store
        .open_invitations(org_id, now_millis())
        .await?
        .into_iter()
        .map(|i| {
            (
                ctx.role_label(&i.role()).to_string(),
                format::datetime(i.expires_at, ctx.locale),
            )
        })
        .collect();
    Ok(MembersPage {
        ctx,
        members,
        open_invitations,
        new_link,
    })
}

pub async fn members(State(state): State<AppState>, ctx: Ctx) -> Result<MembersPage, AppError> {
    members_page(&state, ctx, None).await
}

#[derive(Deserialize)]
pub struct InviteForm {
    pub role: String,
}

/// Creates an invitation link, shown once on the page that follows.
pub async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    Form(form): Form<InviteForm>,
) -> Result<MembersPage, AppError> {
    let (user, org_id) = company_admin(&ctx)?;
    let role = match form.role.as_str() {
        "company_admin" => Role::CompanyAdmin,
        "company_member" => Role::CompanyMember,
        other => {
            return Err(AppError::BadRequest(format!(
                "role {other:?} cannot be invited here"
            )));
        }
    };
    let token = session::new_token();
    state
        .store
        .create_invitation(
            &Actor::user(user.id, &user.login),
            org_id,
            role,
            &session::hash_token(&token),
            now_millis() + INVITATION_VALID_MS,
        )
        .await?;
    let link = format!("{}/invite/{token}", state.config.base_url(&headers));
    members_page(&state, ctx, Some(link)).await
}
