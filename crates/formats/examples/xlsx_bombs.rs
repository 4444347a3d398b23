//! Writes malicious and large legitimate files, and reads one as an upload is read, for
//! measuring time and peak memory (docs/security.md, "Uploaded files"):
//!
//! ```text
//! cargo run --release -p kojo-formats --example xlsx_bombs -- write DIR
//! /usr/bin/time -v target/release/examples/xlsx_bombs read DIR/FILE          # table import
//! /usr/bin/time -v target/release/examples/xlsx_bombs assessment DIR/FILE    # workbook upload
//! ```
//!
//! `bench/xlsx/run.sh` does both for every file.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

#[path = "../tests/support/zipbomb.rs"]
mod zipbomb;

use std::path::Path;

use kojo_formats::limits::{MAX_CELLS, XLSX_MAX_SHARED_STRINGS, XLSX_MAX_TOTAL_BYTES};
use zipbomb::{Entry, SHEET_HEAD, SHEET_TAIL, SST_HEAD, workbook};

fn header_sheet() -> Entry {
    Entry::stored(
        "xl/worksheets/sheet1.xml",
        zipbomb::sheet_xml(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>respondent</t></is></c></row>"#,
        )
        .as_bytes(),
    )
}

fn write(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let save = |name: &str, bytes: Vec<u8>| -> std::io::Result<()> {
        println!("{name}: {} bytes", bytes.len());
        std::fs::write(dir.join(name), bytes)
    };
    // Issue 8: shared strings that expand to 1.5 GiB.
    let per = b"<si><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></si>";
    save(
        "sst-1.5GiB.xlsx",
        workbook(vec![
            header_sheet(),
            Entry::repeat(
                "xl/sharedStrings.xml",
                SST_HEAD.as_bytes(),
                per,
                (3u64 << 29) / per.len() as u64,
                b"</sst>",
                false,
            ),
        ]),
    )?;
    // One string over the count, each empty: 5.5 MB of XML.
    save(
        "sst-count.xlsx",
        workbook(vec![
            header_sheet(),
            Entry::repeat(
                "xl/sharedStrings.xml",
                SST_HEAD.as_bytes(),
                b"<si/>",
                XLSX_MAX_SHARED_STRINGS + 100_000,
                b"</sst>",
                true,
            ),
        ]),
    )?;
    save(
        "sst-uniquecount.xlsx",
        workbook(vec![
            header_sheet(),
            Entry::stored(
                "xl/sharedStrings.xml",
                br#"<sst uniqueCount="4000000000"><si><t>a</t></si></sst>"#,
            ),
        ]),
    )?;
    // A sheet of 1 GiB of empty rows (refused from the directory) and one just under the total
    // (read through: the longest accepted work).
    save(
        "sheet-rows-1GiB.xlsx",
        workbook(vec![Entry::repeat(
            "xl/worksheets/sheet1.xml",
            SHEET_HEAD.as_bytes(),
            b"<row/>",
            (1u64 << 30) / 6,
            SHEET_TAIL.as_bytes(),
            false,
        )]),
    )?;
    let under = (XLSX_MAX_TOTAL_BYTES - 4096) / 6;
    save(
        "sheet-rows-under-limit.xlsx",
        workbook(vec![Entry::repeat(
            "xl/worksheets/sheet1.xml",
            format!(
                r#"{SHEET_HEAD}<row r="1"><c r="A1" t="inlineStr"><is><t>respondent</t></is></c></row>"#
            )
            .as_bytes(),
            b"<row/>",
            under,
            SHEET_TAIL.as_bytes(),
            true,
        )]),
    )?;
    // Elements no limit counts, just under the total: the longest work a file under every
    // limit can cause (the XML reader goes through all of them).
    save(
        "sheet-junk-under-limit.xlsx",
        workbook(vec![Entry::repeat(
            "xl/worksheets/sheet1.xml",
            format!(
                r#"{SHEET_HEAD}<row r="1"><c r="A1" t="inlineStr"><is><t>respondent</t></is></c></row>"#
            )
            .as_bytes(),
            b"<x/>",
            (XLSX_MAX_TOTAL_BYTES - 4096) / 4,
            SHEET_TAIL.as_bytes(),
            true,
        )]),
    )?;
    // Empty cells just under the total: more cells than the limit.
    save(
        "sheet-cells.xlsx",
        workbook(vec![Entry::repeat(
            "xl/worksheets/sheet1.xml",
            SHEET_HEAD.as_bytes(),
            b"<c/>",
            (XLSX_MAX_TOTAL_BYTES - 4096) / 4,
            SHEET_TAIL.as_bytes(),
            true,
        )]),
    )?;
    // A header as wide as allowed and rows of one cell: a 20-million-cell table.
    save(
        "sheet-sparse.xlsx",
        workbook(vec![Entry::repeat(
            "xl/worksheets/sheet1.xml",
            format!(
                r#"{SHEET_HEAD}<row><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="BXX1" t="inlineStr"><is><t>b</t></is></c></row>"#
            )
            .as_bytes(),
            br#"<row><c t="inlineStr"><is><t>x</t></is></c></row>"#,
            1 + MAX_CELLS as u64 / 2_000,
            SHEET_TAIL.as_bytes(),
            true,
        )]),
    )?;
    // A declared size that lies: 1 kB declared, 200 MB inside.
    let mut lying = Entry::repeat(
        "xl/worksheets/sheet1.xml",
        SHEET_HEAD.as_bytes(),
        b"<row/>",
        200_000_000 / 6,
        SHEET_TAIL.as_bytes(),
        false,
    );
    lying.declared = 1_000;
    save("declared-size-lie.xlsx", workbook(vec![lying]))?;
    // One text run of 200 MB.
    save(
        "long-text.xlsx",
        workbook(vec![Entry::repeat(
            "xl/worksheets/sheet1.xml",
            format!("{SHEET_HEAD}<row><c t=\"inlineStr\"><is><t>").as_bytes(),
            b"x",
            200_000_000,
            format!("</t></is></c></row>{SHEET_TAIL}").as_bytes(),
            false,
        )]),
    )?;
    // Deeply nested elements, 2 million levels.
    let depth = 2_000_000;
    save(
        "nested.xlsx",
        workbook(vec![Entry::stored(
            "xl/worksheets/sheet1.xml",
            zipbomb::sheet_xml(&format!(
                "{}{}<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>respondent</t></is></c></row>",
                "<x>".repeat(depth),
                "</x>".repeat(depth)
            ))
            .as_bytes(),
        )]),
    )?;
    // 150,001 style records.
    save(
        "styles.xlsx",
        workbook(vec![
            header_sheet(),
            Entry::repeat(
                "xl/styles.xml",
                br#"<?xml version="1.0"?><styleSheet xmlns="x"><cellXfs>"#,
                br#"<xf numFmtId="0"/>"#,
                150_001,
                b"</cellXfs></styleSheet>",
                true,
            ),
        ]),
    )?;
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: xlsx_bombs write DIR | read FILE | assessment FILE";
    let (Some(mode), Some(path)) = (args.get(1), args.get(2)) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let path = Path::new(path);
    match mode.as_str() {
        "write" => write(path).expect("write the files"),
        "read" | "assessment" => {
            let bytes = std::fs::read(path).expect("read the file");
            let name = path.file_name().unwrap().to_string_lossy();
            let start = std::time::Instant::now();
            let outcome = if mode == "read" {
                match kojo_formats::table_in::read_any(&bytes, &name) {
                    Ok(t) => format!("read: {} columns, {} rows", t.headers.len(), t.rows.len()),
                    Err(e) => format!("refused: {e}"),
                }
            } else {
                let catalog = kojo_content::load_embedded().expect("catalogue");
                let checklist = catalog.latest_checklist("factory-guideline").unwrap();
                let scale = catalog.scale(&checklist.scale).unwrap();
                match kojo_formats::assessment_xlsx::parse(&bytes, checklist, scale) {
                    Ok(a) => format!("read: {} answers", a.len()),
                    Err(e) => format!("refused: {}", e.message(kojo_core::Locale::En)),
                }
            };
            let shown: String = outcome.chars().take(300).collect();
            println!("{name}: {:.2} s: {shown}", start.elapsed().as_secs_f64());
        }
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    }
}
