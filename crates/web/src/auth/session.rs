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

/// The device cookie (`kojo_service::accounts::device`): set on every sign-in, kept for as
/// long as the service honours it; with it this browser is not locked out by other people's
/// failed guesses at the same login.
pub const DEVICE_COOKIE: &str = "kojo_device";

pub fn device_cookie(value: String, config: &WebConfig) -> Cookie<'static> {
    let days = kojo_service::accounts::device::DEVICE_VALID_MS / (24 * 3600 * 1000);
    Cookie::build((DEVICE_COOKIE, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.secure_cookies)
        .max_age(cookie::time::Duration::days(days))
        .build()
}

/// The session and device cookies of a session that has just started.
pub fn started(
    jar: axum_extra::extract::CookieJar,
    started: kojo_service::accounts::sessions::NewSession,
    config: &WebConfig,
) -> axum_extra::extract::CookieJar {
    jar.add(cookie(started.token, config))
        .add(device_cookie(started.device, config))
}

/// The device cookie a request carries, if any.
pub fn device(jar: &axum_extra::extract::CookieJar) -> Option<&str> {
    jar.get(DEVICE_COOKIE).map(|c| c.value())
}
