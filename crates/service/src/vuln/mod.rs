//! Vulnerability identification (docs/vulnerabilities.md): import advisories and the KEV
//! catalogue from files, match each site's assets against the latest revision of every advisory,
//! rank the matches (KEV, CVSS, the asset's importance, whether an attack route reaches it),
//! record the factory's status, list what an import changed, and export the matches (xlsx) and
//! the statuses (CSAF VEX).
//!
//! The matching index is built from the stored advisories once and kept until the next import.

pub mod documents;
mod export;
pub mod failure;
mod import;
pub mod status;
mod view;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use kojo_core::ids::{AdvisoryRowId, ImportRunId, SiteId, VulnMatchId};
use kojo_core::plant::model::Asset;
use kojo_core::plant::model::{AssetStatus, Plant};
use kojo_core::vuln::components::OsvIndex;
use kojo_core::vuln::kev::KevCatalog;
use kojo_core::vuln::matching::{AssetQuery, Finding, Index, Verdict, apply_vex};
use kojo_core::vuln::vex::VexStatement;
use kojo_storage::{AdvisoryRow, ChangeRow, MatchDiff, MatchIn, StatusUpdate, VulnTotals};

use crate::{Error, Result, Service, Who, access};

pub use documents::{ASSET_DOC_LIMIT, AssetDocView, AssetDocs};
pub use export::{csaf_flag, verdict_label, vex_document, xlsx_of_matches};
pub use failure::{Failure, Reason};
pub use import::{ImportReport, Input, Progress, VULN_UPLOAD_LIMIT, read_paths};
pub use view::{
    MatchView, RemediationView, SiteVulns, justification_label, level_label, remediation_label,
    status_label,
};

/// The advisories as matched: the index over the latest revisions, their stored rows (same
/// order as `index.advisories()`), the OSV records with theirs (same order as `osv.records()`),
/// the KEV catalogue and CVSS scores.
pub struct VulnData {
    pub index: Index,
    pub rows: Vec<AdvisoryRow>,
    pub osv: OsvIndex,
    pub osv_rows: Vec<AdvisoryRow>,
    pub kev: KevCatalog,
    pub cvss: HashMap<(AdvisoryRowId, String), f64>,
}

/// The cached [`VulnData`], dropped by every import.
#[derive(Default)]
pub struct VulnCache {
    data: Mutex<Option<Arc<VulnData>>>,
}

/// The namespace OSV records are stored under (CSAF namespaces are URLs).
pub const OSV_NAMESPACE: &str = "osv";

/// One finding of a site's asset, before it is stored: `before` as the matcher found it,
/// `after` once the asset's VEX statements were applied.
fn match_in(
    data: &VulnData,
    asset: &Asset,
    before: &Finding,
    after: &Finding,
    statements: &[VexStatement],
) -> Option<MatchIn> {
    let row = data.rows.get(usize::try_from(after.advisory).ok()?)?;
    let advisory = data.index.advisory(after)?;
    let leaf = data.index.leaf(after.leaf)?;
    let cve = data.index.cve(after).map_or_else(
        || format!("{}#{}", advisory.id.tracking_id, after.vulnerability + 1),
        str::to_string,
    );
    let (verdict, vex) =
        documents::settle(before.verdict, after.verdict, after.reasons.vex, statements);
    Some(MatchIn {
        verdict,
        confidence: after.confidence.0,
        reasons: documents::reasons_json(&after.reasons),
        vex,
        ..match_base(asset, row, cve, leaf.product_id.clone())
    })
}

/// A match of `asset` in the advisory `row`, before its verdict and reasons are set.
fn match_base(asset: &Asset, row: &AdvisoryRow, cve: String, product_id: String) -> MatchIn {
    MatchIn {
        asset_id: asset.id,
        asset_name: asset.name.clone(),
        advisory_id: row.id,
        tracking_id: row.tracking_id.clone(),
        revision: row.revision.clone(),
        cve,
        product_id,
        verdict: Verdict::NeedsChecking,
        confidence: 0,
        reasons: String::new(),
        component: String::new(),
        vex: None,
    }
}

/// Every affected, needs-checking or VEX-settled finding for the active assets of a plant:
/// the assets themselves, then the components of their SBOMs.
pub fn findings_for(data: &VulnData, plant: &Plant, docs: &AssetDocs) -> Vec<MatchIn> {
    let active: Vec<&Asset> = plant
        .assets
        .iter()
        .filter(|a| a.status != AssetStatus::Retired)
        .collect();
    let queries: Vec<AssetQuery> = active.iter().map(|a| AssetQuery::from_asset(a)).collect();
    let found = data.index.match_assets(&queries);
    let mut out = documents::Collected::default();
    for (k, findings) in found.iter().enumerate() {
        let asset = active[k];
        let statements = docs.statements(asset.id);
        let mut decided = findings.clone();
        apply_vex(&data.index, &queries[k], &mut decided, statements);
        for (before, after) in findings.iter().zip(&decided) {
            if before.verdict == Verdict::NotAffected && after.verdict == Verdict::NotAffected {
                continue;
            }
            if let Some(m) = match_in(data, asset, before, after, statements) {
                out.add(m);
            }
        }
        for sbom in docs.sboms(asset.id) {
            for m in documents::component_matches(data, asset, sbom, statements) {
                out.add(m);
            }
        }
    }
    out.into_vec()
}

/// The checklist item whose answer the matches inform (脆弱性判断・脆弱性の特定).
pub const VULN_ITEM: &str = "OPS-8";

impl Service {
    /// The matching data, built from the stored advisories when not cached.
    pub async fn vuln_data(&self) -> Result<Arc<VulnData>> {
        if let Some(d) = self.vuln_cache().data.lock().map_err(poisoned)?.clone() {
            return Ok(d);
        }
        let docs = self.store().vuln_latest_documents().await?;
        let kev = self.store().vuln_kev().await?;
        let cvss = self.store().vuln_cvss().await?;
        let aliases = self.catalog().vendor_aliases();
        let data = tokio::task::spawn_blocking(move || {
            let mut rows = Vec::with_capacity(docs.len());
            let mut advisories = Vec::with_capacity(docs.len());
            let (mut osv_rows, mut osv) = (Vec::new(), Vec::new());
            for (row, doc) in docs {
                if row.namespace == OSV_NAMESPACE {
                    // Withdrawn records are left out here, so rows and records stay aligned.
                    if let Ok(r) = kojo_formats::osv::parse(doc.as_bytes())
                        && r.withdrawn.is_none()
                    {
                        osv_rows.push(row);
                        osv.push(r);
                    }
                    continue;
                }
                // Stored documents were read once already; one that no longer reads is skipped.
                if let Ok(a) = kojo_formats::csaf::parse(doc.as_bytes()) {
                    rows.push(row);
                    advisories.push(a);
                }
            }
            VulnData {
                index: Index::build(advisories, aliases),
                rows,
                osv: OsvIndex::new(osv),
                osv_rows,
                kev: KevCatalog::new(String::new(), kev),
                cvss,
            }
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
        let data = Arc::new(data);
        *self.vuln_cache().data.lock().map_err(poisoned)? = Some(data.clone());
        Ok(data)
    }

    fn forget_vuln_data(&self) -> Result<()> {
        *self.vuln_cache().data.lock().map_err(poisoned)? = None;
        Ok(())
    }

    /// Matches one site's assets again and stores the result (status kept where a match is
    /// found again); `run` names the import that caused it, for "what changed".
    pub async fn vuln_match_site(
        &self,
        who: &Who,
        site: SiteId,
        run: Option<ImportRunId>,
    ) -> Result<MatchDiff> {
        let revision = self.plant_revision(who, site).await?;
        let (site, plant) = self.plant_of(who, site).await?;
        let data = self.vuln_data().await?;
        let rows = self.store().vuln_asset_documents(site.id, true).await?;
        let found = tokio::task::spawn_blocking(move || {
            findings_for(&data, &plant, &AssetDocs::read(&rows))
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
        Ok(self
            .store()
            .vuln_replace_matches(&who.actor(), site.id, run, revision, &found)
            .await?)
    }

    /// Matches the site again if its plant model changed since its matches were computed (or
    /// they never were while advisories are stored); says whether it did.
    pub async fn vuln_refresh_site(&self, who: &Who, site: SiteId) -> Result<bool> {
        let revision = self.plant_revision(who, site).await?;
        if self.store().vuln_matched_revision(site).await? == Some(revision)
            || self.store().vuln_totals().await?.advisories == 0
        {
            return Ok(false);
        }
        self.vuln_match_site(who, site, None).await?;
        Ok(true)
    }

    /// What is stored.
    pub async fn vuln_totals(&self) -> Result<VulnTotals> {
        Ok(self.store().vuln_totals().await?)
    }

    /// How many of a site's matches are still open or in progress (OPS-8: "kojo found N
    /// unhandled vulnerabilities in this factory").
    pub async fn vuln_unhandled(&self, who: &Who, site: SiteId) -> Result<i64> {
        self.check_site(who, site).await?;
        Ok(self.store().vuln_unhandled(site).await?)
    }

    /// For the checklist's OPS-8 answer: how many of the site's matches are unhandled (matched
    /// again first if the plant model changed), or None while no advisories are stored.
    pub async fn vuln_ops8(&self, who: &Who, site: SiteId) -> Result<Option<i64>> {
        if self.store().vuln_totals().await?.advisories == 0 {
            self.check_site(who, site).await?;
            return Ok(None);
        }
        self.vuln_refresh_site(who, site).await?;
        Ok(Some(self.vuln_unhandled(who, site).await?))
    }

    /// Sets the factory's status of one match, from a form or the API.
    pub async fn vuln_update_status(
        &self,
        who: &Who,
        site: SiteId,
        id: VulnMatchId,
        draft: &status::StatusDraft,
    ) -> Result<()> {
        let update = draft.validate()?;
        self.vuln_set_status(who, site, id, &update).await
    }

    /// Sets the factory's status of one match.
    pub async fn vuln_set_status(
        &self,
        who: &Who,
        site: SiteId,
        id: VulnMatchId,
        update: &StatusUpdate,
    ) -> Result<()> {
        self.check_site(who, site).await?;
        Ok(self
            .store()
            .vuln_set_status(&who.actor(), site, id, update)
            .await?)
    }

    /// What the newest import that changed anything changed for the site.
    pub async fn vuln_changes(&self, who: &Who, site: SiteId) -> Result<Vec<ChangeRow>> {
        self.check_site(who, site).await?;
        Ok(self.store().vuln_changes(site, None).await?)
    }

    /// The import runs, newest first (administrators).
    pub async fn vuln_runs(&self, who: &Who) -> Result<Vec<kojo_storage::ImportRun>> {
        access::instance_admin(who)?;
        Ok(self.store().vuln_runs(50).await?)
    }
}

fn poisoned<T>(_: std::sync::PoisonError<T>) -> Error {
    Error::Internal("vulnerability cache lock poisoned".into())
}
