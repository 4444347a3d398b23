//! The disclosure rule against an independent derivation solver: what the results show (every
//! question table, every cross-tab the results offer, figures, scores, n and eligible where shown)
//! is written as linear equations over per-respondent unknowns, and no combination may isolate
//! 1..k−1 respondents. The red team's attacks are rebuilt and shown to work under the old rule
//! (emulated) and to fail under the new one; generated rounds (small groups, several small
//! groups, unlinked respondents, grids, numbers, routed questions, count figures) are checked by
//! property. A longer run: `PROPTEST_CASES=5000 cargo test -p kojo-core --release --test disclosure`.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

mod round;
mod solver;

use kojo_core::survey::disclosure::{self, MIN_K};
use kojo_core::survey::results::{Disclosed, Withheld};
use proptest::prelude::*;
use round::{Respondent, Shape, generate, instrument, linked, old_publication, published, raw};
use solver::{Publication, Var};

const K: u64 = MIN_K;

/// JSON keys that are numbers about respondents; none may sit beside a "withheld".
const NUMBERS: [&str; 14] = [
    "n",
    "eligible",
    "options",
    "top",
    "value",
    "count",
    "elements",
    "mean",
    "min",
    "max",
    "distribution",
    "positive",
    "percent_positive",
    "cells",
];

fn no_numbers_beside_withheld(v: &serde_json::Value, path: &str) -> Result<(), String> {
    match v {
        serde_json::Value::Object(m) => {
            if m.contains_key("min") || m.contains_key("max") {
                return Err(format!("{path}: min/max published"));
            }
            if m.contains_key("withheld") {
                for key in NUMBERS {
                    if m.contains_key(key) {
                        return Err(format!("{path}: withheld part carries {key}"));
                    }
                }
            }
            for (k, x) in m {
                no_numbers_beside_withheld(x, &format!("{path}.{k}"))?;
            }
            Ok(())
        }
        serde_json::Value::Array(a) => a
            .iter()
            .enumerate()
            .try_for_each(|(i, x)| no_numbers_beside_withheld(x, &format!("{path}[{i}]"))),
        _ => Ok(()),
    }
}

/// Results with the rule plus every cross-tab they offer, as JSON (what the API would send).
fn json_of_everything(r: &kojo_core::survey::Results) -> serde_json::Value {
    let mut crosstabs = Vec::new();
    for (by, _) in r.breakdown_columns() {
        for of in ["Q1", "Q2", "Q3", "Q4", "G.r1", "G.r2"] {
            if let Ok(c) = r.crosstab(by, of) {
                crosstabs.push(serde_json::to_value(c).unwrap());
            }
        }
    }
    serde_json::json!({"results": r, "crosstabs": crosstabs})
}

#[test]
fn the_solver_finds_a_planted_derivation_and_nothing_else() {
    // Sums over {0..6} and {0..5}: respondent 6 alone is their difference.
    let mut p = Publication::default();
    let base = vec![true; 10];
    p.publish("x", &base, (0..10).map(|r| r < 7).collect());
    p.publish("x", &base, (0..10).map(|r| r < 6).collect());
    let d = p.derivations(5);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].respondents, vec![6]);
    // Sums over {0..4} and {5..9}: groups of 5, nothing smaller derivable.
    let mut p = Publication::default();
    p.publish("x", &base, (0..10).map(|r| r < 5).collect());
    p.publish("x", &base, (0..10).map(|r| r >= 5).collect());
    assert!(p.derivations(5).is_empty());
    // Two breakdowns whose cells a(1) and d(2) are a combination: X + small − total = a − d.
    let var = Var {
        base: vec![true; 21],
        sets: vec![
            vec![true; 21],
            (0..21).map(|r| r < 10).collect(), // X = a + b
            (0..21).map(|r| r == 0 || (10..19).contains(&r)).collect(), // small = a + c
        ],
    };
    let mut p = Publication::default();
    for s in var.sets {
        p.publish("x", &var.base, s);
    }
    let d = p.derivations(5);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].respondents, vec![0, 19, 20]);
}

fn groups_of(sizes: &[usize]) -> Vec<Respondent> {
    let mut rs = Vec::new();
    for (g, &n) in sizes.iter().enumerate() {
        for i in 0..n {
            rs.push(linked(g as u16, (i % 3) as u16, ["1", "2"][i % 2]));
        }
    }
    rs
}

#[test]
fn red_team_two_single_company_groups() {
    // Industries of 1, 2 and 12 companies (the old unit test's [1, 2, 12]): both small groups were
    // withheld, and their sum (3 companies) was the total minus the visible group.
    let inst = instrument();
    let rs = groups_of(&[1, 2, 12]);
    let old = old_publication(&inst, &rs, K).derivations(K as usize);
    assert!(
        old.iter().any(|d| d.respondents == vec![0, 1, 2]),
        "the old rule let the 3 companies of the two small groups be derived: {old:?}"
    );
    let (results, new) = published(&inst, &rs, K);
    assert_eq!(new.derivations(K as usize), vec![]);
    let c = results.crosstab("@industry", "Q1").unwrap();
    let withheld: Vec<Option<Withheld>> = c.groups.iter().map(|g| g.data.withheld()).collect();
    assert_eq!(
        withheld[..3],
        [
            Some(Withheld::FewerThanK { k: K }),
            Some(Withheld::FewerThanK { k: K }),
            Some(Withheld::Complementary { k: K })
        ]
    );
}

#[test]
fn red_team_an_unlinked_respondent_through_size_band() {
    // 15 linked companies in size groups of 5 and one response not linked to an organisation:
    // total minus the size groups was that respondent's every answer.
    let inst = instrument();
    let mut rs = Vec::new();
    for i in 0..15 {
        let mut r = linked(0, (i % 3) as u16, ["1", "2", "3"][i % 3]);
        r.answers.push(("Q4", ["x", "z"][i % 2].into()));
        rs.push(r);
    }
    rs.push(Respondent {
        industry: None,
        size: None,
        association: Some(0),
        sc3: None,
        answers: vec![("Q1", "3".into()), ("Q4", "x".into())],
    });
    let old = old_publication(&inst, &rs, K);
    for var in ["Q1=0", "Q1=1", "Q1=2", "Q4=0", "Q4=1"] {
        assert!(
            old.isolates(var, &[15]),
            "the old rule gave the unlinked respondent's answer {var}"
        );
    }
    let (results, new) = published(&inst, &rs, K);
    assert_eq!(new.derivations(K as usize), vec![]);
    let c = results.crosstab("@size_band", "Q1").unwrap();
    let unknown = c.groups.last().unwrap();
    assert_eq!(unknown.code, None);
    assert_eq!(unknown.data.withheld(), Some(Withheld::FewerThanK { k: K }));
}

#[test]
fn red_team_a_round_of_four_shows_nothing_but_its_size() {
    // 4 companies; 3 answered Q3's parent with "1" (eligible) — G3 n=3 and eligible=1 style.
    let inst = instrument();
    let mut rs = groups_of(&[4]);
    rs[0].answers.push(("Q3", "y".into()));
    let old = old_publication(&inst, &rs, K).derivations(K as usize);
    assert!(!old.is_empty(), "n and eligible of withheld rows leaked");
    let (results, new) = published(&inst, &rs, K);
    assert_eq!(new.derivations(K as usize), vec![]);
    assert_eq!(results.withheld, Some(Withheld::FewerThanK { k: K }));
    assert_eq!(results.respondents, 4);
    no_numbers_beside_withheld(&json_of_everything(&results), "").unwrap();
    let json = serde_json::to_string(&results).unwrap();
    assert!(!json.contains("\"n\":"), "{json}");
    assert!(results.crosstab("@industry", "Q1").is_err());
}

#[test]
fn a_count_figure_on_a_small_base_is_withheld() {
    // "3 of 3 did not notify": a count figure whose base is 3 answers is withheld like a percent.
    let inst = instrument();
    let mut rs = groups_of(&[10]);
    for r in rs.iter_mut().skip(3) {
        r.answers.clear();
    }
    let (results, new) = published(&inst, &rs, K);
    assert!(matches!(
        results.figures["f.q1_count"].data,
        Disclosed::Withheld(Withheld::FewerThanK { .. })
    ));
    assert_eq!(new.derivations(K as usize), vec![]);
}

#[test]
fn number_questions_publish_the_mean_only() {
    let inst = instrument();
    let mut rs = groups_of(&[6]);
    for (i, r) in rs.iter_mut().enumerate() {
        r.answers.push(("N", (10 * i).to_string()));
    }
    let (results, _) = published(&inst, &rs, K);
    let n = results.question("N").unwrap().number.as_ref().unwrap();
    assert_eq!(n.shown().unwrap().mean, Some(25.0));
    let json = serde_json::to_value(&results).unwrap();
    no_numbers_beside_withheld(&json, "").unwrap();
    // With 4 answers, the mean goes too.
    rs[0].answers.retain(|a| a.0 != "N");
    rs[1].answers.retain(|a| a.0 != "N");
    let (results, _) = published(&inst, &rs, K);
    assert!(
        results
            .question("N")
            .unwrap()
            .number
            .as_ref()
            .unwrap()
            .withheld()
            .is_some()
    );
}

#[test]
fn large_groups_are_untouched() {
    let inst = instrument();
    let rs = groups_of(&[30, 40, 50]);
    let (results, p) = published(&inst, &rs, K);
    assert_eq!(p.derivations(K as usize), vec![]);
    for by in ["@industry", "@size_band", "@association", "@sc3", "Q4"] {
        let c = results.crosstab(by, "Q1").unwrap();
        for g in &c.groups {
            let empty = raw(&inst, &rs)
                .0
                .crosstab(by, "Q1")
                .unwrap()
                .groups
                .iter()
                .any(|x| x.label == g.label && x.n() == Some(0));
            assert!(g.data.is_shown() || empty, "{by}: {g:?}");
        }
    }
    assert!(results.figures.values().all(|f| f.data.is_shown()));
}

#[test]
fn cross_tabs_are_served_only_by_breakdowns() {
    let inst = instrument();
    let (results, _) = published(&inst, &groups_of(&[10, 10]), K);
    assert!(
        results.crosstab("Q1", "Q2").is_err(),
        "Q1 is not a breakdown"
    );
    assert!(
        results.crosstab("@industry", "N").is_err(),
        "N has no options"
    );
    assert!(results.crosstab("@industry", "Q2").is_ok());
}

#[test]
fn an_exhausted_audit_withholds_the_breakdown_and_stays_safe() {
    let inst = instrument();
    let rs = generate(Shape {
        n: 30,
        unlinked: 0.2,
        skip: 0.1,
        seed: 3,
    });
    let (mut results, vals) = raw(&inst, &rs);
    disclosure::apply_with_budget(&mut results, K, 0);
    let attrs = round::attributes();
    let schema = kojo_core::survey::schema::Schema::with_attributes(&inst, &attrs).unwrap();
    let p = round::read_publication(&schema, &results, &vals);
    assert_eq!(p.derivations(K as usize), vec![]);
}

/// Generated rounds: the new rule never lets anything be derived; the old one often did.
#[test]
fn generated_rounds_old_rule_leaks_new_rule_does_not() {
    let inst = instrument();
    let (mut old_leaky, mut total) = (0, 0);
    for seed in 0..60 {
        let shape = Shape {
            n: 5 + (seed as usize * 7) % 30,
            unlinked: [0.0, 0.05, 0.2][seed as usize % 3],
            skip: [0.05, 0.2][seed as usize % 2],
            seed,
        };
        let rs = generate(shape);
        let (results, p) = published(&inst, &rs, K);
        let d = p.derivations(K as usize);
        assert!(d.is_empty(), "{shape:?}: {d:?}");
        no_numbers_beside_withheld(&json_of_everything(&results), "").unwrap();
        total += 1;
        if !old_publication(&inst, &rs, K)
            .derivations(K as usize)
            .is_empty()
        {
            old_leaky += 1;
        }
    }
    println!("generated rounds: {total}, new rule 0 derivations, old rule leaked in {old_leaky}");
    assert!(old_leaky > 0, "the solver must catch the old rule's leaks");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn no_generated_round_lets_a_small_group_be_derived(
        n in 1usize..40,
        unlinked in prop_oneof![Just(0.0), 0.0f64..0.4],
        skip in 0.0f64..0.4,
        seed in any::<u64>(),
        k in prop_oneof![Just(5u64), 6u64..8],
    ) {
        let inst = instrument();
        let rs = generate(Shape { n, unlinked, skip, seed });
        let (results, p) = published(&inst, &rs, k);
        let d = p.derivations(k as usize);
        prop_assert!(d.is_empty(), "{:?}", d);
        prop_assert!(no_numbers_beside_withheld(&json_of_everything(&results), "").is_ok());
        if (n as u64) < k {
            prop_assert_eq!(results.withheld, Some(Withheld::FewerThanK { k }));
        }
    }
}
