//! Reading a tabular file (CSV or xlsx) into a plain table of strings.
//!
//! The first non-empty row is the header; every later non-empty row is a data row with as many
//! cells as the header. Rows whose cells are all empty are skipped (spreadsheets leave them
//! behind). Cells are kept as written (not trimmed); header names are trimmed.
//!
//! CSV is read by [`crate::csv_in`] (the same reader `kojo survey analyze` uses); xlsx is
//! checked against the limits of [`crate::limits`] before it is expanded.

use kojo_core::Locale;

use crate::csv_in::{self, RecordError, Records};
pub use crate::limits::{MAX_CELLS, MAX_COLUMNS, MAX_ROWS};
use crate::text::{count, fill, msg};
use crate::xlsx_read::{self, Value, VisitError};
pub use crate::xlsx_read::{Limit, XlsxLimit, XlsxProblem};

/// A table read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The sheet the table was read from (xlsx only).
    pub sheet: Option<String>,
    /// The header row, trimmed.
    pub headers: Vec<String>,
    /// The data rows, each with exactly `headers.len()` cells.
    pub rows: Vec<Row>,
}

/// One data row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line (CSV; the line where the record starts) or sheet row (xlsx), as the user
    /// sees it in an editor or in Excel.
    pub number: usize,
    /// One cell per header column, as written in the file.
    pub cells: Vec<String>,
}

/// Why a file could not be read as a table. The sentence is made when it is shown
/// ([`ReadError::message`]; `Display` is the English one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The bytes are not text in a supported encoding; `line` holds the first bad byte.
    Encoding { line: usize, encoding: &'static str },
    /// UTF-16 text (Excel's "Unicode text"), which kojo does not read.
    Utf16,
    /// The CSV parser failed (kept for callers that report a parser's own message).
    Csv { line: u64, message: String },
    /// A quoted field that starts in the record at `line` is never closed.
    Unclosed { line: usize },
    /// The record at `line` is longer than [`crate::limits::MAX_RECORD_BYTES`].
    RecordTooLong { line: usize },
    /// No header row.
    Empty { sheet: Option<String> },
    /// A CSV line has a different number of fields than the header.
    Ragged {
        line: usize,
        expected: usize,
        found: usize,
    },
    /// More than [`MAX_ROWS`] data rows; `at` is the line or sheet row where the limit was hit.
    TooManyRows { at: Place },
    /// More than [`MAX_COLUMNS`] columns; `at` is the line or sheet row that has them.
    TooManyColumns { at: Place, found: usize },
    /// More than [`MAX_CELLS`] cells in all.
    TooManyCells {
        rows: usize,
        columns: usize,
        found: usize,
    },
    /// The bytes are a zip but not a readable xlsx workbook, the sheet could not be read, or
    /// the workbook is over a limit of [`crate::limits`].
    Xlsx(XlsxProblem),
    /// The requested sheet does not exist; `available` lists the worksheets there are.
    SheetNotFound {
        sheet: String,
        available: Vec<String>,
    },
    /// Neither CSV nor xlsx.
    Unsupported { file_name: String, kind: NotTable },
}

/// Where in a file: a CSV line or a worksheet row, 1-based as an editor or Excel shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Line(usize),
    SheetRow { sheet: String, row: usize },
}

impl Place {
    /// The place in `locale`: `line 7` / `7行目`, `sheet 回答, row 7` / `シート「回答」7行目`.
    pub fn message(&self, locale: Locale) -> String {
        let m = msg(locale);
        match self {
            Place::Line(line) => fill(m.file_read_at_line, &[("line", line)]),
            Place::SheetRow { sheet, row } => {
                fill(m.file_read_at_sheet_row, &[("sheet", sheet), ("row", row)])
            }
        }
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Locale::En))
    }
}

/// What a file that is neither CSV nor xlsx turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotTable {
    LegacyOrProtectedExcel,
    NamedLikeSpreadsheet,
    Pdf,
    Binary,
}

impl NotTable {
    /// What the file is, in `locale`.
    pub fn message(self, locale: Locale) -> &'static str {
        let m = msg(locale);
        match self {
            NotTable::LegacyOrProtectedExcel => m.file_read_legacy_excel,
            NotTable::NamedLikeSpreadsheet => m.file_read_named_like_spreadsheet,
            NotTable::Pdf => m.file_read_pdf,
            NotTable::Binary => m.file_read_binary,
        }
    }
}

impl std::fmt::Display for NotTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message(Locale::En))
    }
}

impl std::error::Error for NotTable {}

impl ReadError {
    /// The error in `locale`; in English it is the `Display` text. Details that come from a
    /// parser (CSV or zip/xml) stay as the parser wrote them.
    pub fn message(&self, locale: Locale) -> String {
        let m = msg(locale);
        let line = |line: usize| Place::Line(line).message(locale);
        match self {
            ReadError::Encoding { line: l, encoding } => fill(
                m.file_read_encoding,
                &[("at", &line(*l)), ("encoding", encoding)],
            ),
            ReadError::Utf16 => m.file_read_utf16.to_string(),
            ReadError::Csv { line: l, message } => fill(
                m.file_read_csv,
                &[
                    ("at", &line(kojo_core::num::saturate::<usize, _>(*l))),
                    ("detail", message),
                ],
            ),
            ReadError::Unclosed { line: l } => fill(m.file_read_unclosed, &[("at", &line(*l))]),
            ReadError::RecordTooLong { line: l } => fill(
                m.file_read_record_too_long,
                &[
                    ("at", &line(*l)),
                    ("max", &count(crate::limits::MAX_RECORD_BYTES)),
                ],
            ),
            ReadError::Empty { sheet: None } => m.file_read_empty.to_string(),
            ReadError::Empty { sheet: Some(sheet) } => {
                fill(m.file_read_empty_sheet, &[("sheet", sheet)])
            }
            ReadError::Ragged {
                line: l,
                expected,
                found,
            } => fill(
                m.file_read_ragged,
                &[
                    ("at", &line(*l)),
                    ("found", &count(*found)),
                    ("expected", &count(*expected)),
                ],
            ),
            ReadError::TooManyRows { at } => fill(
                m.file_read_too_many_rows,
                &[("at", &at.message(locale)), ("max", &count(MAX_ROWS))],
            ),
            ReadError::TooManyColumns { at, found } => fill(
                m.file_read_too_many_columns,
                &[
                    ("at", &at.message(locale)),
                    ("found", &count(*found)),
                    ("max", &count(MAX_COLUMNS)),
                ],
            ),
            ReadError::TooManyCells {
                rows,
                columns,
                found,
            } => fill(
                m.file_read_too_many_cells,
                &[
                    ("found", &count(*found)),
                    ("rows", &count(*rows)),
                    ("columns", &count(*columns)),
                    ("max", &count(MAX_CELLS)),
                ],
            ),
            ReadError::Xlsx(XlsxProblem::Limit(limit)) => limit.message(locale),
            ReadError::Xlsx(problem) => {
                fill(m.file_read_xlsx, &[("detail", &problem.message(locale))])
            }
            ReadError::SheetNotFound { sheet, available } => fill(
                m.file_read_sheet_not_found,
                &[
                    ("sheet", sheet),
                    ("available", &available.join(m.file_read_list_separator)),
                ],
            ),
            ReadError::Unsupported { file_name, kind } => fill(
                m.file_read_unsupported,
                &[("file", file_name), ("kind", &kind.message(locale))],
            ),
        }
    }

    /// The line or sheet row the error is at, if it is at one (for ordering errors).
    pub(crate) fn line(&self) -> usize {
        match self {
            ReadError::Encoding { line, .. }
            | ReadError::Unclosed { line }
            | ReadError::RecordTooLong { line }
            | ReadError::Ragged { line, .. } => *line,
            ReadError::Csv { line, .. } => kojo_core::num::saturate::<usize, _>(*line),
            ReadError::TooManyRows { at } | ReadError::TooManyColumns { at, .. } => match at {
                Place::Line(line) => *line,
                Place::SheetRow { row, .. } => *row,
            },
            _ => 0,
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Locale::En))
    }
}

impl std::error::Error for ReadError {}

impl From<RecordError> for ReadError {
    fn from(e: RecordError) -> ReadError {
        match e {
            RecordError::Unclosed { line } => ReadError::Unclosed { line },
            RecordError::TooLong { line } => ReadError::RecordTooLong { line },
        }
    }
}

/// Reads CSV: a UTF-8 byte-order mark is stripped; otherwise valid UTF-8 is taken as UTF-8 and
/// anything else is decoded as Shift_JIS (CP932). Bytes that are invalid in the chosen
/// encoding are an error naming the first bad line. Records are split as described in
/// [`crate::csv_in`].
pub fn read_csv(bytes: &[u8]) -> Result<Table, ReadError> {
    let text = decode(bytes)?;
    let mut records = Records::new(&text, 1);
    let mut fields = Vec::new();
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    while let Some(line) = records.next_record(&mut fields)? {
        if is_blank(&fields) {
            continue;
        }
        let Some(header) = &headers else {
            check_header_width(fields.len(), line)?;
            headers = Some(fields.iter().map(|h| h.trim().to_string()).collect());
            continue;
        };
        check_width(line, header.len(), fields.len())?;
        if rows.len() == MAX_ROWS {
            return Err(ReadError::TooManyRows {
                at: Place::Line(line),
            });
        }
        check_cells(rows.len() + 1, header.len())?;
        rows.push(Row {
            number: line,
            cells: fields.iter().map(|f| f.to_string()).collect(),
        });
    }
    let headers = headers.ok_or(ReadError::Empty { sheet: None })?;
    Ok(Table {
        sheet: None,
        headers,
        rows,
    })
}

/// Whether every field of a record is empty or whitespace (such rows are skipped).
pub(crate) fn is_blank<S: AsRef<str>>(fields: &[S]) -> bool {
    fields.iter().all(|c| c.as_ref().trim().is_empty())
}

/// The header record at `line` has `found` fields.
pub(crate) fn check_header_width(found: usize, line: usize) -> Result<(), ReadError> {
    if found > MAX_COLUMNS {
        return Err(ReadError::TooManyColumns {
            at: Place::Line(line),
            found,
        });
    }
    Ok(())
}

/// A data record at `line` must have as many fields as the header.
pub(crate) fn check_width(line: usize, expected: usize, found: usize) -> Result<(), ReadError> {
    if found != expected {
        return Err(ReadError::Ragged {
            line,
            expected,
            found,
        });
    }
    Ok(())
}

fn check_cells(rows: usize, columns: usize) -> Result<(), ReadError> {
    let found = rows.saturating_mul(columns);
    if found > MAX_CELLS {
        return Err(ReadError::TooManyCells {
            rows,
            columns,
            found,
        });
    }
    Ok(())
}

/// The encoding error at byte `bad.offset` of `bytes`, with its line.
pub(crate) fn encoding_error(bytes: &[u8], bad: csv_in::BadBytes, first_line: usize) -> ReadError {
    ReadError::Encoding {
        line: first_line + csv_in::line_breaks(&bytes[..bad.offset.min(bytes.len())]),
        encoding: bad.encoding,
    }
}

/// Decodes CSV bytes to text (see [`read_csv`]).
fn decode(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, ReadError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(ReadError::Utf16);
    }
    if let Some(rest) = bytes.strip_prefix(crate::csv_out::UTF8_BOM) {
        return std::str::from_utf8(rest).map(Into::into).map_err(|e| {
            let bad = csv_in::BadBytes {
                offset: e.valid_up_to(),
                encoding: csv_in::UTF8,
            };
            encoding_error(rest, bad, 1)
        });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.into());
    }
    csv_in::decode_cp932(bytes)
        .map(Into::into)
        .map_err(|bad| encoding_error(bytes, bad, 1))
}

/// Reads one sheet of an xlsx workbook: `sheet` by name, or by default the first visible
/// worksheet.
///
/// The workbook is first checked against the limits of [`crate::limits`] (nothing is expanded
/// past them). The table starts at the first non-empty row and the leftmost non-empty column of
/// the sheet. Numbers that are integers come out without `.0` (`3`, not `3.0`); other numbers as
/// Rust prints them (`3.5`). Date cells come out as their Excel serial number (`46112`, in the
/// 1900 date system even for 1904 workbooks): convert with [`excel_serial_to_ymd`] where a
/// column is known to hold dates. Booleans are `TRUE`/`FALSE`, error values like `#N/A`.
#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
pub fn read_xlsx(bytes: &[u8], sheet: Option<&str>) -> Result<Table, ReadError> {
    let mut wb = xlsx_read::open(bytes).map_err(ReadError::Xlsx)?;
    let sheets = xlsx_read::worksheets(&wb);
    let name = match sheet {
        Some(name) => sheets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(n, _)| n.clone())
            .ok_or_else(|| ReadError::SheetNotFound {
                sheet: name.to_string(),
                available: sheets.iter().map(|(n, _)| n.clone()).collect(),
            })?,
        None => sheets
            .iter()
            .find(|(_, visible)| *visible)
            .or(sheets.first())
            .map(|(n, _)| n.clone())
            .ok_or(ReadError::Xlsx(XlsxProblem::NoWorksheet))?,
    };

    // Sparse rows: (sheet row, [(column, text)]), in row order.
    let mut sparse: Vec<(u32, Vec<(u32, String)>)> = Vec::new();
    let (mut min_col, mut max_col) = (u32::MAX, 0u32);
    let mut text_bytes = 0usize;
    let result = xlsx_read::for_each_cell(&mut wb, &name, |row, col, value: Value| {
        let text = value.text();
        if text.trim().is_empty() {
            return Ok(());
        }
        text_bytes += text.len();
        if text_bytes > crate::limits::MAX_TEXT_BYTES {
            return Err(ReadError::Xlsx(xlsx_read::limit(
                Limit::TextBytes,
                &name,
                text_bytes as u64,
                crate::limits::MAX_TEXT_BYTES as u64,
            )));
        }
        let at = || Place::SheetRow {
            sheet: name.clone(),
            row: row as usize + 1,
        };
        let old_width = max_col.saturating_sub(min_col);
        min_col = min_col.min(col);
        max_col = max_col.max(col);
        let width = (max_col - min_col) as usize + 1;
        if width > MAX_COLUMNS {
            return Err(ReadError::TooManyColumns {
                at: at(),
                found: width,
            });
        }
        if max_col - min_col != old_width {
            check_cells(sparse.len().saturating_sub(1), width)?;
        }
        match sparse.last_mut() {
            Some((last, cells)) if *last == row => cells.push((col, text)),
            _ => {
                if sparse.len() > MAX_ROWS {
                    return Err(ReadError::TooManyRows { at: at() });
                }
                check_cells(sparse.len(), width)?;
                sparse.push((row, vec![(col, text)]));
            }
        }
        Ok(())
    });
    match result {
        Ok(()) => {}
        Err(VisitError::Read(problem)) => return Err(ReadError::Xlsx(problem)),
        Err(VisitError::Stop(e)) => return Err(e),
    }
    // Cells normally arrive row by row; sort and merge in case a writer did otherwise.
    sparse.sort_by_key(|(row, _)| *row);
    sparse.dedup_by(|(row, cells), (prev_row, prev_cells)| {
        let same = row == prev_row;
        if same {
            prev_cells.append(cells);
        }
        same
    });

    let mut rows_iter = sparse.into_iter();
    let Some((_, header_cells)) = rows_iter.next() else {
        return Err(ReadError::Empty { sheet: Some(name) });
    };
    let width = (max_col - min_col) as usize + 1;
    check_cells(rows_iter.len(), width)?;
    let dense = |cells: Vec<(u32, String)>| {
        let mut out = vec![String::new(); width];
        for (col, text) in cells {
            out[(col - min_col) as usize] = text;
        }
        out
    };
    let headers = dense(header_cells)
        .into_iter()
        .map(|h| h.trim().to_string())
        .collect();
    let rows = rows_iter
        .map(|(row, cells)| Row {
            number: row as usize + 1,
            cells: dense(cells),
        })
        .collect();
    Ok(Table {
        sheet: Some(name),
        headers,
        rows,
    })
}

/// What a file's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Xlsx,
    Csv,
}

/// Decides by content what a file is (an xlsx starts with the zip magic `PK\x03\x04`), the same
/// way for import and analysis; `head` is the start of the file (at least 8 KiB when the file
/// is that long) and `file_name` catches a file named `.xlsx` that is not one.
pub(crate) fn sniff(head: &[u8], file_name: &str) -> Result<Kind, ReadError> {
    let unsupported = |kind| ReadError::Unsupported {
        file_name: file_name.to_string(),
        kind,
    };
    if head.starts_with(xlsx_read::ZIP_MAGIC) {
        return Ok(Kind::Xlsx);
    }
    if head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Err(unsupported(NotTable::LegacyOrProtectedExcel));
    }
    let lower = file_name.to_ascii_lowercase();
    if [".xlsx", ".xlsm", ".xls", ".ods"]
        .iter()
        .any(|ext| lower.ends_with(ext))
    {
        return Err(unsupported(NotTable::NamedLikeSpreadsheet));
    }
    if head.starts_with(b"%PDF") {
        return Err(unsupported(NotTable::Pdf));
    }
    let first = &head[..head.len().min(8192)];
    let utf16 = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    if !utf16 && first.contains(&0) {
        return Err(unsupported(NotTable::Binary));
    }
    Ok(Kind::Csv)
}

/// Reads a CSV or xlsx file, deciding by its content (an xlsx starts with the zip magic
/// `PK\x03\x04`); `file_name` is used in messages and to catch a file named `.xlsx` that is
/// not one.
pub fn read_any(bytes: &[u8], file_name: &str) -> Result<Table, ReadError> {
    match sniff(bytes, file_name)? {
        Kind::Xlsx => read_xlsx(bytes, None),
        Kind::Csv => read_csv(bytes),
    }
}

/// The calendar date of an Excel serial date number in the 1900 date system (the default;
/// tables read by [`read_xlsx`] are converted to it). The time of day is dropped. `None` for
/// serials before 1900-01-01 (serial 1), Excel's fictitious 1900-02-29 (serial 60), past
/// 9999-12-31, or not finite.
pub fn excel_serial_to_ymd(serial: f64) -> Option<(i32, u32, u32)> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = kojo_core::num::trunc_i64(serial.floor());
    if days == 60 {
        return None;
    }
    // Serials from 61 on count from 1899-12-30 because Excel counts 1900-02-29.
    let epoch = if days < 60 {
        xlsx_read::days_from_civil(1899, 12, 31)
    } else {
        xlsx_read::days_from_civil(1899, 12, 30)
    };
    Some(xlsx_read::civil_from_days(epoch + days))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_in_japanese_keep_the_place_and_drop_the_english() {
        let sheet_row = Place::SheetRow {
            sheet: "回答".into(),
            row: 7,
        };
        for (err, place) in [
            (
                ReadError::Ragged {
                    line: 4,
                    expected: 3,
                    found: 5,
                },
                "4行目",
            ),
            (
                ReadError::TooManyRows {
                    at: sheet_row.clone(),
                },
                "シート「回答」7行目",
            ),
            (
                ReadError::TooManyColumns {
                    at: Place::Line(1),
                    found: 2001,
                },
                "1行目",
            ),
            (
                ReadError::Encoding {
                    line: 9,
                    encoding: "UTF-8",
                },
                "9行目",
            ),
            (
                ReadError::Empty {
                    sheet: Some("回答".into()),
                },
                "シート「回答」",
            ),
            (
                ReadError::Unsupported {
                    file_name: "a.xls".into(),
                    kind: NotTable::LegacyOrProtectedExcel,
                },
                "a.xls",
            ),
        ] {
            let ja = err.message(Locale::Ja);
            assert!(ja.contains(place), "{ja}");
            assert!(!ja.contains("expected"), "{ja}");
            assert_eq!(err.message(Locale::En), err.to_string());
        }
        assert_eq!(sheet_row.to_string(), "sheet 回答, row 7");
    }

    #[test]
    fn csv_utf8_with_and_without_bom() {
        let body = "項目ID,回答\r\nA-1,3\r\nA-2,実施済み\r\n";
        let mut with_bom = crate::csv_out::UTF8_BOM.to_vec();
        with_bom.extend_from_slice(body.as_bytes());
        for bytes in [with_bom, body.as_bytes().to_vec()] {
            let t = read_csv(&bytes).unwrap();
            assert_eq!(t.sheet, None);
            assert_eq!(t.headers, ["項目ID", "回答"]);
            assert_eq!(t.rows.len(), 2);
            assert_eq!(t.rows[1].number, 3);
            assert_eq!(t.rows[1].cells, ["A-2", "実施済み"]);
        }
    }

    #[test]
    fn csv_cp932_is_detected() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("会社,拠点\n工業,本社工場\n");
        assert!(std::str::from_utf8(&bytes).is_err());
        let t = read_csv(&bytes).unwrap();
        assert_eq!(t.headers, ["会社", "拠点"]);
        assert_eq!(t.rows[0].cells, ["工業", "本社工場"]);
    }

    #[test]
    fn csv_cp932_written_by_csv_out_reads_back() {
        let rows = vec![
            vec!["名前".to_string(), "メモ".to_string()],
            vec!["髙橋".to_string(), "①,\"引用\"\n改行".to_string()],
        ];
        let bytes = crate::csv_out::write(&rows, crate::csv_out::Encoding::Cp932).unwrap();
        let t = read_csv(&bytes).unwrap();
        assert_eq!(t.headers, rows[0]);
        assert_eq!(t.rows[0].cells, rows[1]);
        let bytes = crate::csv_out::write(&rows, crate::csv_out::Encoding::Utf8Bom).unwrap();
        assert_eq!(read_csv(&bytes).unwrap().rows[0].cells, rows[1]);
    }

    #[test]
    fn csv_bad_bytes_name_the_line() {
        let mut bytes = b"a,b\r\n1,2\r\n".to_vec();
        bytes.extend_from_slice(b"3,\x81\r\n"); // lead byte without a trail byte
        assert_eq!(
            read_csv(&bytes).unwrap_err(),
            ReadError::Encoding {
                line: 3,
                encoding: "Shift_JIS (CP932)"
            }
        );
        let mut bom = crate::csv_out::UTF8_BOM.to_vec();
        bom.extend_from_slice(b"a\n\xFF\n");
        let err = read_csv(&bom).unwrap_err();
        assert_eq!(
            err,
            ReadError::Encoding {
                line: 2,
                encoding: "UTF-8"
            }
        );
        assert!(err.to_string().starts_with("line 2: "), "{err}");
        assert_eq!(read_csv(b"\xFF\xFEa\0").unwrap_err(), ReadError::Utf16);
    }

    #[test]
    fn csv_ragged_row_names_line_and_counts() {
        let err = read_csv(b"a,b,c\n1,2,3\n\n4,5\n").unwrap_err();
        assert_eq!(
            err,
            ReadError::Ragged {
                line: 4,
                expected: 3,
                found: 2
            }
        );
        assert_eq!(
            err.to_string(),
            "line 4: 2 columns, expected 3 (as many as the header line)"
        );
    }

    #[test]
    fn csv_line_numbers_follow_crlf_lf_cr_and_blank_lines() {
        let numbers = |input: &[u8]| -> Vec<usize> {
            read_csv(input)
                .unwrap()
                .rows
                .iter()
                .map(|r| r.number)
                .collect()
        };
        assert_eq!(numbers(b"a,b\r\n1,2\r\n3,4\r\n"), [2, 3]);
        assert_eq!(numbers(b"a,b\n1,2\n\n\n3,4"), [2, 5]);
        assert_eq!(numbers(b"\r\n\r\na,b\r\n\r\n1,2\r\n"), [5]);
        assert_eq!(numbers(b"a,b\r1,2\r3,4\r"), [2, 3]);
    }

    #[test]
    fn csv_multiline_field_keeps_the_start_line() {
        let t = read_csv(b"a,b\n1,\"x\ny\"\n2,z\n,\n").unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells[1], "x\ny");
        assert_eq!(t.rows[1].number, 4);
    }

    #[test]
    fn csv_empty_and_limits() {
        assert_eq!(read_csv(b"").unwrap_err(), ReadError::Empty { sheet: None });
        assert_eq!(
            read_csv(b"\r\n,,\r\n").unwrap_err(),
            ReadError::Empty { sheet: None }
        );
        let wide = vec!["h"; MAX_COLUMNS + 1].join(",");
        assert!(matches!(
            read_csv(wide.as_bytes()).unwrap_err(),
            ReadError::TooManyColumns { found, .. } if found == MAX_COLUMNS + 1
        ));
    }

    #[test]
    fn excel_serials() {
        assert_eq!(excel_serial_to_ymd(1.0), Some((1900, 1, 1)));
        assert_eq!(excel_serial_to_ymd(59.0), Some((1900, 2, 28)));
        assert_eq!(excel_serial_to_ymd(60.0), None);
        assert_eq!(excel_serial_to_ymd(61.0), Some((1900, 3, 1)));
        assert_eq!(excel_serial_to_ymd(25_569.0), Some((1970, 1, 1)));
        assert_eq!(excel_serial_to_ymd(46_112.0), Some((2026, 3, 31)));
        assert_eq!(excel_serial_to_ymd(46_112.75), Some((2026, 3, 31)));
        assert_eq!(excel_serial_to_ymd(2_958_465.0), Some((9999, 12, 31)));
        assert_eq!(excel_serial_to_ymd(2_958_466.0), None);
        assert_eq!(excel_serial_to_ymd(0.0), None);
        assert_eq!(excel_serial_to_ymd(f64::NAN), None);
    }

    #[test]
    fn read_any_dispatches_on_content() {
        assert_eq!(read_any(b"a,b\n1,2\n", "x.csv").unwrap().rows.len(), 1);
        // A CSV with an odd name is still read as CSV.
        assert!(read_any(b"a,b\n1,2\n", "upload").is_ok());
        let err = read_any(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "photo.png").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("photo.png: the content is binary"),
            "{err}"
        );
        let err = read_any(b"a,b\n1,2\n", "answers.xlsx").unwrap_err();
        assert!(matches!(err, ReadError::Unsupported { .. }), "{err}");
        let err = read_any(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", "old.xls").unwrap_err();
        assert!(err.to_string().contains(".xls"), "{err}");
        let err = read_any(b"PK\x03\x04garbage", "x.xlsx").unwrap_err();
        assert!(matches!(err, ReadError::Xlsx(_)), "{err}");
    }
}
