//! Synthetic respondents whose answers follow a baseline: every figure the instrument computes
//! comes out at its published value (exactly, to 0.1 point, at the published sample size;
//! proportionally at any other size), "top" answers stay on top, routing is respected, and
//! scores and derived figures (activity groups, SC3 comparison, qualitative statements) hold.
//! For demos, training and benchmarks. Respondents are generated in blocks, so memory stays
//! bounded for any size.

use std::collections::HashMap;

use crate::baseline::{Baseline, Unit};
use crate::format::round1;
use crate::instrument::DerivedRule;

use super::rng::Rng;
use super::schema::{Kind, Schema, Value};
use super::tally::Plan;

/// Respondents generated together (each block reproduces the targets on its own).
pub const BLOCK: usize = 20_000;

/// Canned free-text answers (our own words) for text questions.
pub const TEXTS: [&str; 6] = [
    "専任の担当者がおらず、設備保全の担当者が兼務している",
    "取引先から対策状況の確認を求められることが増えた",
    "制御機器の更新時期に合わせて対策を進めたい",
    "業界団体の勉強会で情報を得ている",
    "リモート保守の接続方法を見直す予定",
    "特になし",
];

/// One figure constraint on a column.
#[derive(Debug, Clone)]
struct Target {
    mask: u64,
    /// Percent (0–100) or, for counts, respondents at the baseline's sample size.
    value: f64,
    unit: Unit,
    top: bool,
    given: Option<super::schema::Compiled>,
    /// Approximate figure: aim for the value, exactness not needed.
    approx: bool,
}

/// Generates `n` respondents, calling `emit` with each one's values (indexed by column).
/// `text` receives the text answers of each emitted respondent, by column.
pub fn simulate(
    schema: &Schema,
    plan: &Plan,
    baseline: &Baseline,
    n: usize,
    seed: u64,
    mut emit: impl FnMut(&[Value], &[Option<&'static str>]),
) {
    let inst = schema.instrument;
    let reference_n = baseline
        .surveys
        .iter()
        .find(|s| s.id == inst.survey)
        .and_then(|s| s.valid_responses)
        .unwrap_or(crate::num::saturate::<u32, _>(n))
        .max(1) as f64;
    let targets = targets(schema, plan, baseline);
    let mut rng = Rng::new(seed);
    let mut done = 0;
    while done < n {
        let m = (n - done).min(BLOCK);
        let (values, texts) = block(schema, plan, baseline, &targets, m, reference_n, &mut rng);
        let mut row = vec![Value::Missing; schema.columns.len()];
        let mut row_text = vec![None; schema.columns.len()];
        for r in 0..m {
            for c in 0..schema.columns.len() {
                row[c] = values[c][r];
                row_text[c] = texts[c][r];
            }
            emit(&row, &row_text);
        }
        done += m;
    }
}

fn targets(schema: &Schema, plan: &Plan, baseline: &Baseline) -> HashMap<usize, Vec<Target>> {
    let mut out: HashMap<usize, Vec<Target>> = HashMap::new();
    for f in &plan.figures {
        let Some(fig) = baseline.figure(&f.id) else {
            continue;
        };
        out.entry(f.column).or_default().push(Target {
            mask: f.mask,
            value: fig.value,
            unit: fig.unit,
            top: fig.rank.as_deref() == Some("top") && f.mask.count_ones() == 1,
            given: f.given,
            approx: fig.approx || f.element.is_some(),
        });
    }
    let _ = schema;
    out
}

/// How many of `base` to hit so the percentage rounds to `value`, if possible.
fn exact_hits(value: f64, base: usize) -> Option<usize> {
    let k = crate::num::trunc_usize((value / 100.0 * base as f64).round());
    [k, k.saturating_sub(1), k + 1]
        .into_iter()
        .find(|&k| k <= base && base > 0 && round1(100.0 * k as f64 / base as f64) == round1(value))
}

/// The largest answering count ≤ `most` at which every percent target is exact.
fn representable(targets: &[Target], most: usize) -> usize {
    let percents: Vec<f64> = targets
        .iter()
        .filter(|t| t.unit == Unit::Percent && t.given.is_none() && !t.approx)
        .map(|t| t.value)
        .collect();
    (most.saturating_sub(40)..=most)
        .rev()
        .find(|&a| percents.iter().all(|v| exact_hits(*v, a).is_some()))
        .unwrap_or(most)
}

#[allow(
    clippy::type_complexity,
    reason = "a table of closures read once, next to its use"
)]
#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
fn block(
    schema: &Schema,
    plan: &Plan,
    baseline: &Baseline,
    targets: &HashMap<usize, Vec<Target>>,
    m: usize,
    reference_n: f64,
    rng: &mut Rng,
) -> (Vec<Vec<Value>>, Vec<Vec<Option<&'static str>>>) {
    let ncols = schema.columns.len();
    let mut values = vec![vec![Value::Missing; m]; ncols];
    let mut texts = vec![vec![None; m]; ncols];
    let scale = m as f64 / reference_n;
    let count_of = |t: &Target, base: usize| -> usize {
        match t.unit {
            Unit::Count => crate::num::trunc_usize((t.value * scale).round()).min(base),
            Unit::Percent => exact_hits(t.value, base).unwrap_or(crate::num::trunc_usize(
                ((t.value / 100.0) * base as f64).round(),
            )),
        }
    };
    // Columns that a min_rate figure takes its subgroup from: give the subgroup a size at which
    // the rate is exact.
    let mut subgroup_sizes: HashMap<(usize, u64), (f64, usize)> = HashMap::new();
    for (d, inst_d) in plan.derived.iter().zip(&schema.instrument.derived) {
        if d.rule == DerivedRule::MinRate
            && let (Some(g), Some(fig)) = (d.given, baseline.figure(&inst_d.id))
        {
            subgroup_sizes.insert((g.column, g.mask), (fig.value, 0));
        }
    }
    // rows_not_below with a published 0: the reference row high, the listed rows low.
    let mut row_share: HashMap<usize, f64> = HashMap::new();
    for d in &plan.derived {
        if d.rule == DerivedRule::RowsNotBelow {
            if let Some(r) = d.reference {
                row_share.insert(r, 0.65);
            }
            for &c in &d.rows {
                row_share.insert(c, 0.22);
            }
        }
    }
    let score_columns: Vec<usize> = plan
        .scores
        .iter()
        .flat_map(|s| s.parts.iter().map(|p| p.0))
        .collect();

    for c in 0..ncols {
        let col = &schema.columns[c];
        if col.question.is_none() {
            continue;
        }
        let eligible: Vec<usize> = (0..m)
            .filter(|&r| {
                col.show_if.is_none_or(|cond| {
                    let v = values[cond.column][r];
                    v.hits(cond.mask)
                })
            })
            .collect();
        let ts: &[Target] = targets.get(&c).map(Vec::as_slice).unwrap_or(&[]);
        // Who answers: everyone eligible for small counts-based surveys and stated bases;
        // otherwise a few skip, as in the 2022 survey (n between 386 and 396 of 397).
        let stated_n = ts.iter().find_map(|t| {
            t.unit.eq(&Unit::Percent).then_some(())?;
            baseline_n_for(baseline, plan, c)
        });
        let answering_count = if let Some(stated) = stated_n {
            crate::num::trunc_usize((stated as f64 * scale).round()).min(eligible.len())
        } else if ts.iter().any(|t| t.unit == Unit::Count) || col.kind == Kind::Text {
            eligible.len()
        } else {
            let drop = crate::num::trunc_usize(
                (eligible.len() as f64 * (0.003 + 0.02 * rng.unit())).round(),
            );
            representable(ts, eligible.len().saturating_sub(drop))
        };
        let mut answering = eligible.clone();
        rng.shuffle(&mut answering);
        answering.truncate(answering_count);
        // A subgroup figure needs a subgroup size at which its percentage is exact: some of the
        // subgroup skip the question, and the total stays exact for the other figures.
        if let Some(t) = ts
            .iter()
            .find(|t| t.given.is_some() && t.unit == Unit::Percent)
            && let Some(g) = t.given
        {
            let (mut inside, mut outside): (Vec<usize>, Vec<usize>) = eligible
                .iter()
                .copied()
                .partition(|&r| values[g.column][r].hits(g.mask));
            rng.shuffle(&mut inside);
            rng.shuffle(&mut outside);
            if let Some(keep) = (inside.len().saturating_sub(40)..=inside.len())
                .rev()
                .find(|&k| exact_hits(t.value, k).is_some())
            {
                let others: Vec<Target> =
                    ts.iter().filter(|x| x.given.is_none()).cloned().collect();
                let total = representable(
                    &others,
                    keep + outside.len().min(answering_count.saturating_sub(keep)),
                );
                answering = inside[..keep]
                    .iter()
                    .chain(&outside[..total.saturating_sub(keep).min(outside.len())])
                    .copied()
                    .collect();
            }
        }
        answering.sort_unstable();
        match col.kind {
            Kind::Single => {
                let counts = single_counts(
                    col.codes.len(),
                    &col.neutral,
                    ts,
                    answering.len(),
                    &count_of,
                    row_share.get(&c).copied(),
                    rng,
                );
                let mut counts = counts;
                if let Some(entry) = subgroup_sizes
                    .iter()
                    .find(|(k, _)| k.0 == c)
                    .map(|(k, v)| (*k, *v))
                {
                    // Make the subgroup (e.g. SC3 members) a size where the published rate is exact.
                    let ((_, mask), (rate, _)) = entry;
                    let code = mask.trailing_zeros() as usize;
                    let want = crate::num::trunc_usize((answering.len() as f64 * 0.26).round());
                    let size = (want.saturating_sub(3)..=want + 3)
                        .find(|&g| exact_hits(rate, g).is_some())
                        .unwrap_or(want);
                    let other = (0..counts.len()).find(|&i| i != code).unwrap_or(code);
                    let total: usize = counts.iter().sum();
                    counts[code] = size.min(total);
                    counts[other] = total - counts[code];
                    for (i, x) in counts.iter_mut().enumerate() {
                        if i != code && i != other {
                            *x = 0;
                        }
                    }
                }
                let mut order = answering.clone();
                rng.shuffle(&mut order);
                let mut it = order.into_iter();
                for (code, &k) in counts.iter().enumerate() {
                    for r in it.by_ref().take(k) {
                        values[c][r] = Value::Code(crate::num::saturate::<u16, _>(code));
                    }
                }
            }
            Kind::Multiple => multiple(schema, c, ts, &answering, &mut values, &count_of, rng),
            Kind::Number => {
                let (lo, hi) = (
                    col.min.unwrap_or(0.0),
                    col.max
                        .unwrap_or(1000.0)
                        .min(col.min.unwrap_or(0.0) + 1000.0),
                );
                for &r in &answering {
                    values[c][r] =
                        Value::Number((lo + (hi - lo) * rng.unit() * rng.unit()).round());
                }
            }
            Kind::Text => {
                // Free text is rarely filled in.
                for &r in &answering {
                    if rng.unit() < 0.08 {
                        let t = TEXTS[rng.below(TEXTS.len())];
                        values[c][r] =
                            Value::Text(crate::num::saturate::<u32, _>(t.chars().count()));
                        texts[c][r] = Some(t);
                    }
                }
            }
        }
        let _ = &score_columns;
    }
    scores(schema, plan, baseline, &mut values, m, scale, rng);
    (values, texts)
}

fn baseline_n_for(baseline: &Baseline, plan: &Plan, column: usize) -> Option<u32> {
    plan.figures
        .iter()
        .filter(|f| f.column == column && f.given.is_none())
        .find_map(|f| baseline.figure(&f.id).and_then(|fig| fig.n))
}

/// Counts per code of a single-choice column, meeting its targets.
fn single_counts(
    codes: usize,
    neutral: &[bool],
    ts: &[Target],
    answering: usize,
    count_of: &dyn Fn(&Target, usize) -> usize,
    share: Option<f64>,
    rng: &mut Rng,
) -> Vec<usize> {
    let mut counts = vec![0usize; codes];
    let mut fixed = vec![false; codes];
    let mut remaining = answering;
    let mut top_cap = usize::MAX;
    if let Some(s) = share {
        // A row whose share of its first code is set (rows_not_below): that code gets it.
        let k = crate::num::trunc_usize((s * answering as f64).round());
        counts[0] = k;
        fixed[0] = true;
        remaining -= k;
    }
    let mut ts: Vec<&Target> = ts.iter().filter(|t| t.given.is_none()).collect();
    ts.sort_by_key(|t| t.mask.count_ones());
    for t in ts {
        let members: Vec<usize> = (0..codes).filter(|i| t.mask & (1u64 << i) != 0).collect();
        let already: usize = members
            .iter()
            .filter(|&&i| fixed[i])
            .map(|&i| counts[i])
            .sum();
        let want = count_of(t, answering)
            .saturating_sub(already)
            .min(remaining);
        let free: Vec<usize> = members.iter().copied().filter(|&i| !fixed[i]).collect();
        if free.is_empty() {
            continue;
        }
        // Split a union over its codes, unevenly but deterministically.
        let mut left = want;
        for (j, &i) in free.iter().enumerate() {
            let part = if j + 1 == free.len() {
                left
            } else {
                crate::num::trunc_usize(((left as f64) * (0.3 + 0.4 * rng.unit())).round())
            };
            counts[i] = part.min(left);
            left -= counts[i];
            fixed[i] = true;
        }
        remaining -= want;
        if t.top {
            top_cap = top_cap.min(want.saturating_sub(1));
        }
    }
    // The rest goes to codes without a target, spread unevenly, never above a "top" answer.
    let free: Vec<usize> = (0..codes).filter(|&i| !fixed[i]).collect();
    if !free.is_empty() {
        let weights: Vec<f64> = free.iter().map(|_| 0.4 + rng.unit()).collect();
        let total: f64 = weights.iter().sum();
        let mut left = remaining;
        for (j, &i) in free.iter().enumerate() {
            let cap = if neutral[i] { usize::MAX } else { top_cap };
            let want = if j + 1 == free.len() {
                left
            } else {
                crate::num::trunc_usize(((remaining as f64) * weights[j] / total).round())
            };
            counts[i] = want.min(left).min(cap);
            left -= counts[i];
        }
        // Whatever the caps left over goes to the least filled free codes.
        while left > 0 {
            let Some(&i) = free
                .iter()
                .filter(|&&i| neutral[i] || counts[i] < top_cap)
                .min_by_key(|&&i| counts[i])
            else {
                break;
            };
            counts[i] += 1;
            left -= 1;
        }
        if left > 0 {
            counts[free[0]] += left;
        }
    } else if remaining > 0 {
        // Every code has a target: put the rest on the last code.
        counts[codes - 1] += remaining;
    }
    counts
}

/// Multiple choice: each option chosen by its target number of respondents.
fn multiple(
    schema: &Schema,
    c: usize,
    ts: &[Target],
    answering: &[usize],
    values: &mut [Vec<Value>],
    count_of: &dyn Fn(&Target, usize) -> usize,
    rng: &mut Rng,
) {
    let col = &schema.columns[c];
    let a = answering.len();
    let mut masks = vec![0u64; a];
    let top_value = ts.iter().filter(|t| t.top).map(|t| count_of(t, a)).max();
    for o in 0..col.codes.len() {
        let bit = 1u64 << o;
        if col.exclusive & bit != 0 {
            continue;
        }
        let own: Vec<&Target> = ts.iter().filter(|t| t.mask == bit).collect();
        let mut chosen = vec![false; a];
        if let Some(g) = own.iter().find(|t| t.given.is_some()) {
            // A subgroup figure: exact within the subgroup, a similar rate outside it.
            let cond = g
                .given
                .unwrap_or(super::schema::Compiled { column: 0, mask: 0 });
            let inside: Vec<usize> = (0..a)
                .filter(|&i| values[cond.column][answering[i]].hits(cond.mask))
                .collect();
            let k = count_of(g, inside.len());
            let mut pick = inside.clone();
            rng.shuffle(&mut pick);
            for &i in pick.iter().take(k) {
                chosen[i] = true;
            }
            for (i, slot) in chosen.iter_mut().enumerate() {
                if !inside.contains(&i) && rng.unit() < g.value / 100.0 * 0.8 {
                    *slot = true;
                }
            }
        } else {
            let k = match own.first() {
                Some(t) => count_of(t, a),
                None => {
                    let cap = top_value.map(|v| v.saturating_sub(1)).unwrap_or(a);
                    crate::num::trunc_usize(((0.12 + 0.3 * rng.unit()) * a as f64).round()).min(cap)
                }
            };
            let mut order: Vec<usize> = (0..a).collect();
            rng.shuffle(&mut order);
            for &i in order.iter().take(k) {
                chosen[i] = true;
            }
        }
        for (mask, &yes) in masks.iter_mut().zip(&chosen) {
            if yes {
                *mask |= bit;
            }
        }
    }
    // Respondents who chose nothing take the exclusive "none" answer, or an option without a
    // target (so the targets stay exact).
    let none = (0..col.codes.len()).find(|o| col.exclusive & (1u64 << o) != 0);
    let untargeted: Vec<usize> = (0..col.codes.len())
        .filter(|o| {
            col.exclusive & (1u64 << o) == 0 && !ts.iter().any(|t| t.mask & (1u64 << o) != 0)
        })
        .collect();
    for (i, mask) in masks.iter_mut().enumerate() {
        if *mask == 0 {
            *mask = match (none, untargeted.is_empty()) {
                (Some(o), _) => 1u64 << o,
                (None, false) => 1u64 << untargeted[i % untargeted.len()],
                (None, true) => 1u64 << (col.codes.len() - 1),
            };
        }
        values[c][answering[i]] = Value::Mask(*mask);
    }
}

/// Activity scores: decide per respondent which scores are positive so every score figure,
/// "all positive", "all zero" and the subgroup's lowest rate hold, then write grid rows that
/// give exactly those scores.
#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
fn scores(
    schema: &Schema,
    plan: &Plan,
    baseline: &Baseline,
    values: &mut [Vec<Value>],
    m: usize,
    scale: f64,
    rng: &mut Rng,
) {
    if plan.scores.is_empty() {
        return;
    }
    let ns = plan.scores.len();
    let target_count = |id: &Option<String>| -> Option<usize> {
        let f = baseline.figure(id.as_deref()?)?;
        Some(match f.unit {
            Unit::Count => crate::num::trunc_usize((f.value * scale).round()),
            Unit::Percent => crate::num::trunc_usize((f.value / 100.0 * m as f64).round()),
        })
    };
    let per_score: Vec<usize> = plan
        .scores
        .iter()
        .map(|s| target_count(&s.figure).unwrap_or(m / 2))
        .collect();
    let mut all_pos = None;
    let mut all_zero = None;
    let mut min_rate: Option<(super::schema::Compiled, Vec<usize>, f64)> = None;
    for (d, di) in plan.derived.iter().zip(&schema.instrument.derived) {
        let fig = baseline.figure(&di.id);
        match d.rule {
            DerivedRule::AllPositive => {
                all_pos = fig.map(|f| crate::num::trunc_usize((f.value * scale).round()))
            }
            DerivedRule::AllZero => {
                all_zero = fig.map(|f| crate::num::trunc_usize((f.value * scale).round()))
            }
            DerivedRule::MinRate => {
                if let (Some(g), Some(f)) = (d.given, fig) {
                    min_rate = Some((g, d.scores.clone(), f.value));
                }
            }
            DerivedRule::RowsNotBelow => {}
        }
    }
    let members: Vec<bool> = (0..m)
        .map(|r| {
            min_rate
                .as_ref()
                .is_some_and(|(g, _, _)| values[g.column][r].hits(g.mask))
        })
        .collect();
    let member_count = members.iter().filter(|x| **x).count();
    let member_target = min_rate.as_ref().map(|(_, _, rate)| {
        exact_hits(*rate, member_count).unwrap_or(crate::num::trunc_usize(
            (rate / 100.0 * member_count as f64).round(),
        ))
    });
    // Error of an assignment of positive flags (respondent × score).
    let error = |p: &[Vec<bool>]| -> f64 {
        let mut e = 0.0;
        for s in 0..ns {
            let count = p.iter().filter(|r| r[s]).count();
            e += (count as f64 - per_score[s] as f64).abs() * 10.0;
        }
        if let Some(t) = all_pos {
            e += (p.iter().filter(|r| r.iter().all(|x| *x)).count() as f64 - t as f64).abs() * 10.0;
        }
        if let Some(t) = all_zero {
            e +=
                (p.iter().filter(|r| r.iter().all(|x| !*x)).count() as f64 - t as f64).abs() * 10.0;
        }
        if let (Some((_, listed, _)), Some(t)) = (&min_rate, member_target) {
            let rates: Vec<usize> = listed
                .iter()
                .map(|&s| p.iter().zip(&members).filter(|(r, m)| **m && r[s]).count())
                .collect();
            let lowest = rates.iter().copied().min().unwrap_or(0);
            e += (lowest as f64 - t as f64).abs() * 10.0;
            // The seed's finding: members ahead of non-members in every activity group.
            let non = m - member_count;
            for s in 0..ns {
                let in_m = p
                    .iter()
                    .zip(&members)
                    .filter(|(r, mm)| **mm && r[s])
                    .count() as f64;
                let out_m = p
                    .iter()
                    .zip(&members)
                    .filter(|(r, mm)| !**mm && r[s])
                    .count() as f64;
                if member_count > 0 && non > 0 && in_m / member_count as f64 <= out_m / non as f64 {
                    e += 1.0;
                }
            }
        }
        e
    };
    // Start: each score positive for its target count, at random.
    let mut p = vec![vec![false; ns]; m];
    for (s, &k) in per_score.iter().enumerate() {
        let mut order: Vec<usize> = (0..m).collect();
        rng.shuffle(&mut order);
        for &r in order.iter().take(k.min(m)) {
            p[r][s] = true;
        }
    }
    // Local search: swap a positive and a zero within one score while the error drops.
    let mut current = error(&p);
    let budget = if m <= 200 { 200_000 } else { 20 * m };
    for _ in 0..budget {
        if current == 0.0 {
            break;
        }
        let s = rng.below(ns);
        let a = rng.below(m);
        let b = rng.below(m);
        if p[a][s] == p[b][s] {
            continue;
        }
        p[a][s] = !p[a][s];
        p[b][s] = !p[b][s];
        let e = error(&p);
        if e <= current {
            current = e;
        } else {
            p[a][s] = !p[a][s];
            p[b][s] = !p[b][s];
        }
    }
    // Write the grid rows: zero → every row "no points"; positive → at least one row with points.
    for (s, plan_s) in plan.scores.iter().enumerate() {
        for r in 0..m {
            let parts = &plan_s.parts;
            let zero_code = |points: &[i64]| {
                crate::num::saturate::<u16, _>(points.iter().position(|x| *x == 0).unwrap_or(0))
            };
            for (column, points) in parts {
                values[*column][r] = Value::Code(zero_code(points));
            }
            if p[r][s] {
                let k = 1 + rng.below(parts.len());
                let mut idx: Vec<usize> = (0..parts.len()).collect();
                rng.shuffle(&mut idx);
                for &j in idx.iter().take(k) {
                    let (column, points) = &parts[j];
                    let positive: Vec<usize> =
                        (0..points.len()).filter(|&i| points[i] > 0).collect();
                    if !positive.is_empty() {
                        values[*column][r] = Value::Code(crate::num::saturate::<u16, _>(
                            positive[rng.below(positive.len())],
                        ));
                    }
                }
            }
        }
    }
}
