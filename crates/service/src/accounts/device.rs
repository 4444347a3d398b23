//! Device cookies (OWASP, "Slow down online guessing attacks with device cookies"): after a
//! successful sign-in the browser gets a cookie naming the user, when it was issued, and an
//! HMAC-SHA-256 over both under a random key kept in the database (`settings`, created on first
//! use). A guess made with a valid device cookie for the very login it tries is throttled on
//! that device's own count instead of the login's and the address's, so a stranger's failures
//! do not lock the owner out. Nothing is stored per device; the throttle keys a device by the
//! SHA-256 of its cookie.

use hmac::{KeyInit, Mac};
use kojo_core::ids::UserId;

use super::tokens::hash_token;
use crate::{Error, Result, Service};

/// A device cookie is honoured for 180 days after it was issued (each sign-in renews it).
pub const DEVICE_VALID_MS: i64 = 180 * 24 * 3600 * 1000;

const KEY: &str = "device-cookies";

fn mac(secret: &str, user: UserId, issued: i64) -> Result<hmac::Hmac<sha2::Sha256>> {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())
        .map_err(|e| Error::Internal(e.to_string()))?;
    mac.update(format!("device:{user}:{issued}").as_bytes());
    Ok(mac)
}

/// The device (the hash of its cookie) if `cookie` is a valid device cookie of `user` at `now`.
pub fn verify(secret: &str, cookie: &str, user: UserId, now: i64) -> Option<String> {
    let mut parts = cookie.splitn(3, '.');
    let owner: UserId = parts.next()?.parse().ok()?;
    let issued: i64 = parts.next()?.parse().ok()?;
    let tag = hex::decode(parts.next()?).ok()?;
    let fresh = issued <= now && now - issued < DEVICE_VALID_MS;
    if owner != user || !fresh {
        return None;
    }
    mac(secret, user, issued).ok()?.verify_slice(&tag).ok()?;
    Some(hash_token(cookie))
}

/// A new device cookie for `user`.
pub fn issue(secret: &str, user: UserId, now: i64) -> Result<String> {
    let tag = mac(secret, user, now)?.finalize().into_bytes();
    Ok(format!("{user}.{now}.{}", hex::encode(tag)))
}

impl Service {
    async fn device_secret(&self) -> Result<String> {
        Ok(self.store().instance_secret(KEY).await?)
    }

    /// The device a cookie names, if it is a valid device cookie of `user`.
    pub(crate) async fn device_of(
        &self,
        cookie: Option<&str>,
        user: UserId,
        now: i64,
    ) -> Result<Option<String>> {
        let Some(cookie) = cookie else {
            return Ok(None);
        };
        Ok(verify(&self.device_secret().await?, cookie, user, now))
    }

    /// A device cookie for a browser that has just signed in as `user`.
    pub(crate) async fn new_device_cookie(&self, user: UserId, now: i64) -> Result<String> {
        issue(&self.device_secret().await?, user, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_cookie_is_valid_only_for_its_user_its_key_and_its_time() {
        let user = UserId::new(7);
        let cookie = issue("k", user, 1_000).unwrap();
        assert!(verify("k", &cookie, user, 2_000).is_some());
        assert!(
            verify("k", &cookie, UserId::new(8), 2_000).is_none(),
            "another user"
        );
        assert!(
            verify("other key", &cookie, user, 2_000).is_none(),
            "forged"
        );
        assert!(
            verify("k", &cookie, user, 1_000 + DEVICE_VALID_MS).is_none(),
            "expired"
        );
        let tampered = cookie.replacen("7.", "8.", 1);
        assert!(verify("k", &tampered, UserId::new(8), 2_000).is_none());
        assert!(verify("k", "garbage", user, 2_000).is_none());
        assert_ne!(verify("k", &cookie, user, 2_000).unwrap(), cookie, "hashed");
    }
}
