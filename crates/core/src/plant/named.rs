//! A plant model written by hand: parts refer to each other by name instead of id, and an asset
//! line can stand for several identical assets (`count = 6` gives "name-1" … "name-6"). kojo reads
//! it for the demo and `kojo plant import` (TOML or JSON) and writes it back with `kojo plant
//! export`, so a site can keep its model in a file next to its network drawings.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::model::{
    Asset, AssetKind, AssetStatus, Conduit, ConduitKind, Damage, Direction, Exposure, Flow,
    Importance, Plant, Process, Zone, ZonePurpose,
};
use crate::date::Date;
use crate::ids::{AssetId, ConduitId, FlowId, ProcessId, ZoneId};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedPlant {
    #[serde(default)]
    pub processes: Vec<NamedProcess>,
    #[serde(default)]
    pub zones: Vec<NamedZone>,
    #[serde(default)]
    pub conduits: Vec<NamedConduit>,
    #[serde(default)]
    pub assets: Vec<NamedAsset>,
    #[serde(default)]
    pub flows: Vec<NamedFlow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedProcess {
    pub name: String,
    pub importance: Importance,
    #[serde(default)]
    pub damages: Vec<Damage>,
    #[serde(default)]
    pub impact: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedZone {
    pub name: String,
    pub purpose: ZonePurpose,
    #[serde(default = "internal")]
    pub exposure: Exposure,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance: Option<Importance>,
    #[serde(default = "one")]
    pub sl_target: u8,
    #[serde(default)]
    pub processes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedConduit {
    pub name: String,
    pub a: String,
    pub b: String,
    pub kind: ConduitKind,
    #[serde(default = "both")]
    pub direction: Direction,
    #[serde(default)]
    pub protocols: Vec<String>,
    #[serde(default)]
    pub encrypted: bool,
    #[serde(default)]
    pub always_on: bool,
    #[serde(default)]
    pub operator: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedAsset {
    pub name: String,
    pub kind: AssetKind,
    /// How many identical assets this line stands for; more than one are numbered name-1, ….
    #[serde(default = "count_one", skip_serializing_if = "is_one")]
    pub count: u32,
    #[serde(default)]
    pub tag: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_in: Vec<String>,
    #[serde(default)]
    pub vendor: String,
    #[serde(default)]
    pub product: String,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub order_number: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub serial: String,
    #[serde(default)]
    pub os: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_support_end: Option<Date>,
    #[serde(default)]
    pub ip: String,
    #[serde(default)]
    pub mac: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance_end: Option<Date>,
    #[serde(default = "active")]
    pub status: AssetStatus,
    #[serde(default)]
    pub remote_maintenance: bool,
    #[serde(default)]
    pub black_box: bool,
    #[serde(default)]
    pub cloud_link: bool,
    #[serde(default)]
    pub temporary: bool,
    #[serde(default)]
    pub wireless: bool,
    #[serde(default)]
    pub safety: bool,
    #[serde(default)]
    pub processes: Vec<String>,
}

impl NamedAsset {
    /// The asset this line describes, with its references (zone, processes) left empty.
    fn asset(&self, id: AssetId, name: String) -> Asset {
        Asset {
            tag: self.tag.clone(),
            vendor: self.vendor.clone(),
            product: self.product.clone(),
            model: self.model.clone(),
            order_number: self.order_number.clone(),
            version: self.version.clone(),
            serial: self.serial.clone(),
            os: self.os.clone(),
            os_support_end: self.os_support_end,
            ip: self.ip.clone(),
            mac: self.mac.clone(),
            location: self.location.clone(),
            owner: self.owner.clone(),
            maintenance_end: self.maintenance_end,
            status: self.status,
            remote_maintenance: self.remote_maintenance,
            black_box: self.black_box,
            cloud_link: self.cloud_link,
            temporary: self.temporary,
            wireless: self.wireless,
            safety: self.safety,
            ..Asset::new(id, name, self.kind)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedFlow {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub data: String,
    #[serde(default)]
    pub protocol: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conduit: Option<String>,
}

fn internal() -> Exposure {
    Exposure::Internal
}
fn one() -> u8 {
    1
}
fn both() -> Direction {
    Direction::Both
}
fn count_one() -> u32 {
    1
}
fn is_one(n: &u32) -> bool {
    *n == 1
}
fn active() -> AssetStatus {
    AssetStatus::Active
}

/// The most assets one line may stand for: enough for a shop floor of sensors, not a typo's
/// million.
pub const MAX_COUNT: u32 = 1_000;

/// Where a named model does not hold together: the list and entry (from 1), the field, the
/// value and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{section}[{entry}].{field} = {value:?}: {expected}")]
pub struct NamedError {
    pub section: &'static str,
    pub entry: usize,
    pub field: &'static str,
    pub value: String,
    pub expected: Expected,
}

/// What a field should have held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Expected {
    #[error("expected the name of a process listed under [[processes]]")]
    Process,
    #[error("expected the name of a zone listed under [[zones]]")]
    Zone,
    #[error("expected the name of a conduit listed under [[conduits]]")]
    Conduit,
    #[error("expected the name of an asset (an asset with count > 1 is named name-1, name-2, …)")]
    Asset,
    #[error("expected a name not used before in this list")]
    Unique,
    #[error("expected a count from 1 to 1000")]
    Count,
}

struct Names<T> {
    section: &'static str,
    ids: HashMap<String, T>,
}

impl<T: Copy> Names<T> {
    fn new(section: &'static str) -> Names<T> {
        Names {
            section,
            ids: HashMap::new(),
        }
    }

    fn add(&mut self, entry: usize, name: &str, id: T) -> Result<(), NamedError> {
        if self.ids.insert(name.trim().to_owned(), id).is_some() {
            return Err(NamedError {
                section: self.section,
                entry,
                field: "name",
                value: name.to_owned(),
                expected: Expected::Unique,
            });
        }
        Ok(())
    }

    fn get(
        &self,
        at: (&'static str, usize, &'static str),
        name: &str,
        expected: Expected,
    ) -> Result<T, NamedError> {
        self.ids
            .get(name.trim())
            .copied()
            .ok_or_else(|| NamedError {
                section: at.0,
                entry: at.1,
                field: at.2,
                value: name.to_owned(),
                expected,
            })
    }

    fn all(
        &self,
        at: (&'static str, usize, &'static str),
        names: &[String],
        expected: Expected,
    ) -> Result<Vec<T>, NamedError> {
        names.iter().map(|n| self.get(at, n, expected)).collect()
    }
}

impl NamedPlant {
    /// The model with ids numbered from 1 in file order (storage gives them new ids).
    pub fn resolve(&self) -> Result<Plant, NamedError> {
        let mut plant = Plant::default();
        let processes = self.resolve_processes(&mut plant)?;
        let zones = self.resolve_zones(&mut plant, &processes)?;
        let conduits = self.resolve_conduits(&mut plant, &zones)?;
        let assets = self.resolve_assets(&mut plant, &zones, &processes)?;
        self.resolve_flows(&mut plant, &assets, &conduits)?;
        Ok(plant)
    }

    fn resolve_processes(&self, plant: &mut Plant) -> Result<Names<ProcessId>, NamedError> {
        let mut processes = Names::new("processes");
        for (i, p) in self.processes.iter().enumerate() {
            let id = ProcessId::new(number(i));
            processes.add(i + 1, &p.name, id)?;
            plant.processes.push(Process {
                id,
                name: p.name.clone(),
                importance: p.importance,
                damages: p.damages.clone(),
                impact: p.impact.clone(),
            });
        }
        Ok(processes)
    }

    fn resolve_zones(
        &self,
        plant: &mut Plant,
        processes: &Names<ProcessId>,
    ) -> Result<Names<ZoneId>, NamedError> {
        let mut zones = Names::new("zones");
        for (i, z) in self.zones.iter().enumerate() {
            let id = ZoneId::new(number(i));
            zones.add(i + 1, &z.name, id)?;
            plant.zones.push(Zone {
                id,
                name: z.name.clone(),
                purpose: z.purpose,
                exposure: z.exposure,
                importance: z.importance,
                sl_target: z.sl_target,
                processes: processes.all(
                    ("zones", i + 1, "processes"),
                    &z.processes,
                    Expected::Process,
                )?,
            });
        }
        Ok(zones)
    }

    fn resolve_conduits(
        &self,
        plant: &mut Plant,
        zones: &Names<ZoneId>,
    ) -> Result<Names<ConduitId>, NamedError> {
        let mut conduits = Names::new("conduits");
        for (i, c) in self.conduits.iter().enumerate() {
            let id = ConduitId::new(number(i));
            conduits.add(i + 1, &c.name, id)?;
            plant.conduits.push(Conduit {
                id,
                name: c.name.clone(),
                a: zones.get(("conduits", i + 1, "a"), &c.a, Expected::Zone)?,
                b: zones.get(("conduits", i + 1, "b"), &c.b, Expected::Zone)?,
                kind: c.kind,
                direction: c.direction,
                protocols: c.protocols.clone(),
                encrypted: c.encrypted,
                always_on: c.always_on,
                operator: c.operator.clone(),
            });
        }
        Ok(conduits)
    }

    /// Assets with `count` > 1 become numbered copies (`name-1`, `name-2`, …).
    fn resolve_assets(
        &self,
        plant: &mut Plant,
        zones: &Names<ZoneId>,
        processes: &Names<ProcessId>,
    ) -> Result<Names<AssetId>, NamedError> {
        let mut assets = Names::new("assets");
        for (i, a) in self.assets.iter().enumerate() {
            let at = |field| ("assets", i + 1, field);
            if a.count == 0 || a.count > MAX_COUNT {
                return Err(NamedError {
                    section: "assets",
                    entry: i + 1,
                    field: "count",
                    value: a.count.to_string(),
                    expected: Expected::Count,
                });
            }
            let zone = match &a.zone {
                Some(z) => Some(zones.get(at("zone"), z, Expected::Zone)?),
                None => None,
            };
            let also_in = zones.all(at("also_in"), &a.also_in, Expected::Zone)?;
            let serving = processes.all(at("processes"), &a.processes, Expected::Process)?;
            for copy in 1..=a.count {
                let id = AssetId::new(number(plant.assets.len()));
                let name = if a.count == 1 {
                    a.name.clone()
                } else {
                    format!("{}-{copy}", a.name)
                };
                assets.add(i + 1, &name, id)?;
                plant.assets.push(Asset {
                    zone,
                    also_in: also_in.clone(),
                    processes: serving.clone(),
                    ..a.asset(id, name)
                });
            }
        }
        Ok(assets)
    }

    fn resolve_flows(
        &self,
        plant: &mut Plant,
        assets: &Names<AssetId>,
        conduits: &Names<ConduitId>,
    ) -> Result<(), NamedError> {
        for (i, f) in self.flows.iter().enumerate() {
            let at = |field| ("flows", i + 1, field);
            plant.flows.push(Flow {
                id: FlowId::new(number(i)),
                from: assets.get(at("from"), &f.from, Expected::Asset)?,
                to: assets.get(at("to"), &f.to, Expected::Asset)?,
                data: f.data.clone(),
                protocol: f.protocol.clone(),
                conduit: match &f.conduit {
                    Some(c) => Some(conduits.get(at("conduit"), c, Expected::Conduit)?),
                    None => None,
                },
            });
        }
        Ok(())
    }

    /// A stored model written by name, one line per asset (counts are not folded back, so an
    /// asset edited on its own keeps its own line).
    pub fn from_plant(plant: &Plant) -> NamedPlant {
        let process = |id: ProcessId| plant.process(id).map(|p| p.name.clone());
        let zone = |id: ZoneId| plant.zone(id).map(|z| z.name.clone());
        let processes = |ids: &[ProcessId]| ids.iter().filter_map(|&p| process(p)).collect();
        NamedPlant {
            processes: plant
                .processes
                .iter()
                .map(|p| NamedProcess {
                    name: p.name.clone(),
                    importance: p.importance,
                    damages: p.damages.clone(),
                    impact: p.impact.clone(),
                })
                .collect(),
            zones: plant
                .zones
                .iter()
                .map(|z| NamedZone {
                    name: z.name.clone(),
                    purpose: z.purpose,
                    exposure: z.exposure,
                    importance: z.importance,
                    sl_target: z.sl_target,
                    processes: processes(&z.processes),
                })
                .collect(),
            conduits: plant
                .conduits
                .iter()
                .map(|c| NamedConduit {
                    name: c.name.clone(),
                    a: zone(c.a).unwrap_or_default(),
                    b: zone(c.b).unwrap_or_default(),
                    kind: c.kind,
                    direction: c.direction,
                    protocols: c.protocols.clone(),
                    encrypted: c.encrypted,
                    always_on: c.always_on,
                    operator: c.operator.clone(),
                })
                .collect(),
            assets: plant.assets.iter().map(|a| named_asset(plant, a)).collect(),
            flows: plant
                .flows
                .iter()
                .map(|f| NamedFlow {
                    from: plant
                        .asset(f.from)
                        .map(|a| a.name.clone())
                        .unwrap_or_default(),
                    to: plant
                        .asset(f.to)
                        .map(|a| a.name.clone())
                        .unwrap_or_default(),
                    data: f.data.clone(),
                    protocol: f.protocol.clone(),
                    conduit: f
                        .conduit
                        .and_then(|c| plant.conduit(c).map(|c| c.name.clone())),
                })
                .collect(),
        }
    }
}

fn named_asset(plant: &Plant, a: &Asset) -> NamedAsset {
    let zone = |id: ZoneId| plant.zone(id).map(|z| z.name.clone());
    NamedAsset {
        name: a.name.clone(),
        kind: a.kind,
        count: 1,
        tag: a.tag.clone(),
        zone: a.zone.and_then(zone),
        also_in: a.also_in.iter().filter_map(|&z| zone(z)).collect(),
        vendor: a.vendor.clone(),
        product: a.product.clone(),
        model: a.model.clone(),
        order_number: a.order_number.clone(),
        version: a.version.clone(),
        serial: a.serial.clone(),
        os: a.os.clone(),
        os_support_end: a.os_support_end,
        ip: a.ip.clone(),
        mac: a.mac.clone(),
        location: a.location.clone(),
        owner: a.owner.clone(),
        maintenance_end: a.maintenance_end,
        status: a.status,
        remote_maintenance: a.remote_maintenance,
        black_box: a.black_box,
        cloud_link: a.cloud_link,
        temporary: a.temporary,
        wireless: a.wireless,
        safety: a.safety,
        processes: a
            .processes
            .iter()
            .filter_map(|&p| plant.process(p).map(|p| p.name.clone()))
            .collect(),
    }
}

/// Entry `i` of a list, numbered from 1.
fn number(i: usize) -> i64 {
    i64::try_from(i).map_or(i64::MAX, |n| n + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> NamedPlant {
        serde_json::from_value(serde_json::json!({
            "processes": [{"name": "プレス", "importance": "3", "damages": ["safety"]}],
            "zones": [
                {"name": "制御", "purpose": "control", "processes": ["プレス"]},
                {"name": "事務所", "purpose": "information"}
            ],
            "conduits": [{"name": "FW", "a": "事務所", "b": "制御", "kind": "firewall"}],
            "assets": [
                {"name": "PLC", "kind": "plc", "zone": "制御", "count": 3, "processes": ["プレス"]},
                {"name": "PC", "kind": "workstation", "zone": "事務所"}
            ],
            "flows": [{"from": "PC", "to": "PLC-2", "conduit": "FW"}]
        }))
        .unwrap()
    }

    #[test]
    fn counts_expand_and_names_resolve() {
        let plant = small().resolve().unwrap();
        let names: Vec<_> = plant.assets.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["PLC-1", "PLC-2", "PLC-3", "PC"]);
        let control = plant.zones[0].id;
        assert!(plant.assets[..3].iter().all(|a| a.zone == Some(control)));
        assert_eq!(plant.flows[0].to, plant.assets[1].id);
        assert_eq!(plant.conduits[0].b, control);
        assert_eq!(plant.zones[0].processes, [plant.processes[0].id]);
    }

    #[test]
    fn a_missing_name_is_located() {
        let mut doc = small();
        doc.flows[0].to = "PLC".into();
        let e = doc.resolve().unwrap_err();
        assert_eq!((e.section, e.entry, e.field), ("flows", 1, "to"));
        assert_eq!(e.expected, Expected::Asset);
        let mut doc = small();
        doc.assets[1].zone = Some("倉庫".into());
        let e = doc.resolve().unwrap_err();
        assert_eq!((e.section, e.entry, e.field), ("assets", 2, "zone"));
        assert!(e.to_string().contains("倉庫"), "{e}");
    }

    #[test]
    fn duplicate_names_and_silly_counts_are_refused() {
        let mut doc = small();
        doc.zones[1].name = " 制御".into();
        assert_eq!(doc.resolve().unwrap_err().expected, Expected::Unique);
        let mut doc = small();
        doc.assets[1].name = "PLC-2".into();
        let e = doc.resolve().unwrap_err();
        assert_eq!((e.entry, e.expected), (2, Expected::Unique));
        let mut doc = small();
        doc.assets[0].count = 0;
        assert_eq!(doc.resolve().unwrap_err().field, "count");
        doc.assets[0].count = MAX_COUNT + 1;
        assert_eq!(doc.resolve().unwrap_err().field, "count");
    }

    #[test]
    fn a_model_survives_writing_by_name() {
        let plant = small().resolve().unwrap();
        let again = NamedPlant::from_plant(&plant).resolve().unwrap();
        assert_eq!(plant, again);
    }

    #[test]
    fn unknown_fields_are_refused() {
        let e = serde_json::from_value::<NamedPlant>(serde_json::json!({
            "zones": [{"name": "a", "purpose": "control", "sl": 2}]
        }))
        .unwrap_err();
        assert!(e.to_string().contains("sl"), "{e}");
    }
}
