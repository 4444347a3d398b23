//! kojo's web interface: axum routes rendering askama pages (Japanese first, English complete),
//! server-side sessions, security headers and cross-site request protection. Handlers stay thin:
//! they authorise, call storage or the pure core, and render.

pub mod assets;
pub mod auth;
mod ctx;
mod error;
mod pages;
pub mod routes;
mod security;
mod state;

pub use auth::password;
pub use ctx::{AuthUser, Ctx};
pub use error::AppError;
pub use state::{AppState, WebConfig};

use axum::Router;
use axum::routing::{get, post};

/// The whole application as a router (also what in-process tests drive).
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .route("/", get(pages::home::page))
        .route("/login", get(pages::login::form).post(pages::login::submit))
        .route("/logout", post(pages::login::logout))
        .route("/lang", post(pages::lang::switch))
        .route(
            "/setup/{token}",
            get(pages::setup::form).post(pages::setup::submit),
        )
        .route("/admin/orgs", get(pages::admin::orgs))
        .route("/healthz", get(pages::health::check))
        .route("/assets/{*path}", get(assets::serve))
        .fallback(pages::not_found);
    let routes = security::csrf(routes.with_state(state.clone()));
    let routes = routes.layer(axum::middleware::from_fn_with_state(
        state,
        error::render_errors,
    ));
    security::headers(routes)
}
