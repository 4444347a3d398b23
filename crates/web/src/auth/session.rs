//! The session cookie: the token of a session (`kojo_service::accounts::sessions`) in an
//! HttpOnly cookie; the database keeps only the token's SHA-256.

use axum_extra::extract::cookie::{Cookie, SameSite};

use crate::WebConfig;

pub const SESSION_COOKIE: &str = "kojo_session";

pub use kojo_service::accounts::tokens::{hash_token, new_token};

pub fn cookie(token: String, config: &WebConfig) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.secure_cookies)
        .build()
}

/// A cookie that deletes the session cookie.
pub fn removal(config: &WebConfig) -> Cookie<'static> {
    let mut c = cookie(String::new(), config);
    c.make_removal();
    c
}
