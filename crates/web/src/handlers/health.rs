//! `/healthz`: for monitoring. Answers 200 with the version and database when the database
//! answers, 503 otherwise. Reveals nothing about the data.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::AppState;

pub async fn check(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let db = state.service.backend().as_str();
    match state.service.schema_version().await {
        Ok(schema) => (
            StatusCode::OK,
            Json(json!({
                "status": "ok",
                "version": env!("CARGO_PKG_VERSION"),
                "database": db,
                "schema_version": schema,
            })),
        ),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "database": db })),
            )
        }
    }
}
