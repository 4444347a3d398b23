//! Assessments of a site against a checklist version, their answers (one row per item with an
//! optimistic version number) and the change history of every answer.

use kojo_core::ids::{AssessmentId, OrgId, SiteId};
use kojo_core::status::AssessmentStatus;
use serde_json::json;

use crate::audit::audit;
use crate::error::{Conflict, Invalid, conflict_as};
use crate::{Actor, Result, Store, StoreError, now_millis, read, write_tx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Assessment {
    pub id: AssessmentId,
    pub site_id: SiteId,
    /// The organisation that owns the site (joined in, for authorisation).
    pub org_id: OrgId,
    pub site_name: String,
    pub checklist: String,
    #[sqlx(try_from = "String")]
    pub status: AssessmentStatus,
    pub copied_from: Option<AssessmentId>,
    pub created_by: Option<kojo_core::ids::UserId>,
    pub created_at: i64,
    pub updated_at: i64,
    pub completed_at: Option<i64>,
}

impl Assessment {
    pub fn is_complete(&self) -> bool {
        self.status == AssessmentStatus::Complete
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AnswerRow {
    pub item_id: String,
    pub level: Option<String>,
    pub note: String,
    pub owner: String,
    pub target_date: Option<String>,
    pub version: i64,
    pub updated_at: i64,
}

/// What a user enters for one item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerInput {
    pub level: Option<String>,
    pub note: String,
    pub owner: String,
    pub target_date: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AnswerChange {
    pub version: i64,
    pub level: Option<String>,
    pub note: String,
    pub owner: String,
    pub target_date: Option<String>,
    pub changed_by_label: String,
    pub changed_at: i64,
}

/// What the results page's cache key needs, read in one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultsVersion {
    pub site_id: SiteId,
    pub site_name: String,
    /// The assessment's last change (strictly increasing).
    pub updated_at: i64,
    /// The site plan's (count, sum of versions, latest change): changes with every plan change,
    /// removals included.
    pub plan: (i64, i64, i64),
    /// The site's plant revision: the action plan's priorities follow the model's risks.
    pub plant: i64,
}

/// The result of an optimistic save.
#[derive(Debug, Clone)]
pub enum Saved<T> {
    Saved(T),
    /// Someone saved a newer version first; this is what is stored now (None: nothing yet).
    Conflict(Option<T>),
}

impl Store {
    /// Starts an assessment of a site; with `copy_from`, the answers of that assessment (of the
    /// same site and checklist) are carried over as the starting point.
    pub async fn create_assessment(
        &self,
        actor: &Actor,
        site_id: SiteId,
        checklist: &str,
        copy_from: Option<AssessmentId>,
    ) -> Result<Assessment> {
        if let Some(src) = copy_from {
            let source = self.assessment(src).await?;
            if source.site_id != site_id || source.checklist != checklist {
                return Err(Invalid::CopyOutsideSite.into());
            }
        }
        let now = now_millis();
        let id: AssessmentId = write_tx!(self, tx => {
            let id: AssessmentId = sqlx::query_scalar(
                "INSERT INTO assessments (site_id, checklist, status, copied_from, created_by, created_at, updated_at) \
                 VALUES ($1, $2, 'draft', $3, $4, $5, $5) RETURNING id",
            )
            .bind(site_id)
            .bind(checklist)
            .bind(copy_from)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict_as(e, Conflict::DraftExists))?;
            if let Some(src) = copy_from {
                sqlx::query(
                    "INSERT INTO answers (assessment_id, item_id, level, note, owner, target_date, version, updated_by, updated_at) \
                     SELECT $1, item_id, level, note, owner, target_date, 1, $2, $3 FROM answers WHERE assessment_id = $4",
                )
                .bind(id)
                .bind(actor.user_id)
                .bind(now)
                .bind(src)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO answer_history (assessment_id, item_id, version, level, note, owner, target_date, changed_by, changed_by_label, changed_at) \
                     SELECT assessment_id, item_id, 1, level, note, owner, target_date, $1, $2, $3 FROM answers WHERE assessment_id = $4",
                )
                .bind(actor.user_id)
                .bind(&actor.label)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            audit!(tx, actor, "create", "assessment", Some(id), Some(json!({"site_id": site_id, "checklist": checklist, "copied_from": copy_from})));
            id
        });
        self.assessment(id).await
    }

    /// Creates an assessment with all its answers at once (an imported workbook): all or nothing.
    pub async fn import_assessment(
        &self,
        actor: &Actor,
        site_id: SiteId,
        checklist: &str,
        answers: &[(String, AnswerInput)],
    ) -> Result<Assessment> {
        let now = now_millis();
        let id: AssessmentId = write_tx!(self, tx => {
            let id: AssessmentId = sqlx::query_scalar(
                "INSERT INTO assessments (site_id, checklist, status, created_by, created_at, updated_at) \
                 VALUES ($1, $2, 'draft', $3, $4, $4) RETURNING id",
            )
            .bind(site_id)
            .bind(checklist)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict_as(e, Conflict::DraftExists))?;
            for (item, a) in answers {
                sqlx::query(
                    "INSERT INTO answers (assessment_id, item_id, level, note, owner, target_date, version, updated_by, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)",
                )
                .bind(id)
                .bind(item)
                .bind(&a.level)
                .bind(&a.note)
                .bind(&a.owner)
                .bind(&a.target_date)
                .bind(actor.user_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO answer_history (assessment_id, item_id, version, level, note, owner, target_date, changed_by, changed_by_label, changed_at) \
                     VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(id)
                .bind(item)
                .bind(&a.level)
                .bind(&a.note)
                .bind(&a.owner)
                .bind(&a.target_date)
                .bind(actor.user_id)
                .bind(&actor.label)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            audit!(tx, actor, "import", "assessment", Some(id), Some(json!({"site_id": site_id, "checklist": checklist, "answers": answers.len()})));
            id
        });
        self.assessment(id).await
    }

    /// The factory's draft assessment, if one is in progress (there is at most one).
    pub async fn draft_of_site(&self, site_id: SiteId) -> Result<Option<Assessment>> {
        Ok(self
            .assessments_of_site(site_id)
            .await?
            .into_iter()
            .find(|a| !a.is_complete()))
    }

    /// Deletes a draft with its answers and their history; a complete assessment is kept.
    pub async fn discard_draft(&self, actor: &Actor, id: AssessmentId) -> Result<()> {
        write_tx!(self, tx => {
            let done = sqlx::query("DELETE FROM assessments WHERE id = $1 AND status = 'draft'")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(Invalid::NotDraft.into());
            }
            audit!(tx, actor, "discard", "assessment", Some(id), None::<serde_json::Value>);
        });
        Ok(())
    }

    pub async fn assessment(&self, id: AssessmentId) -> Result<Assessment> {
        read!(self, p => {
            sqlx::query_as(
                "SELECT a.id, a.site_id, s.org_id, s.name AS site_name, a.checklist, a.status, a.copied_from, a.created_by, a.created_at, a.updated_at, a.completed_at \
                 FROM assessments a JOIN sites s ON s.id = a.site_id WHERE a.id = $1",
            )
            .bind(id)
            .fetch_optional(p)
            .await?
        })
        .ok_or(StoreError::NotFound)
    }

    /// A site's assessments, newest first.
    pub async fn assessments_of_site(&self, site_id: SiteId) -> Result<Vec<Assessment>> {
        Ok(read!(self, p => {
            sqlx::query_as(
                "SELECT a.id, a.site_id, s.org_id, s.name AS site_name, a.checklist, a.status, a.copied_from, a.created_by, a.created_at, a.updated_at, a.completed_at \
                 FROM assessments a JOIN sites s ON s.id = a.site_id WHERE a.site_id = $1 ORDER BY a.created_at DESC, a.id DESC",
            )
            .bind(site_id)
            .fetch_all(p)
            .await?
        }))
    }

    /// All assessments of an organisation's sites, newest first.
    pub async fn assessments_of_org(&self, org_id: OrgId) -> Result<Vec<Assessment>> {
        Ok(read!(self, p => {
            sqlx::query_as(
                "SELECT a.id, a.site_id, s.org_id, s.name AS site_name, a.checklist, a.status, a.copied_from, a.created_by, a.created_at, a.updated_at, a.completed_at \
                 FROM assessments a JOIN sites s ON s.id = a.site_id WHERE s.org_id = $1 ORDER BY a.created_at DESC, a.id DESC",
            )
            .bind(org_id)
            .fetch_all(p)
            .await?
        }))
    }

    /// What the results page's cache key needs, in one query: (site id, site name, the
    /// assessment's updated_at, and the site plan's (count, sum of versions)).
    pub async fn results_version(&self, id: AssessmentId) -> Result<ResultsVersion> {
        type Row = (
            SiteId,
            String,
            i64,
            i64,
            Option<i64>,
            Option<i64>,
            Option<i64>,
        );
        let row: Option<Row> = read!(self, p => {
            sqlx::query_as(
                "SELECT a.site_id, s.name, a.updated_at, \
                   (SELECT COUNT(*) FROM plan_items p WHERE p.site_id = a.site_id), \
                   (SELECT CAST(SUM(version) AS BIGINT) FROM plan_items p WHERE p.site_id = a.site_id), \
                   (SELECT MAX(updated_at) FROM plan_items p WHERE p.site_id = a.site_id), \
                   (SELECT revision FROM plant_revisions r WHERE r.site_id = a.site_id) \
                 FROM assessments a JOIN sites s ON s.id = a.site_id WHERE a.id = $1",
            )
            .bind(id)
            .fetch_optional(p)
            .await?
        });
        let (site_id, site_name, updated_at, count, sum, changed, plant) =
            row.ok_or(StoreError::NotFound)?;
        Ok(ResultsVersion {
            site_id,
            site_name,
            updated_at,
            plan: (count, sum.unwrap_or(0), changed.unwrap_or(0)),
            plant: plant.unwrap_or(0),
        })
    }

    pub async fn answers(&self, assessment_id: AssessmentId) -> Result<Vec<AnswerRow>> {
        Ok(read!(self, p => {
            sqlx::query_as(
                "SELECT item_id, level, note, owner, target_date, version, updated_at FROM answers WHERE assessment_id = $1 ORDER BY item_id",
            )
            .bind(assessment_id)
            .fetch_all(p)
            .await?
        }))
    }

    pub async fn answer(
        &self,
        assessment_id: AssessmentId,
        item_id: &str,
    ) -> Result<Option<AnswerRow>> {
        Ok(read!(self, p => {
            sqlx::query_as(
                "SELECT item_id, level, note, owner, target_date, version, updated_at FROM answers WHERE assessment_id = $1 AND item_id = $2",
            )
            .bind(assessment_id)
            .bind(item_id)
            .fetch_optional(p)
            .await?
        }))
    }

    /// Saves one answer if the stored version is still `expected_version` (0: not answered yet).
    /// A complete assessment is read-only.
    pub async fn save_answer(
        &self,
        actor: &Actor,
        assessment_id: AssessmentId,
        item_id: &str,
        expected_version: i64,
        input: &AnswerInput,
    ) -> Result<Saved<AnswerRow>> {
        let now = now_millis();
        let new_version = expected_version + 1;
        let written: bool = write_tx!(self, tx => {
            let status: Option<String> = sqlx::query_scalar("SELECT status FROM assessments WHERE id = $1")
                .bind(assessment_id)
                .fetch_optional(&mut *tx)
                .await?;
            match status.as_deref() {
                None => return Err(StoreError::NotFound),
                Some("complete") => return Err(Invalid::NotDraft.into()),
                _ => {}
            }
            let done = if expected_version == 0 {
                sqlx::query(
                    "INSERT INTO answers (assessment_id, item_id, level, note, owner, target_date, version, updated_by, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) ON CONFLICT (assessment_id, item_id) DO NOTHING",
                )
                .bind(assessment_id)
                .bind(item_id)
                .bind(&input.level)
                .bind(&input.note)
                .bind(&input.owner)
                .bind(&input.target_date)
                .bind(actor.user_id)
                .bind(now)
                .execute(&mut *tx)
                .await?
            } else {
                sqlx::query(
                    "UPDATE answers SET level = $1, note = $2, owner = $3, target_date = $4, version = $5, updated_by = $6, updated_at = $7 \
                     WHERE assessment_id = $8 AND item_id = $9 AND version = $10",
                )
                .bind(&input.level)
                .bind(&input.note)
                .bind(&input.owner)
                .bind(&input.target_date)
                .bind(new_version)
                .bind(actor.user_id)
                .bind(now)
                .bind(assessment_id)
                .bind(item_id)
                .bind(expected_version)
                .execute(&mut *tx)
                .await?
            };
            let written = done.rows_affected() == 1;
            if written {
                sqlx::query(
                    "INSERT INTO answer_history (assessment_id, item_id, version, level, note, owner, target_date, changed_by, changed_by_label, changed_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(assessment_id)
                .bind(item_id)
                .bind(new_version)
                .bind(&input.level)
                .bind(&input.note)
                .bind(&input.owner)
                .bind(&input.target_date)
                .bind(actor.user_id)
                .bind(&actor.label)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                // Strictly increasing, even within one millisecond: caches key on it.
                sqlx::query("UPDATE assessments SET updated_at = CASE WHEN updated_at >= $1 THEN updated_at + 1 ELSE $1 END WHERE id = $2")
                    .bind(now)
                    .bind(assessment_id)
                    .execute(&mut *tx)
                    .await?;
            }
            written
        });
        let current = self.answer(assessment_id, item_id).await?;
        Ok(match (written, current) {
            (true, Some(row)) => Saved::Saved(row),
            (_, current) => Saved::Conflict(current),
        })
    }

    /// The versions of one answer, newest first.
    pub async fn answer_history(
        &self,
        assessment_id: AssessmentId,
        item_id: &str,
    ) -> Result<Vec<AnswerChange>> {
        Ok(read!(self, p => {
            sqlx::query_as(
                "SELECT version, level, note, owner, target_date, changed_by_label, changed_at FROM answer_history \
                 WHERE assessment_id = $1 AND item_id = $2 ORDER BY version DESC, id DESC",
            )
            .bind(assessment_id)
            .bind(item_id)
            .fetch_all(p)
            .await?
        }))
    }

    /// Marks a draft complete (read-only from then on).
    pub async fn complete_assessment(&self, actor: &Actor, id: AssessmentId) -> Result<()> {
        let now = now_millis();
        write_tx!(self, tx => {
            let done = sqlx::query("UPDATE assessments SET status = 'complete', completed_at = $1, \
                 updated_at = CASE WHEN updated_at >= $1 THEN updated_at + 1 ELSE $1 END WHERE id = $2 AND status = 'draft'")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(Invalid::NotDraft.into());
            }
            audit!(tx, actor, "complete", "assessment", Some(id), None::<serde_json::Value>);
        });
        Ok(())
    }
}
