//! The plant model of a site and what kojo derives from it: importance of zones and assets,
//! findings (checks a reviewer would make), and attack routes from entry points to what matters.
//! Pure: the model comes in, results go out.

pub mod catalog;
pub mod findings;
pub mod importance;
pub mod model;
pub mod named;
pub mod routes;
pub mod simulate;
#[cfg(test)]
mod tests;
pub mod worksheet;

pub use findings::{Finding, Rule, Subject};
pub use importance::Importances;
pub use model::{
    Asset, AssetKind, AssetStatus, Conduit, ConduitKind, Damage, Direction, Exposure, Flow,
    Importance, Plant, Process, Zone, ZonePurpose,
};
pub use routes::{EntryPoint, Foothold, Route, Routes, Search};
