//! The authorisation layer: every routed request is checked against the access table
//! (`routes::ROUTES`) before any handler or body extractor runs, and every company object named
//! in the path (`{site}`, `{assessment}`, `{plan}`) must belong to the signed-in user's company —
//! otherwise it answers 404, so another company's data is not even confirmed to exist.
//! A route missing from the table is refused (fail closed).

use axum::extract::{MatchedPath, RawPathParams, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kojo_storage::StoreError;

use crate::access::COMPANY_ROLES;
use crate::ctx::resolve;
use crate::routes::{Access, ROUTES};
use crate::{AppError, AppState, Ctx};
use kojo_core::org::Role;

pub async fn authorize(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let ctx = match resolve(&parts, &state).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let pattern = parts
        .extensions
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string());
    let method = parts.method.as_str().to_string();
    let params =
        match <RawPathParams as axum::extract::FromRequestParts<AppState>>::from_request_parts(
            &mut parts, &state,
        )
        .await
        {
            Ok(p) => p
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>(),
            Err(_) => Vec::new(),
        };
    if let Err(e) = check(&state, &ctx, &method, pattern.as_deref(), &params).await {
        return e.into_response();
    }
    parts.extensions.insert(ctx);
    next.run(Request::from_parts(parts, body)).await
}

async fn check(
    state: &AppState,
    ctx: &Ctx,
    method: &str,
    pattern: Option<&str>,
    params: &[(String, String)],
) -> Result<(), AppError> {
    // HEAD is answered by GET routes.
    let method = if method == "HEAD" { "GET" } else { method };
    let Some(route) = ROUTES
        .iter()
        .find(|r| Some(r.pattern) == pattern && r.method == method)
    else {
        tracing::error!(
            ?pattern,
            method,
            "route is not in the access table: refused"
        );
        return Err(AppError::Forbidden);
    };
    match route.access {
        Access::Public => {}
        Access::SignedIn => {
            ctx.require_user()?;
        }
        Access::Roles(roles) => {
            ctx.require_role(roles)?;
        }
        Access::Round { write } => {
            let user = ctx.require_role(&[Role::AssociationAdmin, Role::MinistryAnalyst])?;
            let value = params
                .iter()
                .find(|(n, _)| n == "round")
                .map(|(_, v)| v.as_str())
                .unwrap_or("");
            let round = found(state.store.round(id(value)?).await)?;
            let owner = user.org_id == Some(round.owner_org_id);
            // The ministry reads every round (the national view); others see only their own.
            if !owner && user.role != Role::MinistryAnalyst {
                return Err(AppError::NotFound);
            }
            if write && !owner {
                return Err(AppError::Forbidden);
            }
        }
    }
    for (name, value) in params {
        let org = match name.as_str() {
            "site" => owner(state, "site", id(value)?).await?,
            "assessment" => owner(state, "assessment", id(value)?).await?,
            "interview" => {
                found(state.store.interview(id(value)?).await)?;
                continue;
            }
            "plan" => {
                let p = found(state.store.plan_item(id(value)?).await)?;
                owner(state, "site", p.site_id).await?
            }
            _ => continue,
        };
        let user = ctx.require_role(COMPANY_ROLES)?;
        if user.org_id != Some(org) {
            return Err(AppError::NotFound);
        }
    }
    Ok(())
}

fn id(value: &str) -> Result<i64, AppError> {
    value.parse().map_err(|_| AppError::NotFound)
}

/// The organisation owning a site or an assessment (cached: ownership never changes).
async fn owner(state: &AppState, kind: &'static str, id: i64) -> Result<i64, AppError> {
    if let Some(org) = state.owners.get(&(kind, id)) {
        return Ok(org);
    }
    let org = match kind {
        "site" => found(state.store.site(id).await)?.org_id,
        _ => found(state.store.assessment(id).await)?.org_id,
    };
    state.owners.put((kind, id), org);
    Ok(org)
}

fn found<T>(result: Result<T, StoreError>) -> Result<T, AppError> {
    match result {
        Ok(x) => Ok(x),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}
