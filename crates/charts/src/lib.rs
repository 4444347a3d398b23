//! kojo's charts, drawn on the server as SVG strings.
//!
//! Four charts cover the assessment and survey pages: [`score_bars`] and [`radar`] for category
//! scores (this assessment against the previous one), [`percent_bars`] for a survey question's
//! answers and [`stacked_bars`] for a grid question. Each returns one `<svg>` element that can be
//! inlined in a page served with `default-src 'self'; style-src 'self'` (presentation attributes
//! only: no `style`, no `<style>`, no scripts, no external references) or saved as a `.svg` file.
//!
//! Output is deterministic (same input, same bytes; coordinates rounded to one decimal), all text
//! is escaped, and labels are wrapped to at most two lines using an estimate of East Asian text
//! width ([`svg::text_width_em`]). Numbers are written with one decimal rounded half up
//! ([`svg::fmt1`]) and counts with thousands separators ([`svg::count`]). The crate is pure: std
//! only, no I/O.

pub mod charts;
mod num;
pub mod svg;

pub use charts::*;
