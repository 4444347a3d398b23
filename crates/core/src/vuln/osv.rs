//! OSV records (the format of the RustSec, PyPA, Go and GitHub advisory databases) and the check
//! of a package version against their affected ranges. `kojo_formats::osv` reads them.
//!
//! Ranges are evaluated as the OSV specification says: events sorted by version, `introduced`
//! opens, `fixed` closes (the fixed version is not affected), `last_affected` closes after its
//! version; the `versions` list counts too. SEMVER and ECOSYSTEM versions compare with
//! [`Version`](super::version::Version) — exact for semantic versions, an approximation of each
//! ecosystem's own ordering (PEP 440, Maven) for unusual forms. GIT ranges name commits and
//! cannot be evaluated on a version number: unless the version is listed, they need checking.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::sbom::Purl;
use super::spec::{Eval, Uncertain};
use super::version::Version;
use crate::codes;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsvRecord {
    pub id: String,
    pub modified: String,
    pub published: Option<String>,
    pub withdrawn: Option<String>,
    /// Other ids of the same vulnerability (CVE ids among them).
    pub aliases: Vec<String>,
    pub summary: Option<String>,
    pub affected: Vec<OsvAffected>,
}

impl OsvRecord {
    /// The record's CVE ids (its id or aliases), upper case.
    pub fn cves(&self) -> Vec<String> {
        std::iter::once(&self.id)
            .chain(&self.aliases)
            .filter(|a| a.to_uppercase().starts_with("CVE-"))
            .map(|a| a.to_uppercase())
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsvPackage {
    pub ecosystem: String,
    pub name: String,
    pub purl: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsvAffected {
    pub package: Option<OsvPackage>,
    pub ranges: Vec<OsvRange>,
    pub versions: Vec<String>,
}

codes!(
    /// `affected[].ranges[].type`.
    OsvRangeKind {
        Semver = "SEMVER",
        Ecosystem = "ECOSYSTEM",
        Git = "GIT",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsvRange {
    pub kind: OsvRangeKind,
    pub repo: Option<String>,
    pub events: Vec<OsvEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OsvEvent {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    Limit(String),
}

impl OsvAffected {
    /// Whether `version` of the package is affected.
    pub fn evaluate(&self, version: &str) -> Eval {
        let v = version.trim();
        if self.versions.iter().any(|x| x.trim() == v) {
            return Eval::Affected;
        }
        let Some(parsed) = Version::parse(v) else {
            return Eval::Unknown(Uncertain::AssetVersionUnparsed);
        };
        let mut unknown = None;
        for r in &self.ranges {
            match r.contains(&parsed) {
                Some(true) => return Eval::Affected,
                Some(false) => {}
                None => unknown = Some(Uncertain::Incomparable),
            }
        }
        match unknown {
            Some(u) => Eval::Unknown(u),
            None => Eval::NotAffected,
        }
    }
}

impl OsvRange {
    /// `None` for GIT ranges and versions that do not compare.
    pub fn contains(&self, v: &Version) -> Option<bool> {
        if self.kind == OsvRangeKind::Git {
            return None;
        }
        let mut events: Vec<(Option<Version>, &OsvEvent)> = Vec::new();
        for e in &self.events {
            let text = match e {
                OsvEvent::Introduced(t) | OsvEvent::Fixed(t) | OsvEvent::LastAffected(t) => t,
                OsvEvent::Limit(_) => continue,
            };
            // "0" introduced means "from the start".
            let at = if text == "0" {
                None
            } else {
                Some(Version::parse(text)?)
            };
            events.push((at, e));
        }
        events.sort_by(|a, b| match (&a.0, &b.0) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => x.compare(y).unwrap_or(Ordering::Equal),
        });
        let mut affected = false;
        for (at, e) in events {
            let cmp = match &at {
                None => Ordering::Greater,
                Some(x) => v.compare(x)?,
            };
            match e {
                OsvEvent::Introduced(_) if cmp != Ordering::Less => affected = true,
                OsvEvent::Fixed(_) if cmp != Ordering::Less => affected = false,
                OsvEvent::LastAffected(_) if cmp == Ordering::Greater => affected = false,
                _ => {}
            }
        }
        Some(affected)
    }
}

/// The OSV ecosystem and package name a purl stands for (`pkg:cargo/serde` → crates.io,
/// serde), for the ecosystems kojo knows.
pub fn ecosystem_of(purl: &Purl) -> Option<(&'static str, String)> {
    let ns = purl.namespace.as_deref();
    let joined = |sep: &str| match ns {
        Some(n) => format!("{n}{sep}{}", purl.name),
        None => purl.name.clone(),
    };
    Some(match purl.ty.as_str() {
        "cargo" => ("crates.io", purl.name.clone()),
        "pypi" => ("PyPI", purl.name.to_lowercase().replace('_', "-")),
        "npm" => ("npm", joined("/")),
        "maven" => ("Maven", joined(":")),
        "golang" => ("Go", joined("/")),
        "gem" => ("RubyGems", purl.name.clone()),
        "nuget" => ("NuGet", purl.name.clone()),
        "composer" => ("Packagist", joined("/")),
        "hex" => ("Hex", purl.name.clone()),
        "pub" => ("Pub", purl.name.clone()),
        _ => return None,
    })
}

/// OSV's key for a package: ecosystem and name, PyPI names normalised.
pub fn package_key(ecosystem: &str, name: &str) -> String {
    let name = if ecosystem.eq_ignore_ascii_case("pypi") {
        name.to_lowercase().replace('_', "-")
    } else {
        name.to_string()
    };
    format!("{ecosystem}/{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn affected(events: Vec<OsvEvent>, versions: &[&str]) -> OsvAffected {
        OsvAffected {
            package: None,
            ranges: vec![OsvRange {
                kind: OsvRangeKind::Semver,
                repo: None,
                events,
            }],
            versions: versions.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn introduced_fixed_and_last_affected_bound_the_range() {
        use OsvEvent::*;
        let a = affected(vec![Introduced("0".into()), Fixed("1.2.3".into())], &[]);
        assert_eq!(a.evaluate("1.2.2"), Eval::Affected);
        assert_eq!(a.evaluate("1.2.3"), Eval::NotAffected);
        let a = affected(
            vec![
                Introduced("1.0.0".into()),
                LastAffected("1.4.0".into()),
                Introduced("2.0.0".into()),
                Fixed("2.1.0".into()),
            ],
            &["0.9.1"],
        );
        assert_eq!(a.evaluate("0.9.9"), Eval::NotAffected);
        assert_eq!(a.evaluate("0.9.1"), Eval::Affected);
        assert_eq!(a.evaluate("1.4.0"), Eval::Affected);
        assert_eq!(a.evaluate("1.4.1"), Eval::NotAffected);
        assert_eq!(a.evaluate("2.0.5"), Eval::Affected);
        assert_eq!(a.evaluate("2.1.0"), Eval::NotAffected);
        assert_eq!(a.evaluate("1.0.0-rc1"), Eval::NotAffected);
        let git = OsvAffected {
            package: None,
            ranges: vec![OsvRange {
                kind: OsvRangeKind::Git,
                repo: None,
                events: vec![Introduced("abc".into())],
            }],
            versions: vec![],
        };
        assert_eq!(git.evaluate("1.0"), Eval::Unknown(Uncertain::Incomparable));
    }

    #[test]
    fn purls_map_to_ecosystems() {
        let p = Purl::parse("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1").unwrap();
        assert_eq!(
            ecosystem_of(&p),
            Some(("Maven", "org.apache.logging.log4j:log4j-core".into()))
        );
        let p = Purl::parse("pkg:pypi/Django_Rest@1").unwrap();
        assert_eq!(ecosystem_of(&p), Some(("PyPI", "django-rest".into())));
        assert_eq!(package_key("PyPI", "Django_Rest"), "PyPI/django-rest");
    }
}
