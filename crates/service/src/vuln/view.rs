//! A site's matches as the pages, the CLI and the exports show them: with the advisory's CVSS,
//! KEV flag and remediation, the factory's status, and the priority with its one-sentence
//! explanation in the reader's language.

use std::collections::HashMap;

use kojo_core::date::Date;
use kojo_core::ids::{AssetId, SiteId, VulnMatchId, ZoneId};
use kojo_core::plant::importance::Importances;
use kojo_core::plant::model::Plant;
use kojo_core::plant::routes::{EntryPoint, Search, enumerate};
use kojo_core::vuln::advisory::{Advisory, RemediationCategory, StatusKind};
use kojo_core::vuln::matching::{NameHow, ProductHow, Reasons, Verdict};
use kojo_core::vuln::priority::{MatchStatus, Priority, PriorityInput, Reach, priority};
use kojo_core::vuln::product::DesignatorSource;
use kojo_core::vuln::spec::Eval;
use kojo_core::vuln::vex::VexStatus;
use kojo_storage::{MatchRow, Site};
use serde::Serialize;

use super::VulnData;
use crate::{Lang, Result, Service, Who};

/// One remediation of the advisory for the matched product.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RemediationView {
    pub category: RemediationCategory,
    pub details: String,
    pub url: Option<String>,
}

/// One match, ready to show.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct MatchView {
    pub id: VulnMatchId,
    pub asset_id: AssetId,
    pub asset: String,
    pub asset_tag: String,
    pub zone: String,
    pub vendor: String,
    pub product: String,
    pub version: String,
    /// The SBOM component(s) the match was found in ("" for the asset itself).
    pub component: String,
    pub tracking_id: String,
    pub revision: String,
    pub title: String,
    pub cve: String,
    pub cvss: Option<f64>,
    pub kev: bool,
    pub kev_due: Option<Date>,
    pub verdict: Verdict,
    pub confidence: u8,
    /// Why kojo matched, in one line.
    pub why: String,
    pub remediations: Vec<RemediationView>,
    pub status: MatchStatus,
    pub justification: Option<String>,
    pub owner: String,
    pub due_date: Option<String>,
    pub note: String,
    pub priority: Priority,
    pub explanation: String,
}

/// A site's matches, highest priority first.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SiteVulns {
    pub site: SiteId,
    pub site_name: String,
    pub matches: Vec<MatchView>,
    pub unhandled: usize,
}

/// For each zone an attacker entering at an untrusted entry point can reach: the shortest
/// route's entry point and hops.
pub fn reach(plant: &Plant, targets: Vec<ZoneId>) -> HashMap<ZoneId, Reach> {
    let routes = enumerate(
        plant,
        &Search {
            targets,
            max_hops: 6,
        },
    );
    let mut out: HashMap<ZoneId, Reach> = HashMap::new();
    for r in routes.iter() {
        if r.foothold.entry == EntryPoint::Insider {
            continue;
        }
        let here = Reach {
            entry: r.foothold.entry,
            hops: r.hops(),
        };
        out.entry(r.target_zone())
            .and_modify(|best| {
                if here.hops < best.hops {
                    *best = here;
                }
            })
            .or_insert(here);
    }
    out
}

/// Why a finding says what it says, in one line.
fn why(r: &Reasons, lang: &Lang) -> String {
    let t = lang.t;
    let mut parts = vec![match r.product {
        ProductHow::Identifier {
            source: DesignatorSource::Purl,
            ..
        } => t.vuln_why_purl,
        ProductHow::Identifier {
            source: DesignatorSource::Cpe,
            ..
        } => t.vuln_why_cpe,
        ProductHow::Identifier { .. } => t.vuln_why_identifier,
        ProductHow::Name(NameHow::Equal) => t.vuln_why_name,
        ProductHow::Name(_) => t.vuln_why_name_part,
    }];
    parts.push(match r.version {
        Eval::Affected => t.vuln_why_in_range,
        Eval::NotAffected => t.vuln_why_out_of_range,
        Eval::Unknown(_) => t.vuln_why_version_unknown,
    });
    if r.condition {
        parts.push(t.vuln_why_condition);
    }
    if r.status != StatusKind::KnownAffected {
        parts.push(t.vuln_why_status);
    }
    if r.component_name {
        parts.push(t.vuln_why_component_name);
    }
    match r.vex.map(|v| v.status) {
        Some(VexStatus::NotAffected | VexStatus::Fixed) => parts.push(t.vuln_why_vex_closed),
        Some(VexStatus::Affected | VexStatus::UnderInvestigation) => {
            parts.push(t.vuln_why_vex_open);
        }
        None => {}
    }
    parts.join(t.vuln_why_sep)
}

/// The priority in one sentence.
pub fn explain(p: &Priority, input: &PriorityInput, entry: &str, lang: &Lang) -> String {
    let t = lang.t;
    let level = level_label(p.level, lang);
    let cvss = input
        .cvss
        .map_or_else(|| t.vuln_cvss_unknown.to_string(), |s| format!("{s:.1}"));
    let reach = match input.reach {
        Some(r) if r.entry != EntryPoint::Insider && r.hops == 0 => {
            t.fill(t.vuln_reach_direct, &[("entry", &entry)])
        }
        Some(r) if r.entry != EntryPoint::Insider => lang
            .t
            .fill(t.vuln_reach_yes, &[("entry", &entry), ("hops", &r.hops)]),
        _ => t.vuln_reach_no.to_string(),
    };
    let template = if input.kev {
        t.vuln_explain_kev
    } else {
        t.vuln_explain
    };
    lang.t.fill(
        template,
        &[
            ("level", &level),
            ("score", &p.score),
            ("cvss", &cvss),
            ("importance", &input.importance.value()),
            ("reach", &reach),
        ],
    )
}

pub fn level_label(l: kojo_core::vuln::priority::PriorityLevel, lang: &Lang) -> &'static str {
    use kojo_core::vuln::priority::PriorityLevel as P;
    let t = lang.t;
    match l {
        P::Urgent => t.vuln_level_urgent,
        P::High => t.vuln_level_high,
        P::Medium => t.vuln_level_medium,
        P::Low => t.vuln_level_low,
    }
}

pub fn status_label(s: MatchStatus, lang: &Lang) -> &'static str {
    let t = lang.t;
    match s {
        MatchStatus::Open => t.vuln_status_open,
        MatchStatus::InProgress => t.vuln_status_in_progress,
        MatchStatus::Done => t.vuln_status_done,
        MatchStatus::NotAffected => t.vuln_status_not_affected,
    }
}

pub fn justification_label(
    j: kojo_core::vuln::advisory::Justification,
    lang: &Lang,
) -> &'static str {
    use kojo_core::vuln::advisory::Justification as J;
    let t = lang.t;
    match j {
        J::ComponentNotPresent | J::CodeNotPresent => t.vuln_just_component_not_present,
        J::VulnerableCodeNotPresent => t.vuln_just_code_not_present,
        J::VulnerableCodeNotInExecutePath | J::CodeNotReachable => t.vuln_just_not_in_execute_path,
        J::VulnerableCodeCannotBeControlledByAdversary
        | J::RequiresConfiguration
        | J::RequiresDependency
        | J::RequiresEnvironment => t.vuln_just_not_controllable,
        J::InlineMitigationsAlreadyExist
        | J::ProtectedByCompiler
        | J::ProtectedAtRuntime
        | J::ProtectedAtPerimeter
        | J::ProtectedByMitigatingControl => t.vuln_just_mitigations,
    }
}

pub fn remediation_label(c: RemediationCategory, lang: &Lang) -> &'static str {
    let t = lang.t;
    match c {
        RemediationCategory::VendorFix => t.vuln_fix_vendor,
        RemediationCategory::Workaround => t.vuln_fix_workaround,
        RemediationCategory::Mitigation => t.vuln_fix_mitigation,
        RemediationCategory::NoFixPlanned => t.vuln_fix_none_planned,
        RemediationCategory::NoneAvailable => t.vuln_fix_none_available,
    }
}

/// The advisory's remediations for the product (and for all products when it names none).
fn remediations(a: &Advisory, cve: &str, product: &str) -> Vec<RemediationView> {
    a.vulnerabilities
        .iter()
        .filter(|v| v.cve.as_deref() == Some(cve))
        .flat_map(|v| v.remediations_for(product))
        .map(|r| RemediationView {
            category: r.category,
            details: r.details.clone(),
            url: r.url.clone(),
        })
        .collect()
}

/// The fixed versions an OSV record gives for the matched package.
fn osv_remediations(
    data: &VulnData,
    row: usize,
    package: &str,
    lang: &Lang,
) -> Vec<RemediationView> {
    let Some(r) = u32::try_from(row).ok().and_then(|i| data.osv.record(i)) else {
        return Vec::new();
    };
    r.affected
        .iter()
        .filter(|a| {
            a.package.as_ref().is_some_and(|p| {
                kojo_core::vuln::osv::package_key(&p.ecosystem, &p.name) == package
            })
        })
        .flat_map(|a| a.ranges.iter().flat_map(|g| g.events.iter()))
        .filter_map(|e| match e {
            kojo_core::vuln::osv::OsvEvent::Fixed(v) => Some(RemediationView {
                category: RemediationCategory::VendorFix,
                details: lang.fill(lang.t.vuln_osv_fixed, "version", v),
                url: None,
            }),
            _ => None,
        })
        .collect()
}

/// Everything one match view needs besides the row.
struct Context<'a> {
    data: &'a VulnData,
    plant: &'a Plant,
    importances: &'a Importances,
    reach: &'a HashMap<ZoneId, Reach>,
    by_row: &'a HashMap<kojo_core::ids::AdvisoryRowId, usize>,
    osv_by_row: &'a HashMap<kojo_core::ids::AdvisoryRowId, usize>,
    lang: &'a Lang,
    entry_label: &'a dyn Fn(EntryPoint) -> String,
}

fn view(m: MatchRow, c: &Context<'_>) -> Option<MatchView> {
    let asset = c.plant.asset(m.asset_id)?;
    let advisory = c
        .by_row
        .get(&m.advisory_id)
        .and_then(|i| c.data.index.advisories().get(*i));
    let osv = c.osv_by_row.get(&m.advisory_id).copied();
    let row = c
        .by_row
        .get(&m.advisory_id)
        .and_then(|i| c.data.rows.get(*i))
        .or_else(|| osv.and_then(|i| c.data.osv_rows.get(i)));
    let kev = c.data.kev.get(&m.cve);
    let cvss = c.data.cvss.get(&(m.advisory_id, m.cve.clone())).copied();
    let importance = c.importances.asset(asset.id);
    let reach = asset
        .zones()
        .filter_map(|z| c.reach.get(&z))
        .min_by_key(|r| r.hops)
        .copied();
    let input = PriorityInput {
        kev: kev.is_some(),
        cvss,
        importance,
        reach,
        verdict: m.verdict,
    };
    let p = priority(&input);
    let entry = reach.map(|r| (c.entry_label)(r.entry)).unwrap_or_default();
    let reasons: Option<Reasons> = serde_json::from_str(&m.reasons).ok();
    Some(MatchView {
        id: m.id,
        asset_id: asset.id,
        asset: asset.name.clone(),
        asset_tag: asset.tag.clone(),
        zone: asset
            .zone
            .and_then(|z| c.plant.zone(z))
            .map(|z| z.name.clone())
            .unwrap_or_default(),
        vendor: asset.vendor.clone(),
        product: [asset.product.as_str(), asset.model.as_str()]
            .join(" ")
            .trim()
            .to_string(),
        version: asset.version.clone(),
        component: m.component,
        tracking_id: m.tracking_id.clone(),
        revision: row.map(|r| r.revision.clone()).unwrap_or_default(),
        title: row.map(|r| r.title.clone()).unwrap_or_default(),
        remediations: match (advisory, osv) {
            (Some(a), _) => remediations(a, &m.cve, &m.product_id),
            (None, Some(i)) => osv_remediations(c.data, i, &m.product_id, c.lang),
            (None, None) => Vec::new(),
        },
        cve: m.cve,
        cvss,
        kev: kev.is_some(),
        kev_due: kev.and_then(|k| k.due_date),
        verdict: m.verdict,
        confidence: kojo_core::num::saturate(m.confidence),
        why: reasons.map(|r| why(&r, c.lang)).unwrap_or_default(),
        status: m.status,
        justification: m.justification,
        owner: m.owner,
        due_date: m.due_date,
        note: m.note,
        explanation: explain(&p, &input, &entry, c.lang),
        priority: p,
    })
}

impl Service {
    /// A site's matches with their priorities, highest first.
    pub async fn vuln_site(&self, who: &Who, site: SiteId, lang: &Lang) -> Result<SiteVulns> {
        let (site, plant) = self.plant_of(who, site).await?;
        let rows = self.store().vuln_matches(site.id).await?;
        let data = self.vuln_data().await?;
        Ok(self.site_vulns(&site, &plant, rows, &data, lang))
    }

    /// The site's matches for its action plan: None while no advisories are stored (matched
    /// again first if the plant model changed).
    pub async fn vuln_for_plan(
        &self,
        who: &Who,
        site: SiteId,
        lang: &Lang,
    ) -> Result<Option<SiteVulns>> {
        if self.store().vuln_totals().await?.advisories == 0 {
            return Ok(None);
        }
        self.vuln_refresh_site(who, site).await?;
        Ok(Some(self.vuln_site(who, site, lang).await?))
    }

    fn site_vulns(
        &self,
        site: &Site,
        plant: &Plant,
        rows: Vec<MatchRow>,
        data: &VulnData,
        lang: &Lang,
    ) -> SiteVulns {
        let importances = Importances::of(plant);
        let mut targets: Vec<ZoneId> = rows
            .iter()
            .filter_map(|m| plant.asset(m.asset_id))
            .flat_map(|a| a.zones())
            .collect();
        targets.sort();
        targets.dedup();
        let reach = reach(plant, targets);
        let by_row = data
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id, i))
            .collect();
        let osv_by_row = data
            .osv_rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id, i))
            .collect();
        let labels = &self.catalog().plant.labels;
        let entry_label = |e: EntryPoint| {
            kojo_core::plant::catalog::Labels::find(&labels.entry_points, e.as_str())
                .map_or_else(|| e.as_str().to_string(), |t| lang.text(t).to_string())
        };
        let c = Context {
            data,
            plant,
            importances: &importances,
            reach: &reach,
            by_row: &by_row,
            osv_by_row: &osv_by_row,
            lang,
            entry_label: &entry_label,
        };
        let mut matches: Vec<MatchView> = rows.into_iter().filter_map(|m| view(m, &c)).collect();
        matches.sort_by(|a, b| {
            b.priority
                .score
                .cmp(&a.priority.score)
                .then_with(|| a.asset.cmp(&b.asset))
                .then_with(|| a.cve.cmp(&b.cve))
        });
        SiteVulns {
            site: site.id,
            site_name: site.name.clone(),
            unhandled: matches.iter().filter(|m| m.status.unhandled()).count(),
            matches,
        }
    }
}
