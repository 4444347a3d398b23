//! The risk-analysis rule sets (`risk/<id>.toml`) and which one is used by default
//! (`risk/index.toml`).

use std::collections::HashSet;

use kojo_core::risk::{Method, RuleSet};
use serde::Deserialize;

use crate::{Catalog, ContentError, ContentErrors};

pub(crate) const INDEX: &str = "risk/index.toml";

/// `risk/index.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RiskIndex {
    /// The id of the rule set used unless a site chooses another.
    pub default: String,
}

fn file_of(r: &RuleSet) -> String {
    format!("risk/{}.toml", r.id)
}

/// The file name must agree with the rule set's id.
pub(crate) fn path(path: &str, file: &str, r: &RuleSet, errors: &mut ContentErrors) {
    if file != format!("{}.toml", r.id) {
        errors.push(ContentError::file(
            path,
            format!("rule set id {:?} must live at {}", r.id, file_of(r)),
        ));
    }
}

pub(crate) fn validate(cat: &Catalog, errors: &mut ContentErrors) {
    let sets = &cat.risk_rules;
    if sets.len() < 2 {
        errors.push(ContentError::file(
            "risk/*.toml",
            format!(
                "kojo offers at least two risk-analysis methods; found {}",
                sets.len()
            ),
        ));
    }
    let mut ids = HashSet::new();
    for r in sets {
        let file = file_of(r);
        let entry = format!("rule set {}", r.id);
        if !crate::validate::valid_id(&r.id) {
            errors.push(ContentError::entry(
                &file,
                &entry,
                "invalid id (letters, digits, - and _ only)",
            ));
        }
        if !ids.insert(r.id.as_str()) {
            errors.push(ContentError::entry(&file, &entry, "duplicate id"));
        }
        for p in r.problems() {
            errors.push(ContentError::entry(&file, &entry, p));
        }
        if !r.verified && r.reconstructed.is_none() {
            errors.push(ContentError::entry(
                &file,
                &entry,
                "an unverified rule set must say what is reconstructed (reconstructed.ja / .en)",
            ));
        }
        // A higher risk value never falls in a lower band.
        let mut bands: Vec<_> = r.bands.iter().collect();
        bands.sort_by_key(|b| b.min);
        if bands.windows(2).any(|w| w[1].level < w[0].level) {
            errors.push(ContentError::entry(
                &file,
                &entry,
                "band levels must not go down as values go up (low, then medium, then high)",
            ));
        }
        if r.method == Method::LikelihoodTable && !monotone(&r.likelihood) {
            errors.push(ContentError::entry(
                &file,
                &entry,
                "likelihood must not go down as threat or vulnerability goes up",
            ));
        }
    }
    if !sets.iter().any(|r| r.id == cat.risk_default) {
        let known: Vec<&str> = sets.iter().map(|r| r.id.as_str()).collect();
        errors.push(ContentError::file(
            INDEX,
            format!(
                "default {:?} is not a rule set of risk/ (expected one of {known:?})",
                cat.risk_default
            ),
        ));
    }
}

/// No value is smaller than the one above it or the one to its left
/// (`likelihood[threat - 1][vulnerability - 1]`).
fn monotone(table: &[Vec<u8>]) -> bool {
    table.iter().enumerate().all(|(t, row)| {
        row.iter().enumerate().all(|(v, &x)| {
            let left = v.checked_sub(1).and_then(|p| row.get(p));
            let above = t
                .checked_sub(1)
                .and_then(|p| table.get(p))
                .and_then(|r| r.get(v));
            left.is_none_or(|&l| l <= x) && above.is_none_or(|&a| a <= x)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::monotone;

    #[test]
    fn a_likelihood_table_must_grow_with_threat_and_vulnerability() {
        assert!(monotone(&[vec![1, 1, 1], vec![1, 1, 2], vec![1, 2, 3]]));
        // The source's printed order (threat 3 first) read as kojo's order is refused.
        assert!(!monotone(&[vec![3, 2, 1], vec![2, 1, 1], vec![1, 1, 1]]));
        assert!(!monotone(&[vec![1, 2, 1], vec![1, 2, 2], vec![1, 2, 3]]));
    }
}
