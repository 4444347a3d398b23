//! A document a factory attaches to one asset: its software bill of materials (CycloneDX 1.4–1.6
//! in JSON or XML, SPDX 2.3 in JSON or tag-value) and/or VEX statements (a CycloneDX VEX or BOM
//! with `vulnerabilities`, a CSAF 2.0 document). The format is recognised from the content, not
//! the file name: suppliers name their files freely.

use kojo_core::vuln::sbom::Sbom;
use kojo_core::vuln::vex::VexStatement;

use crate::csaf::ReadError;

/// The formats an asset document may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocFormat {
    CycloneDxJson,
    CycloneDxXml,
    SpdxJson,
    SpdxTagValue,
    Csaf,
}

impl DocFormat {
    /// As stored and shown ("CycloneDX JSON").
    pub fn label(self) -> &'static str {
        match self {
            DocFormat::CycloneDxJson => "CycloneDX JSON",
            DocFormat::CycloneDxXml => "CycloneDX XML",
            DocFormat::SpdxJson => "SPDX JSON",
            DocFormat::SpdxTagValue => "SPDX tag-value",
            DocFormat::Csaf => "CSAF VEX",
        }
    }
}

/// An asset document read: its components (none for a pure VEX) and its statements.
#[derive(Debug, Clone)]
pub struct AssetDoc {
    pub format: DocFormat,
    pub sbom: Option<Sbom>,
    pub vex: Vec<VexStatement>,
}

/// Why a document was not read.
#[derive(Debug, Clone, PartialEq)]
pub enum DocError {
    /// Not UTF-8 text.
    NotText,
    /// None of the formats above (by the first bytes).
    Unknown,
    /// Recognised, but not valid in that format.
    Invalid(DocFormat, ReadError),
}

/// Recognises the format from the first bytes and reads the document.
pub fn read(bytes: &[u8]) -> Result<AssetDoc, DocError> {
    let text = std::str::from_utf8(bytes).map_err(|_| DocError::NotText)?;
    let text = text.trim_start_matches('\u{feff}');
    let format = recognise(text).ok_or(DocError::Unknown)?;
    let fail = |e| DocError::Invalid(format, e);
    let (sbom, vex) = match format {
        DocFormat::CycloneDxJson => {
            let b = crate::cyclonedx::parse_json(text.as_bytes()).map_err(fail)?;
            (Some(b.sbom), b.vex)
        }
        DocFormat::CycloneDxXml => {
            let b = crate::cyclonedx::parse_xml(text.as_bytes()).map_err(fail)?;
            (Some(b.sbom), b.vex)
        }
        DocFormat::SpdxJson => (
            Some(crate::spdx::parse_json(text.as_bytes()).map_err(fail)?),
            Vec::new(),
        ),
        DocFormat::SpdxTagValue => (
            Some(crate::spdx::parse_tag_value(text).map_err(fail)?),
            Vec::new(),
        ),
        DocFormat::Csaf => {
            let a = crate::csaf::parse(text.as_bytes()).map_err(fail)?;
            (None, crate::vex::from_csaf(&a))
        }
    };
    // A BOM that only carries statements (a CycloneDX VEX) has no components to match.
    let sbom = sbom.filter(|s| !s.components.is_empty());
    Ok(AssetDoc { format, sbom, vex })
}

/// The format by its first distinctive keys; None when it is none of ours.
fn recognise(text: &str) -> Option<DocFormat> {
    let head: String = text.chars().take(8192).collect();
    let start = head.trim_start();
    if start.starts_with('<') {
        return head
            .contains("cyclonedx.org/schema/bom")
            .then_some(DocFormat::CycloneDxXml);
    }
    if start.starts_with('{') {
        return if head.contains("\"bomFormat\"") || head.contains("\"specVersion\"") {
            Some(DocFormat::CycloneDxJson)
        } else if head.contains("\"spdxVersion\"") {
            Some(DocFormat::SpdxJson)
        } else if head.contains("\"csaf_version\"") || head.contains("\"document\"") {
            Some(DocFormat::Csaf)
        } else {
            None
        };
    }
    start
        .lines()
        .any(|l| l.trim_start().starts_with("SPDXVersion:"))
        .then_some(DocFormat::SpdxTagValue)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_recognised_by_content() {
        assert_eq!(
            recognise(r#"{"bomFormat": "CycloneDX", "specVersion": "1.6"}"#),
            Some(DocFormat::CycloneDxJson)
        );
        assert_eq!(
            recognise(r#"{"spdxVersion": "SPDX-2.3"}"#),
            Some(DocFormat::SpdxJson)
        );
        assert_eq!(
            recognise("## comment\nSPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n"),
            Some(DocFormat::SpdxTagValue)
        );
        assert_eq!(
            recognise(r#"<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5">"#),
            Some(DocFormat::CycloneDxXml)
        );
        assert_eq!(
            recognise(r#"{"document": {"csaf_version": "2.0"}}"#),
            Some(DocFormat::Csaf)
        );
        assert_eq!(recognise(r#"{"id": "GHSA-1"}"#), None);
        assert_eq!(recognise("<html></html>"), None);
        assert_eq!(read(&[0xff, 0xfe, 0x00]).err(), Some(DocError::NotText));
    }

    #[test]
    fn an_invalid_document_names_its_format_and_where_it_fails() {
        let Err(DocError::Invalid(format, e)) = read(br#"{"bomFormat": "CycloneDX"}"#) else {
            panic!("read");
        };
        assert_eq!(format, DocFormat::CycloneDxJson);
        assert!(e.message.contains("specVersion"), "{e:?}");
    }
}
