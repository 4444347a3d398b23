//! The authorisation layer: every routed request is checked against its route's access rule
//! (`routes::ROUTES`) before any handler or body extractor runs, and every object named in the
//! path must be visible to the caller under `kojo_service::access` — otherwise 404, so another
//! company's data is not even confirmed to exist. A route missing from the table is refused
//! (fail closed).

use axum::extract::{MatchedPath, RawPathParams, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kojo_core::ids::{
    AssessmentId, AssetId, ConduitId, FlowId, InterviewId, PlanItemId, ProcessId, RoundId, SiteId,
    ZoneId,
};
use kojo_service::access::{COMPANY_ROLES, RoundUse};
use kojo_service::plant::PlantRecord;

use crate::ctx::resolve;
use crate::routes::{Access, ROUTES, Verb};
use crate::{AppError, AppState, Ctx};

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
    let method = parts.method.as_str();
    if let Err(e) = check(&state, &ctx, method, pattern.as_deref(), &params).await {
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
        .find(|r| Some(r.path) == pattern && r.verb.as_str() == method)
    else {
        let allowed: Vec<&str> = ROUTES
            .iter()
            .filter(|r| Some(r.path) == pattern)
            .flat_map(|r| match r.verb {
                Verb::Get => vec!["GET", "HEAD"],
                other => vec![other.as_str()],
            })
            .collect();
        if !allowed.is_empty() {
            // A known path asked with another method: 405, a client's mistake, not a bug.
            return Err(AppError::MethodNotAllowed {
                allow: allowed.join(", "),
            });
        }
        {
            tracing::error!(
                ?pattern,
                method,
                "route is not in the access table: refused"
            );
        }
        return Err(AppError::Forbidden);
    };
    debug_assert!(matches!(
        route.verb,
        Verb::Get | Verb::Post | Verb::Put | Verb::Delete
    ));
    let round_use = match route.access {
        Access::Public => None,
        Access::SignedIn => {
            ctx.require_user()?;
            None
        }
        Access::Roles(roles) => {
            ctx.require_role(roles)?;
            None
        }
        Access::Round(usage) => Some(usage),
    };
    for (name, value) in params {
        check_object(state, ctx, name, value, round_use).await?;
    }
    if let Some(record) = plant_record(params)? {
        let site = params
            .iter()
            .find(|(n, _)| n == "site")
            .ok_or(AppError::NotFound)?;
        let who = ctx.who()?;
        state
            .service
            .check_plant_record(&who, id::<SiteId>(&site.1)?, record)
            .await?;
    }
    Ok(())
}

/// The record of a site's plant model named in the path (`{zone}`, `{asset}`, …), checked
/// against the `{site}` beside it.
fn plant_record(params: &[(String, String)]) -> Result<Option<PlantRecord>, AppError> {
    for (name, value) in params {
        let record = match name.as_str() {
            "process" => PlantRecord::Process(id::<ProcessId>(value)?),
            "zone" => PlantRecord::Zone(id::<ZoneId>(value)?),
            "conduit" => PlantRecord::Conduit(id::<ConduitId>(value)?),
            "asset" => PlantRecord::Asset(id::<AssetId>(value)?),
            "flow" => PlantRecord::Flow(id::<FlowId>(value)?),
            _ => continue,
        };
        return Ok(Some(record));
    }
    Ok(None)
}

/// The object a path parameter names must be visible to the caller.
async fn check_object(
    state: &AppState,
    ctx: &Ctx,
    name: &str,
    value: &str,
    round_use: Option<RoundUse>,
) -> Result<(), AppError> {
    let svc = &state.service;
    match name {
        "site" => {
            ctx.require_role(COMPANY_ROLES)?;
            svc.check_site(&ctx.who()?, id::<SiteId>(value)?).await?;
        }
        "assessment" => {
            ctx.require_role(COMPANY_ROLES)?;
            svc.check_assessment(&ctx.who()?, id::<AssessmentId>(value)?)
                .await?;
        }
        "plan" => {
            ctx.require_role(COMPANY_ROLES)?;
            svc.plan_item_for(&ctx.who()?, id::<PlanItemId>(value)?)
                .await?;
        }
        "round" => {
            let usage = round_use.unwrap_or(RoundUse::Read);
            svc.round_for(&ctx.who()?, id::<RoundId>(value)?, usage)
                .await?;
        }
        "interview" => {
            svc.interview_for(&ctx.who()?, id::<InterviewId>(value)?)
                .await?;
        }
        _ => {}
    }
    Ok(())
}

/// A path id; anything else is "not found".
fn id<T: std::str::FromStr>(value: &str) -> Result<T, AppError> {
    value.parse().map_err(|_| AppError::NotFound)
}
