//! Scores of an assessment: per category and overall.
//!
//! Formula (docs/scoring.md): each answered, applicable item contributes its implementation level
//! mapped to 0–100 points, `(value − min) / (max − min) × 100` (on the 2022 scale 未実施 = 0,
//! 一部実施 = 25, 実施済み = 50, 定期見直し = 75, 随時見直し = 100), weighted by the item's
//! priority weight. A category's score is the weighted mean over its applicable answered items.
//! 該当しない・わからない is excluded from scores; a category where half or more of the items are
//! answered that way, or where no item is answered yet, is not scorable. The overall score is the
//! weighted mean over the applicable answered items of the scorable categories.

use std::collections::HashMap;

use serde::Serialize;

use crate::checklist::Checklist;
use crate::scale::Scale;

/// Item id → answer code (e.g. `"3"`, `"na"`). Unanswered items are absent.
pub type Levels = HashMap<String, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CategoryStatus {
    Scored,
    /// Half or more of the category's items are answered 該当しない・わからない.
    TooManyNotApplicable,
    /// No applicable answer yet.
    NoAnswers,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CategoryScore {
    pub category: String,
    /// 0–100, one decimal; `None` when not scorable.
    pub score: Option<f64>,
    pub status: CategoryStatus,
    pub items: usize,
    pub answered: usize,
    pub not_applicable: usize,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Scores {
    pub overall: Option<f64>,
    pub categories: Vec<CategoryScore>,
    pub items: usize,
    pub answered: usize,
}

impl Scores {
    pub fn category(&self, id: &str) -> Option<&CategoryScore> {
        self.categories.iter().find(|c| c.category == id)
    }
}

/// Points (0–100) of a level value on a scale.
pub fn points(scale: &Scale, value: u8) -> f64 {
    let (min, max) = (scale.min_value() as f64, scale.max_value() as f64);
    if max <= min {
        return 0.0;
    }
    (value as f64 - min) / (max - min) * 100.0
}

pub fn score(checklist: &Checklist, scale: &Scale, levels: &Levels) -> Scores {
    let mut categories = Vec::new();
    let (mut total_w, mut total_p) = (0.0, 0.0);
    let mut answered_all = 0;
    for cat in &checklist.categories {
        let (mut items, mut answered, mut na, mut w_sum, mut p_sum) = (0, 0, 0, 0.0, 0.0);
        for item in checklist.items_in(&cat.id) {
            items += 1;
            let Some(level) = levels.get(&item.id).and_then(|code| scale.level(code)) else {
                continue;
            };
            answered += 1;
            match level.value {
                Some(v) => {
                    w_sum += item.weight as f64;
                    p_sum += item.weight as f64 * points(scale, v);
                }
                None => na += 1,
            }
        }
        answered_all += answered;
        let status = if na * 2 >= items && items > 0 {
            CategoryStatus::TooManyNotApplicable
        } else if w_sum == 0.0 {
            CategoryStatus::NoAnswers
        } else {
            CategoryStatus::Scored
        };
        let score = (status == CategoryStatus::Scored).then(|| {
            total_w += w_sum;
            total_p += p_sum;
            crate::format::round1(p_sum / w_sum)
        });
        categories.push(CategoryScore {
            category: cat.id.clone(),
            score,
            status,
            items,
            answered,
            not_applicable: na,
        });
    }
    Scores {
        overall: (total_w > 0.0).then(|| crate::format::round1(total_p / total_w)),
        categories,
        items: checklist.items.len(),
        answered: answered_all,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{checklist, scale};

    fn levels(pairs: &[(&str, &str)]) -> Levels {
        pairs
            .iter()
            .map(|(i, l)| (i.to_string(), l.to_string()))
            .collect()
    }

    #[test]
    fn levels_map_to_points() {
        let s = scale();
        assert_eq!(points(&s, 1), 0.0);
        assert_eq!(points(&s, 2), 25.0);
        assert_eq!(points(&s, 3), 50.0);
        assert_eq!(points(&s, 5), 100.0);
    }

    #[test]
    fn weighted_mean_per_category_and_overall() {
        let (c, s) = (checklist(), scale());
        // A: A-1 w4 at 3 (50), A-2 w2 at 5 (100) → (200 + 200) / 6 = 66.7
        // B: B-1 w1 at 1 (0), B-2 w3 at 2 (25), B-3 w2 at 4 (75) → (0 + 75 + 150) / 6 = 37.5
        // overall: (400 + 225) / 12 = 52.1
        let r = score(
            &c,
            &s,
            &levels(&[
                ("A-1", "3"),
                ("A-2", "5"),
                ("B-1", "1"),
                ("B-2", "2"),
                ("B-3", "4"),
            ]),
        );
        assert_eq!(r.category("A").unwrap().score, Some(66.7));
        assert_eq!(r.category("B").unwrap().score, Some(37.5));
        assert_eq!(r.overall, Some(52.1));
        assert_eq!(r.answered, 5);
    }

    #[test]
    fn not_applicable_is_excluded_and_too_much_of_it_makes_a_category_unscorable() {
        let (c, s) = (checklist(), scale());
        // B has 3 items: one N/A is fine (excluded), two is half or more.
        let r = score(
            &c,
            &s,
            &levels(&[("A-1", "5"), ("B-1", "na"), ("B-2", "3"), ("B-3", "1")]),
        );
        let b = r.category("B").unwrap();
        assert_eq!(b.status, CategoryStatus::Scored);
        assert_eq!(b.score, Some(30.0), "(3×50 + 2×0) / 5");
        assert_eq!(b.not_applicable, 1);
        let r = score(
            &c,
            &s,
            &levels(&[("A-1", "5"), ("B-1", "na"), ("B-2", "na"), ("B-3", "5")]),
        );
        let b = r.category("B").unwrap();
        assert_eq!(b.status, CategoryStatus::TooManyNotApplicable);
        assert_eq!(b.score, None);
        // The overall score then uses only category A.
        assert_eq!(r.overall, Some(100.0));
    }

    #[test]
    fn unanswered_categories_are_not_scored() {
        let (c, s) = (checklist(), scale());
        let r = score(&c, &s, &levels(&[("A-1", "2")]));
        assert_eq!(r.category("A").unwrap().score, Some(25.0));
        assert_eq!(r.category("B").unwrap().status, CategoryStatus::NoAnswers);
        assert_eq!(r.overall, Some(25.0));
        let r = score(&c, &s, &Levels::new());
        assert_eq!(r.overall, None);
    }

    #[test]
    fn unknown_codes_count_as_unanswered() {
        let (c, s) = (checklist(), scale());
        let r = score(&c, &s, &levels(&[("A-1", "7"), ("A-2", "3")]));
        assert_eq!(r.category("A").unwrap().answered, 1);
    }
}
