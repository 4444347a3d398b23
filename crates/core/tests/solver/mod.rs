//! An independent derivation solver for the disclosure tests.
//!
//! It knows nothing of the audit's atoms or banners: it reads what a view publishes (as an
//! adversary would), writes every published number as a sum of one variable over a set of
//! respondents (per-respondent unknowns: "answered Q", "chose c at Q", "score > 0", …), and asks,
//! per variable, whether some linear combination of the published sums isolates 1..k−1
//! respondents of the variable's base. Arithmetic is exact (integers, fraction-free elimination
//! with checked i128 operations: an overflow fails the test instead of answering wrongly).
//! Respondents whose columns in a variable's equations are identical cannot be told apart by any
//! combination, so they are grouped into classes found from the equations themselves; a depth-
//! first search over classes of fewer than k respondents looks for a set whose removal drops the
//! rank (monotone, so a branch stops when even removing everything it could still add does not).

use std::collections::{BTreeMap, HashMap};

/// Published sums, per variable: the sets (respondent indicators) it is published over and the
/// base within which a support counts.
#[derive(Debug, Default)]
pub struct Publication {
    pub vars: BTreeMap<String, Var>,
}

#[derive(Debug, Default, Clone)]
pub struct Var {
    pub base: Vec<bool>,
    pub sets: Vec<Vec<bool>>,
}

/// A derivation: the variable and the respondents it isolates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivation {
    pub var: String,
    pub respondents: Vec<usize>,
}

impl Publication {
    /// Records Σ_{r ∈ set} var_r as published.
    pub fn publish(&mut self, var: &str, base: &[bool], set: Vec<bool>) {
        let v = self.vars.entry(var.to_string()).or_insert_with(|| Var {
            base: base.to_vec(),
            sets: Vec::new(),
        });
        if !v.sets.contains(&set) {
            v.sets.push(set);
        }
    }

    /// Whether some combination of the sums published for `var` is nonzero on exactly (a subset
    /// of) these respondents of its base.
    pub fn isolates(&self, var: &str, respondents: &[usize]) -> bool {
        let Some(v) = self.vars.get(var) else {
            return false;
        };
        let members: Vec<usize> = (0..v.base.len()).filter(|&r| v.base[r]).collect();
        let matrix = |skip: &dyn Fn(usize) -> bool| -> Vec<Vec<i128>> {
            v.sets
                .iter()
                .map(|s| {
                    members
                        .iter()
                        .filter(|&&r| !skip(r))
                        .map(|&r| i128::from(s[r]))
                        .collect()
                })
                .collect()
        };
        rank(&matrix(&|_| false)) > rank(&matrix(&|r| respondents.contains(&r)))
    }

    /// Every variable with a derivation isolating 1..k−1 respondents (one per variable).
    pub fn derivations(&self, k: usize) -> Vec<Derivation> {
        self.vars
            .iter()
            .filter_map(|(name, v)| {
                isolate(v, k).map(|respondents| Derivation {
                    var: name.clone(),
                    respondents,
                })
            })
            .collect()
    }
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Rank over the rationals of an integer matrix, by fraction-free elimination with each row
/// divided by the gcd of its entries.
pub fn rank(rows: &[Vec<i128>]) -> usize {
    let mut m: Vec<Vec<i128>> = rows.to_vec();
    let cols = m.first().map_or(0, Vec::len);
    let mut r = 0;
    for c in 0..cols {
        let Some(p) = (r..m.len()).find(|&i| m[i][c] != 0) else {
            continue;
        };
        m.swap(r, p);
        for i in 0..m.len() {
            if i == r || m[i][c] == 0 {
                continue;
            }
            let (a, b) = (m[r][c], m[i][c]);
            let pivot = m[r].clone();
            let mut g = 0;
            for (x, &y) in m[i].iter_mut().zip(&pivot) {
                *x = x
                    .checked_mul(a)
                    .and_then(|x| x.checked_sub(y.checked_mul(b)?))
                    .expect("exact arithmetic overflowed");
                g = gcd(g, *x);
            }
            if g > 1 {
                for x in m[i].iter_mut() {
                    *x /= g;
                }
            }
        }
        r += 1;
    }
    r
}

/// Respondents of a variable's base isolated by some combination of its published sums.
fn isolate(v: &Var, k: usize) -> Option<Vec<usize>> {
    let members: Vec<usize> = (0..v.base.len()).filter(|&r| v.base[r]).collect();
    if members.is_empty() || v.sets.is_empty() {
        return None;
    }
    // Classes of respondents with identical columns.
    let mut classes: Vec<(Vec<bool>, Vec<usize>)> = Vec::new();
    let mut index: HashMap<Vec<bool>, usize> = HashMap::new();
    for &r in &members {
        let col: Vec<bool> = v.sets.iter().map(|s| s[r]).collect();
        match index.get(&col) {
            Some(&i) => classes[i].1.push(r),
            None => {
                index.insert(col.clone(), classes.len());
                classes.push((col, vec![r]));
            }
        }
    }
    let matrix = |skip: &[bool]| -> Vec<Vec<i128>> {
        (0..v.sets.len())
            .map(|i| {
                classes
                    .iter()
                    .enumerate()
                    .filter(|(c, _)| !skip[*c])
                    .map(|(_, (col, _))| i128::from(col[i]))
                    .collect()
            })
            .collect()
    };
    let none = vec![false; classes.len()];
    let full = rank(&matrix(&none));
    let small: Vec<usize> = (0..classes.len())
        .filter(|&c| classes[c].1.len() < k)
        .collect();
    let mut found = None;
    dfs(
        &classes,
        &small,
        0,
        &mut Vec::new(),
        0,
        k,
        full,
        &matrix,
        &mut found,
    );
    found.map(|t: Vec<usize>| {
        let mut r: Vec<usize> = t.iter().flat_map(|&c| classes[c].1.clone()).collect();
        r.sort_unstable();
        r
    })
}

#[allow(
    clippy::too_many_arguments,
    reason = "one recursive step of the solver"
)]
fn dfs(
    classes: &[(Vec<bool>, Vec<usize>)],
    small: &[usize],
    from: usize,
    chosen: &mut Vec<usize>,
    weight: usize,
    k: usize,
    full: usize,
    matrix: &dyn Fn(&[bool]) -> Vec<Vec<i128>>,
    found: &mut Option<Vec<usize>>,
) {
    if found.is_some() {
        return;
    }
    let drops = |set: &[usize]| {
        let mut skip = vec![false; classes.len()];
        for &c in set {
            skip[c] = true;
        }
        rank(&matrix(&skip)) < full
    };
    if !chosen.is_empty() && drops(chosen) {
        *found = Some(chosen.clone());
        return;
    }
    let addable: Vec<usize> = small[from..]
        .iter()
        .copied()
        .filter(|&c| weight + classes[c].1.len() < k)
        .collect();
    if addable.is_empty() {
        return;
    }
    let all: Vec<usize> = chosen.iter().chain(&addable).copied().collect();
    if !drops(&all) {
        return;
    }
    for (i, &c) in small.iter().enumerate().skip(from) {
        if weight + classes[c].1.len() >= k {
            continue;
        }
        chosen.push(c);
        dfs(
            classes,
            small,
            i + 1,
            chosen,
            weight + classes[c].1.len(),
            k,
            full,
            matrix,
            found,
        );
        chosen.pop();
        if found.is_some() {
            return;
        }
    }
}
