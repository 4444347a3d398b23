//! Exports of a site's matches: a workbook for the factory (one row per match, highest priority
//! first) and a CSAF 2.0 VEX document of the factory's statuses for its suppliers and customers
//! (products are the site's assets; "not affected" carries its justification as a flag).

use kojo_core::vuln::advisory::Justification;
use kojo_core::vuln::matching::Verdict;
use kojo_core::vuln::priority::MatchStatus;
use kojo_formats::tables_xlsx::{Cell, SheetTable, write};
use serde_json::{Value, json};

use super::view::{SiteVulns, level_label, remediation_label, status_label};
use crate::{Error, Lang, Result};

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// The matches as an xlsx workbook (one sheet).
pub fn xlsx_of_matches(v: &SiteVulns, lang: &Lang) -> Result<Vec<u8>> {
    let t = lang.t;
    let header: Vec<String> = [
        t.vuln_col_priority,
        t.vuln_col_score,
        t.vuln_col_asset,
        t.vuln_col_zone,
        t.vuln_col_product,
        t.vuln_col_version,
        t.vuln_col_advisory,
        t.vuln_col_cve,
        t.vuln_col_cvss,
        t.vuln_col_kev,
        t.vuln_col_verdict,
        t.vuln_col_confidence,
        t.vuln_col_remediation,
        t.vuln_col_status,
        t.vuln_col_owner,
        t.vuln_col_due,
        t.vuln_col_explanation,
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect();
    let rows = v
        .matches
        .iter()
        .map(|m| {
            vec![
                text(level_label(m.priority.level, lang)),
                Cell::Number(f64::from(m.priority.score)),
                text(&m.asset),
                text(&m.zone),
                text(format!("{} {}", m.vendor, m.product).trim()),
                text(&m.version),
                text(format!("{} {}", m.tracking_id, m.title)),
                text(&m.cve),
                m.cvss.map_or(Cell::Empty, Cell::Number),
                text(if m.kev { t.vuln_kev_yes } else { "" }),
                text(verdict_label(m.verdict, lang)),
                Cell::Number(f64::from(m.confidence) / 100.0),
                text(
                    m.remediations
                        .iter()
                        .map(|r| format!("[{}] {}", remediation_label(r.category, lang), r.details))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                text(status_label(m.status, lang)),
                text(&m.owner),
                text(m.due_date.clone().unwrap_or_default()),
                text(&m.explanation),
            ]
        })
        .collect();
    let sheet = SheetTable {
        name: t.vuln_sheet.to_string(),
        header,
        rows,
        charts: Vec::new(),
    };
    write(&[sheet]).map_err(|e| Error::Internal(e.to_string()))
}

pub fn verdict_label(v: Verdict, lang: &Lang) -> &'static str {
    let t = lang.t;
    match v {
        Verdict::Affected => t.vuln_verdict_affected,
        Verdict::NeedsChecking => t.vuln_verdict_check,
        Verdict::NotAffected => t.vuln_verdict_not_affected,
    }
}

/// The CSAF flag label for a justification (CycloneDX's values mapped to the nearest): what the
/// VEX export writes and what the status form preselects for a match a CycloneDX VEX closed.
pub fn csaf_flag(j: Justification) -> &'static str {
    use Justification as J;
    match j {
        J::ComponentNotPresent => "component_not_present",
        J::VulnerableCodeNotPresent | J::CodeNotPresent => "vulnerable_code_not_present",
        J::VulnerableCodeNotInExecutePath | J::CodeNotReachable => {
            "vulnerable_code_not_in_execute_path"
        }
        J::VulnerableCodeCannotBeControlledByAdversary
        | J::RequiresConfiguration
        | J::RequiresDependency
        | J::RequiresEnvironment => "vulnerable_code_cannot_be_controlled_by_adversary",
        J::InlineMitigationsAlreadyExist
        | J::ProtectedByCompiler
        | J::ProtectedAtRuntime
        | J::ProtectedAtPerimeter
        | J::ProtectedByMitigatingControl => "inline_mitigations_already_exist",
    }
}

/// The factory's statuses as a CSAF 2.0 VEX document (`csaf_vex` profile). `now` is the
/// release date-time (RFC 3339), `publisher` the factory's company.
pub fn vex_document(v: &SiteVulns, publisher: &str, now: &str) -> Value {
    let mut products = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for m in &v.matches {
        if seen.insert(m.asset_id) {
            products.push(json!({
                "name": format!("{} {} {}", m.vendor, m.product, m.version).trim().to_string(),
                "product_id": format!("ASSET-{}", m.asset_id),
            }));
        }
    }
    let mut by_cve: std::collections::BTreeMap<&str, Vec<&super::MatchView>> = Default::default();
    for m in &v.matches {
        by_cve.entry(m.cve.as_str()).or_default().push(m);
    }
    let vulnerabilities: Vec<Value> = by_cve
        .into_iter()
        .map(|(cve, ms)| vex_vulnerability(cve, &ms))
        .collect();
    json!({
        "document": {
            "category": "csaf_vex",
            "csaf_version": "2.0",
            "title": format!("{}: VEX", v.site_name),
            "publisher": {"category": "user", "name": publisher, "namespace": "https://kojo.invalid/"},
            "tracking": {
                "id": format!("KOJO-VEX-{}-{}", v.site, now.get(..10).unwrap_or(now)),
                "status": "final",
                "version": "1",
                "initial_release_date": now,
                "current_release_date": now,
                "revision_history": [{"date": now, "number": "1", "summary": "kojo export"}],
            },
        },
        "product_tree": {"full_product_names": products},
        "vulnerabilities": vulnerabilities,
    })
}

fn vex_vulnerability(cve: &str, ms: &[&super::MatchView]) -> Value {
    let ids = |pred: &dyn Fn(&super::MatchView) -> bool| -> Vec<String> {
        ms.iter()
            .filter(|m| pred(m))
            .map(|m| format!("ASSET-{}", m.asset_id))
            .collect()
    };
    let mut status = serde_json::Map::new();
    let groups = [
        (
            "known_not_affected",
            ids(&|m| m.status == MatchStatus::NotAffected),
        ),
        ("fixed", ids(&|m| m.status == MatchStatus::Done)),
        (
            "known_affected",
            ids(&|m| m.status.unhandled() && m.verdict == Verdict::Affected),
        ),
        (
            "under_investigation",
            ids(&|m| m.status.unhandled() && m.verdict != Verdict::Affected),
        ),
    ];
    for (k, list) in groups {
        if !list.is_empty() {
            status.insert(k.into(), json!(list));
        }
    }
    let flags: Vec<Value> = ms
        .iter()
        .filter(|m| m.status == MatchStatus::NotAffected)
        .filter_map(|m| {
            let j = m.justification.as_deref().and_then(Justification::parse)?;
            Some(json!({"label": csaf_flag(j), "product_ids": [format!("ASSET-{}", m.asset_id)]}))
        })
        .collect();
    let threats: Vec<Value> = ms
        .iter()
        .filter(|m| m.status.unhandled() && m.verdict == Verdict::Affected)
        .map(|m| {
            json!({"category": "impact", "details": m.title, "product_ids": [format!("ASSET-{}", m.asset_id)]})
        })
        .collect();
    let mut v = json!({"product_status": status});
    if cve.starts_with("CVE-") {
        v["cve"] = json!(cve);
    } else {
        v["ids"] = json!([{"system_name": "kojo", "text": cve}]);
    }
    if !flags.is_empty() {
        v["flags"] = json!(flags);
    }
    if !threats.is_empty() {
        v["threats"] = json!(threats);
    }
    v
}

impl crate::Service {
    /// The site's matches as a workbook, with its file name.
    pub async fn vuln_workbook(
        &self,
        who: &crate::Who,
        site: kojo_core::ids::SiteId,
        lang: &Lang,
    ) -> Result<(String, Vec<u8>)> {
        let v = self.vuln_site(who, site, lang).await?;
        let bytes = xlsx_of_matches(&v, lang)?;
        Ok((format!("{}_{}.xlsx", lang.t.vuln_sheet, v.site_name), bytes))
    }

    /// The site's statuses as a CSAF VEX document, with its file name.
    pub async fn vuln_vex(
        &self,
        who: &crate::Who,
        site: kojo_core::ids::SiteId,
        lang: &Lang,
    ) -> Result<(String, Vec<u8>)> {
        let v = self.vuln_site(who, site, lang).await?;
        let now = crate::plant::today()?.iso() + "T00:00:00Z";
        let doc = vex_document(&v, &v.site_name, &now);
        let bytes = serde_json::to_vec_pretty(&doc).map_err(|e| Error::Internal(e.to_string()))?;
        Ok((format!("vex_{}.json", v.site_name), bytes))
    }
}
