//! The peer of the advisory-import benchmark (`bench/vuln/import.sh`): every `.json` file under
//! the given paths read and parsed by `serde_json` into a `Value`, on one thread — what it costs
//! only to read the JSON that `kojo vuln import` reads, checks, stores and indexes.
//!
//! `json_parse_tree PATH…`

#![allow(
    clippy::unwrap_used,
    reason = "benchmark code: a panic is a failed run with its message"
)]

use std::path::{Path, PathBuf};
use std::time::Instant;

fn walk(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for e in entries {
            walk(&e, out);
        }
    } else if p.extension().is_some_and(|e| e == "json") {
        out.push(p.to_path_buf());
    }
}

fn main() {
    let started = Instant::now();
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        walk(Path::new(&arg), &mut files);
    }
    let (mut bytes, mut values) = (0usize, 0usize);
    for f in &files {
        let b = std::fs::read(f).unwrap();
        bytes += b.len();
        let v: serde_json::Value = serde_json::from_slice(&b).unwrap();
        values += usize::from(v.is_object());
    }
    println!(
        "parsed {} JSON files ({} objects, {:.1} MB) in {:.3} s",
        files.len(),
        values,
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
}
