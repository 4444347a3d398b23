//! Malicious workbooks, built here byte by byte: each is refused with an error that names the
//! limit, the part, the value found and the maximum — before the memory it would take is
//! allocated. (Time and peak memory are measured in docs/security.md with
//! `examples/xlsx_bombs.rs`; tests bound time through the limits, never with a clock.)

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

mod support;

use kojo_core::Locale;
use kojo_formats::assessment_xlsx::{self, ImportError};
use kojo_formats::limits::{
    ASSESSMENT_MAX_ROWS, ASSESSMENT_MAX_TEXT_BYTES, MAX_CELLS, MAX_TEXT_BYTES, XLSX_MAX_ENTRIES,
    XLSX_MAX_SHARED_STRINGS, XLSX_MAX_SHARED_STRINGS_BYTES, XLSX_MAX_SHEET_ROWS,
    XLSX_MAX_STYLE_RECORDS, XLSX_MAX_TOTAL_BYTES, XLSX_MAX_XML_TOKEN,
};
use kojo_formats::table_in::{self, ReadError};
use kojo_formats::{Limit, XlsxLimit, XlsxProblem};
use support::zipbomb::{
    Entry, SHEET_HEAD, SHEET_TAIL, SST_HEAD, sheet_xml, small_valid, workbook, workbook_named, zip,
};

fn limit_of(bytes: &[u8]) -> XlsxLimit {
    match table_in::read_any(bytes, "bomb.xlsx") {
        Err(ReadError::Xlsx(XlsxProblem::Limit(limit))) => limit,
        other => panic!("expected a limit error, got {other:?}"),
    }
}

fn header_sheet() -> Entry {
    Entry::stored(
        "xl/worksheets/sheet1.xml",
        sheet_xml(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>respondent</t></is></c></row>"#)
            .as_bytes(),
    )
}

#[test]
fn the_hand_built_workbook_reads() {
    let t = table_in::read_any(&small_valid(), "ok.xlsx").unwrap();
    assert_eq!(t.headers, ["respondent", "A1"]);
    assert_eq!(t.rows[0].cells, ["r1", "3"]);
}

#[test]
fn shared_strings_that_expand_to_gigabytes_are_refused_from_the_zip_directory() {
    // 1.5 GiB of shared strings in about 10 MB: refused from the declared size, nothing
    // inflated (the stream is never read, so it needs no checksum).
    let per = b"<si><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></si>";
    let n = (3u64 << 29) / per.len() as u64;
    let sst = Entry::repeat(
        "xl/sharedStrings.xml",
        SST_HEAD.as_bytes(),
        per,
        n,
        b"</sst>",
        false,
    );
    let declared = sst.declared;
    let bytes = workbook(vec![header_sheet(), sst]);
    assert!(bytes.len() < 16 << 20, "{}", bytes.len());
    let limit = limit_of(&bytes);
    assert_eq!(
        limit,
        XlsxLimit {
            limit: Limit::PartBytes,
            part: "xl/sharedStrings.xml".into(),
            found: declared,
            max: XLSX_MAX_SHARED_STRINGS_BYTES,
        }
    );
    let en = limit.message(Locale::En);
    assert!(en.contains("xl/sharedStrings.xml"), "{en}");
    assert!(en.contains("67,108,864"), "{en}");
    assert!(
        en.contains(&kojo_core::format::int(declared as i64)),
        "{en}"
    );
    let ja = ReadError::Xlsx(XlsxProblem::Limit(limit)).message(Locale::Ja);
    assert!(ja.contains("上限は67,108,864バイト"), "{ja}");
}

#[test]
fn too_many_shared_strings_are_counted_before_they_are_read() {
    let n = XLSX_MAX_SHARED_STRINGS + 1_000;
    let sst = Entry::repeat(
        "xl/sharedStrings.xml",
        SST_HEAD.as_bytes(),
        b"<si/>",
        n,
        b"</sst>",
        true,
    );
    let limit = limit_of(&workbook(vec![header_sheet(), sst]));
    assert_eq!(
        (limit.limit, limit.found, limit.max),
        (Limit::SharedStrings, n, XLSX_MAX_SHARED_STRINGS)
    );
}

#[test]
fn a_declared_string_count_is_limited_too() {
    // calamine reserves room for `uniqueCount` strings before reading one.
    let sst = r#"<?xml version="1.0"?><sst xmlns="x" count='9999999999' uniqueCount="18446744073709551615"><si><t>a</t></si></sst>"#;
    let limit = limit_of(&workbook(vec![
        header_sheet(),
        Entry::stored("xl/sharedStrings.xml", sst.as_bytes()),
    ]));
    assert_eq!(limit.limit, Limit::SharedStrings);
    assert_eq!(limit.found, u64::MAX);
    // `count` is how many cells use the strings: it may be large.
    let sst = format!(r#"{SST_HEAD}<si><t>respondent</t></si></sst>"#)
        .replace("<sst ", r#"<sst count="5000000" uniqueCount="1" "#);
    let sheet = sheet_xml(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);
    let t = table_in::read_any(
        &workbook(vec![
            Entry::stored("xl/worksheets/sheet1.xml", sheet.as_bytes()),
            Entry::stored("xl/sharedStrings.xml", sst.as_bytes()),
        ]),
        "counted.xlsx",
    )
    .unwrap();
    assert_eq!(t.headers, ["respondent"]);
}

#[test]
fn a_sheet_of_empty_rows_expanding_past_the_total_is_refused() {
    let sheet = Entry::repeat(
        "xl/worksheets/sheet1.xml",
        SHEET_HEAD.as_bytes(),
        b"<row/>",
        (1u64 << 30) / 6,
        SHEET_TAIL.as_bytes(),
        false,
    );
    let limit = limit_of(&workbook(vec![sheet]));
    assert_eq!(limit.limit, Limit::PartBytes);
    assert_eq!(limit.part, "xl/worksheets/sheet1.xml");
    assert_eq!(limit.max, XLSX_MAX_TOTAL_BYTES);
    // Several parts under the part limit but over the total.
    let parts: Vec<Entry> = (0..3)
        .map(|i| {
            Entry::repeat(
                &format!("xl/media/image{i}.png"),
                b"",
                b"\0",
                XLSX_MAX_TOTAL_BYTES / 2,
                b"",
                false,
            )
        })
        .collect();
    let limit = limit_of(&workbook(
        std::iter::once(header_sheet()).chain(parts).collect(),
    ));
    assert_eq!(limit.limit, Limit::TotalBytes);
    assert!(limit.found > XLSX_MAX_TOTAL_BYTES, "{limit:?}");
}

#[test]
fn more_rows_than_excel_has_are_refused_before_they_are_read() {
    // Empty rows cost the XML reader time, not memory: their number is Excel's maximum.
    let n = XLSX_MAX_SHEET_ROWS + 1;
    let sheet = Entry::repeat(
        "xl/worksheets/sheet1.xml",
        SHEET_HEAD.as_bytes(),
        b"<row/>",
        n,
        SHEET_TAIL.as_bytes(),
        true,
    );
    let limit = limit_of(&workbook(vec![sheet]));
    assert_eq!(
        (limit.limit, limit.found, limit.max),
        (Limit::SheetRows, n, 1_048_576)
    );
    assert!(
        limit
            .message(Locale::Ja)
            .contains("行が1,048,577行あります。上限は1,048,576行です"),
        "{limit}"
    );
}

#[test]
fn a_part_that_inflates_past_its_declared_size_is_stopped_there() {
    let mut sheet = Entry::repeat(
        "xl/worksheets/sheet1.xml",
        SHEET_HEAD.as_bytes(),
        b"<row/>",
        2_000_000,
        SHEET_TAIL.as_bytes(),
        false,
    );
    sheet.declared = 1_000;
    let limit = limit_of(&workbook(vec![sheet]));
    assert_eq!(limit.limit, Limit::DeclaredSize);
    assert_eq!(limit.part, "xl/worksheets/sheet1.xml");
    assert_eq!(limit.max, 1_000);
    assert!(limit.found > 1_000);
    let ja = limit.message(Locale::Ja);
    assert!(ja.contains("zip に記録された大きさ(1,000バイト)"), "{ja}");
}

#[test]
fn a_tag_or_text_longer_than_the_reader_would_buffer_is_refused() {
    let long_text = Entry::repeat(
        "xl/worksheets/sheet1.xml",
        format!("{SHEET_HEAD}<row><c t=\"inlineStr\"><is><t>").as_bytes(),
        b"x",
        XLSX_MAX_XML_TOKEN * 3,
        format!("</t></is></c></row>{SHEET_TAIL}").as_bytes(),
        false,
    );
    let limit = limit_of(&workbook(vec![long_text]));
    assert_eq!(
        (limit.limit, limit.part.as_str(), limit.max),
        (
            Limit::XmlToken,
            "xl/worksheets/sheet1.xml",
            XLSX_MAX_XML_TOKEN
        )
    );
    // A long tag (one attribute value), and a comment: the same.
    for (prefix, pattern, suffix) in [
        (r#"<row><c r="A1" x=""#, "y", r#""/></row>"#),
        ("<!--", "<a>", "-->"),
    ] {
        let part = Entry::repeat(
            "xl/worksheets/sheet1.xml",
            format!("{SHEET_HEAD}{prefix}").as_bytes(),
            pattern.as_bytes(),
            XLSX_MAX_XML_TOKEN,
            format!("{suffix}{SHEET_TAIL}").as_bytes(),
            false,
        );
        assert_eq!(limit_of(&workbook(vec![part])).limit, Limit::XmlToken);
    }
}

#[test]
fn deeply_nested_xml_is_read_without_recursion() {
    let depth = 300_000;
    let rows = format!(
        "{}{}{}",
        "<x>".repeat(depth),
        "</x>".repeat(depth),
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>respondent</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>r1</t></is></c></row>"#
    );
    let t = table_in::read_any(
        &workbook(vec![Entry::stored(
            "xl/worksheets/sheet1.xml",
            sheet_xml(&rows).as_bytes(),
        )]),
        "deep.xlsx",
    )
    .unwrap();
    assert_eq!(t.rows[0].cells, ["r1"]);
    // Nested rich text in a shared string.
    let sst = format!(
        "{SST_HEAD}<si>{}<t>deep</t>{}</si></sst>",
        "<r>".repeat(depth),
        "</r>".repeat(depth)
    );
    let sheet = sheet_xml(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);
    let result = table_in::read_any(
        &workbook(vec![
            Entry::stored("xl/worksheets/sheet1.xml", sheet.as_bytes()),
            Entry::stored("xl/sharedStrings.xml", sst.as_bytes()),
        ]),
        "deep.xlsx",
    );
    // Read or refused, but in one piece.
    if let Ok(t) = result {
        assert!(t.headers[0].len() < 100);
    }
}

#[test]
fn entity_declarations_do_not_expand() {
    let mut doctype = String::from(r#"<!DOCTYPE sst [<!ENTITY a0 "aaaaaaaaaa">"#);
    for i in 1..10 {
        let prev = format!("&a{};", i - 1);
        doctype.push_str(&format!(r#"<!ENTITY a{i} "{}">"#, prev.repeat(10)));
    }
    doctype.push_str("]>");
    let sst = format!(r#"<?xml version="1.0"?>{doctype}<sst xmlns="x"><si><t>&a9;</t></si></sst>"#);
    let sheet = sheet_xml(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);
    let result = table_in::read_any(
        &workbook(vec![
            Entry::stored("xl/worksheets/sheet1.xml", sheet.as_bytes()),
            Entry::stored("xl/sharedStrings.xml", sst.as_bytes()),
        ]),
        "laughs.xlsx",
    );
    if let Ok(t) = result {
        assert!(t.headers[0].len() < 100, "{}", t.headers[0].len());
    }
}

#[test]
fn too_many_zip_entries_are_refused_from_the_end_record() {
    let mut parts = vec![header_sheet()];
    for i in 0..=XLSX_MAX_ENTRIES {
        parts.push(Entry::stored(&format!("x/{i}"), b""));
    }
    let limit = limit_of(&workbook(parts));
    assert_eq!(limit.limit, Limit::Entries);
    // The skeleton's four parts, the sheet and one entry too many.
    assert_eq!(limit.found, XLSX_MAX_ENTRIES + 6);
}

#[test]
fn too_many_style_records_are_refused() {
    let n = XLSX_MAX_STYLE_RECORDS + 1;
    let styles = Entry::repeat(
        "xl/styles.xml",
        br#"<?xml version="1.0"?><styleSheet xmlns="x"><cellXfs>"#,
        br#"<xf numFmtId="0"/>"#,
        n,
        b"</cellXfs></styleSheet>",
        true,
    );
    let limit = limit_of(&workbook(vec![header_sheet(), styles]));
    assert_eq!(
        (limit.limit, limit.found, limit.part.as_str()),
        (Limit::StyleRecords, n, "xl/styles.xml")
    );
}

#[test]
fn a_sparse_sheet_is_refused_at_the_cell_limit_while_it_is_read() {
    // A header as wide as allowed, then rows of one cell: the table would be 20 million cells.
    let rows = 1 + MAX_CELLS as u64 / 2_000;
    let sheet = Entry::repeat(
        "xl/worksheets/sheet1.xml",
        format!(
            r#"{SHEET_HEAD}<row><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="BXX1" t="inlineStr"><is><t>b</t></is></c></row>"#
        )
        .as_bytes(),
        br#"<row><c t="inlineStr"><is><t>x</t></is></c></row>"#,
        rows,
        SHEET_TAIL.as_bytes(),
        true,
    );
    let err = table_in::read_any(&workbook(vec![sheet]), "wide.xlsx").unwrap_err();
    assert!(
        matches!(err, ReadError::TooManyCells { columns: 2_000, found, .. } if found > MAX_CELLS),
        "{err:?}"
    );
}

#[test]
fn an_assessment_upload_and_an_analysis_get_the_same_limit_error() {
    let bytes = workbook(vec![
        header_sheet(),
        Entry::stored(
            "xl/sharedStrings.xml",
            br#"<sst uniqueCount="99999999999"></sst>"#,
        ),
    ]);
    let catalog = kojo_content::load_embedded().unwrap();
    let checklist = catalog.latest_checklist("factory-guideline").unwrap();
    let scale = catalog.scale(&checklist.scale).unwrap();
    let err = assessment_xlsx::parse(&bytes, checklist, scale).unwrap_err();
    let ImportError::NotXlsx(XlsxProblem::Limit(limit)) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(limit.limit, Limit::SharedStrings);
    assert!(
        err.message(Locale::Ja)
            .contains("共有文字列が99,999,999,999個"),
        "{err}"
    );
    assert!(
        err.to_string().contains("99,999,999,999 shared strings"),
        "{err}"
    );

    let inst = catalog.instrument("company-2022").unwrap();
    let schema = kojo_core::survey::schema::Schema::new(inst).unwrap();
    let plan = kojo_core::survey::tally::Plan::new(&schema, &[]).unwrap();
    let err = kojo_formats::survey_csv::tally_seekable(
        std::io::Cursor::new(&bytes),
        "bomb.xlsx",
        &schema,
        &plan,
        2,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("99,999,999,999 shared strings"),
        "{err}"
    );
}

#[test]
fn a_zip_that_is_no_xlsx_is_a_parser_error_not_a_panic() {
    for bytes in [
        zip(&[Entry::stored("hello.txt", b"hi")]),
        b"PK\x03\x04garbage".to_vec(),
        {
            let mut b = small_valid();
            b.truncate(b.len() - 10);
            b
        },
    ] {
        let err = table_in::read_any(&bytes, "x.xlsx").unwrap_err();
        assert!(matches!(err, ReadError::Xlsx(_)), "{err:?}");
    }
}

/// A shared string of almost a megabyte and `n` cells that use it.
fn one_string_many_cells(sheet: &str, n: u64) -> Vec<u8> {
    let text = "長".repeat(340_000);
    let sst = format!(r#"{SST_HEAD}<si><t>respondent</t></si><si><t>{text}</t></si></sst>"#);
    let part = Entry::repeat(
        "xl/worksheets/sheet1.xml",
        format!(r#"{SHEET_HEAD}<row><c t="s"><v>0</v></c></row>"#).as_bytes(),
        br#"<row><c t="s"><v>1</v></c></row>"#,
        n,
        SHEET_TAIL.as_bytes(),
        true,
    );
    workbook_named(
        sheet,
        vec![part, Entry::stored("xl/sharedStrings.xml", sst.as_bytes())],
    )
}

#[test]
fn a_shared_string_used_by_many_cells_counts_every_time() {
    let cells = 1 + MAX_TEXT_BYTES as u64 / 1_020_000;
    let limit = limit_of(&one_string_many_cells("回答", cells));
    assert_eq!(
        (limit.limit, limit.part.as_str(), limit.max),
        (Limit::TextBytes, "回答", MAX_TEXT_BYTES as u64)
    );
    assert!(limit.found > MAX_TEXT_BYTES as u64);
    assert!(
        limit
            .message(Locale::Ja)
            .contains("共有文字列は使うセルごとに数えます"),
        "{limit}"
    );
}

#[test]
fn an_assessment_workbook_is_limited_to_what_a_checklist_needs() {
    let catalog = kojo_content::load_embedded().unwrap();
    let checklist = catalog.latest_checklist("factory-guideline").unwrap();
    let scale = catalog.scale(&checklist.scale).unwrap();
    let parse = |bytes: &[u8]| match assessment_xlsx::parse(bytes, checklist, scale) {
        Err(ImportError::NotXlsx(XlsxProblem::Limit(limit))) => limit,
        other => panic!("expected a limit, got {other:?}"),
    };
    // Text: a few cells using a long shared string.
    let cells = 1 + ASSESSMENT_MAX_TEXT_BYTES as u64 / 1_020_000;
    let limit = parse(&one_string_many_cells("_kojo", cells));
    assert_eq!(
        (limit.limit, limit.part.as_str()),
        (Limit::TextBytes, "_kojo")
    );
    // Rows: one cell each, counted to the end.
    let rows = ASSESSMENT_MAX_ROWS as u64 + 500;
    let sheet = Entry::repeat(
        "xl/worksheets/sheet1.xml",
        SHEET_HEAD.as_bytes(),
        br#"<row><c t="inlineStr"><is><t>x</t></is></c></row>"#,
        rows,
        SHEET_TAIL.as_bytes(),
        true,
    );
    let limit = parse(&workbook_named("_kojo", vec![sheet]));
    assert_eq!(
        (limit.limit, limit.part.as_str(), limit.found, limit.max),
        (Limit::SheetRows, "_kojo", rows, ASSESSMENT_MAX_ROWS as u64)
    );
}
