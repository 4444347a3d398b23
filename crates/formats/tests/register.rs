//! The asset register as factories keep it: read with the real vocabulary, bad cells located,
//! and kojo's own template and export read back (opened with calamine, a real reader).

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use kojo_content::Catalog;
use kojo_core::Locale;
use kojo_core::date::Date;
use kojo_core::ids::{AssetId, ProcessId, ZoneId};
use kojo_core::plant::model::{AssetKind, AssetStatus, Plant};
use kojo_core::plant::named::NamedPlant;
use kojo_core::plant::simulate::{Size, simulate};
use kojo_formats::register::{
    Expected, Field, Known, RegisterBook, RegisterError, Vocabulary, read, write,
};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn catalog() -> Catalog {
    kojo_content::load_embedded().unwrap()
}

fn vocab(c: &Catalog) -> Vocabulary<'_> {
    Vocabulary::new(&c.plant.register, &c.plant.labels, kojo_content::fold)
}

struct Site {
    zones: Vec<String>,
    processes: Vec<String>,
    assets: Vec<(i64, String)>,
}

impl Site {
    fn factory() -> Site {
        Site {
            zones: vec!["制御LAN".into(), "情報LAN".into(), "保守LAN".into()],
            processes: vec!["プレス加工".into(), "溶接".into()],
            assets: vec![],
        }
    }

    fn known(&self) -> Known<'_> {
        Known {
            zones: &self.zones,
            processes: &self.processes,
            assets: &self.assets,
            max_chars: 200,
        }
    }
}

/// A register as a factory keeps it: a title and a date above the headers (row 5), its own
/// spellings of the headers, a "No." column numbered in advance, notes, full-width digits,
/// 和暦 and Excel dates, a location merged over three machines, a blank row, a second sheet in
/// English for another building, and a sheet of explanations.
fn factory_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy/m/d");
    let ws = wb.add_worksheet().set_name("第1工場").unwrap();
    ws.write_string(0, 0, "設備台帳（令和6年度）").unwrap();
    ws.write_string(2, 0, "作成日: R6.4.1　作成者: 製造課")
        .unwrap();
    let headers = [
        "No.",
        "設備名称",
        "機器種別",
        "メーカ",
        "型式",
        "FW",
        "接続先ネットワーク",
        "設置場所",
        "保守期限",
        "リモート保守",
        "責任者",
        "関連業務",
        "備考",
        "資産管理番号",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(4, c as u16, *h).unwrap();
    }
    let rows: [[&str; 14]; 4] = [
        [
            "1",
            "1号プレス PLC",
            "シーケンサ",
            "三菱電機",
            "Ｒ０４ＣＰＵ",
            "Ｖ２．３",
            "制御ＬＡＮ",
            "",
            "令和8年3月31日",
            "○",
            "製造課 山田",
            "プレス加工",
            "",
            "Ａ－００１",
        ],
        [
            "2",
            "1号プレス タッチパネル",
            "表示器",
            "三菱電機",
            "GT2510",
            "1.05",
            "制御LAN",
            "",
            "H31/4/30",
            "×",
            "製造課 山田",
            "プレス加工、溶接",
            "更新予定",
            "A-002",
        ],
        [
            "3",
            "溶接ロボット",
            "産業用ロボット",
            "ファナック",
            "R-2000iC",
            "",
            "制御LAN",
            "",
            "",
            "",
            "",
            "溶接",
            "",
            "A-003",
        ],
        [
            "4",
            "事務用PC 1",
            "パソコン",
            "富士通",
            "ESPRIMO",
            "Win10 22H2",
            "情報LAN",
            "事務所2F",
            "",
            "無",
            "総務課",
            "",
            "",
            "A-004",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        let r = 5 + r as u32 + u32::from(r >= 3); // a blank row before the last
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r, c as u16, *v).unwrap();
            }
        }
    }
    // The location is written once for the three machines of the press line.
    ws.merge_range(5, 7, 7, 7, "第1工場 プレスライン", &Format::new())
        .unwrap();
    // The robot's maintenance end as an Excel date.
    ws.write_date_with_format(7, 8, ExcelDateTime::from_ymd(2027, 3, 31).unwrap(), &date)
        .unwrap();
    // "No." numbered in advance down to row 20; nothing else on those rows.
    for (i, r) in (10..20).enumerate() {
        ws.write_number(r, 0, (5 + i) as f64).unwrap();
    }
    let ws = wb.add_worksheet().set_name("Building 2").unwrap();
    for (c, h) in [
        "Name",
        "Kind",
        "Vendor",
        "Model",
        "Version",
        "Zone",
        "OS support ends",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in [
        "Historian",
        "historian",
        "AVEVA",
        "PI",
        "2018 SP3",
        "情報LAN",
        "2029-01-09",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    let ws = wb.add_worksheet().set_name("記入例").unwrap();
    ws.write_string(0, 0, "この台帳の書き方").unwrap();
    ws.write_string(1, 0, "設備名称には現場の呼び名を書く")
        .unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn a_register_written_as_a_factory_keeps_it_is_read() {
    let c = catalog();
    let site = Site::factory();
    let parsed = read(&factory_workbook(), "台帳.xlsx", &vocab(&c), &site.known()).unwrap();
    assert_eq!(parsed.sheets, ["第1工場", "Building 2"]);
    assert_eq!(parsed.skipped, ["記入例"]);
    let ignored: Vec<_> = parsed.ignored.iter().map(|i| i.header.as_str()).collect();
    assert_eq!(ignored, ["No.", "備考"]);
    let names: Vec<_> = parsed.rows.iter().map(|r| r.asset.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "1号プレス PLC",
            "1号プレス タッチパネル",
            "溶接ロボット",
            "事務用PC 1",
            "Historian"
        ]
    );
    let rows: Vec<u32> = parsed.rows.iter().map(|r| r.row).collect();
    assert_eq!(rows, [6, 7, 8, 10, 2]);
    let plc = &parsed.rows[0].asset;
    assert_eq!(plc.kind, AssetKind::Plc);
    assert_eq!(plc.model, "R04CPU");
    assert_eq!(plc.version, "V2.3");
    assert_eq!(plc.zone.as_deref(), Some("制御LAN"));
    assert_eq!(plc.maintenance_end, Date::new(2026, 3, 31));
    assert!(plc.remote_maintenance);
    assert_eq!(plc.tag, "Ａ－００１", "the asset number is kept as written");
    assert_eq!(plc.location, "第1工場 プレスライン");
    let hmi = &parsed.rows[1].asset;
    assert_eq!(hmi.kind, AssetKind::Hmi);
    assert_eq!(hmi.maintenance_end, Date::new(2019, 4, 30));
    assert_eq!(hmi.processes, ["プレス加工", "溶接"]);
    assert_eq!(hmi.location, "第1工場 プレスライン");
    let robot = &parsed.rows[2].asset;
    assert_eq!(robot.kind, AssetKind::Robot);
    assert_eq!(robot.location, "第1工場 プレスライン");
    assert_eq!(robot.maintenance_end, Date::new(2027, 3, 31));
    assert!(!robot.remote_maintenance, "empty means no");
    let pc = &parsed.rows[3].asset;
    assert_eq!(pc.kind, AssetKind::Workstation);
    assert_eq!(pc.location, "事務所2F", "the merge stops at its last row");
    assert_eq!(pc.status, AssetStatus::Active);
    let historian = &parsed.rows[4];
    assert_eq!(historian.sheet.as_deref(), Some("Building 2"));
    assert_eq!(historian.asset.kind, AssetKind::Historian);
    assert_eq!(historian.asset.os_support_end, Date::new(2029, 1, 9));
    assert!(historian.fields.contains(Field::Version));
    assert!(!historian.fields.contains(Field::Owner));
    assert!(parsed.rows[0].fields.contains(Field::Owner));
    assert!(parsed.rows.iter().all(|r| r.existing.is_none()));
}

#[test]
fn every_bad_cell_is_located_in_both_languages() {
    let c = catalog();
    let site = Site::factory();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("台帳").unwrap();
    ws.write_string(0, 0, "資産台帳").unwrap();
    let headers = [
        "機器名称",
        "種別",
        "ゾーン",
        "保守期限",
        "無線",
        "業務",
        "バージョン",
    ];
    for (col, h) in headers.iter().enumerate() {
        ws.write_string(2, col as u16, *h).unwrap();
    }
    let long = "x".repeat(201);
    let rows = [
        [
            "PLC-1",
            "PLC",
            "倉庫LAN",
            "2026/2/30",
            "たぶん",
            "プレス加工",
            "V1",
        ],
        ["", "HMI", "", "", "", "", "V2"],
        ["PC", "けいさんき", "情報LAN", "", "", "組立", long.as_str()],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (col, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(3 + r as u32, col as u16, *v).unwrap();
            }
        }
    }
    let bytes = wb.save_to_buffer().unwrap();
    let err = read(&bytes, "x.xlsx", &vocab(&c), &site.known()).unwrap_err();
    let RegisterError::Cells(cells) = &err else {
        panic!("{err:?}")
    };
    let located: Vec<(u32, &str, &str)> = cells
        .iter()
        .map(|c| (c.row, c.column.as_str(), c.header.as_str()))
        .collect();
    assert_eq!(
        located,
        [
            (4, "C", "ゾーン"),
            (4, "D", "保守期限"),
            (4, "E", "無線"),
            (5, "A", "機器名称"),
            (6, "B", "種別"),
            (6, "F", "業務"),
            (6, "G", "バージョン"),
        ]
    );
    assert!(cells.iter().all(|c| c.sheet.as_deref() == Some("台帳")));
    assert_eq!(cells[0].value, "倉庫LAN");
    assert!(matches!(&cells[0].expected, Expected::Zone { known } if known.len() == 3));
    assert_eq!(cells[1].expected, Expected::Date);
    assert_eq!(cells[2].expected, Expected::Flag);
    assert_eq!(cells[3].expected, Expected::Name);
    assert_eq!(
        cells[6].expected,
        Expected::TooLong {
            found: 201,
            max: 200
        }
    );
    let ja = cells[0].message(Locale::Ja);
    assert!(
        ja.starts_with("シート「台帳」4行目、C列（ゾーン）: 「倉庫LAN」"),
        "{ja}"
    );
    assert!(ja.contains("制御LAN"), "{ja}");
    let en = cells[0].message(Locale::En);
    assert!(
        en.starts_with("sheet 台帳, row 4, column C (ゾーン): \"倉庫LAN\""),
        "{en}"
    );
    let empty = cells[3].message(Locale::Ja);
    assert!(empty.contains("空欄"), "{empty}");
    assert!(
        cells[4].expected.get(Locale::Ja).contains("シーケンサ")
            || cells[4].expected.get(Locale::Ja).contains("PLC")
    );
    assert!(
        err.message(Locale::Ja).contains("7個"),
        "{}",
        err.message(Locale::Ja)
    );
}

#[test]
fn a_csv_register_in_shift_jis_with_a_title_line() {
    let c = catalog();
    let site = Site::factory();
    let text = "資産台帳 2026年4月\r\n\r\n名称,メーカー名,形式,ＯＳバージョン,ＯＳサポート期限,状態\r\nEWS,三菱電機,,Windows 10,2025/10/14,運用中\r\n予備PLC,オムロン,CJ2M,,,在庫\r\n";
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
    let parsed = read(&bytes, "台帳.csv", &vocab(&c), &site.known()).unwrap();
    assert_eq!(parsed.sheets, ["台帳.csv"]);
    assert_eq!(parsed.rows.len(), 2);
    assert_eq!(parsed.rows[0].row, 4);
    assert_eq!(parsed.rows[0].sheet, None);
    assert_eq!(parsed.rows[0].asset.os, "Windows 10");
    assert_eq!(parsed.rows[0].asset.os_support_end, Date::new(2025, 10, 14));
    assert_eq!(parsed.rows[1].asset.status, AssetStatus::Spare);
    assert_eq!(parsed.rows[1].asset.model, "CJ2M");
    // A CSV error names the line and the column.
    let bad = "名称,状態\nPLC,こわれた\n";
    let RegisterError::Cells(cells) =
        read(bad.as_bytes(), "x.csv", &vocab(&c), &site.known()).unwrap_err()
    else {
        panic!()
    };
    assert_eq!(
        cells[0].message(Locale::Ja),
        "2行目、B列（状態）: 「こわれた」 — 正しい入力: 稼働中・予備・廃棄のいずれか（運用中・在庫・撤去なども読めます）。空欄は稼働中"
    );
}

#[test]
fn header_problems_and_files_that_are_no_register() {
    let c = catalog();
    let site = Site::factory();
    let v = vocab(&c);
    // Two columns for the same field.
    let err = read(
        "名称,メーカー,製造元\nPLC,三菱電機,三菱電機\n".as_bytes(),
        "x.csv",
        &v,
        &site.known(),
    )
    .unwrap_err();
    let RegisterError::Cells(cells) = err else {
        panic!("{err:?}")
    };
    assert_eq!((cells[0].row, cells[0].column.as_str()), (1, "C"));
    assert_eq!(
        cells[0].expected,
        Expected::DuplicateColumn { first: "B".into() }
    );
    // No header row anywhere.
    let err = read("a,b\n1,2\n".as_bytes(), "x.csv", &v, &site.known()).unwrap_err();
    assert_eq!(
        err,
        RegisterError::NoHeader {
            sheets: vec!["x.csv".into()]
        }
    );
    assert!(err.message(Locale::Ja).contains("機器名称"));
    // Headers but no asset.
    let err = read("名称,メーカー\n,\n".as_bytes(), "x.csv", &v, &site.known()).unwrap_err();
    assert_eq!(err, RegisterError::NoAssets);
    // Not a register at all.
    let err = read(b"%PDF-1.4", "x.pdf", &v, &site.known()).unwrap_err();
    assert!(matches!(err, RegisterError::Read(_)));
    // A note after the header and a two-row header.
    let two = "機器名称（必須）,機器情報,\n,メーカー,形名\nPLC,三菱電機,R04\n";
    let parsed = read(two.as_bytes(), "x.csv", &v, &site.known()).unwrap();
    assert_eq!(parsed.rows.len(), 1);
    assert_eq!(parsed.rows[0].asset.vendor, "三菱電機");
    assert_eq!(parsed.rows[0].row, 3);
}

#[test]
fn a_two_row_header_with_merged_cells() {
    let c = catalog();
    let site = Site::factory();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    ws.write_string(0, 0, "機器一覧").unwrap();
    ws.merge_range(1, 0, 2, 0, "No.", &f).unwrap();
    ws.merge_range(1, 1, 2, 1, "機器名称", &f).unwrap();
    ws.merge_range(1, 2, 1, 3, "機器情報", &f).unwrap();
    ws.write_string(2, 2, "メーカー").unwrap();
    ws.write_string(2, 3, "形名").unwrap();
    ws.merge_range(1, 4, 2, 4, "ゾーン", &f).unwrap();
    for (r, (name, model)) in [("PLC-1", "Ｑ０３ＵＤＥ"), ("PLC-2", "Q03UDE")]
        .iter()
        .enumerate()
    {
        let r = 3 + r as u32;
        ws.write_number(r, 0, r as f64 - 2.0).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_string(r, 3, *model).unwrap();
    }
    // One vendor and one zone for both rows, merged.
    ws.merge_range(3, 2, 4, 2, "三菱電機", &f).unwrap();
    ws.merge_range(3, 4, 4, 4, "制御lan", &f).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let parsed = read(&bytes, "x.xlsx", &vocab(&c), &site.known()).unwrap();
    assert_eq!(parsed.rows.len(), 2);
    for (row, number) in parsed.rows.iter().zip([4, 5]) {
        assert_eq!(row.row, number);
        assert_eq!(row.asset.vendor, "三菱電機");
        assert_eq!(row.asset.model, "Q03UDE");
        assert_eq!(
            row.asset.zone.as_deref(),
            Some("制御LAN"),
            "the site's spelling"
        );
    }
    // "No." is not read; "機器情報" only groups columns that are.
    let ignored: Vec<_> = parsed.ignored.iter().map(|i| i.header.as_str()).collect();
    assert_eq!(ignored, ["No."]);
}

#[test]
fn rows_are_matched_by_kojo_id_then_asset_number() {
    let c = catalog();
    let v = vocab(&c);
    let mut site = Site::factory();
    site.assets = vec![
        (10, "A-1".into()),
        (11, "A-2".into()),
        (12, "B".into()),
        (13, "b".into()),
        (14, "C".into()),
    ];
    // Two new rows may share an asset number (kojo's model allows it: a group of identical
    // machines), so kojo's own export always reads back.
    let ok =
        "kojo ID,資産管理番号,名称\n10,,PLC\n,Ａ－２,HMI\n999,,new\n,Z-9,other\n,Z-9,other 2\n";
    let parsed = read(ok.as_bytes(), "x.csv", &v, &site.known()).unwrap();
    let matched: Vec<(Option<i64>, bool)> = parsed
        .rows
        .iter()
        .map(|r| (r.existing, r.stale_id))
        .collect();
    assert_eq!(
        matched,
        [
            (Some(10), false),
            (Some(11), false),
            (None, true),
            (None, false),
            (None, false)
        ]
    );
    let bad = "kojo ID,資産管理番号,名称\n10,,a\n10,,b\n,C,c\n,c,d\n,B,e\n11,,f\n,A-2,g\n";
    let RegisterError::Cells(cells) = read(bad.as_bytes(), "x.csv", &v, &site.known()).unwrap_err()
    else {
        panic!()
    };
    let what: Vec<(u32, &str)> = cells
        .iter()
        .map(|c| {
            (
                c.row,
                match c.expected {
                    Expected::DuplicateId { .. } => "id",
                    Expected::DuplicateTag { .. } => "tag",
                    Expected::AmbiguousTag { count: 2 } => "ambiguous",
                    Expected::SameAsset { .. } => "same",
                    _ => "other",
                },
            )
        })
        .collect();
    assert_eq!(what, [(3, "id"), (5, "tag"), (6, "ambiguous"), (8, "same")]);
    assert!(cells[0].expected.get(Locale::Ja).contains("2行目"));
}

/// A simulated plant with every field of its assets filled in somewhere.
fn rich_plant() -> Plant {
    let mut plant = simulate(
        Size {
            assets: 120,
            zones: 40,
            conduits: 100,
        },
        5,
    );
    let zones: Vec<ZoneId> = plant.zones.iter().map(|z| z.id).collect();
    let processes: Vec<ProcessId> = plant.processes.iter().map(|p| p.id).collect();
    for (i, a) in plant.assets.iter_mut().enumerate() {
        a.tag = format!("T-{i:04}");
        a.product = "MELSEC iQ-R".into();
        a.model = format!("R{:02}CPU", i % 16);
        a.order_number = "6ES7 515-2AM02-0AB0".into();
        a.serial = format!("{:08}", i * 7919);
        a.ip = format!("192.168.{}.{}", i / 250, i % 250 + 1);
        a.mac = "00:1A:2B:3C:4D:5E".into();
        a.location = "第1工場".into();
        if i % 3 == 0 {
            a.os = "Windows 10 IoT Enterprise LTSC 2019".into();
            a.os_support_end = Date::new(2029, 1, 9);
        }
        if i % 5 == 0 {
            a.also_in = vec![zones[(i + 1) % zones.len()]];
            a.also_in.retain(|z| Some(*z) != a.zone);
        }
        if i % 7 == 0 && processes.len() > 1 {
            a.processes = processes[..2].to_vec();
        }
        a.status = [
            AssetStatus::Active,
            AssetStatus::Spare,
            AssetStatus::Retired,
        ][i % 3];
        a.black_box = i % 4 == 0;
        a.temporary = i % 6 == 0;
        a.wireless = i % 8 == 0;
        if i == 3 {
            a.name = "=cmd|' /C calc'!A0".into();
            a.version = "1.10".into();
        }
    }
    plant
}

fn known_of(plant: &Plant) -> (Vec<String>, Vec<String>, Vec<(i64, String)>) {
    (
        plant.zones.iter().map(|z| z.name.clone()).collect(),
        plant.processes.iter().map(|p| p.name.clone()).collect(),
        plant
            .assets
            .iter()
            .map(|a| (a.id.get(), a.tag.clone()))
            .collect(),
    )
}

#[test]
fn the_export_reads_back_as_the_same_assets_in_both_languages() {
    let c = catalog();
    let v = vocab(&c);
    let plant = rich_plant();
    let (zones, processes, assets) = known_of(&plant);
    let known = Known {
        zones: &zones,
        processes: &processes,
        assets: &assets,
        max_chars: 200,
    };
    let named = NamedPlant::from_plant(&plant);
    for locale in [Locale::Ja, Locale::En] {
        let bytes = write(&RegisterBook {
            vocab: &v,
            locale,
            site: Some("本社工場"),
            plant: &plant,
            assets: true,
        })
        .unwrap();
        // calamine sees the layout: a title, the headers on row 3, one asset per row.
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
        let sheets = wb.sheet_names();
        let first = sheets[0].clone();
        assert_eq!(
            first,
            if locale == Locale::Ja {
                "資産台帳"
            } else {
                "Asset register"
            }
        );
        let range = wb.worksheet_range(&first).unwrap();
        assert_eq!(
            range.get_value((2, 0)),
            Some(&Data::String(v.header(Field::Tag, locale).to_string()))
        );
        assert_eq!(range.height(), 3 + plant.assets.len());
        assert_eq!(
            range.get_value((6, 1)),
            Some(&Data::String("=cmd|' /C calc'!A0".into())),
            "text is never a formula"
        );
        let parsed = read(&bytes, "r.xlsx", &v, &known).unwrap();
        assert_eq!(parsed.sheets, std::slice::from_ref(&first));
        assert_eq!(
            parsed.skipped.len(),
            1,
            "the instructions sheet: {:?}",
            parsed.skipped
        );
        assert!(parsed.ignored.is_empty(), "{:?}", parsed.ignored);
        assert_eq!(parsed.rows.len(), plant.assets.len());
        for (row, (asset, expected)) in parsed
            .rows
            .iter()
            .zip(plant.assets.iter().zip(&named.assets))
        {
            assert_eq!(row.existing, Some(asset.id.get()));
            assert_eq!(&row.asset, expected, "{locale:?} row {}", row.row);
        }
    }
}

#[test]
fn the_template_has_the_headers_the_drop_downs_and_reads_as_empty() {
    let c = catalog();
    let v = vocab(&c);
    let plant = Plant {
        zones: rich_plant().zones,
        ..Plant::default()
    };
    let bytes = write(&RegisterBook {
        vocab: &v,
        locale: Locale::Ja,
        site: Some("本社工場"),
        plant: &plant,
        assets: false,
    })
    .unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(wb.sheet_names(), ["資産台帳", "記入方法", "_kojo_lists"]);
    let meta = wb.sheets_metadata().to_vec();
    assert_eq!(meta[2].visible, calamine::SheetVisible::Hidden);
    let reg = wb.worksheet_range("資産台帳").unwrap();
    assert_eq!(
        reg.get_value((0, 0)),
        Some(&Data::String("資産台帳 — 本社工場".into()))
    );
    assert_eq!(
        reg.get_value((2, 1)),
        Some(&Data::String("機器名称".into()))
    );
    let lists = wb.worksheet_range("_kojo_lists").unwrap();
    assert_eq!(
        lists.get_value((0, 0)),
        Some(&Data::String("PLC（シーケンサ）".into()))
    );
    assert_eq!(lists.get_value((1, 2)), Some(&Data::String("×".into())));
    assert_eq!(
        lists.get_value((0, 3)),
        Some(&Data::String(plant.zones[0].name.clone()))
    );
    // The drop-downs are data validations pointing at the lists.
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.clone())).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert_eq!(
        xml.matches("<dataValidation ").count(),
        9,
        "kind, zone, status, 6 yes/no"
    );
    assert!(xml.contains(&format!("'_kojo_lists'!$D$1:$D${}", plant.zones.len())));
    let help = wb.worksheet_range("記入方法").unwrap();
    let text: Vec<String> = help.cells().map(|(_, _, d)| d.to_string()).collect();
    assert!(
        text.iter().any(|t| t.contains("メーカ、メーカ名")),
        "synonyms listed"
    );
    // Filled in as is, it holds no asset.
    let (zones, processes, assets) = known_of(&plant);
    let known = Known {
        zones: &zones,
        processes: &processes,
        assets: &assets,
        max_chars: 200,
    };
    assert_eq!(
        read(&bytes, "t.xlsx", &v, &known).unwrap_err(),
        RegisterError::NoAssets
    );
    // Without a site, no zone drop-down.
    let blank = write(&RegisterBook {
        vocab: &v,
        locale: Locale::En,
        site: None,
        plant: &Plant::default(),
        assets: false,
    })
    .unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(blank)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert_eq!(xml.matches("<dataValidation ").count(), 8);
}

#[test]
fn kojo_labels_and_register_words_never_clash() {
    let c = catalog();
    let v = vocab(&c);
    for kind in AssetKind::ALL {
        for locale in [Locale::Ja, Locale::En] {
            assert_eq!(v.kind(v.kind_label(*kind, locale)), Some(*kind), "{kind:?}");
        }
    }
    for status in AssetStatus::ALL {
        for locale in [Locale::Ja, Locale::En] {
            assert_eq!(v.status(v.status_label(*status, locale)), Some(*status));
        }
    }
    let _ = AssetId::new(1);
}
