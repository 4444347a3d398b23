//! Survey results from stored responses: the submitted responses of one round, or of every round
//! of an instrument for the national view (a company that answered through several associations
//! counted once: its answer given signed in if any, else its latest submission), counted by the pure survey engine with the
//! organisation attributes (@industry, @size_band, @association, @sc3) as extra columns, then
//! passed through the disclosure rule. Results are cached by the rounds' versions. The report
//! page, its exports, the API and `kojo survey report` all read them here.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use kojo_content::Catalog;
use kojo_core::Text;
use kojo_core::ids::{OrgId, RoundId};
use kojo_core::instrument::Instrument;
use kojo_core::planning::size_band;
use kojo_core::survey::schema::{AttributeColumn, Schema, Value};
use kojo_core::survey::tally::{CrossPlan, Plan, Tally};
use kojo_core::survey::{Results, build, disclosure};
use kojo_storage::{Channel, Org, Round, SubmittedRow};

use crate::{Error, Expected, Problem, Result, Service};

/// Cache key: rounds with their versions, national or not, cross-tabs, k.
type Key = (Vec<(RoundId, i64)>, bool, Vec<(String, String)>, u64);

#[derive(Default)]
pub struct ResultsCache {
    map: Mutex<HashMap<Key, Arc<Results>>>,
}

/// The organisation attributes offered as columns.
pub fn attributes(catalog: &Catalog, owners: &[Org]) -> Vec<AttributeColumn> {
    let industries = &catalog.industries.industries;
    let sizes = &catalog.company_sizes.example_bands;
    vec![
        AttributeColumn {
            name: "@industry".into(),
            codes: industries.iter().map(|i| i.code.clone()).collect(),
            labels: industries.iter().map(|i| i.title.clone()).collect(),
        },
        AttributeColumn {
            name: "@size_band".into(),
            codes: sizes.iter().map(|b| b.id.clone()).collect(),
            labels: sizes.iter().map(|b| b.label.clone()).collect(),
        },
        AttributeColumn {
            name: "@association".into(),
            codes: owners.iter().map(|o| o.id.to_string()).collect(),
            labels: owners
                .iter()
                .map(|o| {
                    Text::new(
                        o.name.clone(),
                        o.name_en.clone().unwrap_or_else(|| o.name.clone()),
                    )
                })
                .collect(),
        },
        AttributeColumn {
            name: "@sc3".into(),
            codes: vec!["yes".into(), "no".into()],
            labels: vec![
                Text::new("SC3加盟", "SC3 member"),
                Text::new("SC3非加盟", "Not an SC3 member"),
            ],
        },
    ]
}

/// How much a response counts when an organisation answered several rounds: an answer it gave
/// signed in (it proved who it is) before one through a link or an import (anyone holding the
/// link, or the runner's word), then the latest.
fn rank(r: &SubmittedRow) -> (bool, i64) {
    (r.channel == Channel::Account, r.submitted_at)
}

/// Keeps one response per organisation (its signed-in answer if any, else the latest
/// submission); responses without an organisation are all kept.
pub fn once_per_org(rows: Vec<SubmittedRow>) -> Vec<SubmittedRow> {
    let mut latest: HashMap<OrgId, SubmittedRow> = HashMap::new();
    let mut out = Vec::new();
    for r in rows {
        match r.org_id {
            Some(org) => match latest.get(&org) {
                Some(seen) if rank(seen) >= rank(&r) => {}
                _ => {
                    latest.insert(org, r);
                }
            },
            None => out.push(r),
        }
    }
    let mut kept: Vec<SubmittedRow> = latest.into_values().collect();
    kept.sort_by_key(|r| (r.round_id, r.respondent.clone()));
    out.extend(kept);
    out
}

pub struct Request<'a> {
    pub instrument: &'a Instrument,
    pub rounds: &'a [Round],
    pub national: bool,
    /// Cross-tabs as (by, of) column names.
    pub cross: &'a [(String, String)],
    pub k: u64,
}

impl Service {
    /// The results of rounds after the disclosure rule (cached by the rounds' revisions).
    pub async fn survey_results(&self, req: &Request<'_>) -> Result<Arc<Results>> {
        results(self, req).await
    }
}

async fn results(service: &Service, req: &Request<'_>) -> Result<Arc<Results>> {
    let store = service.store();
    let catalog = service.catalog();
    let cache = &service.inner.survey_cache;
    let mut versions = Vec::new();
    for r in req.rounds {
        versions.push((r.id, store.round_version(r.id).await?));
    }
    let key: Key = (versions, req.national, req.cross.to_vec(), req.k);
    if let Some(hit) = cache.map.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(hit);
    }
    let orgs: HashMap<OrgId, Org> = store
        .list_orgs(None)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let owners: Vec<Org> = req
        .rounds
        .iter()
        .filter_map(|r| orgs.get(&r.owner_org_id).cloned())
        .collect();
    let attrs = attributes(catalog, &owners);
    let schema = Schema::with_attributes(req.instrument, &attrs)
        .map_err(|e| Error::Internal(e.to_string()))?;
    let cross = req
        .cross
        .iter()
        .map(|(by, of)| crosstab(&schema, by, of))
        .collect::<Result<Vec<_>, Problem>>()?;
    let plan = Plan::new(&schema, &cross).map_err(|e| Error::Internal(e.to_string()))?;
    let ids: Vec<RoundId> = req.rounds.iter().map(|r| r.id).collect();
    let mut rows = store.submitted(&ids).await?;
    if req.national {
        rows = once_per_org(rows);
    }
    let owner_of: HashMap<RoundId, OrgId> =
        req.rounds.iter().map(|r| (r.id, r.owner_org_id)).collect();
    let counting = Counting {
        schema: &schema,
        plan: &plan,
        orgs: &orgs,
        owner_of: &owner_of,
        bands: &catalog.company_sizes.example_bands,
    };
    // Counting 100,000 stored answers takes seconds: on the server's multi-threaded runtime it
    // leaves the async workers free (block_in_place) and uses every core.
    let tally = match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => {
            tokio::task::block_in_place(|| counting.count(&rows))?
        }
        _ => counting.count(&rows)?,
    };
    let baseline = catalog
        .baseline(&req.instrument.baseline)
        .ok_or_else(|| Error::Internal(format!("baseline {} missing", req.instrument.baseline)))?;
    let mut results = build(&schema, &plan, &tally, baseline);
    disclosure::apply(&mut results, req.k);
    let results = Arc::new(results);
    if let Ok(mut m) = cache.map.lock() {
        if m.len() > 256 {
            m.clear();
        }
        m.insert(key, results.clone());
    }
    Ok(results)
}

/// What counting stored answers needs besides the answers.
struct Counting<'a> {
    schema: &'a Schema<'a>,
    plan: &'a Plan,
    orgs: &'a HashMap<OrgId, Org>,
    owner_of: &'a HashMap<RoundId, OrgId>,
    bands: &'a [kojo_core::reference::ExampleBand],
}

impl Counting<'_> {
    /// Counts the rows in one chunk per core and merges the tallies.
    fn count(&self, rows: &[SubmittedRow]) -> Result<Tally> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = rows.len().div_ceil(threads).max(1_000);
        let mut parts: Vec<Tally> = std::thread::scope(|s| {
            let handles: Vec<_> = rows
                .chunks(chunk)
                .map(|part| s.spawn(move || self.count_part(part)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join())
                .collect::<std::result::Result<Vec<_>, _>>()
        })
        .map_err(|_| Error::Internal("a thread counting survey answers panicked".into()))?;
        let mut tally = parts
            .pop()
            .unwrap_or_else(|| Tally::new(self.schema, self.plan));
        for p in &parts {
            tally.merge(p);
        }
        Ok(tally)
    }

    fn count_part(&self, rows: &[SubmittedRow]) -> Tally {
        let schema = self.schema;
        let col = |name: &str| schema.column(name).unwrap_or(0);
        let (c_ind, c_size, c_assoc, c_sc3) = (
            col("@industry"),
            col("@size_band"),
            col("@association"),
            col("@sc3"),
        );
        let mut tally = Tally::new(schema, self.plan);
        let mut values = vec![Value::Missing; schema.columns.len()];
        for row in rows {
            values.fill(Value::Missing);
            // A cell that no longer fits the instrument is left out (imports and forms
            // validated it when it was stored).
            for (name, text) in row.answers.iter() {
                if let Some(c) = schema.column(name)
                    && let Ok(v) = schema.read(c, text)
                {
                    values[c] = v;
                }
            }
            let code = |c: usize, s: &str| schema.read(c, s).unwrap_or(Value::Missing);
            if let Some(org) = row.org_id.and_then(|o| self.orgs.get(&o)) {
                if let Some(i) = &org.industry_code {
                    values[c_ind] = code(c_ind, i);
                }
                if org.employees.is_some() {
                    values[c_size] = code(c_size, size_band(org.employees, self.bands).id());
                }
                let sc3 = match org.kind {
                    kojo_core::org::OrgKind::Association => org.sc3_member,
                    _ => self
                        .owner_of
                        .get(&row.round_id)
                        .and_then(|o| self.orgs.get(o))
                        .is_some_and(|a| a.sc3_member),
                };
                values[c_sc3] = code(c_sc3, if sc3 { "yes" } else { "no" });
            }
            if let Some(owner) = self.owner_of.get(&row.round_id) {
                values[c_assoc] = code(c_assoc, &owner.to_string());
            }
            tally.add(schema, self.plan, &values);
        }
        tally
    }
}

/// A cross-tab by column names (`@attribute` allowed for `by`).
pub fn crosstab(schema: &Schema, by: &str, of: &str) -> Result<CrossPlan, Problem> {
    let unknown = |field: &'static str, value: &str| Problem::Field {
        field,
        value: value.to_string(),
        expected: Expected::Id,
    };
    let by_col = schema.column(by).ok_or_else(|| unknown("by", by))?;
    let of_col = schema.column(of).ok_or_else(|| unknown("of", of))?;
    if !kojo_core::survey::results::is_single(schema, by_col) {
        return Err(unknown("by", by));
    }
    Ok(CrossPlan {
        by: by_col,
        of: of_col,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(round: i64, org: Option<i64>, channel: Channel, at: i64) -> SubmittedRow {
        SubmittedRow {
            round_id: RoundId::new(round),
            org_id: org.map(OrgId::new),
            respondent: format!("r{round}-{at}"),
            answers: Default::default(),
            submitted_at: at,
            channel,
        }
    }

    #[test]
    fn an_organisation_counts_once_and_its_signed_in_answer_wins() {
        let kept = once_per_org(vec![
            row(1, Some(7), Channel::Account, 10),
            row(2, Some(7), Channel::Link, 20),
            row(3, Some(7), Channel::Import, 30),
            row(2, Some(8), Channel::Link, 20),
            row(3, Some(8), Channel::Import, 30),
            row(1, None, Channel::Import, 5),
            row(2, None, Channel::Import, 5),
        ]);
        let by_org = |o: i64| kept.iter().find(|r| r.org_id == Some(OrgId::new(o)));
        assert_eq!(kept.len(), 4, "two organisations once, two without one");
        assert_eq!(
            by_org(7).map(|r| r.submitted_at),
            Some(10),
            "signed in wins"
        );
        assert_eq!(
            by_org(8).map(|r| r.submitted_at),
            Some(30),
            "else the latest"
        );
    }
}
