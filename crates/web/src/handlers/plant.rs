//! The plant model's pages: the overview, adding, editing and deleting each kind of record
//! (plain form posts answered with a redirect, or the page again with the error next to the
//! field and what was typed), the step-1 worksheet and the findings.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kojo_core::ids::{AssetId, ConduitId, FlowId, ProcessId, SiteId, ZoneId};
use kojo_service::plant::{
    AssetDraft, ConcernDraft, ConduitDraft, FlowDraft, PlantRecord, ProcessDraft, WORKSHEET_FIELDS,
    WorksheetDraft, ZoneDraft,
};
use kojo_service::{Error, Problem, Service, Who};
use kojo_storage::Conflict;
use serde::Deserialize;

use crate::views::plant::forms::{Fields, FormError, FormInput, fields_of};
use crate::views::plant::{
    Failed, FindingsInput, FindingsPage, Kind, PlantEditPage, PlantPage, WorksheetPage,
};
use crate::{AppError, AppState, Ctx};

/// A record as typed, ready for its use case.
pub enum Draft {
    Process(ProcessDraft),
    Zone(ZoneDraft),
    Conduit(ConduitDraft),
    Asset(Box<AssetDraft>),
    Flow(FlowDraft),
}

impl Draft {
    pub fn kind(&self) -> Kind {
        match self {
            Draft::Process(_) => Kind::Process,
            Draft::Zone(_) => Kind::Zone,
            Draft::Conduit(_) => Kind::Conduit,
            Draft::Asset(_) => Kind::Asset,
            Draft::Flow(_) => Kind::Flow,
        }
    }

    /// The draft a form of `kind` describes.
    pub fn from_form(kind: Kind, f: &Fields) -> Draft {
        let s = |name: &str| f.get(name).to_string();
        match kind {
            Kind::Process => Draft::Process(ProcessDraft {
                name: s("name"),
                importance: s("importance"),
                damages: f.all("damages").iter().map(|d| d.to_string()).collect(),
                impact: s("impact"),
            }),
            Kind::Zone => Draft::Zone(ZoneDraft {
                name: s("name"),
                purpose: s("purpose"),
                exposure: s("exposure"),
                importance: s("importance"),
                sl_target: s("sl_target"),
                processes: f.ids("processes"),
            }),
            Kind::Conduit => Draft::Conduit(ConduitDraft {
                name: s("name"),
                a: f.id("a"),
                b: f.id("b"),
                kind: s("kind"),
                direction: s("direction"),
                protocols: s("protocols"),
                encrypted: f.flag("encrypted"),
                always_on: f.flag("always_on"),
                operator: s("operator"),
            }),
            Kind::Asset => Draft::Asset(Box::new(asset_draft(f))),
            Kind::Flow => Draft::Flow(FlowDraft {
                from: f.id("from"),
                to: f.id("to"),
                data: s("data"),
                protocol: s("protocol"),
                conduit: f.id("conduit"),
            }),
        }
    }
}

fn asset_draft(f: &Fields) -> AssetDraft {
    let s = |name: &str| f.get(name).to_string();
    AssetDraft {
        tag: s("tag"),
        name: s("name"),
        kind: s("kind"),
        zone: f.id("zone"),
        also_in: f.ids("also_in"),
        vendor: s("vendor"),
        product: s("product"),
        model: s("model"),
        order_number: s("order_number"),
        version: s("version"),
        serial: s("serial"),
        os: s("os"),
        os_support_end: s("os_support_end"),
        ip: s("ip"),
        mac: s("mac"),
        location: s("location"),
        owner: s("owner"),
        maintenance_end: s("maintenance_end"),
        status: s("status"),
        remote_maintenance: f.flag("remote_maintenance"),
        black_box: f.flag("black_box"),
        cloud_link: f.flag("cloud_link"),
        temporary: f.flag("temporary"),
        wireless: f.flag("wireless"),
        safety: f.flag("safety"),
        processes: f.ids("processes"),
    }
}

/// A field problem named the way its record's form names it (「ゾーン名」, not `name`).
pub fn qualify(kind: Kind, e: Error) -> Error {
    match e {
        Error::Invalid(Problem::Field {
            field,
            value,
            expected,
        }) => Error::Invalid(Problem::Field {
            field: kind.qualified(field),
            value,
            expected,
        }),
        other => other,
    }
}

/// Saves a record (adds it when `id` is None) through its use case; returns its id.
pub async fn save_record(
    svc: &Service,
    who: &Who,
    site: SiteId,
    id: Option<i64>,
    draft: &Draft,
) -> Result<i64, Error> {
    let saved = match draft {
        Draft::Process(d) => svc
            .save_process(who, site, id.map(ProcessId::new), d)
            .await
            .map(ProcessId::get),
        Draft::Zone(d) => svc
            .save_zone(who, site, id.map(ZoneId::new), d)
            .await
            .map(ZoneId::get),
        Draft::Conduit(d) => svc
            .save_conduit(who, site, id.map(ConduitId::new), d)
            .await
            .map(ConduitId::get),
        Draft::Asset(d) => svc
            .save_asset(who, site, id.map(AssetId::new), d)
            .await
            .map(AssetId::get),
        Draft::Flow(d) => svc
            .save_flow(who, site, id.map(FlowId::new), d)
            .await
            .map(FlowId::get),
    };
    saved.map_err(|e| qualify(draft.kind(), e))
}

/// The record of `kind` with `id`, for deletion.
pub fn record(kind: Kind, id: i64) -> PlantRecord {
    match kind {
        Kind::Process => PlantRecord::Process(ProcessId::new(id)),
        Kind::Zone => PlantRecord::Zone(ZoneId::new(id)),
        Kind::Conduit => PlantRecord::Conduit(ConduitId::new(id)),
        Kind::Asset => PlantRecord::Asset(AssetId::new(id)),
        Kind::Flow => PlantRecord::Flow(FlowId::new(id)),
    }
}

/// The error as a form shows it, when it is one the person can fix there: next to the field
/// it names (a name already taken is about the name), or above the form.
fn form_error(ctx: &Ctx, e: Error) -> Result<FormError, AppError> {
    let lang = ctx.lang();
    match e {
        Error::Invalid(p) => Ok(FormError {
            field: p.field(),
            message: p.message(&lang),
        }),
        Error::Conflict(p @ Problem::Taken(Conflict::NameTaken { .. })) => Ok(FormError {
            field: Some("name"),
            message: p.message(&lang),
        }),
        other => Err(other.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    /// What was just done: `made`, `saved`, `deleted`.
    #[serde(default)]
    pub done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
    Query(q): Query<PageQuery>,
) -> Result<PlantPage, AppError> {
    let (site, plant) = state.service.plant_of(&ctx.who()?, site).await?;
    let t = ctx.t;
    let notice = match q.done.as_deref() {
        Some("made") => Some(t.plant_made),
        Some("saved") => Some(t.plant_saved),
        Some("deleted") => Some(t.plant_deleted),
        _ => None,
    };
    let content = &state.service.catalog().plant;
    let site = (site.id, site.name.as_str());
    Ok(PlantPage::new(
        ctx,
        content,
        site,
        &plant,
        None,
        notice.map(String::from),
    ))
}

/// Adds (`id` None) or changes a record from its form; on a problem the page comes back with
/// the form as typed and the error next to its field (400).
async fn save(
    state: &AppState,
    ctx: Ctx,
    site: SiteId,
    kind: Kind,
    id: Option<i64>,
    body: &[u8],
) -> Result<Response, AppError> {
    let typed = Fields::parse(body);
    let who = ctx.who()?;
    let draft = Draft::from_form(kind, &typed);
    let error = match save_record(&state.service, &who, site, id, &draft).await {
        Ok(saved) => {
            let to = format!("/sites/{site}/plant?done=saved#{}-{saved}", kind.as_str());
            return Ok(Redirect::to(&to).into_response());
        }
        Err(e) => form_error(&ctx, e)?,
    };
    let (site, plant) = state.service.plant_of(&who, site).await?;
    let content = &state.service.catalog().plant;
    let named = (site.id, site.name.as_str());
    let page = match id {
        None => {
            let failed = Failed {
                kind,
                typed: &typed,
                error: &error,
            };
            PlantPage::new(ctx, content, named, &plant, Some(failed), None).into_response()
        }
        Some(id) => {
            let form = FormInput {
                ctx: &ctx,
                labels: &content.labels,
                plant: &plant,
                site: site.id,
                id: Some(id),
                typed: &typed,
                error: Some(&error),
            }
            .form(kind);
            PlantEditPage::new(ctx, named, form, kind, id).into_response()
        }
    };
    Ok((StatusCode::BAD_REQUEST, page).into_response())
}

/// A record's edit page.
async fn edit(
    state: &AppState,
    ctx: Ctx,
    site: SiteId,
    kind: Kind,
    id: i64,
) -> Result<Response, AppError> {
    let (site, plant) = state.service.plant_of(&ctx.who()?, site).await?;
    let typed = fields_of(&plant, kind, id).ok_or(AppError::NotFound)?;
    let labels = &state.service.catalog().plant.labels;
    let form = FormInput {
        ctx: &ctx,
        labels,
        plant: &plant,
        site: site.id,
        id: Some(id),
        typed: &typed,
        error: None,
    }
    .form(kind);
    Ok(PlantEditPage::new(ctx, (site.id, &site.name), form, kind, id).into_response())
}

async fn delete(
    state: &AppState,
    ctx: Ctx,
    site: SiteId,
    kind: Kind,
    id: i64,
) -> Result<Response, AppError> {
    state
        .service
        .delete_plant_record(&ctx.who()?, site, record(kind, id))
        .await?;
    Ok(Redirect::to(&format!("/sites/{site}/plant?done=deleted")).into_response())
}

/// The four page handlers of one kind of record.
macro_rules! record_pages {
    ($kind:expr, $id:ty, $add:ident, $edit:ident, $update:ident, $delete:ident) => {
        pub async fn $add(
            State(state): State<AppState>,
            ctx: Ctx,
            Path(site): Path<SiteId>,
            body: Bytes,
        ) -> Result<Response, AppError> {
            save(&state, ctx, site, $kind, None, &body).await
        }

        pub async fn $edit(
            State(state): State<AppState>,
            ctx: Ctx,
            Path((site, id)): Path<(SiteId, $id)>,
        ) -> Result<Response, AppError> {
            edit(&state, ctx, site, $kind, id.get()).await
        }

        pub async fn $update(
            State(state): State<AppState>,
            ctx: Ctx,
            Path((site, id)): Path<(SiteId, $id)>,
            body: Bytes,
        ) -> Result<Response, AppError> {
            save(&state, ctx, site, $kind, Some(id.get()), &body).await
        }

        pub async fn $delete(
            State(state): State<AppState>,
            ctx: Ctx,
            Path((site, id)): Path<(SiteId, $id)>,
        ) -> Result<Response, AppError> {
            delete(&state, ctx, site, $kind, id.get()).await
        }
    };
}

record_pages!(
    Kind::Process,
    ProcessId,
    add_process,
    edit_process,
    update_process,
    delete_process
);
record_pages!(
    Kind::Zone,
    ZoneId,
    add_zone,
    edit_zone,
    update_zone,
    delete_zone
);
record_pages!(
    Kind::Conduit,
    ConduitId,
    add_conduit,
    edit_conduit,
    update_conduit,
    delete_conduit
);
record_pages!(
    Kind::Asset,
    AssetId,
    add_asset,
    edit_asset,
    update_asset,
    delete_asset
);
record_pages!(
    Kind::Flow,
    FlowId,
    add_flow,
    edit_flow,
    update_flow,
    delete_flow
);

/// The step-1 worksheet.
pub async fn start_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
) -> Result<WorksheetPage, AppError> {
    let (site, plant) = state.service.plant_of(&ctx.who()?, site).await?;
    let labels = &state.service.catalog().plant.labels;
    let existing = plant != Default::default();
    let blank = Fields::default();
    Ok(WorksheetPage::new(
        ctx,
        labels,
        (site.id, &site.name),
        existing,
        &blank,
        None,
    ))
}

fn worksheet_draft(f: &Fields) -> WorksheetDraft {
    WorksheetDraft {
        concerns: WORKSHEET_FIELDS
            .iter()
            .map(|[process, damage, importance, impact]| ConcernDraft {
                process: f.get(process).to_string(),
                damage: f.get(damage).to_string(),
                importance: f.get(importance).to_string(),
                impact: f.get(impact).to_string(),
            })
            .collect(),
        ways_in: f.all("ways_in").iter().map(|w| w.to_string()).collect(),
        boundary_firewall: f.get("boundary_firewall").to_string(),
        remote_on_request: f.get("remote_on_request").to_string(),
    }
}

/// Makes the first zone map (or adds to the model) and shows it; the sheet again on a problem.
pub async fn start_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
    body: Bytes,
) -> Result<Response, AppError> {
    let typed = Fields::parse(&body);
    let who = ctx.who()?;
    let draft = worksheet_draft(&typed);
    let error = match state
        .service
        .apply_worksheet(&who, site, &draft, &ctx.lang())
        .await
    {
        Ok(_) => return Ok(Redirect::to(&format!("/sites/{site}/plant?done=made")).into_response()),
        Err(e) => form_error(&ctx, e)?,
    };
    let (site, plant) = state.service.plant_of(&who, site).await?;
    let labels = &state.service.catalog().plant.labels;
    let existing = plant != Default::default();
    let page = WorksheetPage::new(
        ctx,
        labels,
        (site.id, &site.name),
        existing,
        &typed,
        Some(&error),
    );
    Ok((StatusCode::BAD_REQUEST, page).into_response())
}

pub async fn findings(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
) -> Result<FindingsPage, AppError> {
    let f = state.service.plant_findings(&ctx.who()?, site).await?;
    let input = FindingsInput {
        catalog: state.service.catalog(),
        plant: &f.plant,
        findings: &f.findings,
        implemented: &f.implemented,
        assessment: f.assessment.as_ref(),
    };
    Ok(FindingsPage::new(ctx, (f.site.id, &f.site.name), &input))
}
