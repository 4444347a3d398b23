//! What the factory does about a finding: its status (未対応 / 対応中 / 対応済 / 該当なし) and
//! how urgent it is. The priority combines four things the factory can check: the CVE is being
//! exploited (CISA KEV), its CVSS base score, how important the asset is, and whether an
//! attacker entering at an untrusted entry point can reach the asset's zone by an attack route
//! (`crate::plant::routes`). The weights are in docs/vulnerabilities.md.

use serde::{Deserialize, Serialize};

use super::matching::Verdict;
use crate::codes;
use crate::plant::model::Importance;
use crate::plant::routes::EntryPoint;

codes!(
    /// The factory's handling of one match.
    MatchStatus {
        /// 未対応
        Open = "open",
        /// 対応中
        InProgress = "in_progress",
        /// 対応済
        Done = "done",
        /// 該当なし (with a VEX justification)
        NotAffected = "not_affected",
    }
);

impl MatchStatus {
    /// Not yet handled: open or in progress (what OPS-8 counts).
    pub fn unhandled(self) -> bool {
        matches!(self, MatchStatus::Open | MatchStatus::InProgress)
    }
}

codes!(
    /// How urgent a match is.
    PriorityLevel {
        Urgent = "urgent",
        High = "high",
        Medium = "medium",
        Low = "low",
    }
);

/// Whether an attacker can reach the asset's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reach {
    /// The entry point of the shortest route.
    pub entry: EntryPoint,
    /// Conduits crossed (0: the zone is itself an entry point).
    pub hops: usize,
}

/// Everything the priority depends on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PriorityInput {
    pub kev: bool,
    pub cvss: Option<f64>,
    pub importance: Importance,
    pub reach: Option<Reach>,
    pub verdict: Verdict,
}

/// A priority: a score out of 100 and its level, with the parts that made it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Priority {
    pub score: u8,
    pub level: PriorityLevel,
    pub from_kev: u8,
    pub from_cvss: u8,
    pub from_importance: u8,
    pub from_reach: u8,
}

/// Score: CVSS × 4 (up to 40), KEV +30, importance high +15 / medium +8, reachable from an
/// untrusted entry point +15 (directly, or one conduit away) or +10 (further). A finding that
/// needs checking keeps its score: unknown is not safe. Urgent ≥ 70, high ≥ 50, medium ≥ 30.
pub fn priority(input: &PriorityInput) -> Priority {
    let from_cvss = input.cvss.map_or(20, |s| {
        let s = (s.clamp(0.0, 10.0) * 4.0).round();
        // 0..=40 after the clamp.
        crate::num::trunc_u8(s)
    });
    let from_kev = if input.kev { 30 } else { 0 };
    let from_importance = match input.importance {
        Importance::High => 15,
        Importance::Medium => 8,
        Importance::Low => 0,
    };
    let from_reach = match input.reach {
        Some(r) if r.entry == EntryPoint::Insider => 0,
        Some(r) if r.hops <= 1 => 15,
        Some(_) => 10,
        None => 0,
    };
    let score = from_cvss + from_kev + from_importance + from_reach;
    let level = match score {
        70.. => PriorityLevel::Urgent,
        50..=69 => PriorityLevel::High,
        30..=49 => PriorityLevel::Medium,
        _ => PriorityLevel::Low,
    };
    Priority {
        score,
        level,
        from_kev,
        from_cvss,
        from_importance,
        from_reach,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kev: bool, cvss: f64, importance: Importance, reach: Option<Reach>) -> PriorityInput {
        PriorityInput {
            kev,
            cvss: Some(cvss),
            importance,
            reach,
            verdict: Verdict::Affected,
        }
    }

    #[test]
    fn kev_and_reach_raise_the_priority_and_an_unreachable_low_asset_stays_low() {
        let direct = Some(Reach {
            entry: EntryPoint::Internet,
            hops: 1,
        });
        let p = priority(&input(true, 9.8, Importance::High, direct));
        assert_eq!((p.score, p.level), (99, PriorityLevel::Urgent));
        let p = priority(&input(false, 9.8, Importance::High, direct));
        assert_eq!((p.score, p.level), (69, PriorityLevel::High));
        let p = priority(&input(false, 5.0, Importance::Low, None));
        assert_eq!((p.score, p.level), (20, PriorityLevel::Low));
        let far = Some(Reach {
            entry: EntryPoint::OfficeLan,
            hops: 3,
        });
        let p = priority(&input(false, 5.0, Importance::Medium, far));
        assert_eq!((p.score, p.level), (38, PriorityLevel::Medium));
        let inside = Some(Reach {
            entry: EntryPoint::Insider,
            hops: 0,
        });
        assert_eq!(
            priority(&input(false, 5.0, Importance::Low, inside)).from_reach,
            0
        );
    }

    #[test]
    fn statuses_open_and_in_progress_are_unhandled() {
        let unhandled: Vec<_> = MatchStatus::ALL.iter().filter(|s| s.unhandled()).collect();
        assert_eq!(unhandled, [&MatchStatus::Open, &MatchStatus::InProgress]);
    }
}
