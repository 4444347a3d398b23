//! The web process's caches of rendered results (the results page is the hot path,
//! docs/benchmarks.md). Keys carry everything an entry depends on where possible; the TTL bounds
//! staleness from anything else.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use kojo_core::ids::AssessmentId;
use kojo_storage::ResultsVersion;

/// The results body of an assessment in one language, at a version of its answers, plan and
/// plant model, on one day (overdue plan items) and with the next steps filtered or not.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResultsKey {
    pub assessment: AssessmentId,
    pub locale: kojo_core::Locale,
    pub updated_at: i64,
    pub plan: (i64, i64, i64),
    pub plant: i64,
    pub today: kojo_core::date::Date,
    pub free_only: bool,
}

/// A results version with the write generation it was read at.
pub type ResultsVersionEntry = (u64, ResultsVersion);

/// How long the version of an assessment's results is trusted without reading the database:
/// the hot path of the results page (docs/benchmarks.md).
pub const VERSION_TTL: Duration = Duration::from_secs(1);

/// Counts the state-changing requests this server has handled. A cached read remembers the count
/// it was made at and is used only while the count has not moved, so whoever changes something
/// through this server reads the change on the next request. Changes made elsewhere (another
/// server process, the command line) show within the cache's TTL.
#[derive(Default)]
pub struct WriteGeneration(AtomicU64);

impl WriteGeneration {
    pub fn current(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }
}
