//! The methods applied to hand-built plants.

use super::*;
use crate::ids::{AssetId, ConduitId, ProcessId, ZoneId};
use crate::plant::model::{
    Asset, AssetKind, Conduit, Direction, Exposure, Process, Zone, ZonePurpose,
};
use crate::plant::routes::{self, Search};

fn t(s: &str) -> Text {
    Text::new(s, s)
}

fn band(min: u8, max: u8, level: Level) -> Band {
    Band {
        min,
        max,
        level,
        label: t(level.as_str()),
    }
}

/// The SME method: likelihood from threat × vulnerability, then × importance.
fn sme() -> RuleSet {
    RuleSet {
        id: "sme".into(),
        title: t("SME"),
        source: t("test"),
        verified: false,
        reconstructed: None,
        method: Method::LikelihoodTable,
        likelihood: vec![vec![1, 1, 1], vec![1, 1, 2], vec![1, 2, 3]],
        bands: vec![
            band(1, 3, Level::Low),
            band(4, 6, Level::Medium),
            band(7, 9, Level::High),
        ],
    }
}

fn product() -> RuleSet {
    RuleSet {
        id: "product".into(),
        method: Method::Product,
        likelihood: vec![],
        bands: vec![
            band(1, 9, Level::Low),
            band(10, 19, Level::Medium),
            band(20, 27, Level::High),
        ],
        ..sme()
    }
}

fn threats() -> Vec<Threat> {
    vec![Threat {
        entry: EntryPoint::RemoteMaintenance,
        title: t("remote"),
        description: t("remote"),
        level: 3,
        protect: vec!["PHY-6".into()],
        detect: vec!["PHY-8".into()],
        recover: vec!["OPS-11".into()],
    }]
}

fn plant(kind: ConduitKind) -> Plant {
    let zone = |id, purpose, exposure, sl| Zone {
        id: ZoneId::new(id),
        name: format!("z{id}"),
        purpose,
        exposure,
        importance: None,
        sl_target: sl,
        processes: vec![],
    };
    Plant {
        processes: vec![Process {
            id: ProcessId::new(1),
            name: "成形".into(),
            importance: Importance::High,
            damages: vec![],
            impact: String::new(),
        }],
        zones: vec![
            zone(1, ZonePurpose::Control, Exposure::Internal, 3),
            zone(2, ZonePurpose::External, Exposure::Vendor, 1),
        ],
        conduits: vec![Conduit {
            id: ConduitId::new(1),
            name: "保守回線".into(),
            a: ZoneId::new(2),
            b: ZoneId::new(1),
            kind,
            direction: Direction::Both,
            protocols: vec![],
            encrypted: false,
            always_on: true,
            operator: String::new(),
        }],
        assets: vec![Asset {
            zone: Some(ZoneId::new(1)),
            processes: vec![ProcessId::new(1)],
            ..Asset::new(AssetId::new(1), "PLC", AssetKind::Plc)
        }],
        flows: vec![],
    }
}

fn vendor_route_risk(rules: &RuleSet, plant: &Plant, implemented: &Implemented) -> RouteRisk {
    let importances = Importances::of(plant);
    let search = Search::to_important(plant, &importances, Importance::High, 6);
    let found = routes::enumerate(plant, &search);
    let threats = threats();
    let analysis = Analysis {
        rules,
        threats: &threats,
        plant,
        importances: &importances,
        implemented,
    };
    let risks = analysis.routes(&found);
    risks
        .into_iter()
        .find(|r| r.entry == EntryPoint::RemoteMaintenance)
        .expect("a route from the vendor")
}

#[test]
fn the_two_methods_compute_as_their_tables_say() {
    let sme = sme();
    assert_eq!(sme.value(3, 3, 3), 9);
    assert_eq!(sme.value(3, 2, 3), 6);
    assert_eq!(sme.value(2, 1, 3), 2);
    assert_eq!(product().value(3, 3, 2), 18);
    assert!(sme.problems().is_empty() && product().problems().is_empty());
    let mut broken = sme.clone();
    broken.bands.pop();
    assert!(!broken.problems().is_empty(), "bands must reach 9");
    broken = sme;
    broken.likelihood[0].push(1);
    assert!(!broken.problems().is_empty(), "3 × 3 table");
}

#[test]
fn a_direct_vendor_line_is_high_risk_and_a_firewall_lowers_it() {
    let none = Implemented::default();
    for rules in [sme(), product()] {
        let direct = vendor_route_risk(&rules, &plant(ConduitKind::Direct), &none);
        assert_eq!(
            (direct.importance, direct.threat, direct.vulnerability),
            (3, 3, 3)
        );
        assert_eq!(direct.level, Level::High, "{}", rules.id);
        let firewalled = vendor_route_risk(&rules, &plant(ConduitKind::Firewall), &none);
        assert_eq!(firewalled.vulnerability, 2);
        assert!(firewalled.value < direct.value, "{}", rules.id);
    }
}

#[test]
fn measures_in_place_lower_the_vulnerability_and_the_share_says_which_item_helps() {
    let rules = sme();
    let p = plant(ConduitKind::Direct);
    let all = Implemented(["PHY-6", "PHY-8", "OPS-11"].map(String::from).into());
    let r = vendor_route_risk(&rules, &p, &all);
    assert_eq!(r.measures.points(), 3);
    assert_eq!(r.vulnerability, 1);
    // Implementing PHY-6 alone takes the vendor route from 3 to 2: (3 × table[3][2] = 6) out of
    // the high band; an item no route depends on changes nothing.
    let importances = Importances::of(&p);
    let search = Search::to_important(&p, &importances, Importance::High, 6);
    let found = routes::enumerate(&p, &search);
    let threats = threats();
    let none = Implemented::default();
    let analysis = Analysis {
        rules: &rules,
        threats: &threats,
        plant: &p,
        importances: &importances,
        implemented: &none,
    };
    let high = analysis
        .routes(&found)
        .iter()
        .filter(|r| r.level == Level::High)
        .count();
    assert!(high >= 1);
    assert!(route_share(&analysis, &found, "PHY-6") > 0.0);
    assert_eq!(route_share(&analysis, &found, "ORG-1"), 0.0);
    let assets = analysis.assets(&analysis.routes(&found));
    assert_eq!(assets.len(), 1);
    assert_eq!(assets[0].level, Level::High);
}
