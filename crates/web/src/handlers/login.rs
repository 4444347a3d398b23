//! Sign-in and sign-out.

use std::net::SocketAddr;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use kojo_storage::{StoreError, now_millis};
use serde::Deserialize;

use super::local_path;
use crate::auth::{password, session};
use crate::{AppError, AppState, Ctx};

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub ctx: Ctx,
    pub next: String,
    pub login: String,
    pub notice: Option<&'static str>,
    pub error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    pub next: String,
    /// `logged_out` or `expired`: a notice to show.
    #[serde(default)]
    pub m: String,
}

pub async fn form(ctx: Ctx, Query(q): Query<LoginQuery>) -> LoginPage {
    let notice = match q.m.as_str() {
        "logged_out" => Some(ctx.t.login_logged_out),
        "expired" => Some(ctx.t.login_session_expired),
        _ => None,
    };
    LoginPage {
        next: local_path(&q.next).to_string(),
        login: String::new(),
        notice,
        error: None,
        ctx,
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    pub login: String,
    pub password: String,
    #[serde(default)]
    pub next: String,
}

/// The client's address as seen by the server (for throttling).
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ClientAddr, Self::Rejection> {
        let addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "local".into());
        Ok(ClientAddr(addr))
    }
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientAddr(addr): ClientAddr,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let now = now_millis();
    let next = local_path(&form.next).to_string();
    let fail = |ctx: Ctx, status: StatusCode, error: String| {
        let page = LoginPage {
            next: next.clone(),
            login: form.login.clone(),
            notice: None,
            error: Some(error),
            ctx,
        };
        Ok((status, page).into_response())
    };
    if let Err(minutes) = state.throttle.check(&form.login, &addr, now) {
        let message = ctx.fill(ctx.t.login_throttled, "minutes", minutes);
        return fail(ctx, StatusCode::TOO_MANY_REQUESTS, message);
    }
    let user = match state.store().user_by_login(&form.login).await {
        Ok(u) => Some(u),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    // Verify against a dummy hash for unknown logins so timing does not reveal which exist.
    let stored = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| password::dummy_hash().to_string());
    let ok = password::verify_async(form.password.clone(), stored).await;
    let user = match user {
        Some(u) if ok && !u.disabled => u,
        _ => {
            state.throttle.record_failure(&form.login, &addr, now);
            tracing::info!(login = %form.login, %addr, "failed sign-in");
            return fail(
                ctx.clone(),
                StatusCode::UNAUTHORIZED,
                ctx.t.login_failed.to_string(),
            );
        }
    };
    state.throttle.record_success(&form.login);
    // A new token on every sign-in, and the old session (if any) ends: no session fixation.
    if let Some(old) = &ctx.user {
        state.sessions.remove(&old.session_hash);
        state.store().delete_session(&old.session_hash).await?;
    }
    let token = session::new_token();
    let expires = now + state.config.session_absolute.as_millis() as i64;
    state
        .store()
        .create_session(&session::hash_token(&token), user.id, now, expires)
        .await?;
    tracing::info!(login = %user.login, "signed in");
    let jar = jar.add(session::cookie(token, &state.config));
    Ok((jar, Redirect::to(&next)).into_response())
}

pub async fn logout(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
) -> Result<impl IntoResponse, AppError> {
    if let Some(user) = &ctx.user {
        state.sessions.remove(&user.session_hash);
        state.store().delete_session(&user.session_hash).await?;
    }
    let jar = jar.add(session::removal(&state.config));
    Ok((jar, Redirect::to("/login?m=logged_out")))
}
