//! What can go wrong in a use case. Problems a user can fix are [`Problem`]s carrying their data;
//! their sentences live in `locales/*.toml` (section `problem`) and are chosen by
//! [`Problem::message`] in the reader's language, so a missing translation fails the build and
//! no English sentence reaches a Japanese page.

use kojo_core::org::OrgKind;
use kojo_storage::{Conflict, Invalid, StoreError};

use crate::Lang;
use crate::accounts::password::{self, Weakness};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No such thing, or it belongs to someone else (not even its existence is confirmed).
    #[error("not found")]
    NotFound,
    /// The caller's role may not do this.
    #[error("forbidden")]
    Forbidden,
    /// The request breaks a rule the user can fix (HTTP 400).
    #[error("invalid: {0:?}")]
    Invalid(Problem),
    /// The request collides with the current state (HTTP 409).
    #[error("conflict: {0:?}")]
    Conflict(Problem),
    /// An upload above `limit` bytes.
    #[error("upload too large (limit {limit} bytes)")]
    TooLarge { limit: usize },
    /// The database failed (logged, never shown).
    #[error(transparent)]
    Store(StoreError),
    /// A bug or a broken installation (logged, never shown).
    #[error("{0}")]
    Internal(String),
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        match e {
            StoreError::NotFound => Error::NotFound,
            StoreError::Conflict(c) => Error::Conflict(Problem::Taken(c)),
            StoreError::Invalid(i) => Error::Invalid(Problem::Rule(i)),
            StoreError::Stale => Error::Conflict(Problem::Stale),
            other => Error::Store(other),
        }
    }
}

impl From<Problem> for Error {
    fn from(p: Problem) -> Error {
        Error::Invalid(p)
    }
}

/// What a form field or file cell should have held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// A date such as 2026-03-31.
    Date,
    /// One of these codes.
    OneOf(Vec<String>),
    /// At most this many characters.
    MaxChars(usize),
    /// At most this many entries.
    MaxItems(usize),
    /// A number identifying a record.
    Id,
    /// Not empty.
    Text,
    /// A date on or after this one (as the reader reads dates).
    OnOrAfter(String),
}

/// A problem the user can fix, with everything its message needs.
#[derive(Debug)]
pub enum Problem {
    /// A rule of the stored data.
    Rule(Invalid),
    /// Something is already taken.
    Taken(Conflict),
    /// Someone else changed the record since it was read.
    Stale,
    /// A field holds something else than expected.
    Field {
        field: &'static str,
        value: String,
        expected: Expected,
    },
    /// A completed assessment is read-only.
    ReadOnly,
    /// Items still unanswered when completing.
    Incomplete { missing: usize, items: usize },
    /// A destructive action needs its confirmation box ticked.
    ConfirmRequired,
    /// The login or the password is wrong (one answer for both).
    SignInFailed,
    /// Too many failed password guesses: try again in `seconds`.
    Throttled { seconds: i64 },
    /// The current password given to change it is wrong.
    WrongPassword,
    /// The new password and its confirmation differ.
    PasswordMismatch,
    /// A new password breaks the password rules.
    Password(Weakness),
    /// No organisation has this name.
    OrgNotFound { name: String },
    /// Several organisations (of different kinds) have this name.
    OrgAmbiguous { name: String },
    /// The organisation is of another kind than needed here.
    OrgKind {
        org: String,
        kind: OrgKind,
        expected: OrgKind,
    },
    /// Only companies join industry associations.
    MembershipNeedsCompany,
    /// A measure that is not in the checklist.
    UnknownMeasure { measure: String },
    /// A prefecture code that is not in the reference table.
    UnknownPrefecture { code: String },
    /// No file in the upload form.
    NoFile,
    /// The upload form could not be read.
    Upload,
    /// The factory already has a draft, so a workbook cannot start another.
    DraftExists,
    /// A text cannot be written in CP932.
    Encoding(kojo_formats::csv_out::EncodeError),
    /// Saving a draft through a link needs a resume code of at least `min` characters (and
    /// at most `max`); the code itself is never echoed.
    ResumeCodeLength { min: usize, max: usize },
    /// The resume code does not match the draft's.
    ResumeCodeWrong,
    /// Too many wrong resume codes: resuming is refused for a while.
    ResumeThrottled { minutes: i64 },
    /// A link's response was submitted: the link is spent.
    ResponseSubmitted,
    /// The organisation answers signed in, so its link is refused.
    AnsweredSignedIn,
    /// An organisation the round's runner may not invite (not a member of the association, or
    /// not of the kind the instrument asks).
    NotInvitable { name: String },
    /// A response file names an organisation the round may not count.
    RespondentNotInvitable { respondent: String },
    /// A response file would replace an answer its respondent gave.
    AnsweredThemselves { respondent: String },
    /// No public URL is configured, so no link is issued (never one made from a Host header).
    NoPublicUrl,
    /// An association's round cannot be reopened: its report was released when it closed.
    ReopenReleased,
    /// A file that cannot be kept as evidence (empty, too large, not a photo or PDF).
    Evidence(kojo_core::evidence::Refused),
    /// A vulnerability file (an asset's SBOM or VEX) that cannot be used, with where and why.
    VulnFile(crate::vuln::Failure),
}

impl Problem {
    /// The sentence the user reads, in their language.
    pub fn message(&self, lang: &Lang) -> String {
        let t = lang.t;
        match self {
            Problem::Rule(rule) => rule_message(rule, lang),
            Problem::Taken(c) => taken_message(c, lang),
            Problem::Stale => t.problem_stale.to_string(),
            Problem::Field {
                field,
                value,
                expected,
            } => lang.t.fill(
                t.problem_field,
                &[
                    ("field", &field_label(field, lang)),
                    ("value", &excerpt(value)),
                    ("expected", &expected.message(lang)),
                ],
            ),
            Problem::ReadOnly => t.assess_read_only.to_string(),
            Problem::Incomplete { missing, .. } => lang.fill(t.assess_incomplete, "n", missing),
            Problem::ConfirmRequired => t.problem_confirm_required.to_string(),
            Problem::SignInFailed => t.login_failed.to_string(),
            Problem::Throttled { seconds } if *seconds < 60 => {
                lang.fill(t.security_throttled_seconds, "seconds", seconds)
            }
            Problem::Throttled { seconds } => {
                lang.fill(t.login_throttled, "minutes", (seconds + 59) / 60)
            }
            Problem::WrongPassword => t.account_wrong_current.to_string(),
            Problem::PasswordMismatch => t.setup_password_mismatch.to_string(),
            Problem::Password(weakness) => weakness_message(*weakness, lang),
            Problem::OrgNotFound { name } => {
                lang.fill(t.problem_org_not_found, "name", excerpt(name))
            }
            Problem::OrgAmbiguous { name } => {
                lang.fill(t.problem_org_ambiguous, "name", excerpt(name))
            }
            Problem::OrgKind {
                org,
                kind,
                expected,
            } => t.fill(
                t.problem_org_kind,
                &[
                    ("org", org),
                    ("kind", &kind_label(*kind, lang)),
                    ("expected", &kind_label(*expected, lang)),
                ],
            ),
            Problem::MembershipNeedsCompany => t.problem_membership_needs_company.to_string(),
            Problem::UnknownMeasure { measure } => {
                lang.fill(t.problem_unknown_measure, "measure", excerpt(measure))
            }
            Problem::UnknownPrefecture { code } => {
                lang.fill(t.problem_unknown_prefecture, "code", excerpt(code))
            }
            Problem::NoFile => t.problem_no_file.to_string(),
            Problem::Upload => t.problem_upload.to_string(),
            Problem::DraftExists => t.import_draft_exists.to_string(),
            Problem::Encoding(e) => e.message(lang.locale),
            Problem::NoPublicUrl => t.security_no_public_url.to_string(),
            Problem::Evidence(refused) => evidence_message(refused, lang),
            Problem::VulnFile(f) => f.message(lang),
            Problem::ReopenReleased => t.rounds2_reopen_released.to_string(),
            other => survey_message(other, lang),
        }
    }
}

impl Problem {
    /// The form or JSON field the problem is about, for clients that point at it. A field
    /// qualified by its record (`zone.name`, so the message can say 「ゾーン名」) is named as
    /// the form and the JSON body name it (`name`).
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Problem::Field { field, .. } => field.rsplit('.').next(),
            _ => None,
        }
    }
}

/// At most 60 characters of what the user sent, so an error never echoes a whole upload.
pub fn excerpt(value: &str) -> String {
    excerpt_to(value, 60)
}

/// At most `max` characters of a text, with `…` when it was cut.
pub fn excerpt_to(value: &str, max: usize) -> String {
    let mut out: String = value.chars().take(max).collect();
    if value.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// The most problems one error page lists (a file with more says how many more there are).
pub const SHOWN_PROBLEMS_MAX: usize = 100;

/// A list of problem sentences as a page shows them: at most [`SHOWN_PROBLEMS_MAX`], each cut
/// to 300 characters, and a last line saying how many more there were — so a small file full
/// of long bad cells cannot produce a page of megabytes.
pub fn bounded(messages: Vec<String>, lang: &Lang) -> Vec<String> {
    let total = messages.len();
    let mut out: Vec<String> = messages
        .iter()
        .take(SHOWN_PROBLEMS_MAX)
        .map(|m| excerpt_to(m, 300))
        .collect();
    if total > SHOWN_PROBLEMS_MAX {
        out.push(lang.fill(
            lang.t.security_more_problems,
            "n",
            total - SHOWN_PROBLEMS_MAX,
        ));
    }
    out
}

/// Why a new password is refused, as the reader is told.
fn weakness_message(weakness: Weakness, lang: &Lang) -> String {
    let t = lang.t;
    match weakness {
        Weakness::TooShort => lang.fill(t.password_too_short, "min", password::MIN_LEN),
        Weakness::TooLong => lang.fill(t.password_too_long, "max", password::MAX_LEN),
        Weakness::SameAsLogin => t.password_same_as_login.to_string(),
        Weakness::ControlCharacter => t.password_control_character.to_string(),
        Weakness::Common => t.password_common.to_string(),
    }
}

/// An organisation kind as the reader calls it.
pub fn kind_label(kind: OrgKind, lang: &Lang) -> &'static str {
    match kind {
        OrgKind::Ministry => lang.t.kind_ministry,
        OrgKind::Association => lang.t.kind_association,
        OrgKind::Company => lang.t.kind_company,
    }
}

fn field_label(field: &str, lang: &Lang) -> String {
    let t = lang.t;
    match field {
        "level" => t.assess_answer,
        "note" => t.assess_note,
        "owner" => t.assess_owner,
        "target_date" => t.assess_target_date,
        "due_date" => t.plan_due,
        "status" => t.plan_status,
        "encoding" => t.problem_field_encoding,
        "passage_question" => t.interview_question,
        "passage_text" => t.interview_passage,
        "passage_theme" => t.interview_theme,
        "held_on" => t.interview_date,
        "answer" => t.assess_answer,
        "association" => t.survey_owner,
        "role" => t.members_role,
        "kind" => t.orgs_kind,
        "employees" => t.orgs_employees,
        "to" => t.nav_language,
        "industry" => t.orgs_industry,
        "prefecture" => t.orgs_prefecture,
        "name" | "name_en" => t.orgs_name,
        "title" => t.survey_round_title,
        "opens_on" => t.survey_opens,
        "closes_on" => t.survey_closes,
        "interviewer" => t.interview_interviewer,
        "display_name" => t.setup_display_name,
        "names" => t.security_field_names,
        _ => return plant_field_label(field, lang).unwrap_or_else(|| field.to_string()),
    }
    .to_string()
}

/// The fields of the plant model's forms and the risk analysis. Names shared by several
/// records come qualified by the record (`zone.name`, `asset.owner`).
fn plant_field_label(field: &str, lang: &Lang) -> Option<String> {
    let t = lang.t;
    let label = match field {
        "process.name" => t.plant_f_process_name,
        "process.importance" => t.plant_f_process_importance,
        "damages" => t.plant_f_damages,
        "impact" => t.plant_f_impact,
        "zone.name" => t.plant_f_zone_name,
        "zone.importance" => t.plant_f_zone_importance,
        "zone.processes" => t.plant_f_zone_processes,
        "asset.processes" => t.plant_f_asset_processes,
        "zone" => t.plant_f_zone,
        "also_in" => t.plant_f_also_in,
        "conduit" => t.plant_f_conduit,
        "purpose" => t.plant_f_purpose,
        "exposure" => t.plant_f_exposure,
        "sl_target" => t.plant_f_sl_target,
        "conduit.name" => t.plant_f_conduit_name,
        "conduit.kind" => t.plant_f_conduit_kind,
        "a" => t.plant_f_a,
        "b" => t.plant_f_b,
        "direction" => t.plant_f_direction,
        "protocols" => t.plant_f_protocols,
        "operator" => t.plant_f_operator,
        "asset.name" => t.plant_f_asset_name,
        "asset.kind" => t.plant_f_asset_kind,
        "asset.owner" => t.plant_f_owner,
        "asset.status" => t.plant_f_status,
        "tag" => t.plant_f_tag,
        "vendor" => t.plant_f_vendor,
        "product" => t.plant_f_product,
        "model" => t.plant_f_model,
        "order_number" => t.plant_f_order_number,
        "version" => t.plant_f_version,
        "serial" => t.plant_f_serial,
        "os" => t.plant_f_os,
        "os_support_end" => t.plant_f_os_support_end,
        "ip" => t.plant_f_ip,
        "mac" => t.plant_f_mac,
        "location" => t.plant_f_location,
        "maintenance_end" => t.plant_f_maintenance_end,
        "from" => t.plant_f_from,
        "to" => t.plant_f_to,
        "data" => t.plant_f_data,
        "protocol" => t.plant_f_protocol,
        "encrypted" => t.plant_f_encrypted,
        "body" => t.plant_f_body,
        "limit" => t.risk_limit,
        "ways_in" => t.plant_ws_ways_in,
        "boundary_firewall" => t.plant_ws_boundary_firewall,
        "remote_on_request" => t.plant_ws_remote_on_request,
        "rules" => t.risk_rules,
        "min_importance" => t.risk_min_importance,
        "max_hops" => t.risk_max_hops,
        _ => return worksheet_field_label(field, lang),
    };
    Some(label.to_string())
}

/// `process_2` → 「2つ目の業務」 (the worksheet's rows).
fn worksheet_field_label(field: &str, lang: &Lang) -> Option<String> {
    let t = lang.t;
    let (name, row) = field.rsplit_once('_')?;
    let template = match name {
        "process" => t.plant_ws_row_process,
        "damage" => t.plant_ws_row_damage,
        "importance" => t.plant_ws_row_importance,
        "impact" => t.plant_ws_row_impact,
        _ => return None,
    };
    let row: usize = row.parse().ok()?;
    Some(lang.fill(template, "n", row))
}

impl Expected {
    /// What should have been given, as the reader is told.
    pub fn message(&self, lang: &Lang) -> String {
        let t = lang.t;
        match self {
            Expected::Date => t.problem_expected_date.to_string(),
            Expected::OneOf(codes) => {
                lang.fill(t.problem_expected_one_of, "codes", codes.join(", "))
            }
            Expected::MaxChars(max) => lang.fill(t.problem_expected_max_chars, "max", max),
            Expected::MaxItems(max) => lang.fill(t.security_expected_max_items, "max", max),
            Expected::Id => t.problem_expected_id.to_string(),
            Expected::Text => t.problem_expected_text.to_string(),
            Expected::OnOrAfter(date) => lang.fill(t.problem_expected_on_or_after, "date", date),
        }
    }
}

/// The sentences of the survey problems (answering through links, invitations, imports).
fn survey_message(p: &Problem, lang: &Lang) -> String {
    let t = lang.t;
    match p {
        Problem::ResumeCodeLength { min, max } => {
            lang.fill2(t.problem_resume_code_length, ("min", min), ("max", max))
        }
        Problem::ResumeCodeWrong => t.problem_resume_code_wrong.to_string(),
        Problem::ResumeThrottled { minutes } => {
            lang.fill(t.problem_resume_throttled, "minutes", minutes)
        }
        Problem::ResponseSubmitted => t.problem_response_submitted.to_string(),
        Problem::AnsweredSignedIn => t.problem_answered_signed_in.to_string(),
        Problem::NotInvitable { name } => lang.fill(t.problem_not_invitable, "name", excerpt(name)),
        Problem::RespondentNotInvitable { respondent } => lang.fill(
            t.problem_respondent_not_invitable,
            "respondent",
            excerpt(respondent),
        ),
        Problem::AnsweredThemselves { respondent } => lang.fill(
            t.problem_answered_themselves,
            "respondent",
            excerpt(respondent),
        ),
        _ => t.error_bad_request.to_string(),
    }
}

fn evidence_message(refused: &kojo_core::evidence::Refused, lang: &Lang) -> String {
    use kojo_core::evidence::{MAX_BYTES, Refused};
    let t = lang.t;
    let mib = |bytes: usize| format!("{:.1} MB", bytes as f64 / 1_048_576.0);
    match refused {
        Refused::Empty => t.evidence_empty.to_string(),
        Refused::TooLarge { size } => lang.fill2(
            t.evidence_too_large,
            ("size", &mib(*size)),
            ("max", &mib(MAX_BYTES)),
        ),
        Refused::UnknownKind => t.evidence_kind.to_string(),
    }
}

fn rule_message(rule: &Invalid, lang: &Lang) -> String {
    let t = lang.t;
    match rule {
        Invalid::OrgNameRequired => t.problem_org_name_required.to_string(),
        Invalid::TooManyEvidence { item, max } => lang.t.fill(
            t.evidence_too_many,
            &[("item", item), ("max", &max.to_string())],
        ),
        Invalid::CorporateNumber { value } => {
            lang.fill(t.problem_corporate_number, "value", excerpt(value))
        }
        Invalid::Membership {
            association,
            company,
        } => lang.fill2(
            t.problem_membership,
            ("association", association),
            ("company", company),
        ),
        Invalid::SiteNameRequired => t.company_site_name_required.to_string(),
        Invalid::SitesOnlyForCompanies { org } => {
            lang.fill(t.problem_sites_only_companies, "org", org)
        }
        Invalid::LoginFormat { .. } => t.account_login_invalid.to_string(),
        Invalid::AdminHasNoOrg => t.problem_admin_has_no_org.to_string(),
        Invalid::RoleNeedsOrg { role, kind } => {
            lang.fill2(t.problem_role_needs_org, ("role", role), ("kind", kind))
        }
        Invalid::RoleOrgKind { role, org, .. } => {
            lang.fill2(t.problem_role_org_kind, ("role", role), ("org", org))
        }
        Invalid::UnknownOrg { id } => lang.fill(t.problem_unknown_org, "id", id),
        Invalid::CopyOutsideSite => t.problem_copy_outside_site.to_string(),
        Invalid::NotDraft => t.assess_read_only.to_string(),
        Invalid::RoundTitleRequired => t.survey_title_required.to_string(),
        Invalid::RoundNotOpen => t.survey_round_closed.to_string(),
        Invalid::RoundNotClosed => t.rounds2_not_closed.to_string(),
        Invalid::DuplicateRespondent { respondent } => lang.fill(
            t.problem_duplicate_respondent,
            "respondent",
            excerpt(respondent),
        ),
        Invalid::PassageTextRequired => t.interview_passage_empty.to_string(),
        Invalid::MissingReference => t.problem_missing_reference.to_string(),
        Invalid::Check { .. } => t.error_bad_request.to_string(),
    }
}

fn taken_message(c: &Conflict, lang: &Lang) -> String {
    let t = lang.t;
    match c {
        Conflict::DraftExists => t.import_draft_exists.to_string(),
        Conflict::LoginTaken { login } => lang.fill(t.account_login_taken, "login", excerpt(login)),
        Conflict::SiteNameTaken { name, .. } => {
            lang.fill(t.company_site_exists, "name", excerpt(name))
        }
        Conflict::OrgExists { name } => lang.fill(t.problem_org_exists, "name", excerpt(name)),
        Conflict::MeasureInPlan { measure } => {
            lang.fill(t.problem_measure_in_plan, "measure", measure)
        }
        Conflict::AlreadyInvited { label } => {
            lang.fill(t.problem_already_invited, "label", excerpt(label))
        }
        Conflict::NameTaken { name, .. } => lang.fill(t.problem_name_taken, "name", excerpt(name)),
        Conflict::Unique { .. } => t.error_conflict.to_string(),
    }
}
