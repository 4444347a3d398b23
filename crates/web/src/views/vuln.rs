//! The vulnerability pages: a site's matches (priority, CVE, CVSS, KEV, the asset, the
//! advisory's remediation, the status form), what the last import changed, and the
//! administrators' import page.

use askama::Template;
use askama_web::WebTemplate;
use kojo_core::format;
use kojo_core::ids::{AssetId, SiteId};
use kojo_core::plant::model::{AssetStatus, Plant};
use kojo_core::vuln::priority::{MatchStatus, PriorityLevel};
use kojo_service::Lang;
use kojo_service::vuln::status::JUSTIFICATIONS;
use kojo_service::vuln::{
    ASSET_DOC_LIMIT, AssetDocView, Failure, MatchView, SiteVulns, VULN_UPLOAD_LIMIT, csaf_flag,
    failure, justification_label, level_label, remediation_label, status_label, verdict_label,
};
use kojo_storage::{ChangeRow, ImportRun, VulnTotals};

use crate::Ctx;
use crate::views::plant::forms::OptionView;

/// The page's filters and what the last action did.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct VulnQuery {
    pub asset: Option<String>,
    pub status: Option<String>,
    pub saved: Option<String>,
    pub rematched: Option<String>,
    /// The document just attached.
    pub attached: Option<String>,
    pub removed: Option<String>,
}

pub struct RemediationLine {
    pub label: &'static str,
    pub details: String,
    pub url: Option<String>,
}

pub struct MatchLine {
    pub id: String,
    pub level: &'static str,
    pub level_label: &'static str,
    pub score: u8,
    pub explanation: String,
    pub cve: String,
    pub kev: bool,
    pub kev_due: String,
    pub cvss: String,
    pub asset: String,
    pub asset_tag: String,
    pub zone: String,
    pub product: String,
    pub version: String,
    /// "Found in the SBOM component(s) …", or "".
    pub component: String,
    pub tracking_id: String,
    pub title: String,
    pub verdict: &'static str,
    pub verdict_label: &'static str,
    pub confidence: u8,
    pub why: String,
    pub remediations: Vec<RemediationLine>,
    /// "N more remediations" when some are folded.
    pub more_remediations: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub justification_label: String,
    pub statuses: Vec<OptionView>,
    pub justifications: Vec<OptionView>,
    pub owner: String,
    pub due_date: String,
    pub due_shown: String,
    pub overdue: bool,
    pub note: String,
    pub saved: bool,
}

fn options(pairs: impl Iterator<Item = (String, String)>, selected: &str) -> Vec<OptionView> {
    pairs
        .map(|(value, label)| OptionView {
            selected: value == selected,
            value,
            label,
        })
        .collect()
}

/// Remediations shown before the rest is folded.
pub const REMEDIATIONS_SHOWN: usize = 2;

/// The advisory's remediations, the vendor's fix first.
fn sorted(r: &[kojo_service::vuln::RemediationView]) -> Vec<&kojo_service::vuln::RemediationView> {
    use kojo_core::vuln::advisory::RemediationCategory as C;
    let rank = |c: C| match c {
        C::VendorFix => 0,
        C::Workaround => 1,
        C::Mitigation => 2,
        C::NoFixPlanned | C::NoneAvailable => 3,
    };
    let mut out: Vec<_> = r.iter().collect();
    out.sort_by_key(|x| rank(x.category));
    out
}

/// The remediations to show, and "N more" when some are folded.
fn remediation_lines(m: &MatchView, lang: &Lang) -> (Vec<RemediationLine>, String) {
    let t = lang.t;
    let lines = sorted(&m.remediations)
        .into_iter()
        .map(|r| RemediationLine {
            label: remediation_label(r.category, lang),
            details: r.details.clone(),
            url: r.url.clone().filter(|u| u.starts_with("https://")),
        })
        .collect();
    let more = if m.remediations.len() > REMEDIATIONS_SHOWN {
        t.fill(
            t.vuln_more_remediations,
            &[("n", &(m.remediations.len() - REMEDIATIONS_SHOWN))],
        )
    } else {
        String::new()
    };
    (lines, more)
}

impl MatchLine {
    pub fn new(m: &MatchView, lang: &Lang, today: &str, saved: &str) -> MatchLine {
        let t = lang.t;
        let justification = m.justification.as_deref().unwrap_or("");
        // A CycloneDX justification (from a VEX) preselects its CSAF label, so that the form
        // saves as it shows.
        let selected_justification: &str =
            match kojo_core::vuln::advisory::Justification::parse(justification) {
                Some(j) => csaf_flag(j),
                None => justification,
            };
        let statuses = options(
            MatchStatus::ALL
                .iter()
                .map(|s| (s.as_str().to_string(), status_label(*s, lang).to_string())),
            m.status.as_str(),
        );
        let justifications = options(
            std::iter::once((String::new(), "—".to_string())).chain(JUSTIFICATIONS.iter().map(
                |j| {
                    (
                        j.as_str().to_string(),
                        justification_label(*j, lang).to_string(),
                    )
                },
            )),
            selected_justification,
        );
        let due = m.due_date.clone().unwrap_or_default();
        let (remediations, more_remediations) = remediation_lines(m, lang);
        MatchLine {
            id: m.id.to_string(),
            level: m.priority.level.as_str(),
            level_label: level_label(m.priority.level, lang),
            score: m.priority.score,
            explanation: m.explanation.clone(),
            cve: m.cve.clone(),
            kev: m.kev,
            kev_due: m.kev_due.map_or_else(String::new, |d| {
                t.fill(
                    t.vuln_kev_due,
                    &[("date", &format::iso_date(&d.iso(), lang.locale))],
                )
            }),
            cvss: m
                .cvss
                .map_or_else(|| t.vuln_cvss_unknown.to_string(), |s| format!("{s:.1}")),
            asset: m.asset.clone(),
            asset_tag: m.asset_tag.clone(),
            zone: m.zone.clone(),
            product: [m.vendor.as_str(), m.product.as_str()]
                .join(" ")
                .trim()
                .to_string(),
            version: m.version.clone(),
            component: if m.component.is_empty() {
                String::new()
            } else {
                t.fill(t.vuln_component_found, &[("components", &m.component)])
            },
            tracking_id: m.tracking_id.clone(),
            title: m.title.clone(),
            verdict: m.verdict.as_str(),
            verdict_label: verdict_label(m.verdict, lang),
            confidence: m.confidence,
            why: m.why.clone(),
            remediations,
            more_remediations,
            status: m.status.as_str(),
            status_label: status_label(m.status, lang),
            justification_label: kojo_core::vuln::advisory::Justification::parse(justification)
                .map(|j| justification_label(j, lang).to_string())
                .unwrap_or_default(),
            statuses,
            justifications,
            overdue: m.status.unhandled() && !due.is_empty() && due.as_str() < today,
            due_shown: format::iso_date(&due, lang.locale),
            due_date: due,
            owner: m.owner.clone(),
            note: m.note.clone(),
            saved: saved == m.id.to_string(),
        }
    }
}

/// Matches shown on the plan.
pub const PLAN_SHOWN: usize = 10;

/// The site's unhandled matches on the action plan (highest priority first).
#[derive(Default)]
pub struct PlanVulns {
    pub lines: Vec<MatchLine>,
    pub more: String,
    pub total: usize,
}

impl PlanVulns {
    pub fn new(v: Option<&SiteVulns>, lang: &Lang) -> PlanVulns {
        let Some(v) = v else {
            return PlanVulns::default();
        };
        let today = kojo_service::plant::today()
            .map(|d| d.iso())
            .unwrap_or_default();
        let open: Vec<&MatchView> = v.matches.iter().filter(|m| m.status.unhandled()).collect();
        let t = lang.t;
        PlanVulns {
            lines: open
                .iter()
                .take(PLAN_SHOWN)
                .map(|m| MatchLine::new(m, lang, &today, ""))
                .collect(),
            more: if open.len() > PLAN_SHOWN {
                t.fill(t.vuln_plan_more, &[("n", &(open.len() - PLAN_SHOWN))])
            } else {
                String::new()
            },
            total: open.len(),
        }
    }
}

pub struct ChangeLine {
    pub change: &'static str,
    pub asset: String,
    pub cve: String,
    pub tracking_id: String,
}

impl ChangeLine {
    fn new(c: &ChangeRow, t: &'static kojo_i18n::Msg) -> ChangeLine {
        ChangeLine {
            change: match c.change.as_str() {
                "new" => t.vuln_change_new,
                "revised" => t.vuln_change_revised,
                _ => t.vuln_change_gone,
            },
            asset: c.asset_name.clone(),
            cve: c.cve.clone(),
            tracking_id: c.tracking_id.clone(),
        }
    }
}

/// The filter's choices: the assets with matches, and the statuses.
fn filters(
    v: &SiteVulns,
    asset: Option<AssetId>,
    status: &str,
    lang: &Lang,
) -> (Vec<OptionView>, Vec<OptionView>) {
    let t = lang.t;
    let mut assets: Vec<(String, String)> = v
        .matches
        .iter()
        .map(|m| (m.asset_id.to_string(), m.asset.clone()))
        .collect();
    assets.sort_by(|a, b| a.1.cmp(&b.1));
    assets.dedup();
    let chosen = asset.map(|a| a.to_string()).unwrap_or_default();
    let assets = options(
        std::iter::once((String::new(), t.vuln_filter_all.to_string())).chain(assets),
        &chosen,
    );
    let statuses = options(
        [
            (String::new(), t.vuln_filter_all.to_string()),
            ("unhandled".to_string(), t.vuln_filter_unhandled.to_string()),
        ]
        .into_iter()
        .chain(
            MatchStatus::ALL
                .iter()
                .map(|s| (s.as_str().to_string(), status_label(*s, lang).to_string())),
        ),
        status,
    );
    (assets, statuses)
}

#[derive(Template, WebTemplate)]
#[template(path = "vuln.html")]
pub struct VulnPage {
    pub ctx: Ctx,
    pub site_id: SiteId,
    pub site: String,
    pub has_advisories: bool,
    pub has_matches: bool,
    pub ops8: String,
    pub summary: String,
    pub notice: String,
    pub assets: Vec<OptionView>,
    pub status_filter: Vec<OptionView>,
    pub filtered: bool,
    pub showing: String,
    pub matches: Vec<MatchLine>,
    pub changes: Vec<ChangeLine>,
    pub changes_summary: String,
    pub docs: Vec<DocLine>,
    /// The site's active assets, for the attach form.
    pub doc_assets: Vec<OptionView>,
    pub doc_limit: String,
}

/// An SBOM or VEX document attached to an asset.
pub struct DocLine {
    pub id: String,
    pub asset: String,
    pub file_name: String,
    pub format: String,
    pub counts: String,
    pub uploaded: String,
    pub just_attached: bool,
}

/// How many matches have each level.
fn level_counts(v: &SiteVulns) -> [usize; 4] {
    let mut n = [0; 4];
    for m in &v.matches {
        let i = match m.priority.level {
            PriorityLevel::Urgent => 0,
            PriorityLevel::High => 1,
            PriorityLevel::Medium => 2,
            PriorityLevel::Low => 3,
        };
        n[i] += 1;
    }
    n
}

impl VulnPage {
    pub fn new(
        ctx: Ctx,
        v: SiteVulns,
        changes: &[ChangeRow],
        totals: VulnTotals,
        q: &VulnQuery,
    ) -> VulnPage {
        let lang = ctx.lang();
        let t = ctx.t;
        let asset: Option<AssetId> = q.asset.as_deref().and_then(|a| a.parse().ok());
        let status = q.status.clone().unwrap_or_default();
        let today = kojo_service::plant::today()
            .map(|d| d.iso())
            .unwrap_or_default();
        let saved = q.saved.clone().unwrap_or_default();
        let [urgent, high, medium, low] = level_counts(&v);
        let (assets, status_filter) = filters(&v, asset, &status, &lang);
        let keep = |m: &&MatchView| {
            asset.is_none_or(|a| m.asset_id == a)
                && match status.as_str() {
                    "" => true,
                    "unhandled" => m.status.unhandled(),
                    s => m.status.as_str() == s,
                }
        };
        let matches: Vec<MatchLine> = v
            .matches
            .iter()
            .filter(keep)
            .map(|m| MatchLine::new(m, &lang, &today, &saved))
            .collect();
        let total = v.matches.len();
        let notice = match (&q.saved, q.rematched.as_deref()) {
            (Some(_), _) => t.vuln_saved.to_string(),
            (None, Some(r)) => {
                let (new, gone) = r.split_once('-').unwrap_or((r, "0"));
                t.fill(t.vuln_rematched, &[("new", &new), ("gone", &gone)])
            }
            _ => String::new(),
        };
        VulnPage {
            site_id: v.site,
            site: v.site_name.clone(),
            has_advisories: totals.advisories > 0,
            has_matches: total > 0,
            ops8: t.fill(t.vuln_ops8, &[("n", &v.unhandled)]),
            summary: t.fill(
                t.vuln_summary,
                &[
                    ("n", &total),
                    ("urgent", &urgent),
                    ("high", &high),
                    ("medium", &medium),
                    ("low", &low),
                ],
            ),
            notice,
            filtered: asset.is_some() || !status.is_empty(),
            showing: t.fill(
                t.vuln_showing,
                &[("shown", &matches.len()), ("total", &total)],
            ),
            assets,
            status_filter,
            matches,
            changes_summary: {
                let n = |kind: &str| changes.iter().filter(|c| c.change == kind).count();
                t.fill(
                    t.vuln_changes_counts,
                    &[
                        ("new", &n("new")),
                        ("revised", &n("revised")),
                        ("gone", &n("gone")),
                    ],
                )
            },
            changes: changes.iter().map(|c| ChangeLine::new(c, t)).collect(),
            docs: Vec::new(),
            doc_assets: Vec::new(),
            doc_limit: format!("{} MB", ASSET_DOC_LIMIT >> 20),
            ctx,
        }
    }

    /// The attached SBOM and VEX documents and the form to attach one.
    pub fn with_documents(mut self, docs: &[AssetDocView], plant: &Plant, q: &VulnQuery) -> Self {
        let lang = self.ctx.lang();
        let t = self.ctx.t;
        let name = |id: AssetId| plant.asset(id).map(|a| a.name.clone()).unwrap_or_default();
        let attached = q.attached.clone().unwrap_or_default();
        self.docs = docs
            .iter()
            .map(|d| DocLine {
                id: d.id.to_string(),
                asset: name(d.asset_id),
                file_name: d.file_name.clone(),
                format: d.format.clone(),
                counts: t.fill(
                    t.vuln_doc_counts,
                    &[("components", &d.components), ("statements", &d.statements)],
                ),
                uploaded: format::datetime(d.uploaded_at, lang.locale),
                just_attached: attached == d.id.to_string(),
            })
            .collect();
        let mut assets: Vec<(String, String)> = plant
            .assets
            .iter()
            .filter(|a| a.status != AssetStatus::Retired)
            .map(|a| {
                let label = if a.tag.is_empty() {
                    a.name.clone()
                } else {
                    format!("{} ({})", a.name, a.tag)
                };
                (a.id.to_string(), label)
            })
            .collect();
        assets.sort_by(|a, b| a.1.cmp(&b.1));
        self.doc_assets = options(assets.into_iter(), "");
        if let Some(d) = self.docs.iter().find(|d| d.just_attached) {
            self.notice = t.fill(
                t.vuln_doc_attached,
                &[
                    ("file", &d.file_name),
                    ("asset", &d.asset),
                    ("counts", &d.counts),
                ],
            );
        } else if q.removed.is_some() {
            self.notice = t.vuln_doc_removed.to_string();
        }
        self
    }
}

pub struct RunLine {
    pub id: String,
    pub text: String,
    pub failures: Vec<String>,
    pub failures_title: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_vuln.html")]
pub struct VulnAdminPage {
    pub ctx: Ctx,
    pub totals: String,
    pub file_help: String,
    pub runs: Vec<RunLine>,
}

impl VulnAdminPage {
    pub fn new(ctx: Ctx, totals: VulnTotals, runs: &[ImportRun]) -> VulnAdminPage {
        let lang = ctx.lang();
        let t = ctx.t;
        let runs = runs
            .iter()
            .map(|r| {
                let failures: Vec<Failure> = failure::stored(&r.failures);
                RunLine {
                    id: r.id.to_string(),
                    text: t.fill(
                        t.vuln_admin_run,
                        &[
                            ("at", &format::datetime(r.at, ctx.locale)),
                            ("actor", &r.actor),
                            ("files", &r.files),
                            ("new", &r.advisories_new),
                            ("revised", &r.advisories_revised),
                            ("unchanged", &r.advisories_unchanged),
                            ("kev", &r.kev_entries),
                        ],
                    ),
                    failures_title: t.fill(t.vuln_admin_failures, &[("n", &failures.len())]),
                    failures: failures.iter().map(|f| f.message(&lang)).collect(),
                }
            })
            .collect();
        VulnAdminPage {
            totals: t.fill(
                t.vuln_admin_totals,
                &[
                    ("advisories", &totals.advisories),
                    ("revisions", &totals.revisions),
                    ("cves", &totals.cves),
                    ("products", &totals.products),
                    ("kev", &totals.kev),
                ],
            ),
            file_help: t.fill(
                t.vuln_admin_file_help,
                &[("limit", &format!("{} MiB", VULN_UPLOAD_LIMIT >> 20))],
            ),
            runs,
            ctx,
        }
    }
}
