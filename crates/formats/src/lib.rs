//! kojo's file formats: CSV and Excel (xlsx) in and out, as Japanese users expect them.
//!
//! Everything here is a pure function from bytes to data or from data to bytes: no file system,
//! no network, no clock. The caller reads and writes files and limits their size before calling.
//!
//! - [`csv_out`]: CSV for download (UTF-8 with BOM, or CP932 for older tools), with
//!   formula-injection escaping.
//! - [`table_in`]: a CSV or xlsx file read into a plain table of strings.
//! - [`assessment_xlsx`]: the offline self-assessment workbook (template download, upload
//!   validation) and the results export.
//!
//! Errors are `thiserror` enums whose messages are in English and name the place in the file
//! (line, sheet and cell) and what was expected; the web layer translates the kinds it shows.

pub mod assessment_xlsx;
pub mod csaf;
pub mod csv_out;
pub mod cyclonedx;
pub mod kev;
pub mod osv;
pub mod spdx;
pub mod survey_csv;
pub mod table_in;
pub mod tables_xlsx;
pub mod vex;
mod xlsx_read;

pub use table_in::excel_serial_to_ymd;
