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
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Foothold {
    pub entry: EntryPoint,
    pub zone: ZoneId,
    /// The assets or conduits that make this zone an entry (none for a zone that is itself
    /// outside, or the office network).
    pub via: Vec<Subject>,
}

/// The footholds of every entry point of a plant, one per (entry, zone), in a stable order.
pub fn footholds(plant: &Plant, targets: &[ZoneId]) -> Vec<Foothold> {
    let mut found: std::collections::BTreeMap<(EntryPoint, ZoneId), Vec<Subject>> =
        std::collections::BTreeMap::new();
    let mut add = |entry, zone, via: Option<Subject>| {
        let list = found.entry((entry, zone)).or_default();
        list.extend(via);
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
    found
        .into_iter()
        .map(|((entry, zone), mut via)| {
            via.sort();
            via.dedup();
            Foothold { entry, zone, via }
        })
        .collect()
}

/// One route: a foothold, then each hop — the conduits that lead from the previous zone to the
/// next (an attacker takes the weakest) and the zone reached — ending in a zone holding a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route<'a> {
    pub foothold: &'a Foothold,
    steps: &'a [(u32, ZoneId)],
    edges: &'a [Vec<ConduitId>],
}

impl<'a> Route<'a> {
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

    /// Each hop: the conduits usable for it and the zone reached.
    pub fn steps(&self) -> impl Iterator<Item = (&'a [ConduitId], ZoneId)> + 'a {
        let edges = self.edges;
        self.steps.iter().map(move |(e, z)| {
            let conduits = edges.get(*e as usize).map(Vec::as_slice).unwrap_or(&[]);
            (conduits, *z)
        })
    }

    /// The zones in order, from the foothold to the target.
    pub fn zones(&self) -> impl Iterator<Item = ZoneId> + 'a {
        std::iter::once(self.foothold.zone).chain(self.steps.iter().map(|(_, z)| *z))
    }
}

/// Every route found, stored flat.
#[derive(Debug, Clone, Default)]
pub struct Routes {
    footholds: Vec<Foothold>,
    /// (foothold index, first step, number of steps)
    heads: Vec<(u32, usize, usize)>,
    steps: Vec<(u32, ZoneId)>,
    /// The conduits of each zone-to-zone edge of the graph.
    edges: Vec<Vec<ConduitId>>,
}

impl Routes {
    pub fn len(&self) -> usize {
        self.heads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<Route<'_>> {
        let (f, start, len) = *self.heads.get(i)?;
        Some(Route {
            foothold: self.footholds.get(f as usize)?,
            steps: self.steps.get(start..start + len)?,
            edges: &self.edges,
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = Route<'_>> {
        (0..self.heads.len()).filter_map(|i| self.get(i))
    }

    pub fn footholds(&self) -> &[Foothold] {
        &self.footholds
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

/// The zone graph in index form: for each zone, the neighbours an attacker can move to and the
/// edge (parallel conduits grouped) leading there. Zones outside the company are only ever
/// starting points: a route never passes through a vendor's or the internet's network.
pub struct Graph {
    ids: Vec<ZoneId>,
    out: Vec<Vec<(u32, usize)>>,
    edges: Vec<Vec<ConduitId>>,
}

impl Graph {
    pub fn new(plant: &Plant) -> Graph {
        let mut ids: Vec<ZoneId> = plant.zones.iter().map(|z| z.id).collect();
        ids.sort();
        let index: HashMap<ZoneId, usize> = ids.iter().enumerate().map(|(i, z)| (*z, i)).collect();
        let external: Vec<bool> = ids
            .iter()
            .map(|z| plant.zone(*z).is_some_and(|z| z.untrusted()))
            .collect();
        let mut grouped: std::collections::BTreeMap<(usize, usize), Vec<ConduitId>> =
            std::collections::BTreeMap::new();
        for c in &plant.conduits {
            // Paper and people re-typing data carry no malware.
            if c.kind == ConduitKind::Manual || c.a == c.b {
                continue;
            }
            for from in [c.a, c.b] {
                if !c.allows_from(from) {
                    continue;
                }
                let (Some(&f), Some(&t)) = (index.get(&from), index.get(&c.other_end(from))) else {
                    continue;
                };
                if !external[t] {
                    grouped.entry((f, t)).or_default().push(c.id);
                }
            }
        }
        let mut out = vec![Vec::new(); ids.len()];
        let mut edges = Vec::with_capacity(grouped.len());
        for ((f, t), mut conduits) in grouped {
            conduits.sort();
            let e = u32::try_from(edges.len()).unwrap_or(u32::MAX);
            edges.push(conduits);
            out[f].push((e, t));
        }
        Graph { ids, out, edges }
    }

    fn index(&self, zone: ZoneId) -> Option<usize> {
        self.ids.binary_search(&zone).ok()
    }

    /// Zone-to-zone edges (the benchmark's peer builds the same graph).
    pub fn edge_list(&self) -> Vec<(ZoneId, ZoneId)> {
        let mut out = Vec::new();
        for (f, next) in self.out.iter().enumerate() {
            for (_, t) in next {
                out.push((self.ids[f], self.ids[*t]));
            }
        }
        out
    }
}

/// Every route from every foothold to every target zone, crossing at most `max_hops` zone
/// boundaries, in a deterministic order (footholds in order, then depth-first in zone-id order).
pub fn enumerate(plant: &Plant, search: &Search) -> Routes {
    let graph = Graph::new(plant);
    let n = graph.ids.len();
    let mut target = vec![false; n];
    for t in &search.targets {
        if let Some(i) = graph.index(*t) {
            target[i] = true;
        }
    }
    let mut routes = Routes {
        footholds: footholds(plant, &search.targets),
        ..Routes::default()
    };
    let mut visited = vec![0u64; n.div_ceil(64)];
    let mut path: Vec<(u32, usize)> = Vec::with_capacity(search.max_hops);
    for (fi, foothold) in routes.footholds.clone().iter().enumerate() {
        let fi = u32::try_from(fi).unwrap_or(u32::MAX);
        let Some(start) = graph.index(foothold.zone) else {
            continue;
        };
        if target[start] {
            routes.heads.push((fi, routes.steps.len(), 0));
        }
        if foothold.entry == EntryPoint::Insider {
            continue;
        }
        let walk = Walk {
            graph: &graph,
            target: &target,
            max_hops: search.max_hops,
            foothold: fi,
        };
        set(&mut visited, start);
        walk.from(start, &mut visited, &mut path, &mut routes);
        unset(&mut visited, start);
    }
    routes.edges = graph.edges;
    routes
}

struct Walk<'a> {
    graph: &'a Graph,
    target: &'a [bool],
    max_hops: usize,
    foothold: u32,
}

impl Walk<'_> {
    fn from(
        &self,
        zone: usize,
        visited: &mut [u64],
        path: &mut Vec<(u32, usize)>,
        routes: &mut Routes,
    ) {
        if path.len() == self.max_hops {
            return;
        }
        for &(edge, next) in &self.graph.out[zone] {
            if is_set(visited, next) {
                continue;
            }
            path.push((edge, next));
            if self.target[next] {
                let start = routes.steps.len();
                routes
                    .steps
                    .extend(path.iter().map(|(e, z)| (*e, self.graph.ids[*z])));
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
