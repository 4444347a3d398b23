//! Throttling of failed sign-ins, per account and per client address: after too many failures
//! within a window, further attempts are refused until the window has passed. Counting failures
//! (not requests) means a user who signs in correctly is never slowed down.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Failures allowed per login within the window.
pub const PER_ACCOUNT: u32 = 5;
/// Failures allowed per client address within the window (several users may share a NAT).
pub const PER_ADDRESS: u32 = 20;
/// The window, in milliseconds (15 minutes).
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    start: i64,
    count: u32,
}

fn login_key(login: &str) -> String {
    format!("login:{}", login.trim().to_lowercase())
}

impl LoginThrottle {
    fn keys(login: &str, address: &str) -> [(String, u32); 2] {
        [
            (login_key(login), PER_ACCOUNT),
            (format!("addr:{address}"), PER_ADDRESS),
        ]
    }

    /// The counts; a panic elsewhere while holding the lock leaves counts that are still valid.
    fn map(&self) -> MutexGuard<'_, HashMap<String, Window>> {
        self.failures.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `Err(minutes)` when this login or address must wait before trying again.
    pub fn check(&self, login: &str, address: &str, now: i64) -> Result<(), i64> {
        let map = self.map();
        for (key, limit) in Self::keys(login, address) {
            if let Some(w) = map.get(&key)
                && now - w.start < WINDOW_MS
                && w.count >= limit
            {
                let wait_ms = WINDOW_MS - (now - w.start);
                return Err((wait_ms + 59_999) / 60_000);
            }
        }
        Ok(())
    }

    pub fn record_failure(&self, login: &str, address: &str, now: i64) {
        let mut map = self.map();
        // Forget old windows so the map cannot grow without bound.
        if map.len() > 10_000 {
            map.retain(|_, w| now - w.start < WINDOW_MS);
        }
        for (key, _) in Self::keys(login, address) {
            let w = map.entry(key).or_insert(Window {
                start: now,
                count: 0,
            });
            if now - w.start >= WINDOW_MS {
                *w = Window {
                    start: now,
                    count: 0,
                };
            }
            w.count = w.count.saturating_add(1);
        }
    }

    /// A successful sign-in clears the account's failures (not the address's).
    pub fn record_success(&self, login: &str) {
        self.map().remove(&login_key(login));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_an_account_after_repeated_failures() {
        let t = LoginThrottle::default();
        for i in 0..PER_ACCOUNT {
            assert!(t.check("yamada", "10.0.0.1", i64::from(i)).is_ok());
            t.record_failure("Yamada", "10.0.0.1", i64::from(i));
        }
        assert_eq!(t.check("yamada", "10.0.0.2", 10), Err(15));
        // Another account from the same address is still allowed.
        assert!(t.check("suzuki", "10.0.0.1", 10).is_ok());
        // After the window the account may try again.
        assert!(t.check("yamada", "10.0.0.1", WINDOW_MS + 10).is_ok());
    }

    #[test]
    fn blocks_an_address_that_sprays_many_accounts() {
        let t = LoginThrottle::default();
        for i in 0..PER_ADDRESS {
            t.record_failure(&format!("user{i}"), "10.0.0.9", 0);
        }
        assert!(t.check("fresh-user", "10.0.0.9", 1).is_err());
        assert!(t.check("fresh-user", "10.0.0.8", 1).is_ok());
    }

    #[test]
    fn success_clears_the_account() {
        let t = LoginThrottle::default();
        for _ in 0..PER_ACCOUNT {
            t.record_failure("yamada", "10.0.0.1", 0);
        }
        t.record_success("yamada");
        assert!(t.check("yamada", "10.0.0.3", 1).is_ok());
    }
}
