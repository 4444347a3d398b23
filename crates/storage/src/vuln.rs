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
    /// The SBOM component(s) found, for a match through the asset's SBOM ("" otherwise).
    pub component: String,
    /// A VEX statement of the asset's documents that settles the match: applied when the match
    /// is new or still open, never over the factory's own answer.
    pub vex: Option<VexSettled>,
}

/// The status a VEX statement gives a match, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VexSettled {
    pub status: MatchStatus,
    pub justification: Option<Justification>,
    /// The statement's source and detail, kept as the match's note.
    pub note: String,
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
    pub component: String,
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
struct StoredRow {
    namespace: String,
    tracking_id: String,
    id: AdvisoryRowId,
    revision: String,
    current_release: String,
    digest: String,
    latest: bool,
}

/// A revision as the import sees it: stored (`id`) or to be inserted (`item`).
#[derive(Debug, Clone)]
struct Existing {
    id: Option<AdvisoryRowId>,
    item: Option<usize>,
    revision: String,
    current_release: String,
    digest: String,
    latest: bool,
}

impl From<StoredRow> for Existing {
    fn from(r: StoredRow) -> Existing {
        Existing {
            id: Some(r.id),
            item: None,
            revision: r.revision,
            current_release: r.current_release,
            digest: r.digest,
            latest: r.latest,
        }
    }
}

/// Bound parameters per batched statement: under SQLite's limit (32,766) and PostgreSQL's
/// (65,535) for every statement here.
const BATCH: usize = 8_000;

/// What storing a batch of revisions writes.
#[derive(Debug, Default)]
struct StorePlan {
    delete: Vec<AdvisoryRowId>,
    unset_latest: Vec<AdvisoryRowId>,
    /// (index into the items, latest)
    insert: Vec<(usize, bool)>,
    outcome: Vec<Stored>,
}

/// Decides, item by item in order, what storing each revision does — exactly as if each were
/// stored on its own: the same revision with the same bytes changes nothing; with other bytes
/// it replaces the stored one (the publisher re-issued it); a revision newer than the latest
/// becomes the latest.
fn plan_store(stored: Vec<(String, String, Existing)>, items: &[AdvisoryIn<'_>]) -> StorePlan {
    let mut known: HashMap<(String, String), Vec<Existing>> = HashMap::new();
    for (ns, tid, e) in stored {
        known.entry((ns, tid)).or_default().push(e);
    }
    let mut plan = StorePlan::default();
    for (i, a) in items.iter().enumerate() {
        let revs = known
            .entry((a.namespace.to_string(), a.tracking_id.to_string()))
            .or_default();
        let had_any = !revs.is_empty();
        if let Some(pos) = revs.iter().position(|e| e.revision == a.revision) {
            if revs[pos].digest == a.digest {
                plan.outcome.push(Stored::Unchanged);
                continue;
            }
            // A stored one is deleted; one of this batch is simply not inserted.
            if let Some(id) = revs.remove(pos).id {
                plan.delete.push(id);
            }
        }
        let latest_now = revs.iter().find(|e| e.latest);
        let is_latest = latest_now.is_none_or(|l| {
            !newer(
                (&l.revision, &l.current_release),
                (a.revision, a.current_release),
            )
        });
        if is_latest {
            for e in revs.iter_mut().filter(|e| e.latest) {
                e.latest = false;
                if let Some(id) = e.id {
                    plan.unset_latest.push(id);
                }
            }
        }
        revs.push(Existing {
            id: None,
            item: Some(i),
            revision: a.revision.to_string(),
            current_release: a.current_release.to_string(),
            digest: a.digest.to_string(),
            latest: is_latest,
        });
        plan.outcome.push(if had_any {
            Stored::Revision { latest: is_latest }
        } else {
            Stored::New
        });
    }
    // The pending inserts with their final latest flag.
    let mut insert: Vec<(usize, bool)> = known
        .into_values()
        .flatten()
        .filter_map(|e| e.item.map(|i| (i, e.latest)))
        .collect();
    insert.sort_unstable();
    plan.insert = insert;
    plan
}

/// (namespace, tracking id, revision): what identifies a stored revision.
type RevisionKey<'a> = (&'a str, &'a str, &'a str);

fn revision_key<'a>(a: &AdvisoryIn<'a>) -> RevisionKey<'a> {
    (a.namespace, a.tracking_id, a.revision)
}

/// The child rows (CVEs or products) of the inserted revisions, each with its revision's new id.
fn rows_of<'i, T>(
    plan: &StorePlan,
    items: &'i [AdvisoryIn<'_>],
    ids: &HashMap<RevisionKey<'_>, AdvisoryRowId>,
    children: impl Fn(&'i AdvisoryIn<'_>) -> &'i [T],
) -> Vec<(AdvisoryRowId, &'i T)> {
    plan.insert
        .iter()
        .flat_map(|(i, _)| {
            let a = &items[*i];
            let id = ids.get(&revision_key(a)).copied();
            children(a).iter().filter_map(move |c| Some((id?, c)))
        })
        .collect()
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

    /// Stores revisions in one transaction (all or nothing), in the order given. What to do
    /// with each revision is decided in memory against the stored revisions (one read), then
    /// written in batches: a statement per row made the full CISA corpus take seconds.
    pub async fn vuln_store_advisories(
        &self,
        run: ImportRunId,
        items: &[AdvisoryIn<'_>],
    ) -> Result<Vec<Stored>> {
        let now = now_millis();
        Ok(write_tx!(self, tx => {
            let stored: Vec<(String, String, Existing)> = sqlx::query_as(
                "SELECT namespace, tracking_id, id, revision, current_release, digest, latest \
                 FROM vuln_advisories",
            )
            .fetch_all(&mut *tx).await?
            .into_iter()
            .map(|r: StoredRow| (r.namespace.clone(), r.tracking_id.clone(), r.into()))
            .collect();
            let plan = plan_store(stored, items);
            for (sql, ids) in [
                ("DELETE FROM vuln_advisories WHERE id IN (", &plan.delete),
                ("UPDATE vuln_advisories SET latest = FALSE WHERE id IN (", &plan.unset_latest),
            ] {
                for chunk in ids.chunks(BATCH) {
                    let mut q = sqlx::QueryBuilder::new(sql);
                    let mut list = q.separated(", ");
                    for id in chunk {
                        list.push_bind(*id);
                    }
                    q.push(")");
                    q.build().execute(&mut *tx).await?;
                }
            }
            let mut ids: HashMap<RevisionKey<'_>, AdvisoryRowId> = HashMap::new();
            for chunk in plan.insert.chunks(BATCH / 16) {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO vuln_advisories (namespace, tracking_id, revision, current_release, title, \
                     publisher, digest, latest, document, import_run_id, imported_at) ",
                );
                q.push_values(chunk, |mut b, (i, latest)| {
                    let a = &items[*i];
                    b.push_bind(a.namespace).push_bind(a.tracking_id).push_bind(a.revision)
                        .push_bind(a.current_release).push_bind(a.title).push_bind(a.publisher)
                        .push_bind(a.digest).push_bind(*latest).push_bind(a.document)
                        .push_bind(run).push_bind(now);
                });
                q.push(" RETURNING id, namespace, tracking_id, revision");
                let rows: Vec<(AdvisoryRowId, String, String, String)> =
                    q.build_query_as().fetch_all(&mut *tx).await?;
                let keys: HashMap<(&str, &str, &str), RevisionKey<'_>> = chunk.iter()
                    .map(|(i, _)| { let k = revision_key(&items[*i]); (k, k) })
                    .collect();
                for (id, ns, tid, rev) in rows {
                    if let Some(k) = keys.get(&(ns.as_str(), tid.as_str(), rev.as_str())) {
                        ids.insert(*k, id);
                    }
                }
            }
            for chunk in rows_of(&plan, items, &ids, |a| &a.cves).chunks(BATCH / 3) {
                let mut q = sqlx::QueryBuilder::new("INSERT INTO vuln_advisory_cves (advisory_id, cve, cvss) ");
                q.push_values(chunk, |mut b, (id, (cve, cvss))| {
                    b.push_bind(*id).push_bind(cve.as_str()).push_bind(*cvss);
                });
                q.push(" ON CONFLICT DO NOTHING");
                q.build().execute(&mut *tx).await?;
            }
            for chunk in rows_of(&plan, items, &ids, |a| &a.products).chunks(BATCH / 5) {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO vuln_advisory_products (advisory_id, product_id, vendor, name, version) ",
                );
                q.push_values(chunk, |mut b, (id, (pid, vendor, name, version))| {
                    b.push_bind(*id).push_bind(pid.as_str()).push_bind(vendor.as_str())
                        .push_bind(name.as_str()).push_bind(version.as_str());
                });
                q.push(" ON CONFLICT DO NOTHING");
                q.build().execute(&mut *tx).await?;
            }
            plan.outcome
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
        // One row per CVE (the last one wins), so that no batched upsert touches a row twice.
        let mut last: HashMap<&str, &KevEntry> = HashMap::new();
        for e in entries {
            last.insert(e.cve.as_str(), e);
        }
        let mut rows: Vec<&KevEntry> = last.into_values().collect();
        rows.sort_by(|a, b| a.cve.cmp(&b.cve));
        Ok(write_tx!(self, tx => {
            for chunk in rows.chunks(BATCH / 9) {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO vuln_kev (cve, vendor, product, name, date_added, due_date, ransomware, \
                     catalog_version, import_run_id) ",
                );
                q.push_values(chunk, |mut b, e| {
                    b.push_bind(e.cve.as_str()).push_bind(e.vendor.as_str()).push_bind(e.product.as_str())
                        .push_bind(e.name.as_str()).push_bind(e.date_added.iso())
                        .push_bind(e.due_date.map(Date::iso)).push_bind(e.ransomware.as_str())
                        .push_bind(version).push_bind(run);
                });
                q.push(
                    " ON CONFLICT (cve) DO UPDATE SET vendor = excluded.vendor, product = excluded.product, \
                     name = excluded.name, date_added = excluded.date_added, due_date = excluded.due_date, \
                     ransomware = excluded.ransomware, catalog_version = excluded.catalog_version",
                );
                q.build().execute(&mut *tx).await?;
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
