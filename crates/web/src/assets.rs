//! Static assets, embedded in the binary: kojo never loads anything from another host.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// kojo's one stylesheet (screen and print).
pub const STYLESHEET: &[u8] = include_bytes!("../../../assets/kojo.css");

/// (file name, content type, bytes)
pub const ASSETS: &[(&str, &str, &[u8])] = &[
    ("kojo.css", "text/css; charset=utf-8", STYLESHEET),
    (
        "htmx-2.0.11.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../assets/vendor/htmx-2.0.11.min.js"),
    ),
    (
        "forms.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../assets/forms.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../../../assets/favicon.svg"),
    ),
];

pub async fn serve(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == path) {
        Some((_, content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            *bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
