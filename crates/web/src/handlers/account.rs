//! The user's own account: changing the password, and accepting an invitation.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use kojo_storage::{Actor, NewUser, StoreError, now_millis};
use serde::Deserialize;

use kojo_service::Problem;

use super::setup::weakness_message;
use crate::auth::{password, session};
use crate::{AppError, AppState, Ctx};

#[derive(Template, WebTemplate)]
#[template(path = "password.html")]
pub struct PasswordPage {
    pub ctx: Ctx,
    pub error: Option<String>,
    pub done: bool,
}

pub async fn password_form(ctx: Ctx) -> Result<PasswordPage, AppError> {
    ctx.require_user()?;
    Ok(PasswordPage {
        ctx,
        error: None,
        done: false,
    })
}

#[derive(Deserialize)]
pub struct PasswordForm {
    pub current: String,
    pub new: String,
    pub again: String,
}

/// Changes the password; every session of the user ends and this browser gets a new one.
pub async fn password_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?.clone();
    let again = |ctx: Ctx, error: String| {
        Ok((
            StatusCode::BAD_REQUEST,
            PasswordPage {
                ctx,
                error: Some(error),
                done: false,
            },
        )
            .into_response())
    };
    let stored = state.store().user(user.id).await?;
    if !password::verify_async(form.current.clone(), stored.password_hash).await {
        let msg = ctx.t.account_wrong_current.to_string();
        return again(ctx, msg);
    }
    if form.new != form.again {
        let msg = ctx.t.setup_password_mismatch.to_string();
        return again(ctx, msg);
    }
    if let Err(w) = password::check(&form.new, &user.login) {
        let msg = weakness_message(&ctx, w);
        return again(ctx, msg);
    }
    let hash = password::hash_async(form.new.clone()).await;
    state
        .store()
        .set_password(&Actor::user(user.id, &user.login), user.id, &hash)
        .await?;
    let uid = user.id;
    state.sessions.remove_where(|s| s.user.id == uid);
    let now = now_millis();
    let token = session::new_token();
    state
        .store()
        .create_session(
            &session::hash_token(&token),
            user.id,
            now,
            now + state.config.session_absolute.as_millis() as i64,
        )
        .await?;
    let jar = jar.add(session::cookie(token, &state.config));
    Ok((
        jar,
        PasswordPage {
            ctx,
            error: None,
            done: true,
        },
    )
        .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "invite.html")]
pub struct InvitePage {
    pub ctx: Ctx,
    pub valid: bool,
    pub company: String,
    pub role: &'static str,
    pub login: String,
    pub display_name: String,
    pub error: Option<String>,
}

async fn invite_page(state: &AppState, ctx: Ctx, token: &str) -> Result<InvitePage, AppError> {
    let found = match state.store().invitation(&session::hash_token(token)).await {
        Ok(i) if i.used_at.is_none() && i.expires_at > now_millis() => Some(i),
        Ok(_) | Err(StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let (company, role) = match &found {
        Some(i) => (
            state.store().org(i.org_id).await?.name,
            ctx.role_label(&i.role),
        ),
        None => (String::new(), ""),
    };
    Ok(InvitePage {
        ctx,
        valid: found.is_some(),
        company,
        role,
        login: String::new(),
        display_name: String::new(),
        error: None,
    })
}

pub async fn invite_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let page = invite_page(&state, ctx, &token).await?;
    let status = if page.valid {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    Ok((status, page).into_response())
}

#[derive(Deserialize)]
pub struct InviteForm {
    pub login: String,
    #[serde(default)]
    pub display_name: String,
    pub password: String,
    pub password_again: String,
}

pub async fn invite_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    jar: CookieJar,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    let mut page = invite_page(&state, ctx.clone(), &token).await?;
    if !page.valid {
        return Ok((StatusCode::NOT_FOUND, page).into_response());
    }
    page.login = form.login.clone();
    page.display_name = form.display_name.clone();
    let problem = if form.password != form.password_again {
        Some(ctx.t.setup_password_mismatch.to_string())
    } else {
        password::check(&form.password, &form.login)
            .err()
            .map(|w| weakness_message(&ctx, w))
    };
    let problem = problem.or_else(|| {
        (!kojo_storage::login_is_valid(form.login.trim()))
            .then(|| ctx.t.account_login_invalid.to_string())
    });
    if let Some(error) = problem {
        page.error = Some(error);
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    let new = NewUser {
        login: form.login.clone(),
        display_name: form.display_name.clone(),
        role: kojo_core::org::Role::CompanyMember,
        org_id: None,
        password_hash: password::hash_async(form.password.clone()).await,
        locale: ctx.locale,
    };
    let user = match state
        .store()
        .accept_invitation(&session::hash_token(&token), &new)
        .await
    {
        Ok(u) => u,
        Err(StoreError::Conflict(_)) => {
            page.error = Some(ctx.fill(ctx.t.account_login_taken, "login", form.login.trim()));
            return Ok((StatusCode::CONFLICT, page).into_response());
        }
        Err(StoreError::Invalid(m)) => {
            page.error = Some(Problem::Rule(m).message(&ctx.lang()));
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let now = now_millis();
    let session_token = session::new_token();
    state
        .store()
        .create_session(
            &session::hash_token(&session_token),
            user.id,
            now,
            now + state.config.session_absolute.as_millis() as i64,
        )
        .await?;
    Ok((
        jar.add(session::cookie(session_token, &state.config)),
        Redirect::to("/company"),
    )
        .into_response())
}
