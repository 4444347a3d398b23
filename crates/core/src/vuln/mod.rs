//! Vulnerability identification: which of a site's assets are affected by which published
//! advisory, offline.

pub mod advisory;
pub mod components;
pub mod kev;
pub mod matching;
#[cfg(test)]
mod matching_tests;
pub mod osv;
pub mod priority;
pub mod product;
pub mod sbom;
pub mod spec;
#[cfg(test)]
mod testkit;
pub mod text;
pub mod vendor;
pub mod version;
pub mod vex;
