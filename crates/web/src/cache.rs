//! A small in-memory cache of rendered page parts that are expensive to build and rarely change
//! (the results of an assessment). Entries are keyed by everything they depend on, so a change
//! makes a new key rather than needing invalidation; old entries age out.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long an entry may be served (bounds staleness from data not in the key).
pub const TTL: Duration = Duration::from_secs(600);
/// Most entries kept.
pub const CAPACITY: usize = 4096;

pub struct Cache<K> {
    map: Mutex<HashMap<K, (Instant, Arc<str>)>>,
}

impl<K: Eq + Hash + Clone> Default for Cache<K> {
    fn default() -> Self {
        Cache {
            map: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash + Clone> Cache<K> {
    pub fn get(&self, key: &K) -> Option<Arc<str>> {
        let map = self.map.lock().ok()?;
        map.get(key)
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, v)| v.clone())
    }

    pub fn put(&self, key: K, value: Arc<str>) {
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= CAPACITY {
                map.retain(|_, (at, _)| at.elapsed() < TTL);
                if map.len() >= CAPACITY {
                    map.clear();
                }
            }
            map.insert(key, (Instant::now(), value));
        }
    }
}

/// The results body of an assessment in one language, at a version of its answers and plan.
pub type ResultsKey = (i64, kojo_core::Locale, i64, (i64, i64));
