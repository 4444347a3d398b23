//! Measures the vulnerability core over the shared CISA CSAF corpus and prints:
//!
//! 1. the parse rate of every version leaf;
//! 2. reading all CSAF files with `kojo_formats::csaf::parse` against plain
//!    `serde_json::from_slice::<serde_json::Value>` over the same bytes, in the same run;
//! 3. building the matching index, and matching 100,000 generated assets
//!    (`kojo_core::plant::simulate`, with vendors, products, models and versions drawn from the
//!    corpus so that matches happen), with the peak memory of the process.
//!
//! ```sh
//! cargo run --release -p kojo-formats --example vuln_corpus [path/to/csaf_files/OT/white] [assets]
//! ```
//!
//! No timing is asserted; `docs/vulnerabilities.md` records the numbers seen.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kojo_core::plant::simulate::{Size, simulate};
use kojo_core::vuln::advisory::Advisory;
use kojo_core::vuln::matching::{AssetQuery, Index, Verdict};
use kojo_core::vuln::spec::VersionSpec;
use kojo_formats::csaf;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let root = args
        .get(1)
        .map(PathBuf::from)
        .map_or_else(default_root, Ok)?;
    let n_assets: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let files = json_files(&root)?;
    let bytes: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(f).map_err(|e| format!("{}: {e}", f.display())))
        .collect::<Result<_, _>>()?;
    let total: usize = bytes.iter().map(Vec::len).sum();
    println!("{} CSAF files, {:.1} MB", files.len(), total as f64 / 1e6);

    let advisories = reading(&bytes)?;
    parse_rate(&advisories);

    let catalog = kojo_content::load_embedded().map_err(|e| e.to_string())?;
    let t = Instant::now();
    let index = Index::build(advisories, catalog.vendor_aliases());
    println!(
        "index: {} leaves in {:?}",
        index.leaves().len(),
        t.elapsed()
    );

    let assets = assets(&index, n_assets);
    let distinct: std::collections::HashSet<(&str, &str, &str, &str)> = assets
        .iter()
        .map(|a| {
            (
                a.vendor.as_str(),
                a.product.as_str(),
                a.model.as_str(),
                a.order_number.as_str(),
            )
        })
        .collect();
    println!(
        "{} assets, {} distinct products (vendor, product, model, order number)",
        assets.len(),
        distinct.len()
    );
    let cpu = cpu_seconds();
    let t = Instant::now();
    let results = index.match_assets(&assets);
    let took = t.elapsed();
    if let (Some(before), Some(after)) = (cpu, cpu_seconds()) {
        println!(
            "matching CPU time (all threads): {:.2} s; machine load: {}",
            after - before,
            std::fs::read_to_string("/proc/loadavg")
                .unwrap_or_default()
                .trim()
        );
    }
    summary(&results, n_assets, took);
    println!(
        "peak memory (VmHWM): {}",
        peak_memory().unwrap_or_else(|| "unknown".into())
    );
    Ok(())
}

fn default_root() -> Result<PathBuf, String> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .map(|d| d.join("shared/data/cisagov-csaf/csaf_files/OT/white"))
        .find(|p| p.is_dir())
        .ok_or_else(|| "shared/data/cisagov-csaf not found; pass the directory".to_string())
}

fn json_files(root: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))? {
            let p = e.map_err(|e| e.to_string())?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json")
                && !p.to_string_lossy().contains("feed")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Reader against bare serde_json, three rounds each, best time kept.
fn reading(bytes: &[Vec<u8>]) -> Result<Vec<Advisory>, String> {
    let mut best_value = Duration::MAX;
    let mut best_reader = Duration::MAX;
    let mut advisories = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let mut n = 0usize;
        for b in bytes {
            let v: serde_json::Value = serde_json::from_slice(b).map_err(|e| e.to_string())?;
            n += usize::from(v.is_object());
        }
        best_value = best_value.min(t.elapsed());
        assert_eq!(n, bytes.len());
        let t = Instant::now();
        advisories = bytes
            .iter()
            .map(|b| csaf::parse(b).map_err(|e| e.to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        best_reader = best_reader.min(t.elapsed());
    }
    println!(
        "reading: serde_json::Value {best_value:?}, kojo csaf::parse {best_reader:?} ({:.2}×)",
        best_reader.as_secs_f64() / best_value.as_secs_f64()
    );
    Ok(advisories)
}

fn parse_rate(advisories: &[Advisory]) {
    let t = Instant::now();
    let mut by: BTreeMap<&str, usize> = BTreeMap::new();
    let mut total = 0usize;
    for p in advisories.iter().flat_map(|a| &a.products) {
        if let Some((text, _)) = p.version() {
            total += 1;
            *by.entry(VersionSpec::parse(text).status.as_str())
                .or_default() += 1;
        }
    }
    let parsed = by.get("parsed").copied().unwrap_or(0);
    println!(
        "version leaves: {total} {by:?}: parse rate {:.2} % ({:?})",
        parsed as f64 * 100.0 / total.max(1) as f64,
        t.elapsed()
    );
}

/// Assets of a simulated plant, given vendors, products, models and versions of the corpus:
/// every third spelled in Japanese or full width, versions from the advisory bounds.
fn assets(index: &Index, n: usize) -> Vec<AssetQuery> {
    let plant = simulate(
        Size {
            assets: n,
            zones: 200,
            conduits: 1000,
        },
        2026,
    );
    let leaves = index.leaves();
    let mut out = Vec::with_capacity(n);
    for (i, a) in plant.assets.iter().enumerate() {
        let mut q = AssetQuery::from_asset(a);
        let leaf = &leaves[(i * 7919) % leaves.len()];
        let Some(p) = index.advisories()[leaf.advisory as usize].product(&leaf.product_id) else {
            continue;
        };
        let vendor = p.vendor().unwrap_or("").trim();
        q.vendor = match (i % 3, vendor) {
            (0, v) if v.starts_with("Mitsubishi") => "三菱電機".into(),
            (0, v) if v.starts_with("Omron") => "オムロン".into(),
            (1, v) => v.to_uppercase(),
            (_, v) => v.to_string(),
        };
        q.product = p.product_name().unwrap_or("").to_string();
        q.model = String::new();
        q.order_number = p.helper.model_numbers.first().cloned().unwrap_or_default();
        q.version = version_near(p.version().map_or("", |(t, _)| t), i);
        out.push(q);
    }
    out
}

/// A version taken from the advisory's text (its last number-like word), sometimes bumped.
fn version_near(text: &str, i: usize) -> String {
    let word = text
        .split(|c: char| c.is_whitespace() || "<>=|".contains(c))
        .rfind(|w| w.chars().any(|c| c.is_ascii_digit()))
        .unwrap_or("1.0")
        .trim_start_matches("vers:all/");
    if i.is_multiple_of(2) {
        word.to_string()
    } else {
        format!("{word}.1")
    }
}

fn summary(results: &[Vec<kojo_core::vuln::matching::Finding>], n: usize, took: Duration) {
    let mut by: BTreeMap<Verdict, usize> = BTreeMap::new();
    let mut why: BTreeMap<String, usize> = BTreeMap::new();
    let mut with_any = 0usize;
    for r in results {
        with_any += usize::from(!r.is_empty());
        for f in r {
            *by.entry(f.verdict).or_default() += 1;
            if f.verdict == Verdict::NeedsChecking {
                let product = if f.reasons.product.firm() {
                    "product matched".to_string()
                } else {
                    format!("{:?}", f.reasons.product)
                };
                let cause = match f.reasons.version {
                    kojo_core::vuln::spec::Eval::Unknown(u) => format!("version {u}"),
                    _ if f.reasons.condition => "condition".into(),
                    _ if f.reasons.order_number_differs => "order number differs".into(),
                    e => format!("version {e:?}"),
                };
                *why.entry(format!("{product} / {cause}")).or_default() += 1;
            }
        }
    }
    let mut why: Vec<(String, usize)> = why.into_iter().collect();
    why.sort_by_key(|w| std::cmp::Reverse(w.1));
    println!("needs checking, by cause: {:?}", &why[..why.len().min(12)]);
    println!(
        "matched {n} assets in {took:?} ({:.1} µs per asset): {with_any} assets with findings, {by:?}",
        took.as_secs_f64() * 1e6 / n.max(1) as f64
    );
}

/// User + system CPU seconds of this process so far, from /proc (Linux; 100 ticks a second).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// The process's peak resident memory, from /proc (Linux).
fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
}
