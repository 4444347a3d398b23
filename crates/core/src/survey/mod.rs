//! The survey engine, pure: an instrument compiled into columns ([`schema`]), one pass over
//! respondents that counts everything ([`tally`]), the results built from the counts — question
//! tables, figures, scores, cross-tabs ([`results`]) — and the disclosure rule applied to every
//! aggregate view ([`disclosure`]). The simulator ([`simulate`]) writes synthetic respondents
//! whose marginals follow a baseline. Web pages, exports, the API and `kojo survey analyze` all
//! use these same functions.

pub mod answers;
pub mod audit;
pub mod disclosure;
pub mod modp;
pub mod results;
pub mod rng;
pub mod schema;
pub mod simulate;
pub mod tally;

pub use results::{Results, build};
pub use schema::{Schema, SchemaError};
pub use tally::Tally;
