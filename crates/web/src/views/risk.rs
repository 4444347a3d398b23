//! The risk analysis page: the rule set used, the attack routes as IPA lays them out
//! (侵入口 → 攻撃拠点 → 攻撃対象), highest risk first and a page at a time, the attack tree of one
//! target zone, and the asset-based table.

use askama::Template;
use askama_web::WebTemplate;
use kojo_content::Catalog;
use kojo_core::ids::{SiteId, ZoneId};
use kojo_core::plant::Subject;
use kojo_core::plant::catalog::Labels;
use kojo_core::plant::model::Plant;
use kojo_core::plant::routes::{EntryPoint, Route};
use kojo_core::risk::{Level, RouteRisk, RuleSet};
use kojo_service::plant::{MAX_HOPS_LIMIT, PlantAnalysis};
use serde::Deserialize;

use crate::Ctx;
use crate::views::plant::forms::{OptionView, label};

/// Routes per page.
pub const PAGE_SIZE: usize = 25;
/// Assets listed in the asset-based table.
pub const ASSETS_SHOWN: usize = 50;
/// Routes shown per entry point in the attack tree.
const TREE_ROUTES: usize = 5;

/// The page's query: the analysis options, the page of routes and the attack tree's target.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RiskQuery {
    pub rules: Option<String>,
    pub min_importance: Option<String>,
    pub max_hops: Option<String>,
    pub page: Option<String>,
    pub target: Option<String>,
}

pub struct MeasureView {
    pub label: &'static str,
    pub met: bool,
    pub items: String,
}

pub struct HopView {
    pub conduits: String,
    pub zone: String,
}

pub struct RouteView {
    pub rank: usize,
    pub entry: String,
    pub foothold: String,
    pub via: String,
    pub hops: Vec<HopView>,
    pub target: String,
    pub target_zone: String,
    pub processes: String,
    pub threat: u8,
    pub vulnerability: u8,
    pub importance: u8,
    pub value: u8,
    pub level: &'static str,
    pub level_label: String,
    pub conduit_points: String,
    pub measures: Vec<MeasureView>,
}

pub struct TreeRoute {
    pub value: u8,
    pub level: &'static str,
    pub level_label: String,
    pub steps: Vec<String>,
}

pub struct TreeEntry {
    pub entry: String,
    pub routes: Vec<TreeRoute>,
    pub more: Option<String>,
}

pub struct AssetRiskView {
    pub name: String,
    pub zone: String,
    pub importance: u8,
    pub threat: u8,
    pub vulnerability: u8,
    pub value: u8,
    pub level: &'static str,
    pub level_label: String,
}

pub struct BandCount {
    pub level: &'static str,
    pub text: String,
}

/// The analysis options as the form offers them, with the current ones chosen.
pub struct Settings {
    pub rule_options: Vec<OptionView>,
    pub min_options: Vec<OptionView>,
    pub hop_options: Vec<OptionView>,
    /// The current options, for the attack tree's form.
    pub hidden: Vec<(&'static str, String)>,
}

/// The rule set used and where the measures in place come from.
pub struct Method {
    pub title: String,
    pub source: String,
    pub verified: bool,
    pub reconstructed: Option<String>,
    pub measures_note: String,
}

/// One page of routes, highest risk first.
pub struct RouteList {
    pub routes: Vec<RouteView>,
    pub showing: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

/// The asset-based table (the highest risks first, at most [`ASSETS_SHOWN`]).
pub struct AssetTable {
    pub rows: Vec<AssetRiskView>,
    pub showing: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "risk.html")]
pub struct RiskPage {
    pub ctx: Ctx,
    pub site: String,
    pub site_id: SiteId,
    pub settings: Settings,
    pub method: Method,
    pub summary: String,
    pub targets: String,
    pub bands: Vec<BandCount>,
    pub list: RouteList,
    pub tree_options: Vec<OptionView>,
    pub tree_target: Option<String>,
    pub tree: Vec<TreeEntry>,
    pub assets: AssetTable,
    /// The workbook of this analysis (same options).
    pub xlsx_href: String,
}

/// What the page needs to name things.
struct Names<'a> {
    ctx: &'a Ctx,
    labels: &'a Labels,
    plant: &'a Plant,
    rules: &'a RuleSet,
}

impl Names<'_> {
    fn zone(&self, id: ZoneId) -> String {
        self.plant
            .zone(id)
            .map_or_else(String::new, |z| z.name.clone())
    }

    fn entry(&self, e: EntryPoint) -> String {
        label(&self.labels.entry_points, e.as_str(), self.ctx)
    }

    fn band(&self, level: Level) -> String {
        self.rules
            .bands
            .iter()
            .find(|b| b.level == level)
            .map_or_else(
                || level.as_str().to_string(),
                |b| b.label.get(self.ctx.locale).to_string(),
            )
    }

    fn subject(&self, s: &Subject) -> String {
        match s {
            Subject::Zone(z) => self.zone(*z),
            Subject::Asset(a) => self
                .plant
                .asset(*a)
                .map_or_else(String::new, |a| a.name.clone()),
            Subject::Conduit(c) => self.plant.conduit(*c).map_or_else(String::new, |c| {
                crate::views::plant::forms::conduit_name(self.plant, c, self.labels, self.ctx)
            }),
        }
    }

    fn sep(&self) -> &'static str {
        if self.ctx.locale == kojo_core::Locale::Ja {
            "、"
        } else {
            ", "
        }
    }

    fn conduits(&self, ids: &[kojo_core::ids::ConduitId]) -> String {
        ids.iter()
            .map(|c| self.subject(&Subject::Conduit(*c)))
            .collect::<Vec<_>>()
            .join(self.sep())
    }

    /// The target asset's name and the names of its processes.
    fn target(&self, r: &RouteRisk) -> (String, String) {
        let Some(asset) = r.target.and_then(|a| self.plant.asset(a)) else {
            return (String::new(), String::new());
        };
        let processes = asset
            .processes
            .iter()
            .filter_map(|p| self.plant.process(*p))
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(self.sep());
        (asset.name.clone(), processes)
    }
}

/// The query string of the page with `page` and `target` changed.
fn link(site: SiteId, q: &RiskQuery, page: usize, target: Option<&str>) -> String {
    let mut parts: Vec<(&str, String)> = Vec::new();
    for (name, value) in [
        ("rules", &q.rules),
        ("min_importance", &q.min_importance),
        ("max_hops", &q.max_hops),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            parts.push((name, v.to_string()));
        }
    }
    if page > 1 {
        parts.push(("page", page.to_string()));
    }
    if let Some(t) = target {
        parts.push(("target", t.to_string()));
    }
    let query: Vec<String> = parts
        .iter()
        .map(|(k, v)| format!("{k}={}", crate::error::urlencode(v)))
        .collect();
    if query.is_empty() {
        format!("/sites/{site}/risk")
    } else {
        format!("/sites/{site}/risk?{}", query.join("&"))
    }
}

fn options(values: Vec<(String, String)>, current: &str) -> Vec<OptionView> {
    values
        .into_iter()
        .map(|(value, label)| OptionView {
            selected: value == current,
            value,
            label,
        })
        .collect()
}

impl RiskPage {
    pub fn new(ctx: Ctx, catalog: &Catalog, a: &PlantAnalysis, q: &RiskQuery) -> RiskPage {
        let t = ctx.t;
        let n = Names {
            ctx: &ctx,
            labels: &catalog.plant.labels,
            plant: &a.plant,
            rules: a.rules,
        };
        let order = kojo_service::risk_report::ranked(&a.route_risks);
        let target = tree_target(a, &order, q.target.as_deref());
        let target_code = target.map(|z| z.to_string());
        let list = route_list(&n, catalog, a, q, &order, target_code.as_deref());
        let bands = a
            .rules
            .bands
            .iter()
            .rev()
            .map(|b| {
                let count = a.route_risks.iter().filter(|r| r.level == b.level).count();
                let band = b.label.get(ctx.locale);
                BandCount {
                    level: b.level.as_str(),
                    text: t.fill(t.risk_band_count, &[("band", &band), ("n", &count)]),
                }
            })
            .collect();
        let tree_options = a
            .search
            .targets
            .iter()
            .map(|z| (z.to_string(), n.zone(*z)))
            .collect();
        RiskPage {
            settings: settings(&ctx, catalog, a, q),
            method: method(&ctx, a),
            summary: ctx.fill(t.risk_summary, "n", order.len()),
            targets: ctx.fill(t.risk_targets, "n", a.search.targets.len()),
            bands,
            list,
            tree_options: options(tree_options, target_code.as_deref().unwrap_or("")),
            tree_target: target.map(|z| n.zone(z)),
            tree: target.map(|z| tree(&n, a, z)).unwrap_or_default(),
            assets: asset_table(&n, a),
            xlsx_href: format!(
                "/sites/{}/risk.xlsx?rules={}&min_importance={}&max_hops={}",
                a.site.id,
                crate::error::urlencode(&a.rules.id),
                crate::error::urlencode(q.min_importance.as_deref().unwrap_or("")),
                a.search.max_hops
            ),
            site: a.site.name.clone(),
            site_id: a.site.id,
            ctx,
        }
    }
}

fn settings(ctx: &Ctx, catalog: &Catalog, a: &PlantAnalysis, q: &RiskQuery) -> Settings {
    let t = ctx.t;
    let rules = a.rules.id.clone();
    let min = q.min_importance.clone().unwrap_or_else(|| "3".into());
    let hops = a.search.max_hops.to_string();
    let rule_list = catalog
        .risk_rules
        .iter()
        .map(|r| (r.id.clone(), r.title.get(ctx.locale).to_string()))
        .collect();
    let mins = vec![
        ("3".into(), t.risk_min_3.to_string()),
        ("2".into(), t.risk_min_2.to_string()),
    ];
    let hop_list = (1..=MAX_HOPS_LIMIT)
        .map(|h| (h.to_string(), h.to_string()))
        .collect();
    Settings {
        rule_options: options(rule_list, &rules),
        min_options: options(mins, &min),
        hop_options: options(hop_list, &hops),
        hidden: vec![
            ("rules", rules),
            ("min_importance", min),
            ("max_hops", hops),
        ],
    }
}

fn method(ctx: &Ctx, a: &PlantAnalysis) -> Method {
    let l = ctx.locale;
    Method {
        title: a.rules.title.get(l).to_string(),
        source: a.rules.source.get(l).to_string(),
        verified: a.rules.verified,
        reconstructed: a.rules.reconstructed.as_ref().map(|r| r.get(l).to_string()),
        measures_note: measures_note(ctx, a),
    }
}

/// The page of routes the query asks for (the last one when it asks for more).
fn route_list(
    n: &Names,
    catalog: &Catalog,
    a: &PlantAnalysis,
    q: &RiskQuery,
    order: &[usize],
    target: Option<&str>,
) -> RouteList {
    let t = n.ctx.t;
    let pages = order.len().div_ceil(PAGE_SIZE).max(1);
    let page = q
        .page
        .as_deref()
        .and_then(|p| p.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, pages);
    let first = (page - 1) * PAGE_SIZE;
    let routes: Vec<RouteView> = order
        .iter()
        .enumerate()
        .skip(first)
        .take(PAGE_SIZE)
        .filter_map(|(rank, i)| route_view(n, catalog, a, &a.route_risks[*i], rank + 1))
        .collect();
    let showing = t.fill(
        t.risk_showing,
        &[
            ("from", &(first + usize::from(!routes.is_empty()))),
            ("to", &(first + routes.len())),
            ("total", &order.len()),
        ],
    );
    let site = a.site.id;
    RouteList {
        routes,
        showing,
        prev: (page > 1).then(|| link(site, q, page - 1, target)),
        next: (page < pages).then(|| link(site, q, page + 1, target)),
    }
}

fn asset_table(n: &Names, a: &PlantAnalysis) -> AssetTable {
    let mut assets: Vec<&kojo_core::risk::AssetRisk> = a.asset_risks.iter().collect();
    assets.sort_by_key(|r| {
        (
            std::cmp::Reverse(r.value),
            std::cmp::Reverse(r.importance),
            r.asset,
        )
    });
    let rows: Vec<AssetRiskView> = assets
        .iter()
        .take(ASSETS_SHOWN)
        .filter_map(|r| {
            let asset = a.plant.asset(r.asset)?;
            Some(AssetRiskView {
                name: asset.name.clone(),
                zone: asset.zone.map(|z| n.zone(z)).unwrap_or_default(),
                importance: r.importance,
                threat: r.threat,
                vulnerability: r.vulnerability,
                value: r.value,
                level: r.level.as_str(),
                level_label: n.band(r.level),
            })
        })
        .collect();
    let t = n.ctx.t;
    let showing = t.fill(
        t.risk_assets_showing,
        &[("shown", &rows.len()), ("total", &assets.len())],
    );
    AssetTable { rows, showing }
}

fn measures_note(ctx: &Ctx, a: &PlantAnalysis) -> String {
    let t = ctx.t;
    match &a.assessment {
        Some(s) => {
            let status = if s.is_complete() {
                t.assess_status_complete
            } else {
                t.assess_status_draft
            };
            t.fill(
                t.risk_measures_from,
                &[
                    ("date", &kojo_core::format::date(s.created_at, ctx.locale)),
                    ("status", &status),
                ],
            )
        }
        None => t.risk_measures_none.to_string(),
    }
}

fn route_view(
    n: &Names,
    catalog: &Catalog,
    a: &PlantAnalysis,
    r: &RouteRisk,
    rank: usize,
) -> Option<RouteView> {
    let t = n.ctx.t;
    let route = a.routes.get(r.index)?;
    let (target, processes) = n.target(r);
    let via: Vec<String> = route.foothold.via.iter().map(|s| n.subject(s)).collect();
    let threat = catalog.plant.threat(r.entry);
    let items = |list: Option<&Vec<String>>| list.map(|l| l.join(", ")).unwrap_or_default();
    Some(RouteView {
        rank,
        entry: n.entry(r.entry),
        foothold: n.zone(route.foothold.zone),
        via: if via.is_empty() {
            String::new()
        } else {
            n.ctx.fill(t.risk_via, "via", via.join(n.sep()))
        },
        hops: route
            .steps()
            .map(|(conduits, zone)| HopView {
                conduits: n.conduits(conduits),
                zone: n.zone(zone),
            })
            .collect(),
        target,
        target_zone: n.zone(r.target_zone),
        processes: if processes.is_empty() {
            processes
        } else {
            n.ctx.fill(t.risk_processes, "list", processes)
        },
        threat: r.threat,
        vulnerability: r.vulnerability,
        importance: r.importance,
        value: r.value,
        level: r.level.as_str(),
        level_label: n.band(r.level),
        conduit_points: n.ctx.fill(t.risk_conduit_points, "n", r.measures.conduits),
        measures: vec![
            MeasureView {
                label: t.risk_protect,
                met: r.measures.protect,
                items: items(threat.map(|x| &x.protect)),
            },
            MeasureView {
                label: t.risk_detect,
                met: r.measures.detect,
                items: items(threat.map(|x| &x.detect)),
            },
            MeasureView {
                label: t.risk_recover,
                met: r.measures.recover,
                items: items(threat.map(|x| &x.recover)),
            },
        ],
    })
}

/// The zone whose attack tree is shown: the one asked for if it is a target, else the target of
/// the highest-risk route.
fn tree_target(a: &PlantAnalysis, order: &[usize], asked: Option<&str>) -> Option<ZoneId> {
    let asked = asked
        .and_then(|z| z.trim().parse::<ZoneId>().ok())
        .filter(|z| a.search.targets.contains(z));
    asked.or_else(|| order.first().map(|i| a.route_risks[*i].target_zone))
}

/// The steps of one route, in words.
fn steps(n: &Names, route: &Route, r: &RouteRisk) -> Vec<String> {
    let t = n.ctx.t;
    let mut out = vec![t.fill(
        t.risk_step_enter,
        &[
            ("entry", &n.entry(r.entry)),
            ("zone", &n.zone(route.foothold.zone)),
        ],
    )];
    for (conduits, zone) in route.steps() {
        out.push(t.fill(
            t.risk_step_cross,
            &[("conduits", &n.conduits(conduits)), ("zone", &n.zone(zone))],
        ));
    }
    let (target, _) = n.target(r);
    if !target.is_empty() {
        out.push(n.ctx.fill(t.risk_step_reach, "asset", target));
    }
    out
}

/// OR over the entry points reaching `zone`, each route an AND of its steps.
fn tree(n: &Names, a: &PlantAnalysis, zone: ZoneId) -> Vec<TreeEntry> {
    let mut out = Vec::new();
    for entry in EntryPoint::ALL {
        let mut risks: Vec<&RouteRisk> = a
            .route_risks
            .iter()
            .filter(|r| r.entry == *entry && r.target_zone == zone)
            .collect();
        if risks.is_empty() {
            continue;
        }
        risks.sort_by_key(|r| (std::cmp::Reverse(r.value), r.index));
        let routes = risks
            .iter()
            .take(TREE_ROUTES)
            .filter_map(|r| {
                let route = a.routes.get(r.index)?;
                Some(TreeRoute {
                    value: r.value,
                    level: r.level.as_str(),
                    level_label: n.band(r.level),
                    steps: steps(n, &route, r),
                })
            })
            .collect();
        let more = (risks.len() > TREE_ROUTES).then(|| {
            n.ctx
                .fill(n.ctx.t.risk_tree_more, "n", risks.len() - TREE_ROUTES)
        });
        out.push(TreeEntry {
            entry: n.entry(*entry),
            routes,
            more,
        });
    }
    out
}
