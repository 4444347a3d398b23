//! Throttling of password guesses (sign-in and the current password on the password page),
//! after OWASP's authentication guidance and NIST SP 800-63B §5.2.2: a progressive delay, not a
//! hard lockout. Failures are counted per login, per client address and per device cookie;
//! after a few free failures each further attempt must wait twice as long as the one before
//! (from one second up to a cap), counted from the last failure. A refused attempt checks no
//! password and counts nothing. A successful sign-in is never slowed by its own history: it
//! clears the login's and the device's count (not the address's, or an attacker could reset
//! it with an account of their own).
//!
//! The owner is not locked out by a stranger: a browser that signed in to a login before holds
//! a device cookie for it (`sessions`), and with it the login's and the address's counts do not
//! apply — only that device's own count, so a stolen device cookie still guesses slowly.
//!
//! Everything takes `now` (milliseconds) from the caller, so tests inject time.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// How quickly one counter slows attempts down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Failures allowed without any delay.
    pub free: u32,
    /// The first delay, in milliseconds; each further failure doubles it.
    pub first_ms: i64,
    /// The longest delay, in milliseconds.
    pub cap_ms: i64,
}

impl Backoff {
    /// How long after the last failure the next attempt may come, after `failures` failures.
    pub fn delay_ms(&self, failures: u32) -> i64 {
        if failures < self.free {
            return 0;
        }
        let doublings = (failures - self.free).min(40);
        self.first_ms
            .saturating_mul(1_i64 << doublings)
            .min(self.cap_ms)
    }
}

/// Per login, for clients without its device cookie: 5 free, then 1 s doubling up to 15 min
/// (after 15 failures about 4 attempts an hour, under 100 a day).
pub const PER_LOGIN: Backoff = Backoff {
    free: 5,
    first_ms: 1_000,
    cap_ms: 15 * 60_000,
};
/// Per client address (IPv6 by /64): 20 free, then 1 s doubling up to 1 min. Several users may
/// share an address (NAT, an untrusted proxy), so its cap is short: a delay, never a lockout.
pub const PER_ADDRESS: Backoff = Backoff {
    free: 20,
    first_ms: 1_000,
    cap_ms: 60_000,
};
/// Per device cookie: as per login.
pub const PER_DEVICE: Backoff = PER_LOGIN;

/// A count is forgotten a day after its last failure.
pub const FORGET_MS: i64 = 24 * 3600 * 1000;

/// Counts kept at most; past it, counts whose delay has passed are dropped first.
const MAX_ENTRIES: usize = 100_000;

/// One password guess: whose login, from where, with which device cookie (its hash, when the
/// cookie is valid for this very login).
#[derive(Debug, Clone, Copy)]
pub struct Guess<'a> {
    pub login: &'a str,
    pub address: &'a str,
    pub device: Option<&'a str>,
}

#[derive(Debug, Clone, Copy)]
struct Count {
    failures: u32,
    last: i64,
}

#[derive(Debug, Default)]
pub struct LoginThrottle {
    counts: Mutex<HashMap<String, Count>>,
}

fn login_key(login: &str) -> String {
    format!("login:{}", login.trim().to_lowercase())
}

/// The address a count is kept for: IPv6 by its /64 (one subscriber usually has a whole /64).
fn address_key(address: &str) -> String {
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("addr:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(IpAddr::V6(v6)) => format!("addr:{}", v6.to_canonical()),
        Ok(ip) => format!("addr:{ip}"),
        Err(_) => format!("addr:{address}"),
    }
}

impl<'a> Guess<'a> {
    /// The counters this guess is checked against and counted on.
    fn keys(&self) -> Vec<(String, Backoff)> {
        match self.device {
            Some(device) => vec![(format!("device:{device}"), PER_DEVICE)],
            None => vec![
                (login_key(self.login), PER_LOGIN),
                (address_key(self.address), PER_ADDRESS),
            ],
        }
    }
}

impl LoginThrottle {
    /// The counts; a panic elsewhere while holding the lock leaves counts that are still valid.
    fn map(&self) -> MutexGuard<'_, HashMap<String, Count>> {
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `Err(wait_ms)` when the guess must wait before it is checked.
    pub fn check(&self, guess: &Guess<'_>, now: i64) -> Result<(), i64> {
        let map = self.map();
        let wait = guess
            .keys()
            .iter()
            .filter_map(|(key, backoff)| {
                let c = map.get(key)?;
                Some(c.last + backoff.delay_ms(c.failures) - now)
            })
            .max()
            .unwrap_or(0);
        if wait > 0 { Err(wait) } else { Ok(()) }
    }

    pub fn record_failure(&self, guess: &Guess<'_>, now: i64) {
        let mut map = self.map();
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, c| now - c.last < PER_LOGIN.cap_ms);
        }
        for (key, _) in guess.keys() {
            let c = map.entry(key).or_insert(Count {
                failures: 0,
                last: now,
            });
            if now - c.last >= FORGET_MS {
                c.failures = 0;
            }
            c.failures = c.failures.saturating_add(1);
            c.last = now;
        }
    }

    /// A successful guess clears the login's count and the device's (not the address's).
    pub fn record_success(&self, guess: &Guess<'_>) {
        let mut map = self.map();
        map.remove(&login_key(guess.login));
        if let Some(device) = guess.device {
            map.remove(&format!("device:{device}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess<'a>(login: &'a str, address: &'a str, device: Option<&'a str>) -> Guess<'a> {
        Guess {
            login,
            address,
            device,
        }
    }

    #[test]
    fn delays_double_from_one_second_up_to_the_cap() {
        let delays: Vec<i64> = (0..18).map(|n| PER_LOGIN.delay_ms(n)).collect();
        assert_eq!(&delays[..5], &[0, 0, 0, 0, 0]);
        assert_eq!(&delays[5..9], &[1_000, 2_000, 4_000, 8_000]);
        assert_eq!(delays[14], 512_000);
        assert_eq!(delays[15], 900_000, "capped at 15 minutes");
        assert_eq!(PER_LOGIN.delay_ms(u32::MAX), 900_000);
        assert_eq!(PER_ADDRESS.delay_ms(19), 0);
        assert_eq!(PER_ADDRESS.delay_ms(40), 60_000);
    }

    #[test]
    fn a_login_slows_down_and_recovers_with_time() {
        let t = LoginThrottle::default();
        let g = guess("Yamada", "10.0.0.1", None);
        for i in 0..5 {
            assert!(t.check(&g, i).is_ok());
            t.record_failure(&g, i);
        }
        // The sixth attempt waits a second after the fifth failure, from any address.
        let elsewhere = guess("yamada", "10.0.0.2", None);
        assert_eq!(t.check(&elsewhere, 4), Err(1_000));
        assert_eq!(t.check(&elsewhere, 1_003), Err(1));
        assert!(t.check(&elsewhere, 1_004).is_ok());
        // Another login from the same address is not slowed.
        assert!(t.check(&guess("suzuki", "10.0.0.1", None), 5).is_ok());
    }

    #[test]
    fn a_device_cookie_is_counted_on_its_own() {
        let t = LoginThrottle::default();
        let stranger = guess("yamada", "203.0.113.9", None);
        let mut now = 0;
        for _ in 0..100 {
            if let Err(wait) = t.check(&stranger, now) {
                now += wait;
            }
            t.record_failure(&stranger, now);
        }
        assert!(t.check(&stranger, now).is_err());
        let owner = guess("yamada", "203.0.113.9", Some("d1"));
        assert!(
            t.check(&owner, now).is_ok(),
            "the owner's device is not locked out"
        );
        for _ in 0..PER_DEVICE.free {
            t.record_failure(&owner, now);
        }
        assert!(
            t.check(&owner, now).is_err(),
            "a stolen device cookie guesses slowly"
        );
        t.record_success(&owner);
        assert!(t.check(&owner, now).is_ok());
    }

    #[test]
    fn an_address_that_sprays_many_logins_slows_down_but_is_never_locked() {
        let t = LoginThrottle::default();
        for i in 0..PER_ADDRESS.free {
            t.record_failure(&guess(&format!("user{i}"), "10.0.0.9", None), 0);
        }
        assert_eq!(t.check(&guess("fresh", "10.0.0.9", None), 0), Err(1_000));
        assert!(t.check(&guess("fresh", "10.0.0.8", None), 0).is_ok());
        let mut now = 0;
        for i in 0..1_000 {
            let login = format!("x{i}");
            let g = guess(&login, "10.0.0.9", None);
            if let Err(wait) = t.check(&g, now) {
                now += wait;
            }
            t.record_failure(&g, now);
        }
        assert_eq!(t.check(&guess("fresh", "10.0.0.9", None), now), Err(60_000));
    }

    #[test]
    fn ipv6_addresses_count_by_their_64_prefix() {
        assert_eq!(
            address_key("2001:db8:1:2:aaaa::1"),
            address_key("2001:db8:1:2::ffff")
        );
        assert_ne!(
            address_key("2001:db8:1:2::1"),
            address_key("2001:db8:1:3::1")
        );
        assert_eq!(address_key("::ffff:10.0.0.1"), "addr:10.0.0.1");
    }

    #[test]
    fn success_clears_the_login_but_not_the_address() {
        let t = LoginThrottle::default();
        for i in 0..PER_ADDRESS.free {
            t.record_failure(&guess("yamada", "10.0.0.1", None), i64::from(i));
        }
        t.record_success(&guess("yamada", "10.0.0.1", None));
        assert!(t.check(&guess("yamada", "10.0.0.3", None), 30).is_ok());
        assert!(t.check(&guess("other", "10.0.0.1", None), 30).is_err());
    }
}
