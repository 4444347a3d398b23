//! Cost bands: every example has one; a measure's band is the range of its examples' bands,
//! derived here and nowhere else (pages that show one band per measure read `cost_range`).

use kojo_core::checklist::{CostRange, Examples};
use kojo_core::reference::Bands;

use crate::Catalog;

/// The lowest and highest band among the examples, in the order of `reference/bands.toml`;
/// `None` when an example names no known band (validation reports it).
pub fn range(bands: &Bands, examples: &Examples) -> Option<CostRange> {
    let ranks = examples
        .iter()
        .map(|(_, e)| bands.cost_rank(&e.cost))
        .collect::<Option<Vec<usize>>>()?;
    let (min, max) = (*ranks.iter().min()?, *ranks.iter().max()?);
    Some(CostRange {
        min: bands.cost_bands[min].id.clone(),
        max: bands.cost_bands[max].id.clone(),
    })
}

/// Sets every measure's `cost_range` from its examples.
pub(crate) fn derive(cat: &mut Catalog) {
    let bands = cat.bands.clone();
    for cl in &mut cat.checklists {
        for item in &mut cl.items {
            for m in &mut item.measures {
                m.cost_range = range(&bands, &m.examples).unwrap_or_default();
            }
        }
    }
}
