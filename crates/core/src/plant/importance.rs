//! How important each zone and asset is, derived from the business processes (業務) they serve.
//!
//! The rule (docs/plant.md): an asset is as important as the most important process that
//! depends on it; a safety asset is always of the highest importance (people come first); an
//! asset serving no recorded process is of the lowest. A zone is as important as the most
//! important of its processes and assets, unless an importance was set on it by hand.

use std::collections::HashMap;

use super::model::{Asset, Importance, Plant, Zone};
use crate::ids::{AssetId, ZoneId};

/// Importance of an asset under the rule above.
pub fn asset_importance(plant: &Plant, asset: &Asset) -> Importance {
    if asset.safety {
        return Importance::High;
    }
    asset
        .processes
        .iter()
        .filter_map(|p| plant.process(*p))
        .map(|p| p.importance)
        .max()
        .unwrap_or(Importance::Low)
}

/// Importance of every asset and zone of a plant.
#[derive(Debug, Clone, Default)]
pub struct Importances {
    pub assets: HashMap<AssetId, Importance>,
    pub zones: HashMap<ZoneId, Importance>,
}

impl Importances {
    pub fn of(plant: &Plant) -> Importances {
        let assets: HashMap<AssetId, Importance> = plant
            .assets
            .iter()
            .map(|a| (a.id, asset_importance(plant, a)))
            .collect();
        let mut zones: HashMap<ZoneId, Importance> = plant
            .zones
            .iter()
            .map(|z| (z.id, zone_processes_importance(plant, z)))
            .collect();
        for a in plant.active_assets() {
            let importance = assets[&a.id];
            for z in a.zones() {
                if let Some(current) = zones.get_mut(&z) {
                    *current = (*current).max(importance);
                }
            }
        }
        for z in &plant.zones {
            if let Some(set) = z.importance {
                zones.insert(z.id, set);
            }
        }
        Importances { assets, zones }
    }

    pub fn asset(&self, id: AssetId) -> Importance {
        self.assets.get(&id).copied().unwrap_or(Importance::Low)
    }

    pub fn zone(&self, id: ZoneId) -> Importance {
        self.zones.get(&id).copied().unwrap_or(Importance::Low)
    }
}

fn zone_processes_importance(plant: &Plant, zone: &Zone) -> Importance {
    zone.processes
        .iter()
        .filter_map(|p| plant.process(*p))
        .map(|p| p.importance)
        .max()
        .unwrap_or(Importance::Low)
}
