//! Page handlers, one module per area.

pub mod account;
pub mod admin;
pub mod assessment;
pub mod company;
pub mod exports;
pub mod health;
pub mod home;
pub mod interviews;
pub mod lang;
pub mod login;
pub mod respond;
pub mod results;
pub mod rounds;
pub mod setup;
pub mod survey_form;
pub mod survey_report;

use askama::Template;
use askama_web::WebTemplate;

use crate::{AppError, Ctx};

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorTemplate {
    pub ctx: Ctx,
    pub code: &'static str,
    pub message: String,
    pub detail: Option<String>,
}

impl ErrorTemplate {
    pub fn new(ctx: Ctx, code: &'static str, message: String, detail: Option<String>) -> Self {
        ErrorTemplate {
            ctx,
            code,
            message,
            detail,
        }
    }
}

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
