//! The parser fuzz harness (issue 8 §3): every reader of uploaded files — the CSV reader, the
//! xlsx reader, the survey response file, the assessment workbook, the survey cell decoders —
//! gets arbitrary and mutated input. Nothing may panic; every refusal must be a located error
//! with a sentence in both languages; what kojo writes, kojo reads back unchanged.
//!
//! A short run is part of the suite (proptest's default 256 cases per property, the seed corpus
//! in `tests/fuzz_corpus/` first). The long run, documented in docs/security.md ("Fuzzing"):
//! `PROPTEST_CASES=20000 cargo test --release -p kojo-formats --test fuzz`.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

use std::path::PathBuf;
use std::sync::OnceLock;

use kojo_core::Locale;
use kojo_core::survey::schema::Schema;
use kojo_core::survey::simulate;
use kojo_core::survey::tally::Plan;
use kojo_formats::assessment_xlsx;
use kojo_formats::csv_out::{self, Encoding};
use kojo_formats::survey_csv::{self, SurveyFileError};
use kojo_formats::table_in::{self, ReadError};
use kojo_formats::tables_xlsx::{self, Cell, SheetTable};
use proptest::prelude::*;

fn catalog() -> &'static kojo_content::Catalog {
    static CATALOG: OnceLock<kojo_content::Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| kojo_content::load_embedded().unwrap())
}

fn schema() -> Schema<'static> {
    Schema::new(catalog().instrument("company-2022").unwrap()).unwrap()
}

/// The seed corpus, sorted by name.
fn corpus() -> &'static [(String, Vec<u8>)] {
    static CORPUS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_corpus");
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "csv"))
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&p).unwrap())
            })
            .collect();
        files.sort();
        assert!(files.len() >= 10, "the seed corpus is in tests/fuzz_corpus");
        files
    })
}

/// A small simulated response file of the company questionnaire, as kojo writes it.
fn survey_file() -> &'static [u8] {
    static FILE: OnceLock<Vec<u8>> = OnceLock::new();
    FILE.get_or_init(|| {
        let inst = catalog().instrument("company-2022").unwrap();
        let baseline = catalog().baseline(&inst.baseline).unwrap();
        let schema = schema();
        let plan = Plan::new(&schema, &[]).unwrap();
        let mut writer = survey_csv::Writer::new(Vec::new(), &schema).unwrap();
        let mut i = 0;
        simulate::simulate(&schema, &plan, baseline, 4, 11, |values, texts| {
            i += 1;
            writer
                .row(&schema, &format!("R{i:03}"), values, texts)
                .unwrap();
        });
        writer.finish().unwrap()
    })
}

/// The blank offline assessment workbook.
fn template() -> &'static [u8] {
    static FILE: OnceLock<Vec<u8>> = OnceLock::new();
    FILE.get_or_init(|| {
        let cl = catalog().latest_checklist("factory-guideline").unwrap();
        let scale = catalog().scale(&cl.scale).unwrap();
        assessment_xlsx::template(cl, scale, Locale::Ja).unwrap()
    })
}

/// A refusal names where and what in both languages.
fn check_read_error(e: &ReadError) {
    for locale in [Locale::Ja, Locale::En] {
        let m = e.message(locale);
        assert!(!m.trim().is_empty(), "{e:?} has no {locale:?} sentence");
    }
    assert_ne!(e.message(Locale::Ja), e.message(Locale::En), "{e:?}");
}

/// One way of damaging a file.
#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, byte: u8 },
    Insert { at: usize, bytes: Vec<u8> },
    Remove { at: usize, len: usize },
    Truncate { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        (
            any::<usize>(),
            prop::collection::vec(
                prop_oneof![
                    Just(b'"'),
                    Just(b','),
                    Just(b'\n'),
                    Just(b'\r'),
                    Just(0u8),
                    Just(0xffu8),
                    Just(0x82u8),
                    any::<u8>()
                ],
                1..8
            )
        )
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Remove { at, len }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

fn mutate(bytes: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for m in mutations {
        let len = out.len().max(1);
        match m {
            Mutation::Flip { at, byte } => {
                if !out.is_empty() {
                    let i = at % out.len();
                    out[i] = *byte;
                }
            }
            Mutation::Insert { at, bytes } => {
                let i = at % (out.len() + 1);
                out.splice(i..i, bytes.iter().copied());
            }
            Mutation::Remove { at, len: n } => {
                if !out.is_empty() {
                    let i = at % out.len();
                    let end = (i + n).min(out.len());
                    out.drain(i..end);
                }
            }
            Mutation::Truncate { at } => out.truncate(at % len),
        }
    }
    out
}

#[test]
fn every_seed_of_the_corpus_is_read_or_refused_with_a_located_sentence() {
    let schema = schema();
    for (name, bytes) in corpus() {
        match table_in::read_csv(bytes) {
            Ok(table) => {
                for row in &table.rows {
                    assert_eq!(row.cells.len(), table.headers.len(), "{name}");
                }
                // A table that is not a response file is refused as a whole, never half-read.
                match survey_csv::read(&schema, &table) {
                    Ok(rows) => assert_eq!(rows.len(), table.rows.len(), "{name}"),
                    Err(e) => assert!(!e.message(Locale::Ja).is_empty(), "{name}"),
                }
            }
            Err(e) => check_read_error(&e),
        }
    }
}

/// Cells as people type them: Japanese (every character's CP932 lead byte is 0x81–0x9F, so a
/// CP932 file with one of them is never valid UTF-8), quotes, commas, line breaks, formula starts.
fn cell() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just('a'),
            Just('Z'),
            Just('7'),
            Just(' '),
            Just('"'),
            Just(','),
            Just('\n'),
            Just('='),
            Just('@'),
            Just('-'),
            Just('あ'),
            Just('カ'),
            Just('日'),
            Just('本'),
            Just('①'),
            Just('、'),
        ],
        0..12,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// A rectangular table: a header of distinct names, rows whose first cell is a respondent id.
fn table() -> impl Strategy<Value = Vec<Vec<String>>> {
    (1usize..5, 0usize..8).prop_flat_map(|(columns, rows)| {
        prop::collection::vec(prop::collection::vec(cell(), columns - 1), rows).prop_map(
            move |bodies| {
                let header: Vec<String> = (0..columns).map(|c| format!("列{c}")).collect();
                std::iter::once(header)
                    .chain(bodies.into_iter().enumerate().map(|(i, mut cells)| {
                        cells.insert(0, format!("R{i}"));
                        cells
                    }))
                    .collect()
            },
        )
    })
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_the_csv_reader(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        if let Err(e) = table_in::read_csv(&bytes) {
            check_read_error(&e);
        }
    }

    #[test]
    fn mutated_seeds_are_read_or_refused_with_a_sentence(
        seed in 0usize..64,
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let (_, bytes) = &corpus()[seed % corpus().len()];
        let bytes = mutate(bytes, &mutations);
        match table_in::read_csv(&bytes) {
            Ok(table) => {
                for row in &table.rows {
                    prop_assert_eq!(row.cells.len(), table.headers.len());
                }
            }
            Err(e) => check_read_error(&e),
        }
    }

    #[test]
    fn what_kojo_writes_as_csv_it_reads_back(rows in table(), cp932 in any::<bool>()) {
        let encoding = if cp932 { Encoding::Cp932 } else { Encoding::Utf8Bom };
        let bytes = csv_out::write(&rows, encoding).unwrap();
        let table = table_in::read_csv(&bytes).unwrap();
        prop_assert_eq!(&table.headers, &rows[0]);
        let expected: Vec<Vec<String>> = rows[1..]
            .iter()
            .map(|r| r.iter().map(|c| csv_out::escape_formula(c).into_owned()).collect())
            .collect();
        let read: Vec<Vec<String>> = table.rows.into_iter().map(|r| r.cells).collect();
        prop_assert_eq!(read, expected);
    }

    #[test]
    fn a_damaged_response_file_is_refused_whole_with_every_error_located(
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let bytes = mutate(survey_file(), &mutations);
        let schema = schema();
        let table = match table_in::read_csv(&bytes) {
            Ok(t) => t,
            Err(e) => {
                check_read_error(&e);
                return Ok(());
            }
        };
        match survey_csv::read(&schema, &table) {
            Ok(responses) => prop_assert_eq!(responses.len(), table.rows.len()),
            Err(SurveyFileError::Cells(errors)) => {
                prop_assert!(!errors.is_empty());
                let rows: Vec<usize> = table.rows.iter().map(|r| r.number).collect();
                for e in &errors {
                    prop_assert!(rows.contains(&e.row), "row {} is not a data row", e.row);
                    prop_assert!(
                        e.column.is_empty() || table.headers.contains(&e.column),
                        "column {:?} is not in the header", e.column
                    );
                }
            }
            Err(e) => prop_assert!(!e.message(Locale::En).is_empty()),
        }
    }

    #[test]
    fn any_text_in_any_survey_cell_is_read_or_refused_with_what_was_expected(
        column in 0usize..1000,
        text in prop_oneof![
            Just("三人".to_string()),
            Just("１２".to_string()),
            Just("1e309".to_string()),
            Just("NaN".to_string()),
            Just("-0".to_string()),
            Just("1|2|".to_string()),
            Just("x".repeat(11_500)),
            Just("\u{0}".to_string()),
            ".{0,40}",
        ],
    ) {
        let schema = schema();
        let c = column % schema.columns.len();
        if let Err(problem) = schema.read(c, &text) {
            prop_assert!(!problem.expected.get(Locale::Ja).is_empty());
            prop_assert!(!problem.expected.get(Locale::En).is_empty());
        }
    }

    #[test]
    fn a_damaged_assessment_workbook_never_panics_the_readers(
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let bytes = mutate(template(), &mutations);
        let cl = catalog().latest_checklist("factory-guideline").unwrap();
        let scale = catalog().scale(&cl.scale).unwrap();
        if let Err(e) = assessment_xlsx::parse(&bytes, cl, scale) {
            prop_assert!(!e.message(Locale::Ja).is_empty());
            prop_assert!(!e.message(Locale::En).is_empty());
        }
        if let Err(e) = table_in::read_any(&bytes, "upload.xlsx") {
            check_read_error(&e);
        }
    }

    #[test]
    fn what_kojo_writes_as_xlsx_it_reads_back(rows in table()) {
        let sheet = SheetTable {
            name: "Data".into(),
            header: rows[0].clone(),
            rows: rows[1..]
                .iter()
                .map(|r| r.iter().map(|c| Cell::Text(c.clone())).collect())
                .collect(),
        };
        let bytes = tables_xlsx::write(&[sheet]).unwrap();
        let table = table_in::read_xlsx(&bytes, Some("Data")).unwrap();
        prop_assert_eq!(&table.headers, &rows[0]);
        // The xlsx reader takes a cell of spaces only for an empty one (table_in's rule: a
        // sheet's blank-looking cells are not data).
        let expected: Vec<Vec<String>> = rows[1..]
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| if c.trim().is_empty() { String::new() } else { c.clone() })
                    .collect()
            })
            .collect();
        let read: Vec<Vec<String>> = table.rows.into_iter().map(|r| r.cells).collect();
        prop_assert_eq!(read, expected);
    }
}
