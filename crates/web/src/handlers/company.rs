//! The company's own pages: its factories (sites) with their latest assessments, adding sites,
//! and members with invitation links.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use kojo_service::access::company_admin_of;
use kojo_service::company::SiteDraft;
use kojo_service::{Error, Problem};
use serde::Deserialize;

use crate::views::company::{CompanyPage, MembersPage};
use crate::{AppError, AppState, Ctx};

pub async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<CompanyPage, AppError> {
    let overview = state.service.company_overview(&ctx.who()?).await?;
    Ok(CompanyPage::new(state.catalog(), ctx, &overview, None))
}

#[derive(Deserialize)]
pub struct SiteForm {
    pub name: String,
    #[serde(default)]
    pub prefecture: String,
}

/// Adds a factory; a name that is missing or taken is explained on the company page.
pub async fn add_site(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SiteForm>,
) -> Result<Response, AppError> {
    let who = ctx.who()?;
    let draft = SiteDraft {
        name: form.name,
        prefecture: form.prefecture,
    };
    let problem = match state
        .service
        .add_site(&who, company_admin_of(&who)?, &draft)
        .await
    {
        Ok(_) => return Ok(Redirect::to("/company").into_response()),
        // Not offered by the page's list: a plain 400.
        Err(Error::Invalid(p @ Problem::UnknownPrefecture { .. })) => return Err(p.into()),
        Err(Error::Invalid(p) | Error::Conflict(p)) => p,
        Err(e) => return Err(e.into()),
    };
    let overview = state.service.company_overview(&who).await?;
    let error = Some(problem.message(&ctx.lang()));
    Ok(CompanyPage::new(state.catalog(), ctx, &overview, error).into_response())
}

pub async fn members(State(state): State<AppState>, ctx: Ctx) -> Result<MembersPage, AppError> {
    let members = state.service.members(&ctx.who()?).await?;
    Ok(MembersPage::new(ctx, &members, None))
}

#[derive(Deserialize)]
pub struct InviteForm {
    pub role: String,
}

/// Creates an invitation link, shown once on the page that follows.
pub async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<InviteForm>,
) -> Result<MembersPage, AppError> {
    let who = ctx.who()?;
    let base = state.config.base_url()?;
    let token = state.service.invite_member(&who, &form.role).await?;
    let link = format!("{base}/invite/{token}");
    let members = state.service.members(&who).await?;
    Ok(MembersPage::new(ctx, &members, Some(link)))
}
