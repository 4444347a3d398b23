//! Sign-in and sign-out.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use kojo_service::accounts::sessions::{Client, Credentials, SignIn};
use serde::Deserialize;

use super::local_path;
use crate::auth::session;
use crate::client::ClientAddr;
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
        client: Client {
            address: &addr,
            device: session::device(&jar),
        },
    };
    let previous = ctx.user.as_ref().map(|u| u.session_hash.as_str());
    let policy = state.config.session_policy();
    match state.service.sign_in(&attempt, previous, &policy).await? {
        SignIn::Started(started) => {
            let jar = session::started(jar, started, &state.config);
            Ok((jar, Redirect::to(&next)).into_response())
        }
        refused => {
            let error = refused.problem().map(|p| p.message(&ctx.lang()));
            let page = LoginPage::refused(ctx, &next, &form.login, error.unwrap_or_default());
            match refused {
                SignIn::Throttled { seconds } => Ok(throttled(seconds, page)),
                _ => Ok((StatusCode::UNAUTHORIZED, page).into_response()),
            }
        }
    }
}

/// 429 with `Retry-After` (seconds) and the page that explains it.
pub fn throttled(seconds: i64, page: impl IntoResponse) -> Response {
    let retry = [(header::RETRY_AFTER, seconds.max(1).to_string())];
    (StatusCode::TOO_MANY_REQUESTS, retry, page).into_response()
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
