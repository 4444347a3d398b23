//! A site's action plan: measures picked from the gap list, with owner, due date and status,
//! kept across assessments. Items can be removed; caches see the change in the site's plan
//! version (count, sum of versions, latest change).

use kojo_core::ids::{AssessmentId, PlanItemId, SiteId};
use kojo_core::status::PlanStatus;
use serde_json::json;

use crate::assessments::Saved;
use crate::audit::audit;
use crate::error::{Conflict, conflict_as};
use crate::{Actor, Result, Store, StoreError, now_millis, read, write_tx};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PlanItem {
    pub id: PlanItemId,
    pub site_id: SiteId,
    pub checklist: String,
    pub item_id: String,
    pub measure_id: String,
    pub owner: String,
    pub due_date: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: PlanStatus,
    pub note: String,
    pub assessment_id: Option<AssessmentId>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewPlanItem {
    pub checklist: String,
    pub item_id: String,
    pub measure_id: String,
    pub owner: String,
    pub due_date: Option<String>,
    pub assessment_id: Option<AssessmentId>,
}

#[derive(Debug, Clone)]
pub struct PlanUpdate {
    pub owner: String,
    pub due_date: Option<String>,
    pub status: PlanStatus,
    pub note: String,
}

impl Store {
    pub async fn add_plan_item(
        &self,
        actor: &Actor,
        site_id: SiteId,
        new: &NewPlanItem,
    ) -> Result<PlanItem> {
        let now = now_millis();
        let id: PlanItemId = write_tx!(self, tx => {
            let id: PlanItemId = sqlx::query_scalar(
                "INSERT INTO plan_items (site_id, checklist, item_id, measure_id, owner, due_date, status, note, assessment_id, version, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'planned', '', $7, 1, $8, $9, $9) RETURNING id",
            )
            .bind(site_id)
            .bind(&new.checklist)
            .bind(&new.item_id)
            .bind(&new.measure_id)
            .bind(&new.owner)
            .bind(&new.due_date)
            .bind(new.assessment_id)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict_as(e, Conflict::MeasureInPlan { measure: new.measure_id.clone() }))?;
            audit!(tx, actor, "create", "plan_item", Some(id), Some(json!({"site_id": site_id, "measure": new.measure_id})));
            id
        });
        self.plan_item(id).await
    }

    pub async fn plan_item(&self, id: PlanItemId) -> Result<PlanItem> {
        read!(self, p => {
            sqlx::query_as(
                "SELECT id, site_id, checklist, item_id, measure_id, owner, due_date, status, note, assessment_id, version, created_at, updated_at \
                 FROM plan_items WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(p)
            .await?
        })
        .ok_or(StoreError::NotFound)
    }

    /// A site's plan, open items first, then by due date.
    pub async fn plan_of_site(&self, site_id: SiteId) -> Result<Vec<PlanItem>> {
        Ok(read!(self, p => {
            sqlx::query_as(
                "SELECT id, site_id, checklist, item_id, measure_id, owner, due_date, status, note, assessment_id, version, created_at, updated_at \
                 FROM plan_items WHERE site_id = $1 \
                 ORDER BY CASE status WHEN 'in_progress' THEN 0 WHEN 'planned' THEN 1 WHEN 'done' THEN 2 ELSE 3 END, \
                          CASE WHEN due_date IS NULL THEN 1 ELSE 0 END, due_date, id",
            )
            .bind(site_id)
            .fetch_all(p)
            .await?
        }))
    }

    /// Removes an item from its site's plan (it can be added again from the results).
    pub async fn remove_plan_item(&self, actor: &Actor, id: PlanItemId) -> Result<()> {
        let removed: Option<(SiteId, String)> = write_tx!(self, tx => {
            let row: Option<(SiteId, String)> = sqlx::query_as(
                "DELETE FROM plan_items WHERE id = $1 RETURNING site_id, measure_id",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((site_id, measure)) = &row {
                audit!(tx, actor, "delete", "plan_item", Some(id), Some(json!({"site_id": site_id, "measure": measure})));
            }
            row
        });
        removed.map(|_| ()).ok_or(StoreError::NotFound)
    }

    /// Updates a plan item if it is still at `expected_version`.
    pub async fn update_plan_item(
        &self,
        actor: &Actor,
        id: PlanItemId,
        expected_version: i64,
        update: &PlanUpdate,
    ) -> Result<Saved<PlanItem>> {
        let now = now_millis();
        let written: bool = write_tx!(self, tx => {
            let done = sqlx::query(
                "UPDATE plan_items SET owner = $1, due_date = $2, status = $3, note = $4, version = version + 1, updated_at = $5 \
                 WHERE id = $6 AND version = $7",
            )
            .bind(&update.owner)
            .bind(&update.due_date)
            .bind(update.status.as_str())
            .bind(&update.note)
            .bind(now)
            .bind(id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 1 {
                audit!(tx, actor, "update", "plan_item", Some(id), Some(json!({"status": update.status.as_str()})));
            }
            done.rows_affected() == 1
        });
        let current = self.plan_item(id).await?;
        Ok(if written {
            Saved::Saved(current)
        } else {
            Saved::Conflict(Some(current))
        })
    }
}
