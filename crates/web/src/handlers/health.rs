//! `/healthz`: for monitoring. Answers 200 with the version and database when the database
//! answers and can take a write (a probe write on the writer, rolled back, with a short
//! timeout), 503 with a reason code otherwise (`database_full`, `database_busy`,
//! `database_error`). Reveals nothing about the data.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::AppState;

pub async fn check(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let db = state.service.backend().as_str();
    let unavailable = |reason: &str| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "database": db, "reason": reason })),
        )
    };
    let schema = match state.service.schema_version().await {
        Ok(schema) => schema,
        Err(e) => {
            tracing::warn!(error = %e, "health check: the database does not answer");
            return unavailable("database_error");
        }
    };
    let probe = state
        .store()
        .check_writable(kojo_storage::PROBE_TIMEOUT)
        .await;
    if let Err(why) = probe {
        tracing::warn!(
            reason = why.code(),
            "health check: the database cannot take a write"
        );
        return unavailable(why.code());
    }
    (
        StatusCode::OK,
        Json(json!({
            "status": "ok",
            "version": env!("CARGO_PKG_VERSION"),
            "database": db,
            "schema_version": schema,
        })),
    )
}
