//! The plant model and risk analysis in the JSON API (same sessions and access rules as the
//! pages): the model, adding, changing and deleting records, the findings and the risk.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kojo_core::ids::{AssetId, ConduitId, FlowId, ProcessId, SiteId, ZoneId};
use kojo_core::plant::Importances;
use kojo_service::plant::analysis_options;
use kojo_service::{Expected, Problem, Who};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::api_types::{
    AssetBody, AssetJson, ConduitBody, ConduitJson, DeletedJson, FindingsJson, FlowBody, FlowJson,
    PlantJson, ProcessBody, ProcessJson, RiskJson, ZoneBody, ZoneJson,
};
use crate::handlers::plant::{Draft, qualify, record, save_record};
use crate::views::plant::Kind;
use crate::{AppError, AppState, Ctx};

/// Routes the risk answer lists unless asked otherwise, and at most.
pub const ROUTE_LIMIT: usize = 50;
pub const ROUTE_LIMIT_MAX: usize = 1000;

pub async fn plant(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
) -> Result<Json<PlantJson>, AppError> {
    let (site, plant) = state.service.plant_of(&ctx.who()?, site).await?;
    Ok(Json(PlantJson::new(site.id, &plant)))
}

/// The fields of the request bodies that can be of the wrong type (the others are text).
const TYPED: [&str; 11] = [
    "a",
    "b",
    "zone",
    "also_in",
    "processes",
    "from",
    "to",
    "conduit",
    "damages",
    "protocols",
    "encrypted",
];

/// A JSON body; when it cannot be read, a 400 naming the field at fault (or the body).
fn body<T: DeserializeOwned>(bytes: &[u8], kind: Kind) -> Result<T, AppError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| unreadable(&e.path().to_string(), kind))?;
    de.end().map_err(|_| unreadable("", kind))?;
    Ok(value)
}

/// The problem of a body that could not be read at `path`.
fn unreadable(path: &str, kind: Kind) -> AppError {
    let head = path.split(['.', '[']).next().unwrap_or("");
    let field = TYPED.iter().copied().find(|f| *f == head).unwrap_or("body");
    let expected = match field {
        "body" | "damages" | "protocols" => Expected::Text,
        "encrypted" => Expected::OneOf(vec!["true".into(), "false".into()]),
        _ => Expected::Id,
    };
    AppError::Invalid(Problem::Field {
        field: kind.qualified(field),
        value: String::new(),
        expected,
    })
}

/// A record as the API returns it.
async fn record_json(
    state: &AppState,
    who: &Who,
    site: SiteId,
    kind: Kind,
    id: i64,
) -> Result<Value, AppError> {
    let (_, plant) = state.service.plant_of(who, site).await?;
    let imp = Importances::of(&plant);
    let json = match kind {
        Kind::Process => plant
            .process(ProcessId::new(id))
            .map(|p| serde_json::to_value(ProcessJson::new(p))),
        Kind::Zone => plant
            .zone(ZoneId::new(id))
            .map(|z| serde_json::to_value(ZoneJson::new(z, &imp))),
        Kind::Conduit => plant
            .conduit(ConduitId::new(id))
            .map(|c| serde_json::to_value(ConduitJson::new(c))),
        Kind::Asset => plant
            .asset(AssetId::new(id))
            .map(|a| serde_json::to_value(AssetJson::new(a, &imp))),
        Kind::Flow => plant
            .flows
            .iter()
            .find(|f| f.id.get() == id)
            .map(|f| serde_json::to_value(FlowJson::new(f))),
    };
    json.ok_or(AppError::NotFound)?
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Adds (201) or changes (200) a record and answers with it as stored.
async fn save(
    state: &AppState,
    ctx: &Ctx,
    site: SiteId,
    id: Option<i64>,
    draft: Draft,
) -> Result<Response, AppError> {
    let who = ctx.who()?;
    let saved = save_record(&state.service, &who, site, id, &draft).await?;
    let json = record_json(state, &who, site, draft.kind(), saved).await?;
    let status = if id.is_none() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(json)).into_response())
}

async fn remove(
    state: &AppState,
    ctx: &Ctx,
    site: SiteId,
    kind: Kind,
    id: i64,
) -> Result<Json<DeletedJson>, AppError> {
    state
        .service
        .delete_plant_record(&ctx.who()?, site, record(kind, id))
        .await
        .map_err(|e| qualify(kind, e))?;
    Ok(Json(DeletedJson {
        kind: kind.as_str().into(),
        id,
    }))
}

/// POST, PUT and DELETE of one kind of record.
macro_rules! record_api {
    ($kind:expr, $id:ty, $body:ty, $variant:ident, $post:ident, $put:ident, $delete:ident) => {
        pub async fn $post(
            State(state): State<AppState>,
            ctx: Ctx,
            Path(site): Path<SiteId>,
            bytes: Bytes,
        ) -> Result<Response, AppError> {
            let draft = Draft::$variant(Into::into(body::<$body>(&bytes, $kind)?));
            save(&state, &ctx, site, None, draft).await
        }

        pub async fn $put(
            State(state): State<AppState>,
            ctx: Ctx,
            Path((site, id)): Path<(SiteId, $id)>,
            bytes: Bytes,
        ) -> Result<Response, AppError> {
            let draft = Draft::$variant(Into::into(body::<$body>(&bytes, $kind)?));
            save(&state, &ctx, site, Some(id.get()), draft).await
        }

        pub async fn $delete(
            State(state): State<AppState>,
            ctx: Ctx,
            Path((site, id)): Path<(SiteId, $id)>,
        ) -> Result<Json<DeletedJson>, AppError> {
            remove(&state, &ctx, site, $kind, id.get()).await
        }
    };
}

record_api!(
    Kind::Process,
    ProcessId,
    ProcessBody,
    Process,
    post_process,
    put_process,
    delete_process
);
record_api!(
    Kind::Zone,
    ZoneId,
    ZoneBody,
    Zone,
    post_zone,
    put_zone,
    delete_zone
);
record_api!(
    Kind::Conduit,
    ConduitId,
    ConduitBody,
    Conduit,
    post_conduit,
    put_conduit,
    delete_conduit
);
record_api!(
    Kind::Asset,
    AssetId,
    AssetBody,
    Asset,
    post_asset,
    put_asset,
    delete_asset
);
record_api!(
    Kind::Flow,
    FlowId,
    FlowBody,
    Flow,
    post_flow,
    put_flow,
    delete_flow
);

pub async fn findings(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
) -> Result<Json<FindingsJson>, AppError> {
    let f = state.service.plant_findings(&ctx.who()?, site).await?;
    Ok(Json(FindingsJson::new(
        ctx.locale,
        state.service.catalog(),
        &f,
    )))
}

/// The risk query: rule set, least target importance (2 or 3), deepest search (1–10), and how
/// many routes to list.
#[derive(Debug, Default, Deserialize)]
pub struct RiskParams {
    pub rules: Option<String>,
    pub min_importance: Option<String>,
    pub max_hops: Option<String>,
    pub limit: Option<String>,
}

pub async fn risk(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
    Query(q): Query<RiskParams>,
) -> Result<Json<RiskJson>, AppError> {
    let options = analysis_options(
        q.rules.as_deref(),
        q.min_importance.as_deref(),
        q.max_hops.as_deref(),
    )?;
    let limit = match q.limit.as_deref().map(str::trim) {
        None | Some("") => ROUTE_LIMIT,
        Some(v) => match v.parse::<usize>() {
            Ok(n @ 1..=ROUTE_LIMIT_MAX) => n,
            _ => {
                return Err(AppError::Invalid(Problem::Field {
                    field: "limit",
                    value: v.to_string(),
                    expected: Expected::OneOf(vec![format!("1–{ROUTE_LIMIT_MAX}")]),
                }));
            }
        },
    };
    let a = state
        .service
        .analyse_plant(&ctx.who()?, site, &options)
        .await?;
    Ok(Json(RiskJson::new(
        ctx.locale,
        &a,
        options.min_importance,
        limit,
    )))
}
