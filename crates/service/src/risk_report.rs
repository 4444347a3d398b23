//! The risk analysis of a site's model as a report: the JSON the API answers with and `kojo
//! risk report --json` prints (one shape, defined here so the web and the command line share
//! it), and the workbook in the layout of IPA's risk-analysis sheets (制御システムのセキュリティ
//! リスク分析ガイド): an asset-based sheet, a business-impact sheet (one row per attack route), the
//! findings, and a summary — in the reader's language.

use kojo_core::Locale;
use kojo_core::ids::{AssessmentId, AssetId, ConduitId, ZoneId};
use kojo_core::plant::Subject;
use kojo_core::plant::model::Plant;
use kojo_core::plant::routes::EntryPoint;
use kojo_core::risk::{Level, RouteRisk};
use serde::Serialize;

use crate::plant::PlantAnalysis;

/// What a finding (or a route's foothold) is about.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SubjectJson {
    /// `zone`, `conduit` or `asset`.
    pub kind: String,
    pub id: i64,
    pub name: String,
}

/// The risk rule set used.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RuleSetJson {
    pub id: String,
    pub title: String,
    pub source: String,
    /// The tables were checked against the source itself.
    pub verified: bool,
    /// What kojo had to reconstruct.
    pub reconstructed: Option<String>,
}

/// A band of risk values and how many routes fall in it.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct BandJson {
    pub level: Level,
    pub label: String,
    pub min: u8,
    pub max: u8,
    pub routes: usize,
}

/// One hop of a route: the conduits leading on (the weakest is rated) and the zone reached.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct StepJson {
    pub conduits: Vec<ConduitId>,
    pub zone: ZoneId,
}

/// The measures found along a route.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct MeasuresJson {
    /// Points from the conduits crossed (firewall 2, encrypted 1, line on request 1).
    pub conduit_points: u8,
    pub protect: bool,
    pub detect: bool,
    pub recover: bool,
}

/// One attack route (侵入口 → 攻撃拠点 → 攻撃対象) with its risk.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RouteJson {
    /// 1 for the highest risk.
    pub rank: usize,
    pub entry: EntryPoint,
    pub foothold_zone: ZoneId,
    /// What gives the foothold (assets, conduits).
    pub via: Vec<SubjectJson>,
    pub steps: Vec<StepJson>,
    pub target_zone: ZoneId,
    pub target_asset: Option<AssetId>,
    pub importance: u8,
    pub threat: u8,
    pub vulnerability: u8,
    pub value: u8,
    pub level: Level,
    pub measures: MeasuresJson,
}

/// The asset-based risk of one asset.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AssetRiskJson {
    pub asset: AssetId,
    pub importance: u8,
    pub threat: u8,
    pub vulnerability: u8,
    pub value: u8,
    pub level: Level,
}

/// The risk analysis of a site's model: the highest-risk routes (at most `limit`), the counts
/// per band over all routes, and every asset's risk.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RiskJson {
    pub rules: RuleSetJson,
    pub min_importance: u8,
    pub max_hops: usize,
    /// The self-assessment the measures in place come from.
    pub assessment: Option<AssessmentId>,
    pub targets: Vec<ZoneId>,
    pub routes_total: usize,
    pub bands: Vec<BandJson>,
    pub routes: Vec<RouteJson>,
    pub assets: Vec<AssetRiskJson>,
}

pub fn subject_json(plant: &Plant, s: &Subject) -> SubjectJson {
    let (kind, id, name) = match s {
        Subject::Zone(z) => ("zone", z.get(), plant.zone(*z).map(|z| z.name.clone())),
        Subject::Conduit(c) => (
            "conduit",
            c.get(),
            plant.conduit(*c).map(|c| c.name.clone()),
        ),
        Subject::Asset(a) => ("asset", a.get(), plant.asset(*a).map(|a| a.name.clone())),
    };
    SubjectJson {
        kind: kind.into(),
        id,
        name: name.unwrap_or_default(),
    }
}

pub fn route_json(a: &PlantAnalysis, r: &RouteRisk, rank: usize) -> Option<RouteJson> {
    let route = a.routes.get(r.index)?;
    Some(RouteJson {
        rank,
        entry: r.entry,
        foothold_zone: route.foothold.zone,
        via: route
            .foothold
            .via
            .iter()
            .map(|s| subject_json(&a.plant, s))
            .collect(),
        steps: route
            .steps()
            .map(|(conduits, zone)| StepJson {
                conduits: conduits.to_vec(),
                zone,
            })
            .collect(),
        target_zone: r.target_zone,
        target_asset: r.target,
        importance: r.importance,
        threat: r.threat,
        vulnerability: r.vulnerability,
        value: r.value,
        level: r.level,
        measures: MeasuresJson {
            conduit_points: r.measures.conduits,
            protect: r.measures.protect,
            detect: r.measures.detect,
            recover: r.measures.recover,
        },
    })
}

impl RiskJson {
    /// The analysis in `locale`, with the `limit` highest-risk routes.
    pub fn new(
        locale: Locale,
        a: &PlantAnalysis,
        min_importance: kojo_core::plant::Importance,
        limit: usize,
    ) -> RiskJson {
        let mut order: Vec<&RouteRisk> = a.route_risks.iter().collect();
        order.sort_by_key(|r| {
            (
                std::cmp::Reverse(r.value),
                std::cmp::Reverse(r.importance),
                r.index,
            )
        });
        let routes = order
            .iter()
            .take(limit)
            .enumerate()
            .filter_map(|(rank, r)| route_json(a, r, rank + 1))
            .collect();
        let rules = a.rules;
        RiskJson {
            rules: RuleSetJson {
                id: rules.id.clone(),
                title: rules.title.get(locale).to_string(),
                source: rules.source.get(locale).to_string(),
                verified: rules.verified,
                reconstructed: rules
                    .reconstructed
                    .as_ref()
                    .map(|r| r.get(locale).to_string()),
            },
            min_importance: min_importance.value(),
            max_hops: a.search.max_hops,
            assessment: a.assessment.as_ref().map(|x| x.id),
            targets: a.search.targets.clone(),
            routes_total: a.route_risks.len(),
            bands: rules
                .bands
                .iter()
                .map(|b| BandJson {
                    level: b.level,
                    label: b.label.get(locale).to_string(),
                    min: b.min,
                    max: b.max,
                    routes: a.route_risks.iter().filter(|r| r.level == b.level).count(),
                })
                .collect(),
            routes,
            assets: a
                .asset_risks
                .iter()
                .map(|r| AssetRiskJson {
                    asset: r.asset,
                    importance: r.importance,
                    threat: r.threat,
                    vulnerability: r.vulnerability,
                    value: r.value,
                    level: r.level,
                })
                .collect(),
        }
    }
}

// ------------------------------------------------------------------------------------------
// The workbook
// ------------------------------------------------------------------------------------------

/// The most routes the business-impact sheet lists (highest risk first); the summary says
/// when there are more.
pub const WORKBOOK_ROUTES_MAX: usize = 20_000;

/// Route indices of `a.route_risks`, highest risk first (then most important, then in route
/// order): the order of the API and the page.
pub fn ranked(risks: &[RouteRisk]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..risks.len()).collect();
    order.sort_by_key(|i| {
        let r = &risks[*i];
        (
            std::cmp::Reverse(r.value),
            std::cmp::Reverse(r.importance),
            r.index,
        )
    });
    order
}

/// Names of a model's parts and codes in the reader's language.
struct Names<'a> {
    catalog: &'a kojo_content::Catalog,
    a: &'a PlantAnalysis<'a>,
    locale: Locale,
    t: &'static kojo_i18n::Msg,
}

impl Names<'_> {
    fn sep(&self) -> &'static str {
        self.t.file_read_list_separator
    }

    fn zone(&self, id: ZoneId) -> String {
        self.a
            .plant
            .zone(id)
            .map_or_else(String::new, |z| z.name.clone())
    }

    fn label(&self, list: &[kojo_core::plant::catalog::Label], code: &str) -> String {
        kojo_core::plant::catalog::Labels::find(list, code)
            .map_or_else(|| code.to_string(), |t| t.get(self.locale).to_string())
    }

    fn entry(&self, e: EntryPoint) -> String {
        self.label(&self.catalog.plant.labels.entry_points, e.as_str())
    }

    fn subject(&self, s: &Subject) -> String {
        subject_json(&self.a.plant, s).name
    }

    fn band(&self, value: u8, level: Level) -> Rated {
        let label = self.a.rules.band(value).map_or_else(
            || level.as_str().to_string(),
            |b| b.label.get(self.locale).to_string(),
        );
        (label, tone(level))
    }

    /// A measure cell: in place or not, with the checklist items behind it.
    fn measure(&self, met: bool, items: Option<&[String]>) -> C {
        let items = items.map(|i| self.items(i)).unwrap_or_default();
        let (template, tone) = if met {
            (self.t.risk_report_met, Tone::Good)
        } else {
            (self.t.risk_report_unmet, Tone::Bad)
        };
        C::Rated(kojo_i18n::fill(template, &[("items", &items)]), tone)
    }

    /// Items with whether each is implemented: `PHY-5 実施済み、OPS-3 未実施`.
    fn items(&self, items: &[String]) -> String {
        items
            .iter()
            .map(|id| {
                let done = self.a.implemented.0.contains(id);
                let template = if done {
                    self.t.risk_report_item_done
                } else {
                    self.t.risk_report_item_open
                };
                kojo_i18n::fill(template, &[("id", id)])
            })
            .collect::<Vec<_>>()
            .join(self.sep())
    }
}

type Rated = (String, Tone);

fn tone(level: Level) -> Tone {
    match level {
        Level::High => Tone::Bad,
        Level::Medium => Tone::Neutral,
        Level::Low => Tone::Good,
    }
}

/// The risk analysis as a workbook in the reader's language: a summary, the business-impact
/// sheet (one row per route, highest risk first, at most [`WORKBOOK_ROUTES_MAX`]), the
/// asset-based sheet and the findings. Returns the file name and the bytes.
pub fn workbook(
    catalog: &kojo_content::Catalog,
    a: &PlantAnalysis,
    min_importance: kojo_core::plant::Importance,
    today: kojo_core::date::Date,
    lang: &crate::Lang,
) -> crate::Result<(String, Vec<u8>)> {
    let n = Names {
        catalog,
        a,
        locale: lang.locale,
        t: lang.t,
    };
    let title = kojo_i18n::fill(lang.t.risk_report_title, &[("site", &a.site.name)]);
    let order = ranked(&a.route_risks);
    let sheets = [
        summary_sheet(&n, &title, &order, min_importance, today),
        routes_sheet(&n, &order),
        assets_sheet(&n),
        findings_sheet(&n),
    ];
    let bytes = kojo_formats::report_xlsx::write(&title, &sheets)
        .map_err(|e| crate::Error::Internal(e.to_string()))?;
    let name = format!("{}_{}.xlsx", lang.t.risk_report_file, a.site.name);
    Ok((name, bytes))
}

use kojo_formats::report_xlsx::{ReportCell as C, ReportSheet, Tone};

fn num(v: u8) -> C {
    C::Number(f64::from(v))
}

fn rank_cell(i: usize) -> C {
    C::Number((i + 1) as f64)
}

fn text(s: String) -> C {
    if s.is_empty() { C::Empty } else { C::Text(s) }
}

fn headers(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_string()).collect()
}

/// The rule set's lines: its title, source, whether it was checked, what was reconstructed.
fn rules_lines(n: &Names) -> Vec<(String, String)> {
    let (t, locale, rules) = (n.t, n.locale, n.a.rules);
    let mut lines = vec![
        (
            t.risk_report_rules.to_string(),
            rules.title.get(locale).to_string(),
        ),
        (
            t.risk_report_source.to_string(),
            rules.source.get(locale).to_string(),
        ),
        (
            t.risk_report_verified.to_string(),
            if rules.verified {
                t.risk_report_verified_yes
            } else {
                t.risk_report_verified_no
            }
            .to_string(),
        ),
    ];
    if let Some(r) = &rules.reconstructed {
        lines.push((
            t.risk_report_reconstructed.to_string(),
            r.get(locale).to_string(),
        ));
    }
    lines
}

fn summary_sheet(
    n: &Names,
    title: &str,
    order: &[usize],
    min_importance: kojo_core::plant::Importance,
    today: kojo_core::date::Date,
) -> ReportSheet {
    let (t, locale, a) = (n.t, n.locale, n.a);
    let mut lines = vec![
        (t.risk_report_site.to_string(), a.site.name.clone()),
        (
            t.risk_report_generated.to_string(),
            kojo_core::format::ymd(today.year(), today.month(), today.day(), locale),
        ),
    ];
    lines.extend(rules_lines(n));
    let assessment = match &a.assessment {
        Some(x) => {
            let when = kojo_core::format::date(x.completed_at.unwrap_or(x.updated_at), locale);
            kojo_i18n::fill(
                t.risk_report_assessment_value,
                &[("id", &x.id), ("date", &when)],
            )
        }
        None => t.risk_report_assessment_none.to_string(),
    };
    lines.extend([
        (
            t.risk_report_min_importance.to_string(),
            kojo_i18n::fill(t.risk_report_at_least, &[("n", &min_importance.value())]),
        ),
        (
            t.risk_report_max_hops.to_string(),
            a.search.max_hops.to_string(),
        ),
        (t.risk_report_assessment.to_string(), assessment),
        (
            t.risk_report_routes_total.to_string(),
            order.len().to_string(),
        ),
    ]);
    for b in a.rules.bands.iter().rev() {
        let count = a.route_risks.iter().filter(|r| r.level == b.level).count();
        lines.push((
            kojo_i18n::fill(t.risk_report_band, &[("band", &b.label.get(locale))]),
            count.to_string(),
        ));
    }
    if order.len() > WORKBOOK_ROUTES_MAX {
        lines.push((
            t.risk_report_routes_shown.to_string(),
            kojo_i18n::fill(t.risk_report_routes_cut, &[("n", &WORKBOOK_ROUTES_MAX)]),
        ));
    }
    lines.push((
        t.risk_report_assets_total.to_string(),
        a.asset_risks.len().to_string(),
    ));
    lines.push((
        t.risk_report_findings_total.to_string(),
        a.findings.len().to_string(),
    ));
    ReportSheet {
        name: t.risk_report_sheet_summary.to_string(),
        title: title.to_string(),
        lines,
        header: vec![],
        widths: vec![],
        rows: vec![],
    }
}

/// The business-impact sheet (IPA's 事業被害ベース): one row per route, highest risk first.
fn routes_sheet(n: &Names, order: &[usize]) -> ReportSheet {
    let t = n.t;
    let rows = order
        .iter()
        .take(WORKBOOK_ROUTES_MAX)
        .enumerate()
        .filter_map(|(rank, i)| route_row(n, rank, n.a.route_risks.get(*i)?))
        .collect();
    ReportSheet {
        name: t.risk_report_sheet_routes.to_string(),
        title: kojo_i18n::fill(t.risk_report_routes_title, &[("site", &n.a.site.name)]),
        lines: rules_lines(n).into_iter().take(1).collect(),
        header: headers(&[
            t.risk_report_h_no,
            t.risk_report_h_damage,
            t.risk_report_h_damage_level,
            t.risk_report_h_scenario,
            t.risk_report_h_entry,
            t.risk_report_h_foothold,
            t.risk_report_h_conduits,
            t.risk_report_h_target,
            t.risk_report_h_protect,
            t.risk_report_h_detect,
            t.risk_report_h_recover,
            t.risk_report_h_points,
            t.risk_report_h_threat,
            t.risk_report_h_vulnerability,
            t.risk_report_h_value,
            t.risk_report_h_level,
        ]),
        widths: vec![
            6.0, 30.0, 10.0, 40.0, 16.0, 22.0, 40.0, 26.0, 24.0, 24.0, 24.0, 10.0, 10.0, 10.0,
            10.0, 10.0,
        ],
        rows,
    }
}

/// The business damage behind a route's target: the most important process of the target
/// asset (else of the target zone), with its impact.
fn damage(a: &PlantAnalysis, r: &RouteRisk) -> String {
    let target_asset = r.target.and_then(|x| a.plant.asset(x));
    let process = target_asset
        .into_iter()
        .flat_map(|x| x.processes.iter())
        .chain(
            a.plant
                .zone(r.target_zone)
                .into_iter()
                .flat_map(|z| z.processes.iter()),
        )
        .filter_map(|p| a.plant.process(*p))
        .max_by_key(|p| p.importance);
    match process {
        Some(p) if p.impact.is_empty() => p.name.clone(),
        Some(p) => format!("{}: {}", p.name, p.impact),
        None => String::new(),
    }
}

fn route_row(n: &Names, rank: usize, r: &RouteRisk) -> Option<Vec<C>> {
    let (t, a) = (n.t, n.a);
    let route = a.routes.get(r.index)?;
    let target = match r.target.and_then(|x| a.plant.asset(x)) {
        Some(asset) => format!("{}（{}）", asset.name, n.zone(r.target_zone)),
        None => n.zone(r.target_zone),
    };
    let foothold = n.zone(route.foothold.zone);
    let via: Vec<String> = route.foothold.via.iter().map(|s| n.subject(s)).collect();
    let foothold_text = if via.is_empty() {
        foothold.clone()
    } else {
        kojo_i18n::fill(
            t.risk_report_via,
            &[("zone", &foothold), ("via", &via.join(n.sep()))],
        )
    };
    let entry = n.entry(r.entry);
    let scenario = if route.hops() == 0 {
        kojo_i18n::fill(
            t.risk_report_scenario_here,
            &[("foothold", &foothold), ("target", &target)],
        )
    } else {
        kojo_i18n::fill(
            t.risk_report_scenario,
            &[
                ("entry", &entry),
                ("foothold", &foothold),
                ("target", &target),
            ],
        )
    };
    let crossed: Vec<String> = route
        .steps()
        .map(|(conduits, zone)| {
            let names: Vec<String> = conduits
                .iter()
                .map(|c| n.subject(&Subject::Conduit(*c)))
                .collect();
            kojo_i18n::fill(
                t.risk_report_hop,
                &[("conduits", &names.join(" / ")), ("zone", &n.zone(zone))],
            )
        })
        .collect();
    let threat = n.catalog.plant.threats.iter().find(|x| x.entry == r.entry);
    let (level, tone) = n.band(r.value, r.level);
    Some(vec![
        rank_cell(rank),
        text(damage(a, r)),
        num(r.importance),
        C::Text(scenario),
        C::Text(entry),
        C::Text(foothold_text),
        text(crossed.join(" → ")),
        C::Text(target),
        n.measure(r.measures.protect, threat.map(|x| x.protect.as_slice())),
        n.measure(r.measures.detect, threat.map(|x| x.detect.as_slice())),
        n.measure(r.measures.recover, threat.map(|x| x.recover.as_slice())),
        num(r.measures.conduits),
        num(r.threat),
        num(r.vulnerability),
        num(r.value),
        C::Rated(level, tone),
    ])
}

/// The asset-based sheet (IPA's 資産ベース): every active asset, highest risk first.
fn assets_sheet(n: &Names) -> ReportSheet {
    let (t, a) = (n.t, n.a);
    let mut risks: Vec<&kojo_core::risk::AssetRisk> = a.asset_risks.iter().collect();
    risks.sort_by_key(|r| {
        (
            std::cmp::Reverse(r.value),
            std::cmp::Reverse(r.importance),
            r.asset,
        )
    });
    let rows = risks
        .iter()
        .filter_map(|r| Some((a.plant.asset(r.asset)?, r)))
        .enumerate()
        .map(|(i, (asset, r))| {
            let processes: Vec<&str> = asset
                .processes
                .iter()
                .filter_map(|p| a.plant.process(*p).map(|p| p.name.as_str()))
                .collect();
            let (level, tone) = n.band(r.value, r.level);
            vec![
                rank_cell(i),
                C::Text(asset.name.clone()),
                C::Text(n.label(&n.catalog.plant.labels.asset_kinds, asset.kind.as_str())),
                text(asset.zone.map(|z| n.zone(z)).unwrap_or_default()),
                text(processes.join(n.sep())),
                num(r.importance),
                num(r.threat),
                num(r.vulnerability),
                num(r.value),
                C::Rated(level, tone),
            ]
        })
        .collect();
    ReportSheet {
        name: t.risk_report_sheet_assets.to_string(),
        title: kojo_i18n::fill(t.risk_report_assets_title, &[("site", &a.site.name)]),
        lines: rules_lines(n).into_iter().take(1).collect(),
        header: headers(&[
            t.risk_report_h_no,
            t.risk_report_h_asset,
            t.risk_report_h_kind,
            t.risk_report_h_zone,
            t.risk_report_h_processes,
            t.risk_report_h_importance,
            t.risk_report_h_threat,
            t.risk_report_h_vulnerability,
            t.risk_report_h_value,
            t.risk_report_h_level,
        ]),
        widths: vec![6.0, 28.0, 22.0, 20.0, 24.0, 10.0, 10.0, 10.0, 10.0, 10.0],
        rows,
    }
}

/// The findings on the model, most serious first.
fn findings_sheet(n: &Names) -> ReportSheet {
    use kojo_core::plant::catalog::Severity;
    let (t, a, locale) = (n.t, n.a, n.locale);
    let rank = |s: Severity| match s {
        Severity::High => 0,
        Severity::Medium => 1,
        Severity::Low => 2,
    };
    let mut found: Vec<_> = a
        .findings
        .iter()
        .filter_map(|f| Some((f, n.catalog.plant.finding(f.rule)?)))
        .collect();
    found.sort_by_key(|(_, text)| rank(text.severity));
    let rows = found
        .iter()
        .enumerate()
        .map(|(i, (f, ft))| {
            let (severity, tone) = match ft.severity {
                Severity::High => (t.risk_report_severity_high, Tone::Bad),
                Severity::Medium => (t.risk_report_severity_medium, Tone::Neutral),
                Severity::Low => (t.risk_report_severity_low, Tone::Good),
            };
            let related: Vec<String> = f.related.iter().map(|s| n.subject(s)).collect();
            vec![
                rank_cell(i),
                C::Rated(severity.to_string(), tone),
                C::Text(ft.title.get(locale).to_string()),
                C::Text(n.subject(&f.subject)),
                text(related.join(n.sep())),
                C::Text(ft.explanation.get(locale).to_string()),
                C::Text(ft.fix.get(locale).to_string()),
                C::Text(n.items(&ft.items)),
                C::Text(ft.source.clone()),
            ]
        })
        .collect();
    ReportSheet {
        name: t.risk_report_sheet_findings.to_string(),
        title: kojo_i18n::fill(t.risk_report_findings_title, &[("site", &a.site.name)]),
        lines: vec![],
        header: headers(&[
            t.risk_report_h_no,
            t.risk_report_h_severity,
            t.risk_report_h_finding,
            t.risk_report_h_subject,
            t.risk_report_h_related,
            t.risk_report_h_explanation,
            t.risk_report_h_fix,
            t.risk_report_h_items,
            t.risk_report_h_source,
        ]),
        widths: vec![6.0, 8.0, 30.0, 22.0, 22.0, 50.0, 50.0, 30.0, 20.0],
        rows,
    }
}

impl crate::Service {
    /// The risk analysis of a site as a workbook (see [`workbook`]): file name and bytes.
    pub async fn risk_workbook(
        &self,
        who: &crate::Who,
        site: kojo_core::ids::SiteId,
        options: &crate::plant::AnalysisOptions,
        lang: &crate::Lang,
    ) -> crate::Result<(String, Vec<u8>)> {
        let a = self.analyse_plant(who, site, options).await?;
        workbook(
            self.catalog(),
            &a,
            options.min_importance,
            options.today,
            lang,
        )
    }
}
