//! From answers to what to do first: the gap list (items below target, in priority order),
//! the items to verify, and where the site stands beside the 2022 national figures.
//!
//! Priority (docs/scoring.md): `weight × gap × (1 + risk)`, where `gap` is how many levels the
//! answer is below the target and `risk` is the item's share (0–1) of the site's high-risk attack
//! routes that implementing it would take out of the high band, weighted by the importance of
//! what they reach (`kojo_core::risk::route_share`; 0 for a site without a plant model). Ties keep
//! checklist order. An item another gap requires (OPS-6 before OPS-8) comes right before it.
//! The 2022 national figure is shown beside each gap as context (`neglect`), not multiplied in:
//! the measures companies did most often are not thereby the least urgent for this site.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::baseline::Baseline;
use crate::checklist::{Checklist, Item, SizeBand};
use crate::reference::ExampleBand;
use crate::scale::Scale;
use crate::scoring::Levels;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Gap {
    pub item: String,
    pub level: String,
    pub value: u8,
    pub target: u8,
    pub gap: u8,
    pub weight: u8,
    /// Share of companies that had not done this item in 2022 (0–1), if reported (context).
    pub neglect: Option<f64>,
    /// The item's share of the site's high risks it would cut (0–1), when the site has a model.
    pub risk: Option<f64>,
    /// Gaps listed first because this one requires them.
    pub after: Vec<String>,
    pub priority: f64,
}

/// Each checklist item's share of the site's high risks it would cut (0–1); empty without a
/// plant model.
pub type RiskShares = HashMap<String, f64>;

/// Whether a figure's levels are "not done" answers (none of them counts as implemented).
pub fn counts_not_done(scale: &Scale, levels: &[String]) -> bool {
    levels
        .iter()
        .all(|code| scale.level(code).is_none_or(|l| !l.implemented))
}

/// The share of companies that had not done the item in 2022, from its own (not related) figures.
pub fn neglect(item: &Item, baseline: &Baseline, scale: &Scale) -> Option<f64> {
    item.baseline
        .iter()
        .filter(|link| !link.related)
        .filter_map(|link| {
            let figure = baseline.figure(&link.figure)?;
            let pct = if counts_not_done(scale, &link.levels) {
                figure.value
            } else {
                100.0 - figure.value
            };
            Some((pct / 100.0).clamp(0.0, 1.0))
        })
        .reduce(f64::max)
}

/// Items answered below `target`, highest priority first; an item another gap requires comes
/// right before the first gap that requires it.
pub fn gaps(
    checklist: &Checklist,
    scale: &Scale,
    baseline: &Baseline,
    levels: &Levels,
    target: u8,
    risk: &RiskShares,
) -> Vec<Gap> {
    let mut gaps: Vec<Gap> = checklist
        .items
        .iter()
        .filter_map(|item| {
            let code = levels.get(&item.id)?;
            let value = scale.level(code)?.value?;
            if value >= target {
                return None;
            }
            let gap = target - value;
            let share = risk.get(&item.id).copied().map(|r| r.clamp(0.0, 1.0));
            Some(Gap {
                item: item.id.clone(),
                level: code.clone(),
                value,
                target,
                gap,
                weight: item.weight,
                neglect: neglect(item, baseline, scale),
                risk: share,
                after: vec![],
                priority: crate::format::round1(
                    f64::from(item.weight) * f64::from(gap) * (1.0 + share.unwrap_or(0.0)),
                ),
            })
        })
        .collect();
    // Stable sort: equal priorities keep checklist order.
    gaps.sort_by(|a, b| b.priority.total_cmp(&a.priority));
    prerequisites_first(checklist, gaps)
}

/// Reorders gaps so that the gaps an item requires come right before it.
fn prerequisites_first(checklist: &Checklist, gaps: Vec<Gap>) -> Vec<Gap> {
    let open: HashSet<String> = gaps.iter().map(|g| g.item.clone()).collect();
    let mut by_id: HashMap<String, Gap> =
        gaps.iter().map(|g| (g.item.clone(), g.clone())).collect();
    let mut out = Vec::with_capacity(gaps.len());
    let mut placed = HashSet::new();
    for g in &gaps {
        place(checklist, &g.item, &open, &mut by_id, &mut placed, &mut out);
    }
    out
}

fn place(
    checklist: &Checklist,
    id: &str,
    open: &HashSet<String>,
    by_id: &mut HashMap<String, Gap>,
    placed: &mut HashSet<String>,
    out: &mut Vec<Gap>,
) {
    if !placed.insert(id.to_string()) {
        return;
    }
    let required: Vec<String> = checklist
        .item(id)
        .map(|i| {
            i.requires
                .iter()
                .filter(|r| open.contains(*r))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    for r in &required {
        place(checklist, r, open, by_id, placed, out);
    }
    if let Some(mut g) = by_id.remove(id) {
        g.after = required;
        out.push(g);
    }
}

/// Items answered 該当しない・わからない: not scored, but someone should confirm them.
pub fn to_verify<'a>(checklist: &'a Checklist, scale: &Scale, levels: &Levels) -> Vec<&'a str> {
    checklist
        .items
        .iter()
        .filter(|i| {
            levels
                .get(&i.id)
                .and_then(|c| scale.level(c))
                .is_some_and(|l| l.not_applicable)
        })
        .map(|i| i.id.as_str())
        .collect()
}

/// One published figure beside one item, and whether the site is in the group it counts.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct FigureComparison {
    pub item: String,
    pub figure: String,
    pub value: f64,
    pub levels: Vec<String>,
    /// The figure counts companies that had not done the item.
    pub counts_not_done: bool,
    /// From another survey question about the same concern.
    pub related: bool,
    /// `Some(true)` when the site's answer is one of the counted levels.
    pub site_in_group: Option<bool>,
}

pub fn compare(
    checklist: &Checklist,
    scale: &Scale,
    baseline: &Baseline,
    levels: &Levels,
) -> Vec<FigureComparison> {
    checklist
        .items
        .iter()
        .flat_map(|item| {
            item.baseline.iter().filter_map(|link| {
                let figure = baseline.figure(&link.figure)?;
                Some(FigureComparison {
                    item: item.id.clone(),
                    figure: figure.id.clone(),
                    value: figure.value,
                    levels: link.levels.clone(),
                    counts_not_done: counts_not_done(scale, &link.levels),
                    related: link.related,
                    site_in_group: levels.get(&item.id).map(|code| link.levels.contains(code)),
                })
            })
        })
        .collect()
}

/// The 2022 national figure shown beside a category's score: the share (0–100) of companies
/// that had implemented the least implemented of the category's items the report published a
/// figure for (its own figures, not related questions), and that item.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CategoryNational {
    pub category: String,
    pub item: String,
    /// Percent of companies that had implemented the item (100 − the "not done" share).
    pub implemented: f64,
}

/// For every category of the checklist, in order, its national figure, or `None` when the
/// report published none for its items. The report gave one figure per category for the
/// checklist (its weakest item, or two for 物理的対策), so the least implemented one is the
/// figure that category is known by (docs/scoring.md).
pub fn national_by_category(
    checklist: &Checklist,
    scale: &Scale,
    baseline: &Baseline,
) -> Vec<Option<CategoryNational>> {
    checklist
        .categories
        .iter()
        .map(|cat| {
            checklist
                .items_in(&cat.id)
                .filter_map(|item| {
                    let not_done = neglect(item, baseline, scale)?;
                    Some(CategoryNational {
                        category: cat.id.clone(),
                        item: item.id.clone(),
                        implemented: crate::format::round1(100.0 - not_done * 100.0),
                    })
                })
                .min_by(|a, b| a.implemented.total_cmp(&b.implemented))
        })
        .collect()
}

/// The example band of a company with this many employees (unknown: the small-company band,
/// the audience kojo is written for first).
pub fn size_band(employees: Option<i64>, bands: &[ExampleBand]) -> SizeBand {
    let Some(n) = employees else {
        return SizeBand::Small;
    };
    bands
        .iter()
        .find(|b| n >= b.min as i64 && b.max.is_none_or(|max| n < max as i64))
        .and_then(|b| SizeBand::parse(&b.id))
        .unwrap_or(SizeBand::Small)
}

/// How an item's answer changed between two assessments.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Change {
    pub item: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// Difference of level values (positive = improved); `None` when either side has no value.
    pub delta: Option<i16>,
}

pub fn changes(
    checklist: &Checklist,
    scale: &Scale,
    before: &Levels,
    after: &Levels,
) -> Vec<Change> {
    checklist
        .items
        .iter()
        .filter_map(|item| {
            let b = before.get(&item.id);
            let a = after.get(&item.id);
            if b == a {
                return None;
            }
            let value = |c: Option<&String>| c.and_then(|c| scale.level(c)).and_then(|l| l.value);
            let delta = match (value(b), value(a)) {
                (Some(x), Some(y)) => Some(y as i16 - x as i16),
                _ => None,
            };
            Some(Change {
                item: item.id.clone(),
                before: b.cloned(),
                after: a.cloned(),
                delta,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{baseline, checklist, scale};

    fn levels(pairs: &[(&str, &str)]) -> Levels {
        pairs
            .iter()
            .map(|(i, l)| (i.to_string(), l.to_string()))
            .collect()
    }

    #[test]
    fn neglect_reads_not_done_and_done_figures() {
        let (c, s, b) = (checklist(), scale(), baseline());
        assert_eq!(neglect(c.item("A-1").unwrap(), &b, &s), Some(0.65));
        let n = neglect(c.item("B-1").unwrap(), &b, &s).unwrap();
        assert!((n - 0.363).abs() < 1e-9, "{n}");
        assert_eq!(neglect(c.item("A-2").unwrap(), &b, &s), None);
    }

    #[test]
    fn gaps_are_ordered_by_weight_gap_and_risk() {
        let (c, s, b) = (checklist(), scale(), baseline());
        let l = levels(&[
            ("A-1", "2"),
            ("A-2", "1"),
            ("B-1", "1"),
            ("B-2", "1"),
            ("B-3", "3"),
        ]);
        // Without a plant model: weight × gap. A-1: 4×1 = 4; A-2: 2×2 = 4; B-1: 1×2 = 2;
        // B-2: 3×2 = 6; B-3 at target. The national figure does not move anything.
        let g = gaps(&c, &s, &b, &l, 3, &RiskShares::new());
        let order: Vec<(&str, f64)> = g.iter().map(|g| (g.item.as_str(), g.priority)).collect();
        assert_eq!(
            order,
            [("B-2", 6.0), ("A-1", 4.0), ("A-2", 4.0), ("B-1", 2.0)]
        );
        assert_eq!(g[0].gap, 2);
        assert_eq!(g[1].neglect, Some(0.65), "kept as context");
        // With a model: B-1 would take half of the high risks out: 1×2×1.5 = 3, above nothing
        // else; A-2 all of them: 2×2×2 = 8, first.
        let risk: RiskShares = [("B-1".to_string(), 0.5), ("A-2".to_string(), 1.0)].into();
        let g = gaps(&c, &s, &b, &l, 3, &risk);
        let order: Vec<(&str, f64)> = g.iter().map(|g| (g.item.as_str(), g.priority)).collect();
        assert_eq!(
            order,
            [("A-2", 8.0), ("B-2", 6.0), ("A-1", 4.0), ("B-1", 3.0)]
        );
        assert_eq!(g[0].risk, Some(1.0));
    }

    #[test]
    fn an_item_another_gap_requires_comes_right_before_it() {
        let (mut c, s, b) = (checklist(), scale(), baseline());
        // B-1 (weight 1) must come first when B-2 (weight 3) requires it.
        c.items
            .iter_mut()
            .filter(|i| i.id == "B-2")
            .for_each(|i| i.requires = vec!["B-1".into()]);
        let l = levels(&[("A-1", "2"), ("B-1", "1"), ("B-2", "1")]);
        let g = gaps(&c, &s, &b, &l, 3, &RiskShares::new());
        let order: Vec<&str> = g.iter().map(|g| g.item.as_str()).collect();
        assert_eq!(order, ["B-1", "B-2", "A-1"]);
        assert_eq!(g[1].after, ["B-1"]);
        // A requirement already met changes nothing.
        let l = levels(&[("A-1", "2"), ("B-1", "3"), ("B-2", "1")]);
        let order: Vec<String> = gaps(&c, &s, &b, &l, 3, &RiskShares::new())
            .into_iter()
            .map(|g| g.item)
            .collect();
        assert_eq!(order, ["B-2", "A-1"]);
    }

    #[test]
    fn not_applicable_items_are_to_verify_not_gaps() {
        let (c, s, b) = (checklist(), scale(), baseline());
        let l = levels(&[("A-1", "na"), ("A-2", "1")]);
        assert_eq!(gaps(&c, &s, &b, &l, 3, &RiskShares::new()).len(), 1);
        assert_eq!(to_verify(&c, &s, &l), ["A-1"]);
    }

    #[test]
    fn the_site_is_placed_beside_each_figure() {
        let (c, s, b) = (checklist(), scale(), baseline());
        let cmp = compare(&c, &s, &b, &levels(&[("A-1", "na"), ("B-1", "2")]));
        let a1 = cmp.iter().find(|x| x.item == "A-1").unwrap();
        assert!(a1.counts_not_done);
        assert_eq!(a1.value, 65.0);
        assert_eq!(a1.site_in_group, Some(true), "N/A is counted with 未実施");
        let b1 = cmp.iter().find(|x| x.item == "B-1").unwrap();
        assert!(!b1.counts_not_done);
        assert_eq!(b1.site_in_group, Some(false), "一部実施 is not 実施済み");
        let none = compare(&c, &s, &b, &Levels::new());
        assert!(none.iter().all(|x| x.site_in_group.is_none()));
    }

    #[test]
    fn size_bands_follow_employee_counts() {
        use crate::reference::ExampleBand;
        let band = |id: &str, min, max| ExampleBand {
            id: id.into(),
            label: crate::Text::new(id, id),
            description: crate::Text::new(id, id),
            min,
            max,
        };
        let bands = [
            band("small", 0, Some(300)),
            band("medium", 300, Some(1000)),
            band("large", 1000, None),
        ];
        assert_eq!(size_band(Some(299), &bands), SizeBand::Small);
        assert_eq!(size_band(Some(300), &bands), SizeBand::Medium);
        assert_eq!(size_band(Some(5000), &bands), SizeBand::Large);
        assert_eq!(size_band(None, &bands), SizeBand::Small);
    }

    #[test]
    fn changes_between_assessments() {
        let (c, s) = (checklist(), scale());
        let before = levels(&[("A-1", "1"), ("A-2", "3"), ("B-1", "na")]);
        let after = levels(&[("A-1", "3"), ("A-2", "3"), ("B-1", "2"), ("B-2", "1")]);
        let ch = changes(&c, &s, &before, &after);
        let got: Vec<(&str, Option<i16>)> = ch.iter().map(|c| (c.item.as_str(), c.delta)).collect();
        assert_eq!(got, [("A-1", Some(2)), ("B-1", None), ("B-2", None)]);
    }
}
