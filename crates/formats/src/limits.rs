//! Every limit on what an uploaded or analysed file may hold, in one place.
//!
//! The limits exist so that no file — however it was made — can make kojo allocate more than a
//! known amount or run for long: a few megabytes of xlsx can otherwise expand to gigabytes (a zip
//! bomb), and a CSV read into a table costs several times its size. Each limit is checked
//! *before* the memory it guards is allocated, and a file over a limit gets an error that names
//! the limit, the value found and the maximum, in the reader's language (`docs/security.md`,
//! "Uploaded files").
//!
//! The limits are generous for real files: the 2022 company questionnaire has 114 columns, so
//! a 20 MB response CSV (the web upload limit) is about 64,000 respondents and 7.3 million
//! cells; Excel itself stops at 1,048,576 rows, 16,384 columns, 32,767 characters per cell and
//! 64,000 cell formats.

// ------------------------------------------------------------------------------------------
// Tables (a CSV or xlsx read into memory for import)
// ------------------------------------------------------------------------------------------

/// At most this many data rows in a table (the header not counted).
pub const MAX_ROWS: usize = 1_000_000;
/// At most this many columns.
pub const MAX_COLUMNS: usize = 2_000;
/// At most this many cells (data rows × columns). A sparse xlsx row costs a full row of cells
/// once read, so this bounds memory where the file size alone does not.
pub const MAX_CELLS: usize = 20_000_000;

/// At most this many bytes of text in the cells of a table read from an xlsx. A shared string
/// counts again in every cell that uses it: a thousand cells pointing at one long string would
/// otherwise make a thousand copies of it. (A CSV's text is bounded by its size.)
pub const MAX_TEXT_BYTES: usize = 128 << 20;

/// At most this many rows with content on the answer sheet of an assessment workbook (the
/// checklist has a few dozen items).
pub const ASSESSMENT_MAX_ROWS: usize = 10_000;
/// At most this many bytes of text in the cells read from an assessment workbook.
pub const ASSESSMENT_MAX_TEXT_BYTES: usize = 16 << 20;

/// At most this many asset rows in an asset register (all sheets together): a large plant has a
/// few thousand assets; the import benchmark reads 10,000.
pub const REGISTER_MAX_ASSETS: usize = 100_000;

// ------------------------------------------------------------------------------------------
// CSV
// ------------------------------------------------------------------------------------------

/// At most this many bytes in one CSV record (one row, with every line of its quoted fields).
/// A missing closing quote would otherwise make the rest of the file one field.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

// ------------------------------------------------------------------------------------------
// xlsx (checked from the zip directory and by a streaming scan before calamine reads anything)
// ------------------------------------------------------------------------------------------

/// At most this many zip entries (parts). Excel writes a few dozen.
pub const XLSX_MAX_ENTRIES: u64 = 10_000;
/// At most this many bytes in all parts together once uncompressed, as the zip directory
/// declares them. Reading never goes past a declared size (the zip reader stops with an error),
/// so this bounds the work of reading a workbook: about 3.5 s on the benchmark machine for a
/// sheet made of nothing but tiny elements (docs/security.md). A response workbook of the 2022
/// company questionnaire takes about 3.1 kB per respondent, so this admits about 40,000
/// respondents; larger sets go as CSV.
pub const XLSX_MAX_TOTAL_BYTES: u64 = 128 << 20;
/// At most this many uncompressed bytes in one part that is read whole into memory: the
/// workbook, styles, theme and relationship parts (worksheets and shared strings have their
/// own limits).
pub const XLSX_MAX_PART_BYTES: u64 = 16 << 20;
/// At most this many uncompressed bytes of shared strings (`sharedStrings.xml`).
pub const XLSX_MAX_SHARED_STRINGS_BYTES: u64 = 64 << 20;
/// At most this many shared strings, counted in the part and also as its `uniqueCount`
/// attribute declares them (a reader reserves room for that many up front; `count`, the cells
/// that use them, may be larger).
pub const XLSX_MAX_SHARED_STRINGS: u64 = 1_000_000;
/// At most this many style records (`xf`, `font`, `fill`, `border`, `numFmt`, `dxf`) in
/// `styles.xml`; each becomes a style object when the workbook is opened.
pub const XLSX_MAX_STYLE_RECORDS: u64 = 150_000;
/// At most this many cells (`<c>` elements, empty ones included) in one worksheet.
pub const XLSX_MAX_SHEET_CELLS: u64 = MAX_CELLS as u64;
/// At most this many rows (`<row>` elements, empty ones included) in one worksheet: Excel's own
/// maximum, 1,048,576.
pub const XLSX_MAX_SHEET_ROWS: u64 = 1_048_576;
/// At most this many bytes in one XML tag or one run of text between tags, in any part that
/// is read. The XML reader holds a whole tag or text run in memory; Excel's longest cell text
/// (32,767 characters) is under 100 KB.
pub const XLSX_MAX_XML_TOKEN: u64 = 1 << 20;

// ------------------------------------------------------------------------------------------
// Zip archives of advisories (the vulnerability upload)
// ------------------------------------------------------------------------------------------

/// At most this many entries in an uploaded archive: the CISA ICS tree, with its `.sha256` and
/// `.sha512` files, has about 7,100.
pub const ARCHIVE_MAX_ENTRIES: u64 = 50_000;
/// At most this many uncompressed bytes in one entry (the largest CISA advisory is under 1 MB).
pub const ARCHIVE_MAX_ENTRY_BYTES: u64 = 32 << 20;
/// At most this many uncompressed bytes in all entries together (the CISA tree is 56 MB).
pub const ARCHIVE_MAX_TOTAL_BYTES: u64 = 512 << 20;

// ------------------------------------------------------------------------------------------
// Memory
// ------------------------------------------------------------------------------------------

/// Bytes of a table cell itself (a `String`).
const CELL: u64 = 24;
/// Bytes the allocator gives the text of a non-empty cell, at the least (glibc: 32).
const TEXT_BLOCK: u64 = 32;
/// Fewest bytes of sheet XML per non-empty cell (`<c t="s"><v>0</v></c>`).
const XML_PER_CELL: u64 = 20;
/// Bytes calamine keeps per style record, at most (measured with fonts and fills attached).
const STYLE: u64 = 512;

/// An upper bound of the memory (bytes, beyond the input itself) that reading a file of
/// `input_len` bytes takes in [`crate::table_in::read_any`] (and so in import), or in
/// [`crate::assessment_xlsx::parse`], derived from the limits above. A service that bounds how
/// many files are parsed at once can multiply it by that number.
///
/// - CSV: the decoded text, and one cell per byte at most (`,,,` is three empty cells, up to
///   [`MAX_CELLS`]), a non-empty one taking at least two bytes. For a 20 MB upload: 820 MB;
///   measured 388 MB for 64,000 real respondents and 480 MB for 20 MB of commas.
/// - xlsx, whatever its size: the dense table at [`MAX_CELLS`], its text up to
///   [`MAX_TEXT_BYTES`], the allocator's share of every non-empty cell the XML can hold, the
///   shared strings and styles as calamine keeps them, and the XML reader's buffer: 1.03 GB;
///   measured 301 MB for the largest response workbook the limits admit, under 40 MB for every
///   workbook bomb in `examples/xlsx_bombs.rs` (docs/security.md).
pub fn parse_memory_ceiling(input_len: usize, xlsx: bool) -> u64 {
    let input = input_len as u64;
    if xlsx {
        let table = MAX_CELLS as u64 * CELL
            + MAX_TEXT_BYTES as u64
            + XLSX_MAX_TOTAL_BYTES / XML_PER_CELL * TEXT_BLOCK;
        let shared = XLSX_MAX_SHARED_STRINGS_BYTES + XLSX_MAX_SHARED_STRINGS * (CELL + TEXT_BLOCK);
        table + shared + XLSX_MAX_STYLE_RECORDS * STYLE + 4 * XLSX_MAX_XML_TOKEN
    } else {
        let cells = (input + 1).min(MAX_CELLS as u64);
        input + cells * CELL + (input / 2 + 1).min(cells) * TEXT_BLOCK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ceilings_are_what_the_documentation_says() {
        let mb = |n: u64| n / 1_000_000;
        assert_eq!(mb(parse_memory_ceiling(20_000_000, false)), 820);
        assert_eq!(mb(parse_memory_ceiling(0, true)), 1_033);
        assert_eq!(
            parse_memory_ceiling(5 << 20, true),
            parse_memory_ceiling(0, true)
        );
    }
}
