//! `kojo plant simulate|import|export|routes|graph`: the plant model from the command line. A
//! model is imported and exported written by name (`plant::named`). A simulated
//! plant is written as JSON (or stored as a site's model); routes are counted and timed on a
//! model file or a site; `graph` writes the zone graph and footholds the route search walks, so
//! the benchmark's peer searches exactly the same graph.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, bail};
use kojo_core::ids::SiteId;
use kojo_core::plant::Importances;
use kojo_core::plant::model::{Importance, Plant};
use kojo_core::plant::named::NamedPlant;
use kojo_core::plant::routes::{self, Graph, Search};
use kojo_core::plant::simulate::{Size, simulate as make};
use kojo_service::{Service, Who};
use serde_json::json;

/// Where a model comes from: a JSON file or a site of the database.
pub enum Source<'a> {
    File(&'a Path),
    Site(SiteId),
}

pub fn simulate(size: Size, seed: u64, out: &Path) -> anyhow::Result<()> {
    let plant = make(size, seed);
    let text = serde_json::to_string(&plant)?;
    std::fs::write(out, text).with_context(|| format!("cannot write {}", out.display()))?;
    println!(
        "wrote {} ({} zones, {} conduits, {} assets, {} processes)",
        out.display(),
        plant.zones.len(),
        plant.conduits.len(),
        plant.assets.len(),
        plant.processes.len()
    );
    Ok(())
}

/// Stores a simulated plant as a site's model (replacing it).
pub async fn simulate_into(
    service: &Service,
    size: Size,
    seed: u64,
    site: SiteId,
) -> anyhow::Result<()> {
    let plant = make(size, seed);
    let stored = service
        .replace_plant(&Who::Cli, site, &plant, "simulate")
        .await?;
    println!(
        "stored a simulated plant in site {site} ({} zones, {} conduits, {} assets)",
        stored.zones.len(),
        stored.conduits.len(),
        stored.assets.len()
    );
    Ok(())
}

pub async fn load(service: Option<&Service>, source: Source<'_>) -> anyhow::Result<Plant> {
    match source {
        Source::File(path) => read(path),
        Source::Site(site) => {
            let Some(service) = service else {
                bail!("a database is needed for --site");
            };
            Ok(service.plant_of(&Who::Cli, site).await?.1)
        }
    }
}

/// Reads a model file: TOML by name, or JSON by name or with ids (a simulated model).
pub fn read(path: &Path) -> anyhow::Result<Plant> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let is_toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    let named: NamedPlant = if is_toml {
        toml::from_str(&text).with_context(|| format!("{}: not a plant model", path.display()))?
    } else {
        let value: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))?;
        if value.pointer("/zones/0/id").is_some() {
            return serde_json::from_value(value)
                .with_context(|| format!("{}: not a kojo plant model", path.display()));
        }
        serde_json::from_value(value)
            .with_context(|| format!("{}: not a plant model", path.display()))?
    };
    named
        .resolve()
        .with_context(|| format!("{}: {}", path.display(), "the model does not hold together"))
}

/// Replaces a site's model with a file's, all or nothing.
pub async fn import(service: &Service, site: SiteId, path: &Path) -> anyhow::Result<()> {
    let plant = read(path)?;
    let stored = service
        .replace_plant(&Who::Cli, site, &plant, "import")
        .await?;
    println!(
        "imported {} into site {site}: {} processes, {} zones, {} conduits, {} assets, {} flows",
        path.display(),
        stored.processes.len(),
        stored.zones.len(),
        stored.conduits.len(),
        stored.assets.len(),
        stored.flows.len()
    );
    Ok(())
}

/// Writes a site's model by name.
pub async fn export(
    service: &Service,
    site: SiteId,
    json: bool,
    out: Option<&Path>,
) -> anyhow::Result<()> {
    let (_, plant) = service.plant_of(&Who::Cli, site).await?;
    let named = NamedPlant::from_plant(&plant);
    let text = if json {
        serde_json::to_string_pretty(&named)?
    } else {
        toml::to_string(&named)?
    };
    match out {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(())
}

/// Counts the routes to the important zones and how long the search took.
pub fn routes(plant: &Plant, max_hops: usize) -> anyhow::Result<()> {
    let started = Instant::now();
    let importances = Importances::of(plant);
    let search = Search::to_important(plant, &importances, Importance::High, max_hops);
    let found = routes::enumerate(plant, &search);
    let elapsed = started.elapsed();
    let steps: usize = found.iter().map(|r| r.hops()).sum();
    println!(
        "{}",
        json!({
            "zones": plant.zones.len(),
            "conduits": plant.conduits.len(),
            "assets": plant.assets.len(),
            "target_zones": search.targets.len(),
            "footholds": found.footholds().len(),
            "routes": found.len(),
            "steps": steps,
            "max_hops": max_hops,
            "elapsed_ms": elapsed.as_secs_f64() * 1000.0,
        })
    );
    Ok(())
}

/// The graph the route search walks, its footholds and targets, as JSON.
pub fn graph(plant: &Plant, max_hops: usize, out: &Path) -> anyhow::Result<()> {
    let importances = Importances::of(plant);
    let search = Search::to_important(plant, &importances, Importance::High, max_hops);
    let footholds = routes::footholds(plant, &search.targets);
    let graph = Graph::new(plant);
    let doc = json!({
        "nodes": plant.zones.iter().map(|z| z.id).collect::<Vec<_>>(),
        "edges": graph.edge_list(),
        "footholds": footholds.iter().map(|f| json!({"entry": f.entry, "zone": f.zone})).collect::<Vec<_>>(),
        "targets": search.targets,
        "max_hops": max_hops,
    });
    std::fs::write(out, doc.to_string())
        .with_context(|| format!("cannot write {}", out.display()))?;
    println!("wrote {}", out.display());
    Ok(())
}
