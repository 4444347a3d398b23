//! kojo's file formats: CSV and Excel (xlsx) in and out, as Japanese users expect them.
//!
//! Everything here is a pure function from bytes to data or from data to bytes: no file system,
//! no network, no clock. The caller reads and writes files and limits their size before calling.
//!
//! - [`csv_out`]: CSV for download (UTF-8 with BOM, or CP932 for older tools), with
//!   formula-injection escaping.
//! - [`table_in`]: a CSV or xlsx file read into a plain table of strings.
//! - [`survey_csv`]: survey response files, for import and for streaming analysis, read by the
//!   same reader with the same rules.
//! - [`assessment_xlsx`]: the offline self-assessment workbook (template download, upload
//!   validation) and the results export.
//! - [`register`]: the asset register (資産台帳) as factories keep it, read into a site's
//!   assets with every bad cell located, and written back (template and export).
//! - [`report_xlsx`]: report workbooks (title, labelled lines, a table with rated cells).
//! - [`asset_doc`]: an asset's SBOM or VEX (CycloneDX, SPDX, CSAF), recognised by content.
//! - [`archive`]: zip archives of files (an advisory tree uploaded as one file), with limits.
//! - [`limits`]: every limit on what a file may hold or expand to (xlsx bombs included).
//!
//! Errors are enums that carry data (line, sheet and cell, the value, the limit); their
//! sentences come from `locales/*.toml` through kojo-i18n when they are shown (`message(locale)`;
//! `Display` is the English sentence), so a sentence missing in one language fails the build.

pub mod archive;
pub mod assessment_xlsx;
pub mod asset_doc;
pub mod csaf;
mod csv_in;
pub mod csv_out;
pub mod cyclonedx;
pub(crate) mod grid;
pub mod kev;
pub mod limits;
pub mod osv;
pub mod register;
pub mod report_xlsx;
pub mod spdx;
pub mod survey_csv;
pub mod table_in;
pub mod tables_xlsx;
mod text;
pub mod vex;
mod xlsx_read;

pub use table_in::excel_serial_to_ymd;
pub use xlsx_read::{Limit, XlsxLimit, XlsxProblem};
