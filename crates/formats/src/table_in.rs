//! Reading a tabular file (CSV or xlsx) into a plain table of strings.
//!
//! The first non-empty row is the header; every later non-empty row is a data row with as many
//! cells as the header. Rows whose cells are all empty are skipped (spreadsheets leave them
//! behind). Cells are kept as written (not trimmed); header names are trimmed.

use kojo_core::Locale;
use kojo_core::format::int;
use thiserror::Error;

use crate::xlsx_read::{self, Value, VisitError};

/// At most this many data rows (the header not counted).
pub const MAX_ROWS: usize = 1_000_000;
/// At most this many columns.
pub const MAX_COLUMNS: usize = 2_000;
/// At most this many cells (data rows × columns). A sparse xlsx row costs a full row of cells
/// once read, so this bounds memory where the file size alone does not.
pub const MAX_CELLS: usize = 20_000_000;

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

/// Why a file could not be read as a table.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ReadError {
    /// The bytes are not text in a supported encoding.
    #[error(
        "line {line}: the file is not valid {encoding} text (expected UTF-8 or Shift_JIS/CP932 CSV)"
    )]
    Encoding { line: usize, encoding: &'static str },
    /// UTF-16 text (Excel's "Unicode text"), which kojo does not read.
    #[error(
        "line 1: the file is UTF-16 text; expected UTF-8 or Shift_JIS/CP932 CSV (in Excel, save as \"CSV UTF-8\")"
    )]
    Utf16,
    /// The CSV parser failed.
    #[error("line {line}: could not read the CSV: {message}")]
    Csv { line: u64, message: String },
    /// No header row.
    #[error("{}the file is empty: expected a header row followed by data rows", sheet_prefix(.sheet))]
    Empty { sheet: Option<String> },
    /// A CSV line has a different number of fields than the header.
    #[error("line {line}: {found} columns, expected {expected} (as many as the header line)")]
    Ragged {
        line: usize,
        expected: usize,
        found: usize,
    },
    /// More than [`MAX_ROWS`] data rows; `at` is the line or sheet row where the limit was hit.
    #[error("{at}: more than {max} data rows", max = MAX_ROWS)]
    TooManyRows { at: Place },
    /// More than [`MAX_COLUMNS`] columns; `at` is the line or sheet row that has them.
    #[error("{at}: {found} columns, expected at most {max}", max = MAX_COLUMNS)]
    TooManyColumns { at: Place, found: usize },
    /// More than [`MAX_CELLS`] cells in all.
    #[error("{found} cells ({rows} rows × {columns} columns), expected at most {max}", max = MAX_CELLS)]
    TooManyCells {
        rows: usize,
        columns: usize,
        found: usize,
    },
    /// The bytes are a zip but not a readable xlsx workbook, or the sheet could not be read.
    #[error("not a readable xlsx workbook: {0}")]
    Xlsx(String),
    /// The requested sheet does not exist; `available` lists the worksheets there are.
    #[error("sheet {sheet:?} not found; the workbook has: {}", available.join(", "))]
    SheetNotFound {
        sheet: String,
        available: Vec<String>,
    },
    /// Neither CSV nor xlsx.
    #[error("{file_name}: {kind}; expected a CSV file or an Excel workbook (.xlsx)")]
    Unsupported { file_name: String, kind: NotTable },
}

/// Where in a file: a CSV line or a worksheet row, 1-based as an editor or Excel shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Line(usize),
    SheetRow { sheet: String, row: usize },
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Line(line) => write!(f, "line {line}"),
            Place::SheetRow { sheet, row } => write!(f, "sheet {sheet}, row {row}"),
        }
    }
}

impl Place {
    fn ja(&self) -> String {
        match self {
            Place::Line(line) => format!("{line}行目"),
            Place::SheetRow { sheet, row } => format!("シート「{sheet}」{row}行目"),
        }
    }
}

/// What a file that is neither CSV nor xlsx turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum NotTable {
    #[error(
        "this is an Excel 97-2003 workbook (.xls) or a password-protected workbook; save it as .xlsx without a password"
    )]
    LegacyOrProtectedExcel,
    #[error("the name says spreadsheet but the content is not an xlsx workbook")]
    NamedLikeSpreadsheet,
    #[error("this is a PDF document")]
    Pdf,
    #[error("the content is binary, not text")]
    Binary,
}

impl NotTable {
    fn ja(self) -> &'static str {
        match self {
            NotTable::LegacyOrProtectedExcel => {
                "Excel 97-2003 形式(.xls)またはパスワード付きのブックです。パスワードを外して .xlsx で保存してください"
            }
            NotTable::NamedLikeSpreadsheet => {
                "ファイル名は表計算ファイルですが、中身が xlsx ブックではありません"
            }
            NotTable::Pdf => "PDF 文書です",
            NotTable::Binary => "テキストではないバイナリファイルです",
        }
    }
}

impl ReadError {
    /// The error in `locale`; in English it is the `Display` text. Details that come from a
    /// parser (CSV or zip/xml) stay as the parser wrote them.
    pub fn message(&self, locale: Locale) -> String {
        if locale == Locale::En {
            return self.to_string();
        }
        match self {
            ReadError::Encoding { line, encoding } => format!(
                "{line}行目: {encoding} のテキストとして読めません。UTF-8 または Shift_JIS(CP932)の CSV が必要です"
            ),
            ReadError::Utf16 => "1行目: UTF-16 のテキストです。UTF-8 または Shift_JIS(CP932)の CSV が必要です(Excel では「CSV UTF-8」で保存してください)".into(),
            ReadError::Csv { line, message } => {
                format!("{line}行目: CSV として読めません(詳細: {message})")
            }
            ReadError::Empty { sheet } => format!(
                "{}ファイルが空です。見出し行とデータ行が必要です",
                sheet.as_ref().map(|s| format!("シート「{s}」: ")).unwrap_or_default()
            ),
            ReadError::Ragged {
                line,
                expected,
                found,
            } => format!("{line}行目: 列が{found}個あります。見出し行と同じ{expected}個が必要です"),
            ReadError::TooManyRows { at } => {
                format!(
                    "{}: データ行が上限の{}行を超えています",
                    at.ja(),
                    int(MAX_ROWS as i64)
                )
            }
            ReadError::TooManyColumns { at, found } => {
                format!(
                    "{}: 列が{}個あります。上限は{}個です",
                    at.ja(),
                    int(*found as i64),
                    int(MAX_COLUMNS as i64)
                )
            }
            ReadError::TooManyCells {
                rows,
                columns,
                found,
            } => format!(
                "セルが{}個({}行 × {}列)あります。上限は{}個です",
                int(*found as i64),
                int(*rows as i64),
                int(*columns as i64),
                int(MAX_CELLS as i64)
            ),
            ReadError::Xlsx(detail) => {
                format!("xlsx ブックとして読めません(詳細: {detail})")
            }
            ReadError::SheetNotFound { sheet, available } => format!(
                "シート「{sheet}」がありません。このブックのシート: {}",
                available.join("、")
            ),
            ReadError::Unsupported { file_name, kind } => format!(
                "{file_name}: {}。CSV ファイルまたは Excel ブック(.xlsx)が必要です",
                kind.ja()
            ),
        }
    }
}

fn sheet_prefix(sheet: &Option<String>) -> String {
    sheet
        .as_ref()
        .map(|s| format!("sheet {s}: "))
        .unwrap_or_default()
}

/// Reads CSV: a UTF-8 byte-order mark is stripped; otherwise valid UTF-8 is taken as UTF-8 and
/// anything else is decoded as Shift_JIS (CP932). Bytes that are invalid in the chosen
/// encoding are an error naming the first bad line.
pub fn read_csv(bytes: &[u8]) -> Result<Table, ReadError> {
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::default();
    loop {
        let more = reader
            .read_record(&mut record)
            .map_err(|e| ReadError::Csv {
                line: e.position().map(|p| p.line()).unwrap_or(0),
                message: e.to_string(),
            })?;
        if !more {
            break;
        }
        // The csv crate's own line numbers drift after CRLF and blank lines: count them here.
        let line = lines.line_at(&text, record.position().map_or(0, |p| p.byte() as usize));
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let Some(header) = &headers else {
            if record.len() > MAX_COLUMNS {
                return Err(ReadError::TooManyColumns {
                    at: Place::Line(line),
                    found: record.len(),
                });
            }
            headers = Some(record.iter().map(|h| h.trim().to_string()).collect());
            continue;
        };
        if record.len() != header.len() {
            return Err(ReadError::Ragged {
                line,
                expected: header.len(),
                found: record.len(),
            });
        }
        if rows.len() == MAX_ROWS {
            return Err(ReadError::TooManyRows {
                at: Place::Line(line),
            });
        }
        check_cells(rows.len() + 1, header.len())?;
        rows.push(Row {
            number: line,
            cells: record.iter().map(str::to_string).collect(),
        });
    }
    let headers = headers.ok_or(ReadError::Empty { sheet: None })?;
    Ok(Table {
        sheet: None,
        headers,
        rows,
    })
}

/// Finds the 1-based line of record start offsets, which must come in increasing order.
#[derive(Default)]
struct LineCounter {
    scanned: usize,
    breaks: usize,
}

impl LineCounter {
    /// The line of the record that the parser reports at byte `offset`. The offset may point at
    /// the line break that ends the previous record or at skipped blank lines; the record
    /// starts after them. CRLF, LF and a lone CR each end one line.
    fn line_at(&mut self, text: &str, offset: usize) -> usize {
        let bytes = text.as_bytes();
        let mut start = offset.min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= self.scanned {
            for i in self.scanned..start {
                let lone_cr = bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
                if bytes[i] == b'\n' || lone_cr {
                    self.breaks += 1;
                }
            }
            self.scanned = start;
        }
        self.breaks + 1
    }
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

/// Decodes CSV bytes to text (see [`read_csv`]).
fn decode(bytes: &[u8]) -> Result<String, ReadError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(ReadError::Utf16);
    }
    if let Some(rest) = bytes.strip_prefix(crate::csv_out::UTF8_BOM) {
        return std::str::from_utf8(rest)
            .map(str::to_string)
            .map_err(|e| ReadError::Encoding {
                line: line_of(rest, e.valid_up_to()),
                encoding: "UTF-8",
            });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    // Shift_JIS trail bytes are 0x40..=0xFC, so a 0x0A byte is always a line feed: decoding
    // line by line finds the first bad line.
    let mut text = String::with_capacity(bytes.len() * 3 / 2);
    for (i, line) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
        match encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(line) {
            Some(decoded) => text.push_str(&decoded),
            None => {
                return Err(ReadError::Encoding {
                    line: i + 1,
                    encoding: "Shift_JIS (CP932)",
                });
            }
        }
    }
    Ok(text)
}

/// 1-based line of a byte offset.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Reads one sheet of an xlsx workbook: `sheet` by name, or by default the first visible
/// worksheet.
///
/// The table starts at the first non-empty row and the leftmost non-empty column of the sheet.
/// Numbers that are integers come out without `.0` (`3`, not `3.0`); other numbers as Rust
/// prints them (`3.5`). Date cells come out as their Excel serial number (`46112`, in the 1900
/// date system even for 1904 workbooks): convert with [`excel_serial_to_ymd`] where a column
/// is known to hold dates. Booleans are `TRUE`/`FALSE`, error values like `#N/A`.
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
            .ok_or_else(|| ReadError::Xlsx("the workbook has no worksheet".into()))?,
    };

    // Sparse rows: (sheet row, [(column, text)]), in row order.
    let mut sparse: Vec<(u32, Vec<(u32, String)>)> = Vec::new();
    let (mut min_col, mut max_col) = (u32::MAX, 0u32);
    let result = xlsx_read::for_each_cell(&mut wb, &name, |row, col, value: Value| {
        let text = value.text();
        if text.trim().is_empty() {
            return Ok(());
        }
        min_col = min_col.min(col);
        max_col = max_col.max(col);
        let width = (max_col - min_col) as usize + 1;
        if width > MAX_COLUMNS {
            return Err(ReadError::TooManyColumns {
                at: Place::SheetRow {
                    sheet: name.clone(),
                    row: row as usize + 1,
                },
                found: width,
            });
        }
        match sparse.last_mut() {
            Some((last, cells)) if *last == row => cells.push((col, text)),
            _ => {
                if sparse.len() > MAX_ROWS {
                    return Err(ReadError::TooManyRows {
                        at: Place::SheetRow {
                            sheet: name.clone(),
                            row: row as usize + 1,
                        },
                    });
                }
                sparse.push((row, vec![(col, text)]));
            }
        }
        Ok(())
    });
    match result {
        Ok(()) => {}
        Err(VisitError::Read(message)) => return Err(ReadError::Xlsx(message)),
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

/// Reads a CSV or xlsx file, deciding by its content (an xlsx starts with the zip magic
/// `PK\x03\x04`); `file_name` is used in messages and to catch a file named `.xlsx` that is
/// not one.
pub fn read_any(bytes: &[u8], file_name: &str) -> Result<Table, ReadError> {
    let unsupported = |kind| ReadError::Unsupported {
        file_name: file_name.to_string(),
        kind,
    };
    if bytes.starts_with(xlsx_read::ZIP_MAGIC) {
        return read_xlsx(bytes, None);
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Err(unsupported(NotTable::LegacyOrProtectedExcel));
    }
    let lower = file_name.to_ascii_lowercase();
    if [".xlsx", ".xlsm", ".xls", ".ods"]
        .iter()
        .any(|ext| lower.ends_with(ext))
    {
        return Err(unsupported(NotTable::NamedLikeSpreadsheet));
    }
    if bytes.starts_with(b"%PDF") {
        return Err(unsupported(NotTable::Pdf));
    }
    let head = &bytes[..bytes.len().min(8192)];
    let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    if !utf16 && head.contains(&0) {
        return Err(unsupported(NotTable::Binary));
    }
    read_csv(bytes)
}

/// The calendar date of an Excel serial date number in the 1900 date system (the default;
/// tables read by [`read_xlsx`] are converted to it). The time of day is dropped. `None` for
/// serials before 1900-01-01 (serial 1), Excel's fictitious 1900-02-29 (serial 60), past
/// 9999-12-31, or not finite.
pub fn excel_serial_to_ymd(serial: f64) -> Option<(i32, u32, u32)> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
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
