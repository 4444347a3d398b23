//! One pass over respondents that counts everything the results need: per column the answers,
//! per figure its base and hits, per score its distribution, per cross-tab its cells. Tallies of
//! separate parts of the data merge, so the pass can run in parallel.

use crate::instrument::DerivedRule;

use super::schema::{Compiled, Kind, Schema, SchemaError, Value};

/// A figure (or one element of an "each" figure) compiled to a column and codes.
#[derive(Debug, Clone)]
pub struct FigurePlan {
    pub id: String,
    /// The row or option this element is about, for "each" figures.
    pub element: Option<String>,
    pub column: usize,
    pub mask: u64,
    pub given: Option<Compiled>,
}

#[derive(Debug, Clone)]
pub struct ScorePlan {
    pub id: String,
    pub figure: Option<String>,
    /// (column, points per code index)
    pub parts: Vec<(usize, Vec<i64>)>,
    pub max: i64,
}

impl ScorePlan {
    /// A respondent's score: the sum of the points of its rows' answers. Only a grid answered in
    /// full has a score: a row left empty may be "not done" or "not answered", so a partly
    /// answered grid counts in neither the score's base nor its distribution, nor in the figures
    /// derived from it (docs/surveys.md, "Activity scores").
    pub fn score(&self, values: &[Value]) -> Option<i64> {
        let mut score = 0;
        for (column, points) in &self.parts {
            match values[*column] {
                Value::Code(c) => score += points[c as usize],
                _ => return None,
            }
        }
        Some(score)
    }
}

#[derive(Debug, Clone)]
pub struct DerivedPlan {
    pub id: String,
    pub rule: DerivedRule,
    pub scores: Vec<usize>,
    pub given: Option<Compiled>,
    /// rows_not_below: (columns checked, reference column, codes mask)
    pub rows: Vec<usize>,
    pub reference: Option<usize>,
    pub mask: u64,
}

/// A cross-tabulation: the answers of `of` within each answer group of `by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrossPlan {
    pub by: usize,
    pub of: usize,
}

/// Everything to count, compiled from the instrument (and the cross-tabs asked for).
#[derive(Debug, Clone)]
pub struct Plan {
    pub figures: Vec<FigurePlan>,
    pub scores: Vec<ScorePlan>,
    pub derived: Vec<DerivedPlan>,
    pub cross: Vec<CrossPlan>,
    /// The breakdowns the disclosure rule audits (see [`banners`]).
    pub banners: Vec<usize>,
    /// Where each column's and score's counts sit in an atom's counts.
    pub layout: AtomLayout,
}

/// The organisation attributes offered as breakdowns, in this order.
pub const BANNER_ATTRIBUTES: [&str; 4] = ["industry", "size_band", "association", "sc3"];

/// The breakdowns ("banners") of a schema: the organisation attributes (`@industry`, `@size_band`,
/// `@association`, `@sc3` when responses carry their organisation, else the questions tagged with
/// those attributes) and every single-choice column a figure or derived figure takes a subgroup
/// from (`given`). Only these can be cross-tabulated under the disclosure rule; the audit covers
/// all of them at once.
pub fn banners(schema: &Schema, figures: &[FigurePlan], derived: &[DerivedPlan]) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    let single = |c: usize| schema.columns[c].kind == Kind::Single;
    for attr in BANNER_ATTRIBUTES {
        if let Some(c) = schema.attribute_column(attr)
            && single(c)
            && !out.contains(&c)
        {
            out.push(c);
        }
    }
    let givens = figures
        .iter()
        .filter_map(|f| f.given)
        .chain(derived.iter().filter_map(|d| d.given));
    for g in givens {
        if single(g.column) && !out.contains(&g.column) {
            out.push(g.column);
        }
    }
    out
}

/// The counts kept per atom (a combination of banner groups): respondents, then per column the
/// respondents who answered it and (for columns with codes) per code, then per score the
/// respondents who have it.
#[derive(Debug, Clone, Default)]
pub struct AtomLayout {
    /// Offset of each column's "answered" count; its codes follow when it has codes.
    pub columns: Vec<usize>,
    pub scores: Vec<usize>,
    pub stride: usize,
}

impl AtomLayout {
    fn new(schema: &Schema, scores: usize) -> AtomLayout {
        let mut at = 1;
        let mut columns = Vec::with_capacity(schema.columns.len());
        for c in &schema.columns {
            columns.push(at);
            at += 1 + if has_codes(c.kind) { c.codes.len() } else { 0 };
        }
        AtomLayout {
            columns,
            scores: (at..at + scores).collect(),
            stride: at + scores,
        }
    }
}

impl Plan {
    pub fn new(schema: &Schema, cross: &[CrossPlan]) -> Result<Plan, SchemaError> {
        let figures = figure_plans(schema)?;
        let scores = score_plans(schema)?;
        let derived = derived_plans(schema)?;
        let banners = banners(schema, &figures, &derived);
        let layout = AtomLayout::new(schema, scores.len());
        Ok(Plan {
            figures,
            scores,
            derived,
            cross: cross.to_vec(),
            banners,
            layout,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnTally {
    pub answered: u64,
    /// Respondents the column applied to (routing).
    pub eligible: u64,
    pub counts: Vec<u64>,
    pub sum: f64,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScoreTally {
    pub answered: u64,
    pub positive: u64,
    /// Respondents per score value 0..=max.
    pub distribution: Vec<u64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CrossTally {
    /// Per `by` code: respondents who answered both.
    pub groups: Vec<u64>,
    /// `by` code × `of` code.
    pub cells: Vec<u64>,
    pub of_codes: usize,
}

/// Code of a banner whose value is missing (the "unknown" group) in an atom's key.
pub const UNKNOWN: u16 = u16::MAX;

/// Counts per atom: the respondents sharing one combination of banner groups.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AtomTally {
    index: std::collections::HashMap<Box<[u16]>, u32>,
    /// Each atom's banner codes ([`UNKNOWN`] when missing), in the order of `Plan::banners`.
    pub keys: Vec<Box<[u16]>>,
    /// `stride` counts per atom (see [`AtomLayout`]).
    pub counts: Vec<u32>,
}

impl AtomTally {
    fn slot(&mut self, key: &[u16], stride: usize) -> usize {
        if let Some(&i) = self.index.get(key) {
            return i as usize * stride;
        }
        let i = self.keys.len();
        self.index
            .insert(key.into(), crate::num::saturate::<u32, _>(i));
        self.keys.push(key.into());
        self.counts.resize(self.counts.len() + stride, 0);
        i * stride
    }

    /// The counts of one atom.
    pub fn atom(&self, i: usize, stride: usize) -> &[u32] {
        &self.counts[i * stride..(i + 1) * stride]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    pub respondents: u64,
    pub columns: Vec<ColumnTally>,
    /// (base, hits) per figure plan.
    pub figures: Vec<(u64, u64)>,
    pub scores: Vec<ScoreTally>,
    /// all_positive / all_zero: (base, hits); min_rate: per listed score (base, positive).
    pub derived: Vec<Vec<(u64, u64)>>,
    pub cross: Vec<CrossTally>,
    pub atoms: AtomTally,
    stride: usize,
    score_buf: Vec<Option<i64>>,
    key_buf: Vec<u16>,
}

impl Tally {
    pub fn new(schema: &Schema, plan: &Plan) -> Tally {
        Tally {
            respondents: 0,
            columns: schema
                .columns
                .iter()
                .map(|c| ColumnTally {
                    counts: vec![0; c.codes.len()],
                    min: f64::INFINITY,
                    max: f64::NEG_INFINITY,
                    ..ColumnTally::default()
                })
                .collect(),
            figures: vec![(0, 0); plan.figures.len()],
            scores: plan
                .scores
                .iter()
                .map(|s| ScoreTally {
                    distribution: vec![0; crate::num::saturate::<usize, _>(s.max.max(0)) + 1],
                    ..ScoreTally::default()
                })
                .collect(),
            derived: plan
                .derived
                .iter()
                .map(|d| {
                    vec![
                        (0, 0);
                        if d.rule == DerivedRule::MinRate {
                            d.scores.len()
                        } else {
                            1
                        }
                    ]
                })
                .collect(),
            cross: plan
                .cross
                .iter()
                .map(|c| {
                    let by = schema.columns[c.by].codes.len();
                    let of = schema.columns[c.of].codes.len();
                    CrossTally {
                        groups: vec![0; by],
                        cells: vec![0; by * of],
                        of_codes: of,
                    }
                })
                .collect(),
            atoms: AtomTally::default(),
            stride: plan.layout.stride,
            score_buf: vec![None; plan.scores.len()],
            key_buf: vec![0; plan.banners.len()],
        }
    }

    /// Counts one respondent (`values` indexed by column).
    pub fn add(&mut self, schema: &Schema, plan: &Plan, values: &[Value]) {
        self.respondents += 1;
        for (k, &b) in self.key_buf.iter_mut().zip(&plan.banners) {
            *k = match values[b] {
                Value::Code(c) => c,
                _ => UNKNOWN,
            };
        }
        let base = self.atoms.slot(&self.key_buf, self.stride);
        let atom = &mut self.atoms.counts[base..base + self.stride];
        atom[0] += 1;
        count_columns(&mut self.columns, atom, schema, plan, values);
        for (f, slot) in plan.figures.iter().zip(&mut self.figures) {
            let v = values[f.column];
            if v.is_missing() || f.given.is_some_and(|g| !g.holds(values)) {
                continue;
            }
            slot.0 += 1;
            if v.hits(f.mask) {
                slot.1 += 1;
            }
        }
        count_scores(&mut self.scores, &mut self.score_buf, atom, plan, values);
        count_derived(&mut self.derived, &self.score_buf, plan, values);
        count_cross(&mut self.cross, plan, values);
    }

    /// Adds another tally of the same plan (a part of the data counted separately).
    pub fn merge(&mut self, other: &Tally) {
        self.respondents += other.respondents;
        for (a, b) in self.columns.iter_mut().zip(&other.columns) {
            a.answered += b.answered;
            a.eligible += b.eligible;
            a.sum += b.sum;
            a.min = a.min.min(b.min);
            a.max = a.max.max(b.max);
            for (x, y) in a.counts.iter_mut().zip(&b.counts) {
                *x += y;
            }
        }
        for (a, b) in self.figures.iter_mut().zip(&other.figures) {
            a.0 += b.0;
            a.1 += b.1;
        }
        for (a, b) in self.scores.iter_mut().zip(&other.scores) {
            a.answered += b.answered;
            a.positive += b.positive;
            for (x, y) in a.distribution.iter_mut().zip(&b.distribution) {
                *x += y;
            }
        }
        for (a, b) in self.derived.iter_mut().zip(&other.derived) {
            for (x, y) in a.iter_mut().zip(b) {
                x.0 += y.0;
                x.1 += y.1;
            }
        }
        for (a, b) in self.cross.iter_mut().zip(&other.cross) {
            for (x, y) in a.groups.iter_mut().zip(&b.groups) {
                *x += y;
            }
            for (x, y) in a.cells.iter_mut().zip(&b.cells) {
                *x += y;
            }
        }
        for (i, key) in other.atoms.keys.iter().enumerate() {
            let base = self.atoms.slot(key, self.stride);
            for (x, y) in self.atoms.counts[base..base + self.stride]
                .iter_mut()
                .zip(other.atoms.atom(i, self.stride))
            {
                *x += y;
            }
        }
    }
}

/// Whether a column is counted per code (single / multiple) rather than as numbers or text.
pub fn has_codes(kind: Kind) -> bool {
    matches!(kind, Kind::Single | Kind::Multiple)
}

/// Each column's answers, overall and in the respondent's atom.
fn count_columns(
    columns: &mut [ColumnTally],
    atom: &mut [u32],
    schema: &Schema,
    plan: &Plan,
    values: &[Value],
) {
    for (i, v) in values.iter().enumerate() {
        let t = &mut columns[i];
        if schema.applies(i, values) {
            t.eligible += 1;
        }
        let at = plan.layout.columns[i];
        match *v {
            Value::Missing => continue,
            Value::Code(c) => {
                t.counts[c as usize] += 1;
                atom[at + 1 + c as usize] += 1;
            }
            Value::Mask(mut m) => {
                while m != 0 {
                    let b = m.trailing_zeros() as usize;
                    t.counts[b] += 1;
                    atom[at + 1 + b] += 1;
                    m &= m - 1;
                }
            }
            Value::Number(n) => {
                t.sum += n;
                t.min = t.min.min(n);
                t.max = t.max.max(n);
            }
            Value::Text(_) => {}
        }
        t.answered += 1;
        atom[at] += 1;
    }
}

/// Each score's distribution; the scores are kept in `score_buf` for the derived figures.
fn count_scores(
    scores: &mut [ScoreTally],
    score_buf: &mut [Option<i64>],
    atom: &mut [u32],
    plan: &Plan,
    values: &[Value],
) {
    for (si, s) in plan.scores.iter().enumerate() {
        let score = s.score(values);
        let answered = score.is_some();
        let score = score.unwrap_or(0);
        let t = &mut scores[si];
        score_buf[si] = answered.then_some(score);
        if answered {
            atom[plan.layout.scores[si]] += 1;
            t.answered += 1;
            if score > 0 {
                t.positive += 1;
            }
            let slot = crate::num::saturate::<usize, _>(score.max(0)).min(t.distribution.len() - 1);
            t.distribution[slot] += 1;
        }
    }
}

/// Figures derived from several scores (all positive, all zero, lowest rate).
fn count_derived(
    derived: &mut [Vec<(u64, u64)>],
    score_buf: &[Option<i64>],
    plan: &Plan,
    values: &[Value],
) {
    for (d, slot) in plan.derived.iter().zip(derived) {
        match d.rule {
            DerivedRule::AllPositive | DerivedRule::AllZero => {
                let scores: Option<Vec<i64>> = d.scores.iter().map(|&s| score_buf[s]).collect();
                if let Some(scores) = scores {
                    slot[0].0 += 1;
                    let hit = if d.rule == DerivedRule::AllPositive {
                        scores.iter().all(|s| *s > 0)
                    } else {
                        scores.iter().all(|s| *s == 0)
                    };
                    if hit {
                        slot[0].1 += 1;
                    }
                }
            }
            DerivedRule::MinRate => {
                if d.given.is_none_or(|g| g.holds(values)) {
                    for (k, &s) in d.scores.iter().enumerate() {
                        if let Some(score) = score_buf[s] {
                            slot[k].0 += 1;
                            if score > 0 {
                                slot[k].1 += 1;
                            }
                        }
                    }
                }
            }
            DerivedRule::RowsNotBelow => {}
        }
    }
}

/// Planned cross-tabs of two columns.
fn count_cross(cross: &mut [CrossTally], plan: &Plan, values: &[Value]) {
    for (c, t) in plan.cross.iter().zip(cross) {
        let Value::Code(b) = values[c.by] else {
            continue;
        };
        let of = values[c.of];
        if of.is_missing() {
            continue;
        }
        t.groups[b as usize] += 1;
        let base = b as usize * t.of_codes;
        match of {
            Value::Code(o) => t.cells[base + o as usize] += 1,
            Value::Mask(mut m) => {
                while m != 0 {
                    let bit = m.trailing_zeros() as usize;
                    t.cells[base + bit] += 1;
                    m &= m - 1;
                }
            }
            _ => {}
        }
    }
}

/// The figures counted on columns: options that name a figure (a union per question) and the
/// question's own figures (per row, per code for an "each" figure).
fn figure_plans(schema: &Schema) -> Result<Vec<FigurePlan>, SchemaError> {
    let inst = schema.instrument;
    let mut figures = Vec::new();
    for (qi, q) in inst.questions.iter().enumerate() {
        let first = schema.of_question[qi][0];
        let choices = if q.columns.is_empty() {
            &q.options
        } else {
            &q.columns
        };
        for (i, c) in choices.iter().enumerate() {
            for f in &c.figures {
                // Options of one question sharing a figure form a union: extend its mask.
                match figures
                    .iter_mut()
                    .find(|p: &&mut FigurePlan| &p.id == f && p.column == first)
                {
                    Some(p) => p.mask |= 1u64 << i,
                    None => figures.push(FigurePlan {
                        id: f.clone(),
                        element: None,
                        column: first,
                        mask: 1u64 << i,
                        given: None,
                    }),
                }
            }
        }
        for f in &q.figures {
            let given = f.given.as_ref().map(|g| schema.compile(g)).transpose()?;
            let rows: Vec<Option<&String>> = match (&f.row, f.rows.is_empty()) {
                (Some(r), _) => vec![Some(r)],
                (None, false) => f.rows.iter().map(Some).collect(),
                (None, true) => vec![None],
            };
            for row in rows {
                let column = schema
                    .column_of(&q.id, row.map(String::as_str))
                    .ok_or_else(|| SchemaError::Unknown(format!("{}: no row {row:?}", q.id)))?;
                if f.each && row.is_none() {
                    for code in &f.codes {
                        figures.push(FigurePlan {
                            id: f.id.clone(),
                            element: Some(code.clone()),
                            column,
                            mask: schema.mask(column, std::slice::from_ref(code))?,
                            given,
                        });
                    }
                } else {
                    figures.push(FigurePlan {
                        id: f.id.clone(),
                        element: (f.rows.len() > 1).then(|| row.cloned()).flatten(),
                        column,
                        mask: schema.mask(column, &f.codes)?,
                        given,
                    });
                }
            }
        }
    }
    Ok(figures)
}

/// Each score: its rows' columns and the points of their codes.
fn score_plans(schema: &Schema) -> Result<Vec<ScorePlan>, SchemaError> {
    let inst = schema.instrument;
    let mut scores = Vec::new();
    for s in &inst.scores {
        let mut parts = Vec::new();
        let mut max = 0;
        for r in &s.rows {
            let column = schema
                .column_of(&s.question, Some(r))
                .ok_or_else(|| SchemaError::Unknown(format!("score {}: no row {r}", s.id)))?;
            let points: Vec<i64> = schema.columns[column]
                .codes
                .iter()
                .map(|c| s.points.get(c).copied().unwrap_or(0))
                .collect();
            max += points.iter().copied().max().unwrap_or(0);
            parts.push((column, points));
        }
        scores.push(ScorePlan {
            id: s.id.clone(),
            figure: s.figure.clone(),
            parts,
            max,
        });
    }
    Ok(scores)
}

/// Figures derived from scores or from rows of one question.
fn derived_plans(schema: &Schema) -> Result<Vec<DerivedPlan>, SchemaError> {
    let inst = schema.instrument;
    let mut derived = Vec::new();
    for d in &inst.derived {
        let score_index = |id: &String| {
            inst.scores.iter().position(|s| &s.id == id).ok_or_else(|| {
                SchemaError::Unknown(format!("derived {}: unknown score {id}", d.id))
            })
        };
        let rows = d
            .rows
            .iter()
            .map(|r| {
                schema
                    .column_of(d.question.as_deref().unwrap_or(""), Some(r))
                    .ok_or_else(|| SchemaError::Unknown(format!("derived {}: no row {r}", d.id)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let reference = d
            .reference_row
            .as_deref()
            .map(|r| schema.column_of(d.question.as_deref().unwrap_or(""), Some(r)))
            .unwrap_or(None);
        let mask = match rows.first() {
            Some(&c) => schema.mask(c, &d.codes)?,
            None => 0,
        };
        derived.push(DerivedPlan {
            id: d.id.clone(),
            rule: d.rule,
            scores: d.scores.iter().map(score_index).collect::<Result<_, _>>()?,
            given: d.given.as_ref().map(|g| schema.compile(g)).transpose()?,
            rows,
            reference,
            mask,
        });
    }
    Ok(derived)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::Instrument;

    /// A grid of three activities scored 0/1/2, with an "any activity" figure.
    fn instrument() -> Instrument {
        let t = |s: &str| serde_json::json!({"ja": s, "en": s});
        let codes: Vec<serde_json::Value> = ["0", "1", "2"]
            .iter()
            .map(|c| serde_json::json!({"code": c, "label": t(c)}))
            .collect();
        let rows: Vec<serde_json::Value> = ["r1", "r2", "r3"]
            .iter()
            .map(|r| serde_json::json!({"id": r, "label": t(r)}))
            .collect();
        serde_json::from_value(serde_json::json!({
            "schema": 1, "id": "t", "kind": "association", "year": 2026, "baseline": "b",
            "survey": "s", "title": t("t"), "source": t("t"),
            "sections": [{"code": "B", "title": t("B")}],
            "questions": [{"id": "B1", "section": "B", "type": "grid", "text": t("B1"),
                           "rows": rows, "columns": codes}],
            "scores": [{"id": "s", "title": t("s"), "question": "B1",
                        "rows": ["r1", "r2", "r3"], "points": {"0": 0, "1": 1, "2": 2}}]
        }))
        .unwrap()
    }

    #[test]
    fn only_a_grid_answered_in_full_has_a_score() {
        let inst = instrument();
        let schema = Schema::new(&inst).unwrap();
        let plan = Plan::new(&schema, &[]).unwrap();
        let mut tally = Tally::new(&schema, &plan);
        let c = Value::Code;
        let m = Value::Missing;
        // Complete and active; complete and inactive; partly answered with an activity;
        // partly answered without one; not answered at all.
        for row in [
            [c(2), c(0), c(1)],
            [c(0), c(0), c(0)],
            [c(2), m, m],
            [c(0), m, c(0)],
            [m, m, m],
        ] {
            assert_eq!(schema.columns.len(), 3);
            tally.add(&schema, &plan, &row);
        }
        let s = &tally.scores[0];
        assert_eq!((s.answered, s.positive), (2, 1));
        assert_eq!(&s.distribution[..4], [1, 0, 0, 1]);
        assert_eq!(plan.scores[0].score(&[c(2), c(0), c(1)]), Some(3));
        assert_eq!(plan.scores[0].score(&[c(2), m, c(1)]), None);
    }
}
