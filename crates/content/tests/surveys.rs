//! The instruments reproduce the 2022 report: a simulated response set of the 2022 size, counted
//! by the survey engine, gives every published figure (to 0.1 point; within the stated rounding
//! for approximate figures; "top" answers on top; published bases n where the report gives them).

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

use kojo_content::load_embedded;
use kojo_core::baseline::{Figure, Unit};
use kojo_core::survey::schema::Schema;
use kojo_core::survey::tally::{Plan, Tally};
use kojo_core::survey::{Results, build, simulate};

fn run(instrument: &str, n: usize, seed: u64) -> (Results, Vec<Figure>) {
    let catalog = load_embedded().unwrap_or_else(|e| panic!("{e}"));
    let inst = catalog
        .instrument(instrument)
        .unwrap_or_else(|| panic!("no instrument {instrument}"));
    let baseline = catalog.baseline(&inst.baseline).unwrap();
    let schema = Schema::new(inst).unwrap();
    let plan = Plan::new(&schema, &[]).unwrap();
    let mut tally = Tally::new(&schema, &plan);
    simulate::simulate(&schema, &plan, baseline, n, seed, |values, _| {
        tally.add(&schema, &plan, values)
    });
    let figures = baseline
        .figures
        .iter()
        .filter(|f| f.survey == inst.survey)
        .cloned()
        .collect();
    (build(&schema, &plan, &tally, baseline), figures)
}

/// The tolerance a published figure allows: exact to 0.1 point, or the stated rounding
/// ("約3割" is 25–35%, "3-4割強" is 30–45%).
fn within(f: &Figure, value: f64) -> bool {
    if !f.approx {
        return (value - f.value).abs() < 0.05;
    }
    match f.value as i64 {
        35 => (30.0..=45.0).contains(&value),
        v => (value - v as f64).abs() <= 5.0,
    }
}

fn check(instrument: &str, n: usize, seed: u64) {
    let (results, figures) = run(instrument, n, seed);
    assert_eq!(results.respondents, n as u64);
    let mut failures = Vec::new();
    for f in &figures {
        let Some(r) = results.figures.get(&f.id) else {
            failures.push(format!("{}: not computed", f.id));
            continue;
        };
        let ok = if f.id == "association.sc3.members_ahead" {
            // A lower bound: 75% or more among SC3 members.
            r.value().is_some_and(|v| v >= 75.0)
        } else if !r.elements().is_empty() {
            r.elements()
                .iter()
                .all(|e| e.value.is_some_and(|v| within(f, v)))
        } else {
            r.value().is_some_and(|v| within(f, v))
        };
        if !ok {
            failures.push(format!(
                "{}: published {} {:?}, computed {:?} (count {:?}, n {:?}, elements {:?})",
                f.id,
                f.value,
                f.unit,
                r.value(),
                r.count(),
                r.n(),
                r.elements().iter().map(|e| e.value).collect::<Vec<_>>()
            ));
        }
        if let (Some(expected), Some(n)) = (f.n, r.n())
            && f.unit == Unit::Percent
            && u64::from(expected) != n
        {
            failures.push(format!(
                "{}: published n = {expected}, computed n = {n}",
                f.id
            ));
        }
    }
    // "Top" figures: their answer is the most frequent of the question.
    for f in figures.iter().filter(|f| f.rank.as_deref() == Some("top")) {
        let top_ok = results.questions.iter().flat_map(|q| &q.rows).any(|row| {
            !row.top().is_empty()
                && row.options().iter().any(|o| {
                    row.top().contains(&o.code)
                        && results
                            .figures
                            .get(&f.id)
                            .is_some_and(|r| r.count() == Some(o.count))
                })
        });
        if !top_ok {
            failures.push(format!("{}: its answer is not the top answer", f.id));
        }
    }
    assert!(
        failures.is_empty(),
        "{instrument}: {} figure(s) not reproduced:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_association_survey_reproduces_every_figure() {
    check("association-2022", 31, 2022);
}

#[test]
fn the_company_survey_reproduces_every_figure() {
    check("company-2022", 397, 2022);
}

#[test]
fn other_seeds_reproduce_too() {
    check("association-2022", 31, 7);
    check("company-2022", 397, 7);
}

/// At another size the marginals follow the baseline (proportions, not exact counts).
#[test]
fn a_larger_simulation_follows_the_baseline() {
    let (results, figures) = run("company-2022", 4000, 1);
    for f in figures
        .iter()
        .filter(|f| f.unit == Unit::Percent && !f.approx)
    {
        let v = results.figures[&f.id].value().unwrap();
        assert!((v - f.value).abs() <= 1.0, "{}: {v} vs {}", f.id, f.value);
    }
}

/// An "each" figure's headline is the mean of its elements' unrounded shares, rounded once;
/// each element is what the published figure is compared with (docs/surveys.md).
#[test]
fn an_each_figure_reports_the_mean_of_unrounded_shares() {
    let (results, figures) = run("association-2022", 31, 2022);
    let id = "association.guideline_created.factory_product_supply_chain";
    let r = &results.figures[id];
    let elements = r.elements();
    assert_eq!(elements.len(), 3, "② factory, ③ products, ④ supply chain");
    let exact = elements
        .iter()
        .map(|e| 100.0 * e.count as f64 / e.n as f64)
        .sum::<f64>()
        / elements.len() as f64;
    assert_eq!(r.value(), Some(kojo_core::format::round1(exact)));
    let published = figures.iter().find(|f| f.id == id).unwrap();
    for e in elements {
        assert!(within(published, e.value.unwrap()), "{e:?}");
    }
    let (results, _) = run("company-2022", 397, 2022);
    let r = &results.figures["company.support_from_association.each"];
    assert_eq!(
        r.value(),
        kojo_core::survey::results::each_value(Unit::Percent, r.elements())
    );
}
