//! The disclosure rule, applied to every aggregate view (pages, exports, API): any group of
//! respondents smaller than k — the respondents of a question, a subgroup behind a figure, a
//! cross-tab's row or column group, the whole round — is withheld and shown as withheld with the
//! reason. Where totals are shown beside a group, hiding one group alone would let anyone get it
//! back by subtraction, so the smallest other group is withheld with it (complementary
//! suppression). k is at least 5 and can only be raised.

use super::results::{Results, Suppressed};

/// The smallest k kojo accepts.
pub const MIN_K: u64 = 5;

/// The threshold to use: the configured value, never below [`MIN_K`].
pub fn threshold(configured: Option<u64>) -> u64 {
    configured.unwrap_or(MIN_K).max(MIN_K)
}

fn reason(k: u64) -> Suppressed {
    Suppressed {
        reason: format!("fewer than {k} respondents"),
        k,
        complementary: false,
    }
}

fn complementary(k: u64) -> Suppressed {
    Suppressed {
        reason: format!(
            "withheld so that a group of fewer than {k} cannot be derived from the totals"
        ),
        k,
        complementary: true,
    }
}

/// Groups to hide among sizes `n` (0 = empty, never hidden): those below k, plus, when exactly
/// one is below k, the smallest other non-empty group.
pub fn to_hide(sizes: &[u64], k: u64) -> Vec<(usize, bool)> {
    let primary: Vec<usize> = sizes
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0 && **n < k)
        .map(|(i, _)| i)
        .collect();
    let mut out: Vec<(usize, bool)> = primary.iter().map(|&i| (i, true)).collect();
    if primary.len() == 1
        && let Some((i, _)) = sizes
            .iter()
            .enumerate()
            .filter(|(i, n)| **n > 0 && !primary.contains(i))
            .min_by_key(|(_, n)| **n)
    {
        out.push((i, false));
    }
    out
}

/// Applies the rule with threshold `k` (already passed through [`threshold`]).
pub fn apply(results: &mut Results, k: u64) {
    results.k = Some(k);
    if results.respondents < k {
        results.suppressed = Some(reason(k));
        for q in &mut results.questions {
            for r in &mut q.rows {
                hide_row(r, k);
            }
            q.number = None;
        }
        for f in results.figures.values_mut() {
            hide_figure(f, k);
        }
        for s in &mut results.scores {
            s.suppressed = Some(reason(k));
            s.positive = 0;
            s.percent_positive = None;
            s.distribution.clear();
        }
        results.crosstabs.clear();
        return;
    }
    for q in &mut results.questions {
        for r in &mut q.rows {
            if r.n > 0 && r.n < k {
                hide_row(r, k);
            }
        }
        if q.number.as_ref().is_some_and(|n| n.n > 0 && n.n < k) {
            q.number = None;
        }
    }
    for f in results.figures.values_mut() {
        let small = f.n.is_some_and(|n| n > 0 && n < k) && f.unit == crate::baseline::Unit::Percent;
        if small {
            hide_figure(f, k);
            continue;
        }
        for e in &mut f.elements {
            if e.n.is_some_and(|n| n > 0 && n < k) {
                e.value = None;
                e.count = None;
            }
        }
    }
    for s in &mut results.scores {
        if s.n > 0 && s.n < k {
            s.suppressed = Some(reason(k));
            s.positive = 0;
            s.percent_positive = None;
            s.distribution.clear();
        }
    }
    for c in &mut results.crosstabs {
        // Row groups (answers of `by`).
        let sizes: Vec<u64> = c.groups.iter().map(|g| g.n.unwrap_or(0)).collect();
        for (i, primary) in to_hide(&sizes, k) {
            let g = &mut c.groups[i];
            g.n = None;
            for cell in &mut g.cells {
                cell.count = None;
                cell.percent = None;
            }
            g.suppressed = Some(if primary { reason(k) } else { complementary(k) });
        }
        // Column groups (answers of `of`): the respondents who gave an answer, across groups.
        let totals: Vec<u64> = (0..c.of_codes.len())
            .map(|o| {
                c.groups
                    .iter()
                    .filter_map(|g| g.cells[o].count)
                    .sum::<u64>()
            })
            .collect();
        for (o, _) in to_hide(&totals, k) {
            c.suppressed_columns.push(c.of_codes[o].clone());
            for g in &mut c.groups {
                g.cells[o].count = None;
                g.cells[o].percent = None;
            }
        }
    }
}

fn hide_row(r: &mut super::results::RowResult, k: u64) {
    r.suppressed = Some(reason(k));
    r.top.clear();
    for o in &mut r.options {
        o.count = None;
        o.percent = None;
    }
}

fn hide_figure(f: &mut super::results::FigureResult, k: u64) {
    f.value = None;
    f.count = None;
    f.suppressed = Some(reason(k));
    for e in &mut f.elements {
        e.value = None;
        e.count = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_never_goes_below_five() {
        assert_eq!(threshold(None), 5);
        assert_eq!(threshold(Some(3)), 5);
        assert_eq!(threshold(Some(10)), 10);
    }

    #[test]
    fn one_small_group_takes_the_smallest_other_with_it() {
        // A group of 4 next to groups of 10 and 12: 4 and 10 are hidden, so the total minus the
        // visible group gives only their sum.
        let hide = to_hide(&[4, 10, 12], 5);
        assert_eq!(hide, vec![(0, true), (1, false)]);
        // Two small groups hide each other.
        assert_eq!(to_hide(&[4, 3, 12], 5), vec![(0, true), (1, true)]);
        // Empty groups are not groups.
        assert_eq!(to_hide(&[0, 6, 7], 5), vec![]);
        assert_eq!(to_hide(&[5, 6], 5), vec![]);
    }
}
