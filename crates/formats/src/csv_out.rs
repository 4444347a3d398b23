//! CSV for download.
//!
//! Japanese Excel opens UTF-8 CSV correctly only with a byte-order mark, so that is the default;
//! CP932 (Windows Shift_JIS) is offered for older tools. Lines end in CRLF, fields are quoted
//! only where needed (as the `csv` crate does), and a cell that a spreadsheet would take for a
//! formula gets a leading `'` (CSV/formula injection).

use std::borrow::Cow;

/// The character encoding of a CSV download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8 with a byte-order mark: Excel (Japanese edition included) detects it.
    #[default]
    Utf8Bom,
    /// CP932 / Windows-31J (Shift_JIS with the NEC and IBM extensions), for tools that cannot
    /// read UTF-8. Characters outside CP932 are an error, never replaced.
    Cp932,
}

/// Why a CSV could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodeError {
    /// A character has no CP932 (Shift_JIS) encoding.
    Unencodable {
        /// 1-based row in `rows`.
        row: usize,
        /// 1-based column.
        column: usize,
        character: char,
    },
    /// The CSV writer failed (not expected when writing to memory).
    Csv(String),
}

impl EncodeError {
    /// The error in `locale`; in English it is the `Display` text.
    pub fn message(&self, locale: kojo_core::Locale) -> String {
        let m = crate::text::msg(locale);
        match self {
            EncodeError::Unencodable {
                row,
                column,
                character,
            } => crate::text::fill(
                m.csv_encode_unencodable,
                &[
                    ("row", row),
                    ("column", column),
                    ("character", character),
                    ("code", &format!("{:04X}", *character as u32)),
                ],
            ),
            EncodeError::Csv(detail) => {
                crate::text::fill(m.csv_encode_failed, &[("detail", detail)])
            }
        }
    }
}

impl std::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(kojo_core::Locale::En))
    }
}

impl std::error::Error for EncodeError {}

/// The UTF-8 byte-order mark.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes `rows` (the first one is normally the header) as CSV in the given encoding.
///
/// Rows may have different lengths. Each cell is escaped with [`escape_formula`].
pub fn write(rows: &[Vec<String>], encoding: Encoding) -> Result<Vec<u8>, EncodeError> {
    if encoding == Encoding::Cp932 {
        check_cp932(rows)?;
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        writer
            .write_record(row.iter().map(|cell| match escape_formula(cell) {
                Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
                Cow::Owned(s) => Cow::Owned(s.into_bytes()),
            }))
            .map_err(|e| EncodeError::Csv(e.to_string()))?;
    }
    let utf8 = writer
        .into_inner()
        .map_err(|e| EncodeError::Csv(e.to_string()))?;
    match encoding {
        Encoding::Utf8Bom => {
            let mut out = Vec::with_capacity(UTF8_BOM.len() + utf8.len());
            out.extend_from_slice(UTF8_BOM);
            out.extend_from_slice(&utf8);
            Ok(out)
        }
        Encoding::Cp932 => {
            let text = String::from_utf8(utf8).map_err(|e| EncodeError::Csv(e.to_string()))?;
            let (bytes, _, had_errors) = encoding_rs::SHIFT_JIS.encode(&text);
            if had_errors {
                // check_cp932 looked at every cell; the separators are ASCII.
                return Err(EncodeError::Csv(
                    "unexpected CP932 encoding failure".to_string(),
                ));
            }
            Ok(bytes.into_owned())
        }
    }
}

/// Finds the first character of any cell that CP932 cannot encode. encoding_rs reports this
/// with a flag (and would write `&#…;` instead), so each failing cell is searched character by
/// character.
fn check_cp932(rows: &[Vec<String>]) -> Result<(), EncodeError> {
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if cell.is_ascii() {
                continue;
            }
            let (_, _, had_errors) = encoding_rs::SHIFT_JIS.encode(cell);
            if !had_errors {
                continue;
            }
            let mut buf = [0u8; 4];
            let character = cell
                .chars()
                .find(|ch| encoding_rs::SHIFT_JIS.encode(ch.encode_utf8(&mut buf)).2)
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            return Err(EncodeError::Unencodable {
                row: r + 1,
                column: c + 1,
                character,
            });
        }
    }
    Ok(())
}

/// Characters that make a spreadsheet read a cell as a formula (OWASP's list, plus the
/// full-width forms a Japanese input method produces).
const FORMULA_STARTS: [char; 10] = [
    '=', '+', '-', '@', '\t', '\r', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
];

/// Prefixes `'` to a cell that starts like a formula (`=`, `+`, `-`, `@`, tab, CR), unless the
/// cell is a plain number such as `-3.5` or `+1e3`.
pub fn escape_formula(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some(first) if FORMULA_STARTS.contains(&first) && !is_plain_number(cell) => {
            format!("'{cell}").into()
        }
        _ => cell.into(),
    }
}

/// `[+-]? digits [. digits] [e[+-]digits]`, with at least one digit before the exponent.
fn is_plain_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - frac_start;
    }
    if digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(cells: &[&[&str]]) -> Vec<Vec<String>> {
        cells
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn utf8_has_bom_crlf_and_quotes() {
        let out = write(
            &rows(&[
                &["項目", "メモ"],
                &["A-1", "a,b"],
                &["A-2", "say \"hi\"\nthen"],
            ]),
            Encoding::Utf8Bom,
        )
        .unwrap();
        assert!(out.starts_with(UTF8_BOM));
        let text = std::str::from_utf8(&out[3..]).unwrap();
        assert_eq!(
            text,
            "項目,メモ\r\nA-1,\"a,b\"\r\nA-2,\"say \"\"hi\"\"\nthen\"\r\n"
        );
    }

    #[test]
    fn cp932_encodes_japanese() {
        let out = write(&rows(&[&["工場", "①", "髙"]]), Encoding::Cp932).unwrap();
        let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(&out);
        assert!(!had_errors);
        assert_eq!(text, "工場,①,髙\r\n");
        assert_eq!(&out[..4], &[0x8D, 0x48, 0x8F, 0xEA]); // 工場
    }

    #[test]
    fn cp932_refuses_unencodable_character_with_position() {
        let err = write(
            &rows(&[&["id", "note"], &["A-1", "ok"], &["A-2", "工場🏭です"]]),
            Encoding::Cp932,
        )
        .unwrap_err();
        assert_eq!(
            err,
            EncodeError::Unencodable {
                row: 3,
                column: 2,
                character: '🏭'
            }
        );
        let message = err.to_string();
        assert!(message.contains("row 3, column 2"), "{message}");
        assert!(message.contains("U+1F3ED"), "{message}");
        // The same rows are fine in UTF-8.
        assert!(write(&rows(&[&["🏭"]]), Encoding::Utf8Bom).is_ok());
    }

    #[test]
    fn formulas_are_escaped_but_numbers_are_not() {
        let cases = [
            ("=1+1", "'=1+1"),
            ("+81-3-1234", "'+81-3-1234"),
            ("-cmd", "'-cmd"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("＝1+1", "'＝1+1"),
            ("-", "'-"),
            ("-3.5", "-3.5"),
            ("+1", "+1"),
            ("-1e5", "-1e5"),
            ("-.5", "-.5"),
            ("-inf", "'-inf"),
            ("-1e", "'-1e"),
            ("3-2", "3-2"),
            ("a=b", "a=b"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(escape_formula(input), expected, "{input:?}");
        }
        let out = write(&rows(&[&["=HYPERLINK(\"x\")", "-3.5"]]), Encoding::Utf8Bom).unwrap();
        assert_eq!(&out[3..], b"\"'=HYPERLINK(\"\"x\"\")\",-3.5\r\n");
    }
}
