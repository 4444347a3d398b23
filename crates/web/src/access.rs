//! Who may see which company data. A company's sites, assessments and plans are visible to that
//! company's users only — not to the instance admin, the ministry or associations, which see
//! aggregates only. Anything of another company answers 404, so its existence is not revealed.

use kojo_core::org::Role;
use kojo_storage::{Assessment, Site, StoreError};

use crate::{AppError, AppState, AuthUser, Ctx};

pub const COMPANY_ROLES: &[Role] = &[Role::CompanyAdmin, Role::CompanyMember];

/// The signed-in company user and their company id.
pub fn company_user(ctx: &Ctx) -> Result<(&AuthUser, i64), AppError> {
    let user = ctx.require_role(COMPANY_ROLES)?;
    let org = user.org_id.ok_or(AppError::Forbidden)?;
    Ok((user, org))
}

/// The company admin and their company id.
pub fn company_admin(ctx: &Ctx) -> Result<(&AuthUser, i64), AppError> {
    let user = ctx.require_role(&[Role::CompanyAdmin])?;
    let org = user.org_id.ok_or(AppError::Forbidden)?;
    Ok((user, org))
}

fn not_found(e: StoreError) -> AppError {
    match e {
        StoreError::NotFound => AppError::NotFound,
        other => other.into(),
    }
}

/// A site of the signed-in user's company.
pub async fn own_site(state: &AppState, ctx: &Ctx, site_id: i64) -> Result<Site, AppError> {
    let (_, org) = company_user(ctx)?;
    let site = state.store.site(site_id).await.map_err(not_found)?;
    if site.org_id == org {
        Ok(site)
    } else {
        Err(AppError::NotFound)
    }
}

/// An assessment of a site of the signed-in user's company.
pub async fn own_assessment(state: &AppState, ctx: &Ctx, id: i64) -> Result<Assessment, AppError> {
    let (_, org) = company_user(ctx)?;
    let a = state.store.assessment(id).await.map_err(not_found)?;
    if a.org_id == org {
        Ok(a)
    } else {
        Err(AppError::NotFound)
    }
}
