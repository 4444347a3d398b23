//! Attack routes (攻撃ルート): how an attacker who gets in at an entry point (侵入口) can reach the
//! zones holding what matters most (攻撃対象), moving from zone to zone through conduits in the
//! direction data may flow. A route is a simple path in the zone graph (no zone twice) of at
//! most `max_hops` conduits. Enumeration is a depth-first search per foothold with a bitset of
//! visited zones; routes are stored flat (one arena of steps) so that even a plant of hundreds of
//! zones and thousands of routes costs a few allocations.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::findings::Subject;
use super::importance::Importances;
use super::model::{AssetKind, ConduitKind, Exposure, Importance, Plant, ZonePurpose};
use crate::codes;
use crate::ids::{ConduitId, ZoneId};

codes!(
    /// Ways into a plant, after JNSA's and IPA's lists of entry points.
    EntryPoint {
        Internet = "internet",
        Cloud = "cloud",
        OfficeLan = "office_lan",
        RemoteMaintenance = "remote_maintenance",
        VendorPc = "vendor_pc",
        RemovableMedia = "removable_media",
        WiFi = "wifi",
        /// Someone already inside the target's zone.
        Insider = "insider",
    }
);

/// Where an attacker entering at `entry` first stands, and what gives them that foothold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Foothold {
    pub entry: EntryPoint,
    pub zone: ZoneId,
    /// The asset or conduit that makes this zone an entry (none for a zone that is itself
    /// outside or the office network).
    pub via: Option<Subject>,
}

/// The footholds of every entry point of a plant, in a stable order.
pub fn footholds(plant: &Plant, targets: &[ZoneId]) -> Vec<Foothold> {
    let mut out = Vec::new();
    let mut add = |entry, zone, via| {
        out.push(Foothold { entry, zone, via });
    };
    for z in &plant.zones {
        match z.exposure {
            Exposure::Internet => add(EntryPoint::Internet, z.id, None),
            Exposure::Cloud => add(EntryPoint::Cloud, z.id, None),
            Exposure::Vendor => add(EntryPoint::RemoteMaintenance, z.id, None),
            Exposure::Internal if z.purpose == ZonePurpose::Information => {
                add(EntryPoint::OfficeLan, z.id, None)
            }
            Exposure::Internal => {}
        }
    }
    for a in plant.active_assets() {
        let via = Some(Subject::Asset(a.id));
        for zone in a.zones() {
            if a.cloud_link {
                add(EntryPoint::Cloud, zone, via);
            }
            if a.remote_maintenance {
                add(EntryPoint::RemoteMaintenance, zone, via);
            }
            match a.kind {
                AssetKind::VendorPc | AssetKind::MaintenancePc => {
                    add(EntryPoint::VendorPc, zone, via)
                }
                AssetKind::RemovableMedia => add(EntryPoint::RemovableMedia, zone, via),
                AssetKind::WirelessAp => add(EntryPoint::WiFi, zone, via),
                _ if a.wireless => add(EntryPoint::WiFi, zone, via),
                _ => {}
            }
        }
    }
    for c in &plant.conduits {
        if c.kind == ConduitKind::Wireless {
            for zone in [c.a, c.b] {
                add(EntryPoint::WiFi, zone, Some(Subject::Conduit(c.id)));
            }
        }
    }
    for t in targets {
        add(EntryPoint::Insider, *t, None);
    }
    out.sort();
    out.dedup();
    out
}

/// One route: a foothold, then the conduits crossed and the zones reached, ending in a zone
/// that holds a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Route<'a> {
    pub foothold: Foothold,
    /// (conduit crossed, zone reached), in order.
    pub steps: &'a [(ConduitId, ZoneId)],
}

impl Route<'_> {
    /// The zone holding the target.
    pub fn target_zone(&self) -> ZoneId {
        self.steps
            .last()
            .map(|(_, z)| *z)
            .unwrap_or(self.foothold.zone)
    }

    pub fn hops(&self) -> usize {
        self.steps.len()
    }
}

/// Every route found, stored flat.
#[derive(Debug, Clone, Default)]
pub struct Routes {
    heads: Vec<(Foothold, usize, usize)>,
    steps: Vec<(ConduitId, ZoneId)>,
}

impl Routes {
    pub fn len(&self) -> usize {
        self.heads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<Route<'_>> {
        let (foothold, start, len) = *self.heads.get(i)?;
        Some(Route {
            foothold,
            steps: &self.steps[start..start + len],
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = Route<'_>> {
        (0..self.heads.len()).filter_map(|i| self.get(i))
    }
}

/// What to search for.
#[derive(Debug, Clone)]
pub struct Search {
    /// Zones holding the targets (攻撃対象).
    pub targets: Vec<ZoneId>,
    /// The most conduits a route may cross.
    pub max_hops: usize,
}

impl Search {
    /// Targets: the zones holding assets of at least `min` importance.
    pub fn to_important(
        plant: &Plant,
        importances: &Importances,
        min: Importance,
        max_hops: usize,
    ) -> Search {
        let mut targets: Vec<ZoneId> = plant
            .active_assets()
            .filter(|a| importances.asset(a.id) >= min)
            .flat_map(|a| a.zones())
            .collect();
        targets.sort();
        targets.dedup();
        Search { targets, max_hops }
    }
}

/// The zone graph in index form: for each zone, the conduits an attacker can cross out of it.
struct Graph {
    ids: Vec<ZoneId>,
    out: Vec<Vec<(ConduitId, usize)>>,
}

impl Graph {
    fn new(plant: &Plant) -> Graph {
        let mut ids: Vec<ZoneId> = plant.zones.iter().map(|z| z.id).collect();
        ids.sort();
        let index: HashMap<ZoneId, usize> = ids.iter().enumerate().map(|(i, z)| (*z, i)).collect();
        let mut out = vec![Vec::new(); ids.len()];
        for c in &plant.conduits {
            // Paper and people re-typing data carry no malware.
            if c.kind == ConduitKind::Manual || c.a == c.b {
                continue;
            }
            for from in [c.a, c.b] {
                if !c.allows_from(from) {
                    continue;
                }
                if let (Some(&f), Some(&t)) = (index.get(&from), index.get(&c.other_end(from))) {
                    out[f].push((c.id, t));
                }
            }
        }
        for edges in &mut out {
            edges.sort_by_key(|(c, t)| (*t, *c));
        }
        Graph { ids, out }
    }

    fn index(&self, zone: ZoneId) -> Option<usize> {
        self.ids.binary_search(&zone).ok()
    }
}

/// Every route from every foothold to every target zone, crossing at most `max_hops` conduits,
/// in a deterministic order (footholds in order, then depth-first in zone-id order).
pub fn enumerate(plant: &Plant, search: &Search) -> Routes {
    let graph = Graph::new(plant);
    let n = graph.ids.len();
    let mut target = vec![false; n];
    for t in &search.targets {
        if let Some(i) = graph.index(*t) {
            target[i] = true;
        }
    }
    let mut routes = Routes::default();
    let mut visited = vec![0u64; n.div_ceil(64)];
    let mut path: Vec<(ConduitId, usize)> = Vec::with_capacity(search.max_hops);
    for foothold in footholds(plant, &search.targets) {
        let Some(start) = graph.index(foothold.zone) else {
            continue;
        };
        if foothold.entry == EntryPoint::Insider {
            routes.heads.push((foothold, routes.steps.len(), 0));
            continue;
        }
        let walk = Walk {
            graph: &graph,
            target: &target,
            max_hops: search.max_hops,
            foothold,
        };
        set(&mut visited, start);
        if target[start] {
            routes.heads.push((foothold, routes.steps.len(), 0));
        }
        walk.from(start, &mut visited, &mut path, &mut routes);
        unset(&mut visited, start);
    }
    routes
}

struct Walk<'a> {
    graph: &'a Graph,
    target: &'a [bool],
    max_hops: usize,
    foothold: Foothold,
}

impl Walk<'_> {
    fn from(
        &self,
        zone: usize,
        visited: &mut [u64],
        path: &mut Vec<(ConduitId, usize)>,
        routes: &mut Routes,
    ) {
        if path.len() == self.max_hops {
            return;
        }
        for &(conduit, next) in &self.graph.out[zone] {
            if is_set(visited, next) {
                continue;
            }
            path.push((conduit, next));
            if self.target[next] {
                let start = routes.steps.len();
                routes
                    .steps
                    .extend(path.iter().map(|(c, z)| (*c, self.graph.ids[*z])));
                routes.heads.push((self.foothold, start, path.len()));
            }
            set(visited, next);
            self.from(next, visited, path, routes);
            unset(visited, next);
            path.pop();
        }
    }
}

fn set(bits: &mut [u64], i: usize) {
    bits[i / 64] |= 1 << (i % 64);
}

fn unset(bits: &mut [u64], i: usize) {
    bits[i / 64] &= !(1 << (i % 64));
}

fn is_set(bits: &[u64], i: usize) -> bool {
    bits[i / 64] & (1 << (i % 64)) != 0
}
