//! The plant use cases on a real database (SQLite, or PostgreSQL when the run targets it).

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

use std::sync::Arc;

use kojo_core::date::Date;
use kojo_core::ids::SiteId;
use kojo_core::org::{OrgKind, Role};
use kojo_core::plant::Rule;
use kojo_core::plant::routes::EntryPoint;
use kojo_core::risk::Level;
use kojo_service::plant::{AnalysisOptions, AssetDraft, ConduitDraft, ProcessDraft, ZoneDraft};
use kojo_service::{Config, Error, Principal, Problem, Service, Who};
use kojo_storage::testing::{self, TestStore};
use kojo_storage::{Actor, NewOrg, NewSite, NewUser};

struct Setup {
    _db: TestStore,
    service: Service,
    who: Who,
    site: SiteId,
    stranger: Who,
}

async fn setup() -> Setup {
    let db = testing::fresh().await;
    let catalog = Arc::new(kojo_content::load_embedded().expect("content"));
    let service = Service::new(db.store.clone(), catalog, Config::default());
    let mut people = Vec::new();
    let mut sites = Vec::new();
    for name in ["山田精機", "佐藤化学"] {
        let org = db
            .create_org(
                &Actor::cli(),
                OrgKind::Company,
                &NewOrg {
                    name: name.into(),
                    ..NewOrg::default()
                },
            )
            .await
            .unwrap();
        let user = db
            .create_user(
                &Actor::cli(),
                &NewUser {
                    login: format!("user{}", org.id),
                    display_name: String::new(),
                    role: Role::CompanyAdmin,
                    org_id: Some(org.id),
                    password_hash: "x".into(),
                    locale: kojo_core::Locale::Ja,
                },
            )
            .await
            .unwrap();
        people.push(Who::User(Principal {
            id: user.id,
            login: user.login,
            display_name: String::new(),
            role: Role::CompanyAdmin,
            org_id: Some(org.id),
        }));
        let site = db
            .create_site(
                &Actor::cli(),
                org.id,
                &NewSite {
                    name: "本社工場".into(),
                    ..NewSite::default()
                },
            )
            .await
            .unwrap();
        sites.push(site.id);
    }
    let stranger = people.pop().unwrap();
    Setup {
        _db: db,
        service,
        who: people.pop().unwrap(),
        site: sites[0],
        stranger,
    }
}

fn zone(name: &str, purpose: &str, exposure: &str, sl: &str) -> ZoneDraft {
    ZoneDraft {
        name: name.into(),
        purpose: purpose.into(),
        exposure: exposure.into(),
        sl_target: sl.into(),
        ..ZoneDraft::default()
    }
}

#[tokio::test]
async fn a_small_plant_is_built_in_forms_checked_and_analysed() {
    let s = setup().await;
    let svc = &s.service;
    let press = svc
        .save_process(
            &s.who,
            s.site,
            None,
            &ProcessDraft {
                name: "プレス加工".into(),
                importance: "3".into(),
                damages: vec!["production".into(), "safety".into()],
                impact: "ライン停止".into(),
            },
        )
        .await
        .unwrap();
    let control = svc
        .save_zone(
            &s.who,
            s.site,
            None,
            &ZoneDraft {
                processes: vec![press],
                ..zone("制御", "control", "internal", "3")
            },
        )
        .await
        .unwrap();
    let vendor = svc
        .save_zone(
            &s.who,
            s.site,
            None,
            &zone("保守ベンダー", "external", "vendor", "1"),
        )
        .await
        .unwrap();
    svc.save_conduit(
        &s.who,
        s.site,
        None,
        &ConduitDraft {
            name: "保守回線".into(),
            a: Some(vendor),
            b: Some(control),
            kind: "direct".into(),
            direction: "both".into(),
            ..ConduitDraft::default()
        },
    )
    .await
    .unwrap();
    svc.save_asset(
        &s.who,
        s.site,
        None,
        &AssetDraft {
            name: "1号プレス PLC".into(),
            kind: "plc".into(),
            zone: Some(control),
            owner: "製造課".into(),
            version: "Ｖ２．３".into(),
            maintenance_end: "2027/3/31".into(),
            processes: vec![press],
            ..AssetDraft::default()
        },
    )
    .await
    .unwrap();
    let (_, plant) = svc.plant_of(&s.who, s.site).await.unwrap();
    assert_eq!(plant.assets[0].maintenance_end, Date::new(2027, 3, 31));
    assert_eq!(plant.assets[0].version, "V2.3", "full-width normalised");

    let today = Date::new(2026, 11, 30).unwrap();
    let a = svc
        .analyse_plant(&s.who, s.site, &AnalysisOptions::new(today))
        .await
        .unwrap();
    let rules: Vec<Rule> = a.findings.iter().map(|f| f.rule).collect();
    assert!(
        rules.contains(&Rule::UnfilteredLink) && rules.contains(&Rule::UntrustedUnprotected),
        "{rules:?}"
    );
    let vendor_route = a
        .route_risks
        .iter()
        .find(|r| r.entry == EntryPoint::RemoteMaintenance)
        .expect("route");
    assert_eq!(vendor_route.level, Level::High);
    assert!(a.implemented.0.is_empty(), "no self-assessment yet");
    assert_eq!(a.asset_risks.len(), 1);

    // The risk analysis as a workbook in IPA's layout, read back with a real reader.
    for (locale, routes_sheet, assets_sheet, plc_row_risk) in [
        (kojo_core::Locale::Ja, "事業被害ベース", "資産ベース", "高"),
        (kojo_core::Locale::En, "Business impact", "Assets", "High"),
    ] {
        let lang = kojo_service::Lang::new(locale);
        let (name, bytes) = svc
            .risk_workbook(&s.who, s.site, &AnalysisOptions::new(today), &lang)
            .await
            .unwrap();
        assert!(name.ends_with("_本社工場.xlsx"), "{name}");
        let mut wb: calamine::Xlsx<_> = calamine::Reader::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = |wb: &mut calamine::Xlsx<_>, name: &str| {
            calamine::Reader::worksheet_range(wb, name).unwrap()
        };
        let routes = sheet(&mut wb, routes_sheet);
        let cells: Vec<String> = routes.rows().flatten().map(|c| c.to_string()).collect();
        let vendor = cells
            .iter()
            .position(|c| c.contains("1号プレス PLC") && c.contains("保守ベンダー"))
            .expect("the vendor route's scenario names foothold and target");
        assert!(
            cells
                .iter()
                .any(|c| c.starts_with("プレス加工: ライン停止"))
        );
        assert!(
            cells[vendor..].iter().any(|c| c == plc_row_risk),
            "{cells:?}"
        );
        let assets = sheet(&mut wb, assets_sheet);
        let row = assets
            .rows()
            .find(|r| r.iter().any(|c| *c == "1号プレス PLC"))
            .expect("the PLC on the asset-based sheet");
        assert_eq!(row[0], calamine::Data::Float(1.0));
        assert_eq!(
            row[5],
            calamine::Data::Float(3.0),
            "importance from プレス加工"
        );
    }

    // Another company sees none of it and cannot write into it.
    assert!(matches!(
        svc.plant_of(&s.stranger, s.site).await,
        Err(Error::NotFound)
    ));
    let err = svc
        .save_zone(
            &s.stranger,
            s.site,
            None,
            &zone("x", "control", "internal", "2"),
        )
        .await;
    assert!(matches!(err, Err(Error::NotFound)), "{err:?}");
}

#[tokio::test]
async fn bad_form_input_names_the_field_and_stores_nothing() {
    let s = setup().await;
    let svc = &s.service;
    for (draft, field) in [
        (zone("", "control", "internal", "3"), "name"),
        (zone("z", "kitchen", "internal", "3"), "purpose"),
        (zone("z", "control", "internal", "5"), "sl_target"),
        (zone(&"長".repeat(201), "control", "internal", "3"), "name"),
    ] {
        match svc.save_zone(&s.who, s.site, None, &draft).await {
            Err(Error::Invalid(Problem::Field { field: f, .. })) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    let bad_date = AssetDraft {
        name: "PLC".into(),
        kind: "plc".into(),
        maintenance_end: "2027/13/45".into(),
        ..AssetDraft::default()
    };
    match svc.save_asset(&s.who, s.site, None, &bad_date).await {
        Err(Error::Invalid(Problem::Field { field, .. })) => assert_eq!(field, "maintenance_end"),
        other => panic!("{other:?}"),
    }
    let (_, plant) = svc.plant_of(&s.who, s.site).await.unwrap();
    assert!(plant.zones.is_empty() && plant.assets.is_empty());
}
