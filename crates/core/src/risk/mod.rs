//! Risk analysis, the guideline's step 2, in the two ways IPA's 制御システムのセキュリティリスク分析ガイド
//! describes: asset-based (importance × threat × vulnerability for each asset) and
//! business-impact-based (each attack route to what matters, with the measures along it).
//!
//! The scales, the lookup table and the bands are content (`content/risk/*.toml`, with their
//! source and whether they were checked against it); this module only applies them. How the
//! vulnerability level follows from the measures in place is kojo's own rule, documented in
//! docs/scoring.md and kept here in one place ([`vulnerability`]).

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::Text;
use crate::codes;
use crate::ids::{AssetId, ZoneId};
use crate::plant::model::{ConduitKind, Importance, Plant};
use crate::plant::routes::{EntryPoint, Route, Routes};
use crate::plant::{Importances, findings};

#[cfg(test)]
mod tests;

codes!(
    /// How a rule set combines the three levels.
    Method {
        /// Likelihood = table[threat][vulnerability]; risk = importance × likelihood (1–9).
        LikelihoodTable = "likelihood_table",
        /// Risk = importance × threat × vulnerability (1–27).
        Product = "product",
    }
);

codes!(
    /// A band of risk values.
    Level {
        Low = "low",
        Medium = "medium",
        High = "high",
    }
);

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub min: u8,
    pub max: u8,
    pub level: Level,
    pub label: Text,
}

/// A risk-analysis method's scales and tables (content).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    pub id: String,
    pub title: Text,
    /// Where the method comes from.
    pub source: Text,
    /// Whether the tables were checked against the source itself (not a secondary account).
    pub verified: bool,
    /// What kojo had to reconstruct, if anything.
    #[serde(default)]
    pub reconstructed: Option<Text>,
    pub method: Method,
    /// For [`Method::LikelihoodTable`]: `likelihood[threat - 1][vulnerability - 1]`, 1–3.
    #[serde(default)]
    pub likelihood: Vec<Vec<u8>>,
    /// Contiguous bands covering every value the method can give.
    pub bands: Vec<Band>,
}

impl RuleSet {
    /// The highest value the method gives.
    pub fn max_value(&self) -> u8 {
        match self.method {
            Method::LikelihoodTable => 9,
            Method::Product => 27,
        }
    }

    /// The risk value of levels 1–3 each (values outside are clamped).
    pub fn value(&self, importance: u8, threat: u8, vulnerability: u8) -> u8 {
        let (i, t, v) = (
            importance.clamp(1, 3),
            threat.clamp(1, 3),
            vulnerability.clamp(1, 3),
        );
        match self.method {
            Method::Product => i * t * v,
            Method::LikelihoodTable => {
                let likelihood = self
                    .likelihood
                    .get(usize::from(t - 1))
                    .and_then(|row| row.get(usize::from(v - 1)))
                    .copied()
                    .unwrap_or(3);
                i * likelihood
            }
        }
    }

    /// The band a value falls in (the last band when none matches, which validation rules out).
    pub fn band(&self, value: u8) -> Option<&Band> {
        self.bands.iter().find(|b| (b.min..=b.max).contains(&value))
    }

    /// What is wrong with the rule set's tables, if anything (for content validation).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.method == Method::LikelihoodTable {
            let shaped = self.likelihood.len() == 3
                && self
                    .likelihood
                    .iter()
                    .all(|r| r.len() == 3 && r.iter().all(|v| (1..=3).contains(v)));
            if !shaped {
                out.push("likelihood must be 3 rows of 3 values from 1 to 3".to_string());
            }
        } else if !self.likelihood.is_empty() {
            out.push("likelihood is only for method likelihood_table".to_string());
        }
        let mut expected = 1u8;
        let mut bands: Vec<&Band> = self.bands.iter().collect();
        bands.sort_by_key(|b| b.min);
        for b in bands {
            if b.min != expected || b.max < b.min {
                out.push(format!(
                    "bands must cover {expected}.. without gaps or overlaps"
                ));
                break;
            }
            expected = b.max.saturating_add(1);
        }
        if expected != self.max_value().saturating_add(1) {
            out.push(format!("bands must end at {}", self.max_value()));
        }
        out
    }
}

/// Which checklist items counter an entry point, by what they do (content).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threat {
    pub entry: EntryPoint,
    pub title: Text,
    pub description: Text,
    /// Threat level 1–3 kojo assumes for the entry point.
    pub level: u8,
    /// Items that keep the attacker out (防御).
    pub protect: Vec<String>,
    /// Items that notice the attack (検知).
    pub detect: Vec<String>,
    /// Items that keep the business going or bring it back (事業継続).
    pub recover: Vec<String>,
}

/// The checklist items implemented at a site (answered at or above the target level).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Implemented(pub BTreeSet<String>);

impl Implemented {
    fn all(&self, items: &[String]) -> bool {
        !items.is_empty() && items.iter().all(|i| self.0.contains(i))
    }
}

/// The measures found along a route.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Measures {
    /// Points from the conduits crossed (filtering, encryption, a line connected on request).
    pub conduits: u8,
    /// The entry's protective items are all implemented.
    pub protect: bool,
    pub detect: bool,
    pub recover: bool,
}

impl Measures {
    pub fn points(&self) -> u8 {
        self.conduits
            .saturating_add(u8::from(self.protect))
            .saturating_add(u8::from(self.detect))
            .saturating_add(u8::from(self.recover))
    }
}

/// kojo's rule from measures to the vulnerability level: no measure at all is 3 (easy), up to
/// two points 2, three or more 1 (hard). A firewall crossed gives 2 points, an encrypted link
/// 1, a remote line connected only on request 1; the entry point's protective, detective and
/// recovery items each give 1 when all of them are implemented.
pub fn vulnerability(m: &Measures) -> u8 {
    match m.points() {
        0 => 3,
        1 | 2 => 2,
        _ => 1,
    }
}

/// Points for the conduits crossed: at each hop the attacker takes the weakest of the conduits
/// that lead on.
fn conduit_points(plant: &Plant, route: &Route) -> u8 {
    route
        .steps()
        .map(|(conduits, _)| {
            conduits
                .iter()
                .filter_map(|c| plant.conduit(*c))
                .map(|c| {
                    let filter = if c.kind == ConduitKind::Firewall {
                        2
                    } else {
                        0
                    };
                    let encrypted = u8::from(c.encrypted || c.kind == ConduitKind::Vpn);
                    let on_request =
                        u8::from(c.kind == ConduitKind::RemoteMaintenance && !c.always_on);
                    filter + encrypted + on_request
                })
                .min()
                .unwrap_or(0)
        })
        .fold(0u8, u8::saturating_add)
}

/// The risk of one route, for the most important asset in its target zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteRisk {
    pub index: usize,
    pub entry: EntryPoint,
    pub target_zone: ZoneId,
    pub target: Option<AssetId>,
    pub importance: u8,
    pub threat: u8,
    pub measures: Measures,
    pub vulnerability: u8,
    pub value: u8,
    pub level: Level,
}

/// What the risk analysis reads.
pub struct Analysis<'a> {
    pub rules: &'a RuleSet,
    pub threats: &'a [Threat],
    pub plant: &'a Plant,
    pub importances: &'a Importances,
    pub implemented: &'a Implemented,
}

impl Analysis<'_> {
    fn threat(&self, entry: EntryPoint) -> Option<&Threat> {
        self.threats.iter().find(|t| t.entry == entry)
    }

    /// The most important active asset of a zone.
    fn target(&self, zone: ZoneId) -> Option<(AssetId, Importance)> {
        self.plant
            .active_assets()
            .filter(|a| a.zones().any(|z| z == zone))
            .map(|a| (a.id, self.importances.asset(a.id)))
            .max_by_key(|(id, i)| (*i, std::cmp::Reverse(*id)))
    }

    /// The risk of route `index` of `routes`.
    pub fn route(&self, index: usize, route: &Route) -> RouteRisk {
        let threat = self.threat(route.foothold.entry);
        let measures = Measures {
            conduits: conduit_points(self.plant, route),
            protect: threat.is_some_and(|t| self.implemented.all(&t.protect)),
            detect: threat.is_some_and(|t| self.implemented.all(&t.detect)),
            recover: threat.is_some_and(|t| self.implemented.all(&t.recover)),
        };
        let target_zone = route.target_zone();
        let target = self.target(target_zone);
        let importance = target
            .map(|(_, i)| i)
            .unwrap_or_else(|| self.importances.zone(target_zone))
            .value();
        let threat_level = threat.map_or(3, |t| t.level.clamp(1, 3));
        let vulnerability = vulnerability(&measures);
        let value = self.rules.value(importance, threat_level, vulnerability);
        RouteRisk {
            index,
            entry: route.foothold.entry,
            target_zone,
            target: target.map(|(a, _)| a),
            importance,
            threat: threat_level,
            measures,
            vulnerability,
            value,
            level: self.rules.band(value).map_or(Level::High, |b| b.level),
        }
    }

    /// The risk of every route, in route order.
    pub fn routes(&self, routes: &Routes) -> Vec<RouteRisk> {
        routes
            .iter()
            .enumerate()
            .map(|(i, r)| self.route(i, &r))
            .collect()
    }

    /// Asset-based risk: each active asset's importance with the worst (threat, vulnerability)
    /// of any route reaching its zone; an asset no route reaches counts as an insider's target.
    pub fn assets(&self, risks: &[RouteRisk]) -> Vec<AssetRisk> {
        let mut worst: HashMap<ZoneId, (u8, u8)> = HashMap::new();
        for r in risks {
            let e = worst.entry(r.target_zone).or_insert((1, 1));
            let current = self.rules.value(3, e.0, e.1);
            if self.rules.value(3, r.threat, r.vulnerability) > current {
                *e = (r.threat, r.vulnerability);
            }
        }
        let insider = self.threat(EntryPoint::Insider).map_or(1, |t| t.level);
        self.plant
            .active_assets()
            .map(|a| {
                let importance = self.importances.asset(a.id).value();
                let (threat, vulnerability) = a
                    .zones()
                    .filter_map(|z| worst.get(&z).copied())
                    .max_by_key(|(t, v)| self.rules.value(3, *t, *v))
                    .unwrap_or((insider, 2));
                let value = self.rules.value(importance, threat, vulnerability);
                AssetRisk {
                    asset: a.id,
                    importance,
                    threat,
                    vulnerability,
                    value,
                    level: self.rules.band(value).map_or(Level::High, |b| b.level),
                }
            })
            .collect()
    }
}

/// The asset-based risk of one asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssetRisk {
    pub asset: AssetId,
    pub importance: u8,
    pub threat: u8,
    pub vulnerability: u8,
    pub value: u8,
    pub level: Level,
}

/// How much implementing each checklist item would lower the high risks: the importance of the
/// targets of the high-risk routes it alone moves out of the high band, over that of all
/// high-risk routes (0–1). Items already implemented, and items no route depends on, get 0.
pub fn route_shares(
    analysis: &Analysis,
    routes: &Routes,
    items: &[String],
) -> HashMap<String, f64> {
    let high: Vec<RouteRisk> = analysis
        .routes(routes)
        .into_iter()
        .filter(|r| r.level == Level::High)
        .collect();
    let total: u32 = high.iter().map(|r| u32::from(r.importance)).sum();
    let mut out = HashMap::new();
    for item in items {
        if total == 0 || analysis.implemented.0.contains(item) {
            out.insert(item.clone(), 0.0);
            continue;
        }
        let mut with = analysis.implemented.clone();
        with.0.insert(item.clone());
        let after = Analysis {
            implemented: &with,
            ..*analysis
        };
        let cut: u32 = high
            .iter()
            .filter_map(|r| {
                let route = routes.get(r.index)?;
                (after.route(r.index, &route).level != Level::High)
                    .then_some(u32::from(r.importance))
            })
            .sum();
        out.insert(item.clone(), f64::from(cut) / f64::from(total));
    }
    out
}

/// [`route_shares`] for one item.
pub fn route_share(analysis: &Analysis, routes: &Routes, item: &str) -> f64 {
    route_shares(analysis, routes, &[item.to_string()])
        .get(item)
        .copied()
        .unwrap_or(0.0)
}

/// The checklist items the model's findings point at are the ones content links to each rule;
/// this gathers, for each item, the findings that concern it (for the assessment page).
pub fn findings_by_item<'a>(
    found: &'a [findings::Finding],
    links: &HashMap<findings::Rule, Vec<String>>,
) -> HashMap<String, Vec<&'a findings::Finding>> {
    let mut out: HashMap<String, Vec<&findings::Finding>> = HashMap::new();
    for f in found {
        for item in links.get(&f.rule).into_iter().flatten() {
            out.entry(item.clone()).or_default().push(f);
        }
    }
    out
}
