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

/// The uploaded file of a form (field `file`): its name (or `default_name`) and bytes. A body over
/// `limit` bytes is refused as too large (the route's body limit), naming the limit.
pub async fn uploaded_file(
    mut multipart: axum::extract::Multipart,
    limit: usize,
    default_name: &str,
) -> Result<(String, Vec<u8>), AppError> {
    let upload_error = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge { limit }
        } else {
            AppError::BadRequest(e.body_text())
        }
    };
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(upload_error)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or(default_name).to_string();
            let bytes = field.bytes().await.map_err(upload_error)?;
            file = Some((name, bytes.to_vec()));
        }
    }
    file.ok_or_else(|| AppError::BadRequest("no file was uploaded (field \"file\")".into()))
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
