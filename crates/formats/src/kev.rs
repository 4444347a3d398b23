//! CISA's Known Exploited Vulnerabilities catalogue, from its JSON file
//! (`known_exploited_vulnerabilities.json`) or its CSV file, into
//! [`kojo_core::vuln::kev::KevCatalog`]. Dates must be `YYYY-MM-DD`; `knownRansomwareCampaignUse`
//! is `Known` or `Unknown`. Every error names the entry (JSON path, or CSV line and column).

use kojo_core::date::Date;
use kojo_core::vuln::kev::{KevCatalog, KevEntry, RansomwareUse};
use serde::Deserialize;

use crate::csaf::{ReadError, from_json};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCatalog {
    #[serde(default)]
    catalog_version: String,
    vulnerabilities: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEntry {
    #[serde(rename = "cveID")]
    cve_id: String,
    vendor_project: String,
    product: String,
    #[serde(default)]
    vulnerability_name: String,
    date_added: String,
    #[serde(default)]
    due_date: String,
    #[serde(default)]
    known_ransomware_campaign_use: String,
    #[serde(default)]
    cwes: Cwes,
}

/// `cwes` is a list in the JSON file and a comma-separated text in the CSV file.
#[derive(Deserialize, Default)]
#[serde(untagged)]
enum Cwes {
    List(Vec<String>),
    Text(String),
    #[default]
    None,
}

impl Cwes {
    fn into_vec(self) -> Vec<String> {
        match self {
            Cwes::List(l) => l,
            Cwes::Text(t) => t
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            Cwes::None => vec![],
        }
    }
}

/// Reads the JSON catalogue.
pub fn parse_json(bytes: &[u8]) -> Result<KevCatalog, ReadError> {
    let raw: RawCatalog = from_json(bytes)?;
    let mut entries = Vec::with_capacity(raw.vulnerabilities.len());
    for (i, e) in raw.vulnerabilities.into_iter().enumerate() {
        entries.push(entry(
            e,
            &|field| format!("vulnerabilities[{i}].{field}"),
            0,
        )?);
    }
    Ok(KevCatalog::new(raw.catalog_version, entries))
}

/// Reads the CSV catalogue (header row first, UTF-8, an optional BOM).
pub fn parse_csv(bytes: &[u8]) -> Result<KevCatalog, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let mut entries = Vec::new();
    for record in reader.deserialize::<RawEntry>() {
        let record = record.map_err(|e| {
            let line = e
                .position()
                .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
            ReadError {
                path: "row".into(),
                line,
                column: 0,
                message: e.to_string(),
            }
        })?;
        let line = entries.len() + 2;
        entries.push(entry(record, &|field| field.to_string(), line)?);
    }
    Ok(KevCatalog::new(String::new(), entries))
}

fn entry(e: RawEntry, at: &dyn Fn(&str) -> String, line: usize) -> Result<KevEntry, ReadError> {
    let err = |field: &str, message: String| ReadError {
        path: at(field),
        line,
        column: 0,
        message,
    };
    let date_added = Date::parse(&e.date_added).ok_or_else(|| {
        err(
            "dateAdded",
            format!("{:?} is not a date (YYYY-MM-DD)", e.date_added),
        )
    })?;
    let due_date = if e.due_date.trim().is_empty() {
        None
    } else {
        Some(Date::parse(&e.due_date).ok_or_else(|| {
            err(
                "dueDate",
                format!("{:?} is not a date (YYYY-MM-DD)", e.due_date),
            )
        })?)
    };
    let ransomware = match e.known_ransomware_campaign_use.trim() {
        "Known" | "known" => RansomwareUse::Known,
        "Unknown" | "unknown" | "" => RansomwareUse::Unknown,
        other => {
            return Err(err(
                "knownRansomwareCampaignUse",
                format!("{other:?}: expected Known or Unknown"),
            ));
        }
    };
    let cve = e.cve_id.trim().to_uppercase();
    if !cve.starts_with("CVE-") {
        return Err(err("cveID", format!("{:?} is not a CVE id", e.cve_id)));
    }
    Ok(KevEntry {
        cve,
        vendor: e.vendor_project,
        product: e.product,
        name: e.vulnerability_name,
        date_added,
        due_date,
        ransomware,
        cwes: e.cwes.into_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_csv_give_the_same_entry() {
        let json =
            br#"{"catalogVersion": "2025.08.25", "vulnerabilities": [{"cveID": "CVE-2017-0143",
          "vendorProject": "Microsoft", "product": "SMBv1", "vulnerabilityName": "RCE",
          "dateAdded": "2022-03-25", "dueDate": "2022-04-15", "knownRansomwareCampaignUse": "Known",
          "cwes": ["CWE-20"]}]}"#;
        let csv = "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n\
                   CVE-2017-0143,Microsoft,SMBv1,RCE,2022-03-25,x,y,2022-04-15,Known,,CWE-20\n";
        let a = parse_json(json).unwrap();
        let b = parse_csv(csv.as_bytes()).unwrap();
        assert_eq!(a.entries, b.entries);
        assert_eq!(a.version, "2025.08.25");
        let e = a.get("cve-2017-0143").unwrap();
        assert_eq!(e.ransomware, RansomwareUse::Known);
        assert_eq!(e.due_date, Date::new(2022, 4, 15));
    }

    #[test]
    fn a_bad_date_names_the_entry() {
        let json = br#"{"vulnerabilities": [{"cveID": "CVE-1", "vendorProject": "a", "product": "b", "dateAdded": "25/03/2022"}]}"#;
        let e = parse_json(json).unwrap_err();
        assert_eq!(e.path, "vulnerabilities[0].dateAdded");
        let csv = "cveID,vendorProject,product,dateAdded\nCVE-1,a,b,2022-03-25\nCVE-2,a,b,soon\n";
        let e = parse_csv(csv.as_bytes()).unwrap_err();
        assert_eq!((e.path.as_str(), e.line), ("dateAdded", 3));
    }
}
