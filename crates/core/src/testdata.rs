//! A small checklist and scale for unit tests of the rules.

use crate::Text;
use crate::baseline::{Baseline, Figure, Unit};
use crate::checklist::{BaselineLink, Category, Checklist, Example, Examples, Item, Measure};
use crate::scale::{Level, Scale};

fn t(s: &str) -> Text {
    Text::new(s, s)
}

pub fn scale() -> Scale {
    let level = |code: &str, value: Option<u8>, implemented: bool| Level {
        code: code.into(),
        value,
        label: t(code),
        short: t(code),
        description: None,
        implemented,
        not_applicable: value.is_none(),
        provenance: None,
    };
    Scale {
        id: "implementation".into(),
        title: t("scale"),
        source: t("src"),
        levels: vec![
            level("5", Some(5), true),
            level("4", Some(4), true),
            level("3", Some(3), true),
            level("2", Some(2), false),
            level("1", Some(1), false),
            level("na", None, false),
        ],
    }
}

fn item(id: &str, category: &str, weight: u8, baseline: Vec<BaselineLink>) -> Item {
    let measure = Measure {
        id: format!("{id}-m1"),
        title: t("m"),
        provenance: None,
        provenance_note: None,
        cost_range: Default::default(),
        examples: Examples {
            small: Example::new(t("s"), "zero"),
            medium: Example::new(t("m"), "zero"),
            large: Example::new(t("l"), "zero"),
        },
    };
    Item {
        id: id.into(),
        category: category.into(),
        title: t(id),
        provenance: None,
        provenance_note: None,
        description: t("d"),
        why: t("w"),
        first_step: t("f"),
        weight,
        weight_change: None,
        requires: vec![],
        guideline_ref: t("ref"),
        guideline_ref_provenance: None,
        baseline,
        mappings: Default::default(),
        measures: vec![measure],
    }
}

/// Category A: A-1 (w4), A-2 (w2); category B: B-1 (w1), B-2 (w3), B-3 (w2).
/// A-1 is reported by a "not done" figure (65%), B-1 by a "done" figure (63.7%).
pub fn checklist() -> Checklist {
    let link = |figure: &str, levels: &[&str]| BaselineLink {
        figure: figure.into(),
        levels: levels.iter().map(|s| s.to_string()).collect(),
        related: false,
    };
    Checklist {
        schema: 1,
        id: "test".into(),
        version: 1,
        title: t("test"),
        source: t("src"),
        weight_source: None,
        scale: "implementation".into(),
        target_level: 3,
        categories: vec![
            Category {
                id: "A".into(),
                number: 1,
                title: t("A"),
                description: t("A"),
            },
            Category {
                id: "B".into(),
                number: 2,
                title: t("B"),
                description: t("B"),
            },
        ],
        items: vec![
            item("A-1", "A", 4, vec![link("f.not_done", &["1", "na"])]),
            item("A-2", "A", 2, vec![]),
            item("B-1", "B", 1, vec![link("f.done", &["5", "4", "3"])]),
            item("B-2", "B", 3, vec![]),
            item("B-3", "B", 2, vec![]),
        ],
    }
}

pub fn baseline() -> Baseline {
    let figure = |id: &str, value: f64| Figure {
        id: id.into(),
        survey: "company".into(),
        section: "H".into(),
        source_page: t("p"),
        topic: t("topic"),
        answer: None,
        value,
        unit: Unit::Percent,
        base: None,
        n: None,
        approx: false,
        rank: None,
        note: None,
    };
    Baseline {
        id: "national-test".into(),
        title: t("b"),
        source: t("s"),
        year: 2022,
        highlights: vec![],
        surveys: vec![],
        figures: vec![figure("f.not_done", 65.0), figure("f.done", 63.7)],
    }
}
