//! Import and analysis read a response file the same way: for every file here — valid ones,
//! broken ones, large ones cut into chunks on several threads — `kojo survey analyze`'s reader
//! ([`survey_csv::tally_seekable`]) and import's ([`table_in::read_any`] then
//! [`survey_csv::read`]) accept the same respondents or report the same problems.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

mod support;

use std::io::Cursor;

use kojo_core::Locale;
use kojo_core::survey::schema::Schema;
use kojo_core::survey::simulate;
use kojo_core::survey::tally::Plan;
use kojo_formats::csv_out::{self, Encoding};
use kojo_formats::survey_csv::{self, SurveyFileError};
use kojo_formats::table_in;
use kojo_formats::tables_xlsx::{self, Cell, SheetTable};

struct Fixture {
    catalog: kojo_content::Catalog,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture {
            catalog: kojo_content::load_embedded().unwrap(),
        }
    }

    fn schema(&self) -> Schema<'_> {
        Schema::new(self.catalog.instrument("company-2022").unwrap()).unwrap()
    }

    /// `n` simulated respondents as rows of strings, the header first.
    fn rows(&self, n: usize) -> Vec<Vec<String>> {
        let inst = self.catalog.instrument("company-2022").unwrap();
        let baseline = self.catalog.baseline(&inst.baseline).unwrap();
        let schema = self.schema();
        let plan = Plan::new(&schema, &[]).unwrap();
        let mut writer = survey_csv::Writer::new(Vec::new(), &schema).unwrap();
        let mut i = 0;
        simulate::simulate(&schema, &plan, baseline, n, 7, |values, texts| {
            i += 1;
            writer
                .row(&schema, &format!("R{i:06}"), values, texts)
                .unwrap();
        });
        let bytes = writer.finish().unwrap();
        let table = table_in::read_csv(&bytes).unwrap();
        std::iter::once(table.headers)
            .chain(table.rows.into_iter().map(|r| r.cells))
            .collect()
    }
}

type Outcome = Result<u64, Vec<String>>;

fn messages(e: &SurveyFileError) -> Vec<String> {
    e.messages(Locale::En)
}

fn import(f: &Fixture, bytes: &[u8], name: &str) -> Outcome {
    let schema = f.schema();
    let table = table_in::read_any(bytes, name).map_err(|e| vec![e.message(Locale::En)])?;
    survey_csv::read(&schema, &table)
        .map(|r| r.len() as u64)
        .map_err(|e| messages(&e))
}

fn analyze(f: &Fixture, bytes: &[u8], name: &str, threads: usize, chunk: usize) -> Outcome {
    let schema = f.schema();
    let plan = Plan::new(&schema, &[]).unwrap();
    let (tally, _) = if chunk == 0 {
        survey_csv::tally_seekable(Cursor::new(bytes), name, &schema, &plan, threads)
    } else {
        survey_csv::tally_in_chunks(
            Cursor::new(bytes),
            name,
            &schema,
            &plan,
            threads,
            chunk,
            true,
        )
    }
    .map_err(|e| messages(&e))?;
    Ok(tally.respondents)
}

/// Both readers agree on `bytes`, on 1 to 3 threads, in the usual chunks of 4 MiB and in
/// chunks of 8 KiB (so a file is cut at many places); their outcome.
fn same(f: &Fixture, bytes: &[u8], name: &str) -> Outcome {
    let imported = import(f, bytes, name);
    for (threads, chunk) in [(1, 0), (2, 0), (3, 0), (1, 8 << 10), (3, 8 << 10)] {
        assert_eq!(
            analyze(f, bytes, name, threads, chunk),
            imported,
            "{name} on {threads} thread(s), chunks of {chunk}"
        );
    }
    imported
}

fn csv(rows: &[Vec<String>], encoding: Encoding) -> Vec<u8> {
    csv_out::write(rows, encoding).unwrap()
}

fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|h| h == name).unwrap()
}

#[test]
fn valid_files_in_every_encoding_and_shape() {
    let f = Fixture::new();
    let mut rows = f.rows(60);
    assert_eq!(same(&f, &csv(&rows, Encoding::Utf8Bom), "a.csv"), Ok(60));
    // Free text with line breaks, commas and quotes, as kojo's own export writes it.
    let a2 = column(&rows, "A2");
    for (i, row) in rows.iter_mut().enumerate().skip(1) {
        row[a2] = format!("第{i}工場の回答\r\n二行目, \"引用\"\nおわり");
    }
    assert_eq!(same(&f, &csv(&rows, Encoding::Utf8Bom), "a.csv"), Ok(60));
    assert_eq!(same(&f, &csv(&rows, Encoding::Cp932), "a.csv"), Ok(60));
    let utf8 = csv(&rows, Encoding::Utf8Bom);
    assert_eq!(same(&f, &utf8[3..], "no-bom.csv"), Ok(60));
    // LF only, lone CR, blank lines and blank records between the rows.
    let text = String::from_utf8(utf8[3..].to_vec()).unwrap();
    let lf = text
        .replace("\r\n", "\n")
        .replace("\nR000010", "\n\n,,\n\nR000010");
    assert_eq!(same(&f, lf.as_bytes(), "lf.csv"), Ok(60));
    let cr = text.replace("\r\n", "\r");
    assert_eq!(same(&f, cr.as_bytes(), "cr.csv"), Ok(60));
    // The same table as an xlsx.
    let sheet = SheetTable {
        name: "回答".into(),
        header: rows[0].clone(),
        rows: rows[1..]
            .iter()
            .map(|r| r.iter().map(|c| Cell::Text(c.clone())).collect())
            .collect(),
    };
    let xlsx = tables_xlsx::write(&[sheet]).unwrap();
    assert_eq!(same(&f, &xlsx, "a.xlsx"), Ok(60));
    // Only a header.
    assert_eq!(
        same(&f, &csv(&rows[..1], Encoding::Utf8Bom), "h.csv"),
        Ok(0)
    );
}

#[test]
fn broken_files_get_the_same_first_problem() {
    let f = Fixture::new();
    let rows = f.rows(30);
    let text = String::from_utf8(csv(&rows, Encoding::Utf8Bom)[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    let with_line = |at: usize, line: &str| {
        let mut l = lines.clone();
        l[at] = line;
        l.join("\r\n")
    };
    let ragged = with_line(5, &format!("{},extra", lines[5]));
    let unclosed = with_line(7, &lines[7].replacen(",", ",\"open", 1));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.csv", Vec::new()),
        ("blank.csv", b"\r\n\r\n,,\r\n".to_vec()),
        ("ragged.csv", ragged.clone().into_bytes()),
        ("unclosed.csv", unclosed.into_bytes()),
        ("utf16.csv", b"\xFF\xFEr\0e\0".to_vec()),
        ("doc.pdf", b"%PDF-1.7 ...".to_vec()),
        ("answers.xlsx", text.clone().into_bytes()),
        ("zip.xlsx", b"PK\x03\x04broken".to_vec()),
        ("unknown.csv", b"respondent,Z9\r\nr1,1\r\n".to_vec()),
        ("norespondent.csv", b"A1\r\n1\r\n".to_vec()),
        ("dupcolumn.csv", b"respondent,A1,A1\r\nr1,1,1\r\n".to_vec()),
    ];
    // A record past the limit, quoted or not, with more lines after it.
    for quote in ["\"", ""] {
        let mut long = format!("respondent,A2\r\nr1,1\r\nr2,{quote}").into_bytes();
        long.resize(long.len() + (1 << 20) + 10, b'x');
        long.extend_from_slice(b"\r\nr3,\"y\"\r\n");
        assert_eq!(
            same(&f, &long, "long.csv"),
            Err(vec![
                "line 3: the record is longer than 1,048,576 bytes (is a closing double quote missing?)"
                    .into()
            ])
        );
    }
    for (name, bytes) in &cases {
        let outcome = same(&f, bytes, name);
        assert!(outcome.is_err(), "{name}: {outcome:?}");
    }
    assert_eq!(
        same(&f, ragged.as_bytes(), "r.csv"),
        Err(vec![
            "line 6: 115 columns, expected 114 (as many as the header line)".into()
        ])
    );
    // A bad header and a ragged row: the file problem first, as import finds it.
    let both = ragged.replacen("respondent,", "respondent,Z9,", 1);
    let outcome = same(&f, both.as_bytes(), "both.csv");
    assert_eq!(
        outcome.unwrap_err()[0],
        "line 2: 114 columns, expected 115 (as many as the header line)"
    );
    // Bad bytes: with a byte-order mark in UTF-8, without in CP932 (bytes after an ASCII start).
    let mut bad = csv(&rows, Encoding::Utf8Bom);
    let at = bad.len() / 2;
    bad.insert(at, 0xFF);
    let outcome = same(&f, &bad, "bad.csv").unwrap_err();
    assert!(outcome[0].contains("not valid UTF-8"), "{outcome:?}");
    let mut bad = lines.join("\r\n").into_bytes();
    bad.extend_from_slice(b"\r\nR999,\x81");
    let outcome = same(&f, &bad, "bad.csv").unwrap_err();
    // (The simulated free text is UTF-8 Japanese, which is not CP932 either: an earlier line.)
    assert!(
        outcome[0].contains(": the file is not valid Shift_JIS (CP932)"),
        "{outcome:?}"
    );
}

#[test]
fn respondents_must_be_present_and_unique() {
    let f = Fixture::new();
    let mut rows = f.rows(12);
    rows[5][0] = rows[2][0].clone();
    rows[9][0] = rows[2][0].clone();
    rows[7][0] = " ".into();
    let outcome = same(&f, &csv(&rows, Encoding::Utf8Bom), "ids.csv").unwrap_err();
    assert_eq!(
        outcome,
        [
            "row 6, column respondent: \"R000002\" — expected a respondent not already in row 3",
            "row 8, column respondent: \"\" — expected the respondent's identifier",
            "row 10, column respondent: \"R000002\" — expected a respondent not already in row 3",
        ]
    );
}

#[test]
fn files_cut_into_many_chunks_read_the_same() {
    let f = Fixture::new();
    let mut rows = f.rows(2_500);
    let plain = csv(&rows, Encoding::Utf8Bom);
    let a2 = column(&rows, "A2");
    for (i, row) in rows.iter_mut().enumerate().skip(1) {
        if i % 3 == 0 {
            row[a2] = format!("回答{i}\n\"改行\"あり,\r\n{}", "長".repeat(i % 150));
        }
    }
    let utf8 = csv(&rows, Encoding::Utf8Bom);
    // Over a hundred chunks of 8 KiB.
    assert!(utf8.len() > 100 * (8 << 10), "{}", utf8.len());
    assert_eq!(same(&f, &utf8, "big.csv"), Ok(2_500));
    let cp932 = csv(&rows, Encoding::Cp932);
    assert_eq!(same(&f, &cp932, "big-sjis.csv"), Ok(2_500));

    // A duplicate far from its first row, and a bad cell, in other chunks.
    let mut bad = rows.clone();
    bad[2_400][0] = bad[3][0].clone();
    let g1 = column(&bad, "G1");
    bad[1_300][g1] = "x7".into();
    let outcome = same(&f, &csv(&bad, Encoding::Utf8Bom), "big-bad.csv").unwrap_err();
    // Rows are lines: multi-line answers push them down.
    assert!(outcome[0].contains(", column G1: \"x7\""), "{outcome:?}");
    let last = outcome.last().unwrap();
    assert!(
        last.ends_with(
            ", column respondent: \"R000003\" — expected a respondent not already in row 4"
        ),
        "{last}"
    );

    // UTF-8 text with Japanese for many chunks, then a CP932 line: import reads the whole file
    // as CP932; so does analysis, reading the file again.
    let mut mixed = utf8[3..].to_vec();
    mixed.extend_from_slice(&cp932[cp932.len() - 2_000..]);
    let outcome = same(&f, &mixed, "mixed.csv");
    assert!(outcome.is_err(), "{outcome:?}");
    // A reader that cannot be rewound refuses it instead, at the first byte that is not UTF-8.
    let schema = f.schema();
    let plan = Plan::new(&schema, &[]).unwrap();
    let err =
        survey_csv::tally_in_chunks(Cursor::new(&mixed), "", &schema, &plan, 2, 8 << 10, false)
            .unwrap_err();
    assert!(err.to_string().contains("not valid UTF-8"), "{err}");
    // Mixed the other way (CP932 first), it is CP932 from the start: no second reading needed.
    let mut mixed = cp932.clone();
    mixed.extend_from_slice(&utf8[utf8.len() - 2_000..]);
    assert!(same(&f, &mixed, "mixed2.csv").is_err());

    // A quote never closed: the record runs to the end of the file.
    assert!(!plain.contains(&b'"'));
    let mut unclosed = plain;
    let at = unclosed.len() / 3;
    let at = at + unclosed[at..].iter().position(|&b| b == b'\n').unwrap() + 1;
    unclosed.insert(at, b'"');
    let outcome = same(&f, &unclosed, "unclosed.csv").unwrap_err();
    assert!(
        outcome[0].contains("a field starts with a double quote (\") that is never closed"),
        "{outcome:?}"
    );
}
