//! OSV records (JSON, the OSV schema) into [`kojo_core::vuln::osv::OsvRecord`]. Each event of a
//! range must hold exactly one of `introduced`, `fixed`, `last_affected`, `limit`; a range type
//! other than SEMVER, ECOSYSTEM or GIT is an error naming its JSON path.

use kojo_core::vuln::osv::{OsvAffected, OsvEvent, OsvPackage, OsvRange, OsvRangeKind, OsvRecord};
use serde::Deserialize;

use crate::csaf::{ReadError, from_json};

#[derive(Deserialize)]
struct RawRecord {
    id: String,
    modified: String,
    published: Option<String>,
    withdrawn: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    summary: Option<String>,
    #[serde(default)]
    affected: Vec<RawAffected>,
}

#[derive(Deserialize)]
struct RawAffected {
    package: Option<RawPackage>,
    #[serde(default)]
    ranges: Vec<RawRange>,
    #[serde(default)]
    versions: Vec<String>,
}

#[derive(Deserialize)]
struct RawPackage {
    ecosystem: String,
    name: String,
    purl: Option<String>,
}

#[derive(Deserialize)]
struct RawRange {
    #[serde(rename = "type")]
    kind: OsvRangeKind,
    repo: Option<String>,
    events: Vec<RawEvent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    introduced: Option<String>,
    fixed: Option<String>,
    last_affected: Option<String>,
    limit: Option<String>,
}

/// Reads one OSV record.
pub fn parse(bytes: &[u8]) -> Result<OsvRecord, ReadError> {
    let raw: RawRecord = from_json(bytes)?;
    let mut affected = Vec::with_capacity(raw.affected.len());
    for (ai, a) in raw.affected.into_iter().enumerate() {
        let mut ranges = Vec::with_capacity(a.ranges.len());
        for (ri, r) in a.ranges.into_iter().enumerate() {
            let mut events = Vec::with_capacity(r.events.len());
            for (ei, e) in r.events.into_iter().enumerate() {
                events.push(event(e).ok_or_else(|| {
                    ReadError::at(
                        &format!("affected[{ai}].ranges[{ri}].events[{ei}]"),
                        "expected exactly one of introduced, fixed, last_affected, limit",
                    )
                })?);
            }
            ranges.push(OsvRange {
                kind: r.kind,
                repo: r.repo,
                events,
            });
        }
        affected.push(OsvAffected {
            package: a.package.map(|p| OsvPackage {
                ecosystem: p.ecosystem,
                name: p.name,
                purl: p.purl,
            }),
            ranges,
            versions: a.versions,
        });
    }
    Ok(OsvRecord {
        id: raw.id,
        modified: raw.modified,
        published: raw.published,
        withdrawn: raw.withdrawn,
        aliases: raw.aliases,
        summary: raw.summary,
        affected,
    })
}

fn event(e: RawEvent) -> Option<OsvEvent> {
    match (e.introduced, e.fixed, e.last_affected, e.limit) {
        (Some(v), None, None, None) => Some(OsvEvent::Introduced(v)),
        (None, Some(v), None, None) => Some(OsvEvent::Fixed(v)),
        (None, None, Some(v), None) => Some(OsvEvent::LastAffected(v)),
        (None, None, None, Some(v)) => Some(OsvEvent::Limit(v)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kojo_core::vuln::spec::Eval;

    #[test]
    fn a_record_reads_and_its_ranges_evaluate() {
        let json = br#"{"id": "RUSTSEC-2021-0003", "modified": "2021-01-01T00:00:00Z",
          "aliases": ["CVE-2021-25900"], "affected": [{"package": {"ecosystem": "crates.io",
          "name": "smallvec", "purl": "pkg:cargo/smallvec"}, "ranges": [{"type": "SEMVER",
          "events": [{"introduced": "0.6.3"}, {"fixed": "0.6.14"}, {"introduced": "1.0.0"},
          {"fixed": "1.6.1"}]}]}]}"#;
        let r = parse(json).unwrap();
        assert_eq!(r.cves(), ["CVE-2021-25900"]);
        assert_eq!(r.affected[0].evaluate("1.6.0"), Eval::Affected);
        assert_eq!(r.affected[0].evaluate("0.6.14"), Eval::NotAffected);
        let bad = String::from_utf8_lossy(json).replace(
            "{\"fixed\": \"1.6.1\"}",
            "{\"fixed\": \"1.6.1\", \"introduced\": \"1\"}",
        );
        assert_eq!(
            parse(bad.as_bytes()).unwrap_err().path,
            "affected[0].ranges[0].events[3]"
        );
        let bad = String::from_utf8_lossy(json).replace("SEMVER", "CALVER");
        assert_eq!(
            parse(bad.as_bytes()).unwrap_err().path,
            "affected[0].ranges[0].type"
        );
    }
}
