//! Survey rounds run by associations and the ministry: the list, opening a round, its overview
//! (invitees with their status, who can still be invited, response rates), inviting, the
//! respondents' personal links, closing, and response files (CSV or xlsx) read and checked cell
//! by cell, all or nothing — in and, for the ministry, out.

use std::collections::{HashMap, HashSet};

use hmac::{KeyInit, Mac};
use kojo_content::Catalog;
use kojo_core::Text;
use kojo_core::ids::{OrgId, RoundId};
use kojo_core::instrument::{Instrument, InstrumentKind};
use kojo_core::org::{OrgKind, Role};
use kojo_core::planning::size_band;
use kojo_core::status::ResponseStatus;
use kojo_core::survey::schema::Schema;
use kojo_formats::survey_csv;
use kojo_storage::{ImportRow, Invitee, NewInvitee, NewRound, Org, Round};

use crate::access::{RoundUse, SURVEY_RUNNERS, require_role};
use crate::accounts::tokens::hash_token;
use crate::assessment::optional_date;
use crate::{Error, Expected, Lang, Problem, Result, Service, Who};

/// Largest response file accepted for upload (CSV or xlsx).
pub const RESPONSES_UPLOAD_LIMIT: usize = 20 * 1024 * 1024;

/// The respondent id of an organisation's answers (`org-<id>`).
pub fn respondent_of(org: OrgId) -> String {
    format!("org-{org}")
}

/// The organisation a respondent id names, if any.
pub fn org_of_respondent(respondent: &str) -> Option<OrgId> {
    respondent.strip_prefix("org-")?.parse().ok()
}

impl Service {
    /// An invitee's personal link token, derived from the instance secret so it can be shown
    /// again (the database keeps only its hash). `key` names the invitee in the round
    /// (`org-<id>` or `name-<label>`).
    pub async fn invitee_token(&self, round: RoundId, key: &str) -> Result<String> {
        let secret = self.store().instance_secret("respondent-links").await?;
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())
            .map_err(|e| Error::Internal(e.to_string()))?;
        mac.update(format!("round:{round}:{key}").as_bytes());
        Ok(hex::encode(mac.finalize().into_bytes()))
    }

    /// Reads a response file (CSV or xlsx) for a round and checks every cell; `Err` lists every
    /// problem in the reader's language, each naming the file. Respondents named `org-<id>` are
    /// linked to that organisation.
    pub fn read_responses(
        &self,
        round: &Round,
        name: &str,
        bytes: &[u8],
        lang: &Lang,
    ) -> Result<Result<Vec<ImportRow>, Vec<String>>> {
        let inst = self
            .catalog()
            .instrument(&round.instrument)
            .ok_or(Error::NotFound)?;
        let schema = Schema::new(inst).map_err(|e| Error::Internal(e.to_string()))?;
        let name = crate::excerpt(name);
        let table = match kojo_formats::table_in::read_any(bytes, &name) {
            Ok(table) => table,
            Err(e) => {
                let message = format!("{name}: {}", e.message(lang.locale));
                return Ok(Err(crate::bounded(vec![message], lang)));
            }
        };
        let responses = match survey_csv::read(&schema, &table) {
            Ok(responses) => responses,
            Err(e) => {
                let messages = e.messages(lang.locale).into_iter();
                let messages = messages.map(|m| format!("{name}: {m}")).collect();
                return Ok(Err(crate::bounded(messages, lang)));
            }
        };
        Ok(Ok(responses
            .into_iter()
            .map(|r| ImportRow {
                org_id: org_of_respondent(&r.respondent),
                answers: r.cells.into_iter().collect(),
                respondent: r.respondent,
            })
            .collect()))
    }

    /// What a response file may not do in a round: count an organisation the round's runner
    /// could not invite (another association's member, an organisation of the wrong kind), or
    /// replace an answer a respondent gave themselves.
    async fn import_problems(&self, round: &Round, rows: &[ImportRow]) -> Result<Vec<Problem>> {
        let allowed: HashSet<OrgId> = self.invitable(round).await?.iter().map(|o| o.id).collect();
        let own: HashSet<String> = self
            .store()
            .answering_respondents(round.id)
            .await?
            .into_iter()
            .collect();
        let mut problems = Vec::new();
        for row in rows {
            if row.org_id.is_some_and(|o| !allowed.contains(&o)) {
                problems.push(Problem::RespondentNotInvitable {
                    respondent: row.respondent.clone(),
                });
            }
            if own.contains(&row.respondent) {
                problems.push(Problem::AnsweredThemselves {
                    respondent: row.respondent.clone(),
                });
            }
        }
        Ok(problems)
    }

    /// Reads, checks and stores a response file into a round the caller runs; `Err` lists
    /// every problem (nothing stored).
    pub async fn import_responses(
        &self,
        who: &Who,
        round: RoundId,
        name: &str,
        bytes: &[u8],
        lang: &Lang,
    ) -> Result<Result<usize, Vec<String>>> {
        let round = self.round_for(who, round, RoundUse::Run).await?;
        if bytes.len() > RESPONSES_UPLOAD_LIMIT {
            return Err(Error::TooLarge {
                limit: RESPONSES_UPLOAD_LIMIT,
            });
        }
        let rows = match self.read_responses(&round, name, bytes, lang)? {
            Ok(rows) => rows,
            Err(problems) => return Ok(Err(problems)),
        };
        let problems = self.import_problems(&round, &rows).await?;
        if !problems.is_empty() {
            let name = crate::excerpt(name);
            let messages = problems
                .iter()
                .map(|p| format!("{name}: {}", p.message(lang)));
            return Ok(Err(crate::bounded(messages.collect(), lang)));
        }
        let n = self
            .store()
            .import_responses(&who.actor(), round.id, &rows)
            .await?;
        Ok(Ok(n))
    }
}

/// Whether an organisation of this kind may run rounds of an instrument: associations survey
/// their member companies; the ministry surveys associations and companies.
pub fn runnable_by(kind: OrgKind, instrument: &Instrument) -> bool {
    matches!(
        (kind, instrument.kind),
        (OrgKind::Association, InstrumentKind::Company)
            | (
                OrgKind::Ministry,
                InstrumentKind::Association | InstrumentKind::Company
            )
    )
}

/// The kind of organisation a survey runner's role acts for (the command line acts for any).
fn runner_kind(who: &Who) -> Option<OrgKind> {
    match who.role() {
        Some(Role::AssociationAdmin) => Some(OrgKind::Association),
        Some(Role::MinistryAnalyst) | None => Some(OrgKind::Ministry),
        Some(_) => None,
    }
}

/// The key an invitee's personal link is derived from (`org-<id>` or `name-<label>`).
pub fn invitee_key(invitee: &Invitee) -> String {
    match invitee.org_id {
        Some(o) => respondent_of(o),
        None => format!("name-{}", invitee.label),
    }
}

/// A round as the list of rounds shows it.
pub struct RoundSummary {
    pub round: Round,
    /// The name of the organisation running it.
    pub owner: String,
    pub submitted: i64,
}

/// A new round as typed: the instrument id, the title and the optional dates.
#[derive(Debug, Clone, Default)]
pub struct RoundDraft {
    pub instrument: String,
    pub title: String,
    pub opens_on: String,
    pub closes_on: String,
}

/// Response rates of one group of invitees (an industry, a size band, or unknown).
#[derive(Debug, Clone, PartialEq)]
pub struct RateRow<'a> {
    /// The group's label from the reference tables; `None`: not known for these invitees.
    pub group: Option<&'a Text>,
    pub invited: usize,
    pub submitted: usize,
}

impl RateRow<'_> {
    /// Submitted per invited, in percent.
    pub fn percent(&self) -> f64 {
        100.0 * self.submitted as f64 / self.invited.max(1) as f64
    }
}

/// Everything the round page shows.
pub struct RoundOverview<'a> {
    pub round: Round,
    /// The instrument (`None` if this kojo's content no longer has it).
    pub instrument: Option<&'a Instrument>,
    /// The caller runs the round (may invite, import, close and download the links).
    pub runner: bool,
    /// The caller is the ministry (may export individual responses).
    pub ministry: bool,
    pub started: i64,
    pub submitted: i64,
    /// The invitees with their response status.
    pub invitees: Vec<Invitee>,
    /// Organisations that may still be invited.
    pub candidates: Vec<Org>,
    pub by_industry: Vec<RateRow<'a>>,
    pub by_size: Vec<RateRow<'a>>,
}

/// An invitee with its personal link's token.
pub struct InviteeLink {
    pub invitee: Invitee,
    pub token: String,
}

/// An invitee as the response rates count it.
#[derive(Debug, Clone, Copy)]
pub struct Invited<'o> {
    /// The invited organisation as registered (`None`: a pasted name).
    pub org: Option<&'o Org>,
    pub submitted: bool,
}

/// Response rates by industry and by size band, in the reference tables' order (JSIC code, size
/// from small to large), the invitees of unknown industry or size last.
pub fn response_rates<'a>(
    catalog: &'a Catalog,
    invitees: &[Invited],
) -> (Vec<RateRow<'a>>, Vec<RateRow<'a>>) {
    let industries = &catalog.industries.industries;
    let bands = &catalog.company_sizes.example_bands;
    let mut by_industry = std::collections::BTreeMap::new();
    let mut by_size = std::collections::BTreeMap::new();
    for i in invitees {
        let industry = i
            .org
            .and_then(|o| o.industry_code.as_deref())
            .and_then(|c| industries.iter().position(|x| x.code == c))
            .unwrap_or(usize::MAX);
        let size = i
            .org
            .filter(|o| o.employees.is_some())
            .map(|o| size_band(o.employees, bands))
            .and_then(|b| bands.iter().position(|x| x.id == b.id()))
            .unwrap_or(usize::MAX);
        for (map, key) in [(&mut by_industry, industry), (&mut by_size, size)] {
            let e: &mut (usize, usize) = map.entry(key).or_default();
            e.0 += 1;
            e.1 += usize::from(i.submitted);
        }
    }
    (
        rate_rows(by_industry, |at| industries.get(at).map(|x| &x.title)),
        rate_rows(by_size, |at| bands.get(at).map(|b| &b.label)),
    )
}

fn rate_rows<'a>(
    groups: std::collections::BTreeMap<usize, (usize, usize)>,
    label: impl Fn(usize) -> Option<&'a Text>,
) -> Vec<RateRow<'a>> {
    groups
        .into_iter()
        .map(|(at, (invited, submitted))| RateRow {
            group: label(at),
            invited,
            submitted,
        })
        .collect()
}

/// Every line of the pasted names, trimmed, without empty lines.
pub fn pasted_names(texts: &[String]) -> Vec<String> {
    texts
        .iter()
        .flat_map(|t| t.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

impl Service {
    /// The instruments the caller may open a round of.
    pub fn runnable_instruments(&self, who: &Who) -> Vec<&Instrument> {
        let Some(kind) = runner_kind(who) else {
            return vec![];
        };
        self.catalog()
            .instruments
            .iter()
            .filter(|i| runnable_by(kind, i))
            .collect()
    }

    /// The instruments with a national view for the caller (the ministry: every survey).
    pub fn national_instruments(&self, who: &Who) -> Vec<&Instrument> {
        if require_role(who, &[Role::MinistryAnalyst]).is_err() {
            return vec![];
        }
        self.catalog()
            .instruments
            .iter()
            .filter(|i| i.kind != InstrumentKind::Hearing)
            .collect()
    }

    /// The rounds the caller runs (the ministry and the command line: every round), newest first.
    pub async fn list_rounds(&self, who: &Who) -> Result<Vec<RoundSummary>> {
        require_role(who, SURVEY_RUNNERS)?;
        let owner = match who.role() {
            Some(Role::MinistryAnalyst) | None => None,
            Some(_) => Some(who.org_id().ok_or(Error::Forbidden)?),
        };
        let names: HashMap<OrgId, String> = self
            .store()
            .list_orgs(None)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        let mut out = Vec::new();
        for round in self.store().rounds(owner).await? {
            let (_, submitted) = self.store().response_counts(round.id).await?;
            out.push(RoundSummary {
                owner: names.get(&round.owner_org_id).cloned().unwrap_or_default(),
                round,
                submitted,
            });
        }
        Ok(out)
    }

    /// Opens a round run by the caller's organisation (`owner`: the command line names it).
    pub async fn create_round(
        &self,
        who: &Who,
        owner: Option<OrgId>,
        draft: &RoundDraft,
    ) -> Result<Round> {
        require_role(who, SURVEY_RUNNERS)?;
        crate::assessment::check_length("title", &draft.title, crate::NAME_MAX)?;
        let owner = match (who.principal(), owner) {
            (Some(p), None) => p.org_id.ok_or(Error::Forbidden)?,
            (Some(p), Some(o)) if p.org_id == Some(o) => o,
            (Some(_), Some(_)) => return Err(Error::Forbidden),
            (None, Some(o)) => o,
            (None, None) => return Err(Error::Internal("a round needs an owner".into())),
        };
        let kind = self.store().org(owner).await?.kind;
        let runnable = self
            .catalog()
            .instrument(&draft.instrument)
            .is_some_and(|i| runnable_by(kind, i));
        if !runnable {
            return Err(Problem::Field {
                field: "instrument",
                value: draft.instrument.clone(),
                expected: Expected::Id,
            }
            .into());
        }
        if draft.title.trim().is_empty() {
            return Err(Problem::Rule(kojo_storage::Invalid::RoundTitleRequired).into());
        }
        let new = NewRound {
            instrument: draft.instrument.clone(),
            title: draft.title.clone(),
            opens_on: optional_date("opens_on", &draft.opens_on)?,
            closes_on: optional_date("closes_on", &draft.closes_on)?,
        };
        Ok(self.store().create_round(&who.actor(), owner, &new).await?)
    }

    /// Organisations that may be invited to a round: the members of the association running
    /// it; for the ministry, the associations (association instrument) or the companies.
    async fn invitable(&self, round: &Round) -> Result<Vec<Org>> {
        let owner = self.store().org(round.owner_org_id).await?;
        let kind = self.catalog().instrument(&round.instrument).map(|i| i.kind);
        Ok(match (owner.kind, kind) {
            (OrgKind::Association, _) => self.store().members(owner.id).await?,
            (_, Some(InstrumentKind::Association)) => {
                self.store().list_orgs(Some(OrgKind::Association)).await?
            }
            _ => self.store().list_orgs(Some(OrgKind::Company)).await?,
        })
    }

    /// The round page's content: status, invitees with their status, who can still be invited
    /// and the response rates by industry and size.
    pub async fn round_overview(&self, who: &Who, id: RoundId) -> Result<RoundOverview<'_>> {
        let round = self.round_for(who, id, RoundUse::Read).await?;
        let runner = who
            .principal()
            .is_none_or(|p| p.org_id == Some(round.owner_org_id));
        let invitees = self.store().invitees(round.id).await?;
        let (started, submitted) = self.store().response_counts(round.id).await?;
        let orgs: HashMap<OrgId, Org> = self
            .store()
            .list_orgs(None)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
        let invited: HashSet<OrgId> = invitees.iter().filter_map(|i| i.org_id).collect();
        let candidates = self
            .invitable(&round)
            .await?
            .into_iter()
            .filter(|o| !invited.contains(&o.id))
            .collect();
        let counted: Vec<Invited> = invitees
            .iter()
            .map(|i| Invited {
                org: i.org_id.and_then(|o| orgs.get(&o)),
                submitted: i.response_status() == Some(ResponseStatus::Submitted),
            })
            .collect();
        let (by_industry, by_size) = response_rates(self.catalog(), &counted);
        Ok(RoundOverview {
            instrument: self.catalog().instrument(&round.instrument),
            runner,
            ministry: require_role(who, &[Role::MinistryAnalyst]).is_ok(),
            started,
            submitted,
            invitees,
            candidates,
            by_industry,
            by_size,
            round,
        })
    }

    /// Invites organisations and pasted names (one per line) to a round the caller runs, all or
    /// none; returns how many were added. An association invites only its member companies; the
    /// ministry the associations or companies the instrument is for.
    pub async fn invite(
        &self,
        who: &Who,
        id: RoundId,
        orgs: &[OrgId],
        names: &[String],
    ) -> Result<usize> {
        let round = self.round_for(who, id, RoundUse::Run).await?;
        let pasted = pasted_names(names);
        if pasted.len() > crate::PASTED_NAMES_MAX {
            return Err(Problem::Field {
                field: "names",
                value: pasted.len().to_string(),
                expected: Expected::MaxItems(crate::PASTED_NAMES_MAX),
            }
            .into());
        }
        for name in &pasted {
            crate::assessment::check_length("names", name, crate::NAME_MAX)?;
        }
        let known: HashMap<OrgId, Org> = self
            .store()
            .list_orgs(None)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
        let allowed: HashSet<OrgId> = self.invitable(&round).await?.iter().map(|o| o.id).collect();
        let mut new = Vec::new();
        for &o in orgs {
            let org = known
                .get(&o)
                .ok_or_else(|| Problem::Rule(kojo_storage::Invalid::UnknownOrg { id: o.get() }))?;
            if !allowed.contains(&o) {
                return Err(Problem::NotInvitable {
                    name: org.name.clone(),
                }
                .into());
            }
            let token = self.invitee_token(round.id, &respondent_of(o)).await?;
            new.push(NewInvitee {
                org_id: Some(o),
                label: org.name.clone(),
                email: None,
                token_hash: hash_token(&token),
            });
        }
        for name in pasted {
            let token = self
                .invitee_token(round.id, &format!("name-{name}"))
                .await?;
            new.push(NewInvitee {
                org_id: None,
                label: name,
                email: None,
                token_hash: hash_token(&token),
            });
        }
        Ok(self
            .store()
            .add_invitees(&who.actor(), round.id, &new)
            .await?)
    }

    /// Every invitee of a round the caller runs, with its personal link's token.
    pub async fn invitee_links(&self, who: &Who, id: RoundId) -> Result<Vec<InviteeLink>> {
        let round = self.round_for(who, id, RoundUse::Run).await?;
        let mut out = Vec::new();
        for invitee in self.store().invitees(round.id).await? {
            let token = self.invitee_token(round.id, &invitee_key(&invitee)).await?;
            out.push(InviteeLink { invitee, token });
        }
        Ok(out)
    }

    /// Every invitee's name, status and link (`base`: where kojo is reached) as CSV for mail
    /// merge (UTF-8 with BOM; Excel-JP opens it), with the file name.
    pub async fn links_csv(
        &self,
        who: &Who,
        id: RoundId,
        base: &str,
        lang: &Lang,
    ) -> Result<(String, Vec<u8>)> {
        let t = lang.t;
        let mut rows = vec![vec![
            t.survey_csv_name.to_string(),
            t.survey_csv_status.to_string(),
            t.survey_csv_link.to_string(),
        ]];
        for link in self.invitee_links(who, id).await? {
            let status = status_label(link.invitee.response_status(), lang);
            rows.push(vec![
                link.invitee.label,
                status.to_string(),
                format!("{base}/r/{}", link.token),
            ]);
        }
        let bytes = kojo_formats::csv_out::write(&rows, kojo_formats::csv_out::Encoding::Utf8Bom)
            .map_err(|e| Error::Internal(e.to_string()))?;
        Ok((format!("round-{id}-links.csv"), bytes))
    }

    /// Closes a round the caller runs: no answers, corrections or imports from then on.
    pub async fn close_round(&self, who: &Who, id: RoundId) -> Result<()> {
        let round = self.round_for(who, id, RoundUse::Run).await?;
        Ok(self.store().close_round(&who.actor(), round.id).await?)
    }

    /// The submitted responses of a round in the import format, with the file name (the
    /// ministry only: these are individual answers).
    pub async fn responses_file(&self, who: &Who, id: RoundId) -> Result<(String, Vec<u8>)> {
        require_role(who, &[Role::MinistryAnalyst])?;
        let round = self.round_for(who, id, RoundUse::Read).await?;
        let inst = self
            .catalog()
            .instrument(&round.instrument)
            .ok_or(Error::NotFound)?;
        let internal = |e: &dyn std::fmt::Display| Error::Internal(e.to_string());
        let schema = Schema::new(inst).map_err(|e| internal(&e))?;
        let mut writer = survey_csv::Writer::new(Vec::new(), &schema).map_err(|e| internal(&e))?;
        for row in self.store().submitted(&[round.id]).await? {
            let cells: Vec<(String, String)> = row
                .answers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            writer
                .cells(&schema, &row.respondent, &cells)
                .map_err(|e| internal(&e))?;
        }
        let bytes = writer.finish().map_err(|e| internal(&e))?;
        Ok((format!("round-{}-responses.csv", round.id), bytes))
    }
}

/// A response status as the pages and files name it (`None`: not started).
pub fn status_label(status: Option<ResponseStatus>, lang: &Lang) -> &'static str {
    let t = lang.t;
    match status {
        Some(ResponseStatus::Submitted) => t.survey_status_submitted,
        Some(_) => t.survey_status_draft,
        None => t.survey_status_none,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn company(industry: Option<&str>, employees: Option<i64>) -> Org {
        Org {
            id: OrgId::new(1),
            kind: OrgKind::Company,
            name: "会員".into(),
            name_en: None,
            corporate_number: None,
            industry_code: industry.map(String::from),
            prefecture_code: None,
            employees,
            sc3_member: false,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn response_rates_follow_the_reference_tables_with_unknown_groups_last() {
        let catalog = kojo_content::load_embedded().expect("content");
        let orgs = [
            company(Some("31"), Some(2000)),
            company(Some("26"), Some(20)),
            company(Some("31"), Some(30)),
            company(None, None),
        ];
        let invited: Vec<Invited> = orgs
            .iter()
            .enumerate()
            .map(|(i, o)| Invited {
                org: Some(o),
                submitted: i % 2 == 0,
            })
            .chain([Invited {
                org: None,
                submitted: true,
            }])
            .collect();
        let (by_industry, by_size) = response_rates(&catalog, &invited);
        let codes: Vec<Option<&str>> = by_industry
            .iter()
            .map(|r| r.group.map(|g| g.ja.as_str()))
            .collect();
        let title = |code: &str| {
            let i = catalog
                .industries
                .industries
                .iter()
                .find(|x| x.code == code);
            i.map(|i| i.title.ja.as_str())
        };
        assert_eq!(codes, vec![title("26"), title("31"), None]);
        let counts: Vec<(usize, usize)> = by_industry
            .iter()
            .map(|r| (r.invited, r.submitted))
            .collect();
        assert_eq!(counts, vec![(1, 0), (2, 2), (2, 1)], "26, 31, unknown");
        assert_eq!(by_industry[1].percent(), 100.0);
        // Sizes from small to large; an organisation without employees is unknown.
        let bands = &catalog.company_sizes.example_bands;
        assert_eq!(by_size.first().and_then(|r| r.group), Some(&bands[0].label));
        assert_eq!(
            by_size.last().map(|r| (r.group, r.invited)),
            Some((None, 2))
        );
        assert_eq!(by_size.iter().map(|r| r.invited).sum::<usize>(), 5);
    }

    #[test]
    fn no_invitees_no_rates() {
        let catalog = kojo_content::load_embedded().expect("content");
        let (a, b) = response_rates(&catalog, &[]);
        assert!(a.is_empty() && b.is_empty());
        let nobody = RateRow {
            group: None,
            invited: 0,
            submitted: 0,
        };
        assert_eq!(nobody.percent(), 0.0);
    }

    #[test]
    fn pasted_names_are_one_per_line() {
        let pasted = vec![
            " 山田精機 \r\n\n佐藤化学\n  ".to_string(),
            "鈴木".to_string(),
        ];
        assert_eq!(pasted_names(&pasted), vec!["山田精機", "佐藤化学", "鈴木"]);
    }

    #[test]
    fn associations_survey_companies_and_the_ministry_both() {
        let catalog = kojo_content::load_embedded().expect("content");
        let runs = |kind: OrgKind| -> Vec<&str> {
            let mut ids: Vec<&str> = catalog
                .instruments
                .iter()
                .filter(|i| runnable_by(kind, i))
                .map(|i| i.id.as_str())
                .collect();
            ids.sort_unstable();
            ids
        };
        assert_eq!(runs(OrgKind::Association), vec!["company-2022"]);
        assert_eq!(
            runs(OrgKind::Ministry),
            vec!["association-2022", "company-2022"]
        );
        assert!(runs(OrgKind::Company).is_empty());
    }
}
