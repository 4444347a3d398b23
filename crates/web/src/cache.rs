//! Small in-memory caches with a time to live. Keys carry everything an entry depends on where
//! possible (so a change makes a new key); the TTL bounds staleness from anything else.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub struct TtlMap<K, V> {
    ttl: Duration,
    capacity: usize,
    map: Mutex<HashMap<K, (Instant, V)>>,
}

impl<K: Eq + Hash + Clone, V: Clone> TtlMap<K, V> {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        TtlMap {
            ttl,
            capacity,
            map: Mutex::new(HashMap::new()),
        }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        let map = self.map.lock().ok()?;
        map.get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }

    pub fn put(&self, key: K, value: V) {
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= self.capacity {
                let ttl = self.ttl;
                map.retain(|_, (at, _)| at.elapsed() < ttl);
                if map.len() >= self.capacity {
                    map.clear();
                }
            }
            map.insert(key, (Instant::now(), value));
        }
    }

    pub fn remove(&self, key: &K) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(key);
        }
    }

    /// Removes every entry whose value matches.
    pub fn remove_where(&self, pred: impl Fn(&V) -> bool) {
        if let Ok(mut map) = self.map.lock() {
            map.retain(|_, (_, v)| !pred(v));
        }
    }
}

/// The results body of an assessment in one language, at a version of its answers and plan.
pub type ResultsKey = (i64, kojo_core::Locale, i64, (i64, i64));

/// How long a signed-in session is trusted without reading the database again. Sign-out and
/// password changes through this server remove it at once; a change made elsewhere (another
/// server process, the command line) takes effect within this time.
pub const SESSION_TTL: Duration = Duration::from_secs(10);

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

/// How long the version of an assessment's results is trusted without reading the database:
/// the hot path of the results page (docs/benchmarks.md).
pub const VERSION_TTL: Duration = Duration::from_secs(1);

/// An assessment's results version as read: (site, site name, answers' time, plan version).
pub type ResultsVersion = (i64, String, i64, (i64, i64));
