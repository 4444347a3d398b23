//! Times the disclosure rule (the linked-table audit) on a simulated company-2022 round stored
//! with organisation attributes, as the report page computes it once per round revision:
//! `cargo run -p kojo-core --release --example audit_timing -- [N] [SKEW]` (default 100,000
//! respondents, skew 3).
//! Industries are drawn with a skew so that some industry × size cells are small.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

use std::time::Instant;

use kojo_core::Text;
use kojo_core::survey::rng::Rng;
use kojo_core::survey::schema::{AttributeColumn, Schema, Value};
use kojo_core::survey::tally::{Plan, Tally};
use kojo_core::survey::{build, disclosure, simulate};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    // Skew of the industry distribution: larger makes the last industries smaller.
    let skew: i32 = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3);
    let catalog = kojo_content::load_embedded().expect("catalogue");
    let inst = catalog.instrument("company-2022").expect("company-2022");
    let baseline = catalog.baseline(&inst.baseline).expect("baseline");
    let industries = &catalog.industries.industries;
    let sizes = &catalog.company_sizes.example_bands;
    let attrs = vec![
        AttributeColumn {
            name: "@industry".into(),
            codes: industries.iter().map(|i| i.code.clone()).collect(),
            labels: industries.iter().map(|i| i.title.clone()).collect(),
        },
        AttributeColumn {
            name: "@size_band".into(),
            codes: sizes.iter().map(|b| b.id.clone()).collect(),
            labels: sizes.iter().map(|b| b.label.clone()).collect(),
        },
        AttributeColumn {
            name: "@association".into(),
            codes: vec!["1".into()],
            labels: vec![Text::new("団体", "Association")],
        },
        AttributeColumn {
            name: "@sc3".into(),
            codes: vec!["yes".into(), "no".into()],
            labels: vec![Text::new("yes", "yes"), Text::new("no", "no")],
        },
    ];
    let schema = Schema::with_attributes(inst, &attrs).expect("schema");
    let plan = Plan::new(&schema, &[]).expect("plan");
    let col = |name: &str| schema.column(name).expect("attribute column");
    let (ci, cs, ca, c3) = (
        col("@industry"),
        col("@size_band"),
        col("@association"),
        col("@sc3"),
    );
    let mut rng = Rng::new(7);
    let mut tally = Tally::new(&schema, &plan);
    let started = Instant::now();
    simulate::simulate(&schema, &plan, baseline, n, 2022, |values, _| {
        let mut v = values.to_vec();
        // 2% not linked to an organisation; industries skewed (some nearly empty).
        if rng.unit() >= 0.02 {
            let x = rng.unit();
            let i = (x.powi(skew) * industries.len() as f64) as usize;
            v[ci] = Value::Code(i.min(industries.len() - 1) as u16);
            v[cs] = Value::Code(rng.below(sizes.len()) as u16);
            v[c3] = Value::Code(0);
        }
        v[ca] = Value::Code(0);
        tally.add(&schema, &plan, &v);
    });
    let counted = started.elapsed();
    let started = Instant::now();
    let mut results = build(&schema, &plan, &tally, baseline);
    let built = started.elapsed();
    let started = Instant::now();
    disclosure::apply(&mut results, disclosure::MIN_K);
    let audited = started.elapsed();
    let mut withheld_groups = 0;
    let mut groups = 0;
    for (by, _) in results.breakdown_columns() {
        for q in &results.questions {
            for row in &q.rows {
                if let Ok(c) = results.crosstab(by, &row.column) {
                    groups += c.groups.len();
                    withheld_groups += c.groups.iter().filter(|g| !g.data.is_shown()).count();
                }
            }
        }
    }
    println!(
        "{n} respondents, {} atoms, {} breakdowns: simulate+count {:.2?}, build {:.2?}, \
         rule (audit) {:.2?}; {withheld_groups} of {groups} cross-tab groups withheld",
        tally.atoms.keys.len(),
        results.breakdown_columns().len(),
        counted,
        built,
        audited
    );
}
