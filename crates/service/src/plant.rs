//! A factory's plant model (the guideline's step 1) and its risk analysis (step 2): reading and
//! editing the model record by record (forms) or whole (register import, the step-1 worksheet,
//! a simulated plant), and analysing it — importance, findings, attack routes and their risk,
//! asset risk — with the measures the site's latest self-assessment says are in place.

use kojo_core::checklist::Checklist;
use kojo_core::date::Date;
use kojo_core::ids::{AssetId, ConduitId, FlowId, ProcessId, SiteId, ZoneId};
use kojo_core::plant::model::{
    Asset, AssetKind, AssetStatus, Conduit, ConduitKind, Damage, Direction, Exposure, Flow,
    Importance, Plant, Process, Zone, ZonePurpose,
};
use kojo_core::plant::worksheet::{self, Answer, Concern, Names, WayIn, Worksheet};
use kojo_core::plant::{Finding, Importances, Routes, Search, findings, routes};
use kojo_core::risk::{Analysis, AssetRisk, Implemented, RouteRisk, RuleSet};
use kojo_storage::{Assessment, Site};

use crate::assessment::optional_date;
use crate::{Error, Expected, Lang, Problem, Result, Service, Who};

/// Longest name accepted (characters).
pub const NAME_MAX: usize = 200;
/// Longest free text accepted (characters).
pub const TEXT_MAX: usize = 2000;
/// The route search's depth unless asked otherwise.
pub const DEFAULT_MAX_HOPS: usize = 6;
/// The deepest search the user may ask for.
pub const MAX_HOPS_LIMIT: usize = 10;

/// Everything the analysis of a site's model gives.
pub struct PlantAnalysis<'a> {
    pub site: Site,
    pub plant: Plant,
    pub importances: Importances,
    pub findings: Vec<Finding>,
    pub search: Search,
    pub routes: Routes,
    pub route_risks: Vec<RouteRisk>,
    pub asset_risks: Vec<AssetRisk>,
    pub rules: &'a RuleSet,
    /// Checklist items implemented at the site, from its latest self-assessment.
    pub implemented: Implemented,
    /// That self-assessment (none yet: nothing counts as implemented).
    pub assessment: Option<Assessment>,
}

/// How to analyse.
#[derive(Debug, Clone)]
pub struct AnalysisOptions {
    /// A rule set id; the content's default when None.
    pub rules: Option<String>,
    /// Targets: zones holding assets at least this important.
    pub min_importance: Importance,
    pub max_hops: usize,
    /// Findings about support periods are judged on this day.
    pub today: Date,
}

impl AnalysisOptions {
    pub fn new(today: Date) -> AnalysisOptions {
        AnalysisOptions {
            rules: None,
            min_importance: Importance::High,
            max_hops: DEFAULT_MAX_HOPS,
            today,
        }
    }
}

/// Today in Japan (support periods end on a Japanese calendar day).
pub fn today() -> Result<Date> {
    let now = kojo_core::format::JstDateTime::from_millis(kojo_storage::now_millis());
    Date::new(now.year, now.month, now.day)
        .ok_or_else(|| Error::Internal("the clock is outside the years kojo accepts".into()))
}

/// The analysis options as a page's or the API's query gives them: a rule set id, the least
/// importance of the targets (2 or 3; 3 when empty) and the deepest search (1–10; 6 when empty),
/// judged as of today.
pub fn analysis_options(
    rules: Option<&str>,
    min_importance: Option<&str>,
    max_hops: Option<&str>,
) -> Result<AnalysisOptions> {
    let mut options = AnalysisOptions::new(today()?);
    options.rules = rules
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    options.min_importance = match min_importance.map(str::trim).unwrap_or("") {
        "" | "3" => Importance::High,
        "2" => Importance::Medium,
        other => {
            return Err(Problem::Field {
                field: "min_importance",
                value: other.to_string(),
                expected: Expected::OneOf(vec!["2".into(), "3".into()]),
            }
            .into());
        }
    };
    let hops = max_hops.map(str::trim).unwrap_or("");
    options.max_hops = match hops.parse::<usize>() {
        _ if hops.is_empty() => DEFAULT_MAX_HOPS,
        Ok(h @ 1..=MAX_HOPS_LIMIT) => h,
        _ => {
            return Err(Problem::Field {
                field: "max_hops",
                value: hops.to_string(),
                expected: Expected::OneOf((1..=MAX_HOPS_LIMIT).map(|h| h.to_string()).collect()),
            }
            .into());
        }
    };
    Ok(options)
}

/// A required name within the length limit.
pub fn name(field: &'static str, value: &str) -> Result<String, Problem> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Problem::Field {
            field,
            value: String::new(),
            expected: Expected::Text,
        });
    }
    text(field, v, NAME_MAX)
}

/// A free text within `max` characters.
pub fn text(field: &'static str, value: &str, max: usize) -> Result<String, Problem> {
    crate::assessment::check_length(field, value, max)?;
    Ok(value.trim().to_string())
}

/// A code of one of the plant model's enums.
pub fn code<T>(
    field: &'static str,
    value: &str,
    parse: fn(&str) -> Option<T>,
    all: &[&str],
) -> Result<T, Problem> {
    parse(value.trim()).ok_or_else(|| Problem::Field {
        field,
        value: value.to_string(),
        expected: Expected::OneOf(all.iter().map(|s| s.to_string()).collect()),
    })
}

fn codes_of<T: Copy>(all: &[T], as_str: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|c| as_str(*c)).collect()
}

/// An optional date field as a date.
fn date(field: &'static str, value: &str) -> Result<Option<Date>, Problem> {
    Ok(optional_date(field, value)?
        .as_deref()
        .and_then(Date::parse))
}

/// A zone as typed in its form.
#[derive(Debug, Clone, Default)]
pub struct ZoneDraft {
    pub name: String,
    pub purpose: String,
    pub exposure: String,
    /// Empty: derived from the zone's processes and assets.
    pub importance: String,
    pub sl_target: String,
    pub processes: Vec<ProcessId>,
}

impl ZoneDraft {
    pub fn validate(&self, id: ZoneId) -> Result<Zone, Problem> {
        let sl_target = match self.sl_target.trim().parse::<u8>() {
            Ok(v @ 1..=4) => v,
            _ => {
                return Err(Problem::Field {
                    field: "sl_target",
                    value: self.sl_target.clone(),
                    expected: Expected::OneOf(["1", "2", "3", "4"].map(String::from).to_vec()),
                });
            }
        };
        let importance = match self.importance.trim() {
            "" => None,
            v => Some(code(
                "importance",
                v,
                Importance::parse,
                &codes_of(Importance::ALL, Importance::as_str),
            )?),
        };
        Ok(Zone {
            id,
            name: name("name", &self.name)?,
            purpose: code(
                "purpose",
                &self.purpose,
                ZonePurpose::parse,
                &codes_of(ZonePurpose::ALL, ZonePurpose::as_str),
            )?,
            exposure: code(
                "exposure",
                &self.exposure,
                Exposure::parse,
                &codes_of(Exposure::ALL, Exposure::as_str),
            )?,
            importance,
            sl_target,
            processes: self.processes.clone(),
        })
    }
}

/// A business process as typed in its form.
#[derive(Debug, Clone, Default)]
pub struct ProcessDraft {
    pub name: String,
    pub importance: String,
    pub damages: Vec<String>,
    pub impact: String,
}

impl ProcessDraft {
    pub fn validate(&self, id: ProcessId) -> Result<Process, Problem> {
        let damages = self
            .damages
            .iter()
            .map(|d| {
                code(
                    "damages",
                    d,
                    Damage::parse,
                    &codes_of(Damage::ALL, Damage::as_str),
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Process {
            id,
            name: name("name", &self.name)?,
            importance: code(
                "importance",
                &self.importance,
                Importance::parse,
                &codes_of(Importance::ALL, Importance::as_str),
            )?,
            damages,
            impact: text("impact", &self.impact, TEXT_MAX)?,
        })
    }
}

/// A conduit as typed in its form.
#[derive(Debug, Clone, Default)]
pub struct ConduitDraft {
    pub name: String,
    pub a: Option<ZoneId>,
    pub b: Option<ZoneId>,
    pub kind: String,
    pub direction: String,
    /// Protocols, one per line or separated by commas.
    pub protocols: String,
    pub encrypted: bool,
    pub always_on: bool,
    pub operator: String,
}

impl ConduitDraft {
    pub fn validate(&self, id: ConduitId) -> Result<Conduit, Problem> {
        let zone = |field: &'static str, z: Option<ZoneId>| {
            z.ok_or(Problem::Field {
                field,
                value: String::new(),
                expected: Expected::Id,
            })
        };
        let (a, b) = (zone("a", self.a)?, zone("b", self.b)?);
        if a == b {
            return Err(Problem::Field {
                field: "b",
                value: String::new(),
                expected: Expected::Id,
            });
        }
        Ok(Conduit {
            id,
            name: text("name", &self.name, NAME_MAX)?,
            a,
            b,
            kind: code(
                "kind",
                &self.kind,
                ConduitKind::parse,
                &codes_of(ConduitKind::ALL, ConduitKind::as_str),
            )?,
            direction: code(
                "direction",
                &self.direction,
                Direction::parse,
                &codes_of(Direction::ALL, Direction::as_str),
            )?,
            protocols: text("protocols", &self.protocols, TEXT_MAX)?
                .split(['\n', ',', '、'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect(),
            encrypted: self.encrypted,
            always_on: self.always_on,
            operator: text("operator", &self.operator, NAME_MAX)?,
        })
    }
}

/// An asset as typed in its form (every text field as typed; dates as text).
#[derive(Debug, Clone, Default)]
pub struct AssetDraft {
    pub tag: String,
    pub name: String,
    pub kind: String,
    pub zone: Option<ZoneId>,
    pub also_in: Vec<ZoneId>,
    pub vendor: String,
    pub product: String,
    pub model: String,
    pub order_number: String,
    pub version: String,
    pub serial: String,
    pub os: String,
    pub os_support_end: String,
    pub ip: String,
    pub mac: String,
    pub location: String,
    pub owner: String,
    pub maintenance_end: String,
    pub status: String,
    pub remote_maintenance: bool,
    pub black_box: bool,
    pub cloud_link: bool,
    pub temporary: bool,
    pub wireless: bool,
    pub safety: bool,
    pub processes: Vec<ProcessId>,
}

/// Full-width letters and digits as people type them on Japanese keyboards (`Ｖ２．３`) become
/// the half-width ones advisories use (`V2.3`): NFKC, as in the register import.
pub fn nfkc(value: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    value.nfkc().collect()
}

impl AssetDraft {
    pub fn validate(&self, id: AssetId) -> Result<Asset, Problem> {
        let short = |field, v: &str| text(field, v, NAME_MAX);
        // Identifying fields are compared with advisories and registers: normalised.
        let ident = |field, v: &str| text(field, &nfkc(v), NAME_MAX);
        let status = match self.status.trim() {
            "" => AssetStatus::Active,
            s => code(
                "status",
                s,
                AssetStatus::parse,
                &codes_of(AssetStatus::ALL, AssetStatus::as_str),
            )?,
        };
        Ok(Asset {
            id,
            tag: short("tag", &self.tag)?,
            name: name("name", &self.name)?,
            kind: code(
                "kind",
                &self.kind,
                AssetKind::parse,
                &codes_of(AssetKind::ALL, AssetKind::as_str),
            )?,
            zone: self.zone,
            also_in: self
                .also_in
                .iter()
                .copied()
                .filter(|z| Some(*z) != self.zone)
                .collect(),
            vendor: ident("vendor", &self.vendor)?,
            product: ident("product", &self.product)?,
            model: ident("model", &self.model)?,
            order_number: ident("order_number", &self.order_number)?,
            version: ident("version", &self.version)?,
            serial: ident("serial", &self.serial)?,
            os: ident("os", &self.os)?,
            os_support_end: date("os_support_end", &self.os_support_end)?,
            ip: ident("ip", &self.ip)?,
            mac: ident("mac", &self.mac)?,
            location: short("location", &self.location)?,
            owner: short("owner", &self.owner)?,
            maintenance_end: date("maintenance_end", &self.maintenance_end)?,
            status,
            remote_maintenance: self.remote_maintenance,
            black_box: self.black_box,
            cloud_link: self.cloud_link,
            temporary: self.temporary,
            wireless: self.wireless,
            safety: self.safety,
            processes: self.processes.clone(),
        })
    }
}

/// A data flow as typed in its form.
#[derive(Debug, Clone, Default)]
pub struct FlowDraft {
    pub from: Option<AssetId>,
    pub to: Option<AssetId>,
    pub data: String,
    pub protocol: String,
    pub conduit: Option<ConduitId>,
}

impl FlowDraft {
    pub fn validate(&self, id: FlowId) -> Result<Flow, Problem> {
        let asset = |field: &'static str, a: Option<AssetId>| {
            a.ok_or(Problem::Field {
                field,
                value: String::new(),
                expected: Expected::Id,
            })
        };
        Ok(Flow {
            id,
            from: asset("from", self.from)?,
            to: asset("to", self.to)?,
            data: text("data", &self.data, NAME_MAX)?,
            protocol: text("protocol", &self.protocol, NAME_MAX)?,
            conduit: self.conduit,
        })
    }
}

/// Placeholder ids for records not stored yet (storage gives the real ones).
const NEW: i64 = 0;

impl Service {
    /// A site's model (the caller's company's sites only).
    pub async fn plant_of(&self, who: &Who, site: SiteId) -> Result<(Site, Plant)> {
        let site = self.site_for(who, site).await?;
        let plant = self.store().plant(site.id).await?;
        Ok((site, plant))
    }

    /// A value that changes with every change to the site's model.
    pub async fn plant_revision(&self, who: &Who, site: SiteId) -> Result<i64> {
        self.check_site(who, site).await?;
        Ok(self.store().plant_revision(site).await?)
    }

    /// Replaces a site's whole model (import, worksheet, simulation): all or nothing.
    pub async fn replace_plant(
        &self,
        who: &Who,
        site: SiteId,
        plant: &Plant,
        action: &str,
    ) -> Result<Plant> {
        let site = self.site_for(who, site).await?;
        Ok(self
            .store()
            .replace_plant(&who.actor(), site.id, plant, action)
            .await?)
    }

    pub async fn save_zone(
        &self,
        who: &Who,
        site: SiteId,
        id: Option<ZoneId>,
        draft: &ZoneDraft,
    ) -> Result<ZoneId> {
        let site = self.site_for(who, site).await?;
        let zone = draft.validate(id.unwrap_or(ZoneId::new(NEW)))?;
        Ok(self
            .store()
            .save_zone(&who.actor(), site.id, id, &zone)
            .await?)
    }

    pub async fn save_process(
        &self,
        who: &Who,
        site: SiteId,
        id: Option<ProcessId>,
        draft: &ProcessDraft,
    ) -> Result<ProcessId> {
        let site = self.site_for(who, site).await?;
        let process = draft.validate(id.unwrap_or(ProcessId::new(NEW)))?;
        Ok(self
            .store()
            .save_process(&who.actor(), site.id, id, &process)
            .await?)
    }

    pub async fn save_conduit(
        &self,
        who: &Who,
        site: SiteId,
        id: Option<ConduitId>,
        draft: &ConduitDraft,
    ) -> Result<ConduitId> {
        let site = self.site_for(who, site).await?;
        let conduit = draft.validate(id.unwrap_or(ConduitId::new(NEW)))?;
        Ok(self
            .store()
            .save_conduit(&who.actor(), site.id, id, &conduit)
            .await?)
    }

    pub async fn save_asset(
        &self,
        who: &Who,
        site: SiteId,
        id: Option<AssetId>,
        draft: &AssetDraft,
    ) -> Result<AssetId> {
        let site = self.site_for(who, site).await?;
        let asset = draft.validate(id.unwrap_or(AssetId::new(NEW)))?;
        Ok(self
            .store()
            .save_asset(&who.actor(), site.id, id, &asset)
            .await?)
    }

    pub async fn save_flow(
        &self,
        who: &Who,
        site: SiteId,
        id: Option<FlowId>,
        draft: &FlowDraft,
    ) -> Result<FlowId> {
        let site = self.site_for(who, site).await?;
        let flow = draft.validate(id.unwrap_or(FlowId::new(NEW)))?;
        Ok(self
            .store()
            .save_flow(&who.actor(), site.id, id, &flow)
            .await?)
    }

    /// Deletes one record of a site's model.
    pub async fn delete_plant_record(
        &self,
        who: &Who,
        site: SiteId,
        record: PlantRecord,
    ) -> Result<()> {
        let site = self.site_for(who, site).await?.id;
        let (store, actor) = (self.store(), who.actor());
        match record {
            PlantRecord::Process(id) => store.delete_process(&actor, site, id).await?,
            PlantRecord::Zone(id) => store.delete_zone(&actor, site, id).await?,
            PlantRecord::Conduit(id) => store.delete_conduit(&actor, site, id).await?,
            PlantRecord::Asset(id) => store.delete_asset(&actor, site, id).await?,
            PlantRecord::Flow(id) => store.delete_flow(&actor, site, id).await?,
        }
        Ok(())
    }

    /// The checklist items implemented at a site: those its latest self-assessment (completed
    /// ones first) answers at or above the checklist's target level.
    pub async fn implemented_items(&self, site: SiteId) -> Result<Implemented> {
        Ok(self.measures_in_place(site).await?.1)
    }

    /// The self-assessment the measures in place are read from (the latest completed one, else
    /// the latest draft) and the items it answers at or above the checklist's target level.
    pub async fn measures_in_place(
        &self,
        site: SiteId,
    ) -> Result<(Option<Assessment>, Implemented)> {
        let mut assessments = self.store().assessments_of_site(site).await?;
        let chosen = assessments
            .iter()
            .position(|a| a.is_complete())
            .or((!assessments.is_empty()).then_some(0));
        let Some(a) = chosen.map(|i| assessments.swap_remove(i)) else {
            return Ok((None, Implemented::default()));
        };
        let (checklist, scale) = self.checklist_of(&a.checklist)?;
        let answers = self.store().answers(a.id).await?;
        let implemented = Implemented(
            answers
                .iter()
                .filter(|r| {
                    r.level
                        .as_deref()
                        .and_then(|c| scale.level(c))
                        .and_then(|l| l.value)
                        .is_some_and(|v| v >= target(checklist))
                })
                .map(|r| r.item_id.clone())
                .collect(),
        );
        Ok((Some(a), implemented))
    }

    /// The rule set to use.
    pub fn risk_rules(&self, id: Option<&str>) -> Result<&RuleSet> {
        match id {
            Some(id) => self.catalog().risk_rule_set(id).ok_or_else(|| {
                Problem::Field {
                    field: "rules",
                    value: id.to_string(),
                    expected: Expected::OneOf(
                        self.catalog()
                            .risk_rules
                            .iter()
                            .map(|r| r.id.clone())
                            .collect(),
                    ),
                }
                .into()
            }),
            None => self
                .catalog()
                .default_risk_rules()
                .ok_or_else(|| Error::Internal("no default risk rule set".into())),
        }
    }

    /// Analyses a site's model: importance, findings, routes to the targets and their risk,
    /// asset risk.
    pub async fn analyse_plant(
        &self,
        who: &Who,
        site: SiteId,
        options: &AnalysisOptions,
    ) -> Result<PlantAnalysis<'_>> {
        if options.max_hops > MAX_HOPS_LIMIT {
            return Err(Problem::Field {
                field: "max_hops",
                value: options.max_hops.to_string(),
                expected: Expected::OneOf((1..=MAX_HOPS_LIMIT).map(|h| h.to_string()).collect()),
            }
            .into());
        }
        let rules = self.risk_rules(options.rules.as_deref())?;
        let (site, plant) = self.plant_of(who, site).await?;
        let (assessment, implemented) = self.measures_in_place(site.id).await?;
        let importances = Importances::of(&plant);
        let search = Search::to_important(
            &plant,
            &importances,
            options.min_importance,
            options.max_hops,
        );
        let found = routes::enumerate(&plant, &search);
        let analysis = Analysis {
            rules,
            threats: &self.catalog().plant.threats,
            plant: &plant,
            importances: &importances,
            implemented: &implemented,
        };
        let route_risks = analysis.routes(&found);
        let asset_risks = analysis.assets(&route_risks);
        Ok(PlantAnalysis {
            findings: findings::check(&plant, options.today),
            site,
            importances,
            search,
            routes: found,
            route_risks,
            asset_risks,
            rules,
            implemented,
            assessment,
            plant,
        })
    }
}

/// The target level of a checklist (items at or above it count as implemented).
fn target(checklist: &Checklist) -> u8 {
    checklist.target_level
}

/// One record of a plant model, for deletion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlantRecord {
    Process(ProcessId),
    Zone(ZoneId),
    Conduit(ConduitId),
    Asset(AssetId),
    Flow(FlowId),
}

/// How many feared damages the step-1 worksheet asks for.
pub const WORKSHEET_ROWS: usize = 3;

/// The step-1 worksheet as typed: up to three rows of (damage, business process, importance,
/// impact), the ways in, and two yes/no/don't-know answers.
#[derive(Debug, Clone, Default)]
pub struct WorksheetDraft {
    pub concerns: Vec<ConcernDraft>,
    pub ways_in: Vec<String>,
    pub boundary_firewall: String,
    pub remote_on_request: String,
}

#[derive(Debug, Clone, Default)]
pub struct ConcernDraft {
    pub damage: String,
    pub process: String,
    /// Empty: 3 for the first row, 2 for the others.
    pub importance: String,
    pub impact: String,
}

/// The form fields of worksheet row `i` (0-based): process, damage, importance, impact.
pub const WORKSHEET_FIELDS: [[&str; 4]; WORKSHEET_ROWS] = [
    ["process_1", "damage_1", "importance_1", "impact_1"],
    ["process_2", "damage_2", "importance_2", "impact_2"],
    ["process_3", "damage_3", "importance_3", "impact_3"],
];

impl WorksheetDraft {
    /// The answers, or the first field to fix. Rows without a process name are skipped; at
    /// least the first row is needed.
    pub fn validate(&self) -> Result<Worksheet, Problem> {
        let mut concerns = Vec::new();
        for (i, row) in self.concerns.iter().take(WORKSHEET_ROWS).enumerate() {
            let [process, damage, importance, impact] = WORKSHEET_FIELDS[i];
            if row.process.trim().is_empty() && i > 0 {
                continue;
            }
            let default = if i == 0 { "3" } else { "2" };
            let level = match row.importance.trim() {
                "" => default,
                v => v,
            };
            concerns.push(Concern {
                process: name(process, &row.process)?,
                damage: code(
                    damage,
                    &row.damage,
                    Damage::parse,
                    &codes_of(Damage::ALL, Damage::as_str),
                )?,
                importance: code(
                    importance,
                    level,
                    Importance::parse,
                    &codes_of(Importance::ALL, Importance::as_str),
                )?,
                impact: text(impact, &row.impact, TEXT_MAX)?,
            });
        }
        if concerns.is_empty() {
            return Err(Problem::Field {
                field: WORKSHEET_FIELDS[0][0],
                value: String::new(),
                expected: Expected::Text,
            });
        }
        let ways_in = self
            .ways_in
            .iter()
            .map(|w| {
                code(
                    "ways_in",
                    w,
                    WayIn::parse,
                    &codes_of(WayIn::ALL, WayIn::as_str),
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let answer = |field: &'static str, v: &str| match v.trim() {
            "" => Ok(Answer::Unknown),
            v => code(
                field,
                v,
                Answer::parse,
                &codes_of(Answer::ALL, Answer::as_str),
            ),
        };
        Ok(Worksheet {
            concerns,
            ways_in,
            boundary_firewall: answer("boundary_firewall", &self.boundary_firewall)?,
            remote_on_request: answer("remote_on_request", &self.remote_on_request)?,
        })
    }
}

/// The names the worksheet gives what it creates, in the reader's language.
pub fn worksheet_names(lang: &Lang) -> Names {
    let t = lang.t;
    Names {
        control_zone: t.plant_ws_control_zone.into(),
        office_zone: t.plant_ws_office_zone.into(),
        internet_zone: t.plant_ws_internet_zone.into(),
        cloud_zone: t.plant_ws_cloud_zone.into(),
        vendor_zone: t.plant_ws_vendor_zone.into(),
        equipment: t.plant_ws_equipment.into(),
        office_pc: t.plant_ws_office_pc.into(),
        iot_gateway: t.plant_ws_iot_gateway.into(),
        remote_router: t.plant_ws_remote_router.into(),
        vendor_pc: t.plant_ws_vendor_pc.into(),
        usb: t.plant_ws_usb.into(),
        wifi_ap: t.plant_ws_wifi_ap.into(),
        office_link: t.plant_ws_office_link.into(),
        internet_link: t.plant_ws_internet_link.into(),
        cloud_link: t.plant_ws_cloud_link.into(),
        maintenance_line: t.plant_ws_maintenance_line.into(),
    }
}

impl Service {
    /// The step-1 worksheet: a site with no model gets the first zone map the answers describe;
    /// a site with one gets it added (same-named zones and processes reused). All or nothing.
    pub async fn apply_worksheet(
        &self,
        who: &Who,
        site: SiteId,
        draft: &WorksheetDraft,
        lang: &Lang,
    ) -> Result<Plant> {
        let answers = draft.validate()?;
        let (site, existing) = self.plant_of(who, site).await?;
        let made = worksheet::generate(&answers, &worksheet_names(lang));
        let plant = if existing == Plant::default() {
            made
        } else {
            worksheet::merge(&existing, &made)
        };
        Ok(self
            .store()
            .replace_plant(&who.actor(), site.id, &plant, "worksheet")
            .await?)
    }
}

/// A site's model with its findings and the measures in place (no route search).
pub struct PlantFindings {
    pub site: Site,
    pub plant: Plant,
    pub findings: Vec<Finding>,
    pub implemented: Implemented,
    pub assessment: Option<Assessment>,
}

impl Service {
    /// The findings on a site's model as of today, with the self-assessment whose answers say
    /// which checklist items are in place.
    pub async fn plant_findings(&self, who: &Who, site: SiteId) -> Result<PlantFindings> {
        let (site, plant) = self.plant_of(who, site).await?;
        let (assessment, implemented) = self.measures_in_place(site.id).await?;
        Ok(PlantFindings {
            findings: findings::check(&plant, today()?),
            site,
            plant,
            implemented,
            assessment,
        })
    }
}
