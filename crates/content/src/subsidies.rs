//! Public subsidies that can pay for part of a measure (`reference/subsidies.toml`). Examples
//! name them by id; the file says who runs each, what it covers, who may apply, and where to
//! read the current call. Amounts change with every call and are not recorded.

use std::collections::HashSet;

use kojo_core::Text;
use kojo_core::checklist::SizeBand;
use serde::{Deserialize, Serialize};

use crate::validate::valid_id;
use crate::{ContentError, ContentErrors};

pub(crate) const FILE: &str = "reference/subsidies.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SubsidiesFile {
    pub subsidies: Vec<Subsidy>,
}

/// A subsidy or grant programme.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subsidy {
    pub id: String,
    pub name: Text,
    /// Who runs it.
    pub run_by: Text,
    /// What it pays for, as far as kojo's examples are concerned.
    pub covers: Text,
    /// Who may apply.
    pub eligibility: Text,
    /// The size bands of kojo's examples it can apply to (companies of those sizes may be
    /// eligible; the call decides).
    pub sizes: Vec<SizeBand>,
    /// Where the facts above were read, and how sure they are.
    pub source: Text,
    /// Where the current call is published.
    pub url: String,
}

pub(crate) fn validate(subsidies: &[Subsidy], errors: &mut ContentErrors) {
    let mut ids = HashSet::new();
    for s in subsidies {
        let entry = format!("subsidy {}", s.id);
        if !ids.insert(s.id.as_str()) {
            errors.push(ContentError::entry(FILE, &entry, "duplicate id"));
        }
        if !valid_id(&s.id) {
            errors.push(ContentError::entry(FILE, &entry, "invalid id"));
        }
        if s.sizes.is_empty() {
            errors.push(ContentError::entry(FILE, &entry, "sizes is empty"));
        }
        if !s.url.starts_with("https://") || s.url.contains(char::is_whitespace) {
            errors.push(ContentError::entry(
                FILE,
                &entry,
                format!("url {:?} must be an https:// address", s.url),
            ));
        }
    }
}
