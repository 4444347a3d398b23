//! The action plan's rules, pure: when an item is overdue (today in JST against its due date),
//! how far the plan has come (% complete), what it costs in total (the sum of its examples' cost
//! bands, a range), and who to ask about an item answered 「該当しない・わからない」.
//! docs/scoring.md ("The plan at a glance") says why each rule is as it is.

use serde::Serialize;

use crate::checklist::{Example, Item};
use crate::date::Date;
use crate::format::JstDateTime;
use crate::reference::Bands;
use crate::status::PlanStatus;

/// Today's date in Japan (UTC+9) at `now_ms` (UTC milliseconds): due dates are Japanese
/// calendar dates whatever the server's time zone.
pub fn today_jst(now_ms: i64) -> Date {
    let t = JstDateTime::from_millis(now_ms);
    Date::new(t.year, t.month, t.day).unwrap_or_else(|| {
        // Outside the years kojo accepts (a broken clock): the nearest accepted date.
        let year = t
            .year
            .clamp(*crate::date::YEARS.start(), *crate::date::YEARS.end());
        Date::new(year, 1, 1).unwrap_or(Date::MIN)
    })
}

/// An open item (planned or in progress) whose due date is before today. An item due today is
/// not overdue yet; done and dropped items never are; a due date that is not a date is ignored.
pub fn is_overdue(status: PlanStatus, due: Option<&str>, today: Date) -> bool {
    let open = matches!(status, PlanStatus::Planned | PlanStatus::InProgress);
    open && due.and_then(Date::parse).is_some_and(|d| d < today)
}

/// How far a plan has come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Progress {
    /// Planned or in progress.
    pub open: usize,
    pub done: usize,
    /// Dropped items: no longer part of the plan's work.
    pub dropped: usize,
    /// Open items past their due date.
    pub overdue: usize,
}

impl Progress {
    /// Counts items given as (status, due date).
    pub fn of<'a>(
        items: impl IntoIterator<Item = (PlanStatus, Option<&'a str>)>,
        today: Date,
    ) -> Progress {
        let mut p = Progress::default();
        for (status, due) in items {
            match status {
                PlanStatus::Done => p.done += 1,
                PlanStatus::Dropped => p.dropped += 1,
                PlanStatus::Planned | PlanStatus::InProgress => p.open += 1,
            }
            if is_overdue(status, due, today) {
                p.overdue += 1;
            }
        }
        p
    }

    /// Done items as a share (0–100) of the items that are still part of the plan (dropped ones
    /// left out); `None` for a plan with nothing in it.
    pub fn percent(&self) -> Option<f64> {
        let counted = self.open + self.done;
        (counted > 0).then(|| self.done as f64 * 100.0 / counted as f64)
    }
}

/// What the open part of a plan costs: the sum of the bands of its examples, as a range in yen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CostTotal {
    /// The items counted.
    pub items: usize,
    /// The sum of the bands' lower ends (a band's lower end is the previous band's upper end;
    /// the outlay is more than this unless every item is free).
    pub min_yen: u64,
    /// The sum of the bands' upper ends; `None` when an item's band has no upper end.
    pub max_yen: Option<u64>,
    /// Items whose example needs the equipment vendor's work, quoted separately (not in the sum).
    pub vendor_quotes: usize,
    /// Items whose band is unknown (not in the sum).
    pub unknown: usize,
}

/// Adds up cost bands, given per item as (band id, needs the vendor's work).
pub fn cost_total<'a>(
    bands: &Bands,
    items: impl IntoIterator<Item = (&'a str, bool)>,
) -> CostTotal {
    let mut t = CostTotal {
        max_yen: Some(0),
        ..CostTotal::default()
    };
    for (cost, needs_vendor) in items {
        t.items += 1;
        if needs_vendor {
            t.vendor_quotes += 1;
        }
        let Some(rank) = bands.cost_rank(cost) else {
            t.unknown += 1;
            continue;
        };
        let lower = rank
            .checked_sub(1)
            .and_then(|r| bands.cost_bands[r].max_yen)
            .unwrap_or(0);
        t.min_yen = t.min_yen.saturating_add(lower);
        t.max_yen = match (t.max_yen, bands.cost_bands[rank].max_yen) {
            (Some(sum), Some(max)) => Some(sum.saturating_add(max)),
            _ => None,
        };
    }
    t
}

/// Whether an example costs nothing beyond staff time: the cheapest band, whose upper end is ¥0,
/// and no vendor work (a "¥0" example that needs the vendor's paid work is not free).
pub fn is_free(bands: &Bands, example: &Example) -> bool {
    !example.needs_vendor
        && bands
            .cost_band(&example.cost)
            .is_some_and(|b| b.max_yen == Some(0))
}

/// Who can answer for an item answered 「該当しない・わからない」.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Asker {
    /// The equipment vendor or maintenance contractor: what is inside the equipment.
    Vendor,
    /// Management (the plant manager, the executive in charge): policies, budgets, roles.
    Management,
    /// The people who run and maintain the plant's equipment and network.
    PlantStaff,
    /// Whoever deals with suppliers and contractors (purchasing, outsourcing).
    Purchasing,
}

impl Asker {
    pub const ALL: [Asker; 4] = [
        Asker::Vendor,
        Asker::PlantStaff,
        Asker::Management,
        Asker::Purchasing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Asker::Vendor => "vendor",
            Asker::Management => "management",
            Asker::PlantStaff => "plant_staff",
            Asker::Purchasing => "purchasing",
        }
    }
}

/// Who to ask about an item: the equipment vendor when one of its measures needs the vendor's
/// work at some company size (the answer is in the equipment); otherwise by category —
/// organisational items (ORG) management, supply-chain items (SC) purchasing, the rest the
/// plant's own staff.
pub fn who_to_ask(item: &Item) -> Asker {
    let vendor = item
        .measures
        .iter()
        .any(|m| m.examples.iter().any(|(_, e)| e.needs_vendor));
    if vendor {
        return Asker::Vendor;
    }
    match item.category.as_str() {
        "ORG" => Asker::Management,
        "SC" => Asker::Purchasing,
        _ => Asker::PlantStaff,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Text;
    use crate::reference::CostBand;

    fn bands() -> Bands {
        let band = |id: &str, max: Option<u64>| CostBand {
            id: id.into(),
            label: Text::new(id, id),
            max_yen: max,
        };
        Bands {
            source: Text::new("", ""),
            cost_bands: vec![
                band("zero", Some(0)),
                band("under_100k", Some(100_000)),
                band("under_1m", Some(1_000_000)),
                band("over_1m", None),
            ],
            vendor_work: None,
            band_sets: vec![],
        }
    }

    fn example(cost: &str, vendor: bool) -> Example {
        let mut e = Example::new(Text::new("", ""), cost);
        e.needs_vendor = vendor;
        e
    }

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn today_is_the_japanese_date() {
        // 2026-03-31T15:00Z is already 1 April in Japan.
        let ms = 1_774_969_200_000;
        assert_eq!(today_jst(ms), date("2026-04-01"));
        assert_eq!(today_jst(ms - 1), date("2026-03-31"));
    }

    #[test]
    fn only_open_items_past_their_due_date_are_overdue() {
        let today = date("2026-04-01");
        assert!(is_overdue(PlanStatus::Planned, Some("2026-03-31"), today));
        assert!(is_overdue(
            PlanStatus::InProgress,
            Some("2025-12-01"),
            today
        ));
        assert!(
            !is_overdue(PlanStatus::Planned, Some("2026-04-01"), today),
            "due today"
        );
        assert!(!is_overdue(PlanStatus::Done, Some("2026-03-01"), today));
        assert!(!is_overdue(PlanStatus::Dropped, Some("2026-03-01"), today));
        assert!(!is_overdue(PlanStatus::Planned, None, today));
        assert!(!is_overdue(PlanStatus::Planned, Some("someday"), today));
    }

    #[test]
    fn percent_complete_leaves_dropped_items_out() {
        let today = date("2026-04-01");
        let p = Progress::of(
            [
                (PlanStatus::Done, None),
                (PlanStatus::Planned, Some("2026-01-01")),
                (PlanStatus::InProgress, None),
                (PlanStatus::Dropped, Some("2026-01-01")),
            ],
            today,
        );
        assert_eq!(
            p,
            Progress {
                open: 2,
                done: 1,
                dropped: 1,
                overdue: 1
            }
        );
        assert!((p.percent().unwrap() - 100.0 / 3.0).abs() < 1e-9);
        assert_eq!(Progress::default().percent(), None);
    }

    #[test]
    fn the_total_cost_is_the_sum_of_the_bands_as_a_range() {
        let b = bands();
        let t = cost_total(
            &b,
            [("zero", false), ("under_100k", true), ("under_1m", false)],
        );
        assert_eq!(t.min_yen, 100_000);
        assert_eq!(t.max_yen, Some(1_100_000));
        assert_eq!((t.items, t.vendor_quotes, t.unknown), (3, 1, 0));
        let open = cost_total(&b, [("over_1m", false), ("what", false)]);
        assert_eq!(
            (open.min_yen, open.max_yen, open.unknown),
            (1_000_000, None, 1)
        );
        assert_eq!(cost_total(&b, []).max_yen, Some(0));
    }

    #[test]
    fn free_means_zero_yen_and_no_vendor_work() {
        let b = bands();
        assert!(is_free(&b, &example("zero", false)));
        assert!(!is_free(&b, &example("zero", true)));
        assert!(!is_free(&b, &example("under_100k", false)));
    }
}
