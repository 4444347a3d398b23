//! The JSON API's request and response bodies. Their JSON schemas in the OpenAPI document are
//! derived from these types (with the same length limits the use cases enforce), so the
//! document cannot drift from what the handlers accept and return.

use kojo_content::Catalog;
use kojo_content::FACTORY_CHECKLIST;
use kojo_core::Locale;
use kojo_core::date::Date;
use kojo_core::ids::{AssessmentId, AssetId, ConduitId, FlowId, ProcessId, SiteId, ZoneId};
use kojo_core::plant::catalog::Severity;
use kojo_core::plant::model::{
    Asset, AssetKind, AssetStatus, Conduit, ConduitKind, Damage, Direction, Exposure, Flow, Plant,
    Process, Zone, ZonePurpose,
};
use kojo_core::plant::{Importances, Rule};
use kojo_core::status::AssessmentStatus;
use kojo_service::assessment::{NOTE_MAX, OWNER_MAX};
use kojo_service::plant::{
    AssetDraft, ConduitDraft, FlowDraft, NAME_MAX, PlantFindings, ProcessDraft, TEXT_MAX, ZoneDraft,
};
use kojo_storage::{AnswerRow, Assessment, Site};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

// The risk report's shape is the service's: `kojo risk report --json` prints the same.
use kojo_service::risk_report::subject_json;
pub use kojo_service::risk_report::{RiskJson, SubjectJson};

/// A site with its assessments.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SiteJson {
    pub id: SiteId,
    pub name: String,
    /// JIS X 0401 prefecture code (`01`–`47`).
    pub prefecture_code: Option<String>,
    pub assessments: Vec<AssessmentJson>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct AssessmentJson {
    pub id: AssessmentId,
    /// The checklist version answered, e.g. `factory-guideline/v1`.
    pub checklist: String,
    pub status: AssessmentStatus,
    /// UTC milliseconds.
    pub created_at: i64,
    /// UTC milliseconds; null while a draft.
    pub completed_at: Option<i64>,
}

/// The signed-in company's sites.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SitesJson {
    pub sites: Vec<SiteJson>,
}

impl SitesJson {
    pub fn new(sites: Vec<Site>, assessments: &[Assessment]) -> SitesJson {
        let sites = sites
            .into_iter()
            .map(|s| SiteJson {
                assessments: assessments
                    .iter()
                    .filter(|a| a.site_id == s.id)
                    .map(|a| AssessmentJson {
                        id: a.id,
                        checklist: a.checklist.clone(),
                        status: a.status,
                        created_at: a.created_at,
                        completed_at: a.completed_at,
                    })
                    .collect(),
                id: s.id,
                name: s.name,
                prefecture_code: s.prefecture_code,
            })
            .collect();
        SitesJson { sites }
    }
}

/// Start an assessment, optionally from a copy of an earlier one of the same site.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct StartBody {
    #[serde(default)]
    pub copy_from: Option<AssessmentId>,
}

/// The assessment started (or the site's draft in progress, which is continued).
#[derive(Debug, Serialize, JsonSchema)]
pub struct StartedJson {
    pub id: AssessmentId,
    pub status: AssessmentStatus,
    pub checklist: String,
}

impl From<&Assessment> for StartedJson {
    fn from(a: &Assessment) -> StartedJson {
        StartedJson {
            id: a.id,
            status: a.status,
            checklist: a.checklist.clone(),
        }
    }
}

/// One answer as typed. Give the `version` you read (0 for an item not answered yet): if
/// someone saved first, the answer is not saved and the current one comes back with 409.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct AnswerBody {
    /// A level code of the checklist's scale (`5`, `4`, `3`, `2`, `1`, `na`); null or empty to
    /// clear the answer.
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    #[schemars(length(max = NOTE_MAX))]
    pub note: String,
    #[serde(default)]
    #[schemars(length(max = OWNER_MAX))]
    pub owner: String,
    /// `YYYY-MM-DD` (or `YYYY/M/D`).
    #[serde(default)]
    pub target_date: Option<String>,
    /// The version last read (0 if unanswered).
    pub version: i64,
}

/// One stored answer.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AnswerJson {
    pub item: String,
    pub level: Option<String>,
    pub note: String,
    pub owner: String,
    pub target_date: Option<String>,
    pub version: i64,
    /// UTC milliseconds.
    pub updated_at: i64,
}

impl From<&AnswerRow> for AnswerJson {
    fn from(r: &AnswerRow) -> AnswerJson {
        AnswerJson {
            item: r.item_id.clone(),
            level: r.level.clone(),
            note: r.note.clone(),
            owner: r.owner.clone(),
            target_date: r.target_date.clone(),
            version: r.version,
            updated_at: r.updated_at,
        }
    }
}

/// The assessment is complete.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CompletedJson {
    pub id: AssessmentId,
    pub status: AssessmentStatus,
}

impl CompletedJson {
    pub fn new(id: AssessmentId) -> CompletedJson {
        CompletedJson {
            id,
            status: AssessmentStatus::Complete,
        }
    }
}

/// An error: a stable code, a sentence in the reader's language, and what to fix.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ErrorJson {
    pub error: ErrorBody,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ErrorBody {
    /// One of the codes listed in the error description.
    pub code: String,
    pub message: String,
    /// What to fix, in the reader's language.
    pub detail: Option<String>,
    /// The field the problem is about, when it is about one.
    pub field: Option<String>,
}

// ---- The plant model and its risk analysis ----

/// A level given as a number or as its text (`3` or `"3"`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Code {
    Number(i64),
    Text(String),
}

impl Code {
    fn text(code: &Option<Code>) -> String {
        match code {
            Some(Code::Number(n)) => n.to_string(),
            Some(Code::Text(t)) => t.clone(),
            None => String::new(),
        }
    }
}

/// A business process (業務) as sent.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct ProcessBody {
    #[serde(default)]
    #[schemars(length(max = NAME_MAX))]
    pub name: String,
    /// 1, 2 or 3.
    #[serde(default)]
    pub importance: Option<Code>,
    /// Kinds of damage: `safety`, `production`, `quality`, `delivery`, `information`.
    #[serde(default)]
    pub damages: Vec<String>,
    /// The business damage in the site's own words.
    #[serde(default)]
    #[schemars(length(max = TEXT_MAX))]
    pub impact: String,
}

impl From<ProcessBody> for ProcessDraft {
    fn from(b: ProcessBody) -> ProcessDraft {
        ProcessDraft {
            name: b.name,
            importance: Code::text(&b.importance),
            damages: b.damages,
            impact: b.impact,
        }
    }
}

/// A zone as sent.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct ZoneBody {
    #[serde(default)]
    #[schemars(length(max = NAME_MAX))]
    pub name: String,
    /// `control`, `supervisory`, `operations`, `information`, `dmz`, `maintenance`, `safety`,
    /// `external`.
    #[serde(default)]
    pub purpose: String,
    /// `internal`, `vendor`, `cloud`, `internet`.
    #[serde(default)]
    pub exposure: String,
    /// 1–3 to set the importance by hand; null to derive it from processes and assets.
    #[serde(default)]
    pub importance: Option<Code>,
    /// Target security level SL-T, 1–4.
    #[serde(default)]
    pub sl_target: Option<Code>,
    #[serde(default)]
    pub processes: Vec<ProcessId>,
}

impl From<ZoneBody> for ZoneDraft {
    fn from(b: ZoneBody) -> ZoneDraft {
        ZoneDraft {
            name: b.name,
            purpose: b.purpose,
            exposure: b.exposure,
            importance: Code::text(&b.importance),
            sl_target: Code::text(&b.sl_target),
            processes: b.processes,
        }
    }
}

/// A conduit between two zones as sent.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct ConduitBody {
    #[serde(default)]
    #[schemars(length(max = NAME_MAX))]
    pub name: String,
    #[serde(default)]
    pub a: Option<ZoneId>,
    #[serde(default)]
    pub b: Option<ZoneId>,
    /// `firewall`, `data_diode`, `vpn`, `direct`, `remote_maintenance`, `removable_media`,
    /// `manual`, `wireless`.
    #[serde(default)]
    pub kind: String,
    /// `both` (the default), `a_to_b`, `b_to_a`.
    #[serde(default)]
    pub direction: Option<String>,
    #[serde(default)]
    pub protocols: Vec<String>,
    #[serde(default)]
    pub encrypted: bool,
    #[serde(default)]
    pub always_on: bool,
    #[serde(default)]
    #[schemars(length(max = NAME_MAX))]
    pub operator: String,
}

impl From<ConduitBody> for ConduitDraft {
    fn from(b: ConduitBody) -> ConduitDraft {
        ConduitDraft {
            name: b.name,
            a: b.a,
            b: b.b,
            kind: b.kind,
            direction: b.direction.unwrap_or_else(|| "both".into()),
            protocols: b.protocols.join(","),
            encrypted: b.encrypted,
            always_on: b.always_on,
            operator: b.operator,
        }
    }
}

/// An SBOM or VEX as sent to attach it to an asset: its name and its text.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct DocumentBody {
    pub file_name: String,
    /// The whole document as text: CycloneDX 1.4–1.6 JSON or XML, SPDX 2.3 JSON or
    /// tag-value, or a CSAF 2.0 VEX.
    pub document: String,
}

/// An asset as sent. Dates as `YYYY-MM-DD` (or `YYYY/M/D`).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(default)]
pub struct AssetBody {
    /// 資産管理番号.
    pub tag: String,
    #[schemars(length(max = NAME_MAX))]
    pub name: String,
    /// An asset kind code (`plc`, `hmi`, `ews`, `vendor_pc`, …).
    pub kind: String,
    pub zone: Option<ZoneId>,
    pub also_in: Vec<ZoneId>,
    pub vendor: String,
    pub product: String,
    /// 形名.
    pub model: String,
    pub order_number: String,
    pub version: String,
    pub serial: String,
    pub os: String,
    pub os_support_end: Option<String>,
    pub ip: String,
    pub mac: String,
    pub location: String,
    /// 管理責任者.
    pub owner: String,
    /// 保守期限.
    pub maintenance_end: Option<String>,
    /// `active` (the default), `spare`, `retired`.
    pub status: Option<String>,
    pub remote_maintenance: bool,
    pub black_box: bool,
    pub cloud_link: bool,
    pub temporary: bool,
    pub wireless: bool,
    pub safety: bool,
    pub processes: Vec<ProcessId>,
}

impl From<AssetBody> for Box<AssetDraft> {
    fn from(b: AssetBody) -> Box<AssetDraft> {
        Box::new(AssetDraft {
            tag: b.tag,
            name: b.name,
            kind: b.kind,
            zone: b.zone,
            also_in: b.also_in,
            vendor: b.vendor,
            product: b.product,
            model: b.model,
            order_number: b.order_number,
            version: b.version,
            serial: b.serial,
            os: b.os,
            os_support_end: b.os_support_end.unwrap_or_default(),
            ip: b.ip,
            mac: b.mac,
            location: b.location,
            owner: b.owner,
            maintenance_end: b.maintenance_end.unwrap_or_default(),
            status: b.status.unwrap_or_default(),
            remote_maintenance: b.remote_maintenance,
            black_box: b.black_box,
            cloud_link: b.cloud_link,
            temporary: b.temporary,
            wireless: b.wireless,
            safety: b.safety,
            processes: b.processes,
        })
    }
}

/// A data flow between two assets as sent.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(default)]
pub struct FlowBody {
    pub from: Option<AssetId>,
    pub to: Option<AssetId>,
    #[schemars(length(max = NAME_MAX))]
    pub data: String,
    #[schemars(length(max = NAME_MAX))]
    pub protocol: String,
    pub conduit: Option<ConduitId>,
}

impl From<FlowBody> for FlowDraft {
    fn from(b: FlowBody) -> FlowDraft {
        FlowDraft {
            from: b.from,
            to: b.to,
            data: b.data,
            protocol: b.protocol,
            conduit: b.conduit,
        }
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ProcessJson {
    pub id: ProcessId,
    pub name: String,
    /// 1–3.
    pub importance: u8,
    pub damages: Vec<Damage>,
    pub impact: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ZoneJson {
    pub id: ZoneId,
    pub name: String,
    pub purpose: ZonePurpose,
    pub exposure: Exposure,
    /// Outside the company (vendor, cloud, internet).
    pub untrusted: bool,
    pub sl_target: u8,
    /// The importance set by hand, if any.
    pub importance_set: Option<u8>,
    /// The importance in effect (set, or derived from processes and assets).
    pub importance: u8,
    pub processes: Vec<ProcessId>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ConduitJson {
    pub id: ConduitId,
    pub name: String,
    pub a: ZoneId,
    pub b: ZoneId,
    pub kind: ConduitKind,
    pub direction: Direction,
    pub protocols: Vec<String>,
    pub encrypted: bool,
    pub always_on: bool,
    pub operator: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct AssetJson {
    pub id: AssetId,
    pub tag: String,
    pub name: String,
    pub kind: AssetKind,
    pub zone: Option<ZoneId>,
    pub also_in: Vec<ZoneId>,
    pub vendor: String,
    pub product: String,
    pub model: String,
    pub order_number: String,
    pub version: String,
    pub serial: String,
    pub os: String,
    pub os_support_end: Option<Date>,
    pub ip: String,
    pub mac: String,
    pub location: String,
    pub owner: String,
    pub maintenance_end: Option<Date>,
    pub status: AssetStatus,
    pub remote_maintenance: bool,
    pub black_box: bool,
    pub cloud_link: bool,
    pub temporary: bool,
    pub wireless: bool,
    pub safety: bool,
    pub processes: Vec<ProcessId>,
    /// Derived: the most important process depending on it (3 for a safety function).
    pub importance: u8,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct FlowJson {
    pub id: FlowId,
    pub from: AssetId,
    pub to: AssetId,
    pub data: String,
    pub protocol: String,
    pub conduit: Option<ConduitId>,
}

impl ProcessJson {
    pub fn new(p: &Process) -> ProcessJson {
        ProcessJson {
            id: p.id,
            name: p.name.clone(),
            importance: p.importance.value(),
            damages: p.damages.clone(),
            impact: p.impact.clone(),
        }
    }
}

impl ZoneJson {
    pub fn new(z: &Zone, imp: &Importances) -> ZoneJson {
        ZoneJson {
            id: z.id,
            name: z.name.clone(),
            purpose: z.purpose,
            exposure: z.exposure,
            untrusted: z.untrusted(),
            sl_target: z.sl_target,
            importance_set: z.importance.map(|i| i.value()),
            importance: imp.zone(z.id).value(),
            processes: z.processes.clone(),
        }
    }
}

impl ConduitJson {
    pub fn new(c: &Conduit) -> ConduitJson {
        ConduitJson {
            id: c.id,
            name: c.name.clone(),
            a: c.a,
            b: c.b,
            kind: c.kind,
            direction: c.direction,
            protocols: c.protocols.clone(),
            encrypted: c.encrypted,
            always_on: c.always_on,
            operator: c.operator.clone(),
        }
    }
}

impl AssetJson {
    pub fn new(a: &Asset, imp: &Importances) -> AssetJson {
        AssetJson {
            id: a.id,
            tag: a.tag.clone(),
            name: a.name.clone(),
            kind: a.kind,
            zone: a.zone,
            also_in: a.also_in.clone(),
            vendor: a.vendor.clone(),
            product: a.product.clone(),
            model: a.model.clone(),
            order_number: a.order_number.clone(),
            version: a.version.clone(),
            serial: a.serial.clone(),
            os: a.os.clone(),
            os_support_end: a.os_support_end,
            ip: a.ip.clone(),
            mac: a.mac.clone(),
            location: a.location.clone(),
            owner: a.owner.clone(),
            maintenance_end: a.maintenance_end,
            status: a.status,
            remote_maintenance: a.remote_maintenance,
            black_box: a.black_box,
            cloud_link: a.cloud_link,
            temporary: a.temporary,
            wireless: a.wireless,
            safety: a.safety,
            processes: a.processes.clone(),
            importance: imp.asset(a.id).value(),
        }
    }
}

impl FlowJson {
    pub fn new(f: &Flow) -> FlowJson {
        FlowJson {
            id: f.id,
            from: f.from,
            to: f.to,
            data: f.data.clone(),
            protocol: f.protocol.clone(),
            conduit: f.conduit,
        }
    }
}

/// A site's plant model, with the importance kojo derives for zones and assets.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PlantJson {
    pub site: SiteId,
    pub processes: Vec<ProcessJson>,
    pub zones: Vec<ZoneJson>,
    pub conduits: Vec<ConduitJson>,
    pub assets: Vec<AssetJson>,
    pub flows: Vec<FlowJson>,
}

impl PlantJson {
    pub fn new(site: SiteId, plant: &Plant) -> PlantJson {
        let imp = Importances::of(plant);
        PlantJson {
            site,
            processes: plant.processes.iter().map(ProcessJson::new).collect(),
            zones: plant.zones.iter().map(|z| ZoneJson::new(z, &imp)).collect(),
            conduits: plant.conduits.iter().map(ConduitJson::new).collect(),
            assets: plant
                .assets
                .iter()
                .map(|a| AssetJson::new(a, &imp))
                .collect(),
            flows: plant.flows.iter().map(FlowJson::new).collect(),
        }
    }
}

/// A record deleted.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DeletedJson {
    /// `process`, `zone`, `conduit`, `asset` or `flow`.
    pub kind: String,
    pub id: i64,
}

/// A checklist item that fixes a finding.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FindingItemJson {
    pub id: String,
    pub title: String,
    /// Answered at or above the target level in the site's latest self-assessment.
    pub implemented: bool,
}

/// One finding, worded in the reader's language.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FindingJson {
    pub rule: Rule,
    /// `high`, `medium` or `low`.
    pub severity: String,
    pub title: String,
    pub explanation: String,
    pub fix: String,
    pub subject: SubjectJson,
    pub related: Vec<SubjectJson>,
    pub items: Vec<FindingItemJson>,
    /// Where the rule comes from (CSET rule, IEC 62443-3-2 ZCR, kojo).
    pub source: String,
}

/// The findings on a site's model, most serious first.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FindingsJson {
    pub findings: Vec<FindingJson>,
    /// The self-assessment the implemented items come from.
    pub assessment: Option<AssessmentId>,
}

fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::High => 0,
        Severity::Medium => 1,
        Severity::Low => 2,
    }
}

impl FindingsJson {
    /// The findings worded in `locale`, most serious first.
    pub fn new(locale: Locale, catalog: &Catalog, f: &PlantFindings) -> FindingsJson {
        let checklist = catalog.latest_checklist(FACTORY_CHECKLIST);
        let mut findings: Vec<(u8, FindingJson)> = f
            .findings
            .iter()
            .filter_map(|x| {
                let text = catalog.plant.finding(x.rule)?;
                let severity = match text.severity {
                    Severity::High => "high",
                    Severity::Medium => "medium",
                    Severity::Low => "low",
                };
                let json = FindingJson {
                    rule: x.rule,
                    severity: severity.into(),
                    title: text.title.get(locale).to_string(),
                    explanation: text.explanation.get(locale).to_string(),
                    fix: text.fix.get(locale).to_string(),
                    subject: subject_json(&f.plant, &x.subject),
                    related: x
                        .related
                        .iter()
                        .map(|s| subject_json(&f.plant, s))
                        .collect(),
                    items: text
                        .items
                        .iter()
                        .map(|id| FindingItemJson {
                            title: checklist
                                .and_then(|c| c.item(id))
                                .map(|i| i.title.get(locale).to_string())
                                .unwrap_or_default(),
                            implemented: f.implemented.0.contains(id),
                            id: id.clone(),
                        })
                        .collect(),
                    source: text.source.clone(),
                };
                Some((severity_rank(text.severity), json))
            })
            .collect();
        findings.sort_by_key(|(rank, _)| *rank);
        FindingsJson {
            findings: findings.into_iter().map(|(_, j)| j).collect(),
            assessment: f.assessment.as_ref().map(|a| a.id),
        }
    }
}
