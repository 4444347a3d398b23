//! A realistic plant of any size, the same for the same seed: for tests, the demo's big sister and
//! the route benchmark. The layout follows the Purdue levels a factory network is usually built
//! on — outside parties, the office and a DMZ, then per building a production-management zone and
//! a maintenance zone, per line a supervisory zone, per cell a control zone, some with a safety
//! zone — wired by firewalls between levels, plain links inside a line, remote-maintenance lines
//! from vendors, USB media from the maintenance rooms and a few wireless links.

use super::model::{
    Asset, AssetKind, Conduit, ConduitKind, Damage, Direction, Exposure, Importance, Plant,
    Process, Zone, ZonePurpose,
};
use crate::date::Date;
use crate::ids::{AssetId, ConduitId, ProcessId, ZoneId};
use crate::survey::rng::Rng;

/// How big a plant to make.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub assets: usize,
    pub zones: usize,
    /// Conduits wanted (at least what the layout itself needs).
    pub conduits: usize,
}

struct Builder {
    plant: Plant,
    rng: Rng,
}

impl Builder {
    fn zone(&mut self, name: String, purpose: ZonePurpose, exposure: Exposure, sl: u8) -> ZoneId {
        let id = ZoneId::new(self.plant.zones.len() as i64 + 1);
        self.plant.zones.push(Zone {
            id,
            name,
            purpose,
            exposure,
            importance: None,
            sl_target: sl,
            processes: vec![],
        });
        id
    }

    fn conduit(&mut self, a: ZoneId, b: ZoneId, kind: ConduitKind, direction: Direction) {
        let id = ConduitId::new(self.plant.conduits.len() as i64 + 1);
        let encrypted = matches!(kind, ConduitKind::Vpn) || self.rng.unit() < 0.2;
        let always_on = kind == ConduitKind::RemoteMaintenance && self.rng.unit() < 0.5;
        self.plant.conduits.push(Conduit {
            id,
            name: format!("{}-{}", kind.as_str(), id),
            a,
            b,
            kind,
            direction,
            protocols: vec![],
            encrypted,
            always_on,
            operator: String::new(),
        });
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| items[self.rng.below(items.len())])
    }
}

/// A production line: its supervisory zone and its cells.
type Line = (ZoneId, Vec<ZoneId>);
/// A building: its production-management zone, its maintenance room and its lines.
type Building = (ZoneId, ZoneId, Vec<Line>);

/// The zones of the layout, by role.
#[derive(Default)]
struct Layout {
    internet: Vec<ZoneId>,
    cloud: Vec<ZoneId>,
    vendors: Vec<ZoneId>,
    office: Vec<ZoneId>,
    dmz: Vec<ZoneId>,
    /// (operations zone, maintenance zone, lines: (supervisory, cells))
    buildings: Vec<Building>,
    safety: Vec<ZoneId>,
}

/// A plant of about `size`, deterministic for `seed`.
pub fn simulate(size: Size, seed: u64) -> Plant {
    let mut b = Builder {
        plant: Plant::default(),
        rng: Rng::new(seed),
    };
    let layout = zones(&mut b, size.zones.max(12));
    wire(&mut b, &layout, size.conduits);
    processes(&mut b, &layout);
    assets(&mut b, &layout, size.assets);
    b.plant
}

fn zones(b: &mut Builder, total: usize) -> Layout {
    use Exposure::*;
    use ZonePurpose::*;
    let mut l = Layout::default();
    l.internet
        .push(b.zone("インターネット".into(), External, Internet, 1));
    l.cloud
        .push(b.zone("クラウドサービス".into(), External, Cloud, 1));
    for v in 1..=2 {
        l.vendors
            .push(b.zone(format!("保守ベンダー{v}"), External, Vendor, 1));
    }
    l.office
        .push(b.zone("事務所LAN".into(), Information, Internal, 1));
    l.dmz.push(b.zone("DMZ".into(), Dmz, Internal, 2));
    // The rest: per building 2 zones, per line 1 + its cells, a safety zone per 10 cells.
    let left = total.saturating_sub(b.plant.zones.len());
    let buildings = (left / 25).max(1);
    let per_building = left / buildings;
    for bi in 1..=buildings {
        let ops = b.zone(format!("{bi}号棟 生産管理"), Operations, Internal, 2);
        let maint = b.zone(format!("{bi}号棟 保守室"), Maintenance, Internal, 2);
        let mut room = per_building.saturating_sub(2);
        let mut lines = Vec::new();
        let mut li = 0;
        while room >= 2 {
            li += 1;
            let sup = b.zone(
                format!("{bi}号棟 ライン{li} 監視"),
                Supervisory,
                Internal,
                2,
            );
            room -= 1;
            let n_cells = (2 + b.rng.below(3)).min(room);
            let mut cells = Vec::new();
            for ci in 1..=n_cells {
                // A safety zone below may have taken the last room: stop rather than underflow.
                if room == 0 {
                    break;
                }
                cells.push(b.zone(format!("{bi}-{li} セル{ci}"), Control, Internal, 3));
                room -= 1;
                if b.plant.zones.len().is_multiple_of(10) && room > 0 {
                    l.safety
                        .push(b.zone(format!("{bi}-{li}-{ci} 安全"), Safety, Internal, 4));
                    room -= 1;
                }
            }
            lines.push((sup, cells));
        }
        l.buildings.push((ops, maint, lines));
    }
    l
}

fn wire(b: &mut Builder, l: &Layout, wanted: usize) {
    use ConduitKind::*;
    let both = Direction::Both;
    let (internet, dmz, office) = (l.internet[0], l.dmz[0], l.office[0]);
    b.conduit(internet, office, Firewall, both);
    b.conduit(office, dmz, Firewall, both);
    b.conduit(l.cloud[0], dmz, Vpn, both);
    let mut supervisory = Vec::new();
    let mut cells = Vec::new();
    for (ops, maint, lines) in &l.buildings {
        b.conduit(dmz, *ops, Firewall, both);
        b.conduit(*ops, *maint, Firewall, both);
        for (sup, line_cells) in lines {
            supervisory.push(*sup);
            b.conduit(*ops, *sup, Firewall, both);
            for c in line_cells {
                cells.push(*c);
                b.conduit(*sup, *c, Direct, both);
            }
            for pair in line_cells.windows(2) {
                b.conduit(pair[0], pair[1], Direct, both);
            }
        }
    }
    // Safety zones hang below a random cell through a firewall (one way out: a diode now and
    // then, the right way round).
    for s in &l.safety {
        if let Some(c) = b.pick(&cells) {
            let (kind, dir) = if b.rng.unit() < 0.3 {
                (DataDiode, Direction::AToB)
            } else {
                (Firewall, both)
            };
            b.conduit(*s, c, kind, dir);
        }
    }
    // Then the extra conduits real plants accumulate, until the count is reached.
    let mut guard = 0;
    while b.plant.conduits.len() < wanted && guard < wanted * 4 {
        guard += 1;
        extra(b, l, &supervisory, &cells);
    }
}

/// One more conduit of the kinds plants accumulate over the years.
fn extra(b: &mut Builder, l: &Layout, supervisory: &[ZoneId], cells: &[ZoneId]) {
    use ConduitKind::*;
    let both = Direction::Both;
    let roll = b.rng.unit();
    let building = l.buildings[b.rng.below(l.buildings.len())].clone();
    let (_, maint, lines) = building;
    let Some((sup, line_cells)) = b
        .pick(&(0..lines.len()).collect::<Vec<_>>())
        .map(|i| lines[i].clone())
    else {
        return;
    };
    if roll < 0.35 {
        // USB media carried from the maintenance room into a cell.
        if let Some(c) = b.pick(&line_cells) {
            b.conduit(maint, c, RemovableMedia, both);
        }
    } else if roll < 0.55 {
        // A vendor's remote line into a supervisory zone.
        if let (Some(v), Some(s)) = (b.pick(&l.vendors), b.pick(supervisory)) {
            b.conduit(v, s, RemoteMaintenance, both);
        }
    } else if roll < 0.75 {
        // A second link inside the line (a switch added for a new machine).
        if let (Some(x), Some(y)) = (b.pick(&line_cells), b.pick(&line_cells))
            && x != y
        {
            b.conduit(x, y, Direct, both);
        }
    } else if roll < 0.85 {
        // A wireless bridge from the supervisory zone to a cell.
        if let Some(c) = b.pick(&line_cells) {
            b.conduit(sup, c, Wireless, both);
        }
    } else if roll < 0.95 {
        // Production data out to the office, through a firewall.
        b.conduit(l.office[0], sup, Firewall, both);
    } else if let Some(c) = b.pick(cells) {
        // Paper and re-typed data: no malware crosses.
        b.conduit(sup, c, Manual, both);
    }
}

fn processes(b: &mut Builder, l: &Layout) {
    let mut next = 0i64;
    let mut add = |b: &mut Builder, name: String, importance, damages: Vec<Damage>| {
        next += 1;
        let id = ProcessId::new(next);
        b.plant.processes.push(Process {
            id,
            name,
            importance,
            damages,
            impact: String::new(),
        });
        id
    };
    let office = add(
        b,
        "受発注・出荷".into(),
        Importance::Medium,
        vec![Damage::Delivery],
    );
    b.plant.zones[zone_index(l.office[0])]
        .processes
        .push(office);
    for (bi, (ops, _, lines)) in l.buildings.iter().enumerate() {
        let plan = add(
            b,
            format!("{}号棟 生産計画", bi + 1),
            Importance::Medium,
            vec![Damage::Delivery],
        );
        b.plant.zones[zone_index(*ops)].processes.push(plan);
        for (li, (sup, _)) in lines.iter().enumerate() {
            let high = b.rng.unit() < 0.3;
            let (importance, damages) = if high {
                (
                    Importance::High,
                    vec![Damage::ProductionStop, Damage::Safety],
                )
            } else {
                (
                    Importance::Medium,
                    vec![Damage::ProductionStop, Damage::Quality],
                )
            };
            let p = add(
                b,
                format!("{}号棟 ライン{} 生産", bi + 1, li + 1),
                importance,
                damages,
            );
            b.plant.zones[zone_index(*sup)].processes.push(p);
        }
    }
}

/// Zones are numbered from 1 in creation order.
fn zone_index(id: ZoneId) -> usize {
    usize::try_from(id.get() - 1).unwrap_or(0)
}

fn assets(b: &mut Builder, l: &Layout, total: usize) {
    use AssetKind::*;
    let zones: Vec<(ZoneId, ZonePurpose)> =
        b.plant.zones.iter().map(|z| (z.id, z.purpose)).collect();
    let mut line_process = std::collections::HashMap::new();
    for (_, _, lines) in &l.buildings {
        for (sup, cells) in lines {
            let p = b.plant.zones[zone_index(*sup)].processes.first().copied();
            for c in cells {
                line_process.insert(*c, p);
            }
            line_process.insert(*sup, p);
        }
    }
    for i in 0..total {
        let (zone, purpose) = zones[i % zones.len()];
        let kinds: &[AssetKind] = match purpose {
            ZonePurpose::Control => &[Plc, Plc, Hmi, Robot, Machine, NetworkDevice, IotSensor],
            ZonePurpose::Supervisory => &[ScadaServer, Historian, Hmi, Ews, NetworkDevice],
            ZonePurpose::Operations => &[Mes, Server, Workstation],
            ZonePurpose::Information => &[Workstation, Printer, Server],
            ZonePurpose::Dmz => &[Server, Firewall],
            ZonePurpose::Maintenance => &[MaintenancePc, RemovableMedia, Ews],
            ZonePurpose::Safety => &[SafetyController],
            ZonePurpose::External => &[VendorPc, CloudService],
        };
        let kind = kinds[b.rng.below(kinds.len())];
        let id = AssetId::new(i as i64 + 1);
        let mut a = Asset::new(id, format!("{}-{:05}", kind.as_str(), i + 1), kind);
        a.zone = Some(zone);
        a.vendor =
            ["三菱電機", "オムロン", "キーエンス", "横河電機", "Siemens"][b.rng.below(5)].into();
        a.version = if b.rng.unit() < 0.1 {
            String::new()
        } else {
            format!("V{}.{}", 1 + b.rng.below(4), b.rng.below(20))
        };
        a.owner = if b.rng.unit() < 0.05 {
            String::new()
        } else {
            "製造部".into()
        };
        a.safety = kind == SafetyController;
        a.remote_maintenance = purpose == ZonePurpose::Supervisory && b.rng.unit() < 0.05;
        a.cloud_link = kind == IotSensor && b.rng.unit() < 0.3;
        a.maintenance_end = Date::new(2024 + i32::try_from(b.rng.below(6)).unwrap_or(0), 3, 31);
        if let Some(Some(p)) = line_process.get(&zone) {
            a.processes.push(*p);
        }
        b.plant.assets.push(a);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plant::model::Importance;
    use crate::plant::{Importances, routes};

    #[test]
    fn the_same_seed_gives_the_same_plant_of_the_asked_size() {
        let size = Size {
            assets: 500,
            zones: 60,
            conduits: 200,
        };
        let a = simulate(size, 7);
        assert_eq!(a, simulate(size, 7));
        assert_ne!(a, simulate(size, 8));
        assert_eq!(a.assets.len(), 500);
        assert!((55..=60).contains(&a.zones.len()), "{}", a.zones.len());
        assert!(a.conduits.len() >= 190, "{}", a.conduits.len());
        // Routes from the internet reach the important zones.
        let importances = Importances::of(&a);
        let search = routes::Search::to_important(&a, &importances, Importance::High, 6);
        assert!(!search.targets.is_empty());
        let found = routes::enumerate(&a, &search);
        assert!(
            found
                .iter()
                .any(|r| r.foothold.entry == routes::EntryPoint::Internet && r.hops() > 2)
        );
        assert!(importances.zones.values().any(|i| *i == Importance::High));
    }

    /// Small plants (the sizes two helpers' tests first tried: 20 assets in 4 zones, 30 in 6)
    /// and every zone count up to 40 come out whole, with every asset asked for.
    #[test]
    fn small_plants_are_simulated_without_panicking() {
        for zones in 1..=40 {
            for (assets, conduits) in [(20, 6), (30, 10), (0, 0)] {
                let size = Size {
                    assets,
                    zones,
                    conduits,
                };
                let p = simulate(size, 7);
                assert_eq!(p.assets.len(), assets, "{zones} zones");
                assert!(!p.zones.is_empty());
            }
        }
    }
}
