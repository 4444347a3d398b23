//! Request handlers, one module per area: each parses the request, calls a use case of
//! `kojo_service` and renders a view (`crate::views`) or a redirect.

pub mod account;
pub mod admin;
pub mod api;
pub mod assessment;
pub mod company;
pub mod evidence;
pub mod exports;
pub mod glossary;
pub mod health;
pub mod home;
pub mod interviews;
pub mod lang;
pub mod login;
pub mod plan;
pub mod plant;
pub mod plant_api;
pub mod register;
pub mod respond;
pub mod results;
pub mod risk;
pub mod rounds;
pub mod setup;
pub mod survey_exports;
pub mod survey_report;
pub mod vuln;

use axum::http::StatusCode;
use kojo_service::{Error, Problem};

use crate::AppError;

pub async fn not_found() -> AppError {
    AppError::NotFound
}

pub use crate::redirect::local_path;

/// A problem the user can fix, with its status (400, or 409 for a collision), to show on the
/// form again; any other error passes on.
pub fn form_problem(e: Error) -> Result<(StatusCode, Problem), AppError> {
    match e {
        Error::Invalid(p) => Ok((StatusCode::BAD_REQUEST, p)),
        Error::Conflict(p) => Ok((StatusCode::CONFLICT, p)),
        other => Err(other.into()),
    }
}
