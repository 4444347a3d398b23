//! The audit log: who changed what, written in the same transaction as the change.

use kojo_core::ids::UserId;

use crate::{Result, Store, read};

/// Who makes a change: a signed-in user, or the command line / system.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<UserId>,
    /// A label kept even if the user is deleted: the login, `cli` or `system`.
    pub label: String,
}

impl Actor {
    pub fn user(id: UserId, login: &str) -> Actor {
        Actor {
            user_id: Some(id),
            label: login.to_string(),
        }
    }

    pub fn cli() -> Actor {
        Actor {
            user_id: None,
            label: "cli".into(),
        }
    }

    pub fn system() -> Actor {
        Actor {
            user_id: None,
            label: "system".into(),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_user_id: Option<UserId>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub detail: Option<String>,
}

/// Appends an audit entry inside the caller's transaction:
/// `audit!(tx, actor, "action", "entity", Some(id), detail_json)`.
macro_rules! audit {
    ($tx:expr, $actor:expr, $action:expr, $entity:expr, $entity_id:expr, $detail:expr) => {{
        let actor: &$crate::Actor = $actor;
        let entity_id: Option<String> = $entity_id.map(|id| id.to_string());
        let detail: Option<String> = $detail.map(|d: serde_json::Value| d.to_string());
        sqlx::query(
            "INSERT INTO audit_log (at, actor_user_id, actor, action, entity, entity_id, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($crate::now_millis())
        .bind(actor.user_id)
        .bind(&actor.label)
        .bind($action)
        .bind($entity)
        .bind(entity_id)
        .bind(detail)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use audit;

impl Store {
    /// The most recent audit entries, newest first; optionally for one entity.
    pub async fn audit_log(
        &self,
        entity: Option<(&str, &str)>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        Ok(match entity {
            Some((entity, id)) => read!(self, p => {
                sqlx::query_as(
                    "SELECT id, at, actor_user_id, actor, action, entity, entity_id, detail FROM audit_log \
                     WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC LIMIT $3",
                )
                .bind(entity)
                .bind(id)
                .bind(limit)
                .fetch_all(p)
                .await?
            }),
            None => read!(self, p => {
                sqlx::query_as(
                    "SELECT id, at, actor_user_id, actor, action, entity, entity_id, detail FROM audit_log \
                     ORDER BY id DESC LIMIT $1",
                )
                .bind(limit)
                .fetch_all(p)
                .await?
            }),
        })
    }
}
