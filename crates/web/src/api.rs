//! The JSON API for assessments and results (same sessions and access rules as the pages),
//! described by the OpenAPI document served at `/api/openapi.json`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kojo_storage::{Actor, Saved};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::access::{company_user, own_assessment, own_site};
use crate::pages::assessment::{AnswerForm, try_complete, validate_answer};
use crate::reports::{self, checklist_of};
use crate::{AppError, AppState, Ctx};

pub async fn sites(State(state): State<AppState>, ctx: Ctx) -> Result<Json<Value>, AppError> {
    let (_, org) = company_user(&ctx)?;
    let assessments = state.store.assessments_of_org(org).await?;
    let sites: Vec<Value> = state
        .store
        .sites_of(org)
        .await?
        .into_iter()
        .map(|s| {
            let of_site: Vec<Value> = assessments
                .iter()
                .filter(|a| a.site_id == s.id)
                .map(|a| {
                    json!({"id": a.id, "checklist": a.checklist, "status": a.status,
                           "created_at": a.created_at, "completed_at": a.completed_at})
                })
                .collect();
            json!({"id": s.id, "name": s.name, "prefecture_code": s.prefecture_code, "assessments": of_site})
        })
        .collect();
    Ok(Json(json!({ "sites": sites })))
}

#[derive(Deserialize, Default)]
pub struct StartBody {
    #[serde(default)]
    pub copy_from: Option<i64>,
}

pub async fn start(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site_id): Path<i64>,
    body: Option<Json<StartBody>>,
) -> Result<Response, AppError> {
    let site = own_site(&state, &ctx, site_id).await?;
    let (user, _) = company_user(&ctx)?;
    let copy_from = body.and_then(|b| b.0.copy_from);
    let checklist = match copy_from {
        Some(src) => own_assessment(&state, &ctx, src).await?.checklist,
        None => state
            .catalog
            .latest_checklist("factory-guideline")
            .map(|c| c.key())
            .unwrap_or_default(),
    };
    let a = state
        .store
        .create_assessment(
            &Actor::user(user.id, &user.login),
            site.id,
            &checklist,
            copy_from,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": a.id, "status": a.status, "checklist": a.checklist})),
    )
        .into_response())
}

pub async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let a = own_assessment(&state, &ctx, id).await?;
    let report = reports::load(&state.store, &state.catalog, &a).await?;
    Ok(Json(report).into_response())
}

#[derive(Deserialize)]
pub struct AnswerBody {
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub target_date: Option<String>,
    /// The version the client last saw (0 for an item not answered yet).
    pub version: i64,
}

pub async fn put_answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, item_id)): Path<(i64, String)>,
    Json(body): Json<AnswerBody>,
) -> Result<Response, AppError> {
    let a = own_assessment(&state, &ctx, id).await?;
    let (user, _) = company_user(&ctx)?;
    let (checklist, scale) = checklist_of(&state.catalog, &a.checklist)?;
    let item = checklist.item(&item_id).ok_or(AppError::NotFound)?;
    if a.is_complete() {
        return Err(AppError::Conflict(
            "the assessment is complete and read-only".into(),
        ));
    }
    let form = AnswerForm {
        level: body.level,
        note: body.note,
        owner: body.owner,
        target_date: body.target_date.unwrap_or_default(),
        version: body.version,
    };
    let input = validate_answer(scale, &form).map_err(AppError::BadRequest)?;
    let answer = |r: &kojo_storage::AnswerRow| {
        json!({"item": r.item_id, "level": r.level, "note": r.note, "owner": r.owner,
               "target_date": r.target_date, "version": r.version, "updated_at": r.updated_at})
    };
    match state
        .store
        .save_answer(&Actor::user(user.id, &user.login), a.id, &item.id, form.version, &input)
        .await?
    {
        Saved::Saved(row) => Ok(Json(answer(&row)).into_response()),
        Saved::Conflict(current) => Ok((
            StatusCode::CONFLICT,
            Json(json!({
                "error": {"code": "conflict", "message": "someone saved this answer first; reload and apply your change to the current version"},
                "current": current.as_ref().map(answer),
            })),
        )
            .into_response()),
    }
}

pub async fn complete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let a = own_assessment(&state, &ctx, id).await?;
    let (user, _) = company_user(&ctx)?;
    match try_complete(&state, user, &a).await? {
        Ok(()) => Ok(Json(json!({"id": a.id, "status": "complete"})).into_response()),
        Err(m) => Err(AppError::Conflict(format!(
            "{} of {} items are not answered yet",
            m.missing, m.items
        ))),
    }
}

/// The OpenAPI 3.1 description of this instance's JSON API.
pub async fn openapi() -> Json<Value> {
    Json(document())
}

pub fn document() -> Value {
    let error = json!({"$ref": "#/components/schemas/Error"});
    let errors = |codes: &[&str]| -> Value {
        let mut map = serde_json::Map::new();
        for code in codes {
            let description = match *code {
                "400" => "Invalid input (the message names the field and what is expected)",
                "401" => "Not signed in",
                "404" => "No such resource, or it belongs to another company",
                "409" => "Conflict: someone saved first, or the assessment is complete",
                _ => "Error",
            };
            map.insert(code.to_string(), json!({"description": description, "content": {"application/json": {"schema": error}}}));
        }
        Value::Object(map)
    };
    let merge = |ok: Value, err: Value| -> Value {
        let mut m = ok.as_object().cloned().unwrap_or_default();
        m.extend(err.as_object().cloned().unwrap_or_default());
        Value::Object(m)
    };
    let id_param = |name: &str, description: &str| json!({"name": name, "in": "path", "required": true, "description": description, "schema": {"type": "integer"}});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "kojo API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Self-assessments of factories along METI's factory security guideline. Authentication: the session cookie of a signed-in company user (kojo_session). Other companies' data answers 404."
        },
        "components": {
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "kojo_session"}},
            "schemas": {
                "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"}, "detail": {"type": ["string", "null"]}}}}},
                "Answer": {"type": "object", "properties": {
                    "item": {"type": "string", "examples": ["OPS-8"]},
                    "level": {"type": ["string", "null"], "enum": ["5", "4", "3", "2", "1", "na", null]},
                    "note": {"type": "string"}, "owner": {"type": "string"},
                    "target_date": {"type": ["string", "null"], "format": "date"},
                    "version": {"type": "integer"}, "updated_at": {"type": "integer", "description": "UTC milliseconds"}}},
                "AnswerInput": {"type": "object", "required": ["version"], "properties": {
                    "level": {"type": ["string", "null"], "enum": ["5", "4", "3", "2", "1", "na", null]},
                    "note": {"type": "string", "maxLength": 2000}, "owner": {"type": "string", "maxLength": 200},
                    "target_date": {"type": ["string", "null"], "format": "date"},
                    "version": {"type": "integer", "description": "The version last read (0 if unanswered)"}}},
                "Report": {"type": "object", "description": "Scores per category and overall (0-100, null when not scorable), every answer, the gap list in priority order with measures, the example for the company's size and cost bands, the 2022 national figures beside the items, the comparison with the previous assessment and the action plan.",
                    "properties": {
                        "assessment_id": {"type": "integer"}, "checklist": {"type": "string"}, "status": {"type": "string", "enum": ["draft", "complete"]},
                        "company": {"type": "string"}, "site": {"type": "string"}, "size_band": {"type": "string", "enum": ["small", "medium", "large"]},
                        "scores": {"type": "object"}, "answers": {"type": "array"}, "gaps": {"type": "array"},
                        "baseline": {"type": "array"}, "previous": {"type": ["object", "null"]}, "plan": {"type": "array"}}}
            }
        },
        "security": [{"session": []}],
        "paths": {
            "/api/sites": {"get": {"summary": "The signed-in company's sites and their assessments",
                "responses": merge(json!({"200": {"description": "Sites", "content": {"application/json": {"schema": {"type": "object"}}}}}), errors(&["401"]))}},
            "/api/sites/{site}/assessments": {"post": {"summary": "Start an assessment of a site (optionally copying another)",
                "parameters": [id_param("site", "Site id")],
                "requestBody": {"required": false, "content": {"application/json": {"schema": {"type": "object", "properties": {"copy_from": {"type": "integer"}}}}}},
                "responses": merge(json!({"201": {"description": "Created", "content": {"application/json": {"schema": {"type": "object"}}}}}), errors(&["401", "404"]))}},
            "/api/assessments/{id}": {"get": {"summary": "The assessment's full report",
                "parameters": [id_param("id", "Assessment id")],
                "responses": merge(json!({"200": {"description": "Report", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}}}), errors(&["401", "404"]))}},
            "/api/assessments/{id}/answers/{item}": {"put": {"summary": "Save one answer (optimistic: give the version you read)",
                "parameters": [id_param("id", "Assessment id"), {"name": "item", "in": "path", "required": true, "schema": {"type": "string"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AnswerInput"}}}},
                "responses": merge(json!({"200": {"description": "Saved", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Answer"}}}}}), errors(&["400", "401", "404", "409"]))}},
            "/api/assessments/{id}/complete": {"post": {"summary": "Mark the assessment complete (every item answered); completing a complete assessment succeeds again",
                "parameters": [id_param("id", "Assessment id")],
                "responses": merge(json!({"200": {"description": "Completed"}}), errors(&["401", "404", "409"]))}},
            "/api/openapi.json": {"get": {"summary": "This document", "security": [], "responses": {"200": {"description": "OpenAPI document"}}}}
        }
    })
}
