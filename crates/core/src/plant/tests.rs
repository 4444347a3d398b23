//! Hand-built plants: the checks and routes an OT reviewer would expect.

use super::*;
use crate::date::Date;
use crate::ids::{AssetId, ConduitId, ProcessId, ZoneId};

fn zone(id: i64, name: &str, purpose: ZonePurpose, exposure: Exposure, sl: u8) -> Zone {
    Zone {
        id: ZoneId::new(id),
        name: name.into(),
        purpose,
        exposure,
        importance: None,
        sl_target: sl,
        processes: vec![],
    }
}

fn conduit(id: i64, a: i64, b: i64, kind: ConduitKind) -> Conduit {
    Conduit {
        id: ConduitId::new(id),
        name: format!("c{id}"),
        a: ZoneId::new(a),
        b: ZoneId::new(b),
        kind,
        direction: Direction::Both,
        protocols: vec![],
        encrypted: false,
        always_on: false,
        operator: String::new(),
    }
}

fn asset(id: i64, kind: AssetKind, zone: i64) -> Asset {
    Asset {
        zone: Some(ZoneId::new(zone)),
        owner: "製造課 山田".into(),
        version: "V1.0".into(),
        ..Asset::new(AssetId::new(id), format!("a{id}"), kind)
    }
}

/// A press line: a PLC zone that keeps the line running (業務 of importance 3), the office LAN,
/// and a vendor's maintenance zone wired straight to the PLC zone.
fn press_line() -> Plant {
    let mut plc = asset(1, AssetKind::Plc, 1);
    plc.processes = vec![ProcessId::new(1)];
    let mut vendor_pc = asset(2, AssetKind::VendorPc, 3);
    vendor_pc.owner = "ベンダー".into();
    Plant {
        processes: vec![Process {
            id: ProcessId::new(1),
            name: "プレス加工".into(),
            importance: Importance::High,
            damages: vec![Damage::ProductionStop, Damage::Safety],
            impact: "ライン停止で納期遅延".into(),
        }],
        zones: vec![
            zone(1, "制御", ZonePurpose::Control, Exposure::Internal, 3),
            zone(
                2,
                "事務所LAN",
                ZonePurpose::Information,
                Exposure::Internal,
                1,
            ),
            zone(
                3,
                "保守ベンダー",
                ZonePurpose::External,
                Exposure::Vendor,
                1,
            ),
        ],
        conduits: vec![
            conduit(1, 3, 1, ConduitKind::Direct),
            conduit(2, 2, 1, ConduitKind::Firewall),
        ],
        assets: vec![plc, vendor_pc, asset(3, AssetKind::Workstation, 2)],
        flows: vec![],
    }
}

fn today() -> Date {
    Date::new(2026, 11, 30).unwrap()
}

fn rules_on(findings: &[Finding], subject: Subject) -> Vec<Rule> {
    findings
        .iter()
        .filter(|f| f.subject == subject)
        .map(|f| f.rule)
        .collect()
}

#[test]
fn a_vendor_wired_straight_to_the_plc_zone_is_flagged_and_gives_a_route() {
    let plant = press_line();
    let findings = findings::check(&plant, today());
    let direct = Subject::Conduit(ConduitId::new(1));
    assert_eq!(
        rules_on(&findings, direct),
        vec![Rule::UnfilteredLink, Rule::UntrustedUnprotected]
    );
    assert!(rules_on(&findings, Subject::Conduit(ConduitId::new(2))).is_empty());
    let importances = Importances::of(&plant);
    assert_eq!(importances.asset(AssetId::new(1)), Importance::High);
    let search = Search::to_important(&plant, &importances, Importance::High, 6);
    assert_eq!(search.targets, vec![ZoneId::new(1)]);
    let routes = routes::enumerate(&plant, &search);
    let from_vendor: Vec<_> = routes
        .iter()
        .filter(|r| r.foothold.entry == EntryPoint::RemoteMaintenance)
        .collect();
    assert_eq!(from_vendor.len(), 1);
    let steps: Vec<(Vec<ConduitId>, ZoneId)> = from_vendor[0]
        .steps()
        .map(|(c, z)| (c.to_vec(), z))
        .collect();
    assert_eq!(steps, vec![(vec![ConduitId::new(1)], ZoneId::new(1))]);
    // The office LAN reaches the PLC zone through the firewall; the vendor PC sitting in the
    // vendor zone is a foothold there too; an insider is already in the PLC zone.
    let entries: Vec<EntryPoint> = routes.iter().map(|r| r.foothold.entry).collect();
    assert!(entries.contains(&EntryPoint::OfficeLan));
    assert!(entries.contains(&EntryPoint::VendorPc));
    assert!(entries.contains(&EntryPoint::Insider));
}

#[test]
fn a_firewall_on_the_vendor_link_clears_the_unfiltered_link() {
    let mut plant = press_line();
    plant.conduits[0].kind = ConduitKind::Firewall;
    let findings = findings::check(&plant, today());
    assert!(rules_on(&findings, Subject::Conduit(ConduitId::new(1))).is_empty());
    // The route is still there (a firewall filters, it does not cut), through the firewall.
    let importances = Importances::of(&plant);
    let search = Search::to_important(&plant, &importances, Importance::High, 6);
    let routes = routes::enumerate(&plant, &search);
    assert!(
        routes
            .iter()
            .any(|r| r.foothold.entry == EntryPoint::RemoteMaintenance)
    );
}

#[test]
fn a_data_diode_out_of_the_plant_cuts_the_way_in() {
    let mut plant = press_line();
    // Only from the control zone (SL 3) out to the office (SL 1): right way round.
    plant.conduits[1].kind = ConduitKind::DataDiode;
    plant.conduits[1].direction = Direction::BToA;
    plant.conduits.remove(0);
    let findings = findings::check(&plant, today());
    assert!(findings.iter().all(|f| f.rule != Rule::DiodeWrongWay));
    let importances = Importances::of(&plant);
    let search = Search::to_important(&plant, &importances, Importance::High, 6);
    let routes = routes::enumerate(&plant, &search);
    assert!(
        routes
            .iter()
            .all(|r| r.foothold.entry != EntryPoint::OfficeLan)
    );
    // Turned the other way it lets data into the higher level: flagged, and a route opens.
    plant.conduits[0].direction = Direction::AToB;
    let findings = findings::check(&plant, today());
    assert!(findings.iter().any(|f| f.rule == Rule::DiodeWrongWay));
    let routes = routes::enumerate(&plant, &search);
    assert!(
        routes
            .iter()
            .any(|r| r.foothold.entry == EntryPoint::OfficeLan)
    );
}

#[test]
fn assets_without_owner_support_or_version_are_flagged() {
    let mut plant = press_line();
    plant.assets[0].owner.clear();
    plant.assets[0].version.clear();
    plant.assets[2].os_support_end = Date::new(2025, 10, 14);
    plant.assets.push(Asset {
        status: AssetStatus::Retired,
        ..asset(9, AssetKind::Plc, 1)
    });
    let findings = findings::check(&plant, today());
    let plc = rules_on(&findings, Subject::Asset(AssetId::new(1)));
    assert_eq!(plc, vec![Rule::NoOwner, Rule::UnknownVersion]);
    assert_eq!(
        rules_on(&findings, Subject::Asset(AssetId::new(3))),
        vec![Rule::SupportEnded]
    );
    assert!(
        rules_on(&findings, Subject::Asset(AssetId::new(9))).is_empty(),
        "retired"
    );
}

#[test]
fn the_zcr_groupings_are_checked_zone_by_zone() {
    let mut plant = press_line();
    let mut sis = asset(10, AssetKind::SafetyController, 1);
    sis.safety = true;
    let mut ap = asset(11, AssetKind::WirelessAp, 1);
    ap.owner = "設備課".into();
    let mut gw = asset(12, AssetKind::IotGateway, 1);
    gw.cloud_link = true;
    let mut tester = asset(13, AssetKind::Other, 1);
    tester.temporary = true;
    plant
        .assets
        .extend([sis, ap, gw, tester, asset(14, AssetKind::Printer, 1)]);
    let findings = findings::check(&plant, today());
    let on_zone = rules_on(&findings, Subject::Zone(ZoneId::new(1)));
    for rule in [
        Rule::BusinessWithControl,
        Rule::SafetyNotSeparated,
        Rule::TemporaryNotSeparated,
        Rule::WirelessInControl,
        Rule::ExternalInControl,
    ] {
        assert!(on_zone.contains(&rule), "{rule} missing: {on_zone:?}");
    }
    // The office zone has no control equipment: nothing to separate there.
    assert!(rules_on(&findings, Subject::Zone(ZoneId::new(2))).is_empty());
}

#[test]
fn a_dual_homed_asset_bridging_security_levels_is_flagged() {
    let mut plant = press_line();
    let mut scada = asset(20, AssetKind::ScadaServer, 1);
    scada.also_in = vec![ZoneId::new(2)];
    let mut usb = asset(21, AssetKind::RemovableMedia, 2);
    usb.also_in = vec![ZoneId::new(1)];
    plant.assets.extend([scada, usb]);
    let findings = findings::check(&plant, today());
    assert_eq!(
        rules_on(&findings, Subject::Asset(AssetId::new(20))),
        vec![Rule::BridgeAcrossLevels]
    );
    assert_eq!(
        rules_on(&findings, Subject::Asset(AssetId::new(21))),
        vec![Rule::PortableCrossesZones]
    );
}

#[test]
fn routes_are_simple_bounded_and_deterministic() {
    // A ring of five zones: every route is simple and at most `max_hops` long.
    let mut plant = Plant::default();
    for i in 1..=5 {
        let exposure = if i == 1 {
            Exposure::Internet
        } else {
            Exposure::Internal
        };
        plant
            .zones
            .push(zone(i, &format!("z{i}"), ZonePurpose::Control, exposure, 2));
        plant
            .conduits
            .push(conduit(i, i, i % 5 + 1, ConduitKind::Firewall));
    }
    let mut target = asset(1, AssetKind::Plc, 4);
    target.safety = true;
    plant.assets.push(target);
    let importances = Importances::of(&plant);
    let search = Search::to_important(&plant, &importances, Importance::High, 6);
    let routes = routes::enumerate(&plant, &search);
    let internet: Vec<Vec<i64>> = routes
        .iter()
        .filter(|r| r.foothold.entry == EntryPoint::Internet)
        .map(|r| r.steps().map(|(_, z)| z.get()).collect())
        .collect();
    assert_eq!(internet, vec![vec![2, 3, 4], vec![5, 4]]);
    let short = routes::enumerate(
        &plant,
        &Search {
            max_hops: 2,
            ..search.clone()
        },
    );
    assert!(short.iter().all(|r| r.hops() <= 2));
    let again = routes::enumerate(&plant, &search);
    assert_eq!(
        routes.iter().collect::<Vec<_>>(),
        again.iter().collect::<Vec<_>>()
    );
}
