//! Small generated survey rounds for the disclosure tests: a test instrument with every kind of
//! question (single, multiple, routed, grid with a score, number, text), figures over a subgroup,
//! a count figure, a min_rate and an all_positive figure; respondents with organisation attributes
//! (or none: not linked); and what a view publishes, read from the results as an adversary would.

use kojo_core::baseline::Baseline;
use kojo_core::instrument::Instrument;
use kojo_core::survey::results::Results;
use kojo_core::survey::rng::Rng;
use kojo_core::survey::schema::{AttributeColumn, Schema, Value};
use kojo_core::survey::tally::{Plan, Tally};
use kojo_core::survey::{build, disclosure};
use kojo_core::text::Text;
use serde_json::json;

use crate::solver::Publication;

fn t(s: &str) -> serde_json::Value {
    json!({"ja": s, "en": s})
}

fn opts(codes: &[&str]) -> serde_json::Value {
    codes
        .iter()
        .map(|c| json!({"code": c, "label": t(c)}))
        .collect()
}

pub fn instrument() -> Instrument {
    let mut q1 = opts(&["1", "2", "3"]);
    q1[0]["figures"] = json!(["f.q1_count"]);
    let mut q2 = opts(&["a", "b", "c"]);
    q2[0]["figures"] = json!(["f.q2_a"]);
    serde_json::from_value(json!({
        "schema": 1, "id": "test-round", "kind": "company", "year": 2026,
        "baseline": "test", "survey": "test", "title": t("test"), "source": t("test"),
        "sections": [{"code": "A", "title": t("A")}],
        "questions": [
            {"id": "Q1", "section": "A", "type": "single", "text": t("Q1"), "options": q1,
             "figures": [{"id": "f.q1_given", "codes": ["1"],
                          "given": {"question": "Q4", "codes": ["x"]}}]},
            {"id": "Q2", "section": "A", "type": "multiple", "text": t("Q2"), "options": q2,
             "figures": [{"id": "f.q2_ab", "codes": ["a", "b"]}]},
            {"id": "Q3", "section": "A", "type": "single", "text": t("Q3"),
             "options": opts(&["y", "n"]), "show_if": {"question": "Q1", "codes": ["1"]}},
            {"id": "Q4", "section": "A", "type": "single", "text": t("Q4"),
             "options": opts(&["x", "z"])},
            {"id": "G", "section": "A", "type": "grid", "text": t("G"),
             "rows": [{"id": "r1", "label": t("r1")}, {"id": "r2", "label": t("r2")}],
             "columns": opts(&["0", "1", "2"])},
            {"id": "N", "section": "A", "type": "number", "text": t("N"), "min": 0.0, "max": 100.0},
            {"id": "T", "section": "A", "type": "text", "text": t("T")}
        ],
        "scores": [{"id": "s1", "title": t("s1"), "question": "G", "rows": ["r1", "r2"],
                    "points": {"0": 0, "1": 1, "2": 2}, "figure": "f.s1"}],
        "derived": [
            {"id": "f.min_rate", "rule": "min_rate", "scores": ["s1"],
             "given": {"question": "Q4", "codes": ["x"]}},
            {"id": "f.all_pos", "rule": "all_positive", "scores": ["s1"]}
        ]
    }))
    .expect("test instrument")
}

pub fn baseline() -> Baseline {
    let fig = |id: &str, unit: &str| {
        json!({"id": id, "survey": "test", "section": "A", "source_page": t("p"),
               "topic": t(id), "value": 1.0, "unit": unit})
    };
    serde_json::from_value(json!({
        "id": "test", "title": t("test"), "source": t("test"), "year": 2026, "surveys": [],
        "figures": [fig("f.q1_count", "count"), fig("f.q2_a", "percent"),
                    fig("f.q1_given", "percent"), fig("f.s1", "count"),
                    fig("f.all_pos", "count")]
    }))
    .expect("test baseline")
}

pub const INDUSTRIES: [&str; 3] = ["i1", "i2", "i3"];
pub const SIZES: [&str; 3] = ["s", "m", "l"];

pub fn attributes() -> Vec<AttributeColumn> {
    let col = |name: &str, codes: &[&str]| AttributeColumn {
        name: name.into(),
        codes: codes.iter().map(|c| c.to_string()).collect(),
        labels: codes.iter().map(|c| Text::new(*c, *c)).collect(),
    };
    vec![
        col("@industry", &INDUSTRIES),
        col("@size_band", &SIZES),
        col("@association", &["a1", "a2"]),
        col("@sc3", &["yes", "no"]),
    ]
}

/// One respondent: attribute codes (None: not linked / not registered) and answers by column.
#[derive(Debug, Clone)]
pub struct Respondent {
    pub industry: Option<u16>,
    pub size: Option<u16>,
    pub association: Option<u16>,
    pub sc3: Option<u16>,
    /// (column name, cell text); absent = not answered.
    pub answers: Vec<(&'static str, String)>,
}

/// How a generated round leans: skewed groups make small groups and small intersections.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub n: usize,
    pub unlinked: f64,
    pub skip: f64,
    pub seed: u64,
}

fn pick(rng: &mut Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = rng.unit() * total;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

pub fn generate(shape: Shape) -> Vec<Respondent> {
    let mut rng = Rng::new(shape.seed);
    // Group weights drawn per round, some tiny.
    let mut w = |n: usize| -> Vec<f64> { (0..n).map(|_| 0.05 + rng.unit().powi(2)).collect() };
    let (wi, ws, wq) = (w(3), w(3), w(2));
    let mut out = Vec::with_capacity(shape.n);
    for _ in 0..shape.n {
        let linked = rng.unit() >= shape.unlinked;
        let mut answers = Vec::new();
        let skip = |rng: &mut Rng| rng.unit() < shape.skip;
        let q1 = pick(&mut rng, &[1.0, 0.7, 0.3]);
        if !skip(&mut rng) {
            answers.push(("Q1", ["1", "2", "3"][q1].to_string()));
            if q1 == 0 && !skip(&mut rng) {
                answers.push(("Q3", if rng.unit() < 0.6 { "y" } else { "n" }.into()));
            }
        }
        if !skip(&mut rng) {
            let mut parts = Vec::new();
            for c in ["a", "b", "c"] {
                if rng.unit() < 0.4 {
                    parts.push(c);
                }
            }
            if parts.is_empty() {
                parts.push("c");
            }
            answers.push(("Q2", parts.join("|")));
        }
        if !skip(&mut rng) {
            answers.push(("Q4", ["x", "z"][pick(&mut rng, &wq)].into()));
        }
        for row in ["G.r1", "G.r2"] {
            if !skip(&mut rng) {
                answers.push((row, rng.below(3).to_string()));
            }
        }
        if !skip(&mut rng) {
            answers.push(("N", rng.below(101).to_string()));
        }
        if rng.unit() < 0.3 {
            answers.push(("T", "text".into()));
        }
        let attr = |rng: &mut Rng, weights: &[f64]| {
            // A linked organisation may still lack an attribute (no industry or size on record).
            (linked && rng.unit() > 0.05).then(|| pick(rng, weights) as u16)
        };
        out.push(Respondent {
            industry: attr(&mut rng, &wi),
            size: attr(&mut rng, &ws),
            association: Some(0),
            sc3: linked.then_some(0),
            answers,
        });
    }
    out
}

/// Per respondent, the values by column (attributes included).
pub fn values(schema: &Schema, rs: &[Respondent]) -> Vec<Vec<Value>> {
    rs.iter()
        .map(|r| {
            let mut v = vec![Value::Missing; schema.columns.len()];
            for (name, cell) in &r.answers {
                let c = schema.column(name).expect("column");
                v[c] = schema.read(c, cell).expect("valid cell");
            }
            for (name, code) in [
                ("@industry", r.industry),
                ("@size_band", r.size),
                ("@association", r.association),
                ("@sc3", r.sc3),
            ] {
                if let Some(code) = code {
                    v[schema.column(name).expect("attribute")] = Value::Code(code);
                }
            }
            v
        })
        .collect()
}

/// Raw results (no rule) and the values they were counted from.
pub fn raw(inst: &Instrument, rs: &[Respondent]) -> (Results, Vec<Vec<Value>>) {
    let attrs = attributes();
    let schema = Schema::with_attributes(inst, &attrs).expect("schema");
    let plan = Plan::new(&schema, &[]).expect("plan");
    let mut tally = Tally::new(&schema, &plan);
    let vals = values(&schema, rs);
    for v in &vals {
        tally.add(&schema, &plan, v);
    }
    (build(&schema, &plan, &tally, &baseline()), vals)
}

pub fn published(inst: &Instrument, rs: &[Respondent], k: u64) -> (Results, Publication) {
    let (mut results, vals) = raw(inst, rs);
    disclosure::apply(&mut results, k);
    let attrs = attributes();
    let schema = Schema::with_attributes(inst, &attrs).expect("schema");
    let p = read_publication(&schema, &results, &vals);
    (results, p)
}

fn col(schema: &Schema, name: &str) -> usize {
    schema.column(name).expect("column")
}

/// The variables a view's numbers are sums of, per respondent.
struct Vars<'a> {
    schema: &'a Schema<'a>,
    vals: &'a [Vec<Value>],
}

impl Vars<'_> {
    fn everyone(&self) -> Vec<bool> {
        vec![true; self.vals.len()]
    }

    fn answered(&self, c: usize) -> Vec<bool> {
        self.vals.iter().map(|v| !v[c].is_missing()).collect()
    }

    fn set(&self, f: impl Fn(&[Value]) -> bool) -> Vec<bool> {
        self.vals.iter().map(|v| f(v)).collect()
    }

    /// The published rule: only a grid answered in full has a score.
    fn score(&self, v: &[Value]) -> Option<i64> {
        let mut s = 0;
        for row in ["G.r1", "G.r2"] {
            match v[col(self.schema, row)] {
                Value::Code(c) => s += c as i64,
                _ => return None,
            }
        }
        Some(s)
    }
}

/// Everything the results show, as sums of per-respondent variables over respondent sets.
pub fn read_publication(schema: &Schema, r: &Results, vals: &[Vec<Value>]) -> Publication {
    let mut p = Publication::default();
    if r.withheld.is_some() {
        return p;
    }
    let x = Vars { schema, vals };
    let all = x.everyone();
    // Question tables: n (answered), counts per code, eligible (a sum of the routing code).
    for q in &r.questions {
        for row in &q.rows {
            let Some(d) = row.data.shown() else { continue };
            let c = col(schema, &row.column);
            p.publish(&format!("answered {}", row.column), &all, all.clone());
            let base = x.answered(c);
            for (i, o) in d.options.iter().enumerate() {
                let _ = o;
                p.publish(&format!("{}={i}", row.column), &base, all.clone());
            }
            if let Some(cond) = schema.columns[c].show_if {
                let name = &schema.columns[cond.column].name;
                let code = cond.mask.trailing_zeros();
                p.publish(
                    &format!("{name}={code}"),
                    &x.answered(cond.column),
                    all.clone(),
                );
            }
        }
        if let Some(n) = q.number.as_ref().and_then(|n| n.shown()) {
            let _ = n;
            let c = col(schema, &q.id);
            p.publish(&format!("sum {}", q.id), &x.answered(c), all.clone());
        }
    }
    // Every cross-tab a view can ask for.
    for (by, _) in r.breakdown_columns() {
        let b = col(schema, by);
        for of in ["Q1", "Q2", "Q3", "Q4", "G.r1", "G.r2"] {
            let Ok(ct) = r.crosstab(by, of) else { continue };
            let c = col(schema, of);
            let base = x.answered(c);
            for g in &ct.groups {
                let Some(d) = g.data.shown() else { continue };
                let code = g
                    .code
                    .as_ref()
                    .map(|code| schema.columns[b].codes.iter().position(|x| x == code));
                let set = x.set(|v| match (&code, v[b]) {
                    (None, Value::Code(_)) => false,
                    (None, _) => true,
                    (Some(Some(i)), Value::Code(c)) => c as usize == *i,
                    _ => false,
                });
                p.publish(&format!("answered {of}"), &all, set.clone());
                for (i, _) in d.cells.iter().enumerate() {
                    p.publish(&format!("{of}={i}"), &base, set.clone());
                }
            }
        }
    }
    // Figures (their definitions are the test instrument's).
    let q1 = col(schema, "Q1");
    let q2 = col(schema, "Q2");
    let q4 = col(schema, "Q4");
    let given = x.set(|v| v[q4] == Value::Code(0));
    let shown = |id: &str| r.figures.get(id).is_some_and(|f| f.data.is_shown());
    if shown("f.q1_count") {
        p.publish("answered Q1", &all, all.clone());
        p.publish("Q1=0", &x.answered(q1), all.clone());
    }
    if shown("f.q1_given") {
        p.publish("answered Q1", &all, given.clone());
        p.publish("Q1=0", &x.answered(q1), given.clone());
    }
    if shown("f.q2_a") {
        p.publish("answered Q2", &all, all.clone());
        p.publish("Q2=0", &x.answered(q2), all.clone());
    }
    if shown("f.q2_ab") {
        p.publish("answered Q2", &all, all.clone());
        p.publish("Q2 a or b", &x.answered(q2), all.clone());
    }
    let scored = x.set(|v| x.score(v).is_some());
    if let Some(s) = r.scores[0].data.shown() {
        p.publish("scored", &all, all.clone());
        p.publish("score>0", &scored, all.clone());
        for v in 0..s.distribution.len() {
            p.publish(&format!("score={v}"), &scored, all.clone());
        }
    }
    if shown("f.s1") {
        p.publish("scored", &all, all.clone());
        p.publish("score>0", &scored, all.clone());
    }
    if shown("f.min_rate") {
        p.publish("scored", &all, given.clone());
        p.publish("score>0", &scored, given.clone());
    }
    if shown("f.all_pos") {
        // One score: "all scores answered" is "scored".
        p.publish("scored", &all, all.clone());
        p.publish("score>0", &scored, all.clone());
    }
    p
}

/// What the rule before this change published (emulated from the raw results, as the old code
/// did it): rows, figures and scores below k withheld but their n and eligible still printed,
/// count figures never withheld, cross-tab groups below k withheld with the next smallest only
/// when exactly one was small, respondents without the attribute in no group, totals beside.
pub fn old_publication(inst: &Instrument, rs: &[Respondent], k: u64) -> Publication {
    let (r, vals) = raw(inst, rs);
    let attrs = attributes();
    let schema = Schema::with_attributes(inst, &attrs).expect("schema");
    let x = Vars {
        schema: &schema,
        vals: &vals,
    };
    let all = x.everyone();
    let mut p = Publication::default();
    // n and eligible were printed even for a withheld round (grid tables, JSON).
    for q in &r.questions {
        for row in &q.rows {
            let c = col(&schema, &row.column);
            p.publish(&format!("answered {}", row.column), &all, all.clone());
            if let Some(cond) = schema.columns[c].show_if {
                let name = &schema.columns[cond.column].name;
                let code = cond.mask.trailing_zeros();
                p.publish(
                    &format!("{name}={code}"),
                    &x.answered(cond.column),
                    all.clone(),
                );
            }
        }
    }
    if r.respondents < k {
        return p;
    }
    for q in &r.questions {
        for row in &q.rows {
            let n = row.n().unwrap_or(0);
            if n > 0 && n < k {
                continue;
            }
            let c = col(&schema, &row.column);
            for i in 0..row.options().len() {
                p.publish(&format!("{}={i}", row.column), &x.answered(c), all.clone());
            }
        }
    }
    // Count figures were never withheld.
    let q1 = col(&schema, "Q1");
    p.publish("Q1=0", &x.answered(q1), all.clone());
    for (by, _) in r.breakdown_columns() {
        let b = col(&schema, by);
        for of in ["Q1", "Q2", "Q3", "Q4", "G.r1", "G.r2"] {
            let c = col(&schema, of);
            let base = x.answered(c);
            let codes = schema.columns[b].codes.len();
            let sets: Vec<Vec<bool>> = (0..codes)
                .map(|g| x.set(|v| v[b] == Value::Code(g as u16) && !v[c].is_missing()))
                .collect();
            let sizes: Vec<u64> = sets
                .iter()
                .map(|s| s.iter().filter(|x| **x).count() as u64)
                .collect();
            let hidden = old_to_hide(&sizes, k);
            for (g, set) in sets.into_iter().enumerate() {
                if hidden.contains(&g) {
                    continue;
                }
                p.publish(&format!("answered {of}"), &all, set.clone());
                for i in 0..schema.columns[c].codes.len() {
                    p.publish(&format!("{of}={i}"), &base, set.clone());
                }
            }
        }
    }
    p
}

/// The old secondary rule: groups below k, plus the smallest other only when exactly one was.
pub fn old_to_hide(sizes: &[u64], k: u64) -> Vec<usize> {
    let primary: Vec<usize> = (0..sizes.len())
        .filter(|&i| sizes[i] > 0 && sizes[i] < k)
        .collect();
    let mut out = primary.clone();
    if primary.len() == 1
        && let Some(i) = (0..sizes.len())
            .filter(|i| sizes[*i] > 0 && !primary.contains(i))
            .min_by_key(|&i| sizes[i])
    {
        out.push(i);
    }
    out
}

/// Respondents with fixed attributes who all answer `Q1` with `code`, others as given.
pub fn linked(industry: u16, size: u16, q1: &str) -> Respondent {
    Respondent {
        industry: Some(industry),
        size: Some(size),
        association: Some(0),
        sc3: Some(0),
        answers: vec![("Q1", q1.to_string())],
    }
}
