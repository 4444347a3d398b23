//! SPDX 2.x documents (2.2 and 2.3; JSON and tag-value) into
//! [`kojo_core::vuln::sbom::Sbom`]: every package becomes a component with its version, its
//! supplier (or originator), and the purl and CPE of its external references. `CONTAINS`
//! relationships (and `CONTAINED_BY`) give the nesting. Errors name the JSON path, or the
//! tag-value line.

use std::collections::HashMap;

use kojo_core::vuln::sbom::{Component, ComponentKind, Sbom, SbomFormat};
use serde::Deserialize;

use crate::csaf::{ReadError, from_json};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDocument {
    spdx_version: String,
    name: Option<String>,
    document_namespace: Option<String>,
    #[serde(default)]
    packages: Vec<RawPackage>,
    #[serde(default)]
    relationships: Vec<RawRelationship>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPackage {
    #[serde(rename = "SPDXID")]
    spdx_id: String,
    name: String,
    version_info: Option<String>,
    supplier: Option<String>,
    originator: Option<String>,
    #[serde(default)]
    external_refs: Vec<RawRef>,
    primary_package_purpose: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRef {
    reference_type: String,
    reference_locator: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRelationship {
    spdx_element_id: String,
    relationship_type: String,
    related_spdx_element: String,
}

/// Reads an SPDX JSON document.
pub fn parse_json(bytes: &[u8]) -> Result<Sbom, ReadError> {
    let raw: RawDocument = from_json(bytes)?;
    if !raw.spdx_version.starts_with("SPDX-2.") {
        return Err(ReadError::at(
            "spdxVersion",
            format!("{:?}: expected SPDX-2.x", raw.spdx_version),
        ));
    }
    let mut components: Vec<Component> = raw
        .packages
        .into_iter()
        .map(|p| {
            let mut c = package(
                p.spdx_id,
                p.name,
                p.version_info,
                p.supplier.or(p.originator),
            );
            c.kind = purpose(p.primary_package_purpose.as_deref());
            for r in p.external_refs {
                external_ref(&mut c, &r.reference_type, &r.reference_locator);
            }
            c
        })
        .collect();
    let relations: Vec<(String, String, String)> = raw
        .relationships
        .into_iter()
        .map(|r| {
            (
                r.spdx_element_id,
                r.relationship_type,
                r.related_spdx_element,
            )
        })
        .collect();
    nest(&mut components, &relations);
    Ok(Sbom {
        format: SbomFormat::Spdx,
        spec_version: raw.spdx_version,
        serial: raw.document_namespace,
        name: raw.name,
        components,
    })
}

fn package(
    id: String,
    name: String,
    version: Option<String>,
    supplier: Option<String>,
) -> Component {
    Component {
        bom_ref: Some(id),
        kind: ComponentKind::Library,
        supplier: supplier.as_deref().and_then(actor),
        group: None,
        name,
        version: version.filter(|v| !v.trim().is_empty() && v != "NOASSERTION"),
        purl: None,
        cpe: None,
        parent: None,
    }
}

/// "Organization: Siemens AG (email)" → "Siemens AG"; NOASSERTION → none.
fn actor(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s == "NOASSERTION" {
        return None;
    }
    let name = s.split_once(':').map_or(s, |(_, n)| n).trim();
    let name = name.split(" (").next().unwrap_or(name).trim();
    (!name.is_empty()).then(|| name.to_string())
}

fn purpose(p: Option<&str>) -> ComponentKind {
    match p.map(str::to_ascii_uppercase).as_deref() {
        Some("APPLICATION") => ComponentKind::Application,
        Some("FRAMEWORK") => ComponentKind::Framework,
        Some("CONTAINER") => ComponentKind::Container,
        Some("OPERATING-SYSTEM") => ComponentKind::OperatingSystem,
        Some("DEVICE") => ComponentKind::Device,
        Some("FIRMWARE") => ComponentKind::Firmware,
        Some("FILE") => ComponentKind::File,
        Some("LIBRARY") | None => ComponentKind::Library,
        Some(_) => ComponentKind::Other,
    }
}

fn external_ref(c: &mut Component, kind: &str, locator: &str) {
    match kind {
        "purl" if c.purl.is_none() => c.purl = Some(locator.trim().to_string()),
        "cpe23Type" | "cpe22Type" if c.cpe.is_none() => c.cpe = Some(locator.trim().to_string()),
        _ => {}
    }
}

/// Sets `parent` from CONTAINS / CONTAINED_BY relationships between packages.
fn nest(components: &mut [Component], relations: &[(String, String, String)]) {
    let by_id: HashMap<String, usize> = components
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.bom_ref.clone().map(|r| (r, i)))
        .collect();
    for (a, kind, b) in relations {
        let (parent, child) = match kind.as_str() {
            "CONTAINS" => (a, b),
            "CONTAINED_BY" => (b, a),
            _ => continue,
        };
        if let (Some(p), Some(c)) = (by_id.get(parent), by_id.get(child))
            && p != c
            && components[*c].parent.is_none()
        {
            components[*c].parent = Some(*p);
        }
    }
}

/// Reads an SPDX tag-value document.
pub fn parse_tag_value(text: &str) -> Result<Sbom, ReadError> {
    let mut doc = TagDoc::default();
    let mut lines = text.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        let line_no = n + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((tag, value)) = trimmed.split_once(':') else {
            return Err(ReadError {
                path: "tag".into(),
                line: line_no,
                column: 1,
                message: format!("{trimmed:?} is not a `Tag: value` line"),
            });
        };
        let mut value = value.trim().to_string();
        if let Some(rest) = value.strip_prefix("<text>") {
            value = multi_line(rest, &mut lines).ok_or_else(|| ReadError {
                path: tag.into(),
                line: line_no,
                column: 1,
                message: "<text> is never closed by </text>".into(),
            })?;
        }
        doc.tag(tag.trim(), value, line_no)?;
    }
    doc.finish()
}

/// The rest of a `<text>…</text>` value.
fn multi_line<'a>(
    first: &str,
    lines: &mut impl Iterator<Item = (usize, &'a str)>,
) -> Option<String> {
    if let Some(done) = first.strip_suffix("</text>") {
        return Some(done.to_string());
    }
    let mut out = first.to_string();
    for (_, l) in lines {
        out.push('\n');
        if let Some(i) = l.find("</text>") {
            out.push_str(&l[..i]);
            return Some(out);
        }
        out.push_str(l);
    }
    None
}

#[derive(Default)]
struct TagDoc {
    version: Option<String>,
    name: Option<String>,
    namespace: Option<String>,
    components: Vec<Component>,
    relations: Vec<(String, String, String)>,
}

impl TagDoc {
    fn tag(&mut self, tag: &str, value: String, line: usize) -> Result<(), ReadError> {
        let in_package = |doc: &mut TagDoc| -> Result<usize, ReadError> {
            doc.components
                .len()
                .checked_sub(1)
                .ok_or_else(|| ReadError {
                    path: tag.into(),
                    line,
                    column: 1,
                    message: format!("{tag} before any PackageName"),
                })
        };
        match tag {
            "SPDXVersion" => self.version = Some(value),
            "DocumentName" => self.name = Some(value),
            "DocumentNamespace" => self.namespace = Some(value),
            "PackageName" => self
                .components
                .push(package(String::new(), value, None, None)),
            "SPDXID" => {
                if let Some(c) = self
                    .components
                    .last_mut()
                    .filter(|c| c.bom_ref.as_deref() == Some(""))
                {
                    c.bom_ref = Some(value);
                }
            }
            "PackageVersion" => {
                let i = in_package(self)?;
                self.components[i].version = Some(value);
            }
            "PackageSupplier" | "PackageOriginator" => {
                let i = in_package(self)?;
                if self.components[i].supplier.is_none() {
                    self.components[i].supplier = actor(&value);
                }
            }
            "PrimaryPackagePurpose" => {
                let i = in_package(self)?;
                self.components[i].kind = purpose(Some(&value));
            }
            "ExternalRef" => {
                let i = in_package(self)?;
                let parts: Vec<&str> = value.split_whitespace().collect();
                if let [_, kind, locator, ..] = parts.as_slice() {
                    external_ref(&mut self.components[i], kind, locator);
                }
            }
            "Relationship" => {
                let parts: Vec<&str> = value.split_whitespace().collect();
                if let [a, kind, b, ..] = parts.as_slice() {
                    self.relations
                        .push((a.to_string(), kind.to_string(), b.to_string()));
                }
            }
            // A file or snippet ends the current package's own tags.
            "FileName" | "SnippetSPDXID" => {}
            _ => {}
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Sbom, ReadError> {
        let version = self
            .version
            .filter(|v| v.starts_with("SPDX-2."))
            .ok_or_else(|| ReadError::at("SPDXVersion", "missing or not SPDX-2.x"))?;
        nest(&mut self.components, &self.relations);
        Ok(Sbom {
            format: SbomFormat::Spdx,
            spec_version: version,
            serial: self.namespace,
            name: self.name,
            components: self.components,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_packages_with_purls_cpes_and_nesting() {
        let json = br#"{"spdxVersion": "SPDX-2.3", "name": "fw", "documentNamespace": "https://x/1",
          "packages": [
            {"SPDXID": "SPDXRef-fw", "name": "PLC firmware", "versionInfo": "2.1",
             "supplier": "Organization: Omron Corporation (x@example.com)", "primaryPackagePurpose": "FIRMWARE"},
            {"SPDXID": "SPDXRef-ssl", "name": "openssl", "versionInfo": "1.1.1k", "supplier": "NOASSERTION",
             "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
               "referenceLocator": "pkg:generic/openssl@1.1.1k"},
              {"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
               "referenceLocator": "cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*"}]}],
          "relationships": [{"spdxElementId": "SPDXRef-fw", "relationshipType": "CONTAINS",
            "relatedSpdxElement": "SPDXRef-ssl"}]}"#;
        let s = parse_json(json).unwrap();
        assert_eq!(
            s.components[0].supplier.as_deref(),
            Some("Omron Corporation")
        );
        assert_eq!(s.components[0].kind, ComponentKind::Firmware);
        assert_eq!(s.components[1].supplier, None);
        assert_eq!(
            s.components[1].purl.as_deref(),
            Some("pkg:generic/openssl@1.1.1k")
        );
        assert!(s.components[1].cpe.is_some());
        assert_eq!(s.components[1].parent, Some(0));
        let e = parse_json(br#"{"spdxVersion": "SPDX-2.3", "packages": [{"SPDXID": "x"}]}"#)
            .unwrap_err();
        assert_eq!(e.path, "packages[0]");
    }

    #[test]
    fn tag_value_reads_the_same_fields() {
        let text = "SPDXVersion: SPDX-2.3\nDocumentName: fw\nDocumentNamespace: https://x/1\n\n\
                    PackageName: openssl\nSPDXID: SPDXRef-ssl\nPackageVersion: 1.1.1k\n\
                    PackageSupplier: Organization: OpenSSL\n\
                    PackageComment: <text>two\nlines</text>\n\
                    ExternalRef: PACKAGE-MANAGER purl pkg:generic/openssl@1.1.1k\n";
        let s = parse_tag_value(text).unwrap();
        let c = &s.components[0];
        assert_eq!(
            (c.name.as_str(), c.version.as_deref(), c.supplier.as_deref()),
            ("openssl", Some("1.1.1k"), Some("OpenSSL"))
        );
        assert_eq!(c.bom_ref.as_deref(), Some("SPDXRef-ssl"));
        assert_eq!(c.purl.as_deref(), Some("pkg:generic/openssl@1.1.1k"));
        let e = parse_tag_value("SPDXVersion: SPDX-2.3\nPackageVersion: 1\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(parse_tag_value("SPDXVersion: SPDX-2.3\nno colon here\n").is_err());
        assert!(parse_tag_value("PackageName: x\nPackageComment: <text>never closed\n").is_err());
    }
}
