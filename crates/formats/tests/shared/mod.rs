//! Where the shared public sample data lives (`shared/data/`, see its README): found by walking
//! up from this crate, so the tests run from the main checkout (`../../../shared/data`) and
//! from a worktree under `wt/` (`../../../../shared/data`) alike. Missing data fails the test.

#![allow(dead_code, reason = "each test binary uses a part of these helpers")]

use std::path::{Path, PathBuf};

/// `shared/data/<rel>`; panics (failing the test) when the data is not there.
pub fn data(rel: &str) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in manifest.ancestors() {
        let candidate = dir.join("shared/data").join(rel);
        if candidate.exists() {
            return candidate;
        }
    }
    panic!(
        "shared data {rel:?} not found above {} (expected shared/data/ next to the checkout)",
        manifest.display()
    );
}

/// The CISA CSAF OT tree.
pub fn csaf_root() -> PathBuf {
    data("cisagov-csaf/csaf_files/OT/white")
}

/// Every CSAF document of the CISA tree, sorted.
pub fn csaf_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let root = csaf_root();
    let mut years: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("read the CSAF tree")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    years.sort();
    for y in years {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&y)
            .expect("read a year")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        out.extend(files);
    }
    assert!(
        out.len() > 2000,
        "expected the 2,379 CISA advisories, found {}",
        out.len()
    );
    out
}
