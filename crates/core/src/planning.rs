//! From answers to what to do first: the gap list (items below target, in priority order),
//! the items to verify, and where the site stands beside the 2022 national figures.
//!
//! Priority (docs/scoring.md): `weight × gap × (1 + neglect)`, where `gap` is how many levels the
//! answer is below the target and `neglect` is the share of companies (0–1) that had not done the
//! item in the 2022 survey, read from the item's own baseline figures (a figure that counts the
//! not-done levels gives its value; one that counts the done levels gives 100 − value). Items the
//! survey did not report on have no raise. Ties keep checklist order.

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
    /// Share of companies that had not done this item in 2022 (0–1), if reported.
    pub neglect: Option<f64>,
    pub priority: f64,
}

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

/// Items answered below `target`, highest priority first.
pub fn gaps(
    checklist: &Checklist,
    scale: &Scale,
    baseline: &Baseline,
    levels: &Levels,
    target: u8,
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
            let neglect = neglect(item, baseline, scale);
            Some(Gap {
                item: item.id.clone(),
                level: code.clone(),
                value,
                target,
                gap,
                weight: item.weight,
                neglect,
                priority: crate::format::round1(
                    item.weight as f64 * gap as f64 * (1.0 + neglect.unwrap_or(0.0)),
                ),
            })
        })
        .collect();
    // Stable sort: equal priorities keep checklist order.
    gaps.sort_by(|a, b| b.priority.total_cmp(&a.priority));
    gaps
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
    fn gaps_are_ordered_by_weight_gap_and_neglect() {
        let (c, s, b) = (checklist(), scale(), baseline());
        let l = levels(&[
            ("A-1", "2"),
            ("A-2", "1"),
            ("B-1", "1"),
            ("B-2", "1"),
            ("B-3", "3"),
        ]);
        let g = gaps(&c, &s, &b, &l, 3);
        let order: Vec<(&str, f64)> = g.iter().map(|g| (g.item.as_str(), g.priority)).collect();
        // 4×1×1.65 = 6.6; A-2: 2×2 = 4; B-1: 1×2×1.363 = 2.7; B-2: 3×2 = 6; B-3 at target.
        assert_eq!(
            order,
            [("A-1", 6.6), ("B-2", 6.0), ("A-2", 4.0), ("B-1", 2.7)]
        );
        assert_eq!(g[1].gap, 2);
    }

    #[test]
    fn not_applicable_items_are_to_verify_not_gaps() {
        let (c, s, b) = (checklist(), scale(), baseline());
        let l = levels(&[("A-1", "na"), ("A-2", "1")]);
        assert_eq!(gaps(&c, &s, &b, &l, 3).len(), 1);
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
