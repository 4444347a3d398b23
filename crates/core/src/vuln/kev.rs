//! CISA's Known Exploited Vulnerabilities catalogue: which CVEs are being exploited, since when,
//! by when US agencies must act, and whether ransomware campaigns use them. A finding whose CVE
//! is here comes first (`kojo_formats::kev` reads the JSON and CSV files).

use std::collections::HashMap;

use crate::codes;
use crate::date::Date;

codes!(
    /// `knownRansomwareCampaignUse`.
    RansomwareUse {
        Known = "known",
        Unknown = "unknown",
    }
);

/// One catalogue entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KevEntry {
    /// Upper case `CVE-YYYY-NNNN`.
    pub cve: String,
    pub vendor: String,
    pub product: String,
    pub name: String,
    pub date_added: Date,
    pub due_date: Option<Date>,
    pub ransomware: RansomwareUse,
    pub cwes: Vec<String>,
}

/// The catalogue, looked up by CVE.
#[derive(Debug, Clone, Default)]
pub struct KevCatalog {
    /// `catalogVersion` (empty for the CSV file, which has none).
    pub version: String,
    pub entries: Vec<KevEntry>,
    by_cve: HashMap<String, usize>,
}

impl KevCatalog {
    /// A catalogue of these entries; a CVE listed twice keeps its first entry.
    pub fn new(version: String, entries: Vec<KevEntry>) -> KevCatalog {
        let mut by_cve = HashMap::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            by_cve.entry(e.cve.clone()).or_insert(i);
        }
        KevCatalog {
            version,
            entries,
            by_cve,
        }
    }

    /// The entry of a CVE (any case).
    pub fn get(&self, cve: &str) -> Option<&KevEntry> {
        let key = cve.trim().to_uppercase();
        self.by_cve.get(&key).and_then(|i| self.entries.get(*i))
    }

    pub fn contains(&self, cve: &str) -> bool {
        self.get(cve).is_some()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_found_by_cve_in_any_case() {
        let e = KevEntry {
            cve: "CVE-2017-0143".into(),
            vendor: "Microsoft".into(),
            product: "Windows".into(),
            name: "SMBv1".into(),
            date_added: Date::new(2022, 3, 25).unwrap(),
            due_date: None,
            ransomware: RansomwareUse::Known,
            cwes: vec![],
        };
        let k = KevCatalog::new("1".into(), vec![e.clone(), e]);
        assert!(k.contains("cve-2017-0143 "));
        assert!(!k.contains("CVE-2017-0144"));
        assert_eq!(k.len(), 2);
    }
}
