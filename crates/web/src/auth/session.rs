//! Session tokens: 256 random bits in an HttpOnly cookie; the database keeps only their SHA-256.
//! A session ends after an idle period and, whatever the activity, after an absolute lifetime.

use axum_extra::extract::cookie::{Cookie, SameSite};

use crate::WebConfig;
use kojo_storage::Session;

pub const SESSION_COOKIE: &str = "kojo_session";

/// Touch the session at most once a minute (each touch is a write).
const TOUCH_EVERY_MS: i64 = 60_000;

pub use kojo_service::accounts::tokens::{hash_token, new_token};

/// Whether a session is still valid at `now`.
pub fn is_live(s: &Session, now: i64, config: &WebConfig) -> bool {
    let idle = config.session_idle.as_millis() as i64;
    now < s.expires_at && now - s.last_seen_at < idle
}

pub fn needs_touch(s: &Session, now: i64) -> bool {
    now - s.last_seen_at >= TOUCH_EVERY_MS
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn session(last_seen_at: i64, expires_at: i64) -> Session {
        Session {
            token_hash: String::new(),
            user_id: kojo_core::ids::UserId::new(1),
            created_at: 0,
            last_seen_at,
            expires_at,
        }
    }

    #[test]
    fn sessions_end_when_idle_or_expired() {
        let config = WebConfig {
            session_idle: Duration::from_secs(60),
            ..WebConfig::default()
        };
        assert!(is_live(&session(0, 100_000), 59_000, &config));
        assert!(!is_live(&session(0, 100_000), 60_000, &config), "idle");
        assert!(
            !is_live(&session(99_000, 100_000), 100_000, &config),
            "absolute"
        );
    }
}
