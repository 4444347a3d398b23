//! Page views: template structs and how they are built from what the use cases return. No
//! request handling and no storage here.

pub mod assessment;
pub mod error;
pub mod import;
pub mod plan;
pub mod plant;
pub mod results;
pub mod risk;
