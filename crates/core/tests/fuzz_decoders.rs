//! Fuzzing the domain's decoders of typed input (issue 8 §3, with `kojo-formats`' `tests/fuzz.rs`
//! for files): dates as forms and workbooks give them, and plant models written by name. Nothing
//! panics; whatever is accepted means what it says (a parsed date prints back to itself; a named
//! model that resolves keeps every reference inside itself).
//!
//! Long run: `PROPTEST_CASES=20000 cargo test --release -p kojo-core --test fuzz_decoders`.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a panic is a failed run with its message"
)]

use kojo_core::date::{Date, parse_optional};
use kojo_core::plant::named::NamedPlant;
use proptest::prelude::*;

/// A small model by name; mutations of its JSON text are the fuzz input.
const SAMPLE: &str = r#"{
  "processes": [{"name": "プレス加工", "importance": "3"}],
  "zones": [
    {"name": "制御", "purpose": "control", "processes": ["プレス加工"]},
    {"name": "保守ベンダー", "purpose": "external", "exposure": "vendor"}
  ],
  "conduits": [{"name": "保守回線", "a": "保守ベンダー", "b": "制御", "kind": "remote_maintenance"}],
  "assets": [
    {"name": "PLC", "kind": "plc", "zone": "制御", "count": 3, "processes": ["プレス加工"]},
    {"name": "HMI", "kind": "hmi", "zone": "制御", "version": "V2.3"}
  ],
  "flows": [{"from": "HMI", "to": "PLC-1", "conduit": "保守回線"}]
}"#;

#[test]
fn the_sample_model_resolves() {
    let named: NamedPlant = serde_json::from_str(SAMPLE).unwrap();
    let plant = named.resolve().unwrap();
    assert_eq!(plant.assets.len(), 4, "count = 3 expands to PLC-1..PLC-3");
}

fn collect_leaves<'a>(v: &'a mut serde_json::Value, out: &mut Vec<&'a mut serde_json::Value>) {
    match v {
        serde_json::Value::Object(m) => m.values_mut().for_each(|x| collect_leaves(x, out)),
        serde_json::Value::Array(a) => a.iter_mut().for_each(|x| collect_leaves(x, out)),
        leaf => out.push(leaf),
    }
}

fn date_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,5}[-/][0-9]{1,3}[-/][0-9]{1,3}",
        " ?[0-9]{4}-[0-9]{2}-[0-9]{2} ?",
        Just("2027/13/45".to_string()),
        Just("0007-01-01".to_string()),
        Just("２０２７-０１-０１".to_string()),
        Just("2024-02-29".to_string()),
        Just("2023-02-29".to_string()),
        ".{0,16}",
    ]
}

proptest! {
    #[test]
    fn a_date_is_parsed_to_itself_or_refused(text in date_text()) {
        match Date::parse(&text) {
            Some(d) => {
                prop_assert_eq!(Date::parse(&d.iso()), Some(d));
                prop_assert!(d.month() >= 1 && d.month() <= 12 && d.day() >= 1 && d.day() <= 31);
            }
            None => prop_assert!(text.trim().is_empty() || parse_optional(&text).is_err()),
        }
    }

    #[test]
    fn a_damaged_model_by_name_resolves_inside_itself_or_names_the_field(
        edits in prop::collection::vec((any::<usize>(), prop_oneof![
            Just(serde_json::json!("")),
            Just(serde_json::json!("PLC-9")),
            Just(serde_json::json!("PLC-1")),
            Just(serde_json::json!("制御")),
            Just(serde_json::json!("プレス加工")),
            Just(serde_json::json!(0)),
            Just(serde_json::json!(1001)),
            Just(serde_json::json!(null)),
            ".{0,4}".prop_map(serde_json::Value::from),
        ]), 1..4),
    ) {
        // Replace leaves of the sample (strings and numbers) so that most documents still
        // parse and the references between lists are what breaks.
        let mut doc: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
        for (at, value) in &edits {
            let mut leaves = Vec::new();
            collect_leaves(&mut doc, &mut leaves);
            let n = leaves.len();
            *leaves.swap_remove(at % n) = value.clone();
        }
        let Ok(named) = serde_json::from_value::<NamedPlant>(doc) else {
            return Ok(());
        };
        match named.resolve() {
            Ok(plant) => {
                for c in &plant.conduits {
                    prop_assert!(plant.zone(c.a).is_some() && plant.zone(c.b).is_some());
                }
                for a in &plant.assets {
                    prop_assert!(a.zone.is_none_or(|z| plant.zone(z).is_some()));
                    for p in &a.processes {
                        prop_assert!(plant.process(*p).is_some());
                    }
                }
                for f in &plant.flows {
                    prop_assert!(plant.asset(f.from).is_some() && plant.asset(f.to).is_some());
                }
            }
            Err(e) => {
                prop_assert!(["processes", "zones", "conduits", "assets", "flows"].contains(&e.section));
                prop_assert!(e.entry >= 1 && !e.field.is_empty());
            }
        }
    }
}
