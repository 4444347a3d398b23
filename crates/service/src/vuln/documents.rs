//! SBOM and VEX documents attached to an asset (docs/vulnerabilities.md): the SBOM's components
//! are matched against the CSAF advisories and OSV records (purl and CPE first, names last);
//! the VEX statements settle findings of the asset and of its components — "not affected"
//! with its justification, or "fixed", closes a match and the note says which document said so.

use std::collections::HashMap;

use kojo_core::ids::{AssetDocId, AssetId, SiteId};
use kojo_core::plant::model::Asset;
use kojo_core::vuln::components::{ComponentFinding, Source, apply_vex_to_components, match_sbom};
use kojo_core::vuln::matching::{Reasons, Verdict, VexReason};
use kojo_core::vuln::osv::package_key;
use kojo_core::vuln::priority::MatchStatus;
use kojo_core::vuln::sbom::{Component, Sbom};
use kojo_core::vuln::vex::{VexStatement, VexStatus};
use kojo_formats::asset_doc::{self, AssetDoc};
use kojo_storage::{AssetDocIn, AssetDocRow, MatchIn, VexSettled};
use serde::Serialize;

use super::VulnData;
use super::failure::{Failure, Reason};
use crate::{Error, Problem, Result, Service, Who};

/// The largest SBOM or VEX file accepted for one asset.
pub const ASSET_DOC_LIMIT: usize = 16 << 20;

/// The longest note a VEX statement leaves on a match.
const NOTE_MAX: usize = 1000;

/// The documents of a site's assets, as read.
#[derive(Debug, Default)]
pub struct AssetDocs {
    by_asset: HashMap<AssetId, Vec<AssetDoc>>,
    /// Every statement of the asset's documents, in upload order.
    statements: HashMap<AssetId, Vec<VexStatement>>,
}

impl AssetDocs {
    /// Reads the stored documents; one that no longer reads is left out (it read when stored).
    pub fn read(rows: &[AssetDocRow]) -> AssetDocs {
        let mut docs = AssetDocs::default();
        for r in rows {
            let Ok(d) = asset_doc::read(r.document.as_bytes()) else {
                continue;
            };
            docs.statements
                .entry(r.asset_id)
                .or_default()
                .extend(d.vex.iter().cloned());
            docs.by_asset.entry(r.asset_id).or_default().push(d);
        }
        docs
    }

    pub fn statements(&self, asset: AssetId) -> &[VexStatement] {
        self.statements.get(&asset).map_or(&[], Vec::as_slice)
    }

    pub fn sboms(&self, asset: AssetId) -> impl Iterator<Item = &Sbom> {
        self.by_asset
            .get(&asset)
            .into_iter()
            .flatten()
            .filter_map(|d| d.sbom.as_ref())
    }
}

/// The verdict to store and what VEX settled: a statement that says "not affected" or
/// "fixed" keeps the matcher's verdict and closes the match; "affected" or "under
/// investigation" changes the verdict and leaves the match open.
pub(super) fn settle(
    before: Verdict,
    after: Verdict,
    vex: Option<VexReason>,
    statements: &[VexStatement],
) -> (Verdict, Option<VexSettled>) {
    let verdict = if after == Verdict::NotAffected {
        before
    } else {
        after
    };
    let settled = vex.and_then(|v| {
        let s = statements.get(v.statement as usize)?;
        let status = match v.status {
            VexStatus::NotAffected => MatchStatus::NotAffected,
            VexStatus::Fixed => MatchStatus::Done,
            VexStatus::Affected | VexStatus::UnderInvestigation => return None,
        };
        let mut note = format!("VEX {}: {}", s.source, s.detail.trim());
        if note.chars().count() > NOTE_MAX {
            note = note.chars().take(NOTE_MAX - 1).chain(['…']).collect();
        }
        Some(VexSettled {
            status,
            justification: v
                .justification
                .filter(|_| status == MatchStatus::NotAffected),
            note: note.trim_end_matches([' ', ':']).to_string(),
        })
    });
    (verdict, settled)
}

/// A component as a match shows it: "name version".
fn label(c: &Component) -> String {
    match &c.version {
        Some(v) if !v.is_empty() => format!("{} {v}", c.name),
        _ => c.name.clone(),
    }
}

/// The matches an asset's SBOM gives (affected, needs checking, or closed by VEX).
pub(super) fn component_matches(
    data: &VulnData,
    asset: &Asset,
    sbom: &Sbom,
    statements: &[VexStatement],
) -> Vec<MatchIn> {
    let found = match_sbom(&data.index, &data.osv, sbom);
    let mut decided = found.clone();
    apply_vex_to_components(&data.index, &data.osv, sbom, &mut decided, statements);
    found
        .iter()
        .zip(&decided)
        .filter(|(b, a)| b.verdict != Verdict::NotAffected || a.verdict != Verdict::NotAffected)
        .filter_map(|(b, a)| component_match(data, asset, sbom, b.verdict, a, statements))
        .collect()
}

fn component_match(
    data: &VulnData,
    asset: &Asset,
    sbom: &Sbom,
    before: Verdict,
    f: &ComponentFinding,
    statements: &[VexStatement],
) -> Option<MatchIn> {
    let c = sbom.components.get(f.component as usize)?;
    let (row, cve, product_id) = match f.source {
        Source::Csaf {
            advisory,
            leaf,
            vulnerability,
        } => {
            let row = data.rows.get(advisory as usize)?;
            let a = data.index.advisories().get(advisory as usize)?;
            let cve = a
                .vulnerabilities
                .get(vulnerability as usize)
                .and_then(|v| v.cve.clone())
                .unwrap_or_else(|| format!("{}#{}", a.id.tracking_id, vulnerability + 1));
            (row, cve, data.index.leaf(leaf)?.product_id.clone())
        }
        Source::Osv { record, affected } => {
            let row = data.osv_rows.get(record as usize)?;
            let r = data.osv.record(record)?;
            let cve = r.cves().into_iter().next().unwrap_or_else(|| r.id.clone());
            let product = r
                .affected
                .get(affected as usize)
                .and_then(|a| a.package.as_ref())
                .map(|p| package_key(&p.ecosystem, &p.name))
                .unwrap_or_default();
            (row, cve, product)
        }
    };
    let (verdict, vex) = settle(before, f.verdict, f.reasons.vex, statements);
    Some(MatchIn {
        verdict,
        confidence: f.confidence.0,
        reasons: reasons_json(&f.reasons),
        component: label(c),
        vex,
        ..super::match_base(asset, row, cve, product_id)
    })
}

pub(super) fn reasons_json(r: &Reasons) -> String {
    serde_json::to_string(r).unwrap_or_default()
}

/// Matches of one site collected by (asset, advisory, CVE): one CVE of one advisory is one
/// match per asset, however many of its components it was found in.
#[derive(Default)]
pub(super) struct Collected {
    order: Vec<(AssetId, String, String)>,
    by_key: HashMap<(AssetId, String, String), MatchIn>,
}

impl Collected {
    pub(super) fn add(&mut self, m: MatchIn) {
        let key = (m.asset_id, m.tracking_id.clone(), m.cve.clone());
        if let Some(old) = self.by_key.get_mut(&key) {
            if !m.component.is_empty() && !old.component.split(", ").any(|c| c == m.component) {
                if !old.component.is_empty() {
                    old.component.push_str(", ");
                }
                old.component.push_str(&m.component);
            }
            old.confidence = old.confidence.max(m.confidence);
            if old.vex.is_none() {
                old.vex = m.vex;
            }
            return;
        }
        self.order.push(key.clone());
        self.by_key.insert(key, m);
    }

    pub(super) fn into_vec(mut self) -> Vec<MatchIn> {
        self.order
            .iter()
            .filter_map(|k| self.by_key.remove(k))
            .collect()
    }
}

/// A stored document as a page lists it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AssetDocView {
    pub id: AssetDocId,
    pub asset_id: AssetId,
    pub file_name: String,
    pub format: String,
    pub components: i64,
    pub statements: i64,
    pub uploaded_at: i64,
}

impl From<AssetDocRow> for AssetDocView {
    fn from(r: AssetDocRow) -> AssetDocView {
        AssetDocView {
            id: r.id,
            asset_id: r.asset_id,
            file_name: r.file_name,
            format: r.format,
            components: r.components,
            statements: r.statements,
            uploaded_at: r.uploaded_at,
        }
    }
}

impl Service {
    /// Attaches an SBOM or VEX file to one of the site's assets and matches the site again.
    /// A file that does not read is refused with where and why, and nothing is stored.
    pub async fn vuln_attach_document(
        &self,
        who: &Who,
        site: SiteId,
        asset: AssetId,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<AssetDocView> {
        self.check_site(who, site).await?;
        if bytes.len() > ASSET_DOC_LIMIT {
            return Err(Error::TooLarge {
                limit: ASSET_DOC_LIMIT,
            });
        }
        let refuse = |reason| Error::Invalid(Problem::VulnFile(Failure::new(file_name, reason)));
        let doc = asset_doc::read(bytes).map_err(|e| refuse(Reason::of_document(e)))?;
        let text = std::str::from_utf8(bytes).map_err(|_| refuse(Reason::NotUtf8))?;
        let n = |x: usize| i64::try_from(x).unwrap_or(i64::MAX);
        let id = self
            .store()
            .vuln_add_asset_document(
                &who.actor(),
                site,
                &AssetDocIn {
                    asset,
                    file_name,
                    format: doc.format.label(),
                    components: n(doc.sbom.as_ref().map_or(0, |s| s.components.len())),
                    statements: n(doc.vex.len()),
                    document: text,
                },
            )
            .await?;
        self.vuln_match_site(who, site, None).await?;
        self.vuln_documents(who, site)
            .await?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or(Error::NotFound)
    }

    /// The site's attached documents.
    pub async fn vuln_documents(&self, who: &Who, site: SiteId) -> Result<Vec<AssetDocView>> {
        self.check_site(who, site).await?;
        Ok(self
            .store()
            .vuln_asset_documents(site, false)
            .await?
            .into_iter()
            .map(AssetDocView::from)
            .collect())
    }

    /// Removes an attached document and matches the site again.
    pub async fn vuln_remove_document(
        &self,
        who: &Who,
        site: SiteId,
        id: AssetDocId,
    ) -> Result<()> {
        self.check_site(who, site).await?;
        self.store()
            .vuln_delete_asset_document(&who.actor(), site, id)
            .await?;
        self.vuln_match_site(who, site, None).await?;
        Ok(())
    }
}
