//! Answering a survey: through a personal link without an account, or signed in as a company
//! for its associations' company surveys, with the checklist grid (section H) pre-filled from
//! the latest self-assessment. A posted form is checked cell by cell against the instrument;
//! answers to questions that routing skips are dropped.

use std::collections::{BTreeMap, HashMap};

use kojo_core::Text;
use kojo_core::ids::{OrgId, RoundId, SiteId};
use kojo_core::instrument::{Instrument, QuestionType};
use kojo_core::status::ResponseStatus;
use kojo_core::survey::answers::Answers;
use kojo_core::survey::schema::{Schema, Value};
use kojo_storage::{Invitee, Response, Round, Saved, Site};

use crate::accounts::tokens::hash_token;
use crate::rounds::respondent_of;
use crate::{Error, Result, Service, Who};

/// Who answers in a round, and as which respondent.
#[derive(Debug, Clone)]
pub struct Target {
    pub round: Round,
    /// The invitation, when answering through a personal link.
    pub invitee: Option<Invitee>,
    pub org_id: Option<OrgId>,
    /// The respondent id the answers are stored under (`org-<id>`, or `inv-<id>` for an
    /// invitee without an organisation).
    pub respondent: String,
    /// The respondent's name as shown.
    pub label: String,
}

/// What a posted form asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Save,
    Submit,
}

/// A posted answer form, decoded: the action, the version the form was read at, and every
/// field (a question's column may appear several times: several choices).
#[derive(Debug, Clone)]
pub struct Posted {
    pub action: Action,
    pub version: i64,
    pub fields: Vec<(String, String)>,
}

impl Posted {
    /// Reads the action and the version from the fields (`action=submit` submits; anything
    /// else saves a draft).
    pub fn new(fields: Vec<(String, String)>) -> Posted {
        let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        let action = match field("action").map(String::as_str) {
            Some("submit") => Action::Submit,
            _ => Action::Save,
        };
        let version = field("version").and_then(|v| v.parse().ok()).unwrap_or(0);
        Posted {
            action,
            version,
            fields: fields.into_iter().filter(|(k, _)| k != "action").collect(),
        }
    }
}

/// A posted form checked against the instrument.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checked {
    /// The valid cells, as stored (several choices joined by `|`).
    pub cells: Answers,
    /// Column → what it should have held (the instrument's bilingual text), for cells that were
    /// not valid (those are not kept).
    pub errors: HashMap<String, Text>,
    /// Columns answered although routing skips them (dropped).
    pub dropped: Vec<String>,
}

/// Checks posted fields cell by cell against the instrument's columns; fields that are not
/// questions are ignored.
pub fn check_answers(schema: &Schema, fields: &[(String, String)]) -> Checked {
    let mut raw: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (k, v) in fields {
        raw.entry(k.as_str()).or_default().push(v.as_str());
    }
    let mut checked = Checked::default();
    let mut values = vec![Value::Missing; schema.columns.len()];
    for (name, parts) in raw {
        let Some(c) = schema
            .column(name)
            .filter(|&c| schema.columns[c].question.is_some())
        else {
            continue;
        };
        let cell = parts
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("|");
        if cell.is_empty() {
            continue;
        }
        match schema.read(c, &cell) {
            Ok(v) => {
                values[c] = v;
                checked.cells.insert(name, cell);
            }
            Err(p) => {
                checked.errors.insert(name.to_string(), p.expected);
            }
        }
    }
    for (c, value) in values.iter().enumerate() {
        if !value.is_missing() && !schema.applies(c, &values) {
            let name = schema.columns[c].name.clone();
            checked.cells.remove(&name);
            checked.dropped.push(name);
        }
    }
    checked
}

/// A respondent's form as it stands.
pub struct ResponseForm<'a> {
    pub target: Target,
    pub instrument: &'a Instrument,
    /// The stored response, if any.
    pub stored: Option<Response>,
    /// The answers to show.
    pub cells: Answers,
}

impl ResponseForm<'_> {
    pub fn status(&self) -> Option<ResponseStatus> {
        self.stored.as_ref().map(|r| r.status)
    }

    /// The version to post back (0: nothing stored yet).
    pub fn version(&self) -> i64 {
        self.stored.as_ref().map(|r| r.version).unwrap_or(0)
    }
}

/// What became of a posted form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The round is closed: nothing stored.
    Closed,
    /// Submitting with invalid answers: nothing stored.
    Incomplete,
    /// Stored as a draft.
    Saved,
    /// Stored as submitted (or a correction of a submitted response).
    Submitted,
    /// Someone saved since the form was read: nothing stored.
    Conflict,
}

/// A posted form's outcome with the form as it now stands.
pub struct Answered<'a> {
    pub outcome: Outcome,
    pub form: ResponseForm<'a>,
    pub checked: Checked,
}

impl Answered<'_> {
    /// Whether the posted answers were kept on the form (not when nothing could be stored for
    /// a reason other than the answers themselves).
    pub fn keeps_posted(&self) -> bool {
        !matches!(self.outcome, Outcome::Closed | Outcome::Conflict)
    }
}

/// An open survey of a company's associations, with the company's response status.
pub struct CompanySurvey {
    pub round: Round,
    pub association: String,
    pub status: Option<ResponseStatus>,
}

/// Where a company's checklist answers were pre-filled from.
pub struct Prefill {
    /// The company's sites to choose from.
    pub sites: Vec<Site>,
    /// The site and the time of the assessment the grid was filled from.
    pub from: Option<(String, i64)>,
}

impl Service {
    fn instrument_of(&self, round: &Round) -> Result<&Instrument> {
        self.catalog()
            .instrument(&round.instrument)
            .ok_or(Error::NotFound)
    }

    /// The respondent a personal link stands for.
    pub async fn link_target(&self, token: &str) -> Result<Target> {
        let invitee = self.store().invitee_by_token(&hash_token(token)).await?;
        let round = self.store().round(invitee.round_id).await?;
        let respondent = match invitee.org_id {
            Some(o) => respondent_of(o),
            None => format!("inv-{}", invitee.id),
        };
        Ok(Target {
            org_id: invitee.org_id,
            label: invitee.label.clone(),
            round,
            invitee: Some(invitee),
            respondent,
        })
    }

    /// The caller's company as the respondent of a round it may answer signed in.
    pub async fn company_target(&self, who: &Who, round: RoundId) -> Result<Target> {
        let (company, round) = self.survey_for(who, round).await?;
        Ok(Target {
            round,
            invitee: None,
            org_id: Some(company),
            respondent: respondent_of(company),
            label: self.store().org(company).await?.name,
        })
    }

    async fn form_of(&self, target: Target) -> Result<ResponseForm<'_>> {
        let instrument = self.instrument_of(&target.round)?;
        let stored = self
            .store()
            .response(target.round.id, &target.respondent)
            .await?;
        Ok(ResponseForm {
            cells: stored
                .as_ref()
                .map(|r| r.answers.clone())
                .unwrap_or_default(),
            target,
            instrument,
            stored,
        })
    }

    /// The form a personal link opens.
    pub async fn link_form(&self, token: &str) -> Result<ResponseForm<'_>> {
        let target = self.link_target(token).await?;
        self.form_of(target).await
    }

    /// The company's form; on first opening, the checklist grid is filled from the latest
    /// self-assessment of the chosen site (or of its only site).
    pub async fn company_form(
        &self,
        who: &Who,
        round: RoundId,
        site: Option<SiteId>,
    ) -> Result<(ResponseForm<'_>, Prefill)> {
        let target = self.company_target(who, round).await?;
        let org = target.org_id.ok_or(Error::NotFound)?;
        let mut form = self.form_of(target).await?;
        let sites = self.store().sites_of(org).await?;
        let only = match sites.as_slice() {
            [one] => Some(one.id),
            _ => None,
        };
        let from = match site.or(only).filter(|s| sites.iter().any(|x| x.id == *s)) {
            Some(site) => self.prefill(form.instrument, site, &mut form.cells).await?,
            None => None,
        };
        Ok((form, Prefill { sites, from }))
    }

    /// Fills the empty checklist grids of a form from the site's latest completed (or else
    /// newest) assessment; returns its site name and time.
    async fn prefill(
        &self,
        inst: &Instrument,
        site: SiteId,
        cells: &mut Answers,
    ) -> Result<Option<(String, i64)>> {
        let mut from = None;
        for question in inst
            .questions
            .iter()
            .filter(|x| x.kind == QuestionType::Grid && x.rows_from.is_some())
        {
            let empty = question
                .rows
                .iter()
                .all(|r| !cells.contains(&format!("{}.{}", question.id, r.id)));
            if !empty {
                continue;
            }
            let assessments = self.store().assessments_of_site(site).await?;
            let Some(a) = assessments
                .iter()
                .find(|a| a.is_complete())
                .or(assessments.first())
            else {
                continue;
            };
            for answer in self.store().answers(a.id).await? {
                if let Some(level) = answer.level
                    && question.rows.iter().any(|r| r.id == answer.item_id)
                {
                    cells.insert(format!("{}.{}", question.id, answer.item_id), level);
                }
            }
            from = Some((a.site_name.clone(), a.updated_at));
        }
        Ok(from)
    }

    /// Saves or submits a form posted through a personal link.
    pub async fn answer_by_link(&self, token: &str, posted: &Posted) -> Result<Answered<'_>> {
        let target = self.link_target(token).await?;
        self.answer(target, posted).await
    }

    /// Saves or submits the company's form.
    pub async fn answer_as_company(
        &self,
        who: &Who,
        round: RoundId,
        posted: &Posted,
    ) -> Result<Answered<'_>> {
        let target = self.company_target(who, round).await?;
        self.answer(target, posted).await
    }

    async fn answer(&self, target: Target, posted: &Posted) -> Result<Answered<'_>> {
        let inst = self.instrument_of(&target.round)?;
        let schema = Schema::new(inst).map_err(|e| Error::Internal(e.to_string()))?;
        let checked = check_answers(&schema, &posted.fields);
        let submit = posted.action == Action::Submit;
        let outcome = if !target.round.is_open() {
            Outcome::Closed
        } else if submit && !checked.errors.is_empty() {
            Outcome::Incomplete
        } else {
            let saved = self
                .store()
                .save_response(
                    target.round.id,
                    target.invitee.as_ref().map(|i| i.id),
                    target.org_id,
                    &target.respondent,
                    &checked.cells,
                    posted.version,
                    submit,
                )
                .await?;
            match saved {
                Saved::Saved(r) if r.status == ResponseStatus::Submitted => Outcome::Submitted,
                Saved::Saved(_) => Outcome::Saved,
                Saved::Conflict(_) => Outcome::Conflict,
            }
        };
        let mut form = self.form_of(target).await?;
        if outcome != Outcome::Closed && outcome != Outcome::Conflict {
            form.cells = checked.cells.clone();
        }
        Ok(Answered {
            outcome,
            form,
            checked,
        })
    }

    /// The open surveys a company may answer signed in, with its response status.
    pub async fn company_surveys(&self, who: &Who) -> Result<Vec<CompanySurvey>> {
        let company = crate::access::company_of(who)?;
        let owners: HashMap<OrgId, String> = self
            .store()
            .associations_of(company)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        let mut out = Vec::new();
        for round in self.answerable_rounds(company).await? {
            let status = self
                .store()
                .response(round.id, &respondent_of(company))
                .await?
                .map(|r| r.status);
            out.push(CompanySurvey {
                association: owners.get(&round.owner_org_id).cloned().unwrap_or_default(),
                round,
                status,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn check(pairs: &[(&str, &str)]) -> Checked {
        let catalog = kojo_content::load_embedded().expect("content");
        let inst = catalog.instrument("company-2022").expect("instrument");
        let schema = Schema::new(inst).expect("schema");
        check_answers(&schema, &fields(pairs))
    }

    #[test]
    fn valid_cells_are_kept_and_several_choices_joined() {
        let c = check(&[
            ("G1", "1"),
            ("E1", "1"),
            ("E1", " 2 "),
            ("E1", ""),
            ("Z9", "x"),
        ]);
        assert_eq!(c.cells.get("G1"), Some("1"));
        assert_eq!(c.cells.get("E1"), Some("1|2"));
        assert!(!c.cells.contains("Z9"), "not a question: ignored");
        assert!(c.errors.is_empty() && c.dropped.is_empty(), "{c:?}");
    }

    #[test]
    fn an_invalid_cell_is_named_with_what_it_should_hold_in_both_languages() {
        let c = check(&[("G1", "1"), ("C7", "-5")]);
        assert!(!c.cells.contains("C7"));
        let expected = c.errors.get("C7").expect("C7 refused");
        assert!(expected.ja.contains("1, 2, 9"), "{expected:?}");
        assert!(expected.en.contains("one of"), "{expected:?}");
        assert_eq!(c.cells.get("G1"), Some("1"), "the valid answers stay");
    }

    #[test]
    fn answers_that_routing_skips_are_dropped() {
        // G3 (contracts) is asked only of companies that outsource (G1 = 1).
        let c = check(&[("G1", "2"), ("G3", "1")]);
        assert_eq!(c.dropped, vec!["G3".to_string()]);
        assert!(!c.cells.contains("G3"));
        let c = check(&[("G1", "1"), ("G3", "1")]);
        assert!(c.dropped.is_empty() && c.cells.contains("G3"));
    }

    #[test]
    fn the_action_and_version_come_from_their_fields() {
        let p = Posted::new(fields(&[
            ("version", "3"),
            ("action", "submit"),
            ("G1", "1"),
        ]));
        assert_eq!((p.action, p.version), (Action::Submit, 3));
        assert!(p.fields.iter().all(|(k, _)| k != "action"));
        let p = Posted::new(fields(&[("version", "x"), ("action", "delete-everything")]));
        assert_eq!((p.action, p.version), (Action::Save, 0));
    }
}
