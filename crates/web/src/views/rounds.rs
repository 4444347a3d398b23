//! The rounds list (with the form to open a round) and a round's page: its status, invitees,
//! response rates, and — for its runner — inviting, importing and closing.

use askama::Template;
use askama_web::WebTemplate;
use kojo_core::format;
use kojo_core::ids::{OrgId, RoundId};
use kojo_core::instrument::Instrument;
use kojo_core::status::ResponseStatus;
use kojo_service::rounds::{RateRow, RoundOverview, RoundSummary, status_label};

use crate::Ctx;

pub struct RoundRow {
    pub id: RoundId,
    pub title: String,
    pub instrument: String,
    pub owner: String,
    pub status: String,
    pub period: String,
    pub submitted: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "rounds.html")]
pub struct RoundsPage {
    pub ctx: Ctx,
    pub rows: Vec<RoundRow>,
    pub instruments: Vec<(String, String)>,
    pub national: Vec<(String, String)>,
    pub error: Option<String>,
}

/// An instrument's title in the reader's language (its id if this content lacks it).
fn instrument_title(ctx: &Ctx, instrument: Option<&Instrument>, id: &str) -> String {
    instrument
        .map(|i| i.title.get(ctx.locale).to_string())
        .unwrap_or_else(|| id.to_string())
}

fn open_label(ctx: &Ctx, open: bool) -> String {
    if open {
        ctx.t.survey_open
    } else {
        ctx.t.survey_closed
    }
    .to_string()
}

/// What the rounds page is built from.
pub struct RoundsInput<'a> {
    pub rounds: Vec<RoundSummary>,
    /// Instruments the caller may open a round of.
    pub runnable: Vec<&'a Instrument>,
    /// Instruments with a national view for the caller.
    pub national: Vec<&'a Instrument>,
}

impl RoundsPage {
    pub fn new(
        ctx: Ctx,
        catalog: &kojo_content::Catalog,
        input: RoundsInput,
        error: Option<String>,
    ) -> RoundsPage {
        let l = ctx.locale;
        let choice = |i: &&Instrument| (i.id.clone(), i.title.get(l).to_string());
        RoundsPage {
            rows: input
                .rounds
                .into_iter()
                .map(|s| {
                    let r = s.round;
                    RoundRow {
                        id: r.id,
                        instrument: instrument_title(
                            &ctx,
                            catalog.instrument(&r.instrument),
                            &r.instrument,
                        ),
                        owner: s.owner,
                        status: open_label(&ctx, r.is_open()),
                        period: format::period(r.opens_on.as_deref(), r.closes_on.as_deref(), l),
                        title: r.title,
                        submitted: s.submitted,
                    }
                })
                .collect(),
            instruments: input.runnable.iter().map(choice).collect(),
            national: input.national.iter().map(choice).collect(),
            error,
            ctx,
        }
    }
}

pub struct InviteeRow {
    pub label: String,
    pub status: String,
    pub answered: bool,
}

pub struct RateView {
    pub group: String,
    pub invited: usize,
    pub submitted: usize,
    pub rate: String,
}

pub struct Candidate {
    pub org_id: OrgId,
    pub name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "round.html")]
pub struct RoundPage {
    pub ctx: Ctx,
    pub id: RoundId,
    pub title: String,
    pub instrument: String,
    pub open: bool,
    pub owner: bool,
    pub is_ministry: bool,
    pub period: String,
    pub started: i64,
    pub submitted: i64,
    pub invitees: Vec<InviteeRow>,
    pub candidates: Vec<Candidate>,
    pub by_industry: Vec<RateView>,
    pub by_size: Vec<RateView>,
    pub message: Option<String>,
    pub errors: Vec<String>,
}

fn rates(ctx: &Ctx, rows: &[RateRow]) -> Vec<RateView> {
    rows.iter()
        .map(|r| RateView {
            group: r
                .group
                .map(|g| g.get(ctx.locale).to_string())
                .unwrap_or_else(|| ctx.t.survey_unknown_group.to_string()),
            invited: r.invited,
            submitted: r.submitted,
            rate: format::percent(r.percent()),
        })
        .collect()
}

impl RoundPage {
    pub fn new(
        ctx: Ctx,
        o: RoundOverview,
        message: Option<String>,
        errors: Vec<String>,
    ) -> RoundPage {
        let l = ctx.locale;
        let lang = ctx.lang();
        let round = o.round;
        RoundPage {
            id: round.id,
            instrument: instrument_title(&ctx, o.instrument, &round.instrument),
            open: round.is_open(),
            owner: o.runner,
            is_ministry: o.ministry,
            period: match format::period(round.opens_on.as_deref(), round.closes_on.as_deref(), l) {
                p if p.is_empty() => ctx.t.rounds2_no_period.to_string(),
                p => ctx.fill(ctx.t.rounds2_period, "period", p),
            },
            title: round.title,
            started: o.started,
            submitted: o.submitted,
            invitees: o
                .invitees
                .into_iter()
                .map(|i| InviteeRow {
                    answered: i.response_status() == Some(ResponseStatus::Submitted),
                    status: status_label(i.response_status(), &lang).to_string(),
                    label: i.label,
                })
                .collect(),
            candidates: o
                .candidates
                .into_iter()
                .map(|o| Candidate {
                    org_id: o.id,
                    name: o.name,
                })
                .collect(),
            by_industry: rates(&ctx, &o.by_industry),
            by_size: rates(&ctx, &o.by_size),
            message,
            errors,
            ctx,
        }
    }
}
