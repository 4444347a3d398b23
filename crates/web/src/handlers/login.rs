//! Sign-in and sign-out.

use std::net::SocketAddr;

use axum::Form;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use kojo_service::accounts::sessions::{Credentials, SignIn};
use serde::Deserialize;

use super::local_path;
use crate::auth::session;
use crate::views::account::LoginPage;
use crate::{AppError, AppState, Ctx};

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    pub next: String,
    /// `logged_out` or `expired`: a notice to show.
    #[serde(default)]
    pub m: String,
}

pub async fn form(ctx: Ctx, Query(q): Query<LoginQuery>) -> LoginPage {
    LoginPage::new(ctx, &local_path(&q.next), &q.m)
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

/// Signs in: a new session cookie and on to `next`; otherwise the form again (401, or 429
/// while the login or address is throttled).
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientAddr(addr): ClientAddr,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let next = local_path(&form.next);
    let attempt = Credentials {
        login: &form.login,
        password: &form.password,
        address: &addr,
    };
    let previous = ctx.user.as_ref().map(|u| u.session_hash.as_str());
    let policy = state.config.session_policy();
    match state.service.sign_in(&attempt, previous, &policy).await? {
        SignIn::Started(started) => {
            let jar = jar.add(session::cookie(started.token, &state.config));
            Ok((jar, Redirect::to(&next)).into_response())
        }
        refused => {
            let status = match refused {
                SignIn::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::UNAUTHORIZED,
            };
            let error = refused.problem().map(|p| p.message(&ctx.lang()));
            let page = LoginPage::refused(ctx, &next, &form.login, error.unwrap_or_default());
            Ok((status, page).into_response())
        }
    }
}

pub async fn logout(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
) -> Result<impl IntoResponse, AppError> {
    if let Some(user) = &ctx.user {
        state.service.sign_out(&user.session_hash).await?;
    }
    let jar = jar.add(session::removal(&state.config));
    Ok((jar, Redirect::to("/login?m=logged_out")))
}
