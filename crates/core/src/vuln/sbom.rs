//! Software and hardware bills of materials, format-neutral: what `kojo_formats::cyclonedx`
//! (CycloneDX 1.4–1.6, JSON and XML) and `kojo_formats::spdx` (SPDX 2.3, JSON and tag-value)
//! read. Components keep their nesting (`parent`), package URL and CPE; [`Purl`] and [`Cpe`]
//! parse those identifiers.

use serde::{Deserialize, Serialize};

use crate::codes;

codes!(
    /// The bill's format.
    SbomFormat {
        CycloneDx = "cyclonedx",
        Spdx = "spdx",
    }
);

codes!(
    /// What a component is (CycloneDX's types; SPDX packages are `library` unless their
    /// purpose says otherwise).
    ComponentKind {
        Application = "application",
        Framework = "framework",
        Library = "library",
        Container = "container",
        Platform = "platform",
        OperatingSystem = "operating-system",
        Device = "device",
        DeviceDriver = "device-driver",
        Firmware = "firmware",
        File = "file",
        MachineLearningModel = "machine-learning-model",
        Data = "data",
        CryptographicAsset = "cryptographic-asset",
        Other = "other",
    }
);

/// One component (CycloneDX) or package (SPDX).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    /// CycloneDX `bom-ref`, SPDX `SPDXID`.
    pub bom_ref: Option<String>,
    pub kind: ComponentKind,
    /// Supplier, manufacturer, publisher or author, whichever is given first.
    pub supplier: Option<String>,
    pub group: Option<String>,
    pub name: String,
    pub version: Option<String>,
    pub purl: Option<String>,
    pub cpe: Option<String>,
    /// Index of the component this one is nested in.
    pub parent: Option<usize>,
}

/// A bill of materials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sbom {
    pub format: SbomFormat,
    /// `1.6`, `SPDX-2.3`.
    pub spec_version: String,
    /// CycloneDX `serialNumber`, SPDX `documentNamespace`.
    pub serial: Option<String>,
    pub name: Option<String>,
    /// The component the bill describes (CycloneDX `metadata.component`), if any, first; then
    /// every component, nested ones after their parent.
    pub components: Vec<Component>,
}

/// A package URL (`pkg:type/namespace/name@version?qualifiers#subpath`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purl {
    pub ty: String,
    pub namespace: Option<String>,
    pub name: String,
    pub version: Option<String>,
    pub qualifiers: Vec<(String, String)>,
}

impl Purl {
    /// Parses a purl; names and namespaces are percent-decoded, the type lower-cased.
    pub fn parse(s: &str) -> Option<Purl> {
        let rest = s.trim().strip_prefix("pkg:")?;
        let rest = rest.split('#').next().unwrap_or(rest);
        let (rest, query) = match rest.split_once('?') {
            Some((a, b)) => (a, Some(b)),
            None => (rest, None),
        };
        let (path, version) = match rest.rsplit_once('@') {
            Some((a, v)) if !a.is_empty() && !a.ends_with('/') => (a, Some(decode(v))),
            _ => (rest, None),
        };
        let mut parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        if parts.len() < 2 {
            return None;
        }
        let ty = parts.remove(0).to_lowercase();
        let name = decode(parts.pop()?);
        let namespace = (!parts.is_empty()).then(|| {
            parts
                .iter()
                .map(|p| decode(p))
                .collect::<Vec<_>>()
                .join("/")
        });
        let qualifiers = query
            .map(|q| {
                q.split('&')
                    .filter_map(|kv| kv.split_once('='))
                    .map(|(k, v)| (k.to_lowercase(), decode(v)))
                    .collect()
            })
            .unwrap_or_default();
        (!ty.is_empty() && !name.is_empty()).then_some(Purl {
            ty,
            namespace,
            name,
            version,
            qualifiers,
        })
    }

    /// Type, namespace and name, lower-cased: the package whatever its version.
    pub fn package_key(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{}/{}/{}", self.ty, ns, self.name).to_lowercase(),
            None => format!("{}/{}", self.ty, self.name).to_lowercase(),
        }
    }
}

/// Percent-decoding (invalid escapes are kept as written).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The fields of a CPE kojo uses (2.3 formatted string or 2.2 URI).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cpe {
    /// `a` application, `o` operating system, `h` hardware.
    pub part: String,
    pub vendor: String,
    pub product: String,
    /// `None` for `*` or `-`.
    pub version: Option<String>,
    pub update: Option<String>,
}

impl Cpe {
    pub fn parse(s: &str) -> Option<Cpe> {
        let s = s.trim();
        let fields: Vec<String> = if let Some(rest) = s.strip_prefix("cpe:2.3:") {
            split_escaped(rest)
        } else {
            let rest = s.strip_prefix("cpe:/")?;
            rest.split(':').map(decode).collect()
        };
        let get = |i: usize| fields.get(i).map(|f| f.replace('\\', ""));
        let value = |i: usize| get(i).filter(|v| !v.is_empty() && v != "*" && v != "-");
        Some(Cpe {
            part: get(0).filter(|p| !p.is_empty())?,
            vendor: value(1)?,
            product: value(2)?,
            version: value(3),
            update: value(4),
        })
    }
}

/// Splits on `:` not escaped by a backslash.
fn split_escaped(s: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut escaped = false;
    for c in s.chars() {
        match c {
            ':' if !escaped => out.push(String::new()),
            _ => {
                escaped = c == '\\' && !escaped;
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls_parse_with_namespace_version_and_qualifiers() {
        let p =
            Purl::parse("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar").unwrap();
        assert_eq!(p.ty, "maven");
        assert_eq!(p.namespace.as_deref(), Some("org.apache.logging.log4j"));
        assert_eq!(p.name, "log4j-core");
        assert_eq!(p.version.as_deref(), Some("2.14.1"));
        assert_eq!(p.qualifiers, [("type".to_string(), "jar".to_string())]);
        let p = Purl::parse("pkg:npm/%40angular/core@12.0.0").unwrap();
        assert_eq!(p.namespace.as_deref(), Some("@angular"));
        assert_eq!(p.package_key(), "npm/@angular/core");
        assert_eq!(Purl::parse("pkg:cargo/serde").unwrap().version, None);
        assert_eq!(Purl::parse("not a purl"), None);
        assert_eq!(Purl::parse("pkg:"), None);
    }

    #[test]
    fn cpes_parse_in_both_notations() {
        let c = Cpe::parse("cpe:2.3:o:siemens:simatic_s7-1500_firmware:2.8:*:*:*:*:*:*:*").unwrap();
        assert_eq!((c.part.as_str(), c.vendor.as_str()), ("o", "siemens"));
        assert_eq!(c.product, "simatic_s7-1500_firmware");
        assert_eq!(c.version.as_deref(), Some("2.8"));
        let c = Cpe::parse("cpe:/a:openssl:openssl:1.0.2k").unwrap();
        assert_eq!(c.version.as_deref(), Some("1.0.2k"));
        let c = Cpe::parse("cpe:2.3:a:vendor:prod\\:uct:-:*:*:*:*:*:*:*").unwrap();
        assert_eq!(c.product, "prod:uct");
        assert_eq!(c.version, None);
        assert_eq!(Cpe::parse("cpe:2.3:a"), None);
    }
}
