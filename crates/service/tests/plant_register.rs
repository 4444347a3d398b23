//! The asset register use cases on a real database (SQLite, or PostgreSQL when the run targets
//! it): template, export, import — all or nothing — and the round trip.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

use std::io::Cursor;
use std::sync::Arc;

use calamine::{Data, Reader, Xlsx};
use kojo_core::Locale;
use kojo_core::date::Date;
use kojo_core::ids::{FlowId, SiteId};
use kojo_core::org::{OrgKind, Role};
use kojo_core::plant::model::{AssetKind, AssetStatus, Flow, Plant};
use kojo_core::plant::simulate::{Size, simulate};
use kojo_formats::register::{Expected, RegisterError};
use kojo_service::plant_register::{
    Missing, REGISTER_UPLOAD_LIMIT, RegisterImport, RegisterSummary,
};
use kojo_service::{Config, Error, Lang, Principal, Service, Who};
use kojo_storage::testing::{self, TestStore};
use kojo_storage::{Actor, NewOrg, NewSite, NewUser};
use rust_xlsxwriter::{Format, Workbook};

struct Setup {
    db: TestStore,
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
                    role: Role::CompanyMember,
                    org_id: Some(org.id),
                    password_hash: "x".into(),
                    locale: Locale::Ja,
                },
            )
            .await
            .unwrap();
        people.push(Who::User(Principal {
            id: user.id,
            login: user.login,
            display_name: String::new(),
            role: Role::CompanyMember,
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
        db,
        service,
        who: people.pop().unwrap(),
        site: sites[0],
        stranger,
    }
}

/// A simulated plant with every asset field used somewhere, and data flows.
fn plant() -> Plant {
    let mut p = simulate(
        Size {
            assets: 200,
            zones: 40,
            conduits: 100,
        },
        11,
    );
    let second = p.zones[1].id;
    let processes: Vec<_> = p.processes.iter().map(|x| x.id).collect();
    for (i, a) in p.assets.iter_mut().enumerate() {
        a.tag = format!("KIKI-{i:04}");
        a.model = format!("R{:02}CPU", i % 8);
        a.serial = format!("SN{i:06}");
        a.ip = format!("10.0.{}.{}", i / 200, i % 200 + 1);
        a.location = "第1工場".into();
        if i % 4 == 0 {
            a.os = "Windows 10".into();
            a.os_support_end = Date::new(2025, 10, 14);
        }
        if i % 9 == 0 && a.zone != Some(second) {
            a.also_in = vec![second];
        }
        if i % 5 == 0 && processes.len() > 1 {
            a.processes = processes[..2].to_vec();
        }
        a.status = [
            AssetStatus::Active,
            AssetStatus::Spare,
            AssetStatus::Retired,
        ][i % 3];
        a.black_box = i % 6 == 0;
        a.wireless = i % 10 == 0;
    }
    p.flows = (0..5)
        .map(|i| Flow {
            id: FlowId::new(i + 1),
            from: p.assets[i as usize].id,
            to: p.assets[i as usize + 10].id,
            data: "生産実績".into(),
            protocol: "OPC UA".into(),
            conduit: None,
        })
        .collect();
    p
}

fn imported(r: RegisterImport) -> RegisterSummary {
    match r {
        RegisterImport::Imported(s) => s,
        RegisterImport::Rejected(RegisterError::Cells(cells)) => panic!(
            "rejected: {}",
            cells
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
        RegisterImport::Rejected(e) => panic!("rejected: {e}"),
    }
}

#[tokio::test]
async fn the_register_exported_and_imported_again_gives_the_same_model() {
    let s = setup().await;
    let svc = &s.service;
    let stored = svc
        .replace_plant(&s.who, s.site, &plant(), "simulate")
        .await
        .unwrap();
    let revision = svc.plant_revision(&s.who, s.site).await.unwrap();
    for lang in [Lang::new(Locale::Ja), Lang::en()] {
        let (name, bytes) = svc.register_export(&s.who, s.site, &lang).await.unwrap();
        assert!(name.ends_with("_本社工場.xlsx"), "{name}");
        // A real reader sees one row per asset under the headers on row 3.
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
        let first = wb.sheet_names()[0].clone();
        let range = wb.worksheet_range(&first).unwrap();
        assert_eq!(range.height(), 3 + stored.assets.len());
        assert_eq!(
            range.get_value((3, 1)),
            Some(&Data::String(stored.assets[0].name.clone()))
        );
        let summary = imported(
            svc.import_register(&s.who, s.site, &name, &bytes, Missing::Remove)
                .await
                .unwrap(),
        );
        assert_eq!(summary.unchanged, stored.assets.len(), "{summary:?}");
        assert_eq!((summary.added, summary.updated, summary.removed), (0, 0, 0));
        assert_eq!(svc.plant_of(&s.who, s.site).await.unwrap().1, stored);
        assert_eq!(
            svc.plant_revision(&s.who, s.site).await.unwrap(),
            revision,
            "nothing written"
        );
    }
    // Into another site with the same zones and processes but no assets: every row is new and
    // the assets come out the same (new ids, same everything else).
    let org = s.db.site(s.site).await.unwrap().org_id;
    let other =
        s.db.create_site(
            &Actor::cli(),
            org,
            &NewSite {
                name: "第二工場".into(),
                ..NewSite::default()
            },
        )
        .await
        .unwrap()
        .id;
    let empty = Plant {
        assets: vec![],
        flows: vec![],
        ..plant()
    };
    svc.replace_plant(&s.who, other, &empty, "import")
        .await
        .unwrap();
    let (_, bytes) = svc
        .register_export(&s.who, s.site, &Lang::en())
        .await
        .unwrap();
    let summary = imported(
        svc.import_register(&s.who, other, "r.xlsx", &bytes, Missing::Keep)
            .await
            .unwrap(),
    );
    assert_eq!(summary.added, stored.assets.len());
    assert_eq!(
        summary.stale_ids,
        stored.assets.len(),
        "the kojo IDs were another site's"
    );
    let copy = svc.plant_of(&s.who, other).await.unwrap().1;
    let strip = |p: &Plant| {
        let named = kojo_core::plant::named::NamedPlant::from_plant(p);
        named.assets
    };
    assert_eq!(strip(&copy), strip(&stored));
}

/// A register as the factory keeps it for the model `plant()` makes: title rows, its own
/// headers, full-width digits, 和暦, a merged location, a blank row, an unknown column.
fn factory_register(zone: &str, process: &str, existing_tag: &str) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("設備台帳").unwrap();
    ws.write_string(0, 0, "設備台帳　令和8年4月1日現在")
        .unwrap();
    for (c, h) in [
        "管理番号",
        "設備名",
        "機器種別",
        "メーカ名",
        "型番",
        "ＦＷ",
        "セグメント",
        "設置箇所",
        "保守期間",
        "対象業務",
        "備考",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let rows = [
        [
            existing_tag,
            "既存の機器",
            "シーケンサ",
            "三菱電機",
            "Ｑ０６ＵＤＶ",
            "Ｖ２．３",
            zone,
            "",
            "R9.3.31",
            process,
            "更新済",
        ],
        [
            "N-001",
            "新しいPLC",
            "PLC",
            "オムロン",
            "NX102-9000",
            "1.50",
            zone,
            "",
            "2024/4/1～2029/3/31",
            "",
            "",
        ],
        [
            "N-002",
            "新しいHMI",
            "タッチパネル",
            "Pro-face",
            "GP4000",
            "",
            zone,
            "第2工場",
            "H31/4/30",
            "",
            "",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        let r = 3 + r as u32 + u32::from(r == 2);
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r, c as u16, *v).unwrap();
            }
        }
    }
    ws.merge_range(3, 7, 4, 7, "第1工場 2階", &Format::new())
        .unwrap();
    wb.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_factory_register_updates_and_adds_and_can_replace_the_list() {
    let s = setup().await;
    let svc = &s.service;
    let stored = svc
        .replace_plant(&s.who, s.site, &plant(), "simulate")
        .await
        .unwrap();
    let zone = stored.zones[2].name.clone();
    let process = stored.processes[0].name.clone();
    let target = stored
        .assets
        .iter()
        .find(|a| a.tag == "KIKI-0007")
        .unwrap()
        .clone();
    let bytes = factory_register(&zone.replace('1', "１"), &process, "ＫＩＫＩ－０００７");
    let summary = imported(
        svc.import_register(&s.who, s.site, "台帳.xlsx", &bytes, Missing::Keep)
            .await
            .unwrap(),
    );
    assert_eq!(
        (summary.added, summary.updated, summary.removed),
        (2, 1, 0),
        "{summary:?}"
    );
    assert_eq!(summary.sheets, ["設備台帳"]);
    assert_eq!(summary.ignored.len(), 1, "備考");
    let after = svc.plant_of(&s.who, s.site).await.unwrap().1;
    assert_eq!(after.assets.len(), stored.assets.len() + 2);
    let updated = after.asset(target.id).unwrap();
    assert_eq!(updated.name, "既存の機器");
    assert_eq!(updated.kind, AssetKind::Plc);
    assert_eq!(updated.model, "Q06UDV");
    assert_eq!(updated.version, "V2.3");
    assert_eq!(updated.maintenance_end, Date::new(2027, 3, 31));
    assert_eq!(updated.location, "第1工場 2階");
    assert_eq!(updated.zone, Some(stored.zones[2].id));
    assert_eq!(updated.processes, [stored.processes[0].id]);
    // Columns the register does not have are kept.
    assert_eq!(
        (&updated.serial, &updated.ip, updated.status),
        (&target.serial, &target.ip, target.status)
    );
    let plc = after.assets.iter().find(|a| a.name == "新しいPLC").unwrap();
    assert_eq!(plc.maintenance_end, Date::new(2029, 3, 31));
    assert_eq!(plc.location, "第1工場 2階", "merged over two rows");
    let hmi = after.assets.iter().find(|a| a.name == "新しいHMI").unwrap();
    assert_eq!(
        (hmi.kind, hmi.maintenance_end),
        (AssetKind::Hmi, Date::new(2019, 4, 30))
    );

    // The same register as the whole list: every other asset goes, with its flows.
    let summary = imported(
        svc.import_register(&s.who, s.site, "台帳.xlsx", &bytes, Missing::Remove)
            .await
            .unwrap(),
    );
    assert_eq!(summary.removed, stored.assets.len() - 1);
    assert_eq!(summary.flows_removed, 5);
    assert_eq!(
        (summary.added, summary.unchanged),
        (0, 3),
        "matched by asset number now"
    );
    let after = svc.plant_of(&s.who, s.site).await.unwrap().1;
    assert_eq!(after.assets.len(), 3);
    assert!(after.flows.is_empty());
    assert_eq!(after.zones, stored.zones, "zones are never touched");
}

#[tokio::test]
async fn a_bad_register_is_refused_whole_with_every_cell_located() {
    let s = setup().await;
    let svc = &s.service;
    svc.replace_plant(&s.who, s.site, &plant(), "simulate")
        .await
        .unwrap();
    let before = svc.plant_of(&s.who, s.site).await.unwrap().1;
    let revision = svc.plant_revision(&s.who, s.site).await.unwrap();
    // Good rows, then a zone the site does not have and a date that does not exist.
    let mut bytes = factory_register(&before.zones[0].name, "", "");
    let bad = factory_register("第9工場LAN", "", "");
    let RegisterImport::Rejected(e) = svc
        .import_register(&s.who, s.site, "台帳.xlsx", &bad, Missing::Remove)
        .await
        .unwrap()
    else {
        panic!("imported a register with unknown zones")
    };
    let RegisterError::Cells(cells) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(cells.len(), 3, "one per row: {cells:#?}");
    assert!(
        cells
            .iter()
            .all(|c| c.column == "G" && c.header == "セグメント")
    );
    assert_eq!(cells.iter().map(|c| c.row).collect::<Vec<_>>(), [4, 5, 7]);
    assert!(
        matches!(&cells[0].expected, Expected::Zone { known } if known.len() == before.zones.len())
    );
    assert!(
        cells[0]
            .message(Locale::Ja)
            .contains("シート「設備台帳」4行目、G列（セグメント）")
    );
    assert!(
        cells[0]
            .message(Locale::En)
            .contains("sheet 設備台帳, row 4, column G (セグメント)")
    );
    assert_eq!(svc.plant_of(&s.who, s.site).await.unwrap().1, before);
    assert_eq!(svc.plant_revision(&s.who, s.site).await.unwrap(), revision);
    // Not a register at all, and a file over the limit: refused, nothing written.
    bytes.truncate(100);
    assert!(matches!(
        svc.import_register(&s.who, s.site, "x.xlsx", &bytes, Missing::Remove)
            .await
            .unwrap(),
        RegisterImport::Rejected(RegisterError::Read(_))
    ));
    let huge = vec![b'a'; REGISTER_UPLOAD_LIMIT + 1];
    assert!(matches!(
        svc.import_register(&s.who, s.site, "x.csv", &huge, Missing::Remove)
            .await,
        Err(Error::TooLarge { .. })
    ));
    assert_eq!(svc.plant_of(&s.who, s.site).await.unwrap().1, before);
}

#[tokio::test]
async fn another_company_can_neither_read_nor_write_the_register() {
    let s = setup().await;
    let svc = &s.service;
    svc.replace_plant(&s.who, s.site, &plant(), "simulate")
        .await
        .unwrap();
    let lang = Lang::new(Locale::Ja);
    let (_, bytes) = svc.register_export(&s.who, s.site, &lang).await.unwrap();
    assert!(matches!(
        svc.register_export(&s.stranger, s.site, &lang).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        svc.register_template(&s.stranger, s.site, &lang).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        svc.import_register(&s.stranger, s.site, "r.xlsx", &bytes, Missing::Remove)
            .await,
        Err(Error::NotFound)
    ));
    // The site's template lists its zones for the drop-down.
    let (name, template) = svc.register_template(&s.who, s.site, &lang).await.unwrap();
    assert!(name.starts_with("資産台帳_記入用"), "{name}");
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(template)).unwrap();
    let lists = wb.worksheet_range("_kojo_lists").unwrap();
    let zones: Vec<String> = (0..lists.height())
        .filter_map(|r| lists.get_value((r as u32, 3)).map(|d| d.to_string()))
        .filter(|z| !z.is_empty())
        .collect();
    let plant = svc.plant_of(&s.who, s.site).await.unwrap().1;
    assert_eq!(
        zones,
        plant
            .zones
            .iter()
            .map(|z| z.name.clone())
            .collect::<Vec<_>>()
    );
}
