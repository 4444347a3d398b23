//! Users: a login, a role, an organisation (none for the instance admin) and a password hash.
//! Hashing happens outside storage; only the PHC-format Argon2id hash is stored.

use kojo_core::Locale;
use kojo_core::ids::{OrgId, UserId};
use kojo_core::org::Role;
use serde_json::json;

use crate::audit::audit;
use crate::error::{Conflict, Invalid, conflict_as};
use crate::{Actor, Result, Store, StoreError, now_millis, read, write_tx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct User {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub org_id: Option<OrgId>,
    pub password_hash: String,
    #[sqlx(try_from = "String")]
    pub locale: Locale,
    pub disabled: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub org_id: Option<OrgId>,
    pub password_hash: String,
    pub locale: Locale,
}

/// Logins are compared case-insensitively: stored trimmed and lower-cased.
pub fn normalise_login(login: &str) -> String {
    login.trim().to_lowercase()
}

impl Store {
    pub async fn create_user(&self, actor: &Actor, new: &NewUser) -> Result<User> {
        let login = normalise_login(&new.login);
        validate_login(&login)?;
        self.check_role_org(new.role, new.org_id).await?;
        let display_name = match new.display_name.trim() {
            "" => login.clone(),
            name => name.to_string(),
        };
        let now = now_millis();
        Ok(write_tx!(self, tx => {
            let user: User = sqlx::query_as(
                "INSERT INTO users (login, display_name, role, org_id, password_hash, locale, disabled, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
                 RETURNING id, login, display_name, role, org_id, password_hash, locale, disabled, created_at, updated_at",
            )
            .bind(&login)
            .bind(&display_name)
            .bind(new.role.as_str())
            .bind(new.org_id)
            .bind(&new.password_hash)
            .bind(new.locale.code())
            .bind(false)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict_as(e, Conflict::LoginTaken { login: login.clone() }))?;
            audit!(tx, actor, "create", "user", Some(user.id), Some(json!({"login": login, "role": new.role.as_str(), "org_id": new.org_id})));
            user
        }))
    }

    /// The role's organisation kind must match the organisation's.
    async fn check_role_org(&self, role: Role, org_id: Option<OrgId>) -> Result<()> {
        match (role.org_kind(), org_id) {
            (None, None) => Ok(()),
            (None, Some(_)) => Err(Invalid::AdminHasNoOrg.into()),
            (Some(kind), None) => Err(Invalid::RoleNeedsOrg {
                role: role.as_str().into(),
                kind: kind.as_str().into(),
            }
            .into()),
            (Some(kind), Some(id)) => {
                let org = self.org(id).await.map_err(|e| match e {
                    StoreError::NotFound => Invalid::UnknownOrg { id: id.get() }.into(),
                    other => other,
                })?;
                if org.kind == kind {
                    Ok(())
                } else {
                    Err(Invalid::RoleOrgKind {
                        role: role.as_str().into(),
                        kind: kind.as_str().into(),
                        org: org.name,
                    }
                    .into())
                }
            }
        }
    }

    pub async fn user(&self, id: UserId) -> Result<User> {
        read!(self, p => {
            sqlx::query_as(
                "SELECT id, login, display_name, role, org_id, password_hash, locale, disabled, created_at, updated_at \
                 FROM users WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(p)
            .await?
        })
        .ok_or(StoreError::NotFound)
    }

    pub async fn user_by_login(&self, login: &str) -> Result<User> {
        read!(self, p => {
            sqlx::query_as(
                "SELECT id, login, display_name, role, org_id, password_hash, locale, disabled, created_at, updated_at \
                 FROM users WHERE login = $1",
            )
            .bind(normalise_login(login))
            .fetch_optional(p)
            .await?
        })
        .ok_or(StoreError::NotFound)
    }

    /// Users, optionally of one organisation, ordered by login.
    pub async fn list_users(&self, org_id: Option<OrgId>) -> Result<Vec<User>> {
        Ok(read!(self, p => {
            sqlx::query_as(
                "SELECT id, login, display_name, role, org_id, password_hash, locale, disabled, created_at, updated_at \
                 FROM users WHERE ($1 IS NULL OR org_id = $1) ORDER BY login",
            )
            .bind(org_id)
            .fetch_all(p)
            .await?
        }))
    }

    pub async fn admin_exists(&self) -> Result<bool> {
        Ok(read!(self, p => {
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin')")
                .fetch_one(p)
                .await?
        }))
    }

    /// Replaces a password hash and ends every session of the user (a new password must log
    /// out whoever knew the old one).
    pub async fn set_password(
        &self,
        actor: &Actor,
        user_id: UserId,
        password_hash: &str,
    ) -> Result<()> {
        write_tx!(self, tx => {
            let done = sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
                .bind(password_hash)
                .bind(now_millis())
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            audit!(tx, actor, "set_password", "user", Some(user_id), None::<serde_json::Value>);
        });
        Ok(())
    }

    pub async fn set_locale(&self, user_id: UserId, locale: Locale) -> Result<()> {
        write_tx!(self, tx => {
            sqlx::query("UPDATE users SET locale = $1, updated_at = $2 WHERE id = $3")
                .bind(locale.code())
                .bind(now_millis())
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }
}

/// The login rule: 3–254 characters of ASCII letters, digits and `. _ - @ +` (so an e-mail
/// address works as a login).
pub fn login_is_valid(login: &str) -> bool {
    (3..=254).contains(&login.chars().count())
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-@+".contains(c))
}

pub(crate) fn validate_login(login: &str) -> Result<()> {
    if login_is_valid(login) {
        Ok(())
    } else {
        Err(Invalid::LoginFormat {
            login: login.to_string(),
        }
        .into())
    }
}
