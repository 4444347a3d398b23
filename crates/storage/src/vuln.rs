//! Vulnerability identification: advisories with every revision kept (the published document as
//! read, with its CVEs and products), the KEV catalogue, import runs, and each site's matches
//! with the factory's status. Importing the same revision again changes nothing; a newer
//! revision becomes the latest, and re-matching a site moves its matches to it (status kept).

use std::collections::HashMap;

use kojo_core::date::Date;
use kojo_core::ids::{AdvisoryRowId, AssetId, ImportRunId, SiteId, VulnMatchId};
use kojo_core::vuln::advisory::Justification;
use kojo_core::vuln::kev::{KevEntry, RansomwareUse};
use kojo_core::vuln::matching::Verdict;
use kojo_core::vuln::priority::MatchStatus;
use serde_json::json;

use crate::audit::audit;
use crate::{Actor, Result, Store, now_millis, read, write_tx};

/// One revision to store.
#[derive(Debug, Clone)]
pub struct AdvisoryIn<'a> {
    pub namespace: &'a str,
    pub tracking_id: &'a str,
    pub revision: &'a str,
    pub current_release: &'a str,
    pub title: &'a str,
    pub publisher: &'a str,
    /// The published document as read.
    pub document: &'a str,
    pub digest: &'a str,
    /// (CVE, highest CVSS v3 base score).
    pub cves: Vec<(String, Option<f64>)>,
    /// (product id, vendor, product name, version text).
    pub products: Vec<(String, String, String, String)>,
}

/// What storing one revision did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// The first revision of this advisory kojo sees.
    New,
    /// A revision kojo did not have; `latest` when it is now the newest.
    Revision { latest: bool },
    /// This revision was already stored with the same bytes.
    Unchanged,
}

/// A stored revision (without its document).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AdvisoryRow {
    pub id: AdvisoryRowId,
    pub namespace: String,
    pub tracking_id: String,
    pub revision: String,
    pub current_release: String,
    pub title: String,
    pub latest: bool,
}

/// An import run and what it brought.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImportRun {
    pub id: ImportRunId,
    pub at: i64,
    pub actor: String,
    pub files: i64,
    pub advisories_new: i64,
    pub advisories_revised: i64,
    pub advisories_unchanged: i64,
    pub kev_entries: i64,
    /// JSON list of `{file, why}`.
    pub failures: String,
}

/// Counts of what is stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VulnTotals {
    pub advisories: i64,
    pub revisions: i64,
    pub cves: i64,
    pub products: i64,
    pub kev: i64,
}

/// A finding to keep for a site.
#[derive(Debug, Clone)]
pub struct MatchIn {
    pub asset_id: AssetId,
    pub asset_name: String,
    pub advisory_id: AdvisoryRowId,
    pub tracking_id: String,
    pub revision: String,
    pub cve: String,
    pub product_id: String,
    pub verdict: Verdict,
    pub confidence: u8,
    /// `kojo_core::vuln::matching::Reasons`, JSON.
    pub reasons: String,
}

/// A stored match.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MatchRow {
    pub id: VulnMatchId,
    pub site_id: SiteId,
    pub asset_id: AssetId,
    pub advisory_id: AdvisoryRowId,
    pub tracking_id: String,
    pub cve: String,
    pub product_id: String,
    #[sqlx(try_from = "String")]
    pub verdict: Verdict,
    pub confidence: i64,
    pub reasons: String,
    #[sqlx(try_from = "String")]
    pub status: MatchStatus,
    pub justification: Option<String>,
    pub owner: String,
    pub due_date: Option<String>,
    pub note: String,
    pub first_run_id: Option<ImportRunId>,
    pub updated_at: i64,
}

/// The factory's answer for one match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusUpdate {
    pub status: MatchStatus,
    /// Required with [`MatchStatus::NotAffected`].
    pub justification: Option<Justification>,
    pub owner: String,
    pub due_date: Option<Date>,
    pub note: String,
}

/// One line of "what changed".
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChangeRow {
    pub run_id: Option<ImportRunId>,
    pub asset_id: Option<AssetId>,
    pub asset_name: String,
    pub tracking_id: String,
    pub revision: String,
    pub cve: String,
    pub change: String,
    pub at: i64,
}

/// What re-matching a site changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MatchDiff {
    pub new: usize,
    pub revised: usize,
    pub gone: usize,
    pub kept: usize,
}

#[derive(sqlx::FromRow)]
struct Existing {
    id: AdvisoryRowId,
    revision: String,
    current_release: String,
    digest: String,
    latest: bool,
}

/// Whether revision `a` (tracking version, release date) is newer than `b`.
fn newer(a: (&str, &str), b: (&str, &str)) -> bool {
    kojo_core::vuln::advisory::revision_order(a, b) == std::cmp::Ordering::Greater
}

impl Store {
    /// Starts an import run.
    pub async fn vuln_begin_run(&self, actor: &Actor) -> Result<ImportRunId> {
        let now = now_millis();
        Ok(write_tx!(self, tx => {
            let id: ImportRunId = sqlx::query_scalar(
                "INSERT INTO vuln_import_runs (at, actor) VALUES ($1, $2) RETURNING id",
            )
            .bind(now).bind(&actor.label).fetch_one(&mut *tx).await?;
            id
        }))
    }

    /// Records what a run read, and audits it.
    pub async fn vuln_finish_run(&self, actor: &Actor, run: &ImportRun) -> Result<()> {
        write_tx!(self, tx => {
            sqlx::query(
                "UPDATE vuln_import_runs SET files = $2, advisories_new = $3, advisories_revised = $4, \
                 advisories_unchanged = $5, kev_entries = $6, failures = $7 WHERE id = $1",
            )
            .bind(run.id).bind(run.files).bind(run.advisories_new).bind(run.advisories_revised)
            .bind(run.advisories_unchanged).bind(run.kev_entries).bind(&run.failures)
            .execute(&mut *tx).await?;
            audit!(tx, actor, "import", "vuln_import_run", Some(run.id), Some(json!({
                "files": run.files, "new": run.advisories_new, "revised": run.advisories_revised,
                "unchanged": run.advisories_unchanged, "kev": run.kev_entries})));
        });
        Ok(())
    }

    /// Stores revisions in one transaction (all or nothing), in the order given.
    pub async fn vuln_store_advisories(
        &self,
        run: ImportRunId,
        items: &[AdvisoryIn<'_>],
    ) -> Result<Vec<Stored>> {
        let now = now_millis();
        Ok(write_tx!(self, tx => {
            let mut out = Vec::with_capacity(items.len());
            for a in items {
                let existing: Vec<Existing> = sqlx::query_as(
                    "SELECT id, revision, current_release, digest, latest FROM vuln_advisories \
                     WHERE namespace = $1 AND tracking_id = $2",
                )
                .bind(a.namespace).bind(a.tracking_id).fetch_all(&mut *tx).await?;
                if let Some(same) = existing.iter().find(|e| e.revision == a.revision) {
                    if same.digest == a.digest {
                        out.push(Stored::Unchanged);
                        continue;
                    }
                    // The same revision number with other bytes: the publisher re-issued it.
                    sqlx::query("DELETE FROM vuln_advisories WHERE id = $1")
                        .bind(same.id).execute(&mut *tx).await?;
                }
                let latest_now = existing.iter().find(|e| e.latest && e.revision != a.revision);
                let is_latest = latest_now.is_none_or(|l| {
                    !newer((&l.revision, &l.current_release), (a.revision, a.current_release))
                });
                if is_latest {
                    sqlx::query(
                        "UPDATE vuln_advisories SET latest = $3 WHERE namespace = $1 AND tracking_id = $2",
                    )
                    .bind(a.namespace).bind(a.tracking_id).bind(false).execute(&mut *tx).await?;
                }
                let id: AdvisoryRowId = sqlx::query_scalar(
                    "INSERT INTO vuln_advisories (namespace, tracking_id, revision, current_release, title, \
                     publisher, digest, latest, document, import_run_id, imported_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                )
                .bind(a.namespace).bind(a.tracking_id).bind(a.revision).bind(a.current_release)
                .bind(a.title).bind(a.publisher).bind(a.digest).bind(is_latest).bind(a.document)
                .bind(run).bind(now)
                .fetch_one(&mut *tx).await?;
                for (cve, cvss) in &a.cves {
                    sqlx::query(
                        "INSERT INTO vuln_advisory_cves (advisory_id, cve, cvss) VALUES ($1, $2, $3) \
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(id).bind(cve).bind(*cvss).execute(&mut *tx).await?;
                }
                for (pid, vendor, name, version) in &a.products {
                    sqlx::query(
                        "INSERT INTO vuln_advisory_products (advisory_id, product_id, vendor, name, version) \
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                    )
                    .bind(id).bind(pid).bind(vendor).bind(name).bind(version).execute(&mut *tx).await?;
                }
                out.push(if existing.is_empty() {
                    Stored::New
                } else {
                    Stored::Revision { latest: is_latest }
                });
            }
            out
        }))
    }

    /// Replaces the KEV catalogue's entries (added or updated; entries are never removed, as
    /// CISA does not remove them either). Returns how many entries were written.
    pub async fn vuln_store_kev(
        &self,
        run: ImportRunId,
        version: &str,
        entries: &[KevEntry],
    ) -> Result<usize> {
        Ok(write_tx!(self, tx => {
            for e in entries {
                sqlx::query(
                    "INSERT INTO vuln_kev (cve, vendor, product, name, date_added, due_date, ransomware, \
                     catalog_version, import_run_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                     ON CONFLICT (cve) DO UPDATE SET vendor = excluded.vendor, product = excluded.product, \
                     name = excluded.name, date_added = excluded.date_added, due_date = excluded.due_date, \
                     ransomware = excluded.ransomware, catalog_version = excluded.catalog_version",
                )
                .bind(&e.cve).bind(&e.vendor).bind(&e.product).bind(&e.name)
                .bind(e.date_added.iso()).bind(e.due_date.map(Date::iso)).bind(e.ransomware.as_str())
                .bind(version).bind(run)
                .execute(&mut *tx).await?;
            }
            entries.len()
        }))
    }

    /// The KEV entries stored.
    pub async fn vuln_kev(&self) -> Result<Vec<KevEntry>> {
        type Row = (
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            String,
        );
        let rows: Vec<Row> = read!(self, p => {
            sqlx::query_as("SELECT cve, vendor, product, name, date_added, due_date, ransomware FROM vuln_kev ORDER BY cve")
                .fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .filter_map(|(cve, vendor, product, name, added, due, ransomware)| {
                Some(KevEntry {
                    cve,
                    vendor,
                    product,
                    name,
                    date_added: Date::parse(&added)?,
                    due_date: due.as_deref().and_then(Date::parse),
                    ransomware: RansomwareUse::parse(&ransomware).unwrap_or(RansomwareUse::Unknown),
                    cwes: Vec::new(),
                })
            })
            .collect())
    }

    /// The latest revision of every advisory with its document, in tracking-id order.
    pub async fn vuln_latest_documents(&self) -> Result<Vec<(AdvisoryRow, String)>> {
        let rows: Vec<(AdvisoryRowId, String)> = read!(self, p => {
            sqlx::query_as("SELECT id, document FROM vuln_advisories WHERE latest = $1 ORDER BY tracking_id")
                .bind(true).fetch_all(p).await?
        });
        let heads = self.vuln_advisory_rows(true).await?;
        let mut by_id: HashMap<AdvisoryRowId, AdvisoryRow> =
            heads.into_iter().map(|r| (r.id, r)).collect();
        Ok(rows
            .into_iter()
            .filter_map(|(id, doc)| by_id.remove(&id).map(|r| (r, doc)))
            .collect())
    }

    /// Stored revisions (all, or only the latest of each advisory), in tracking-id order.
    pub async fn vuln_advisory_rows(&self, latest_only: bool) -> Result<Vec<AdvisoryRow>> {
        Ok(read!(self, p => {
            sqlx::query_as(
                "SELECT id, namespace, tracking_id, revision, current_release, title, latest \
                 FROM vuln_advisories WHERE latest = $1 OR $2 ORDER BY tracking_id, id",
            )
            .bind(true).bind(!latest_only).fetch_all(p).await?
        }))
    }

    /// How much is stored.
    pub async fn vuln_totals(&self) -> Result<VulnTotals> {
        let (advisories, revisions, cves, products, kev): (i64, i64, i64, i64, i64) = read!(self, p => {
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM vuln_advisories WHERE latest = $1), \
                 (SELECT COUNT(*) FROM vuln_advisories), \
                 (SELECT COUNT(DISTINCT c.cve) FROM vuln_advisory_cves c JOIN vuln_advisories a ON a.id = c.advisory_id WHERE a.latest = $1), \
                 (SELECT COUNT(*) FROM vuln_advisory_products c JOIN vuln_advisories a ON a.id = c.advisory_id WHERE a.latest = $1), \
                 (SELECT COUNT(*) FROM vuln_kev)",
            )
            .bind(true).fetch_one(p).await?
        });
        Ok(VulnTotals {
            advisories,
            revisions,
            cves,
            products,
            kev,
        })
    }

    /// The import runs, newest first.
    pub async fn vuln_runs(&self, limit: i64) -> Result<Vec<ImportRun>> {
        Ok(read!(self, p => {
            sqlx::query_as(
                "SELECT id, at, actor, files, advisories_new, advisories_revised, advisories_unchanged, \
                 kev_entries, failures FROM vuln_import_runs ORDER BY id DESC LIMIT $1",
            )
            .bind(limit).fetch_all(p).await?
        }))
    }

    /// CVSS per (stored revision, CVE).
    pub async fn vuln_cvss(&self) -> Result<HashMap<(AdvisoryRowId, String), f64>> {
        let rows: Vec<(AdvisoryRowId, String, Option<f64>)> = read!(self, p => {
            sqlx::query_as(
                "SELECT c.advisory_id, c.cve, c.cvss FROM vuln_advisory_cves c \
                 JOIN vuln_advisories a ON a.id = c.advisory_id WHERE a.latest = $1",
            )
            .bind(true).fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .filter_map(|(a, c, s)| s.map(|s| ((a, c), s)))
            .collect())
    }
}
