//! The CSAF reader over the whole CISA OT corpus (2,379 advisories).

mod shared;

use std::time::Instant;

use kojo_formats::csaf;

#[test]
fn the_whole_cisa_tree_reads_with_every_hash_verified() {
    let t = Instant::now();
    let loaded = csaf::dir::read(&shared::csaf_root());
    let took = t.elapsed();
    for p in &loaded.problems {
        eprintln!("{p}");
    }
    assert!(
        loaded.problems.is_empty(),
        "{} problems",
        loaded.problems.len()
    );
    assert_eq!(loaded.documents.len(), 2379);
    let verified = loaded
        .documents
        .iter()
        .filter(|d| d.verified.is_some())
        .count();
    assert_eq!(verified, 2379, "every CISA document has a .sha512");
    let leaves: usize = loaded
        .documents
        .iter()
        .map(|d| d.advisory.products.len())
        .sum();
    let rels: usize = loaded
        .documents
        .iter()
        .map(|d| d.advisory.relationships.len())
        .sum();
    println!(
        "read {} documents ({leaves} leaves, {rels} relationships) in {took:?}",
        loaded.documents.len()
    );
    // Figures of shared/data/README.md.
    assert_eq!(leaves, 15875);
    assert_eq!(rels, 1283);
}
