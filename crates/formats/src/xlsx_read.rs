//! Shared xlsx reading: opening a workbook from bytes, streaming a sheet's cells, and the
//! conversions of cell values and dates both readers need.
//!
//! Sheets are streamed cell by cell (calamine's `worksheet_cells_reader`) instead of being
//! loaded as a dense range: a tiny file with one cell in A1 and one in XFD1048576 would
//! otherwise allocate seventeen billion cells.

use std::io::Cursor;

use calamine::{DataRef, Reader, SheetType, SheetVisible, Xlsx};

/// A workbook opened from bytes.
pub(crate) type Workbook<'a> = Xlsx<Cursor<&'a [u8]>>;

/// The zip local-file-header magic every xlsx starts with.
pub(crate) const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Days between Excel's 1904 epoch (1904-01-01 = 0) and its 1900 epoch (1900-01-01 = 1, with
/// the fictitious 1900-02-29).
const EPOCH_1904_OFFSET: f64 = 1462.0;

/// A non-empty cell value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Text(String),
    Number(f64),
    /// A date/time cell as a serial number in the 1900 date system (1904 workbooks are
    /// converted).
    Date(f64),
    Bool(bool),
    /// An error value such as `#N/A`.
    Error(String),
}

impl Value {
    /// The value as a user would read it in the cell (numbers without a trailing `.0`, dates
    /// as their serial number).
    pub(crate) fn text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Number(n) | Value::Date(n) => number_text(*n),
            Value::Bool(true) => "TRUE".into(),
            Value::Bool(false) => "FALSE".into(),
            Value::Error(e) => e.clone(),
        }
    }
}

/// Opens a workbook; the error is calamine's message in a user-readable form.
pub(crate) fn open(bytes: &[u8]) -> Result<Workbook<'_>, String> {
    if !bytes.starts_with(ZIP_MAGIC) {
        return Err("the file does not start like an xlsx workbook (a zip archive)".into());
    }
    Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsxError::Password => {
            "the workbook is password-protected; save it without a password".to_string()
        }
        other => other.to_string(),
    })
}

/// Names of the workbook's sheets that hold cells, in workbook order, with whether each is
/// visible.
pub(crate) fn worksheets(wb: &Workbook<'_>) -> Vec<(String, bool)> {
    wb.sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
        .collect()
}

/// Error from [`for_each_cell`]: either the file could not be read or the visitor stopped.
pub(crate) enum VisitError<E> {
    Read(String),
    Stop(E),
}

/// Calls `visit(row, column, value)` (0-based) for every non-empty cell of the sheet, in file
/// order (normally row by row). Empty strings count as empty cells.
pub(crate) fn for_each_cell<E>(
    wb: &mut Workbook<'_>,
    sheet: &str,
    mut visit: impl FnMut(u32, u32, Value) -> Result<(), E>,
) -> Result<(), VisitError<E>> {
    let is_1904 = wb.has_1904_epoch();
    let mut reader = wb
        .worksheet_cells_reader(sheet)
        .map_err(|e| VisitError::Read(format!("sheet {sheet}: {e}")))?;
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| VisitError::Read(format!("sheet {sheet}: {e}")))?
    {
        let (row, col) = cell.get_position();
        let value = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::String(s) if s.is_empty() => continue,
            DataRef::SharedString("") => continue,
            DataRef::String(s) => Value::Text(s.clone()),
            DataRef::SharedString(s) => Value::Text((*s).to_string()),
            DataRef::Int(i) => Value::Number(*i as f64),
            DataRef::Float(f) => Value::Number(*f),
            DataRef::Bool(b) => Value::Bool(*b),
            DataRef::DateTime(dt) if dt.is_duration() => Value::Number(dt.as_f64()),
            DataRef::DateTime(dt) => {
                let serial = dt.as_f64();
                Value::Date(if is_1904 {
                    serial + EPOCH_1904_OFFSET
                } else {
                    serial
                })
            }
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Text(s.clone()),
            DataRef::Error(e) => Value::Error(e.to_string()),
        };
        visit(row, col, value).map_err(VisitError::Stop)?;
    }
    Ok(())
}

/// A number as Excel shows it in a General cell: integers without `.0`.
pub(crate) fn number_text(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// `0` → `A`, `25` → `Z`, `26` → `AA`.
pub(crate) fn column_letter(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

/// Whether year-month-day is a real calendar date.
pub(crate) fn is_valid_date(y: i32, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && civil_from_days(days_from_civil(y, m, d)) == (y, m, d)
}

/// Converts full-width ASCII (`３`, `／`, `Ａ`) and the ideographic space to their ASCII forms,
/// as Japanese input methods often produce them.
pub(crate) fn halfwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// Parses `2026-03-31`, `2026/3/31`, `2026-3-31` and `2026年3月31日` (also with full-width
/// digits; surrounding spaces ignored) into a valid calendar date.
pub(crate) fn parse_date_text(s: &str) -> Option<(i32, u32, u32)> {
    let s = halfwidth(s);
    let s = s.trim();
    let parts: Vec<&str> = if let Some(rest) = s.strip_suffix('日') {
        rest.split(['年', '月']).collect()
    } else if s.contains('-') {
        s.split('-').collect()
    } else {
        s.split('/').collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let digits = |p: &str, max_len: usize| {
        let p = p.trim();
        (!p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let (y, m, d) = (digits(y, 4)?, digits(m, 2)?, digits(d, 2)?);
    if y < 1000 {
        return None;
    }
    let y = y as i32;
    is_valid_date(y, m, d).then_some((y, m, d))
}

/// Whether a sheet name is present (exact match).
pub(crate) fn has_sheet(wb: &Workbook<'_>, name: &str) -> bool {
    wb.sheet_names().iter().any(|n| n == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(4), "E");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(16_383), "XFD");
    }

    #[test]
    fn numbers_read_like_excel_shows_them() {
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(3.5), "3.5");
        assert_eq!(number_text(46_112.0), "46112");
        assert_eq!(number_text(1e20), "100000000000000000000");
    }

    #[test]
    fn date_texts() {
        assert_eq!(parse_date_text("2026-03-31"), Some((2026, 3, 31)));
        assert_eq!(parse_date_text(" 2026/3/31 "), Some((2026, 3, 31)));
        assert_eq!(parse_date_text("２０２６／３／３１"), Some((2026, 3, 31)));
        assert_eq!(parse_date_text("2026年3月31日"), Some((2026, 3, 31)));
        assert_eq!(parse_date_text("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date_text("2026-02-29"), None);
        assert_eq!(parse_date_text("2026-13-01"), None);
        assert_eq!(parse_date_text("31/3/2026"), None);
        assert_eq!(parse_date_text("next week"), None);
        assert_eq!(parse_date_text("2026-3"), None);
        assert_eq!(parse_date_text("+2026-3-1"), None);
    }

    #[test]
    fn civil_round_trip() {
        for days in [-719_468, -1, 0, 1, 19_000, 20_543, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
    }
}
