//! One error type for every handler. It becomes a localised HTML page (or JSON under `/api/`)
//! with a stable error code; a problem the user can fix is worded in the reader's language from
//! the locale files; internal causes are logged, never shown.

use std::sync::Arc;

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use kojo_service::Problem;
use kojo_storage::StoreError;

use crate::ctx::{Ctx, CtxSlot, cookie_locale};
use crate::views::error::ErrorTemplate;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not signed in: pages redirect to the sign-in page, the API answers 401.
    #[error("sign-in required")]
    Unauthenticated { next: String },
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A problem the user can fix (400).
    #[error("bad request: {0:?}")]
    Invalid(Problem),
    /// A collision with the current state (409).
    #[error("conflict: {0:?}")]
    Conflict(Problem),
    #[error("too many requests")]
    TooManyRequests,
    /// The path exists, with other methods (`allow`).
    #[error("method not allowed (allowed: {allow})")]
    MethodNotAllowed { allow: String },
    /// An upload above `limit` bytes (the route's body limit).
    #[error("upload too large (limit {limit} bytes)")]
    TooLarge { limit: usize },
    /// The database is full (503): nothing was written; the user may retry later.
    #[error("the database is full")]
    DatabaseFull,
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<kojo_service::Error> for AppError {
    fn from(e: kojo_service::Error) -> AppError {
        use kojo_service::Error as E;
        match e {
            E::NotFound => AppError::NotFound,
            E::Forbidden => AppError::Forbidden,
            E::Invalid(p) => AppError::Invalid(p),
            E::Conflict(p) => AppError::Conflict(p),
            E::TooLarge { limit } => AppError::TooLarge { limit },
            E::Store(StoreError::Full) => AppError::DatabaseFull,
            E::Store(e) => AppError::Internal(e.to_string()),
            E::Internal(m) => AppError::Internal(m),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        kojo_service::Error::from(e).into()
    }
}

impl From<Problem> for AppError {
    fn from(p: Problem) -> AppError {
        AppError::Invalid(p)
    }
}

/// The stable, machine-readable error codes of pages and the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadRequest,
    Conflict,
    TooManyRequests,
    MethodNotAllowed,
    TooLarge,
    CrossSiteRequest,
    DatabaseFull,
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 11] = [
        ErrorCode::Unauthenticated,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::BadRequest,
        ErrorCode::Conflict,
        ErrorCode::TooManyRequests,
        ErrorCode::MethodNotAllowed,
        ErrorCode::TooLarge,
        ErrorCode::CrossSiteRequest,
        ErrorCode::DatabaseFull,
        ErrorCode::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::Conflict => "conflict",
            ErrorCode::TooManyRequests => "too_many_requests",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::CrossSiteRequest => "cross_site_request",
            ErrorCode::DatabaseFull => "database_full",
            ErrorCode::Internal => "internal",
        }
    }

    /// The general sentence for the code (a problem's own sentence is shown as the detail).
    fn message(self, ctx: &Ctx, limit: Option<usize>) -> String {
        let t = ctx.t;
        match self {
            ErrorCode::NotFound => t.error_not_found,
            ErrorCode::Forbidden => t.error_forbidden,
            ErrorCode::BadRequest => t.error_bad_request,
            ErrorCode::Conflict => t.error_conflict,
            ErrorCode::TooManyRequests => t.error_too_many,
            ErrorCode::MethodNotAllowed => t.security_method_not_allowed,
            ErrorCode::TooLarge => {
                let Some(limit) = limit else {
                    let kb = crate::FORM_BODY_LIMIT / 1024;
                    return ctx.fill(t.security_body_too_large, "kb", kb);
                };
                return ctx.fill(t.error_too_large, "mb", limit / (1024 * 1024));
            }
            ErrorCode::CrossSiteRequest => t.error_csrf,
            ErrorCode::DatabaseFull => t.security_database_full,
            ErrorCode::Unauthenticated => t.login_title,
            ErrorCode::Internal => t.error_internal,
        }
        .to_string()
    }
}

/// What the error middleware needs to render a page: carried in the response extensions.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub status: StatusCode,
    pub code: ErrorCode,
    /// The problem to explain, rendered in the reader's language.
    pub problem: Option<Arc<Problem>>,
    /// The upload limit in bytes, for `too_large`.
    pub limit: Option<usize>,
}

impl ErrorPage {
    fn new(status: StatusCode, code: ErrorCode) -> ErrorPage {
        ErrorPage {
            status,
            code,
            problem: None,
            limit: None,
        }
    }

    pub fn csrf() -> ErrorPage {
        ErrorPage::new(StatusCode::FORBIDDEN, ErrorCode::CrossSiteRequest)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let page = match self {
            AppError::Unauthenticated { next } => {
                let mut response = Redirect::to(&login_url(&next)).into_response();
                response.extensions_mut().insert(ErrorPage::new(
                    StatusCode::UNAUTHORIZED,
                    ErrorCode::Unauthenticated,
                ));
                return response;
            }
            AppError::Forbidden => ErrorPage::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            AppError::NotFound => ErrorPage::new(StatusCode::NOT_FOUND, ErrorCode::NotFound),
            AppError::Invalid(p) => ErrorPage {
                problem: Some(Arc::new(p)),
                ..ErrorPage::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest)
            },
            AppError::Conflict(p) => ErrorPage {
                problem: Some(Arc::new(p)),
                ..ErrorPage::new(StatusCode::CONFLICT, ErrorCode::Conflict)
            },
            AppError::TooManyRequests => {
                ErrorPage::new(StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyRequests)
            }
            AppError::MethodNotAllowed { allow } => {
                let page =
                    ErrorPage::new(StatusCode::METHOD_NOT_ALLOWED, ErrorCode::MethodNotAllowed);
                let mut response = page.status.into_response();
                if let Ok(v) = axum::http::HeaderValue::from_str(&allow) {
                    response.headers_mut().insert(header::ALLOW, v);
                }
                response.extensions_mut().insert(page);
                return response;
            }
            AppError::TooLarge { limit } => ErrorPage {
                limit: Some(limit),
                ..ErrorPage::new(StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooLarge)
            },
            AppError::DatabaseFull => {
                tracing::warn!("a write was refused: the database is full");
                ErrorPage::new(StatusCode::SERVICE_UNAVAILABLE, ErrorCode::DatabaseFull)
            }
            AppError::Internal(m) => {
                tracing::error!(error = %m, "internal error");
                ErrorPage::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
            }
        };
        let mut response = page.status.into_response();
        response.extensions_mut().insert(page);
        response
    }
}

fn login_url(next: &str) -> String {
    format!(
        "/login?next={}",
        urlencode(&crate::redirect::local_path(next))
    )
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Renders error responses: a localised page for browsers, JSON for the API.
pub async fn render_errors(mut req: Request, next: Next) -> Response {
    let slot = CtxSlot::default();
    req.extensions_mut().insert(slot.clone());
    let jar = CookieJar::from_headers(req.headers());
    let path = req.uri().path().to_string();
    let api = path.starts_with("/api/");
    let mut response = next.run(req).await;
    if response
        .extensions()
        .get::<ErrorPage>()
        .is_some_and(|p| p.code == ErrorCode::Unauthenticated)
        && !api
    {
        return response; // the redirect to the sign-in page
    }
    let page = match response.extensions_mut().remove::<ErrorPage>() {
        Some(page) => page,
        // A body over the route's limit, refused by axum's extractor before the handler.
        None if response.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ErrorPage::new(StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooLarge)
        }
        None => return response,
    };
    // Headers the error's own response carries for the client (`Allow`, `Retry-After`).
    let kept: Vec<_> = [header::ALLOW, header::RETRY_AFTER]
        .into_iter()
        .filter_map(|h| response.headers().get(&h).map(|v| (h, v.clone())))
        .collect();
    let mut response = render_page(page, &slot, &jar, path, api);
    response.headers_mut().extend(kept);
    response
}

/// The page (or JSON) of an error, in the language of the request.
fn render_page(
    page: ErrorPage,
    slot: &CtxSlot,
    jar: &CookieJar,
    path: String,
    api: bool,
) -> Response {
    let ctx = slot
        .0
        .lock()
        .ok()
        .and_then(|g| g.clone())
        .unwrap_or_else(|| Ctx::anonymous(cookie_locale(jar).unwrap_or_default(), path));
    let message = page.code.message(&ctx, page.limit);
    let detail = page.problem.as_ref().map(|p| p.message(&ctx.lang()));
    if api {
        let field = page.problem.as_ref().and_then(|p| p.field());
        let body = serde_json::json!({
            "error": { "code": page.code.as_str(), "message": message, "detail": detail, "field": field }
        });
        return (
            page.status,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response();
    }
    (
        page.status,
        ErrorTemplate::new(ctx, page.code.as_str(), message, detail),
    )
        .into_response()
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
