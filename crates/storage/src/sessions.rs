//! Server-side sessions and the one-time setup link. Only SHA-256 hashes of tokens are stored,
//! so a copy of the database does not let anyone sign in.

use kojo_core::ids::UserId;

use crate::audit::audit;
use crate::{Actor, NewUser, Result, Store, StoreError, User, now_millis, read, write_tx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Session {
    pub token_hash: String,
    pub user_id: UserId,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    token_hash: String,
    user_id: UserId,
    s_created_at: i64,
    last_seen_at: i64,
    expires_at: i64,
    #[sqlx(flatten)]
    user: User,
}

/// A session with its user, as read on every request.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub session: Session,
    pub user: User,
}

impl Store {
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: UserId,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        write_tx!(self, tx => {
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)",
            )
            .bind(token_hash)
            .bind(user_id)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// The session and its user, in one query (this runs on every request).
    pub async fn session(&self, token_hash: &str) -> Result<SessionUser> {
        let row: SessionRow = read!(self, p => {
            sqlx::query_as(
                "SELECT s.token_hash, s.user_id, s.created_at AS s_created_at, s.last_seen_at, s.expires_at, \
                        u.id, u.login, u.display_name, u.role, u.org_id, u.password_hash, u.locale, u.disabled, u.created_at, u.updated_at \
                 FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(p)
            .await?
        })
        .ok_or(StoreError::NotFound)?;
        Ok(SessionUser {
            session: Session {
                token_hash: row.token_hash,
                user_id: row.user_id,
                created_at: row.s_created_at,
                last_seen_at: row.last_seen_at,
                expires_at: row.expires_at,
            },
            user: row.user,
        })
    }

    /// Records activity on a session (for the idle timeout).
    pub async fn touch_session(&self, token_hash: &str, now: i64) -> Result<()> {
        write_tx!(self, tx => {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        write_tx!(self, tx => {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// Deletes sessions past their absolute expiry or idle longer than `idle_ms`.
    pub async fn purge_sessions(&self, now: i64, idle_ms: i64) -> Result<u64> {
        Ok(write_tx!(self, tx => {
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
                .bind(now)
                .bind(now - idle_ms)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        }))
    }

    /// Stores a new setup token, replacing any earlier one.
    pub async fn create_setup_token(
        &self,
        token_hash: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        write_tx!(self, tx => {
            sqlx::query("DELETE FROM setup_tokens").execute(&mut *tx).await?;
            sqlx::query("INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES ($1, $2, $3)")
                .bind(token_hash)
                .bind(now)
                .bind(expires_at)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// Whether a setup token is valid now (exists, unexpired, and no admin exists yet).
    pub async fn setup_token_valid(&self, token_hash: &str, now: i64) -> Result<bool> {
        Ok(read!(self, p => {
            sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM setup_tokens WHERE token_hash = $1 AND expires_at > $2) \
                 AND NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin')",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_one(p)
            .await?
        }))
    }

    /// Spends the setup token and creates the first admin, in one transaction: the link works
    /// once, and never after an admin exists.
    pub async fn complete_setup(&self, token_hash: &str, admin: &NewUser) -> Result<User> {
        let now = now_millis();
        let login = crate::users::normalise_login(&admin.login);
        crate::users::validate_login(&login)?;
        let display_name = match admin.display_name.trim() {
            "" => login.clone(),
            name => name.to_string(),
        };
        let user: User = write_tx!(self, tx => {
            let spent = sqlx::query("DELETE FROM setup_tokens WHERE token_hash = $1 AND expires_at > $2")
                .bind(token_hash)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let admin_exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin')")
                .fetch_one(&mut *tx)
                .await?;
            if spent == 0 || admin_exists {
                return Err(StoreError::NotFound);
            }
            let user: User = sqlx::query_as(
                "INSERT INTO users (login, display_name, role, org_id, password_hash, locale, disabled, created_at, updated_at) \
                 VALUES ($1, $2, 'admin', NULL, $3, $4, $5, $6, $6) \
                 RETURNING id, login, display_name, role, org_id, password_hash, locale, disabled, created_at, updated_at",
            )
            .bind(&login)
            .bind(&display_name)
            .bind(&admin.password_hash)
            .bind(admin.locale.code())
            .bind(false)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let actor = Actor::user(user.id, &user.login);
            audit!(tx, &actor, "setup", "user", Some(user.id), None::<serde_json::Value>);
            user
        });
        Ok(user)
    }
}
