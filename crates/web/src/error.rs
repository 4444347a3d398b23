//! One error type for every handler. It becomes a localised HTML page (or JSON under `/api/`)
//! with a stable error code; internal causes are logged, never shown.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use kojo_storage::StoreError;

use crate::AppState;
use crate::ctx::{Ctx, CtxSlot, cookie_locale};
use crate::pages::ErrorTemplate;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not signed in: pages redirect to the sign-in page, the API answers 401.
    #[error("sign-in required")]
    Unauthenticated { next: String },
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many requests")]
    TooManyRequests,
    /// An upload above `limit` bytes (the route's body limit).
    #[error("upload too large (limit {limit} bytes)")]
    TooLarge { limit: usize },
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(m) => AppError::Conflict(m),
            StoreError::Stale => AppError::Conflict(e.to_string()),
            StoreError::Invalid(m) => AppError::BadRequest(m),
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// What the error middleware needs to render a page: carried in the response extensions.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub status: StatusCode,
    /// Stable machine-readable code (`not_found`, `forbidden`, …).
    pub code: &'static str,
    pub detail: Option<String>,
    /// The upload limit in bytes, for `too_large`.
    pub limit: Option<usize>,
}

impl ErrorPage {
    pub fn csrf() -> ErrorPage {
        ErrorPage {
            status: StatusCode::FORBIDDEN,
            code: "cross_site_request",
            detail: None,
            limit: None,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut limit = None;
        let (status, code, detail) = match self {
            AppError::Unauthenticated { next } => {
                let mut response = Redirect::to(&login_url(&next)).into_response();
                response.extensions_mut().insert(ErrorPage {
                    status: StatusCode::UNAUTHORIZED,
                    code: "unauthenticated",
                    detail: None,
                    limit: None,
                });
                return response;
            }
            AppError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", None),
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found", None),
            AppError::BadRequest(m) => (StatusCode::BAD_REQUEST, "bad_request", Some(m)),
            AppError::Conflict(m) => (StatusCode::CONFLICT, "conflict", Some(m)),
            AppError::TooManyRequests => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests", None),
            AppError::TooLarge { limit: bytes } => {
                limit = Some(bytes);
                (StatusCode::PAYLOAD_TOO_LARGE, "too_large", None)
            }
            AppError::Internal(m) => {
                tracing::error!(error = %m, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", None)
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorPage {
            status,
            code,
            detail,
            limit,
        });
        response
    }
}

fn login_url(next: &str) -> String {
    let safe_next = if next.starts_with('/') && !next.starts_with("//") {
        next
    } else {
        "/"
    };
    format!("/login?next={}", urlencode(safe_next))
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Renders error responses: a localised page for browsers, JSON for the API.
pub async fn render_errors(
    State(_state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let slot = CtxSlot::default();
    req.extensions_mut().insert(slot.clone());
    let jar = CookieJar::from_headers(req.headers());
    let path = req.uri().path().to_string();
    let api = path.starts_with("/api/");
    let mut response = next.run(req).await;
    let Some(page) = response.extensions_mut().remove::<ErrorPage>() else {
        return response;
    };
    if page.code == "unauthenticated" && !api {
        return response; // the redirect to the sign-in page
    }
    let ctx = slot
        .0
        .lock()
        .ok()
        .and_then(|g| g.clone())
        .unwrap_or_else(|| Ctx::anonymous(cookie_locale(&jar).unwrap_or_default(), path));
    if api {
        let body = serde_json::json!({
            "error": { "code": page.code, "message": message(&ctx, &page), "detail": page.detail }
        });
        return (
            page.status,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response();
    }
    let message = message(&ctx, &page);
    (
        page.status,
        ErrorTemplate::new(ctx, page.code, message, page.detail),
    )
        .into_response()
}

fn message(ctx: &Ctx, page: &ErrorPage) -> String {
    let t = ctx.t;
    let text = match page.code {
        "not_found" => t.error_not_found,
        "forbidden" => t.error_forbidden,
        "bad_request" => t.error_bad_request,
        "conflict" => t.error_conflict,
        "too_many_requests" => t.error_too_many,
        "too_large" => {
            let mb = page.limit.unwrap_or_default() / (1024 * 1024);
            return ctx.fill(t.error_too_large, "mb", mb);
        }
        "cross_site_request" => t.error_csrf,
        "unauthenticated" => t.login_title,
        _ => t.error_internal,
    };
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_redirect_keeps_only_local_paths() {
        assert_eq!(
            login_url("/admin/orgs?x=1"),
            "/login?next=/admin/orgs%3Fx%3D1"
        );
        assert_eq!(login_url("//evil.example/"), "/login?next=/");
        assert_eq!(login_url("https://evil.example/"), "/login?next=/");
    }
}
