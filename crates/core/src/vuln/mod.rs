//! Vulnerability identification: which of a site's assets are affected by which published
//! advisory, offline.

pub mod advisory;
pub mod matching;
pub mod product;
pub mod spec;
pub mod text;
pub mod vendor;
pub mod version;
