//! kojo's web interface: axum routes rendering askama pages (Japanese first, English complete),
//! server-side sessions, security headers and cross-site request protection. Handlers stay thin:
//! they authorise, call storage or the pure core, and render.

pub mod access;
pub mod api;
pub mod assets;
pub mod auth;
mod authorize;
pub mod cache;
mod ctx;
mod error;
pub mod pages;
pub mod reports;
pub mod routes;
mod security;
mod state;
pub mod survey_data;

pub use auth::password;
pub use ctx::{AuthUser, Ctx};
pub use error::AppError;
pub use state::{AppState, WebConfig};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};

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
        .route(
            "/account/password",
            get(pages::account::password_form).post(pages::account::password_submit),
        )
        .route(
            "/invite/{token}",
            get(pages::account::invite_form).post(pages::account::invite_submit),
        )
        .route("/company", get(pages::company::page))
        .route("/company/sites", post(pages::company::add_site))
        .route("/company/members", get(pages::company::members))
        .route("/company/invitations", post(pages::company::invite))
        .route("/sites/{site}/assessments", post(pages::assessment::start))
        .route(
            "/sites/{site}/import",
            post(pages::exports::import).layer(DefaultBodyLimit::max(pages::exports::UPLOAD_LIMIT)),
        )
        .route(
            "/sites/{site}/plan",
            get(pages::results::plan).post(pages::results::add),
        )
        .route("/plan/{plan}", post(pages::results::update))
        .route("/templates/assessment.xlsx", get(pages::exports::template))
        .route("/assessments/{assessment}", get(pages::assessment::page))
        .route(
            "/assessments/{assessment}/items/{item}",
            post(pages::assessment::save),
        )
        .route(
            "/assessments/{assessment}/items/{item}/history",
            get(pages::assessment::history),
        )
        .route(
            "/assessments/{assessment}/complete",
            post(pages::assessment::complete),
        )
        .route(
            "/assessments/{assessment}/discard",
            post(pages::assessment::discard),
        )
        .route(
            "/assessments/{assessment}/results",
            get(pages::results::page),
        )
        .route(
            "/assessments/{assessment}/report",
            get(pages::results::print),
        )
        .route(
            "/assessments/{assessment}/export.xlsx",
            get(pages::exports::xlsx),
        )
        .route(
            "/assessments/{assessment}/export.csv",
            get(pages::exports::csv),
        )
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/sites", get(api::sites))
        .route("/api/sites/{site}/assessments", post(api::start))
        .route("/api/assessments/{assessment}", get(api::report))
        .route(
            "/api/assessments/{assessment}/answers/{item}",
            put(api::put_answer),
        )
        .route(
            "/api/assessments/{assessment}/complete",
            post(api::complete),
        )
        .route(
            "/rounds",
            get(pages::rounds::list).post(pages::rounds::create),
        )
        .route("/rounds/{round}", get(pages::rounds::page))
        .route("/rounds/{round}/invitees", post(pages::rounds::invite))
        .route("/rounds/{round}/links.csv", get(pages::rounds::links))
        .route("/rounds/{round}/close", post(pages::rounds::close))
        .route(
            "/rounds/{round}/import",
            post(pages::rounds::import).layer(DefaultBodyLimit::max(pages::rounds::UPLOAD_LIMIT)),
        )
        .route(
            "/rounds/{round}/responses.csv",
            get(pages::rounds::responses_csv),
        )
        .route("/rounds/{round}/report", get(pages::survey_report::round))
        .route(
            "/rounds/{round}/report.xlsx",
            get(pages::survey_report::xlsx),
        )
        .route("/rounds/{round}/report.csv", get(pages::survey_report::csv))
        .route(
            "/national/{instrument}",
            get(pages::survey_report::national),
        )
        .route(
            "/national/{instrument}/report.xlsx",
            get(pages::survey_report::national_xlsx),
        )
        .route(
            "/national/{instrument}/report.csv",
            get(pages::survey_report::national_csv),
        )
        .route(
            "/assessments/{assessment}/workbook.xlsx",
            get(pages::exports::workbook),
        )
        .route(
            "/r/{token}",
            get(pages::respond::link_form).post(pages::respond::link_submit),
        )
        .route("/company/surveys", get(pages::respond::company_list))
        .route(
            "/company/surveys/{survey}",
            get(pages::respond::company_form).post(pages::respond::company_submit),
        )
        .route(
            "/interviews",
            get(pages::interviews::list).post(pages::interviews::create),
        )
        .route("/interviews/themes", get(pages::interviews::themes))
        .route("/interviews/{interview}", get(pages::interviews::page))
        .route(
            "/interviews/{interview}/answers",
            post(pages::interviews::save_answers),
        )
        .route(
            "/interviews/{interview}/passages",
            post(pages::interviews::add_passage),
        )
        .route(
            "/interviews/{interview}/passages/{passage}/delete",
            post(pages::interviews::delete_passage),
        )
        .route("/healthz", get(pages::health::check))
        .route("/assets/{*path}", get(assets::serve))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            authorize::authorize,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            count_writes,
        ))
        .fallback(pages::not_found);
    let routes = security::csrf(routes.with_state(state.clone()));
    let routes = routes.layer(axum::middleware::from_fn_with_state(
        state,
        error::render_errors,
    ));
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
