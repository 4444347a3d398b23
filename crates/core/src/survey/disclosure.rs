//! The disclosure rule, applied once per results build to everything an aggregate view can show
//! (pages, cross-tabs, figures, exports, the API, the CLI): no group of fewer than k respondents
//! is shown, nor can one be worked out by combining what is shown.
//!
//! - A round with fewer than k respondents shows nothing but its size.
//! - Per question (grid row, score): its total, the groups of every breakdown ("banner",
//!   [`super::tally::banners`]) including the group of respondents without a value, and the
//!   subgroups figures are taken over form one family; [`super::audit::protect`] withholds the
//!   groups below k (primary) and then further groups until no linear combination of what is
//!   shown isolates 1..k−1 respondents (secondary), or the whole breakdown if its audit runs out
//!   of work. A question whose respondents are fewer than k is withheld with all its figures.
//! - Figures follow their base (count figures like percentages); figures computed from withheld
//!   parts are withheld. Number questions publish only their mean.
//!
//! The decisions live in the results; [`Results::crosstab`] serves only approved groups. k is at
//! least 5 and can only be raised.

use std::collections::HashMap;

use super::audit::{self, Atom, Decision, Family};
use super::results::{Basis, Disclosed, Results, Source, Withheld};
use super::schema::Compiled;

/// The smallest k kojo accepts.
pub const MIN_K: u64 = 5;

/// The threshold to use: the configured value, never below [`MIN_K`].
pub fn threshold(configured: Option<u64>) -> u64 {
    configured.unwrap_or(MIN_K).max(MIN_K)
}

fn reason(d: Decision, k: u64) -> Option<Withheld> {
    match d {
        Decision::Shown => None,
        Decision::Small => Some(Withheld::FewerThanK { k }),
        Decision::Complementary => Some(Withheld::Complementary { k }),
        Decision::Fallback => Some(Withheld::Breakdown { k }),
    }
}

/// Applies the rule with threshold `k` (already passed through [`threshold`]).
pub fn apply(results: &mut Results, k: u64) {
    apply_with_budget(results, k, audit::DEFAULT_BUDGET);
}

/// The results as a round's runner sees them while the round is open: nothing but the number of
/// respondents. Releasing only closed rounds means an adversary never sees two versions of one
/// round, so it cannot difference them (one known member submits, the report changes by exactly
/// that member's answers).
pub fn until_closed(results: &Results) -> Results {
    let mut held = results.clone();
    let w = Withheld::UntilClosed {
        k: results.k.unwrap_or(0),
    };
    held.withheld = Some(w);
    withhold_all(&mut held, w);
    held
}

/// What one family's audit decided.
struct FamilyDecision {
    total: Option<Withheld>,
    /// Per banner, per group.
    groups: Vec<Vec<Option<Withheld>>>,
    /// Per subgroup (given) of figures.
    givens: Vec<(Compiled, Option<Withheld>)>,
}

/// [`apply`] with an explicit work budget per family (tests use a small one to exercise the
/// fallback).
pub fn apply_with_budget(results: &mut Results, k: u64, budget: u64) {
    let previous = results.k.replace(k);
    let Some(basis) = results.breakdowns.basis.take() else {
        // Applied already: a second application may only be stricter.
        if previous.is_none_or(|p| p < k) {
            withhold_all(results, Withheld::FewerThanK { k });
        }
        return;
    };
    if results.respondents < k {
        results.withheld = Some(Withheld::FewerThanK { k });
        withhold_all(results, Withheld::FewerThanK { k });
        return;
    }
    let banners: Vec<usize> = results
        .breakdowns
        .banners
        .iter()
        .map(|b| b.groups())
        .collect();
    let mut memo: HashMap<Family, Vec<Decision>> = HashMap::new();
    let mut decide = |counts_at: usize, banner_rows: bool, givens: &[Compiled]| {
        family_decision(
            &basis,
            &banners,
            counts_at,
            banner_rows,
            givens,
            k,
            budget,
            &mut memo,
        )
    };
    let mut columns: Vec<FamilyDecision> = (0..basis.counted.len())
        .map(|c| {
            decide(
                basis.layout.columns[c],
                basis.counted[c],
                &basis.column_givens[c],
            )
        })
        .collect();
    propagate_routing(&mut columns, &basis.show_if, k);
    let scores: Vec<FamilyDecision> = (0..basis.score_givens.len())
        .map(|s| decide(basis.layout.scores[s], false, &basis.score_givens[s]))
        .collect();

    for (q, cols) in results.questions.iter_mut().zip(&basis.of_question) {
        for (row, &c) in q.rows.iter_mut().zip(cols) {
            if let Some(w) = columns[c].total {
                row.data = Disclosed::Withheld(w);
                if let Some(n) = q.number.as_mut() {
                    *n = Disclosed::Withheld(w);
                }
            }
        }
    }
    for (s, d) in results.scores.iter_mut().zip(&scores) {
        if let Some(w) = d.total {
            s.data = Disclosed::Withheld(w);
        }
    }
    for (c, d) in columns.iter().enumerate() {
        for (bi, groups) in d.groups.iter().enumerate() {
            if let Some(table) = results.breakdowns.tables[c].get_mut(bi) {
                table.withheld.clone_from(groups);
            }
        }
    }
    withhold_figures(results, &basis, &columns, &scores, k);
    let requested: Vec<(String, String)> = results
        .crosstabs
        .iter()
        .map(|c| (c.by.clone(), c.of.clone()))
        .collect();
    results.crosstabs = requested
        .iter()
        .filter_map(|(by, of)| results.crosstab(by, of).ok())
        .collect();
}

/// A question's eligible count is a sum of its routing question's answers: shown only when that
/// question is (this matters when nobody answered: n = 0 passes, eligible need not).
fn propagate_routing(columns: &mut [FamilyDecision], show_if: &[Option<usize>], k: u64) {
    loop {
        let mut changed = false;
        for c in 0..columns.len() {
            if columns[c].total.is_none()
                && let Some(cond) = show_if[c]
                && columns[cond].total.is_some()
            {
                let w = Withheld::DependsOnWithheld { k };
                columns[c].total = Some(w);
                for g in columns[c].groups.iter_mut().flatten() {
                    *g = Some(w);
                }
                for g in columns[c].givens.iter_mut() {
                    g.1 = Some(w);
                }
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// A figure is withheld with the column, score or subgroup it is computed from.
fn withhold_figures(
    results: &mut Results,
    basis: &Basis,
    columns: &[FamilyDecision],
    scores: &[FamilyDecision],
    k: u64,
) {
    let given_of = |d: &FamilyDecision, g: &Compiled| -> Option<Withheld> {
        d.givens
            .iter()
            .find(|(x, _)| x == g)
            .map_or(Some(Withheld::Breakdown { k }), |(_, w)| *w)
    };
    let mut figure_withheld: HashMap<&str, Withheld> = HashMap::new();
    for (id, source) in &basis.figures {
        let w = match source {
            Source::Column { column, given } => columns[*column]
                .total
                .or_else(|| given.and_then(|g| given_of(&columns[*column], &g))),
            Source::Score(s) => scores[*s].total,
            Source::AllScores => {
                let n = basis.derived_bases.get(id).copied().unwrap_or(0);
                (n > 0 && n < k).then_some(Withheld::FewerThanK { k })
            }
            Source::MinRate {
                scores: listed,
                given,
            } => listed.iter().find_map(|&s| {
                scores[s]
                    .total
                    .or_else(|| given.and_then(|g| given_of(&scores[s], &g)))
            }),
            Source::Rows(cols) => cols
                .iter()
                .any(|&c| columns[c].total.is_some())
                .then_some(Withheld::DependsOnWithheld { k }),
        };
        if let Some(w) = w {
            figure_withheld.entry(id.as_str()).or_insert(w);
        }
    }
    for (id, f) in results.figures.iter_mut() {
        if let Some(w) = figure_withheld.get(id.as_str()) {
            f.data = Disclosed::Withheld(*w);
        }
    }
}

/// Where a figure subgroup sits in a family: its row, banner and the codes it takes; `None` when
/// it is not over a banner column (it cannot be audited and is withheld).
type GivenRow = Option<(usize, usize, u64)>;

/// The family's rows (the total, each banner's groups when `banner_rows`, each subgroup) and its
/// atoms, with the first row of each banner and the subgroups' rows.
fn family_of(
    basis: &Basis,
    banners: &[usize],
    counts_at: usize,
    banner_rows: bool,
    givens: &[Compiled],
) -> (Family, Vec<usize>, Vec<GivenRow>) {
    let mut first_row = Vec::with_capacity(banners.len());
    let mut rows = 1usize;
    if banner_rows {
        for &g in banners {
            first_row.push(rows);
            rows += g;
        }
    }
    // Subgroups over a banner column become rows; others cannot be audited and are withheld.
    let given_rows: Vec<GivenRow> = givens
        .iter()
        .map(|g| {
            let bi = basis.banner_columns.iter().position(|&b| b == g.column)?;
            let row = rows;
            rows += 1;
            Some((row, bi, g.mask))
        })
        .collect();
    let atoms: Vec<Atom> = basis
        .atoms
        .iter()
        .map(|(key, a)| {
            let mut member: Vec<u32> = Vec::with_capacity(banners.len() + givens.len());
            if banner_rows {
                for (bi, &code) in key.iter().enumerate() {
                    let g = group_of_len(code, banners[bi]);
                    member.push(crate::num::saturate::<u32, _>(first_row[bi] + g));
                }
            }
            for &(row, bi, mask) in given_rows.iter().flatten() {
                let code = key[bi];
                if code != super::tally::UNKNOWN && code < 64 && mask & (1u64 << code) != 0 {
                    member.push(crate::num::saturate::<u32, _>(row));
                }
            }
            Atom {
                u: a[0] as u64,
                s: a[counts_at] as u64,
                rows: member,
            }
        })
        .collect();
    (Family { rows, atoms }, first_row, given_rows)
}

/// Builds one family (the total, each banner's groups when `banner_rows`, each figure subgroup)
/// over the atoms, with the respondents who have the variable at `counts_at`, and audits it.
#[allow(
    clippy::too_many_arguments,
    reason = "one recursive step of the search; a struct would only rename them"
)]
fn family_decision(
    basis: &Basis,
    banners: &[usize],
    counts_at: usize,
    banner_rows: bool,
    givens: &[Compiled],
    k: u64,
    budget: u64,
    memo: &mut HashMap<Family, Vec<Decision>>,
) -> FamilyDecision {
    let (family, first_row, given_rows) = family_of(basis, banners, counts_at, banner_rows, givens);
    let decisions = match memo.get(&family) {
        Some(d) => d.clone(),
        None => {
            let d = audit::protect(&family, k, budget);
            memo.insert(family, d.clone());
            d
        }
    };
    let groups = if banner_rows {
        banners
            .iter()
            .enumerate()
            .map(|(bi, &n)| {
                (0..n)
                    .map(|g| reason(decisions[first_row[bi] + g], k))
                    .collect()
            })
            .collect()
    } else {
        banners
            .iter()
            .map(|&n| vec![Some(Withheld::Breakdown { k }); n])
            .collect()
    };
    FamilyDecision {
        total: reason(decisions[0], k),
        groups,
        givens: givens
            .iter()
            .zip(&given_rows)
            .map(|(g, r)| {
                (
                    *g,
                    match r {
                        Some((row, _, _)) => reason(decisions[*row], k),
                        None => Some(Withheld::Breakdown { k }),
                    },
                )
            })
            .collect(),
    }
}

/// The group of a code for a banner known only by its number of groups (codes + unknown).
fn group_of_len(code: u16, groups: usize) -> usize {
    let unknown = groups - 1;
    if code == super::tally::UNKNOWN || code as usize >= unknown {
        unknown
    } else {
        code as usize
    }
}

fn withhold_all(results: &mut Results, w: Withheld) {
    for q in &mut results.questions {
        for r in &mut q.rows {
            r.data = Disclosed::Withheld(w);
        }
        if let Some(n) = q.number.as_mut() {
            *n = Disclosed::Withheld(w);
        }
    }
    for f in results.figures.values_mut() {
        f.data = Disclosed::Withheld(w);
    }
    for s in &mut results.scores {
        s.data = Disclosed::Withheld(w);
    }
    for per_banner in &mut results.breakdowns.tables {
        for t in per_banner {
            t.withheld.fill(Some(w));
        }
    }
    results.crosstabs.clear();
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
}
