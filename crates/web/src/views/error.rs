//! The error page.

use askama::Template;
use askama_web::WebTemplate;

use crate::Ctx;

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
