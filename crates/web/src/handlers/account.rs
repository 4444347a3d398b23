//! The user's own account: changing the password, and accepting an invitation.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use kojo_service::accounts::AccountDraft;
use kojo_service::accounts::sessions::Client;
use kojo_service::accounts::users::PasswordChange;
use kojo_service::{Error, Problem};
use serde::Deserialize;

use super::form_problem;
use super::setup::AccountForm;
use crate::auth::session;
use crate::client::ClientAddr;
use crate::views::account::{InvitePage, PasswordPage};
use crate::{AppError, AppState, Ctx};

pub async fn password_form(ctx: Ctx) -> Result<PasswordPage, AppError> {
    ctx.require_user()?;
    Ok(PasswordPage::new(ctx))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    pub current: String,
    pub new: String,
    pub again: String,
}

/// Changes the password; every session of the user ends and this browser gets a new one.
/// The current password is checked under the sign-in throttle (429 while it must wait).
pub async fn password_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientAddr(addr): ClientAddr,
    jar: CookieJar,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let change = PasswordChange {
        current: form.current,
        new: form.new,
        again: form.again,
    };
    let client = Client {
        address: &addr,
        device: session::device(&jar),
    };
    let policy = state.config.session_policy();
    let changed = state
        .service
        .change_password(&ctx.who()?, &change, &client, &policy)
        .await;
    match changed {
        Ok(started) => {
            let jar = session::started(jar, started, &state.config);
            Ok((jar, PasswordPage::changed(ctx)).into_response())
        }
        Err(e) => {
            let (_, problem) = form_problem(e)?;
            let page = PasswordPage::refused(ctx.clone(), problem.message(&ctx.lang()));
            match problem {
                Problem::Throttled { seconds } => Ok(super::login::throttled(seconds, page)),
                _ => Ok((StatusCode::BAD_REQUEST, page).into_response()),
            }
        }
    }
}

/// The invitation's form (404 when the link does not work).
pub async fn invite_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let invitation = state.service.invitation(&token).await?;
    let status = if invitation.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    Ok((status, InvitePage::new(ctx, invitation.as_ref())).into_response())
}

/// Creates the invited account and signs it in; the form again with the problem (400, or 409
/// for a login that is taken), or the "link does not work" page (404).
pub async fn invite_submit(
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
        .accept_invitation(&token, &draft, ctx.locale, &policy)
        .await
    {
        Ok(started) => {
            let jar = session::started(jar, started, &state.config);
            Ok((jar, Redirect::to("/company")).into_response())
        }
        Err(Error::NotFound) => {
            Ok((StatusCode::NOT_FOUND, InvitePage::new(ctx, None)).into_response())
        }
        Err(e) => {
            let (status, problem) = form_problem(e)?;
            let error = problem.message(&ctx.lang());
            let invitation = state.service.invitation(&token).await?;
            let page = InvitePage::new(ctx, invitation.as_ref()).again(&draft, error);
            Ok((status, page).into_response())
        }
    }
}
