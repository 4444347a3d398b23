//! Request handlers, one module per area: each parses the request, calls a use case of
//! `kojo_service` and renders a view (`crate::views`) or a redirect.

pub mod account;
pub mod admin;
pub mod api;
pub mod assessment;
pub mod company;
pub mod exports;
pub mod health;
pub mod home;
pub mod interviews;
pub mod lang;
pub mod login;
pub mod plan;
pub mod plant;
pub mod plant_api;
pub mod respond;
pub mod results;
pub mod risk;
pub mod rounds;
pub mod setup;
pub mod survey_form;
pub mod survey_report;

use crate::AppError;

pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// A same-site path to return to after a form, never another host.
pub fn local_path(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/"
    }
}
