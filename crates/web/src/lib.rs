//! kojo's web interface: thin handlers over the use cases of `kojo_service`, rendering askama
//! pages (Japanese first, English complete) and the JSON API, with server-side sessions,
//! security headers and cross-site request protection. Every route is declared once, in
//! [`routes::ROUTES`], with who may use it.

mod api_types;
mod assets;
pub mod auth;
mod authorize;
mod cache;
pub mod client;
mod ctx;
mod error;
mod handlers;
pub mod openapi;
mod redirect;
pub mod routes;
mod security;
mod state;
mod upload;
mod views;

pub use auth::password;
pub use client::TrustedProxy;
pub use ctx::{AuthUser, Ctx};
pub use error::{AppError, ErrorCode};
pub use state::{AppState, WebConfig, check_public_url};

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::MethodRouter;
use kojo_core::Locale;
use kojo_core::report::AssessmentReport;

/// The largest request body of a route without a limit of its own (forms and JSON): 256 KiB.
pub const FORM_BODY_LIMIT: usize = 256 * 1024;

/// The whole application as a router (also what in-process tests drive).
pub fn router(state: AppState) -> Router {
    let mut by_path: BTreeMap<&str, MethodRouter<AppState>> = BTreeMap::new();
    for route in routes::ROUTES {
        let mut handler = (route.handler)();
        if let Some(limit) = route.body_limit {
            handler = handler.layer(DefaultBodyLimit::max(limit));
        }
        let merged = match by_path.remove(route.path) {
            Some(existing) => existing.merge(handler),
            None => handler,
        };
        by_path.insert(route.path, merged);
    }
    let mut routes = Router::new();
    for (path, handler) in by_path {
        routes = routes.route(path, handler);
    }
    let routes = routes
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            authorize::authorize,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            count_writes,
        ))
        .fallback(handlers::not_found)
        // Every request body is capped (forms, JSON); upload routes set their own, larger limit.
        .layer(DefaultBodyLimit::max(FORM_BODY_LIMIT));
    let routes = security::csrf(routes.with_state(state));
    let routes = routes.layer(axum::middleware::from_fn(error::render_errors));
    security::headers(routes)
}

/// Bumps the write generation after every state-changing request (see `cache::WriteGeneration`).
async fn count_writes(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let changes = !req.method().is_safe();
    let response = next.run(req).await;
    if changes {
        state.writes.bump();
    }
    response
}

/// The printable report of an assessment as one self-contained HTML file (for
/// `kojo assess report --html`), with the site's plant analysis when it has a model.
pub fn standalone_report(
    service: &kojo_service::Service,
    report: &AssessmentReport,
    plant: &kojo_service::plant::PlantAnalysis,
    locale: Locale,
) -> Result<String, AppError> {
    let ctx = Ctx::anonymous(locale, "/".into());
    let text = service.report_view(report, &ctx.lang())?;
    let v = views::results::ResultsView::new(&ctx, report, text);
    let generated = kojo_core::format::datetime(kojo_storage::now_millis(), locale);
    let plant = views::report_plant::ReportPlant::new(&ctx, service.catalog(), plant);
    views::results::PrintReport {
        ctx,
        v,
        generated,
        plant,
    }
    .standalone()
    .map_err(|e| AppError::Internal(e.to_string()))
}
