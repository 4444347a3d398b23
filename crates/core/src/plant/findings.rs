//! Checks on a plant model: what an OT security reviewer would point at first. Each finding
//! names a rule and what it is about; the rule's explanation, its severity and the checklist
//! items whose measures fix it are content (`content/plant/findings.toml`), so wording and links
//! are edited without code. The rules follow CSET's zone lints and IEC 62443-3-2 ZCR 3.2–3.6
//! (docs/plant.md lists the correspondence).

use serde::{Deserialize, Serialize};

use super::model::{AssetKind, ConduitKind, Plant, ZonePurpose};
use crate::codes;
use crate::date::Date;
use crate::ids::{AssetId, ConduitId, ZoneId};

codes!(
    /// The checks kojo runs on a plant model.
    Rule {
        /// A network link between zones with no filtering device (firewall, data diode).
        UnfilteredLink = "unfiltered_link",
        /// A link to a vendor, the cloud or the internet that is neither filtered nor encrypted.
        UntrustedUnprotected = "untrusted_unprotected",
        /// One asset connected to zones of different target security levels.
        BridgeAcrossLevels = "bridge_across_levels",
        /// A data diode letting data flow from a lower into a higher security level.
        DiodeWrongWay = "diode_wrong_way",
        /// A remote-maintenance line connected all the time.
        RemoteAlwaysOn = "remote_always_on",
        /// A maintenance or vendor PC, or removable media, used in several zones.
        PortableCrossesZones = "portable_crosses_zones",
        /// An asset with nobody responsible for it.
        NoOwner = "no_owner",
        /// The operating system's support or the maintenance contract has ended.
        SupportEnded = "support_ended",
        /// The firmware or software version is not recorded.
        UnknownVersion = "unknown_version",
        /// Office equipment and control equipment in one zone (ZCR 3.2).
        BusinessWithControl = "business_with_control",
        /// Safety equipment sharing a zone with other control equipment (ZCR 3.3).
        SafetyNotSeparated = "safety_not_separated",
        /// Temporarily connected devices in a zone with the permanent equipment (ZCR 3.4).
        TemporaryNotSeparated = "temporary_not_separated",
        /// Wireless devices in a control zone (ZCR 3.5).
        WirelessInControl = "wireless_in_control",
        /// Equipment reached over external networks inside a control zone (ZCR 3.6).
        ExternalInControl = "external_in_control",
    }
);

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Subject {
    Zone(ZoneId),
    Conduit(ConduitId),
    Asset(AssetId),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: Rule,
    pub subject: Subject,
    /// The other assets or zones involved (e.g. the zones a bridging asset connects).
    pub related: Vec<Subject>,
}

fn finding(rule: Rule, subject: Subject, related: Vec<Subject>) -> Finding {
    Finding {
        rule,
        subject,
        related,
    }
}

/// Every finding on a plant, in a stable order (by rule, then subject). `today` decides which
/// support periods have ended.
pub fn check(plant: &Plant, today: Date) -> Vec<Finding> {
    let mut out = Vec::new();
    conduits(plant, &mut out);
    bridges(plant, &mut out);
    assets(plant, today, &mut out);
    separation(plant, &mut out);
    out.sort_by(|a, b| (a.rule.as_str(), a.subject).cmp(&(b.rule.as_str(), b.subject)));
    out.dedup();
    out
}

fn conduits(plant: &Plant, out: &mut Vec<Finding>) {
    for c in &plant.conduits {
        let (Some(a), Some(b)) = (plant.zone(c.a), plant.zone(c.b)) else {
            continue;
        };
        let subject = Subject::Conduit(c.id);
        let ends = vec![Subject::Zone(a.id), Subject::Zone(b.id)];
        if c.kind.is_network() && !c.kind.filters() && c.kind != ConduitKind::Vpn {
            out.push(finding(Rule::UnfilteredLink, subject, ends.clone()));
        }
        if (a.untrusted() || b.untrusted())
            && c.kind.is_network()
            && !c.kind.filters()
            && !c.encrypted
        {
            out.push(finding(Rule::UntrustedUnprotected, subject, ends.clone()));
        }
        if c.kind == ConduitKind::DataDiode {
            let (from, to) = match c.direction {
                super::model::Direction::BToA => (b, a),
                _ => (a, b),
            };
            if from.sl_target < to.sl_target {
                out.push(finding(Rule::DiodeWrongWay, subject, ends.clone()));
            }
        }
        if c.kind == ConduitKind::RemoteMaintenance && c.always_on {
            out.push(finding(Rule::RemoteAlwaysOn, subject, ends.clone()));
        }
        if c.kind == ConduitKind::RemovableMedia && a.sl_target != b.sl_target {
            out.push(finding(Rule::PortableCrossesZones, subject, ends));
        }
    }
}

fn bridges(plant: &Plant, out: &mut Vec<Finding>) {
    for a in plant.active_assets() {
        let zones: Vec<ZoneId> = a.zones().collect();
        if zones.len() < 2 {
            continue;
        }
        let related: Vec<Subject> = zones.iter().map(|z| Subject::Zone(*z)).collect();
        if a.kind.is_portable() {
            out.push(finding(
                Rule::PortableCrossesZones,
                Subject::Asset(a.id),
                related,
            ));
            continue;
        }
        let levels: Vec<u8> = zones
            .iter()
            .filter_map(|z| plant.zone(*z))
            .map(|z| z.sl_target)
            .collect();
        let differ = levels.iter().any(|l| Some(l) != levels.first());
        if differ && a.kind != AssetKind::Firewall {
            out.push(finding(
                Rule::BridgeAcrossLevels,
                Subject::Asset(a.id),
                related,
            ));
        }
    }
}

fn assets(plant: &Plant, today: Date, out: &mut Vec<Finding>) {
    for a in plant.active_assets() {
        let subject = Subject::Asset(a.id);
        if a.owner.trim().is_empty() {
            out.push(finding(Rule::NoOwner, subject, vec![]));
        }
        let ended = |d: Option<Date>| d.is_some_and(|d| d < today);
        if ended(a.os_support_end) || ended(a.maintenance_end) {
            out.push(finding(Rule::SupportEnded, subject, vec![]));
        }
        if a.kind.has_firmware() && a.version.trim().is_empty() {
            out.push(finding(Rule::UnknownVersion, subject, vec![]));
        }
    }
}

/// The ZCR 3.2–3.6 groupings, zone by zone.
fn separation(plant: &Plant, out: &mut Vec<Finding>) {
    for zone in &plant.zones {
        let members: Vec<_> = plant
            .active_assets()
            .filter(|a| a.zones().any(|z| z == zone.id))
            .collect();
        let control: Vec<_> = members.iter().filter(|a| a.kind.is_control()).collect();
        if control.is_empty() {
            continue;
        }
        let subject = Subject::Zone(zone.id);
        let list = |pred: &dyn Fn(&&&super::model::Asset) -> bool| -> Vec<Subject> {
            members
                .iter()
                .filter(pred)
                .map(|a| Subject::Asset(a.id))
                .collect()
        };
        let business = list(&|a| a.kind.is_business());
        if !business.is_empty() {
            out.push(finding(Rule::BusinessWithControl, subject, business));
        }
        let safety = list(&|a| a.safety || a.kind == AssetKind::SafetyController);
        let others = control
            .iter()
            .any(|a| !a.safety && a.kind != AssetKind::SafetyController);
        if !safety.is_empty() && others && zone.purpose != ZonePurpose::Safety {
            out.push(finding(Rule::SafetyNotSeparated, subject, safety));
        }
        let temporary = list(&|a| a.temporary && !a.kind.is_portable());
        if !temporary.is_empty() {
            out.push(finding(Rule::TemporaryNotSeparated, subject, temporary));
        }
        let control_zone = matches!(zone.purpose, ZonePurpose::Control | ZonePurpose::Safety);
        let wireless = list(&|a| a.wireless || a.kind == AssetKind::WirelessAp);
        if control_zone && !wireless.is_empty() {
            out.push(finding(Rule::WirelessInControl, subject, wireless));
        }
        let external = list(&|a| a.cloud_link || a.remote_maintenance);
        if control_zone && !external.is_empty() {
            out.push(finding(Rule::ExternalInControl, subject, external));
        }
    }
}
