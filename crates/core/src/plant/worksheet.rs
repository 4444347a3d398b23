//! The step-1 worksheet for the smallest companies (about 20 staff or fewer): three questions —
//! which damage is feared most, which work (業務) stands behind it, and how the plant can be
//! reached (USB sticks, a vendor's PC, a maintenance line, the office LAN, the internet or a
//! cloud service, Wi-Fi) — turned into a first, small zone map that the findings and the route
//! search can work on. The rule here is kojo's: one control zone holding the feared work's
//! equipment, and one zone per way in that is a network of its own, joined by the conduit the
//! answers describe. Nothing is guessed beyond the answers: owners and versions stay empty (the
//! findings then ask for them) and "don't know" is read as the weaker setting.
//!
//! [`merge`] adds a generated map to a model that already exists (the same names are reused,
//! nothing already there is changed or removed).

use std::collections::HashMap;

use super::model::{
    Asset, AssetKind, Conduit, ConduitKind, Damage, Direction, Exposure, Importance, Plant,
    Process, Zone, ZonePurpose,
};
use crate::codes;
use crate::ids::{AssetId, ConduitId, FlowId, ProcessId, ZoneId};

codes!(
    /// The ways into a plant the worksheet asks about.
    WayIn {
        /// USB sticks and other removable media.
        Usb = "usb",
        /// A vendor's or contractor's PC brought on site.
        VendorPc = "vendor_pc",
        /// A remote-maintenance line (a vendor reaching the equipment from outside).
        MaintenanceLine = "maintenance_line",
        /// The office LAN is connected to the equipment.
        OfficeLan = "office_lan",
        /// The internet reaches the equipment (directly or through the office).
        Internet = "internet",
        /// Equipment sends data to, or is watched from, a cloud service.
        Cloud = "cloud",
        /// Wi-Fi.
        WiFi = "wifi",
    }
);

codes!(
    /// A yes/no question that may not be known.
    Answer {
        Yes = "yes",
        No = "no",
        Unknown = "unknown",
    }
);

/// One feared damage and the work behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concern {
    pub damage: Damage,
    /// The business process (業務) whose disruption causes it.
    pub process: String,
    pub importance: Importance,
    /// The business damage in the company's own words (may be empty).
    pub impact: String,
}

/// The worksheet's answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worksheet {
    /// At most three, most feared first.
    pub concerns: Vec<Concern>,
    pub ways_in: Vec<WayIn>,
    /// A firewall (or a router that filters) stands between the equipment and the other networks.
    pub boundary_firewall: Answer,
    /// The maintenance line is connected only when maintenance is requested.
    pub remote_on_request: Answer,
}

/// The names given to what the worksheet creates, in the reader's language.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub control_zone: String,
    pub office_zone: String,
    pub internet_zone: String,
    pub cloud_zone: String,
    pub vendor_zone: String,
    /// The equipment of one business process; `{process}` is replaced by its name.
    pub equipment: String,
    pub office_pc: String,
    pub iot_gateway: String,
    pub remote_router: String,
    pub vendor_pc: String,
    pub usb: String,
    pub wifi_ap: String,
    pub office_link: String,
    pub internet_link: String,
    pub cloud_link: String,
    pub maintenance_line: String,
}

/// The importance a concern gives its process: damage to people is always of the highest.
fn importance(c: &Concern) -> Importance {
    if c.damage == Damage::Safety {
        Importance::High
    } else {
        c.importance
    }
}

/// The processes of the concerns, one per name (the highest importance and every damage).
fn processes(w: &Worksheet) -> Vec<Process> {
    let mut out: Vec<Process> = Vec::new();
    for c in &w.concerns {
        let name = c.process.trim();
        if name.is_empty() {
            continue;
        }
        if let Some(p) = out.iter_mut().find(|p| p.name == name) {
            p.importance = p.importance.max(importance(c));
            if !p.damages.contains(&c.damage) {
                p.damages.push(c.damage);
            }
            continue;
        }
        out.push(Process {
            id: ProcessId::new(out.len() as i64 + 1),
            name: name.to_string(),
            importance: importance(c),
            damages: vec![c.damage],
            impact: c.impact.trim().to_string(),
        });
    }
    out
}

/// Builds a plant with ids counted from 1.
struct Builder {
    plant: Plant,
}

impl Builder {
    fn zone(&mut self, name: &str, purpose: ZonePurpose, exposure: Exposure, sl: u8) -> ZoneId {
        let id = ZoneId::new(self.plant.zones.len() as i64 + 1);
        self.plant.zones.push(Zone {
            id,
            name: name.to_string(),
            purpose,
            exposure,
            importance: None,
            sl_target: sl,
            processes: vec![],
        });
        id
    }

    fn conduit(&mut self, name: &str, a: ZoneId, b: ZoneId, kind: ConduitKind) -> &mut Conduit {
        let id = ConduitId::new(self.plant.conduits.len() as i64 + 1);
        self.plant.conduits.push(Conduit {
            id,
            name: name.to_string(),
            a,
            b,
            kind,
            direction: Direction::Both,
            protocols: vec![],
            encrypted: false,
            always_on: false,
            operator: String::new(),
        });
        let last = self.plant.conduits.len() - 1;
        &mut self.plant.conduits[last]
    }

    fn asset(&mut self, name: &str, kind: AssetKind, zone: ZoneId) -> &mut Asset {
        let id = AssetId::new(self.plant.assets.len() as i64 + 1);
        self.plant.assets.push(Asset {
            zone: Some(zone),
            ..Asset::new(id, name, kind)
        });
        let last = self.plant.assets.len() - 1;
        &mut self.plant.assets[last]
    }
}

/// The first zone map the answers describe.
///
/// - One control zone (SL-T 3 when any feared damage is of importance 3, else 2) holding one
///   piece of equipment per business process.
/// - The office LAN: an office zone with an office PC, joined to the control zone.
/// - The internet: an internet zone, joined to the office zone through the office router (a
///   firewall) or, with no office LAN, straight to the control zone.
/// - A cloud service: a cloud zone and an IoT gateway with a cloud link in the control zone,
///   joined over an encrypted link.
/// - A maintenance line: a vendor zone, a remote-maintenance line to the control zone (connected
///   all the time unless the answer says "only on request") and the router it ends on.
/// - A vendor's PC, USB sticks: a vendor PC, a USB stick in the control zone.
/// - Wi-Fi: an access point in the office zone, or in the control zone when there is no office.
///
/// Links into the control zone are firewalls when the answer says there is one, plain links
/// otherwise (also for "don't know").
pub fn generate(w: &Worksheet, names: &Names) -> Plant {
    let mut b = Builder {
        plant: Plant {
            processes: processes(w),
            ..Plant::default()
        },
    };
    let top = b.plant.processes.iter().map(|p| p.importance).max();
    let sl = if top == Some(Importance::High) { 3 } else { 2 };
    let control = b.zone(
        &names.control_zone,
        ZonePurpose::Control,
        Exposure::Internal,
        sl,
    );
    let all: Vec<ProcessId> = b.plant.processes.iter().map(|p| p.id).collect();
    b.plant.zones[0].processes = all;
    let equipment: Vec<(String, ProcessId)> = b
        .plant
        .processes
        .iter()
        .map(|p| (names.equipment.replace("{process}", &p.name), p.id))
        .collect();
    for (name, process) in equipment {
        b.asset(&name, AssetKind::Plc, control).processes = vec![process];
    }
    let boundary = if w.boundary_firewall == Answer::Yes {
        ConduitKind::Firewall
    } else {
        ConduitKind::Direct
    };
    ways_in(&mut b, w, names, control, boundary);
    b.plant
}

/// The zones, devices and links of the ways in (see [`generate`]).
fn ways_in(b: &mut Builder, w: &Worksheet, names: &Names, control: ZoneId, boundary: ConduitKind) {
    let has = |way: WayIn| w.ways_in.contains(&way);
    let office = has(WayIn::OfficeLan).then(|| {
        let office = b.zone(
            &names.office_zone,
            ZonePurpose::Information,
            Exposure::Internal,
            1,
        );
        b.asset(&names.office_pc, AssetKind::Workstation, office);
        b.conduit(&names.office_link, office, control, boundary);
        office
    });
    if has(WayIn::Internet) {
        let internet = b.zone(
            &names.internet_zone,
            ZonePurpose::External,
            Exposure::Internet,
            1,
        );
        match office {
            Some(office) => b.conduit(
                &names.internet_link,
                internet,
                office,
                ConduitKind::Firewall,
            ),
            None => b.conduit(&names.internet_link, internet, control, boundary),
        };
    }
    if has(WayIn::Cloud) {
        let cloud = b.zone(&names.cloud_zone, ZonePurpose::External, Exposure::Cloud, 1);
        b.asset(&names.iot_gateway, AssetKind::IotGateway, control)
            .cloud_link = true;
        b.conduit(&names.cloud_link, cloud, control, boundary)
            .encrypted = true;
    }
    if has(WayIn::MaintenanceLine) {
        let vendor = b.zone(
            &names.vendor_zone,
            ZonePurpose::External,
            Exposure::Vendor,
            1,
        );
        b.asset(&names.remote_router, AssetKind::NetworkDevice, control)
            .remote_maintenance = true;
        let line = b.conduit(
            &names.maintenance_line,
            vendor,
            control,
            ConduitKind::RemoteMaintenance,
        );
        line.always_on = w.remote_on_request != Answer::Yes;
    }
    if has(WayIn::VendorPc) {
        b.asset(&names.vendor_pc, AssetKind::VendorPc, control);
    }
    if has(WayIn::Usb) {
        b.asset(&names.usb, AssetKind::RemovableMedia, control);
    }
    if has(WayIn::WiFi) {
        b.asset(
            &names.wifi_ap,
            AssetKind::WirelessAp,
            office.unwrap_or(control),
        );
    }
}

/// Gives every record of `add` an id above the ones of `existing` and maps references.
#[derive(Default)]
struct Ids {
    processes: HashMap<ProcessId, ProcessId>,
    zones: HashMap<ZoneId, ZoneId>,
    conduits: HashMap<ConduitId, ConduitId>,
    assets: HashMap<AssetId, AssetId>,
}

/// Ids counted on from the highest so far.
fn next<T: Copy>(highest: Option<i64>, make: fn(i64) -> T) -> impl FnMut() -> T {
    let mut n = highest.unwrap_or(0);
    move || {
        n += 1;
        make(n)
    }
}

/// `existing` with what `add` holds that it does not: business processes and zones are matched
/// by name (a zone found gains the new processes), conduits by their two zones and kind, assets
/// by name and zone. Nothing of `existing` is removed or changed otherwise.
pub fn merge(existing: &Plant, add: &Plant) -> Plant {
    let mut out = existing.clone();
    let mut ids = Ids::default();
    let mut new_process = next(
        out.processes.iter().map(|p| p.id.get()).max(),
        ProcessId::new,
    );
    for p in &add.processes {
        let id = match out.processes.iter().find(|e| e.name == p.name) {
            Some(e) => e.id,
            None => {
                let id = new_process();
                out.processes.push(Process { id, ..p.clone() });
                id
            }
        };
        ids.processes.insert(p.id, id);
    }
    let mut new_zone = next(out.zones.iter().map(|z| z.id.get()).max(), ZoneId::new);
    for z in &add.zones {
        let processes: Vec<ProcessId> = z
            .processes
            .iter()
            .filter_map(|p| ids.processes.get(p).copied())
            .collect();
        let id = match out.zones.iter_mut().find(|e| e.name == z.name) {
            Some(e) => {
                for p in processes {
                    if !e.processes.contains(&p) {
                        e.processes.push(p);
                    }
                }
                e.id
            }
            None => {
                let id = new_zone();
                out.zones.push(Zone {
                    id,
                    processes,
                    ..z.clone()
                });
                id
            }
        };
        ids.zones.insert(z.id, id);
    }
    merge_conduits(&mut out, add, &mut ids);
    merge_assets(&mut out, add, &mut ids);
    let mut new_flow = next(out.flows.iter().map(|f| f.id.get()).max(), FlowId::new);
    for f in &add.flows {
        let (Some(from), Some(to)) = (ids.assets.get(&f.from), ids.assets.get(&f.to)) else {
            continue;
        };
        let flow = super::model::Flow {
            id: new_flow(),
            from: *from,
            to: *to,
            conduit: f.conduit.and_then(|c| ids.conduits.get(&c).copied()),
            ..f.clone()
        };
        out.flows.push(flow);
    }
    out
}

fn merge_conduits(out: &mut Plant, add: &Plant, ids: &mut Ids) {
    let mut new_conduit = next(
        out.conduits.iter().map(|c| c.id.get()).max(),
        ConduitId::new,
    );
    for c in &add.conduits {
        let (Some(a), Some(b)) = (ids.zones.get(&c.a).copied(), ids.zones.get(&c.b).copied())
        else {
            continue;
        };
        let same = out
            .conduits
            .iter()
            .find(|e| e.kind == c.kind && ((e.a == a && e.b == b) || (e.a == b && e.b == a)));
        let id = match same {
            Some(e) => e.id,
            None => {
                let id = new_conduit();
                out.conduits.push(Conduit {
                    id,
                    a,
                    b,
                    ..c.clone()
                });
                id
            }
        };
        ids.conduits.insert(c.id, id);
    }
}

fn merge_assets(out: &mut Plant, add: &Plant, ids: &mut Ids) {
    let mut new_asset = next(out.assets.iter().map(|a| a.id.get()).max(), AssetId::new);
    for a in &add.assets {
        let zone = a.zone.and_then(|z| ids.zones.get(&z).copied());
        let id = match out
            .assets
            .iter()
            .find(|e| e.name == a.name && e.zone == zone)
        {
            Some(e) => e.id,
            None => {
                let id = new_asset();
                out.assets.push(Asset {
                    id,
                    zone,
                    also_in: a
                        .also_in
                        .iter()
                        .filter_map(|z| ids.zones.get(z).copied())
                        .collect(),
                    processes: a
                        .processes
                        .iter()
                        .filter_map(|p| ids.processes.get(p).copied())
                        .collect(),
                    ..a.clone()
                });
                id
            }
        };
        ids.assets.insert(a.id, id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::plant::routes::{self, EntryPoint, Search};
    use crate::plant::{Importances, Rule, findings};

    fn names() -> Names {
        Names {
            control_zone: "設備".into(),
            office_zone: "事務所".into(),
            internet_zone: "インターネット".into(),
            cloud_zone: "クラウド".into(),
            vendor_zone: "保守会社".into(),
            equipment: "{process}の設備".into(),
            office_pc: "事務用PC".into(),
            iot_gateway: "IoTゲートウェイ".into(),
            remote_router: "保守用ルーター".into(),
            vendor_pc: "持込PC".into(),
            usb: "USBメモリ".into(),
            wifi_ap: "無線LAN".into(),
            office_link: "事務所LAN".into(),
            internet_link: "インターネット回線".into(),
            cloud_link: "クラウド接続".into(),
            maintenance_line: "保守回線".into(),
        }
    }

    fn concern(damage: Damage, process: &str, importance: Importance) -> Concern {
        Concern {
            damage,
            process: process.into(),
            importance,
            impact: String::new(),
        }
    }

    fn sheet(ways_in: &[WayIn]) -> Worksheet {
        Worksheet {
            concerns: vec![
                concern(Damage::Delivery, "プレス加工", Importance::High),
                concern(Damage::Quality, "塗装", Importance::Medium),
            ],
            ways_in: ways_in.to_vec(),
            boundary_firewall: Answer::Unknown,
            remote_on_request: Answer::Unknown,
        }
    }

    fn today() -> Date {
        Date::new(2026, 11, 30).unwrap()
    }

    fn zone_named<'a>(p: &'a Plant, name: &str) -> &'a Zone {
        p.zones
            .iter()
            .find(|z| z.name == name)
            .unwrap_or_else(|| panic!("no zone {name}: {:?}", p.zones))
    }

    #[test]
    fn only_the_equipment_when_nothing_reaches_it() {
        let p = generate(&sheet(&[]), &names());
        assert_eq!(p.zones.len(), 1);
        let control = &p.zones[0];
        assert_eq!(
            (control.purpose, control.sl_target),
            (ZonePurpose::Control, 3)
        );
        assert_eq!(control.processes.len(), 2);
        let assets: Vec<&str> = p.assets.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(assets, ["プレス加工の設備", "塗装の設備"]);
        assert!(p.conduits.is_empty());
        // The equipment is as important as the work it serves.
        let imp = Importances::of(&p);
        assert_eq!(imp.asset(p.assets[0].id), Importance::High);
        assert_eq!(imp.asset(p.assets[1].id), Importance::Medium);
    }

    #[test]
    fn damage_to_people_makes_the_work_most_important_and_names_merge() {
        let mut w = sheet(&[]);
        w.concerns = vec![
            concern(Damage::Safety, "成形", Importance::Low),
            concern(Damage::ProductionStop, " 成形 ", Importance::Medium),
        ];
        let p = generate(&w, &names());
        assert_eq!(p.processes.len(), 1);
        assert_eq!(p.processes[0].importance, Importance::High);
        assert_eq!(
            p.processes[0].damages,
            vec![Damage::Safety, Damage::ProductionStop]
        );
        w.concerns = vec![concern(Damage::Quality, "検査", Importance::Medium)];
        assert_eq!(generate(&w, &names()).zones[0].sl_target, 2);
    }

    #[test]
    fn every_way_in_gets_its_zone_or_device_and_link() {
        let p = generate(&sheet(WayIn::ALL), &names());
        let names: Vec<&str> = p.zones.iter().map(|z| z.name.as_str()).collect();
        assert_eq!(
            names,
            ["設備", "事務所", "インターネット", "クラウド", "保守会社"]
        );
        let control = zone_named(&p, "設備").id;
        let office = zone_named(&p, "事務所").id;
        let kinds: Vec<(ConduitKind, ZoneId, ZoneId)> =
            p.conduits.iter().map(|c| (c.kind, c.a, c.b)).collect();
        assert_eq!(
            kinds,
            [
                (ConduitKind::Direct, office, control),
                (
                    ConduitKind::Firewall,
                    zone_named(&p, "インターネット").id,
                    office
                ),
                (ConduitKind::Direct, zone_named(&p, "クラウド").id, control),
                (
                    ConduitKind::RemoteMaintenance,
                    zone_named(&p, "保守会社").id,
                    control
                ),
            ]
        );
        assert!(p.conduits[2].encrypted, "cloud links use TLS");
        assert!(p.conduits[3].always_on, "not known to be on request");
        let kind_in = |k: AssetKind| p.assets.iter().find(|a| a.kind == k).and_then(|a| a.zone);
        assert_eq!(kind_in(AssetKind::WirelessAp), Some(office));
        assert_eq!(kind_in(AssetKind::VendorPc), Some(control));
        assert_eq!(kind_in(AssetKind::RemovableMedia), Some(control));
        assert!(p.assets.iter().any(|a| a.cloud_link));
        assert!(p.assets.iter().any(|a| a.remote_maintenance));
    }

    #[test]
    fn without_an_office_the_internet_and_wifi_reach_the_equipment_zone() {
        let mut w = sheet(&[WayIn::Internet, WayIn::WiFi]);
        w.boundary_firewall = Answer::Yes;
        let p = generate(&w, &names());
        assert_eq!(p.conduits.len(), 1);
        assert_eq!(p.conduits[0].kind, ConduitKind::Firewall);
        assert_eq!(p.conduits[0].b, p.zones[0].id);
        let ap = p.assets.iter().find(|a| a.kind == AssetKind::WirelessAp);
        assert_eq!(ap.and_then(|a| a.zone), Some(p.zones[0].id));
    }

    #[test]
    fn the_first_map_gives_the_findings_and_routes_a_reviewer_expects() {
        let mut w = sheet(&[WayIn::MaintenanceLine, WayIn::OfficeLan]);
        w.remote_on_request = Answer::Yes;
        let p = generate(&w, &names());
        let found = findings::check(&p, today());
        let rules: Vec<Rule> = found.iter().map(|f| f.rule).collect();
        for rule in [
            Rule::UnfilteredLink,
            Rule::UntrustedUnprotected,
            Rule::ExternalInControl,
        ] {
            assert!(rules.contains(&rule), "{rule}: {rules:?}");
        }
        assert!(!rules.contains(&Rule::RemoteAlwaysOn), "on request");
        let imp = Importances::of(&p);
        let search = Search::to_important(&p, &imp, Importance::High, 6);
        let found = routes::enumerate(&p, &search);
        let entries: Vec<EntryPoint> = found.iter().map(|r| r.foothold.entry).collect();
        assert!(
            entries.contains(&EntryPoint::RemoteMaintenance),
            "{entries:?}"
        );
        assert!(entries.contains(&EntryPoint::OfficeLan), "{entries:?}");
    }

    #[test]
    fn the_same_sheet_merged_twice_adds_nothing_the_second_time() {
        let p = generate(&sheet(&[WayIn::OfficeLan, WayIn::Usb]), &names());
        let again = merge(&p, &p);
        assert_eq!(again, p);
    }

    #[test]
    fn merging_keeps_what_exists_and_adds_the_rest_with_fresh_ids() {
        let existing = generate(&sheet(&[WayIn::OfficeLan]), &names());
        let mut w = sheet(&[WayIn::MaintenanceLine]);
        w.concerns
            .push(concern(Damage::InformationLeak, "設計", Importance::Low));
        let add = generate(&w, &names());
        let merged = merge(&existing, &add);
        // The zones already there keep their ids and settings; the equipment zone gains 設計.
        assert_eq!(merged.zones[1], existing.zones[1]);
        let control = &merged.zones[0];
        assert_eq!(control.id, existing.zones[0].id);
        assert_eq!(control.processes.len(), 3);
        assert_eq!(merged.processes.len(), 3, "{:?}", merged.processes);
        assert_eq!(merged.processes[2].name, "設計");
        let vendor = zone_named(&merged, "保守会社");
        assert_eq!(vendor.id, ZoneId::new(3));
        let line = merged
            .conduits
            .iter()
            .find(|c| c.kind == ConduitKind::RemoteMaintenance)
            .map(|c| (c.id, c.a, c.b));
        assert_eq!(
            line,
            Some((ConduitId::new(2), ZoneId::new(3), ZoneId::new(1)))
        );
        // Every reference points at a record of the merged model.
        for a in &merged.assets {
            assert!(a.zones().all(|z| merged.zone(z).is_some()));
            assert!(a.processes.iter().all(|p| merged.process(*p).is_some()));
        }
        let mut ids: Vec<i64> = merged.assets.iter().map(|a| a.id.get()).collect();
        ids.dedup();
        assert_eq!(ids.len(), merged.assets.len());
        assert_eq!(merged.assets.len(), existing.assets.len() + 2);
    }
}
