//! Answering a survey: through a personal link without an account, or signed in as a company
//! for its associations' company surveys, with the checklist grid (section H) pre-filled from
//! the latest self-assessment. A posted form is checked cell by cell against the instrument;
//! answers to questions that routing skips are dropped.
//!
//! Individual answers stay with the respondent (docs/surveys.md, "Individual answers"): a link
//! lets its holder answer, never read back what was stored. Reading a draft saved through a
//! link takes the resume code its respondent chose (kept as an Argon2id hash; guesses are
//! counted and throttled); a submitted response, an organisation answering signed in and a
//! closed round show nothing through a link and accept nothing from it. The signed-in company
//! is the respondent of its organisation and sees and corrects its answers until the round
//! closes.

use std::collections::{BTreeMap, HashMap};

use kojo_core::Text;
use kojo_core::ids::{OrgId, RoundId, SiteId};
use kojo_core::instrument::{Instrument, QuestionType};
use kojo_core::reference::Band;
use kojo_core::status::ResponseStatus;
use kojo_core::survey::answers::Answers;
use kojo_core::survey::schema::{Schema, Value};
use kojo_storage::{
    Actor, Channel, Invalid, Invitee, Org, Replace, Response, ResponseWrite, Round, Saved, Site,
};

use crate::accounts::password;
use crate::accounts::tokens::hash_token;
use crate::rounds::respondent_of;
use crate::{Error, Problem, Result, Service, Who};

/// The shortest resume code accepted (characters).
pub const RESUME_CODE_MIN: usize = 10;
/// The longest resume code accepted (characters).
pub const RESUME_CODE_MAX: usize = 256;
/// Resume attempts allowed per draft within [`RESUME_WINDOW_MINUTES`].
pub const RESUME_ATTEMPTS: i64 = 5;
/// The window resume attempts are counted in.
pub const RESUME_WINDOW_MINUTES: i64 = 15;

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
    /// Save a draft (through a link: with a resume code).
    Save,
    Submit,
    /// Show a draft saved through a link (with its resume code).
    Resume,
    /// Delete a draft saved through a link, to start again (its code forgotten).
    Discard,
}

/// A posted answer form, decoded: the action, the version the form was read at, the resume
/// code and the confirmation box of a link respondent, and every other field (a question's
/// column may appear several times: several choices).
#[derive(Debug, Clone)]
pub struct Posted {
    pub action: Action,
    pub version: i64,
    pub code: Option<String>,
    pub confirm: bool,
    pub fields: Vec<(String, String)>,
}

impl Posted {
    /// Reads the action, version, resume code and confirmation from the fields; anything but
    /// `submit`, `resume` or `discard` saves a draft.
    pub fn new(fields: Vec<(String, String)>) -> Posted {
        let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        let action = match field("action").map(String::as_str) {
            Some("submit") => Action::Submit,
            Some("resume") => Action::Resume,
            Some("discard") => Action::Discard,
            _ => Action::Save,
        };
        let version = field("version").and_then(|v| v.parse().ok()).unwrap_or(0);
        let code = field("resume_code")
            .filter(|c| !c.is_empty())
            .map(String::from);
        let confirm = field("confirm").is_some_and(|v| v == "yes");
        let special = ["action", "resume_code", "confirm"];
        Posted {
            action,
            version,
            code,
            confirm,
            fields: fields
                .into_iter()
                .filter(|(k, _)| !special.contains(&k.as_str()))
                .collect(),
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
    /// Column → what was posted for a refused cell, as typed, so the form shows it again.
    pub rejected: HashMap<String, String>,
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
                checked.rejected.insert(name.to_string(), cell);
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

/// Where a personal link stands for whoever holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Nothing stored: a blank form.
    Blank,
    /// A draft saved through the link: its resume code shows it.
    Draft,
    /// Submitted (however it arrived): the link is spent.
    Submitted,
    /// The organisation answers signed in: the link is refused.
    SignedIn,
    /// The round is closed.
    Closed,
}

/// Where a link stands, given the round and what is stored for its respondent.
pub fn standing(round: &Round, stored: Option<&Response>) -> Standing {
    match stored {
        _ if !round.is_open() => Standing::Closed,
        None => Standing::Blank,
        Some(r) if r.status == ResponseStatus::Submitted => Standing::Submitted,
        Some(r) if r.channel == Channel::Link => Standing::Draft,
        Some(_) => Standing::SignedIn,
    }
}

/// A link respondent's access to the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkAccess {
    pub standing: Standing,
    /// The resume code proven in this request, sent back with the form so that saving
    /// continues the draft.
    pub code: Option<String>,
}

/// A respondent's form as it stands.
pub struct ResponseForm<'a> {
    pub target: Target,
    pub instrument: &'a Instrument,
    pub status: Option<ResponseStatus>,
    /// The version to post back (0: nothing stored, or nothing the caller may see).
    pub version: i64,
    /// The answers to show: never stored ones to a link holder who proved nothing.
    pub cells: Answers,
    /// How a link respondent may use the form (`None`: the signed-in company).
    pub link: Option<LinkAccess>,
}

impl ResponseForm<'_> {
    /// Whether the questions are shown: always to the company; through a link, on a blank
    /// link or a draft whose resume code was proven.
    pub fn shows_questions(&self) -> bool {
        match &self.link {
            None => true,
            Some(l) => {
                l.standing == Standing::Blank || (l.standing == Standing::Draft && l.code.is_some())
            }
        }
    }
}

/// What became of a posted form.
#[derive(Debug)]
pub enum Outcome {
    /// Nothing asked for that applies: the form as it stands.
    Shown,
    /// Saving or submitting with invalid answers: nothing stored; the form shows what was
    /// posted, refused answers as typed.
    Incomplete,
    /// Stored as a draft.
    Saved,
    /// Stored as submitted (or a correction of a submitted response).
    Submitted,
    /// Someone saved since the form was read: nothing stored.
    Conflict,
    /// The right resume code: the draft is shown.
    Resumed,
    /// The link's draft was deleted.
    Discarded,
    /// Refused for a reason the respondent can read (closed round, spent link, wrong or
    /// missing resume code, too many attempts, …): nothing stored, nothing shown.
    Refused(Problem),
}

/// A posted form's outcome with the form as it now stands.
pub struct Answered<'a> {
    pub outcome: Outcome,
    /// What the post asked for.
    pub action: Action,
    pub form: ResponseForm<'a>,
    pub checked: Checked,
    /// The page reports on the posted answers (their refused and dropped cells).
    pub shows_posted: bool,
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
    /// The questions filled from what kojo holds about the company (industry, prefecture,
    /// number of employees), because they were not answered yet.
    pub attributes: Vec<String>,
}

/// The answer a question about the company takes from its record in kojo: the industry,
/// the prefecture, the band of its number of employees — when the question offers it.
fn attribute_answer(
    q: &kojo_core::instrument::Question,
    org: &Org,
    bands: &[Band],
) -> Option<String> {
    let code = match q.attribute.as_deref()? {
        "industry" => org.industry_code.clone()?,
        "prefecture" => org.prefecture_code.clone()?,
        "size_band" => {
            let n = org.employees? as f64;
            bands
                .iter()
                .find(|b| b.min <= n && b.max.is_none_or(|m| n < m))?
                .id
                .clone()
        }
        _ => return None,
    };
    q.options.iter().any(|o| o.code == code).then_some(code)
}

/// How the audit log names a write through a personal link (no account).
fn link_actor() -> Actor {
    Actor {
        user_id: None,
        label: "link".into(),
    }
}

/// A resume code within the length rules.
fn check_code(code: &str) -> Result<(), Problem> {
    let len = code.chars().count();
    if (RESUME_CODE_MIN..=RESUME_CODE_MAX).contains(&len) {
        Ok(())
    } else {
        Err(Problem::ResumeCodeLength {
            min: RESUME_CODE_MIN,
            max: RESUME_CODE_MAX,
        })
    }
}

/// The outcome of a stored write.
fn saved_outcome(saved: &Saved<Response>) -> Outcome {
    match saved {
        Saved::Saved(r) if r.status == ResponseStatus::Submitted => Outcome::Submitted,
        Saved::Saved(_) => Outcome::Saved,
        Saved::Conflict(_) => Outcome::Conflict,
    }
}

/// What a link post leads to: the outcome, the proven code, the answers to show.
type LinkStep = (Outcome, Option<String>, Answers);

fn refused(p: Problem) -> LinkStep {
    (Outcome::Refused(p), None, Answers::new())
}
impl Service {
    fn instrument_of(&self, round: &Round) -> Result<&Instrument> {
        self.catalog()
            .instrument(&round.instrument)
            .ok_or(Error::NotFound)
    }

    fn checked(&self, round: &Round, posted: &Posted) -> Result<Checked> {
        let schema =
            Schema::new(self.instrument_of(round)?).map_err(|e| Error::Internal(e.to_string()))?;
        Ok(check_answers(&schema, &posted.fields))
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

    /// The signed-in company's form: its stored answers, whatever way they arrived.
    async fn company_form_of(&self, target: Target) -> Result<ResponseForm<'_>> {
        let instrument = self.instrument_of(&target.round)?;
        let stored = self
            .store()
            .response(target.round.id, &target.respondent)
            .await?;
        Ok(ResponseForm {
            status: stored.as_ref().map(|r| r.status),
            version: stored.as_ref().map_or(0, |r| r.version),
            cells: stored.map(|r| r.answers).unwrap_or_default(),
            target,
            instrument,
            link: None,
        })
    }

    /// A link's form showing `cells` (what the caller may see), standing as now stored.
    async fn link_form_of(
        &self,
        target: Target,
        code: Option<String>,
        cells: Answers,
    ) -> Result<ResponseForm<'_>> {
        let instrument = self.instrument_of(&target.round)?;
        let stored = self
            .store()
            .response(target.round.id, &target.respondent)
            .await?;
        let standing = standing(&target.round, stored.as_ref());
        let code = code.filter(|_| standing == Standing::Draft);
        let version = match (&code, &stored) {
            (Some(_), Some(r)) => r.version,
            _ => 0,
        };
        let shown = matches!(standing, Standing::Blank | Standing::Draft);
        Ok(ResponseForm {
            status: stored.as_ref().map(|r| r.status),
            version,
            cells: if shown { cells } else { Answers::new() },
            target,
            instrument,
            link: Some(LinkAccess { standing, code }),
        })
    }

    /// The form a personal link opens: blank, or where the link stands — never stored answers.
    pub async fn link_form(&self, token: &str) -> Result<ResponseForm<'_>> {
        let target = self.link_target(token).await?;
        self.link_form_of(target, None, Answers::new()).await
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
        let mut form = self.company_form_of(target).await?;
        let sites = self.store().sites_of(org).await?;
        let only = match sites.as_slice() {
            [one] => Some(one.id),
            _ => None,
        };
        let from = match site.or(only).filter(|s| sites.iter().any(|x| x.id == *s)) {
            Some(site) => self.prefill(form.instrument, site, &mut form.cells).await?,
            None => None,
        };
        let company = self.store().org(org).await?;
        let mut attributes = Vec::new();
        for q in &form.instrument.questions {
            let band_set = q
                .bands
                .as_deref()
                .and_then(|id| self.catalog().bands.band_sets.iter().find(|s| s.id == id));
            let bands = band_set.map_or(&[][..], |s| s.bands.as_slice());
            if !form.cells.contains(&q.id)
                && let Some(code) = attribute_answer(q, &company, bands)
            {
                form.cells.insert(&q.id, code);
                attributes.push(q.id.clone());
            }
        }
        Ok((
            form,
            Prefill {
                sites,
                from,
                attributes,
            },
        ))
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

    /// Saves or submits the company's form (its answers, whatever way they arrived before).
    pub async fn answer_as_company(
        &self,
        who: &Who,
        round: RoundId,
        posted: &Posted,
    ) -> Result<Answered<'_>> {
        let target = self.company_target(who, round).await?;
        let checked = self.checked(&target.round, posted)?;
        let submit = posted.action == Action::Submit;
        let outcome = match posted.action {
            _ if !target.round.is_open() => Outcome::Refused(Problem::Rule(Invalid::RoundNotOpen)),
            Action::Resume | Action::Discard => Outcome::Shown,
            Action::Save | Action::Submit if !checked.errors.is_empty() => Outcome::Incomplete,
            Action::Save | Action::Submit => {
                let write = ResponseWrite {
                    round_id: target.round.id,
                    invitee_id: None,
                    org_id: target.org_id,
                    respondent: &target.respondent,
                    answers: &checked.cells,
                    expected_version: posted.version,
                    submit,
                    channel: Channel::Account,
                    resume_hash: None,
                    replace: Replace::Any,
                };
                saved_outcome(&self.store().save_response(&who.actor(), &write).await?)
            }
        };
        let mut form = self.company_form_of(target).await?;
        let shows_posted = matches!(
            outcome,
            Outcome::Incomplete | Outcome::Saved | Outcome::Submitted
        );
        if shows_posted {
            form.cells = checked.cells.clone();
        }
        Ok(Answered {
            outcome,
            action: posted.action,
            form,
            checked,
            shows_posted,
        })
    }

    /// Acts on a form posted through a personal link: saves (with a resume code), submits,
    /// resumes or deletes a draft — never showing what was stored to a holder who did not
    /// prove the resume code.
    pub async fn answer_by_link(&self, token: &str, posted: &Posted) -> Result<Answered<'_>> {
        let target = self.link_target(token).await?;
        let checked = self.checked(&target.round, posted)?;
        let stored = self
            .store()
            .response(target.round.id, &target.respondent)
            .await?;
        let (outcome, code, cells) = match (standing(&target.round, stored.as_ref()), stored) {
            (Standing::Closed, _) => refused(Problem::Rule(Invalid::RoundNotOpen)),
            (Standing::Submitted, _) => refused(Problem::ResponseSubmitted),
            (Standing::SignedIn, _) => refused(Problem::AnsweredSignedIn),
            (Standing::Draft, Some(draft)) => {
                self.link_draft(&target, &draft, posted, &checked).await?
            }
            _ => self.link_blank(&target, posted, &checked).await?,
        };
        // What the post held (never what was stored): its refused and dropped answers are named.
        let shows_posted = matches!(
            outcome,
            Outcome::Incomplete
                | Outcome::Saved
                | Outcome::Submitted
                | Outcome::Refused(Problem::ResumeCodeLength { .. })
        );
        let form = self.link_form_of(target, code, cells).await?;
        Ok(Answered {
            outcome,
            action: posted.action,
            form,
            checked,
            shows_posted,
        })
    }

    /// Stores a link respondent's answers.
    async fn link_write(
        &self,
        target: &Target,
        cells: &Answers,
        version: i64,
        submit: bool,
        hashes: (Option<&str>, Replace<'_>),
    ) -> Result<Saved<Response>> {
        let write = ResponseWrite {
            round_id: target.round.id,
            invitee_id: target.invitee.as_ref().map(|i| i.id),
            org_id: target.org_id,
            respondent: &target.respondent,
            answers: cells,
            expected_version: version,
            submit,
            channel: Channel::Link,
            resume_hash: hashes.0,
            replace: hashes.1,
        };
        Ok(self.store().save_response(&link_actor(), &write).await?)
    }

    /// A post through a link with nothing stored yet.
    async fn link_blank(
        &self,
        target: &Target,
        posted: &Posted,
        checked: &Checked,
    ) -> Result<LinkStep> {
        let posted_cells = checked.cells.clone();
        Ok(match posted.action {
            Action::Resume | Action::Discard => (Outcome::Shown, None, Answers::new()),
            Action::Save | Action::Submit if !checked.errors.is_empty() => {
                (Outcome::Incomplete, None, posted_cells)
            }
            Action::Submit => {
                let saved = self
                    .link_write(target, &checked.cells, 0, true, (None, Replace::Any))
                    .await?;
                (saved_outcome(&saved), None, Answers::new())
            }
            Action::Save => {
                let code = posted.code.clone().unwrap_or_default();
                if let Err(p) = check_code(&code) {
                    return Ok((Outcome::Refused(p), None, posted_cells));
                }
                let hash = password::hash_async(code.clone()).await?;
                let saved = self
                    .link_write(
                        target,
                        &checked.cells,
                        0,
                        false,
                        (Some(&hash), Replace::Any),
                    )
                    .await?;
                match saved_outcome(&saved) {
                    Outcome::Saved => (Outcome::Saved, Some(code), posted_cells),
                    other => (other, None, Answers::new()),
                }
            }
        })
    }

    /// Checks a resume code against a link draft, counting the attempt first.
    async fn prove_code(
        &self,
        draft: &Response,
        code: Option<&str>,
    ) -> Result<Result<(), Problem>> {
        let Some(code) = code else {
            return Ok(Err(Problem::ResumeCodeWrong));
        };
        let window_ms = RESUME_WINDOW_MINUTES * 60 * 1000;
        let store = self.store();
        if !store
            .claim_resume_attempt(
                draft.round_id,
                &draft.respondent,
                RESUME_ATTEMPTS,
                window_ms,
            )
            .await?
        {
            return Ok(Err(Problem::ResumeThrottled {
                minutes: RESUME_WINDOW_MINUTES,
            }));
        }
        let right = match &draft.resume_hash {
            Some(hash) => password::verify_async(code.to_string(), hash.clone()).await,
            None => false,
        };
        if !right {
            return Ok(Err(Problem::ResumeCodeWrong));
        }
        store
            .clear_resume_attempts(draft.round_id, &draft.respondent)
            .await?;
        Ok(Ok(()))
    }

    /// A post through a link whose respondent saved a draft.
    async fn link_draft(
        &self,
        target: &Target,
        draft: &Response,
        posted: &Posted,
        checked: &Checked,
    ) -> Result<LinkStep> {
        if posted.action == Action::Discard {
            if !posted.confirm {
                return Ok(refused(Problem::ConfirmRequired));
            }
            let store = self.store();
            store
                .delete_link_draft(&link_actor(), target.round.id, &target.respondent)
                .await?;
            return Ok((Outcome::Discarded, None, Answers::new()));
        }
        if let Err(p) = self.prove_code(draft, posted.code.as_deref()).await? {
            return Ok(refused(p));
        }
        let (code, hash) = (
            posted.code.clone(),
            draft.resume_hash.as_deref().unwrap_or_default(),
        );
        let posted_cells = checked.cells.clone();
        let submit = posted.action == Action::Submit;
        Ok(match posted.action {
            Action::Resume => (Outcome::Resumed, code, draft.answers.clone()),
            Action::Save | Action::Submit if !checked.errors.is_empty() => {
                (Outcome::Incomplete, code, posted_cells)
            }
            _ => {
                let keep = (!submit).then_some(hash);
                let guard = (keep, Replace::LinkDraft(hash));
                let saved = self
                    .link_write(target, &checked.cells, posted.version, submit, guard)
                    .await?;
                match saved {
                    Saved::Saved(r) if r.status == ResponseStatus::Submitted => {
                        (Outcome::Submitted, None, Answers::new())
                    }
                    Saved::Saved(_) => (Outcome::Saved, code, posted_cells),
                    // Someone saved first with the same code: the draft as it now stands.
                    Saved::Conflict(Some(now)) if now.resume_hash.as_deref() == Some(hash) => {
                        (Outcome::Conflict, code, now.answers)
                    }
                    Saved::Conflict(_) => (Outcome::Conflict, None, Answers::new()),
                }
            }
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
        let p = Posted::new(fields(&[
            ("action", "resume"),
            ("resume_code", "kaisha-no-himitsu"),
            ("confirm", "yes"),
        ]));
        assert_eq!(p.action, Action::Resume);
        assert_eq!(p.code.as_deref(), Some("kaisha-no-himitsu"));
        assert!(p.confirm && p.fields.is_empty(), "the code is never a cell");
        assert_eq!(Posted::new(fields(&[("resume_code", "")])).code, None);
    }

    #[test]
    fn resume_codes_have_a_length_and_are_never_echoed() {
        assert!(check_code("kurai-kaisha").is_ok());
        let short = check_code("short").map_err(|p| p.message(&crate::Lang::en()));
        let message = short.expect_err("too short");
        assert!(
            message.contains("10") && !message.contains("short"),
            "{message}"
        );
        assert!(check_code(&"x".repeat(RESUME_CODE_MAX + 1)).is_err());
    }
}
