//! The linked-table audit behind the disclosure rule.
//!
//! One *family* is everything published about one variable base: a question (or grid row, score)
//! is published as sums over its total and over the groups of every breakdown (banner) and every
//! figure subgroup. Respondents fall into *atoms*, the cells of the common refinement of all
//! banners: every published row is a union of atoms, so an adversary who combines the published
//! numbers linearly obtains sums Σ v_a·x_a with v in the row space of the row × atom incidence
//! matrix M, and nothing else (by linearity; see the threat model in docs/surveys.md).
//!
//! A *leak* is a nonzero v in that row space whose support holds 1..k−1 respondents. Because v is
//! constant on atoms, a set T of atoms supports such a v exactly when rank(M) > rank(M without
//! the columns of T). Atoms of at least k respondents can never be in a leak's support, so the
//! search is in V = {v in the row space : v = 0 on every big atom} — usually {0} (checked by one
//! exact rank comparison), otherwise a small space searched by branching on atoms.
//!
//! Two weights are audited over the same rows: *s*, the respondents who answered (their answers
//! are the unknowns), and *u*, the respondents of the round (whether they answered is itself an
//! answer: routing, skipping).
//!
//! [`protect`] withholds every row of fewer than k respondents (primary suppression), then, while
//! the audit finds a leak, one more row (secondary suppression: the row whose removal breaks the
//! leak at the least loss of respondents, ties by position, so the result is deterministic). If
//! the search runs out of its work budget the breakdown is withheld entirely, which is always safe:
//! the total alone (k or more respondents) is left.

use std::collections::HashMap;

use super::modp;

/// One atom of a family: a cell of the common refinement of the banners.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Atom {
    /// Respondents of the round in this atom.
    pub u: u64,
    /// Respondents in this atom who are in the base (answered).
    pub s: u64,
    /// The candidate rows (besides the total, row 0) that contain this atom, ascending.
    pub rows: Vec<u32>,
}

/// The published rows about one base: row 0 is the total, rows 1.. are groups and subgroups.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Family {
    pub rows: usize,
    pub atoms: Vec<Atom>,
}

/// What the rule decided for a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    Shown,
    /// Fewer than k respondents (or, for the total, the whole variable is withheld).
    Small,
    /// Withheld so that no smaller group can be derived (secondary suppression).
    Complementary,
    /// The audit ran out of its work budget: the breakdown is withheld entirely.
    Fallback,
}

/// Search nodes allowed per family before the breakdown is withheld entirely.
pub const DEFAULT_BUDGET: u64 = 200_000;

/// A leak found by the audit.
#[derive(Debug, Clone, PartialEq)]
pub struct Leak {
    /// Indices (into the atoms given) of the support.
    pub atoms: Vec<usize>,
    /// Coefficients per row given (mod the prime used): the combination that isolates them.
    pub rows: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Audit {
    Clean,
    Leak(Leak),
    /// The work budget ran out before the search finished.
    Exhausted,
}

/// Atoms with identical membership merged: (weight, rows, original indices).
fn merge(cols: &[(u64, Vec<usize>)]) -> Vec<(u64, Vec<usize>, Vec<usize>)> {
    let mut index: HashMap<&[usize], usize> = HashMap::new();
    let mut out: Vec<(u64, Vec<usize>, Vec<usize>)> = Vec::new();
    for (i, (w, rows)) in cols.iter().enumerate() {
        if *w == 0 {
            continue;
        }
        match index.get(rows.as_slice()) {
            Some(&j) => {
                out[j].0 += w;
                out[j].2.push(i);
            }
            None => {
                index.insert(rows.as_slice(), out.len());
                out.push((*w, rows.clone(), vec![i]));
            }
        }
    }
    out
}

/// Whether some nonzero vector in the row space of the `r` rows over the atoms `cols` (weight,
/// rows containing the atom) has a support of 1..k−1 weight. Exact: ranks over the rationals (see
/// [`modp`]); the branching runs modulo a prime at which the matrix and its big-atom part have
/// their rational ranks, so every rational leak is found there (a spurious one could only make the
/// rule withhold more).
pub fn find_leak(cols: &[(u64, Vec<usize>)], r: usize, k: u64, budget: &mut u64) -> Audit {
    let merged = merge(cols);
    let big: Vec<&[usize]> = merged
        .iter()
        .filter(|m| m.0 >= k)
        .map(|m| m.1.as_slice())
        .collect();
    let small: Vec<usize> = (0..merged.len()).filter(|&i| merged[i].0 < k).collect();
    let small_cols: Vec<&[usize]> = small.iter().map(|&i| merged[i].1.as_slice()).collect();
    let (r_big, r_all, _) = modp::exact_ranks(&big, &small_cols, r, false);
    if r_big == r_all {
        return Audit::Clean;
    }
    let (_, _, per_prime) = modp::exact_ranks(&big, &small_cols, r, true);
    let p = per_prime
        .iter()
        .find(|&&(_, a, b)| a == r_big && b == r_all)
        .map_or(per_prime[0].0, |x| x.0);
    // y with y·M = 0 on every big atom: orthogonal to the span of the big atoms' columns.
    let mut span = modp::Span::new(r, p);
    for c in &big {
        span.insert(c);
    }
    let ns = modp::null_space(&span.basis, r, p);
    let l = small.len();
    let mut aug: Vec<Vec<u64>> = ns
        .iter()
        .map(|y| {
            let mut row: Vec<u64> = small_cols
                .iter()
                .map(|c| c.iter().fold(0u64, |acc, &i| modp::add(acc, y[i], p)))
                .collect();
            row.extend_from_slice(y);
            row
        })
        .collect();
    let rank = modp::reduce(&mut aug, l, p).len();
    aug.truncate(rank);
    let weights: Vec<u64> = small.iter().map(|&a| merged[a].0).collect();
    let mut committed = vec![false; l];
    match search(&mut aug, &mut committed, 0, &weights, k, l, p, budget) {
        Err(()) => Audit::Exhausted,
        Ok(None) => Audit::Clean,
        Ok(Some(v)) => {
            let mut atoms: Vec<usize> = (0..l)
                .filter(|&j| v[j] != 0)
                .flat_map(|j| merged[small[j]].2.iter().copied())
                .collect();
            atoms.sort_unstable();
            Audit::Leak(Leak {
                atoms,
                rows: v[l..].to_vec(),
            })
        }
    }
}

/// Branches on atoms: an atom is either in the support (its weight is spent) or forced to zero
/// (the space loses a dimension). Succeeds when every atom still nonzero somewhere is in the
/// support: any remaining vector is then a leak.
#[allow(
    clippy::too_many_arguments,
    reason = "one recursive step of the search; a struct would only rename them"
)]
fn search(
    v: &mut Vec<Vec<u64>>,
    committed: &mut [bool],
    spent: u64,
    weights: &[u64],
    k: u64,
    l: usize,
    p: u64,
    budget: &mut u64,
) -> Result<Option<Vec<u64>>, ()> {
    if *budget == 0 {
        return Err(());
    }
    *budget -= 1;
    if v.is_empty() {
        return Ok(None);
    }
    let pick = (0..l)
        .filter(|&j| !committed[j] && v.iter().any(|row| row[j] != 0))
        .max_by_key(|&j| (weights[j], std::cmp::Reverse(j)));
    let Some(j) = pick else {
        return Ok(Some(v[0].clone()));
    };
    if spent + weights[j] < k {
        committed[j] = true;
        let found = search(v, committed, spent + weights[j], weights, k, l, p, budget);
        committed[j] = false;
        if let Ok(None) = found {
        } else {
            return found;
        }
    }
    // v_j = 0: eliminate column j with one row and drop that row.
    let mut w = v.clone();
    let i = w.iter().position(|row| row[j] != 0).unwrap_or(0);
    let pivot = w.swap_remove(i);
    let f = modp::inv(pivot[j], p);
    for row in w.iter_mut() {
        let c = modp::mul(row[j], f, p);
        if c != 0 {
            for (x, &y) in row.iter_mut().zip(&pivot) {
                *x = modp::sub(*x, modp::mul(c, y, p), p);
            }
        }
    }
    search(&mut w, committed, spent, weights, k, l, p, budget)
}

/// Whether the atoms `t` (indices into `cols`, ascending) support a nonzero vector of the row
/// space of the rows marked in `keep`: rank(M) > rank(M without t), exactly.
fn still_leaks(cols: &[(u64, Vec<usize>)], r: usize, keep: &[bool], t: &[usize]) -> bool {
    let kept = |c: &Vec<usize>| -> Vec<usize> { c.iter().copied().filter(|&i| keep[i]).collect() };
    let outside: Vec<Vec<usize>> = cols
        .iter()
        .enumerate()
        .filter(|(i, c)| c.0 > 0 && t.binary_search(i).is_err())
        .map(|(_, c)| kept(&c.1))
        .collect();
    let inside: Vec<Vec<usize>> = t
        .iter()
        .filter(|&&i| cols[i].0 > 0)
        .map(|&i| kept(&cols[i].1))
        .collect();
    let o: Vec<&[usize]> = outside.iter().map(Vec::as_slice).collect();
    let n: Vec<&[usize]> = inside.iter().map(Vec::as_slice).collect();
    let (r_out, r_all, _) = modp::exact_ranks(&o, &n, r, false);
    r_all > r_out
}

/// Decides which rows of a family are shown under threshold k.
pub fn protect(family: &Family, k: u64, budget: u64) -> Vec<Decision> {
    let n = family.rows;
    let mut s_row = vec![0u64; n];
    let mut u_row = vec![0u64; n];
    for a in &family.atoms {
        s_row[0] += a.s;
        u_row[0] += a.u;
        for &g in &a.rows {
            s_row[g as usize] += a.s;
            u_row[g as usize] += a.u;
        }
    }
    let small = |x: u64| x > 0 && x < k;
    if small(s_row[0]) || small(u_row[0]) {
        return vec![Decision::Small; n];
    }
    let mut out = vec![Decision::Shown; n];
    for g in 1..n {
        if small(s_row[g]) || small(u_row[g]) {
            out[g] = Decision::Small;
        }
    }
    let mut budget = budget;
    'outer: loop {
        let shown: Vec<usize> = (0..n).filter(|&g| out[g] == Decision::Shown).collect();
        let compact: HashMap<usize, usize> =
            shown.iter().enumerate().map(|(i, &g)| (g, i)).collect();
        for weight in [|a: &Atom| a.u, |a: &Atom| a.s] {
            let cols: Vec<(u64, Vec<usize>)> = family
                .atoms
                .iter()
                .map(|a| {
                    let mut rows = vec![0usize];
                    rows.extend(
                        a.rows
                            .iter()
                            .filter_map(|&g| compact.get(&(g as usize)).copied()),
                    );
                    (weight(a), rows)
                })
                .collect();
            match find_leak(&cols, shown.len(), k, &mut budget) {
                Audit::Clean => {}
                Audit::Exhausted => {
                    for d in out.iter_mut().skip(1) {
                        if *d == Decision::Shown {
                            *d = Decision::Fallback;
                        }
                    }
                    return out;
                }
                Audit::Leak(leak) => {
                    let mut candidates: Vec<usize> =
                        (1..shown.len()).filter(|&i| leak.rows[i] != 0).collect();
                    candidates.sort_by_key(|&i| (s_row[shown[i]], u_row[shown[i]], shown[i]));
                    let kills = candidates.iter().copied().find(|&i| {
                        let mut keep = vec![true; shown.len()];
                        keep[i] = false;
                        !still_leaks(&cols, shown.len(), &keep, &leak.atoms)
                    });
                    match kills.or(candidates.first().copied()) {
                        Some(i) => out[shown[i]] = Decision::Complementary,
                        None => {
                            // Only the total is involved: cannot happen with a total of k or more,
                            // but stay safe.
                            for d in out.iter_mut().skip(1) {
                                if *d == Decision::Shown {
                                    *d = Decision::Fallback;
                                }
                            }
                            return out;
                        }
                    }
                    continue 'outer;
                }
            }
        }
        return out;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A family with one banner of groups of the given sizes (everyone answered).
    fn one_banner(sizes: &[u64]) -> Family {
        Family {
            rows: sizes.len() + 1,
            atoms: sizes
                .iter()
                .enumerate()
                .map(|(i, &n)| Atom {
                    u: n,
                    s: n,
                    rows: vec![crate::num::saturate::<u32, _>(i) + 1],
                })
                .collect(),
        }
    }

    fn hidden(d: &[Decision]) -> Vec<usize> {
        (1..d.len()).filter(|&i| d[i] != Decision::Shown).collect()
    }

    #[test]
    fn one_small_group_takes_the_smallest_other_with_it() {
        let d = protect(&one_banner(&[4, 10, 12]), 5, DEFAULT_BUDGET);
        assert_eq!(d[1], Decision::Small);
        assert_eq!(d[2], Decision::Complementary);
        assert_eq!(d[3], Decision::Shown);
    }

    #[test]
    fn several_small_groups_whose_sum_is_below_k_take_another_with_them() {
        // The old rule's "two small groups hide each other" ([1, 2, 12]): their sum, 3, was the
        // total minus the visible 12, so the 12 goes too.
        let d = protect(&one_banner(&[1, 2, 12]), 5, DEFAULT_BUDGET);
        assert_eq!(
            d,
            vec![
                Decision::Shown,
                Decision::Small,
                Decision::Small,
                Decision::Complementary
            ]
        );
        // 1 + 2 = 3 < 5 would be total − 12 − 20: the next smallest group goes too.
        let d = protect(&one_banner(&[1, 2, 12, 20]), 5, DEFAULT_BUDGET);
        assert_eq!(hidden(&d), vec![1, 2, 3]);
        assert_eq!(d[3], Decision::Complementary);
        // 4 + 3 = 7 ≥ 5: hiding both is enough.
        assert_eq!(
            hidden(&protect(&one_banner(&[4, 3, 12]), 5, DEFAULT_BUDGET)),
            vec![1, 2]
        );
        // Groups of k or more are shown.
        assert!(hidden(&protect(&one_banner(&[5, 6]), 5, DEFAULT_BUDGET)).is_empty());
    }

    #[test]
    fn a_small_total_withholds_everything() {
        let d = protect(&one_banner(&[1, 2]), 5, DEFAULT_BUDGET);
        assert!(d.iter().all(|x| *x == Decision::Small));
    }

    #[test]
    fn two_banners_cannot_be_differenced() {
        // Industry X = {a(1), b(9)}, Y = {c(9), d(6)}; size small = {a, c}, large = {b, d}.
        // X − large + (d) …: X + small − total = a − d has support 1 + 6 = 7, fine; but with
        // d of size 2 the atoms a and d leak: X + small − total = a − d (weight 3).
        let fam = Family {
            rows: 5,
            atoms: vec![
                Atom {
                    u: 1,
                    s: 1,
                    rows: vec![1, 3],
                },
                Atom {
                    u: 9,
                    s: 9,
                    rows: vec![1, 4],
                },
                Atom {
                    u: 9,
                    s: 9,
                    rows: vec![2, 3],
                },
                Atom {
                    u: 2,
                    s: 2,
                    rows: vec![2, 4],
                },
            ],
        };
        let cols: Vec<(u64, Vec<usize>)> = fam
            .atoms
            .iter()
            .map(|a| {
                let mut r = vec![0];
                r.extend(a.rows.iter().map(|&x| x as usize));
                (a.s, r)
            })
            .collect();
        let mut budget = DEFAULT_BUDGET;
        match find_leak(&cols, 5, 5, &mut budget) {
            Audit::Leak(l) => assert_eq!(l.atoms, vec![0, 3]),
            other => panic!("{other:?}"),
        }
        // Every group has 10 or 11: none is small, but one must go.
        let d = protect(&fam, 5, DEFAULT_BUDGET);
        assert!(!hidden(&d).is_empty());
        assert!(d.iter().all(|x| *x != Decision::Small));
    }

    #[test]
    fn the_unanswered_count_is_protected_too() {
        // A group of 7 where 6 answered and a group of 3 where 0 answered: "0 of 3" is an answer.
        let fam = Family {
            rows: 4,
            atoms: vec![
                Atom {
                    u: 7,
                    s: 6,
                    rows: vec![1],
                },
                Atom {
                    u: 3,
                    s: 0,
                    rows: vec![2],
                },
                Atom {
                    u: 20,
                    s: 20,
                    rows: vec![3],
                },
            ],
        };
        let d = protect(&fam, 5, DEFAULT_BUDGET);
        assert_eq!(d[2], Decision::Small);
        assert_eq!(d[1], Decision::Complementary);
        assert_eq!(d[3], Decision::Shown);
    }

    #[test]
    fn an_exhausted_budget_withholds_the_breakdown() {
        let d = protect(&one_banner(&[1, 2, 12, 20]), 5, 1);
        assert_eq!(d[0], Decision::Shown);
        assert!(d[1..].iter().all(|x| *x != Decision::Shown));
    }
}
