//! Sessions: a random token in the browser's cookie (the web sets it), only its SHA-256 in the
//! database. A session ends after an idle period and, whatever the activity, after an absolute
//! lifetime. Signing in checks the password under the throttle of failed attempts, against a
//! dummy hash for unknown logins so the time taken reveals nothing about which logins exist.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use kojo_core::ids::UserId;
use kojo_storage::{Session, SessionUser, StoreError, now_millis};

use super::password;
use super::throttle::Guess;
use super::tokens::{hash_token, new_token};
use super::{Account, millis};
use crate::cache::TtlMap;
use crate::{Problem, Result, Service};

/// How long a session read from the database is trusted without reading it again. Sign-out,
/// password and language changes through this process drop it at once; a change made elsewhere
/// (another server process, the command line) takes effect within this time.
pub const SESSION_TTL: Duration = Duration::from_secs(10);

/// Touch a session at most once a minute (each touch is a write).
const TOUCH_EVERY_MS: i64 = 60_000;

/// Sessions read recently (token hash → session and user). Dropping entries (sign-out, a
/// password or language change) bumps a counter, and a copy read from the database before a
/// drop is not kept: a request that was reading while the account changed cannot put the old
/// account back into the cache.
pub(crate) struct SessionCache {
    map: TtlMap<String, SessionUser>,
    drops: AtomicU64,
}

impl SessionCache {
    pub(crate) fn new() -> SessionCache {
        SessionCache {
            map: TtlMap::new(SESSION_TTL, 100_000),
            drops: AtomicU64::new(0),
        }
    }

    /// Taken before reading a session from the database, and given back to [`Self::keep`].
    fn epoch(&self) -> u64 {
        self.drops.load(Ordering::SeqCst)
    }

    fn get(&self, hash: &str) -> Option<SessionUser> {
        self.map.get(&hash.to_string())
    }

    /// Keeps a copy read at `epoch`, unless entries were dropped since. (Put first, check
    /// after: a drop that ran before the put is seen by the check, one that runs after it
    /// removes the copy itself.)
    fn keep(&self, epoch: u64, hash: &str, found: SessionUser) {
        self.map.put(hash.to_string(), found);
        if self.epoch() != epoch {
            self.map.remove(&hash.to_string());
        }
    }

    fn drop_session(&self, hash: &str) {
        self.drops.fetch_add(1, Ordering::SeqCst);
        self.map.remove(&hash.to_string());
    }

    fn drop_user(&self, user: UserId) {
        self.drops.fetch_add(1, Ordering::SeqCst);
        self.map.remove_where(|s| s.user.id == user);
    }
}

/// How long sessions last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// A session ends after this long without a request.
    pub idle: Duration,
    /// A session ends this long after sign-in, whatever the activity.
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> SessionPolicy {
        SessionPolicy {
            idle: Duration::from_secs(2 * 3600),
            absolute: Duration::from_secs(12 * 3600),
        }
    }
}

/// Whether a session is still valid at `now`.
pub fn is_live(s: &Session, now: i64, policy: &SessionPolicy) -> bool {
    now < s.expires_at && now - s.last_seen_at < millis(policy.idle)
}

/// Whole seconds to wait, rounded up.
fn seconds(wait_ms: i64) -> i64 {
    (wait_ms + 999) / 1000
}

fn needs_touch(s: &Session, now: i64) -> bool {
    now - s.last_seen_at >= TOUCH_EVERY_MS
}

/// A session just started: its token goes into the cookie, and is not kept anywhere else.
#[derive(Debug)]
pub struct NewSession {
    pub token: String,
    pub account: Account,
    /// A device cookie for the browser (see `device`): with it, this browser is not locked out
    /// of the account by someone else's failed guesses.
    pub device: String,
}

/// The user a live session belongs to.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub account: Account,
    /// The hash of the session's token (to end this session on sign-out).
    pub session_hash: String,
}

/// Who is guessing a password, for the throttle.
#[derive(Debug, Clone, Copy, Default)]
pub struct Client<'a> {
    /// The client's address (after the trusted proxies, see the web's `ClientAddr`).
    pub address: &'a str,
    /// The browser's device cookie, if it sent one.
    pub device: Option<&'a str>,
}

/// A sign-in attempt.
#[derive(Debug, Clone, Copy)]
pub struct Credentials<'a> {
    pub login: &'a str,
    pub password: &'a str,
    pub client: Client<'a>,
}

/// How a sign-in attempt ended.
#[derive(Debug)]
pub enum SignIn {
    Started(NewSession),
    /// The login or the password is wrong, or the account is disabled: one answer for all.
    Failed,
    /// Too many failures lately for this login, address or device: no password was checked;
    /// try again in `seconds`.
    Throttled {
        seconds: i64,
    },
}

impl SignIn {
    /// What the sign-in page says when the attempt did not start a session.
    pub fn problem(&self) -> Option<Problem> {
        match self {
            SignIn::Started(_) => None,
            SignIn::Failed => Some(Problem::SignInFailed),
            SignIn::Throttled { seconds } => Some(Problem::Throttled { seconds: *seconds }),
        }
    }
}

impl Service {
    /// The user of a session token, if the session is live (a dead one is deleted).
    pub async fn session(&self, token: &str, policy: &SessionPolicy) -> Result<Option<SignedIn>> {
        let hash = hash_token(token);
        let epoch = self.inner.sessions.epoch();
        let Some(found) = self.cached_session(epoch, &hash).await? else {
            return Ok(None);
        };
        let now = now_millis();
        if !is_live(&found.session, now, policy) || found.user.disabled {
            self.end_session(&hash).await?;
            return Ok(None);
        }
        if needs_touch(&found.session, now) {
            self.store().touch_session(&hash, now).await?;
            let mut touched = found.clone();
            touched.session.last_seen_at = now;
            self.inner.sessions.keep(epoch, &hash, touched);
        }
        Ok(Some(SignedIn {
            account: found.user.into(),
            session_hash: hash,
        }))
    }

    async fn cached_session(&self, epoch: u64, hash: &str) -> Result<Option<SessionUser>> {
        if let Some(found) = self.inner.sessions.get(hash) {
            return Ok(Some(found));
        }
        match self.store().session(hash).await {
            Ok(found) => {
                self.inner.sessions.keep(epoch, hash, found.clone());
                Ok(Some(found))
            }
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Checks a login and password and starts a new session. The session the browser had
    /// (`previous`, a token hash) ends: a new token on every sign-in, so no session fixation.
    /// Guesses are throttled (`throttle`): a throttled attempt checks no password at all.
    pub async fn sign_in(
        &self,
        attempt: &Credentials<'_>,
        previous: Option<&str>,
        policy: &SessionPolicy,
    ) -> Result<SignIn> {
        let now = now_millis();
        let user = match self.store().user_by_login(attempt.login).await {
            Ok(u) => Some(u),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        let device = match &user {
            Some(u) => self.device_of(attempt.client.device, u.id, now).await?,
            None => None,
        };
        let guess = Guess {
            login: attempt.login,
            address: attempt.client.address,
            device: device.as_deref(),
        };
        let throttle = &self.inner.throttle;
        if let Err(wait_ms) = throttle.check(&guess, now) {
            tracing::info!(login = %attempt.login, addr = %attempt.client.address, "sign-in throttled");
            return Ok(SignIn::Throttled {
                seconds: seconds(wait_ms),
            });
        }
        // Verify against a dummy hash for unknown logins so timing does not reveal which exist.
        let stored = user
            .as_ref()
            .map(|u| u.password_hash.clone())
            .unwrap_or_else(|| password::dummy_hash().to_string());
        let ok = password::verify_async(attempt.password.to_string(), stored).await;
        let user = match user {
            Some(u) if ok && !u.disabled => u,
            _ => {
                throttle.record_failure(&guess, now);
                tracing::info!(login = %attempt.login, addr = %attempt.client.address, "failed sign-in");
                return Ok(SignIn::Failed);
            }
        };
        throttle.record_success(&guess);
        if let Some(old) = previous {
            self.end_session(old).await?;
        }
        let started = self.start_session(user.id, policy).await?;
        tracing::info!(login = %user.login, "signed in");
        Ok(SignIn::Started(NewSession {
            token: started.0,
            device: started.1,
            account: user.into(),
        }))
    }

    /// Checks a signed-in user's current password under the same throttle as sign-in (the
    /// password page); `Err(Problem::Throttled)` without checking while it must wait.
    pub(crate) async fn check_current_password(
        &self,
        user: &kojo_storage::User,
        password: &str,
        client: &Client<'_>,
    ) -> Result<bool> {
        let now = now_millis();
        let device = self.device_of(client.device, user.id, now).await?;
        let guess = Guess {
            login: &user.login,
            address: client.address,
            device: device.as_deref(),
        };
        let throttle = &self.inner.throttle;
        if let Err(wait_ms) = throttle.check(&guess, now) {
            return Err(Problem::Throttled {
                seconds: seconds(wait_ms),
            }
            .into());
        }
        let ok = password::verify_async(password.to_string(), user.password_hash.clone()).await;
        if ok {
            throttle.record_success(&guess);
        } else {
            throttle.record_failure(&guess, now);
            tracing::info!(login = %user.login, addr = %client.address, "wrong current password");
        }
        Ok(ok)
    }

    /// Ends a session (its token hash).
    pub async fn sign_out(&self, session_hash: &str) -> Result<()> {
        self.end_session(session_hash).await
    }

    async fn end_session(&self, hash: &str) -> Result<()> {
        self.inner.sessions.drop_session(hash);
        Ok(self.store().delete_session(hash).await?)
    }

    /// A new session of a user; returns its token and a device cookie for the browser.
    pub(crate) async fn start_session(
        &self,
        user: UserId,
        policy: &SessionPolicy,
    ) -> Result<(String, String)> {
        let now = now_millis();
        let token = new_token();
        let expires = now.saturating_add(millis(policy.absolute));
        self.store()
            .create_session(&hash_token(&token), user, now, expires)
            .await?;
        Ok((token, self.new_device_cookie(user, now).await?))
    }

    /// Deletes the sessions that have ended (expired, or idle too long); returns how many.
    pub async fn purge_sessions(&self, policy: &SessionPolicy) -> Result<u64> {
        let idle_ms = millis(policy.idle);
        Ok(self.store().purge_sessions(now_millis(), idle_ms).await?)
    }

    /// Drops the cached sessions of a user, so a change to the account shows at once.
    pub(crate) fn forget_sessions_of(&self, user: UserId) {
        self.inner.sessions.drop_user(user);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(last_seen_at: i64, expires_at: i64) -> Session {
        Session {
            token_hash: String::new(),
            user_id: UserId::new(1),
            created_at: 0,
            last_seen_at,
            expires_at,
        }
    }

    #[test]
    fn sessions_end_when_idle_or_expired() {
        let policy = SessionPolicy {
            idle: Duration::from_secs(60),
            ..SessionPolicy::default()
        };
        assert!(is_live(&session(0, 100_000), 59_000, &policy));
        assert!(!is_live(&session(0, 100_000), 60_000, &policy), "idle");
        assert!(
            !is_live(&session(99_000, 100_000), 100_000, &policy),
            "absolute"
        );
    }

    fn session_user(id: i64) -> SessionUser {
        SessionUser {
            session: session(0, 1),
            user: kojo_storage::User {
                id: UserId::new(id),
                login: "yamada".into(),
                display_name: String::new(),
                role: kojo_core::org::Role::Admin,
                org_id: None,
                password_hash: String::new(),
                locale: kojo_core::Locale::Ja,
                disabled: false,
                created_at: 0,
                updated_at: 0,
            },
        }
    }

    #[test]
    fn a_copy_read_before_the_account_changed_is_not_kept() {
        let cache = SessionCache::new();
        let before = cache.epoch();
        cache.keep(before, "a", session_user(1));
        assert!(cache.get("a").is_some());
        // A read starts, the user changes their language, the read finishes.
        let reading = cache.epoch();
        cache.drop_user(UserId::new(1));
        cache.keep(reading, "a", session_user(1));
        assert!(cache.get("a").is_none(), "the old copy came back");
        cache.keep(cache.epoch(), "a", session_user(1));
        cache.drop_session("a");
        assert!(cache.get("a").is_none());
    }

    #[test]
    fn a_session_is_touched_at_most_once_a_minute() {
        assert!(!needs_touch(&session(0, 1), 59_999));
        assert!(needs_touch(&session(0, 1), 60_000));
    }
}
