//! kojo's domain, free of I/O: the content model (checklists, scales, reference tables,
//! baselines), organisations and roles, and the rules computed over them.
//!
//! Everything here is plain data and pure functions so that every interface (web, CLI, exports)
//! applies the same rule from the same place.

pub mod baseline;
pub mod checklist;
pub mod collate;
pub mod date;
pub mod evidence;
pub mod format;
pub mod ids;
pub mod instrument;
pub mod num;
pub mod org;
pub mod plan;
pub mod planning;
pub mod plant;
pub mod provenance;
pub mod reference;
pub mod report;
pub mod risk;
pub mod scale;
pub mod scoring;
pub mod status;
pub mod survey;
pub mod text;
pub mod vuln;

pub use provenance::Provenance;
pub use text::{Locale, Text};

#[cfg(test)]
pub(crate) mod testdata;
