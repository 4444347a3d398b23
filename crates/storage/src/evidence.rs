//! Evidence files attached to an assessment's answers, kept in the database (with the
//! assessment, so a backup holds them and deleting the assessment deletes them). The kind was
//! checked from the bytes before it reaches here; adding and deleting are audited.

use kojo_core::evidence::{EvidenceKind, MAX_PER_ITEM};
use kojo_core::ids::{AssessmentId, EvidenceId};
use serde_json::json;

use crate::audit::audit;
use crate::error::Invalid;
use crate::{Actor, Result, Store, StoreError, now_millis, read, write_tx};

/// An evidence file without its content (lists).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Evidence {
    pub id: EvidenceId,
    pub assessment_id: AssessmentId,
    pub item_id: String,
    pub file_name: String,
    #[sqlx(try_from = "String")]
    pub kind: EvidenceKind,
    pub size: i64,
    pub created_at: i64,
}

/// A file to attach.
#[derive(Debug, Clone)]
pub struct NewEvidence<'a> {
    pub item_id: &'a str,
    pub file_name: &'a str,
    pub kind: EvidenceKind,
    pub content: &'a [u8],
}

/// The assessment's last change moves on (strictly increasing: the results' cache keys on it,
/// and the report's appendix lists the evidence).
const TOUCH: &str = "UPDATE assessments SET updated_at = CASE WHEN updated_at >= $1 THEN updated_at + 1 ELSE $1 END WHERE id = $2";

impl Store {
    /// Attaches a file to an answer; refused when the answer already has [`MAX_PER_ITEM`].
    pub async fn add_evidence(
        &self,
        actor: &Actor,
        assessment: AssessmentId,
        new: &NewEvidence<'_>,
    ) -> Result<EvidenceId> {
        let size = i64::try_from(new.content.len()).unwrap_or(i64::MAX);
        let now = now_millis();
        Ok(write_tx!(self, tx => {
            let count: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM evidence WHERE assessment_id = $1 AND item_id = $2",
            )
            .bind(assessment)
            .bind(new.item_id)
            .fetch_one(&mut *tx)
            .await?;
            if usize::try_from(count).unwrap_or(usize::MAX) >= MAX_PER_ITEM {
                return Err(StoreError::Invalid(Invalid::TooManyEvidence {
                    item: new.item_id.to_string(),
                    max: MAX_PER_ITEM,
                }));
            }
            let id: EvidenceId = sqlx::query_scalar(
                "INSERT INTO evidence (assessment_id, item_id, file_name, kind, size, content, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(assessment)
            .bind(new.item_id)
            .bind(new.file_name)
            .bind(new.kind.as_str())
            .bind(size)
            .bind(new.content)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(TOUCH).bind(now).bind(assessment).execute(&mut *tx).await?;
            audit!(tx, actor, "create", "evidence", Some(id), Some(json!({
                "assessment_id": assessment, "item": new.item_id, "name": new.file_name,
                "kind": new.kind.as_str(), "size": size,
            })));
            id
        }))
    }

    /// An assessment's evidence files (without content), by item, then in the order added.
    pub async fn evidence_of(&self, assessment: AssessmentId) -> Result<Vec<Evidence>> {
        Ok(read!(self, p => {
            sqlx::query_as(
                "SELECT id, assessment_id, item_id, file_name, kind, size, created_at FROM evidence \
                 WHERE assessment_id = $1 ORDER BY item_id, id",
            )
            .bind(assessment)
            .fetch_all(p)
            .await?
        }))
    }

    /// One evidence file with its content.
    pub async fn evidence_file(&self, id: EvidenceId) -> Result<(Evidence, Vec<u8>)> {
        let meta: Evidence = read!(self, p => {
            sqlx::query_as(
                "SELECT id, assessment_id, item_id, file_name, kind, size, created_at FROM evidence WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(p)
            .await?
        })
        .ok_or(StoreError::NotFound)?;
        let content: Vec<u8> = read!(self, p => {
            sqlx::query_scalar("SELECT content FROM evidence WHERE id = $1")
                .bind(id)
                .fetch_optional(p)
                .await?
        })
        .ok_or(StoreError::NotFound)?;
        Ok((meta, content))
    }

    /// Deletes an evidence file.
    pub async fn delete_evidence(&self, actor: &Actor, id: EvidenceId) -> Result<()> {
        let deleted: Option<(AssessmentId, String)> = write_tx!(self, tx => {
            let row: Option<(AssessmentId, String)> = sqlx::query_as(
                "DELETE FROM evidence WHERE id = $1 RETURNING assessment_id, file_name",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((assessment, name)) = &row {
                sqlx::query(TOUCH).bind(now_millis()).bind(*assessment).execute(&mut *tx).await?;
                audit!(tx, actor, "delete", "evidence", Some(id), Some(json!({"assessment_id": assessment, "name": name})));
            }
            row
        });
        deleted.map(|_| ()).ok_or(StoreError::NotFound)
    }
}
