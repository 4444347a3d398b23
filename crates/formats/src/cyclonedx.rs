//! CycloneDX bills of materials (1.2–1.6, JSON and XML) into
//! [`kojo_core::vuln::sbom::Sbom`], with the VEX part (`vulnerabilities[].analysis` and
//! `affects`) as [`VexStatement`]s.
//!
//! Components keep their nesting; `device` and `firmware` components are read like the others
//! (an HBOM is a BOM of devices). The supplier is the first of `supplier.name`,
//! `manufacturer.name`, `publisher`, `author`. A component type this reader does not know is
//! `other`; a missing name, a wrong JSON type, an unknown analysis state or justification is an
//! error naming the JSON path (or the XML element and its byte offset).

use kojo_core::vuln::advisory::Justification;
use kojo_core::vuln::sbom::{Component, ComponentKind, Sbom, SbomFormat};
use kojo_core::vuln::vex::{VexProduct, VexStatement, VexStatus};
use quick_xml::events::Event;
use serde::Deserialize;

use crate::csaf::{ReadError, from_json};

/// A CycloneDX document read.
#[derive(Debug, Clone, PartialEq)]
pub struct Bom {
    pub sbom: Sbom,
    /// The VEX statements of its `vulnerabilities` (empty for a plain SBOM).
    pub vex: Vec<VexStatement>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawBom {
    bom_format: Option<String>,
    spec_version: String,
    serial_number: Option<String>,
    metadata: Option<RawMetadata>,
    #[serde(default)]
    components: Vec<RawComponent>,
    #[serde(default)]
    vulnerabilities: Vec<RawVulnerability>,
}

#[derive(Deserialize)]
struct RawMetadata {
    component: Option<RawComponent>,
}

#[derive(Deserialize)]
struct RawComponent {
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "bom-ref")]
    bom_ref: Option<String>,
    supplier: Option<RawEntity>,
    manufacturer: Option<RawEntity>,
    publisher: Option<String>,
    author: Option<String>,
    group: Option<String>,
    name: String,
    version: Option<String>,
    purl: Option<String>,
    cpe: Option<String>,
    #[serde(default)]
    components: Vec<RawComponent>,
}

#[derive(Deserialize)]
struct RawEntity {
    name: Option<String>,
}

#[derive(Deserialize)]
struct RawVulnerability {
    id: Option<String>,
    analysis: Option<RawAnalysis>,
    #[serde(default)]
    affects: Vec<RawAffects>,
}

#[derive(Deserialize)]
struct RawAnalysis {
    state: Option<AnalysisState>,
    justification: Option<Justification>,
    detail: Option<String>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum AnalysisState {
    Resolved,
    ResolvedWithPedigree,
    Exploitable,
    InTriage,
    FalsePositive,
    NotAffected,
}

impl AnalysisState {
    fn status(self) -> VexStatus {
        match self {
            AnalysisState::Resolved | AnalysisState::ResolvedWithPedigree => VexStatus::Fixed,
            AnalysisState::Exploitable => VexStatus::Affected,
            AnalysisState::InTriage => VexStatus::UnderInvestigation,
            AnalysisState::FalsePositive | AnalysisState::NotAffected => VexStatus::NotAffected,
        }
    }

    fn parse(s: &str) -> Option<AnalysisState> {
        Some(match s {
            "resolved" => AnalysisState::Resolved,
            "resolved_with_pedigree" => AnalysisState::ResolvedWithPedigree,
            "exploitable" => AnalysisState::Exploitable,
            "in_triage" => AnalysisState::InTriage,
            "false_positive" => AnalysisState::FalsePositive,
            "not_affected" => AnalysisState::NotAffected,
            _ => return None,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename = "affects")]
struct RawAffects {
    #[serde(rename = "ref")]
    reference: String,
}

/// Reads a CycloneDX JSON document.
pub fn parse_json(bytes: &[u8]) -> Result<Bom, ReadError> {
    let raw: RawBom = from_json(bytes)?;
    if let Some(f) = &raw.bom_format
        && f != "CycloneDX"
    {
        return Err(ReadError::at(
            "bomFormat",
            format!("{f:?}: expected \"CycloneDX\""),
        ));
    }
    let mut components = Vec::new();
    if let Some(c) = raw.metadata.and_then(|m| m.component) {
        flatten(c, None, &mut components);
    }
    for c in raw.components {
        flatten(c, None, &mut components);
    }
    let mut vex = Vec::new();
    for v in raw.vulnerabilities {
        let id = v.id.unwrap_or_default();
        let Some(analysis) = v.analysis else { continue };
        let Some(state) = analysis.state else {
            continue;
        };
        for a in v.affects {
            vex.push(statement(
                &id,
                state,
                analysis.justification,
                analysis.detail.clone(),
                &a.reference,
                &components,
            ));
        }
    }
    Ok(Bom {
        sbom: Sbom {
            format: SbomFormat::CycloneDx,
            spec_version: raw.spec_version,
            serial: raw.serial_number,
            name: components.first().map(|c| c.name.clone()),
            components,
        },
        vex,
    })
}

fn flatten(c: RawComponent, parent: Option<usize>, out: &mut Vec<Component>) {
    let supplier = c
        .supplier
        .and_then(|s| s.name)
        .or_else(|| c.manufacturer.and_then(|s| s.name))
        .or(c.publisher)
        .or(c.author);
    let index = out.len();
    out.push(Component {
        bom_ref: c.bom_ref,
        kind: kind(&c.kind),
        supplier,
        group: c.group,
        name: c.name,
        version: c.version,
        purl: c.purl,
        cpe: c.cpe,
        parent,
    });
    for child in c.components {
        flatten(child, Some(index), out);
    }
}

fn kind(s: &str) -> ComponentKind {
    ComponentKind::parse(s).unwrap_or(ComponentKind::Other)
}

/// A statement about the component a ref names: a `bom-ref`, a BOM-link
/// (`urn:cdx:serial/version#bom-ref`) or a purl.
fn statement(
    id: &str,
    state: AnalysisState,
    justification: Option<Justification>,
    detail: Option<String>,
    reference: &str,
    components: &[Component],
) -> VexStatement {
    let local = reference.rsplit_once('#').map_or(reference, |(_, r)| r);
    let found = components
        .iter()
        .find(|c| c.bom_ref.as_deref() == Some(local));
    let purl = found
        .and_then(|c| c.purl.clone())
        .or_else(|| local.starts_with("pkg:").then(|| local.to_string()));
    VexStatement {
        vulnerability: id.trim().to_uppercase(),
        product: VexProduct {
            purl,
            cpe: found.and_then(|c| c.cpe.clone()),
            bom_ref: Some(local.to_string()),
            vendor: found.and_then(|c| c.supplier.clone()),
            name: found.map(|c| c.name.clone()),
            version: found.and_then(|c| c.version.clone()),
            model_numbers: vec![],
        },
        status: state.status(),
        justification,
        detail: detail.unwrap_or_default(),
        source: reference.to_string(),
    }
}

// --- XML ------------------------------------------------------------------------------------

/// An XML element as a small tree.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    text: String,
    children: Vec<Element>,
}

impl Element {
    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    fn text_of(&self, name: &str) -> Option<String> {
        self.child(name)
            .map(|c| c.text.trim().to_string())
            .filter(|t| !t.is_empty())
    }

    fn attribute(&self, name: &str) -> Option<String> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

/// Deeper nesting than this is refused (a hostile file cannot exhaust the stack).
const MAX_DEPTH: usize = 128;

/// Reads XML into a tree of elements (names without namespace prefixes).
fn xml_tree(bytes: &[u8]) -> Result<Element, ReadError> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut buf = Vec::new();
    loop {
        let at = reader.buffer_position();
        let bad = |m: String| ReadError {
            path: format!("byte {at}"),
            line: 0,
            column: 0,
            message: m,
        };
        match reader
            .read_event_into(&mut buf)
            .map_err(|e| bad(e.to_string()))?
        {
            Event::Start(e) => {
                if stack.len() > MAX_DEPTH {
                    return Err(bad(format!("nested deeper than {MAX_DEPTH} elements")));
                }
                stack.push(element(&e).map_err(bad)?);
            }
            Event::Empty(e) => {
                let el = element(&e).map_err(bad)?;
                if let Some(top) = stack.last_mut() {
                    top.children.push(el);
                }
            }
            Event::End(_) => {
                let done = stack
                    .pop()
                    .filter(|_| !stack.is_empty())
                    .ok_or_else(|| bad("unbalanced end tag".into()))?;
                if let Some(top) = stack.last_mut() {
                    top.children.push(done);
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.into_inner());
                }
            }
            Event::CData(t) => {
                let text = t.into_inner().into_owned();
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref().map_err(|e| bad(e.to_string()))? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.into_inner();
                        quick_xml::escape::unescape(&format!("&{name};"))
                            .map_err(|e| bad(e.to_string()))?
                            .into_owned()
                    }
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let root = match stack.as_mut_slice() {
        [root] => std::mem::take(root),
        _ => return Err(ReadError::at("end of file", "unclosed element")),
    };
    root.children
        .into_iter()
        .next()
        .ok_or_else(|| ReadError::at(".", "no root element"))
}

fn local_name(name: &str) -> String {
    name.rsplit(':').next().unwrap_or(name).to_string()
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> Result<Element, String> {
    let mut attributes = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| err.to_string())?;
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| err.to_string())?
            .into_owned();
        attributes.push((local_name(a.key.as_ref()), value));
    }
    Ok(Element {
        name: local_name(e.name().as_ref()),
        attributes,
        ..Element::default()
    })
}

/// Reads a CycloneDX XML document.
pub fn parse_xml(bytes: &[u8]) -> Result<Bom, ReadError> {
    let root = xml_tree(bytes)?;
    if root.name != "bom" {
        return Err(ReadError::at(&root.name, "expected a <bom> root element"));
    }
    let spec_version = root
        .attributes
        .iter()
        .find(|(k, _)| k == "xmlns")
        .and_then(|(_, v)| v.rsplit('/').next().map(str::to_string))
        .unwrap_or_default();
    let mut components = Vec::new();
    if let Some(c) = root.child("metadata").and_then(|m| m.child("component")) {
        xml_component(c, None, &mut components, "bom/metadata/component")?;
    }
    for (i, c) in root
        .child("components")
        .into_iter()
        .flat_map(|c| &c.children)
        .enumerate()
    {
        xml_component(
            c,
            None,
            &mut components,
            &format!("bom/components/component[{i}]"),
        )?;
    }
    let vex = xml_vex(&root, &components)?;
    Ok(Bom {
        sbom: Sbom {
            format: SbomFormat::CycloneDx,
            spec_version,
            serial: root.attribute("serialNumber"),
            name: components.first().map(|c| c.name.clone()),
            components,
        },
        vex,
    })
}

fn xml_component(
    e: &Element,
    parent: Option<usize>,
    out: &mut Vec<Component>,
    path: &str,
) -> Result<(), ReadError> {
    let name = e
        .text_of("name")
        .ok_or_else(|| ReadError::at(path, "missing <name>"))?;
    let supplier = e
        .child("supplier")
        .and_then(|s| s.text_of("name"))
        .or_else(|| e.child("manufacturer").and_then(|s| s.text_of("name")))
        .or_else(|| e.text_of("publisher"))
        .or_else(|| e.text_of("author"));
    let index = out.len();
    out.push(Component {
        bom_ref: e.attribute("bom-ref"),
        kind: kind(&e.attribute("type").unwrap_or_default()),
        supplier,
        group: e.text_of("group"),
        name,
        version: e.text_of("version"),
        purl: e.text_of("purl"),
        cpe: e.text_of("cpe"),
        parent,
    });
    for (i, c) in e
        .child("components")
        .into_iter()
        .flat_map(|c| &c.children)
        .enumerate()
    {
        xml_component(
            c,
            Some(index),
            out,
            &format!("{path}/components/component[{i}]"),
        )?;
    }
    Ok(())
}

fn xml_vex(root: &Element, components: &[Component]) -> Result<Vec<VexStatement>, ReadError> {
    let mut out = Vec::new();
    for (i, v) in root
        .child("vulnerabilities")
        .into_iter()
        .flat_map(|c| &c.children)
        .enumerate()
    {
        let path = format!("bom/vulnerabilities/vulnerability[{i}]");
        let Some(analysis) = v.child("analysis") else {
            continue;
        };
        let Some(state_text) = analysis.text_of("state") else {
            continue;
        };
        let state = AnalysisState::parse(&state_text).ok_or_else(|| {
            ReadError::at(
                &format!("{path}/analysis/state"),
                format!("unknown state {state_text:?}"),
            )
        })?;
        let justification = match analysis.text_of("justification") {
            Some(j) => Some(Justification::parse(&j).ok_or_else(|| {
                ReadError::at(
                    &format!("{path}/analysis/justification"),
                    format!("unknown justification {j:?}"),
                )
            })?),
            None => None,
        };
        let id = v.text_of("id").unwrap_or_default();
        for target in v.child("affects").into_iter().flat_map(|a| &a.children) {
            if let Some(r) = target.text_of("ref") {
                out.push(statement(
                    &id,
                    state,
                    justification,
                    analysis.text_of("detail"),
                    &r,
                    components,
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_devices_and_firmware_with_a_vex_part() {
        let json = br#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "serialNumber": "urn:uuid:1",
          "metadata": {"component": {"type": "device", "bom-ref": "plc", "name": "R04CPU",
            "manufacturer": {"name": "Mitsubishi Electric"}}},
          "components": [{"type": "firmware", "bom-ref": "fw", "name": "R04CPU firmware", "version": "60",
            "components": [{"type": "library", "name": "openssl", "version": "1.0.2k",
              "purl": "pkg:generic/openssl@1.0.2k", "cpe": "cpe:2.3:a:openssl:openssl:1.0.2k:*:*:*:*:*:*:*"}]},
            {"type": "quantum-thing", "name": "x"}],
          "vulnerabilities": [{"id": "CVE-2024-1", "analysis": {"state": "not_affected",
            "justification": "code_not_reachable", "detail": "Not used."},
            "affects": [{"ref": "urn:cdx:1/1#fw"}]}]}"#;
        let bom = parse_json(json).unwrap();
        let c = &bom.sbom.components;
        assert_eq!(c.len(), 4);
        assert_eq!(
            (c[0].kind, c[0].supplier.as_deref()),
            (ComponentKind::Device, Some("Mitsubishi Electric"))
        );
        assert_eq!((c[1].kind, c[2].parent), (ComponentKind::Firmware, Some(1)));
        assert_eq!(c[3].kind, ComponentKind::Other);
        let s = &bom.vex[0];
        assert_eq!(
            (s.status, s.justification),
            (
                VexStatus::NotAffected,
                Some(Justification::CodeNotReachable)
            )
        );
        assert_eq!(s.product.name.as_deref(), Some("R04CPU firmware"));
        let bad = String::from_utf8_lossy(json).replace("code_not_reachable", "because");
        let e = parse_json(bad.as_bytes()).unwrap_err();
        assert_eq!(e.path, "vulnerabilities[0].analysis.justification");
    }

    #[test]
    fn xml_boms_read_like_json_ones() {
        let xml = br#"<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" serialNumber="urn:uuid:2" version="1">
  <components>
    <component type="firmware" bom-ref="fw"><supplier><name>Moxa</name></supplier>
      <name><![CDATA[NPort 5110]]></name><version>2.2</version>
      <components><component type="library"><name>busybox &amp; co</name><version>1.2</version></component></components>
    </component>
  </components>
  <vulnerabilities><vulnerability><id>CVE-2024-2</id>
    <analysis><state>resolved</state></analysis>
    <affects><target><ref>fw</ref></target></affects></vulnerability></vulnerabilities>
</bom>"#;
        let bom = parse_xml(xml).unwrap();
        assert_eq!(bom.sbom.spec_version, "1.5");
        let c = &bom.sbom.components;
        assert_eq!(
            (c[0].name.as_str(), c[0].supplier.as_deref()),
            ("NPort 5110", Some("Moxa"))
        );
        assert_eq!((c[1].name.as_str(), c[1].parent), ("busybox & co", Some(0)));
        assert_eq!(bom.vex[0].status, VexStatus::Fixed);
        assert!(
            parse_xml(
                b"<bom><components><component type=\"library\"></component></components></bom>"
            )
            .is_err()
        );
        assert!(parse_xml(b"<bom><components>").is_err());
    }
}
