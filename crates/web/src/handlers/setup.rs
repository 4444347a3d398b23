//! First-run setup: the one-time link printed by `kojo serve` creates the first admin.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use kojo_service::Error;
use kojo_service::accounts::AccountDraft;
use serde::Deserialize;

use super::form_problem;
use crate::auth::session;
use crate::views::account::SetupPage;
use crate::{AppError, AppState, Ctx};

pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let valid = state.service.setup_link_valid(&token).await?;
    let status = if valid {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    Ok((status, SetupPage::new(ctx, valid)).into_response())
}

/// A new account as the setup and invitation pages post it.
#[derive(Deserialize)]
pub struct AccountForm {
    pub login: String,
    #[serde(default)]
    pub display_name: String,
    pub password: String,
    pub password_again: String,
}

impl From<AccountForm> for AccountDraft {
    fn from(f: AccountForm) -> AccountDraft {
        AccountDraft {
            login: f.login,
            display_name: f.display_name,
            password: f.password,
            password_again: f.password_again,
        }
    }
}

/// Creates the first admin and signs them in; the form again (400) with the problem, or the
/// "link does not work" page (404).
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    jar: CookieJar,
    Form(form): Form<AccountForm>,
) -> Result<Response, AppError> {
    let draft = AccountDraft::from(form);
    let policy = state.config.session_policy();
    match state
        .service
        .complete_setup(&token, &draft, ctx.locale, &policy)
        .await
    {
        Ok(started) => {
            let jar = session::started(jar, started, &state.config);
            Ok((jar, Redirect::to("/")).into_response())
        }
        Err(Error::NotFound) => {
            Ok((StatusCode::NOT_FOUND, SetupPage::new(ctx, false)).into_response())
        }
        Err(e) => {
            let (_, problem) = form_problem(e)?;
            let error = problem.message(&ctx.lang());
            let page = SetupPage::again(ctx, &draft, error);
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}
