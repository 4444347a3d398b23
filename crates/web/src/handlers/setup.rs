//! First-run setup: the one-time link printed by `kojo serve` creates the first admin.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use kojo_core::org::Role;
use kojo_storage::{NewUser, StoreError, now_millis};
use serde::Deserialize;

use crate::auth::{password, session};
use crate::{AppError, AppState, Ctx};

#[derive(Template, WebTemplate)]
#[template(path = "setup.html")]
pub struct SetupPage {
    pub ctx: Ctx,
    pub valid: bool,
    pub login: String,
    pub display_name: String,
    pub error: Option<String>,
}

pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let valid = state
        .store()
        .setup_token_valid(&session::hash_token(&token), now_millis())
        .await?;
    let status = if valid {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let page = SetupPage {
        ctx,
        valid,
        login: String::new(),
        display_name: String::new(),
        error: None,
    };
    Ok((status, page).into_response())
}

#[derive(Deserialize)]
pub struct SetupForm {
    pub login: String,
    #[serde(default)]
    pub display_name: String,
    pub password: String,
    pub password_again: String,
}

/// The message for a password that breaks the rules.
pub fn weakness_message(ctx: &Ctx, w: password::Weakness) -> String {
    match w {
        password::Weakness::TooShort => {
            ctx.fill(ctx.t.password_too_short, "min", password::MIN_LEN)
        }
        password::Weakness::TooLong => ctx.fill(ctx.t.password_too_long, "max", password::MAX_LEN),
        password::Weakness::SameAsLogin => ctx.t.password_same_as_login.to_string(),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    jar: CookieJar,
    Form(form): Form<SetupForm>,
) -> Result<Response, AppError> {
    let token_hash = session::hash_token(&token);
    let again = |ctx: Ctx, error: String| {
        let page = SetupPage {
            ctx,
            valid: true,
            login: form.login.clone(),
            display_name: form.display_name.clone(),
            error: Some(error),
        };
        Ok((StatusCode::BAD_REQUEST, page).into_response())
    };
    if !state
        .store()
        .setup_token_valid(&token_hash, now_millis())
        .await?
    {
        let page = SetupPage {
            ctx,
            valid: false,
            login: String::new(),
            display_name: String::new(),
            error: None,
        };
        return Ok((StatusCode::NOT_FOUND, page).into_response());
    }
    if !kojo_storage::login_is_valid(form.login.trim()) {
        let message = ctx.t.account_login_invalid.to_string();
        return again(ctx, message);
    }
    if form.password != form.password_again {
        let message = ctx.t.setup_password_mismatch.to_string();
        return again(ctx, message);
    }
    if let Err(w) = password::check(&form.password, &form.login) {
        let message = weakness_message(&ctx, w);
        return again(ctx, message);
    }
    let admin = NewUser {
        login: form.login.clone(),
        display_name: form.display_name.clone(),
        role: Role::Admin,
        org_id: None,
        password_hash: password::hash_async(form.password.clone()).await,
        locale: ctx.locale,
    };
    let user = match state.store().complete_setup(&token_hash, &admin).await {
        Ok(u) => u,
        Err(e @ (StoreError::Invalid(_) | StoreError::Conflict(_))) => {
            let message = match kojo_service::Error::from(e) {
                kojo_service::Error::Invalid(p) | kojo_service::Error::Conflict(p) => {
                    p.message(&ctx.lang())
                }
                _ => ctx.t.error_bad_request.to_string(),
            };
            return again(ctx, message);
        }
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    tracing::info!(login = %user.login, "first admin created through the setup link");
    let now = now_millis();
    let token = session::new_token();
    let expires = now + state.config.session_absolute.as_millis() as i64;
    state
        .store()
        .create_session(&session::hash_token(&token), user.id, now, expires)
        .await?;
    Ok((
        jar.add(session::cookie(token, &state.config)),
        Redirect::to("/"),
    )
        .into_response())
}
