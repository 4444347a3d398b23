//! Instance administration: the organisation list, adding organisations and inviting people
//! into any organisation (they choose their own password through the link).

use axum::Form;
use axum::extract::State;
use axum::response::Redirect;
use kojo_core::ids::OrgId;
use kojo_core::org::OrgKind;
use kojo_service::orgs::OrgDraft;
use kojo_storage::NewOrg;
use serde::Deserialize;

use crate::views::admin::OrgsPage;
use crate::{AppError, AppState, Ctx};

pub async fn orgs(State(state): State<AppState>, ctx: Ctx) -> Result<OrgsPage, AppError> {
    let orgs = state.service.org_summaries(&ctx.who()?).await?;
    Ok(OrgsPage::new(state.catalog(), ctx, &orgs))
}

#[derive(Deserialize)]
pub struct OrgForm {
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub industry: String,
    #[serde(default)]
    pub prefecture: String,
    #[serde(default)]
    pub employees: String,
    /// The id of an association a company joins (empty: none).
    #[serde(default)]
    pub member_of: String,
}

fn optional(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Adds an organisation (and the company's membership of an association).
pub async fn add_org(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<OrgForm>,
) -> Result<Redirect, AppError> {
    let bad = |field: &'static str, value: &str, expected| {
        AppError::Invalid(kojo_service::Problem::Field {
            field,
            value: value.to_string(),
            expected,
        })
    };
    let kind =
        OrgKind::parse(&f.kind).ok_or_else(|| bad("kind", &f.kind, kojo_service::Expected::Id))?;
    let employees = match optional(&f.employees) {
        None => None,
        Some(e) => Some(
            e.parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or_else(|| bad("employees", &e, kojo_service::Expected::Id))?,
        ),
    };
    let draft = OrgDraft {
        kind,
        org: NewOrg {
            name: f.name.trim().to_string(),
            industry_code: optional(&f.industry),
            prefecture_code: optional(&f.prefecture),
            employees,
            ..NewOrg::default()
        },
        member_of: optional(&f.member_of).into_iter().collect(),
    };
    state.service.add_org(&ctx.who()?, &draft).await?;
    Ok(Redirect::to("/admin/orgs#orgs"))
}

#[derive(Deserialize)]
pub struct AdminInviteForm {
    pub org: String,
    pub role: String,
}

/// Invites a person into an organisation with a role: the page shows the link once.
pub async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<AdminInviteForm>,
) -> Result<OrgsPage, AppError> {
    let who = ctx.who()?;
    let org: OrgId = f.org.parse().map_err(|_| AppError::NotFound)?;
    let base = state.config.base_url()?;
    let token = state.service.admin_invite(&who, org, &f.role).await?;
    let orgs = state.service.org_summaries(&who).await?;
    let mut page = OrgsPage::new(state.catalog(), ctx, &orgs);
    page.invite_link = Some(format!("{base}/invite/{token}"));
    Ok(page)
}
