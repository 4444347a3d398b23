//! The plant model's pages: the overview (diagram, tables by kind of record, the data-flow
//! matrix, add forms), a record's edit page, the step-1 worksheet and the findings.

pub mod forms;

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use kojo_charts::{
    DiagramAsset, DiagramConduit, DiagramZone, LinkFlow, LinkStyle, ZoneLevel, ZonesOptions,
    ZonesText,
};
use kojo_content::Catalog;
use kojo_content::{FACTORY_CHECKLIST, PlantContent};
use kojo_core::ids::SiteId;
use kojo_core::plant::catalog::{Labels, Severity};
use kojo_core::plant::model::{
    Asset, Conduit, ConduitKind, Direction, Exposure, Plant, Zone, ZonePurpose,
};
use kojo_core::plant::{Finding, Importances, Subject};
use kojo_core::risk::Implemented;
use kojo_i18n::Msg;
use kojo_storage::Assessment;

use self::forms::{FormError, FormInput, FormView, label};
use crate::Ctx;

/// The kinds of record of a plant model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Process,
    Zone,
    Conduit,
    Asset,
    Flow,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Process => "process",
            Kind::Zone => "zone",
            Kind::Conduit => "conduit",
            Kind::Asset => "asset",
            Kind::Flow => "flow",
        }
    }

    /// The path segment of its pages and API routes.
    pub fn segment(self) -> &'static str {
        match self {
            Kind::Process => "processes",
            Kind::Zone => "zones",
            Kind::Conduit => "conduits",
            Kind::Asset => "assets",
            Kind::Flow => "flows",
        }
    }

    pub fn add_label(self, t: &'static Msg) -> &'static str {
        match self {
            Kind::Process => t.plant_add_process,
            Kind::Zone => t.plant_add_zone,
            Kind::Conduit => t.plant_add_conduit,
            Kind::Asset => t.plant_add_asset,
            Kind::Flow => t.plant_add_flow,
        }
    }

    pub fn edit_label(self, t: &'static Msg) -> &'static str {
        match self {
            Kind::Process => t.plant_edit_process,
            Kind::Zone => t.plant_edit_zone,
            Kind::Conduit => t.plant_edit_conduit,
            Kind::Asset => t.plant_edit_asset,
            Kind::Flow => t.plant_edit_flow,
        }
    }

    /// A field of this record as error messages name it: the names several records share are
    /// qualified (`zone.name` reads 「ゾーン名」), the others are unique already.
    pub fn qualified(self, field: &'static str) -> &'static str {
        match (self, field) {
            (Kind::Process, "name") => "process.name",
            (Kind::Process, "importance") => "process.importance",
            (Kind::Zone, "name") => "zone.name",
            (Kind::Zone, "importance") => "zone.importance",
            (Kind::Zone, "processes") => "zone.processes",
            (Kind::Asset, "processes") => "asset.processes",
            (Kind::Conduit, "name") => "conduit.name",
            (Kind::Conduit, "kind") => "conduit.kind",
            (Kind::Asset, "name") => "asset.name",
            (Kind::Asset, "kind") => "asset.kind",
            (Kind::Asset, "owner") => "asset.owner",
            (Kind::Asset, "status") => "asset.status",
            _ => field,
        }
    }
}

pub struct ProcessRow {
    pub id: i64,
    pub name: String,
    pub importance: String,
    pub damages: String,
    pub impact: String,
}

pub struct ZoneRow {
    pub id: i64,
    pub name: String,
    pub purpose: String,
    pub exposure: String,
    pub untrusted: bool,
    pub sl_target: u8,
    pub importance: String,
    /// Set by hand (otherwise derived).
    pub manual: bool,
    pub processes: String,
}

pub struct ConduitRow {
    pub id: i64,
    pub name: String,
    pub a: String,
    pub b: String,
    pub kind: String,
    pub direction: String,
    pub protocols: String,
    pub encrypted: bool,
    pub always_on: bool,
    pub operator: String,
}

pub struct AssetRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub vendor_model: String,
    pub version: String,
    pub owner: String,
    pub status: String,
    pub importance: String,
    pub tags: Vec<&'static str>,
}

pub struct AssetGroup {
    pub anchor: String,
    pub title: String,
    pub rows: Vec<AssetRow>,
}

pub struct FlowRow {
    pub id: i64,
    pub from: String,
    pub to: String,
    pub data: String,
    pub protocol: String,
    pub conduit: String,
}

/// A data-flow matrix: row heads (sources), column heads (destinations) and cells.
pub struct Matrix {
    pub columns: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
}

/// The most assets the asset-to-asset matrix shows.
const MATRIX_ASSETS: usize = 20;

/// The overview of a site's model.
#[derive(Template, WebTemplate)]
#[template(path = "plant.html")]
pub struct PlantPage {
    pub ctx: Ctx,
    pub site: String,
    pub site_id: SiteId,
    pub notice: Option<String>,
    pub counts: String,
    pub empty: bool,
    pub diagram: String,
    pub processes: Vec<ProcessRow>,
    pub zones: Vec<ZoneRow>,
    pub conduits: Vec<ConduitRow>,
    pub asset_groups: Vec<AssetGroup>,
    pub flows: Vec<FlowRow>,
    pub zone_matrix: Matrix,
    pub asset_matrix: Option<Matrix>,
    pub matrix_note: Option<String>,
    pub form_process: FormView,
    pub form_zone: FormView,
    pub form_conduit: FormView,
    pub form_asset: FormView,
    pub form_flow: FormView,
}

/// What an add form that failed is shown with.
pub struct Failed<'a> {
    pub kind: Kind,
    pub typed: &'a forms::Fields,
    pub error: &'a FormError,
}

impl PlantPage {
    pub fn new(
        ctx: Ctx,
        content: &PlantContent,
        site: (SiteId, &str),
        plant: &Plant,
        failed: Option<Failed>,
        notice: Option<String>,
    ) -> PlantPage {
        let labels = &content.labels;
        let importances = Importances::of(plant);
        let blank = forms::Fields::default();
        let form = |kind: Kind| {
            let (typed, error) = match &failed {
                Some(f) if f.kind == kind => (f.typed, Some(f.error)),
                _ => (&blank, None),
            };
            FormInput {
                ctx: &ctx,
                labels,
                plant,
                site: site.0,
                id: None,
                typed,
                error,
            }
            .form(kind)
        };
        let (zone_matrix, asset_matrix, matrix_note) = matrices(&ctx, plant);
        let t = ctx.t;
        let counts = t.fill(
            t.plant_counts,
            &[
                ("processes", &plant.processes.len()),
                ("zones", &plant.zones.len()),
                ("conduits", &plant.conduits.len()),
                ("assets", &plant.assets.len()),
                ("flows", &plant.flows.len()),
            ],
        );
        PlantPage {
            form_process: form(Kind::Process),
            form_zone: form(Kind::Zone),
            form_conduit: form(Kind::Conduit),
            form_asset: form(Kind::Asset),
            form_flow: form(Kind::Flow),
            counts,
            empty: plant.zones.is_empty() && plant.processes.is_empty(),
            diagram: diagram(&ctx, labels, plant, &importances),
            processes: process_rows(&ctx, labels, plant),
            zones: zone_rows(&ctx, labels, plant, &importances),
            conduits: conduit_rows(&ctx, labels, plant),
            asset_groups: asset_groups(&ctx, labels, plant, &importances),
            flows: flow_rows(&ctx, labels, plant),
            zone_matrix,
            asset_matrix,
            matrix_note,
            site: site.1.to_string(),
            site_id: site.0,
            notice,
            ctx,
        }
    }
}

fn importance_label(ctx: &Ctx, labels: &Labels, i: kojo_core::plant::Importance) -> String {
    label(&labels.importance, i.as_str(), ctx)
}

fn process_rows(ctx: &Ctx, labels: &Labels, plant: &Plant) -> Vec<ProcessRow> {
    plant
        .processes
        .iter()
        .map(|p| ProcessRow {
            id: p.id.get(),
            name: p.name.clone(),
            importance: importance_label(ctx, labels, p.importance),
            damages: p
                .damages
                .iter()
                .map(|d| label(&labels.damages, d.as_str(), ctx))
                .collect::<Vec<_>>()
                .join(sep(ctx)),
            impact: p.impact.clone(),
        })
        .collect()
}

/// The list separator of the reader's language.
fn sep(ctx: &Ctx) -> &'static str {
    if ctx.locale == kojo_core::Locale::Ja {
        "、"
    } else {
        ", "
    }
}

fn zone_name(plant: &Plant, id: kojo_core::ids::ZoneId) -> String {
    plant.zone(id).map_or_else(String::new, |z| z.name.clone())
}

fn zone_rows(ctx: &Ctx, labels: &Labels, plant: &Plant, imp: &Importances) -> Vec<ZoneRow> {
    plant
        .zones
        .iter()
        .map(|z| ZoneRow {
            id: z.id.get(),
            name: z.name.clone(),
            purpose: label(&labels.zone_purposes, z.purpose.as_str(), ctx),
            exposure: label(&labels.exposures, z.exposure.as_str(), ctx),
            untrusted: z.untrusted(),
            sl_target: z.sl_target,
            importance: importance_label(ctx, labels, imp.zone(z.id)),
            manual: z.importance.is_some(),
            processes: z
                .processes
                .iter()
                .filter_map(|p| plant.process(*p))
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(sep(ctx)),
        })
        .collect()
}

fn conduit_rows(ctx: &Ctx, labels: &Labels, plant: &Plant) -> Vec<ConduitRow> {
    plant
        .conduits
        .iter()
        .map(|c| ConduitRow {
            id: c.id.get(),
            name: c.name.clone(),
            a: zone_name(plant, c.a),
            b: zone_name(plant, c.b),
            kind: label(&labels.conduit_kinds, c.kind.as_str(), ctx),
            direction: label(&labels.directions, c.direction.as_str(), ctx),
            protocols: c.protocols.join(", "),
            encrypted: c.encrypted,
            always_on: c.always_on,
            operator: c.operator.clone(),
        })
        .collect()
}

/// The tags of an asset's traits.
fn tags(t: &'static Msg, a: &Asset) -> Vec<&'static str> {
    [
        (a.remote_maintenance, t.plant_tag_remote),
        (a.black_box, t.plant_tag_black_box),
        (a.cloud_link, t.plant_tag_cloud),
        (a.temporary, t.plant_tag_temporary),
        (a.wireless, t.plant_tag_wireless),
        (a.safety, t.plant_tag_safety),
    ]
    .into_iter()
    .filter_map(|(on, tag)| on.then_some(tag))
    .collect()
}

fn asset_row(ctx: &Ctx, labels: &Labels, a: &Asset, imp: &Importances) -> AssetRow {
    let vendor_model = [a.vendor.as_str(), a.model.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    AssetRow {
        id: a.id.get(),
        name: a.name.clone(),
        kind: label(&labels.asset_kinds, a.kind.as_str(), ctx),
        vendor_model,
        version: a.version.clone(),
        owner: a.owner.clone(),
        status: label(&labels.asset_statuses, a.status.as_str(), ctx),
        importance: importance_label(ctx, labels, imp.asset(a.id)),
        tags: tags(ctx.t, a),
    }
}

fn asset_groups(ctx: &Ctx, labels: &Labels, plant: &Plant, imp: &Importances) -> Vec<AssetGroup> {
    let mut groups: Vec<AssetGroup> = plant
        .zones
        .iter()
        .map(|z| AssetGroup {
            anchor: format!("assets-zone-{}", z.id),
            title: z.name.clone(),
            rows: plant
                .assets
                .iter()
                .filter(|a| a.zone == Some(z.id))
                .map(|a| asset_row(ctx, labels, a, imp))
                .collect(),
        })
        .filter(|g| !g.rows.is_empty())
        .collect();
    let loose: Vec<AssetRow> = plant
        .assets
        .iter()
        .filter(|a| a.zone.is_none_or(|z| plant.zone(z).is_none()))
        .map(|a| asset_row(ctx, labels, a, imp))
        .collect();
    if !loose.is_empty() {
        groups.push(AssetGroup {
            anchor: "assets-no-zone".into(),
            title: ctx.t.plant_no_zone.to_string(),
            rows: loose,
        });
    }
    groups
}

fn asset_name(plant: &Plant, id: kojo_core::ids::AssetId) -> String {
    plant.asset(id).map_or_else(String::new, |a| a.name.clone())
}

fn flow_rows(ctx: &Ctx, labels: &Labels, plant: &Plant) -> Vec<FlowRow> {
    plant
        .flows
        .iter()
        .map(|f| FlowRow {
            id: f.id.get(),
            from: asset_name(plant, f.from),
            to: asset_name(plant, f.to),
            data: f.data.clone(),
            protocol: f.protocol.clone(),
            conduit: f
                .conduit
                .and_then(|c| plant.conduit(c))
                .map(|c| forms::conduit_name(plant, c, labels, ctx))
                .unwrap_or_default(),
        })
        .collect()
}

/// A matrix of `keys` (in order) with the data carried from row to column.
fn matrix<K: Ord + Copy>(
    ctx: &Ctx,
    names: &BTreeMap<K, String>,
    cells: &BTreeMap<(K, K), Vec<String>>,
) -> Matrix {
    let from: Vec<K> = names
        .keys()
        .copied()
        .filter(|k| cells.keys().any(|(f, _)| f == k))
        .collect();
    let to: Vec<K> = names
        .keys()
        .copied()
        .filter(|k| cells.keys().any(|(_, t)| t == k))
        .collect();
    Matrix {
        columns: to.iter().map(|k| names[k].clone()).collect(),
        rows: from
            .iter()
            .map(|f| {
                let row = to
                    .iter()
                    .map(|t| {
                        cells
                            .get(&(*f, *t))
                            .map_or(String::new(), |d| d.join(sep(ctx)))
                    })
                    .collect();
                (names[f].clone(), row)
            })
            .collect(),
    }
}

/// The zone-to-zone matrix, the asset-to-asset one when few enough assets take part, and a
/// note when there are too many.
fn matrices(ctx: &Ctx, plant: &Plant) -> (Matrix, Option<Matrix>, Option<String>) {
    let what = |data: &str| {
        if data.trim().is_empty() {
            "○".to_string()
        } else {
            data.to_string()
        }
    };
    let mut zone_cells: BTreeMap<(i64, i64), Vec<String>> = BTreeMap::new();
    let mut asset_cells: BTreeMap<(i64, i64), Vec<String>> = BTreeMap::new();
    for f in &plant.flows {
        let (Some(a), Some(b)) = (plant.asset(f.from), plant.asset(f.to)) else {
            continue;
        };
        asset_cells
            .entry((a.id.get(), b.id.get()))
            .or_default()
            .push(what(&f.data));
        if let (Some(za), Some(zb)) = (a.zone, b.zone) {
            let cell = zone_cells.entry((za.get(), zb.get())).or_default();
            if !cell.contains(&what(&f.data)) {
                cell.push(what(&f.data));
            }
        }
    }
    let zone_names: BTreeMap<i64, String> = plant
        .zones
        .iter()
        .map(|z| (z.id.get(), z.name.clone()))
        .collect();
    let asset_names: BTreeMap<i64, String> = plant
        .assets
        .iter()
        .map(|a| (a.id.get(), a.name.clone()))
        .collect();
    let zones = matrix(ctx, &zone_names, &zone_cells);
    let mut involved: Vec<i64> = asset_cells.keys().flat_map(|(a, b)| [*a, *b]).collect();
    involved.sort_unstable();
    involved.dedup();
    if involved.len() > MATRIX_ASSETS {
        let note = ctx.fill(ctx.t.plant_matrix_too_many, "n", involved.len());
        return (zones, None, Some(note));
    }
    let assets = (!asset_cells.is_empty()).then(|| matrix(ctx, &asset_names, &asset_cells));
    (zones, assets, None)
}

/// The row a zone is drawn in.
fn level(z: &Zone) -> ZoneLevel {
    if z.exposure != Exposure::Internal {
        return ZoneLevel::Outside;
    }
    match z.purpose {
        ZonePurpose::External => ZoneLevel::Outside,
        ZonePurpose::Information | ZonePurpose::Dmz => ZoneLevel::Office,
        ZonePurpose::Operations | ZonePurpose::Maintenance => ZoneLevel::Operations,
        ZonePurpose::Supervisory => ZoneLevel::Supervisory,
        ZonePurpose::Control => ZoneLevel::Control,
        ZonePurpose::Safety => ZoneLevel::Safety,
    }
}

fn link_style(c: &Conduit) -> LinkStyle {
    match c.kind {
        ConduitKind::Firewall | ConduitKind::DataDiode => LinkStyle::Filtered,
        ConduitKind::Vpn => LinkStyle::Encrypted,
        ConduitKind::Direct if c.encrypted => LinkStyle::Encrypted,
        ConduitKind::Direct => LinkStyle::Plain,
        ConduitKind::RemoteMaintenance => LinkStyle::Remote,
        ConduitKind::RemovableMedia | ConduitKind::Manual => LinkStyle::Media,
        ConduitKind::Wireless => LinkStyle::Wireless,
    }
}

fn diagram_text(t: &'static Msg) -> ZonesText {
    ZonesText {
        title: t.plant_diagram_title.into(),
        levels: [
            t.plant_level_outside.into(),
            t.plant_level_office.into(),
            t.plant_level_operations.into(),
            t.plant_level_supervisory.into(),
            t.plant_level_control.into(),
            t.plant_level_safety.into(),
        ],
        links: [
            t.plant_link_filtered.into(),
            t.plant_link_encrypted.into(),
            t.plant_link_plain.into(),
            t.plant_link_remote.into(),
            t.plant_link_media.into(),
            t.plant_link_wireless.into(),
        ],
        untrusted: t.plant_legend_untrusted.into(),
        remote_maintenance: t.plant_legend_remote.into(),
        black_box: t.plant_legend_black_box.into(),
        cloud_link: t.plant_legend_cloud.into(),
        more: t.plant_more.into(),
        empty: t.plant_diagram_empty.into(),
    }
}

/// The zone and conduit diagram of the model (A4 width).
pub fn diagram(ctx: &Ctx, labels: &Labels, plant: &Plant, imp: &Importances) -> String {
    let t = ctx.t;
    let zones: Vec<DiagramZone> = plant
        .zones
        .iter()
        .map(|z| DiagramZone {
            key: z.id.to_string(),
            name: z.name.clone(),
            detail: format!(
                "{} · SL-T {} · {} {}",
                label(&labels.zone_purposes, z.purpose.as_str(), ctx),
                z.sl_target,
                t.plant_col_importance,
                imp.zone(z.id).value()
            ),
            level: level(z),
            untrusted: z.untrusted(),
            assets: plant
                .active_assets()
                .filter(|a| a.zone == Some(z.id))
                .map(|a| DiagramAsset {
                    name: a.name.clone(),
                    remote_maintenance: a.remote_maintenance,
                    black_box: a.black_box,
                    cloud_link: a.cloud_link,
                })
                .collect(),
        })
        .collect();
    let conduits: Vec<DiagramConduit> = plant
        .conduits
        .iter()
        .map(|c| {
            let mut label_text = label(&labels.conduit_kinds, c.kind.as_str(), ctx);
            if c.kind == ConduitKind::RemoteMaintenance && c.always_on {
                label_text = format!("{label_text} · {}", t.plant_always_on);
            }
            DiagramConduit {
                key: c.id.to_string(),
                a: c.a.to_string(),
                b: c.b.to_string(),
                label: label_text,
                name: forms::conduit_name(plant, c, labels, ctx),
                style: link_style(c),
                flow: match c.direction {
                    Direction::Both => LinkFlow::Both,
                    Direction::AToB => LinkFlow::AToB,
                    Direction::BToA => LinkFlow::BToA,
                },
            }
        })
        .collect();
    kojo_charts::zones(
        &zones,
        &conduits,
        &ZonesOptions {
            text: diagram_text(t),
            width: 720,
        },
    )
}

/// A record's edit page, with its delete button.
#[derive(Template, WebTemplate)]
#[template(path = "plant_edit.html")]
pub struct PlantEditPage {
    pub ctx: Ctx,
    pub site: String,
    pub site_id: SiteId,
    pub title: String,
    pub form: FormView,
    pub delete_action: String,
}

impl PlantEditPage {
    pub fn new(ctx: Ctx, site: (SiteId, &str), form: FormView, kind: Kind, id: i64) -> Self {
        PlantEditPage {
            title: kind.edit_label(ctx.t).to_string(),
            delete_action: format!("/sites/{}/plant/{}/{id}/delete", site.0, kind.segment()),
            site: site.1.to_string(),
            site_id: site.0,
            form,
            ctx,
        }
    }
}

/// The step-1 worksheet.
#[derive(Template, WebTemplate)]
#[template(path = "plant_start.html")]
pub struct WorksheetPage {
    pub ctx: Ctx,
    pub site: String,
    pub site_id: SiteId,
    /// The site has a model already: the sheet adds to it.
    pub existing: bool,
    pub form: FormView,
}

impl WorksheetPage {
    pub fn new(
        ctx: Ctx,
        labels: &Labels,
        site: (SiteId, &str),
        existing: bool,
        typed: &forms::Fields,
        error: Option<&FormError>,
    ) -> WorksheetPage {
        let form = forms::worksheet(&ctx, labels, site.0, typed, error);
        WorksheetPage {
            site: site.1.to_string(),
            site_id: site.0,
            existing,
            form,
            ctx,
        }
    }
}

/// A checklist item a finding links to.
pub struct ItemLink {
    pub id: String,
    pub title: String,
    /// The item in the site's self-assessment, if there is one.
    pub url: Option<String>,
    pub done: bool,
}

pub struct FindingView {
    pub anchor: String,
    pub rule: &'static str,
    pub title: String,
    pub explanation: String,
    pub fix: String,
    pub subject: String,
    pub related: Vec<String>,
    pub items: Vec<ItemLink>,
    pub source: String,
}

pub struct SeverityGroup {
    pub code: &'static str,
    pub title: &'static str,
    pub help: &'static str,
    pub count: String,
    pub findings: Vec<FindingView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "plant_findings.html")]
pub struct FindingsPage {
    pub ctx: Ctx,
    pub site: String,
    pub site_id: SiteId,
    pub summary: String,
    pub groups: Vec<SeverityGroup>,
    pub has_assessment: bool,
}

/// What the findings page is built from.
pub struct FindingsInput<'a> {
    pub catalog: &'a Catalog,
    pub plant: &'a Plant,
    pub findings: &'a [Finding],
    pub implemented: &'a Implemented,
    pub assessment: Option<&'a Assessment>,
}

/// How a subject of a finding is named: "ゾーン: 制御".
pub fn subject_name(ctx: &Ctx, labels: &Labels, plant: &Plant, s: &Subject) -> String {
    let t = ctx.t;
    match s {
        Subject::Zone(z) => format!("{}: {}", t.plant_subject_zone, zone_name(plant, *z)),
        Subject::Asset(a) => format!("{}: {}", t.plant_subject_asset, asset_name(plant, *a)),
        Subject::Conduit(c) => {
            let name = plant
                .conduit(*c)
                .map(|c| {
                    let ends = format!("{} ↔ {}", zone_name(plant, c.a), zone_name(plant, c.b));
                    if c.name.trim().is_empty() {
                        forms::conduit_name(plant, c, labels, ctx)
                    } else {
                        format!("{} ({ends})", c.name)
                    }
                })
                .unwrap_or_default();
            format!("{}: {name}", t.plant_subject_conduit)
        }
    }
}

/// Where a finding rule comes from, in the reader's words (content keeps the citation in
/// English; the English page shows it as it is).
fn source_text(ctx: &Ctx, source: &str) -> String {
    if ctx.locale != kojo_core::Locale::Ja {
        return source.to_string();
    }
    let t = ctx.t;
    if source.starts_with("CSET") {
        t.plant_source_cset.to_string()
    } else if source.starts_with("IEC") {
        t.plant_source_iec.to_string()
    } else {
        t.plant_source_kojo.to_string()
    }
}

/// One finding as the page shows it (`n`: its place within its severity, for the anchor).
fn finding_view(ctx: &Ctx, input: &FindingsInput, f: &Finding, n: usize) -> Option<FindingView> {
    let content = &input.catalog.plant;
    let checklist = input.catalog.latest_checklist(FACTORY_CHECKLIST);
    let text = content.finding(f.rule)?;
    let l = ctx.locale;
    let name = |s: &Subject| subject_name(ctx, &content.labels, input.plant, s);
    let items = text
        .items
        .iter()
        .map(|id| ItemLink {
            title: checklist
                .and_then(|c| c.item(id))
                .map(|i| i.title.get(l).to_string())
                .unwrap_or_default(),
            url: input
                .assessment
                .map(|a| format!("/assessments/{}#item-{id}", a.id)),
            done: input.implemented.0.contains(id),
            id: id.clone(),
        })
        .collect();
    Some(FindingView {
        anchor: format!("finding-{}-{n}", f.rule.as_str()),
        rule: f.rule.as_str(),
        title: text.title.get(l).to_string(),
        explanation: text.explanation.get(l).to_string(),
        fix: text.fix.get(l).to_string(),
        subject: name(&f.subject),
        related: f.related.iter().map(name).collect(),
        items,
        source: source_text(ctx, &text.source),
    })
}

impl FindingsPage {
    pub fn new(ctx: Ctx, site: (SiteId, &str), input: &FindingsInput) -> FindingsPage {
        let t = ctx.t;
        let severity = |f: &Finding| input.catalog.plant.finding(f.rule).map(|x| x.severity);
        let levels = [
            (
                Severity::High,
                "high",
                t.plant_severity_high,
                t.plant_severity_high_help,
            ),
            (
                Severity::Medium,
                "medium",
                t.plant_severity_medium,
                t.plant_severity_medium_help,
            ),
            (
                Severity::Low,
                "low",
                t.plant_severity_low,
                t.plant_severity_low_help,
            ),
        ];
        let all: Vec<SeverityGroup> = levels
            .into_iter()
            .map(|(level, code, title, help)| {
                let findings: Vec<FindingView> = input
                    .findings
                    .iter()
                    .filter(|f| severity(f) == Some(level))
                    .enumerate()
                    .filter_map(|(n, f)| finding_view(&ctx, input, f, n))
                    .collect();
                SeverityGroup {
                    code,
                    title,
                    help,
                    count: ctx.fill(t.plant_count, "n", findings.len()),
                    findings,
                }
            })
            .collect();
        let counts: Vec<usize> = all.iter().map(|g| g.findings.len()).collect();
        let summary = t.fill(
            t.plant_findings_summary,
            &[
                ("high", &counts[0]),
                ("medium", &counts[1]),
                ("low", &counts[2]),
            ],
        );
        FindingsPage {
            site: site.1.to_string(),
            site_id: site.0,
            summary,
            groups: all.into_iter().filter(|g| !g.findings.is_empty()).collect(),
            has_assessment: input.assessment.is_some(),
            ctx,
        }
    }
}
