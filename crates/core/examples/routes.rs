//! Times route enumeration on a simulated plant: `cargo run --release -p kojo-core --example
//! routes -- ASSETS ZONES CONDUITS HOPS` (the benchmark in bench/plant runs the CLI instead).

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

use kojo_core::plant::model::Importance;
use kojo_core::plant::simulate::{Size, simulate};
use kojo_core::plant::{Importances, Search, routes};

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let get = |i: usize, d: usize| args.get(i).copied().unwrap_or(d);
    let size = Size {
        assets: get(0, 10_000),
        zones: get(1, 200),
        conduits: get(2, 1_000),
    };
    let plant = simulate(size, 2026);
    let started = std::time::Instant::now();
    let importances = Importances::of(&plant);
    let search = Search::to_important(&plant, &importances, Importance::High, get(3, 6));
    let found = routes::enumerate(&plant, &search);
    println!(
        "{} zones, {} conduits, {} assets, {} target zones, {} footholds: {} routes in {:?}",
        plant.zones.len(),
        plant.conduits.len(),
        plant.assets.len(),
        search.targets.len(),
        found.footholds().len(),
        found.len(),
        started.elapsed()
    );
}
