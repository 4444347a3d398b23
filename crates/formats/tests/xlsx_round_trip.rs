//! Real round trips through xlsx files: the template is generated, filled in the way Excel
//! saves a workbook (a new file with the same sheets and cells, typed values as Excel stores
//! them), and parsed back; the export is read back with calamine and unzipped.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

use std::io::{Cursor, Read};

use calamine::{Data, Reader, SheetVisible, Xlsx};
use kojo_core::Locale;
use kojo_core::Text;
use kojo_core::checklist::{Category, Checklist, Example, Examples, Item, Measure};
use kojo_core::scale::{Level, Scale};
use kojo_formats::assessment_xlsx::{
    self, AnswerRow, BaselineRow, CellError, ExportData, GapRow, ImportError, ImportedAnswer,
    PlanRow, ScoreRow,
};
use kojo_formats::table_in::{self, ReadError};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

// ---- fixtures ---------------------------------------------------------------------------

fn scale() -> Scale {
    let level = |code: &str, ja: &str, en: &str| Level {
        code: code.into(),
        value: code.parse().ok(),
        label: Text::new(ja, en),
        short: Text::new(ja, en),
        description: Some(Text::new(format!("{ja}の説明"), format!("About {en}"))),
        implemented: matches!(code, "5" | "4" | "3"),
        not_applicable: code == "na",
        provenance: None,
    };
    Scale {
        id: "implementation".into(),
        title: Text::new("対策の実施状況", "Implementation status"),
        source: Text::new("出典", "Source"),
        levels: vec![
            level(
                "5",
                "実施済みで随時見直し",
                "Implemented, reviewed as needed",
            ),
            level(
                "4",
                "実施済みで定期見直し",
                "Implemented, reviewed periodically",
            ),
            level("3", "実施済み", "Implemented"),
            level("2", "一部実施", "Partly implemented"),
            level("1", "未実施", "Not implemented"),
            level(
                "na",
                "該当しない・わからない",
                "Not applicable / don't know",
            ),
        ],
    }
}

fn checklist(id: &str) -> Checklist {
    let item = |id: &str, category: &str, ja: &str, en: &str| Item {
        id: id.into(),
        category: category.into(),
        title: Text::new(ja, en),
        provenance: None,
        provenance_note: None,
        description: Text::new(format!("{ja}について"), format!("About {en}")),
        why: Text::new("理由", "why"),
        first_step: Text::new("まず", "first"),
        weight: 2,
        weight_change: None,
        requires: vec![],
        guideline_ref: Text::new("参照", "ref"),
        guideline_ref_provenance: None,
        baseline: vec![],
        mappings: Default::default(),
        measures: vec![Measure {
            id: format!("{id}-m1"),
            title: Text::new("対策", "measure"),
            provenance: None,
            provenance_note: None,
            cost_range: Default::default(),
            examples: Examples {
                small: Example::new(Text::new("小", "s"), "zero"),
                medium: Example::new(Text::new("中", "m"), "zero"),
                large: Example::new(Text::new("大", "l"), "zero"),
            },
        }],
    };
    let category = |id: &str, number: u32, ja: &str, en: &str| Category {
        id: id.into(),
        number,
        title: Text::new(ja, en),
        description: Text::new(ja, en),
    };
    Checklist {
        schema: 1,
        id: id.into(),
        version: 1,
        title: Text::new("テスト用チェックリスト", "Test checklist"),
        source: Text::new("出典", "Source"),
        weight_source: None,
        scale: "implementation".into(),
        target_level: 3,
        categories: vec![
            category("ORG", 1, "組織的対策", "Organisational"),
            category("PHY", 2, "物理的対策", "Physical"),
        ],
        items: vec![
            item("ORG-1", "ORG", "体制の整備", "Security organisation"),
            item("ORG-2", "ORG", "規程の整備", "Security rules"),
            item("PHY-1", "PHY", "入退室管理", "Access control"),
            item("PHY-2", "PHY", "ウイルス対策", "Anti-malware"),
            item("PHY-3", "PHY", "パッチ適用", "Patching"),
        ],
    }
}

// ---- filling a workbook as Excel saves it ------------------------------------------------

#[derive(Clone, Debug)]
enum C {
    Text(String),
    Number(f64),
    Date(u16, u8, u8),
}

fn s(text: &str) -> C {
    C::Text(text.to_string())
}

type Edit = (&'static str, u32, u16, C);

fn write_cell(ws: &mut Worksheet, row: u32, col: u16, cell: &C) {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    match cell {
        C::Text(t) => {
            ws.write_string(row, col, t).unwrap();
        }
        C::Number(n) => {
            ws.write_number(row, col, *n).unwrap();
        }
        C::Date(y, m, d) => {
            ws.write_date_with_format(
                row,
                col,
                ExcelDateTime::from_ymd(*y, *m, *d).unwrap(),
                &date,
            )
            .unwrap();
        }
    }
}

/// Copies every sheet and cell of `original` into a new workbook (keeping sheet order and the
/// hidden `_kojo` sheet), applying `edits` (sheet, 0-based row, 0-based column, value).
fn fill(original: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut source: Xlsx<_> = Xlsx::new(Cursor::new(original.to_vec())).unwrap();
    let sheets = source.sheets_metadata().to_vec();
    let mut out = Workbook::new();
    for sheet in &sheets {
        let range = source.worksheet_range(&sheet.name).unwrap();
        let mut ws = Worksheet::new();
        ws.set_name(&sheet.name).unwrap();
        for (row, col, value) in range.used_cells() {
            let (r0, c0) = range.start().unwrap();
            let (row, col) = (row as u32 + r0, (col as u32 + c0) as u16);
            let cell = match value {
                Data::String(t) => C::Text(t.clone()),
                Data::Float(n) => C::Number(*n),
                Data::Int(n) => C::Number(*n as f64),
                Data::DateTime(dt) => C::Number(dt.as_f64()),
                other => panic!("unexpected cell {other:?}"),
            };
            write_cell(&mut ws, row, col, &cell);
        }
        for (name, row, col, cell) in edits {
            if *name == sheet.name {
                write_cell(&mut ws, *row, *col, cell);
            }
        }
        if sheet.visible != SheetVisible::Visible {
            ws.set_hidden(true);
        }
        out.push_worksheet(ws);
    }
    out.save_to_buffer().unwrap()
}

fn template_ja() -> Vec<u8> {
    assessment_xlsx::template(&checklist("test"), &scale(), Locale::Ja).unwrap()
}

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes.to_vec())).unwrap()
}

fn cell(wb: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str, row: u32, col: u32) -> Data {
    wb.worksheet_range(sheet)
        .unwrap()
        .get_value((row, col))
        .cloned()
        .unwrap_or(Data::Empty)
}

fn zip_entry(bytes: &[u8], name: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut file = zip.by_name(name).ok()?;
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    Some(text)
}

fn cell_errors(result: Result<Vec<ImportedAnswer>, ImportError>) -> Vec<CellError> {
    match result {
        Err(ImportError::Cells(errors)) => errors,
        other => panic!("expected cell errors, got {other:?}"),
    }
}

// ---- template ----------------------------------------------------------------------------

#[test]
fn template_has_answer_sheet_instructions_and_hidden_metadata() {
    let bytes = template_ja();
    let mut wb = open(&bytes);
    assert_eq!(wb.sheet_names(), ["回答", "説明", "_kojo"]);
    let visible: Vec<_> = wb.sheets_metadata().iter().map(|s| s.visible).collect();
    assert_eq!(
        visible,
        [
            SheetVisible::Visible,
            SheetVisible::Visible,
            SheetVisible::Hidden
        ]
    );

    let headers: Vec<String> = (0..8)
        .map(|c| cell(&mut wb, "回答", 0, c).to_string())
        .collect();
    assert_eq!(
        headers,
        [
            "項目ID",
            "分類",
            "項目",
            "内容",
            "回答",
            "メモ・根拠",
            "担当者",
            "目標日"
        ]
    );
    assert_eq!(cell(&mut wb, "回答", 1, 0), Data::String("ORG-1".into()));
    assert_eq!(
        cell(&mut wb, "回答", 1, 1),
        Data::String("組織的対策".into())
    );
    assert_eq!(
        cell(&mut wb, "回答", 1, 2),
        Data::String("体制の整備".into())
    );
    assert_eq!(
        cell(&mut wb, "回答", 1, 3),
        Data::String("体制の整備について".into())
    );
    assert_eq!(cell(&mut wb, "回答", 5, 0), Data::String("PHY-3".into()));
    assert_eq!(cell(&mut wb, "回答", 1, 4), Data::Empty);

    assert_eq!(
        cell(&mut wb, "_kojo", 0, 0),
        Data::String("kojo-assessment-template".into())
    );
    assert_eq!(cell(&mut wb, "_kojo", 1, 1), Data::String("test/v1".into()));
    assert_eq!(
        cell(&mut wb, "_kojo", 2, 1),
        Data::String("implementation".into())
    );
    assert_eq!(
        cell(&mut wb, "_kojo", 9, 1),
        Data::String("3: 実施済み".into())
    );
    assert_eq!(
        cell(&mut wb, "_kojo", 12, 1),
        Data::String("na: 該当しない・わからない".into())
    );

    // The dropdown, the frozen header, the date format and the gray reference columns.
    let sheet = zip_entry(&bytes, "xl/worksheets/sheet1.xml").unwrap();
    assert!(sheet.contains(r#"<dataValidation type="list""#), "{sheet}");
    assert!(sheet.contains(r#"sqref="E2:E6""#), "{sheet}");
    assert!(
        sheet.contains("<formula1>'_kojo'!$B$8:$B$13</formula1>"),
        "{sheet}"
    );
    assert!(sheet.contains(r#"state="frozen""#), "{sheet}");
    assert!(!sheet.contains("<sheetProtection"), "{sheet}");
    let styles = zip_entry(&bytes, "xl/styles.xml").unwrap();
    assert!(styles.contains("yyyy-mm-dd"));
    assert!(styles.contains("FFE7E6E6"));

    let help = table_in::read_xlsx(&bytes, Some("説明")).unwrap();
    assert!(
        help.rows
            .iter()
            .any(|r| r.cells.iter().any(|c| c == "該当しない・わからない"))
    );
}

#[test]
fn template_in_english() {
    let bytes = assessment_xlsx::template(&checklist("test"), &scale(), Locale::En).unwrap();
    let mut wb = open(&bytes);
    assert_eq!(wb.sheet_names(), ["Answers", "Instructions", "_kojo"]);
    assert_eq!(
        cell(&mut wb, "Answers", 0, 0),
        Data::String("Item ID".into())
    );
    assert_eq!(
        cell(&mut wb, "Answers", 0, 3),
        Data::String("What it means".into())
    );
    assert_eq!(
        cell(&mut wb, "Answers", 3, 2),
        Data::String("Access control".into())
    );
    assert_eq!(
        cell(&mut wb, "_kojo", 9, 1),
        Data::String("3: Implemented".into())
    );
    // An English template parses like a Japanese one.
    let filled = fill(&bytes, &[("Answers", 1, 4, s("3: Implemented"))]);
    let answers = assessment_xlsx::parse(&filled, &checklist("test"), &scale()).unwrap();
    assert_eq!(answers[0].level.as_deref(), Some("3"));
}

#[test]
fn untouched_template_parses_as_unanswered() {
    let answers = assessment_xlsx::parse(&template_ja(), &checklist("test"), &scale()).unwrap();
    let ids: Vec<_> = answers.iter().map(|a| a.item_id.as_str()).collect();
    assert_eq!(ids, ["ORG-1", "ORG-2", "PHY-1", "PHY-2", "PHY-3"]);
    assert!(answers.iter().all(|a| a.level.is_none()
        && a.note.is_empty()
        && a.owner.is_empty()
        && a.target_date.is_none()));
}

#[test]
fn filled_template_round_trips() {
    let long_note = "根拠".repeat(1_000); // exactly 2,000 characters
    let filled = fill(
        &template_ja(),
        &[
            // ORG-1: the dropdown text, an Excel date, a note and an owner.
            ("回答", 1, 4, s("5: 実施済みで随時見直し")),
            ("回答", 1, 5, s("規程あり（2024年改訂）\n次回見直しは3月")),
            ("回答", 1, 6, s(" 山田 ")),
            ("回答", 1, 7, C::Date(2026, 3, 31)),
            // ORG-2: the code typed as a number, a date as ISO text.
            ("回答", 2, 4, C::Number(3.0)),
            ("回答", 2, 7, s("2026-04-01")),
            // PHY-1: an English label in odd case and spacing, a date with slashes.
            ("回答", 3, 4, s("  partly   IMPLEMENTED ")),
            ("回答", 3, 7, s("2026/5/9")),
            ("回答", 3, 5, C::Text(long_note.clone())),
            // PHY-2: the Japanese label alone, full-width not-applicable code.
            ("回答", 4, 4, s("該当しない・わからない")),
            // PHY-3: full-width code.
            ("回答", 5, 4, s("ｎａ")),
        ],
    );
    let answers = assessment_xlsx::parse(&filled, &checklist("test"), &scale()).unwrap();
    assert_eq!(
        answers[0],
        ImportedAnswer {
            item_id: "ORG-1".into(),
            level: Some("5".into()),
            note: "規程あり（2024年改訂）\n次回見直しは3月".into(),
            owner: "山田".into(),
            target_date: Some("2026-03-31".into()),
        }
    );
    assert_eq!(answers[1].level.as_deref(), Some("3"));
    assert_eq!(answers[1].target_date.as_deref(), Some("2026-04-01"));
    assert_eq!(answers[2].level.as_deref(), Some("2"));
    assert_eq!(answers[2].target_date.as_deref(), Some("2026-05-09"));
    assert_eq!(answers[2].note, long_note);
    assert_eq!(answers[3].level.as_deref(), Some("na"));
    assert_eq!(answers[4].level.as_deref(), Some("na"));
}

/// A workbook built from scratch with the template's layout, as another tool might save it:
/// rows sorted differently, some items left out, a blank row in between.
#[test]
fn hand_built_workbook_with_missing_items_and_other_order() {
    let mut wb = Workbook::new();
    let answers = wb.add_worksheet().set_name("回答").unwrap();
    let headers = [
        "項目ID",
        "分類",
        "項目",
        "内容",
        "回答",
        "メモ・根拠",
        "担当者",
        "目標日",
    ];
    for (col, h) in headers.iter().enumerate() {
        answers.write_string(0, col as u16, *h).unwrap();
    }
    answers.write_string(1, 0, "PHY-2").unwrap();
    answers.write_string(1, 4, "1").unwrap();
    answers.write_string(3, 0, "org-1").unwrap(); // row 3 blank above; id in lower case
    answers.write_string(3, 4, "実施済み").unwrap();
    answers.write_string(3, 6, "佐藤").unwrap();
    let meta = wb.add_worksheet().set_name("_kojo").unwrap();
    for (row, (k, v)) in [
        ("kojo-assessment-template", "1"),
        ("checklist", "test/v1"),
        ("scale", "implementation"),
        ("locale", "ja"),
        ("sheet", "回答"),
    ]
    .iter()
    .enumerate()
    {
        meta.write_string(row as u32, 0, *k).unwrap();
        meta.write_string(row as u32, 1, *v).unwrap();
    }
    meta.set_hidden(true);
    let bytes = wb.save_to_buffer().unwrap();

    let answers = assessment_xlsx::parse(&bytes, &checklist("test"), &scale()).unwrap();
    assert_eq!(answers.len(), 2);
    assert_eq!(answers[0].item_id, "PHY-2");
    assert_eq!(answers[0].level.as_deref(), Some("1"));
    assert_eq!(answers[1].item_id, "ORG-1");
    assert_eq!(answers[1].level.as_deref(), Some("3"));
    assert_eq!(answers[1].owner, "佐藤");
}

// ---- bad uploads ------------------------------------------------------------------------

#[test]
fn random_bytes_are_not_xlsx() {
    let mut noise = Vec::new();
    let mut x: u32 = 0x1234_5678;
    for _ in 0..4096 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        noise.push(x as u8);
    }
    for bytes in [noise, b"PK\x03\x04 not really a zip".to_vec(), Vec::new()] {
        let err = assessment_xlsx::parse(&bytes, &checklist("test"), &scale()).unwrap_err();
        assert!(matches!(err, ImportError::NotXlsx(_)), "{err:?}");
    }
}

#[test]
fn foreign_workbook_is_not_a_template() {
    let mut wb = Workbook::new();
    wb.add_worksheet().write_string(0, 0, "項目ID").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let err = assessment_xlsx::parse(&bytes, &checklist("test"), &scale()).unwrap_err();
    assert!(
        matches!(&err, ImportError::NotTemplate(m) if m.to_string().contains("_kojo")),
        "{err:?}"
    );

    // A _kojo sheet without the marker is not enough.
    let forged = fill(&template_ja(), &[("_kojo", 0, 0, s("something else"))]);
    let err = assessment_xlsx::parse(&forged, &checklist("test"), &scale()).unwrap_err();
    assert!(
        matches!(&err, ImportError::NotTemplate(m) if m.to_string().contains("_kojo!A1")),
        "{err:?}"
    );

    // Moved columns are refused before any row is looked at.
    let moved = fill(&template_ja(), &[("回答", 0, 4, s("メモ"))]);
    let err = assessment_xlsx::parse(&moved, &checklist("test"), &scale()).unwrap_err();
    assert!(
        matches!(&err, ImportError::NotTemplate(m) if m.to_string().contains("回答!E1")),
        "{err:?}"
    );
}

#[test]
fn template_of_another_checklist_is_refused() {
    let other = assessment_xlsx::template(&checklist("other"), &scale(), Locale::Ja).unwrap();
    let err = assessment_xlsx::parse(&other, &checklist("test"), &scale()).unwrap_err();
    assert_eq!(
        err,
        ImportError::WrongChecklist {
            found: "other/v1".into(),
            expected: "test/v1".into()
        }
    );
}

#[test]
fn every_wrong_cell_is_reported() {
    let filled = fill(
        &template_ja(),
        &[
            ("回答", 1, 4, s("7")),
            ("回答", 3, 7, s("来年の春")),
            ("回答", 5, 0, s("ZZ-9")),
            // Good cells in between must not hide the bad ones.
            ("回答", 2, 4, s("3")),
            ("回答", 4, 4, s("一部実施")),
        ],
    );
    let errors = cell_errors(assessment_xlsx::parse(
        &filled,
        &checklist("test"),
        &scale(),
    ));
    let summary: Vec<_> = errors
        .iter()
        .map(|e| (e.sheet.as_str(), e.row, e.column.as_str(), e.value.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("回答", 2, "E", "7"),
            ("回答", 4, "H", "来年の春"),
            ("回答", 6, "A", "ZZ-9"),
        ]
    );
    assert_eq!(
        errors[0].expected.get(Locale::En),
        "one of 5, 4, 3, 2, 1, na (or their labels)"
    );
    assert_eq!(
        errors[0].expected.get(Locale::Ja),
        "5, 4, 3, 2, 1, na のいずれか（または表示名）"
    );
    assert_eq!(
        errors[0].to_string(),
        "回答!E2: \"7\" — expected one of 5, 4, 3, 2, 1, na (or their labels)"
    );
    assert!(
        errors[1].expected.get(Locale::En).contains("2026-03-31"),
        "{}",
        errors[1]
    );
    assert!(
        errors[1].expected.get(Locale::Ja).contains("日付"),
        "{}",
        errors[1]
    );
    assert!(
        errors[2].expected.get(Locale::En).contains("test/v1"),
        "{}",
        errors[2]
    );
    assert!(
        errors[2]
            .expected
            .get(Locale::Ja)
            .contains("test/v1 の項目ID"),
        "{}",
        errors[2]
    );
}

#[test]
fn one_wrong_cell_among_good_ones_imports_nothing() {
    let filled = fill(
        &template_ja(),
        &[
            ("回答", 1, 4, s("3")),
            ("回答", 2, 4, s("2")),
            ("回答", 3, 4, s("1")),
            ("回答", 4, 4, s("na")),
            ("回答", 5, 4, s("3")),
            ("回答", 5, 6, C::Text("x".repeat(201))),
        ],
    );
    let errors = cell_errors(assessment_xlsx::parse(
        &filled,
        &checklist("test"),
        &scale(),
    ));
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].row, errors[0].column.as_str()), (6, "G"));
    assert!(
        errors[0]
            .expected
            .get(Locale::En)
            .contains("200 characters"),
        "{}",
        errors[0]
    );
    assert!(errors[0].value.ends_with('…'));
}

#[test]
fn duplicates_and_long_notes_are_cell_errors() {
    let filled = fill(
        &template_ja(),
        &[
            ("回答", 6, 0, s("ORG-2")),
            ("回答", 6, 4, s("3")),
            ("回答", 1, 5, C::Text("あ".repeat(2_001))),
            // Answers but no id.
            ("回答", 7, 4, s("3")),
        ],
    );
    let errors = cell_errors(assessment_xlsx::parse(
        &filled,
        &checklist("test"),
        &scale(),
    ));
    let places: Vec<_> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert_eq!(places, [(2, "F"), (7, "A"), (8, "A")]);
    assert!(
        errors[0].expected.get(Locale::En).contains("2,000"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1]
            .expected
            .get(Locale::En)
            .contains("already in row 3"),
        "{}",
        errors[1]
    );
    assert!(
        errors[1]
            .expected
            .get(Locale::Ja)
            .contains("3行目にすでにあります"),
        "{}",
        errors[1].expected.get(Locale::Ja)
    );
    assert_eq!(errors[2].value, "");
}

// ---- export ------------------------------------------------------------------------------

fn export_data(locale: Locale) -> ExportData {
    ExportData {
        locale,
        title: "自己評価結果 — 本社工場".into(),
        meta: vec![
            ("会社".into(), "=HYPERLINK(\"http://x\")".into()),
            ("拠点".into(), "本社工場".into()),
        ],
        categories: vec![
            ScoreRow {
                category: "組織的対策".into(),
                score: Some(62.5),
                answered: 2,
                items: 2,
                status: "採点済み".into(),
            },
            ScoreRow {
                category: "物理的対策".into(),
                score: None,
                answered: 0,
                items: 3,
                status: "未回答".into(),
            },
        ],
        overall: Some(62.5),
        answers: vec![AnswerRow {
            item_id: "ORG-1".into(),
            category: "組織的対策".into(),
            title: "体制の整備".into(),
            level: "実施済み".into(),
            note: "+メモ".into(),
            owner: "山田".into(),
            target_date: "2026-03-31".into(),
        }],
        gaps: vec![
            GapRow {
                rank: 1,
                item_id: "PHY-2".into(),
                title: "ウイルス対策".into(),
                level: "未実施".into(),
                priority: 87.25,
                measure: "対策1".into(),
                example: "例1".into(),
                cost: "低".into(),
            },
            GapRow {
                rank: 1,
                item_id: "PHY-2".into(),
                title: "ウイルス対策".into(),
                level: "未実施".into(),
                priority: 87.25,
                measure: "対策2".into(),
                example: "例2".into(),
                cost: "中".into(),
            },
        ],
        plan: vec![PlanRow {
            item_id: "PHY-2".into(),
            measure: "対策1".into(),
            owner: "佐藤".into(),
            due_date: "2026-06-30".into(),
            status: "計画中".into(),
            note: String::new(),
        }],
        baseline: vec![BaselineRow {
            item_id: "ORG-1".into(),
            title: "体制の整備".into(),
            figure: "体制がない企業の割合".into(),
            national: "65.0%".into(),
            site: "該当なし".into(),
        }],
    }
}

#[test]
fn export_reads_back_with_sheets_headers_values_and_chart() {
    let bytes = assessment_xlsx::export(&export_data(Locale::Ja)).unwrap();
    let mut wb = open(&bytes);
    assert_eq!(
        wb.sheet_names(),
        ["概要", "回答", "優先順位と対策", "行動計画", "全国比較"]
    );
    // Summary: title, meta written as text (never a formula), the score table.
    assert_eq!(
        cell(&mut wb, "概要", 0, 0),
        Data::String("自己評価結果 — 本社工場".into())
    );
    assert_eq!(
        cell(&mut wb, "概要", 2, 1),
        Data::String("=HYPERLINK(\"http://x\")".into())
    );
    assert_eq!(cell(&mut wb, "概要", 5, 0), Data::String("分類".into()));
    assert_eq!(cell(&mut wb, "概要", 5, 1), Data::String("スコア".into()));
    assert_eq!(cell(&mut wb, "概要", 6, 1), Data::Float(62.5));
    assert_eq!(cell(&mut wb, "概要", 7, 1), Data::Empty);
    assert_eq!(cell(&mut wb, "概要", 8, 0), Data::String("総合".into()));
    assert_eq!(cell(&mut wb, "概要", 8, 3), Data::Float(5.0));
    assert!(
        wb.worksheet_formula("概要").unwrap().used_cells().count() == 0,
        "no formulas anywhere on the summary"
    );

    assert_eq!(cell(&mut wb, "回答", 0, 0), Data::String("項目ID".into()));
    assert_eq!(cell(&mut wb, "回答", 1, 4), Data::String("+メモ".into()));
    match cell(&mut wb, "回答", 1, 6) {
        Data::DateTime(dt) => {
            assert_eq!(
                kojo_formats::excel_serial_to_ymd(dt.as_f64()),
                Some((2026, 3, 31))
            )
        }
        other => panic!("target date should be a date cell, got {other:?}"),
    }
    assert_eq!(
        cell(&mut wb, "優先順位と対策", 0, 4),
        Data::String("優先度".into())
    );
    assert_eq!(cell(&mut wb, "優先順位と対策", 2, 4), Data::Float(87.25));
    assert_eq!(
        cell(&mut wb, "優先順位と対策", 2, 5),
        Data::String("対策2".into())
    );
    assert_eq!(cell(&mut wb, "行動計画", 1, 2), Data::String("佐藤".into()));
    assert_eq!(cell(&mut wb, "全国比較", 1, 3), Data::Float(0.65));
    assert_eq!(
        cell(&mut wb, "全国比較", 1, 4),
        Data::String("該当なし".into())
    );

    // A native bar chart of the summary's category scores.
    let chart = zip_entry(&bytes, "xl/charts/chart1.xml").expect("chart1.xml");
    assert!(chart.contains("<c:barChart>"), "{chart}");
    assert!(chart.contains("概要!$B$7:$B$8"), "{chart}");
    let styles = zip_entry(&bytes, "xl/styles.xml").unwrap();
    assert!(styles.contains(r#"formatCode="0.0""#), "{styles}");
    assert!(styles.contains(r#"formatCode="0.0%""#), "{styles}");
    let gaps_sheet = zip_entry(&bytes, "xl/worksheets/sheet3.xml").unwrap();
    assert!(gaps_sheet.contains(r#"state="frozen""#));
}

#[test]
fn export_in_english_and_without_categories() {
    let mut data = export_data(Locale::En);
    data.categories.clear();
    data.overall = None;
    let bytes = assessment_xlsx::export(&data).unwrap();
    let mut wb = open(&bytes);
    assert_eq!(
        wb.sheet_names(),
        [
            "Summary",
            "Answers",
            "Priorities and measures",
            "Action plan",
            "National comparison"
        ]
    );
    assert_eq!(
        cell(&mut wb, "Answers", 0, 3),
        Data::String("Answer".into())
    );
    assert_eq!(
        cell(&mut wb, "Summary", 6, 0),
        Data::String("Overall".into())
    );
    assert!(zip_entry(&bytes, "xl/charts/chart1.xml").is_none());
}

#[test]
fn export_names_the_cell_that_cannot_be_written() {
    let mut data = export_data(Locale::En);
    data.answers[0].note = "x".repeat(40_000);
    let err = assessment_xlsx::export(&data).unwrap_err();
    assert!(err.to_string().starts_with("Answers!E2: "), "{err}");
}

// ---- table_in on xlsx -------------------------------------------------------------------

#[test]
fn read_xlsx_table() {
    let mut wb = Workbook::new();
    wb.add_worksheet()
        .set_name("hidden first")
        .unwrap()
        .set_hidden(true);
    // The first visible sheet is the default (a hidden sheet cannot be the active one).
    let ws = wb
        .add_worksheet()
        .set_name("回答データ")
        .unwrap()
        .set_active(true);
    ws.write_string(1, 1, "会社").unwrap();
    ws.write_string(1, 2, "件数").unwrap();
    ws.write_string(1, 3, "日付").unwrap();
    ws.write_string(2, 1, "工業").unwrap();
    ws.write_number(2, 2, 3.0).unwrap();
    ws.write_date_with_format(
        2,
        3,
        ExcelDateTime::from_ymd(2026, 3, 31).unwrap(),
        &Format::new().set_num_format("yyyy/m/d"),
    )
    .unwrap();
    ws.write_number(4, 2, 2.5).unwrap();
    let bytes = wb.save_to_buffer().unwrap();

    for table in [
        table_in::read_xlsx(&bytes, None).unwrap(),
        table_in::read_xlsx(&bytes, Some("回答データ")).unwrap(),
        table_in::read_any(&bytes, "upload.bin").unwrap(),
    ] {
        assert_eq!(table.sheet.as_deref(), Some("回答データ"));
        assert_eq!(table.headers, ["会社", "件数", "日付"]);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].number, 3);
        assert_eq!(table.rows[0].cells, ["工業", "3", "46112"]);
        assert_eq!(
            kojo_formats::excel_serial_to_ymd(46112.0),
            Some((2026, 3, 31))
        );
        assert_eq!(table.rows[1].number, 5);
        assert_eq!(table.rows[1].cells, ["", "2.5", ""]);
    }
    let err = table_in::read_xlsx(&bytes, Some("Sheet9")).unwrap_err();
    assert!(matches!(&err, ReadError::SheetNotFound { available, .. } if available.len() == 2));

    // The export reads as a table too (its first sheet).
    let export = assessment_xlsx::export(&export_data(Locale::Ja)).unwrap();
    let t = table_in::read_xlsx(&export, Some("回答")).unwrap();
    assert_eq!(t.headers[0], "項目ID");
    assert_eq!(t.rows[0].cells[6], "46112");
}

#[test]
fn read_xlsx_refuses_sparse_giants_without_allocating_them() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "a").unwrap();
    ws.write_string(1_048_575, 16_383, "far away").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let err = table_in::read_xlsx(&bytes, None).unwrap_err();
    assert!(
        matches!(&err, ReadError::TooManyColumns { found: 16_384, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("row 1048576"), "{err}");

    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "only").unwrap();
    let empty = Workbook::new().save_to_buffer().unwrap();
    assert!(matches!(
        table_in::read_xlsx(&empty, None).unwrap_err(),
        ReadError::Empty { .. }
    ));
    let header_only = wb.save_to_buffer().unwrap();
    assert!(
        table_in::read_xlsx(&header_only, None)
            .unwrap()
            .rows
            .is_empty()
    );
}

#[test]
fn a_prefilled_workbook_parses_back_to_the_same_answers() {
    let cl = checklist("factory-guideline");
    let sc = scale();
    let given: Vec<ImportedAnswer> = cl
        .items
        .iter()
        .take(2)
        .map(|i| ImportedAnswer {
            item_id: i.id.clone(),
            level: Some("2".into()),
            note: "=SUM(A1) <b>メモ</b>".into(),
            owner: "山田".into(),
            target_date: Some("2027-03-31".into()),
        })
        .collect();
    let bytes = kojo_formats::assessment_xlsx::template_with(&cl, &sc, Locale::Ja, &given).unwrap();
    let parsed = assessment_xlsx::parse(&bytes, &cl, &sc).unwrap();
    let answered: Vec<&ImportedAnswer> = parsed.iter().filter(|a| a.level.is_some()).collect();
    assert_eq!(answered.len(), 2);
    for (a, g) in answered.iter().zip(&given) {
        assert_eq!(a.item_id, g.item_id);
        assert_eq!(a.level, g.level);
        assert_eq!(a.note, g.note, "text stays text, never a formula");
        assert_eq!(a.owner, g.owner);
        assert_eq!(a.target_date, g.target_date);
    }
}
