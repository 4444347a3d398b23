//! Invitation links: a company (or association) admin invites a colleague; the link works once,
//! until it expires, and creates the account with the role it was issued for.

use kojo_core::ids::{OrgId, UserId};
use kojo_core::org::Role;
use serde_json::json;

use crate::audit::audit;
use crate::error::{Conflict, Invalid, conflict_as};
use crate::users::{normalise_login, validate_login};
use crate::{Actor, NewUser, Result, Store, StoreError, User, now_millis, read, write_tx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Invitation {
    pub token_hash: String,
    pub org_id: OrgId,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub created_by: Option<UserId>,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

impl Store {
    pub async fn create_invitation(
        &self,
        actor: &Actor,
        org_id: OrgId,
        role: Role,
        token_hash: &str,
        expires_at: i64,
    ) -> Result<Invitation> {
        let org = self.org(org_id).await?;
        if role.org_kind() != Some(org.kind) {
            return Err(Invalid::RoleOrgKind {
                role: role.as_str().into(),
                kind: role.org_kind().map(|k| k.as_str()).unwrap_or("none").into(),
                org: org.name,
            }
            .into());
        }
        let now = now_millis();
        write_tx!(self, tx => {
            sqlx::query(
                "INSERT INTO invitations (token_hash, org_id, role, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(token_hash)
            .bind(org_id)
            .bind(role.as_str())
            .bind(actor.user_id)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            audit!(tx, actor, "invite", "organisation", Some(org_id), Some(json!({"role": role.as_str()})));
        });
        self.invitation(token_hash).await
    }

    pub async fn invitation(&self, token_hash: &str) -> Result<Invitation> {
        read!(self, p => {
            sqlx::query_as(
                "SELECT token_hash, org_id, role, created_by, created_at, expires_at, used_at FROM invitations WHERE token_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(p)
            .await?
        })
        .ok_or(StoreError::NotFound)
    }

    /// Open (unused, unexpired) invitations of an organisation.
    pub async fn open_invitations(&self, org_id: OrgId, now: i64) -> Result<Vec<Invitation>> {
        Ok(read!(self, p => {
            sqlx::query_as(
                "SELECT token_hash, org_id, role, created_by, created_at, expires_at, used_at FROM invitations \
                 WHERE org_id = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY created_at DESC",
            )
            .bind(org_id)
            .bind(now)
            .fetch_all(p)
            .await?
        }))
    }

    /// Spends an invitation and creates the account it was issued for, in one transaction.
    /// `NotFound` when the link is unknown, used or expired.
    pub async fn accept_invitation(&self, token_hash: &str, user: &NewUser) -> Result<User> {
        let now = now_millis();
        let login = normalise_login(&user.login);
        validate_login(&login)?;
        let display_name = match user.display_name.trim() {
            "" => login.clone(),
            name => name.to_string(),
        };
        let created: User = write_tx!(self, tx => {
            let inv: Option<Invitation> = sqlx::query_as(
                "SELECT token_hash, org_id, role, created_by, created_at, expires_at, used_at FROM invitations \
                 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(inv) = inv else {
                return Err(StoreError::NotFound);
            };
            let created: User = sqlx::query_as(
                "INSERT INTO users (login, display_name, role, org_id, password_hash, locale, disabled, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
                 RETURNING id, login, display_name, role, org_id, password_hash, locale, disabled, created_at, updated_at",
            )
            .bind(&login)
            .bind(&display_name)
            .bind(inv.role.as_str())
            .bind(inv.org_id)
            .bind(&user.password_hash)
            .bind(user.locale.code())
            .bind(false)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict_as(e, Conflict::LoginTaken { login: login.clone() }))?;
            sqlx::query("UPDATE invitations SET used_at = $1, used_by = $2 WHERE token_hash = $3")
                .bind(now)
                .bind(created.id)
                .bind(token_hash)
                .execute(&mut *tx)
                .await?;
            let actor = Actor::user(created.id, &created.login);
            audit!(tx, &actor, "accept_invitation", "user", Some(created.id), Some(json!({"org_id": inv.org_id, "role": inv.role.as_str()})));
            created
        });
        Ok(created)
    }
}
