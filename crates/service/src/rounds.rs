//! Survey rounds run by associations and the ministry: respondents' personal links, and
//! response files (CSV or xlsx) read and checked cell by cell, all or nothing.

use hmac::{KeyInit, Mac};
use kojo_core::ids::{OrgId, RoundId};
use kojo_core::survey::schema::Schema;
use kojo_formats::survey_csv;
use kojo_storage::{ImportRow, Round};

use crate::access::RoundUse;
use crate::{Error, Lang, Result, Service, Who};

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
        let table = match kojo_formats::table_in::read_any(bytes, name) {
            Ok(table) => table,
            Err(e) => return Ok(Err(vec![format!("{name}: {}", e.message(lang.locale))])),
        };
        let responses = match survey_csv::read(&schema, &table) {
            Ok(responses) => responses,
            Err(e) => {
                let messages = e.messages(lang.locale).into_iter();
                return Ok(Err(messages.map(|m| format!("{name}: {m}")).collect()));
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
        let n = self
            .store()
            .import_responses(&who.actor(), round.id, &rows)
            .await?;
        Ok(Ok(n))
    }
}
