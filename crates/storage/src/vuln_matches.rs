//! A site's matches: replaced as a whole when the site is matched again (the factory's status,
//! owner and due date stay with a match that is found again, also under a newer revision of its
//! advisory), changed one at a time by the status form, and the log of what matching changed.

use std::collections::HashMap;

use kojo_core::ids::{AssetId, ImportRunId, SiteId, VulnMatchId};
use kojo_core::vuln::priority::MatchStatus;
use serde_json::json;

use crate::audit::audit;
use crate::error::Invalid;
use crate::vuln::{ChangeRow, MatchDiff, MatchIn, MatchRow, StatusUpdate};
use crate::{Actor, Result, Store, StoreError, now_millis, read, write_tx};

const MATCH_COLUMNS: &str = "id, site_id, asset_id, advisory_id, tracking_id, cve, product_id, verdict, confidence, reasons, status, justification, owner, due_date, note, first_run_id, updated_at, component";

#[derive(sqlx::FromRow)]
struct Key {
    id: VulnMatchId,
    asset_id: AssetId,
    tracking_id: String,
    cve: String,
    advisory_id: kojo_core::ids::AdvisoryRowId,
    #[sqlx(try_from = "String")]
    status: MatchStatus,
}

macro_rules! log_change {
    ($tx:ident, $site:expr, $run:expr, $asset:expr, $name:expr, $tracking:expr, $rev:expr, $cve:expr, $change:expr, $now:expr) => {
        sqlx::query(
            "INSERT INTO vuln_match_changes (site_id, run_id, asset_id, asset_name, tracking_id, revision, cve, change, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind($site).bind($run).bind($asset).bind($name).bind($tracking).bind($rev).bind($cve)
        .bind($change).bind($now)
        .execute(&mut *$tx)
        .await?
    };
}

impl Store {
    /// Replaces a site's matches with `found` (all or nothing): a match found again keeps its
    /// status and moves to the revision it was found in; a match not found again is removed.
    /// Each new, revised and removed match is logged under `run`; `plant_revision` is the
    /// revision of the site's model the matches were computed from.
    pub async fn vuln_replace_matches(
        &self,
        actor: &Actor,
        site: SiteId,
        run: Option<ImportRunId>,
        plant_revision: i64,
        found: &[MatchIn],
    ) -> Result<MatchDiff> {
        let now = now_millis();
        let names: HashMap<AssetId, String> = found
            .iter()
            .map(|m| (m.asset_id, m.asset_name.clone()))
            .collect();
        Ok(write_tx!(self, tx => {
            let old: Vec<Key> = sqlx::query_as(
                "SELECT id, asset_id, tracking_id, cve, advisory_id, status FROM vuln_matches WHERE site_id = $1",
            )
            .bind(site).fetch_all(&mut *tx).await?;
            let mut old: HashMap<(AssetId, String, String), Key> = old
                .into_iter()
                .map(|k| ((k.asset_id, k.tracking_id.clone(), k.cve.clone()), k))
                .collect();
            let mut diff = MatchDiff::default();
            for m in found {
                let key = (m.asset_id, m.tracking_id.clone(), m.cve.clone());
                if let Some(k) = old.remove(&key) {
                    sqlx::query(
                        "UPDATE vuln_matches SET advisory_id = $2, product_id = $3, verdict = $4, confidence = $5, \
                         reasons = $6, component = $7 WHERE id = $1",
                    )
                    .bind(k.id).bind(m.advisory_id).bind(&m.product_id).bind(m.verdict.as_str())
                    .bind(i64::from(m.confidence)).bind(&m.reasons).bind(&m.component)
                    .execute(&mut *tx).await?;
                    if let (Some(v), MatchStatus::Open) = (&m.vex, k.status) {
                        sqlx::query(
                            "UPDATE vuln_matches SET status = $2, justification = $3, note = $4, updated_at = $5 \
                             WHERE id = $1",
                        )
                        .bind(k.id).bind(v.status.as_str()).bind(v.justification.map(|j| j.as_str()))
                        .bind(&v.note).bind(now)
                        .execute(&mut *tx).await?;
                    }
                    if k.advisory_id == m.advisory_id {
                        diff.kept += 1;
                    } else {
                        diff.revised += 1;
                        log_change!(tx, site, run, m.asset_id, &m.asset_name, &m.tracking_id, &m.revision, &m.cve, "revised", now);
                    }
                    continue;
                }
                sqlx::query(
                    "INSERT INTO vuln_matches (site_id, asset_id, advisory_id, tracking_id, cve, product_id, verdict, \
                     confidence, reasons, first_run_id, created_at, updated_at, component, status, justification, note) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14, $15)",
                )
                .bind(site).bind(m.asset_id).bind(m.advisory_id).bind(&m.tracking_id).bind(&m.cve)
                .bind(&m.product_id).bind(m.verdict.as_str()).bind(i64::from(m.confidence))
                .bind(&m.reasons).bind(run).bind(now).bind(&m.component)
                .bind(m.vex.as_ref().map_or(MatchStatus::Open, |v| v.status).as_str())
                .bind(m.vex.as_ref().and_then(|v| v.justification).map(|j| j.as_str()))
                .bind(m.vex.as_ref().map_or("", |v| v.note.as_str()))
                .execute(&mut *tx).await?;
                diff.new += 1;
                log_change!(tx, site, run, m.asset_id, &m.asset_name, &m.tracking_id, &m.revision, &m.cve, "new", now);
            }
            for ((asset, tracking, cve), k) in old {
                sqlx::query("DELETE FROM vuln_matches WHERE id = $1").bind(k.id).execute(&mut *tx).await?;
                diff.gone += 1;
                let name = names.get(&asset).cloned().unwrap_or_default();
                log_change!(tx, site, run, asset, &name, &tracking, "", &cve, "gone", now);
            }
            sqlx::query(
                "INSERT INTO vuln_site_matched (site_id, plant_revision, matched_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (site_id) DO UPDATE SET plant_revision = excluded.plant_revision, \
                 matched_at = excluded.matched_at",
            )
            .bind(site).bind(plant_revision).bind(now).execute(&mut *tx).await?;
            if diff.new + diff.revised + diff.gone > 0 {
                audit!(tx, actor, "match", "vuln_matches", Some(site), Some(json!({
                    "new": diff.new, "revised": diff.revised, "gone": diff.gone, "kept": diff.kept})));
            }
            diff
        }))
    }

    /// The revision of the site's model its matches were last computed from (None: never).
    pub async fn vuln_matched_revision(&self, site: SiteId) -> Result<Option<i64>> {
        Ok(read!(self, p => {
            sqlx::query_scalar("SELECT plant_revision FROM vuln_site_matched WHERE site_id = $1")
                .bind(site).fetch_optional(p).await?
        }))
    }

    /// A site's matches, by asset then advisory and CVE.
    pub async fn vuln_matches(&self, site: SiteId) -> Result<Vec<MatchRow>> {
        let sql = format!(
            "SELECT {MATCH_COLUMNS} FROM vuln_matches WHERE site_id = $1 ORDER BY asset_id, tracking_id, cve"
        );
        Ok(read!(self, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(site).fetch_all(p).await?
        }))
    }

    /// The sites that have at least one asset (the sites an import re-matches).
    pub async fn vuln_sites_with_assets(&self) -> Result<Vec<SiteId>> {
        Ok(read!(self, p => {
            sqlx::query_scalar("SELECT DISTINCT site_id FROM plant_assets ORDER BY site_id")
                .fetch_all(p).await?
        }))
    }

    /// How many of a site's matches are open or in progress.
    pub async fn vuln_unhandled(&self, site: SiteId) -> Result<i64> {
        Ok(read!(self, p => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM vuln_matches WHERE site_id = $1 AND status IN ($2, $3)",
            )
            .bind(site).bind(MatchStatus::Open.as_str()).bind(MatchStatus::InProgress.as_str())
            .fetch_one(p).await?
        }))
    }

    /// Sets the factory's status of one match of the site. "Not affected" needs a
    /// justification; other statuses keep none.
    pub async fn vuln_set_status(
        &self,
        actor: &Actor,
        site: SiteId,
        id: VulnMatchId,
        update: &StatusUpdate,
    ) -> Result<()> {
        let justification = match (update.status, update.justification) {
            (MatchStatus::NotAffected, Some(j)) => Some(j.as_str()),
            (MatchStatus::NotAffected, None) => {
                return Err(Invalid::Check {
                    detail: "not_affected without a justification".into(),
                }
                .into());
            }
            _ => None,
        };
        let now = now_millis();
        write_tx!(self, tx => {
            let done = sqlx::query(
                "UPDATE vuln_matches SET status = $3, justification = $4, owner = $5, due_date = $6, note = $7, \
                 updated_at = $8 WHERE id = $1 AND site_id = $2",
            )
            .bind(id).bind(site).bind(update.status.as_str()).bind(justification)
            .bind(update.owner.trim()).bind(update.due_date.map(|d| d.iso())).bind(update.note.trim()).bind(now)
            .execute(&mut *tx).await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            audit!(tx, actor, "status", "vuln_match", Some(id), Some(json!({
                "site": site, "status": update.status.as_str(), "justification": justification,
                "owner": update.owner.trim(), "due": update.due_date.map(|d| d.iso())})));
        });
        Ok(())
    }

    /// What matching changed for a site: under one run, or (None) under the newest run that
    /// changed anything for it; newest first.
    pub async fn vuln_changes(
        &self,
        site: SiteId,
        run: Option<ImportRunId>,
    ) -> Result<Vec<ChangeRow>> {
        let run: Option<ImportRunId> = match run {
            Some(r) => Some(r),
            None => read!(self, p => {
                sqlx::query_scalar("SELECT MAX(run_id) FROM vuln_match_changes WHERE site_id = $1")
                    .bind(site).fetch_one(p).await?
            }),
        };
        let Some(run) = run else {
            return Ok(Vec::new());
        };
        Ok(read!(self, p => {
            sqlx::query_as(
                "SELECT run_id, asset_id, asset_name, tracking_id, revision, cve, change, at \
                 FROM vuln_match_changes WHERE site_id = $1 AND run_id = $2 ORDER BY change, asset_name, tracking_id, cve",
            )
            .bind(site).bind(run).fetch_all(p).await?
        }))
    }
}
