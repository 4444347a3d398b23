//! Security headers on every response and protection against cross-site requests.
//!
//! Cross-site request forgery: every state-changing request (anything but GET/HEAD/OPTIONS)
//! must come from kojo's own pages. The check uses the browser's `Sec-Fetch-Site` and `Origin`
//! headers (tower-http's port of Go 1.25's CrossOriginProtection); the session cookie is also
//! `SameSite=Lax`, so browsers too old to send those headers do not attach the session to a
//! cross-site POST. See docs/security.md.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Response, StatusCode, header};
use tower_http::csrf::{CsrfLayer, ProtectionError};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::ErrorPage;

/// Content-Security-Policy: everything from kojo itself, no inline script or style, no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
     base-uri 'none'; object-src 'none'";

fn header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

fn csrf_rejection(_: ProtectionError) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::FORBIDDEN;
    response.extensions_mut().insert(ErrorPage::csrf());
    response
}

/// Rejects cross-site state-changing requests (innermost, so the error page is localised).
pub fn csrf(router: Router) -> Router {
    router.layer(CsrfLayer::new().with_rejection_response(csrf_rejection))
}

/// Adds the security headers to every response (outermost). Responses are not cached
/// (`Cache-Control: no-store`: pages carry a company's data, survey answers, exports) unless
/// they say otherwise themselves — only the embedded assets do.
pub fn headers(router: Router) -> Router {
    router
        .layer(header(header::CACHE_CONTROL, "no-store"))
        .layer(header(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header(header::REFERRER_POLICY, "same-origin"))
        .layer(header(
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=()",
        ))
        .layer(header(
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ))
}
