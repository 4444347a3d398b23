//! Switching the language: remembered on the account when signed in, in a cookie otherwise.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use kojo_core::Locale;
use kojo_service::{Expected, Problem};
use serde::Deserialize;

use super::local_path;
use crate::ctx::LANG_COOKIE;
use crate::{AppError, AppState, Ctx};

#[derive(Deserialize)]
pub struct LangForm {
    pub to: String,
    #[serde(default)]
    pub next: String,
}

pub async fn switch(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    Form(form): Form<LangForm>,
) -> Result<impl IntoResponse, AppError> {
    let locale = Locale::parse(&form.to).ok_or_else(|| Problem::Field {
        field: "to",
        value: form.to.clone(),
        expected: Expected::OneOf(vec!["ja".into(), "en".into()]),
    })?;
    if ctx.user.is_some() {
        state.service.set_language(&ctx.who()?, locale).await?;
    }
    let cookie = Cookie::build((LANG_COOKIE, locale.code()))
        .path("/")
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies)
        .max_age(cookie::time::Duration::days(365))
        .build();
    Ok((jar.add(cookie), Redirect::to(&local_path(&form.next))))
}
