//! Vendor names: the same company written many ways (advisories alone spell Johnson Controls
//! eleven ways; a factory writes 三菱電機 where CISA writes Mitsubishi Electric Corporation).
//!
//! [`VendorCatalog`] is the content (`content/vuln/vendors.toml`): canonical vendors with their
//! spellings and their brands and subsidiaries, and pairs that must never be treated as one
//! company (Hitachi Energy is not 日立製作所). [`Aliases`] is the lookup built from it, after
//! [`Aliases::new`] has checked that no spelling belongs to two vendors.
//!
//! Names are compared on [`vendor_key`](super::text::vendor_key): NFKC, lower case, mojibake
//! repaired, legal forms, parenthesised abbreviations, spaces and punctuation removed. A name
//! the catalogue does not know still matches the same name spelled another way ("Moxa" and
//! "MOXA Inc."); a name that lists several vendors ("ICONICS, Mitsubishi Electric", "Kantech,
//! Johnson Controls Inc.", "Sensormatic Electronics, LLC, a subsidiary of Johnson Controls") is
//! split and stands for each of them.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::text::{fold_spaced, repair_mojibake, vendor_key};
use crate::Text;

/// `content/vuln/vendors.toml`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorCatalog {
    pub schema: u32,
    pub vendors: Vec<Vendor>,
    #[serde(default)]
    pub never: Vec<NeverEquate>,
}

/// A company, as kojo names it, with the other names it goes by.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vendor {
    /// Stable id (`mitsubishi-electric`).
    pub id: String,
    /// The name kojo shows (both count as spellings).
    pub name: Text,
    /// Other spellings of the same company: legal names, Japanese names, old names, typos
    /// found in advisories.
    #[serde(default)]
    pub spellings: Vec<String>,
    /// Brands and subsidiaries whose products the company's advisories cover, and the reverse
    /// (ICONICS for Mitsubishi Electric). A match through a brand is less certain (× 0.9).
    #[serde(default)]
    pub brands: Vec<String>,
}

/// Two vendors that share part of a name but are different companies.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeverEquate {
    pub vendors: [String; 2],
    pub why: Text,
}

/// How a name relates to the vendor it resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The company's own name or a spelling of it.
    Same,
    /// One of its brands or subsidiaries.
    Brand,
}

/// A vendor name resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VendorRef {
    /// A vendor of the catalogue (index into [`Aliases::vendors`]).
    Known { vendor: u32, relation: Relation },
    /// A name the catalogue does not know, by its key.
    Unknown { key: String },
    /// "multiple", "n/a": the advisory does not name one vendor.
    Any,
}

/// A problem with the catalogue, found by [`Aliases::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasProblem {
    /// The vendor id the problem is about.
    pub vendor: String,
    pub message: String,
}

/// The lookup built from a [`VendorCatalog`].
#[derive(Debug, Clone, Default)]
pub struct Aliases {
    vendors: Vec<Vendor>,
    by_key: HashMap<String, (u32, Relation)>,
    never: HashSet<(u32, u32)>,
}

/// Vendor names that name no single vendor.
const ANY_VENDOR: [&str; 5] = ["multiple", "multipleopensource", "na", "various", "unknown"];

impl Aliases {
    /// Builds the lookup; every problem of the catalogue is reported (a spelling that folds to
    /// the same key as another vendor's, an empty spelling, an unknown or self-referencing
    /// never-equate pair, a never-equate pair that shares a spelling, a duplicate id).
    pub fn new(catalog: &VendorCatalog) -> Result<Aliases, Vec<AliasProblem>> {
        let mut problems = Vec::new();
        let mut aliases = Aliases {
            vendors: catalog.vendors.clone(),
            ..Aliases::default()
        };
        let mut ids: HashMap<&str, u32> = HashMap::new();
        for (i, v) in catalog.vendors.iter().enumerate() {
            let Ok(index) = u32::try_from(i) else {
                problems.push(problem(&v.id, "too many vendors"));
                break;
            };
            if ids.insert(v.id.as_str(), index).is_some() {
                problems.push(problem(&v.id, "the id is used twice"));
            }
            aliases.add_names(index, v, &mut problems);
        }
        for pair in &catalog.never {
            let [a, b] = &pair.vendors;
            match (ids.get(a.as_str()), ids.get(b.as_str())) {
                (Some(x), Some(y)) if x != y => {
                    aliases.never.insert((*x, *y));
                    aliases.never.insert((*y, *x));
                }
                (Some(_), Some(_)) => {
                    problems.push(problem(a, "never-equate pair names one vendor twice"))
                }
                _ => problems.push(problem(
                    a,
                    format!("never-equate pair names an unknown vendor ({a}, {b})"),
                )),
            }
        }
        if problems.is_empty() {
            Ok(aliases)
        } else {
            Err(problems)
        }
    }

    fn add_names(&mut self, index: u32, v: &Vendor, problems: &mut Vec<AliasProblem>) {
        let same = [&v.name.ja, &v.name.en].into_iter().chain(&v.spellings);
        let names = same
            .map(|s| (s, Relation::Same))
            .chain(v.brands.iter().map(|s| (s, Relation::Brand)));
        for (name, relation) in names {
            let key = vendor_key(name);
            if key.is_empty() {
                problems.push(problem(&v.id, format!("{name:?} is empty once folded")));
                continue;
            }
            match self.by_key.get(&key) {
                Some((other, _)) if *other != index => {
                    let other = self.vendors[*other as usize].id.clone();
                    problems.push(problem(
                        &v.id,
                        format!("{name:?} (folded {key:?}) is also a name of {other}"),
                    ));
                }
                Some((_, Relation::Same)) if relation == Relation::Brand => problems.push(problem(
                    &v.id,
                    format!("{name:?} is both a spelling and a brand"),
                )),
                Some(_) => {}
                None => {
                    self.by_key.insert(key, (index, relation));
                }
            }
        }
    }

    /// The catalogue's vendors, in file order.
    pub fn vendors(&self) -> &[Vendor] {
        &self.vendors
    }

    /// A vendor by index.
    pub fn vendor(&self, index: u32) -> Option<&Vendor> {
        self.vendors.get(index as usize)
    }

    /// A vendor's index by id.
    pub fn index_of(&self, id: &str) -> Option<u32> {
        self.vendors
            .iter()
            .position(|v| v.id == id)
            .and_then(|i| u32::try_from(i).ok())
    }

    /// Whether the catalogue says two vendors must never be treated as one.
    pub fn never_equal(&self, a: u32, b: u32) -> bool {
        self.never.contains(&(a, b))
    }

    /// One name (not split) by its key.
    pub fn lookup(&self, name: &str) -> Option<(u32, Relation)> {
        self.by_key.get(&vendor_key(name)).copied()
    }

    /// Resolves a vendor name, splitting a name that lists several vendors. Never empty for a
    /// non-empty name.
    pub fn resolve(&self, name: &str) -> Vec<VendorRef> {
        let key = vendor_key(name);
        if key.is_empty() {
            return vec![];
        }
        if ANY_VENDOR.contains(&key.as_str()) {
            return vec![VendorRef::Any];
        }
        if let Some((vendor, relation)) = self.by_key.get(&key) {
            return vec![VendorRef::Known {
                vendor: *vendor,
                relation: *relation,
            }];
        }
        let parts = self.split(name);
        if parts.len() <= 1 {
            return vec![self.prefix_or_unknown(name, key)];
        }
        let mut out: Vec<VendorRef> = Vec::new();
        for part in parts {
            let r = match self.by_key.get(&vendor_key(&part)) {
                Some((vendor, relation)) => VendorRef::Known {
                    vendor: *vendor,
                    relation: *relation,
                },
                None => VendorRef::Unknown {
                    key: vendor_key(&part),
                },
            };
            if !out.contains(&r) {
                out.push(r);
            }
        }
        out
    }

    /// [`split_vendors`], except that a comma-separated part the catalogue knows as a whole
    /// ("Hirschmann Automation and Control") is not split at its "and".
    fn split(&self, name: &str) -> Vec<String> {
        let repaired = repair_mojibake(name);
        let mut out = Vec::new();
        for part in repaired.split([',', ';', '/']) {
            if self.by_key.contains_key(&vendor_key(part)) {
                out.push(part.trim().to_string());
            } else {
                out.extend(split_vendors(part));
            }
        }
        out
    }

    /// An unknown name whose leading words are a known vendor ("Yokogawa Electric Europe"): the
    /// longest such prefix, as a brand-strength match; otherwise the name itself, unknown.
    fn prefix_or_unknown(&self, name: &str, key: String) -> VendorRef {
        let spaced = fold_spaced(&repair_mojibake(name));
        let words: Vec<&str> = spaced.split(' ').collect();
        for n in (1..words.len()).rev() {
            if let Some((vendor, _)) = self.by_key.get(&vendor_key(&words[..n].join(" "))) {
                return VendorRef::Known {
                    vendor: *vendor,
                    relation: Relation::Brand,
                };
            }
        }
        VendorRef::Unknown { key }
    }
}

fn problem(vendor: &str, message: impl Into<String>) -> AliasProblem {
    AliasProblem {
        vendor: vendor.to_string(),
        message: message.into(),
    }
}

/// Splits "ABB, Phoenix Contact, Schneider Electric, Siemens, and WAGO" or "Sensormatic
/// Electronics, LLC, a subsidiary of Johnson Controls Inc." into vendor names; legal forms
/// standing alone ("LLC") are dropped.
pub fn split_vendors(name: &str) -> Vec<String> {
    let repaired = repair_mojibake(name);
    let mut out = Vec::new();
    for part in repaired.split([',', ';', '/']) {
        for piece in part.split(" and ") {
            let mut p = piece.trim();
            for lead in [
                "and ",
                "a subsidiary of ",
                "an affiliate of ",
                "formerly ",
                "part of ",
            ] {
                if let Some(rest) = p.strip_prefix(lead) {
                    p = rest.trim();
                }
            }
            if !p.is_empty() && !is_legal_form(p) {
                out.push(p.to_string());
            }
        }
    }
    out
}

/// "LLC", "Inc.", "Co. Ltd": a legal form with no name.
fn is_legal_form(s: &str) -> bool {
    let folded = fold_spaced(s);
    folded.split(' ').all(|w| {
        [
            "inc",
            "inc.",
            "llc",
            "llc.",
            "ltd",
            "ltd.",
            "co",
            "co.",
            "corp",
            "corp.",
            "gmbh",
            "ag",
            "limited",
            "corporation",
            "ltda",
            "me",
            "s.a.",
            "sa",
        ]
        .contains(&w)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vendor(id: &str, en: &str, ja: &str, spellings: &[&str], brands: &[&str]) -> Vendor {
        Vendor {
            id: id.into(),
            name: Text::new(ja, en),
            spellings: spellings.iter().map(|s| s.to_string()).collect(),
            brands: brands.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn catalog() -> VendorCatalog {
        VendorCatalog {
            schema: 1,
            vendors: vec![
                vendor(
                    "mitsubishi-electric",
                    "Mitsubishi Electric",
                    "三菱電機",
                    &[],
                    &["ICONICS"],
                ),
                vendor(
                    "johnson-controls",
                    "Johnson Controls",
                    "ジョンソンコントロールズ",
                    &["Johnson Contols"],
                    &["Kantech", "Sensormatic Electronics"],
                ),
                vendor("hitachi", "Hitachi", "日立製作所", &["Hitachi, Ltd."], &[]),
                vendor("hitachi-energy", "Hitachi Energy", "日立エナジー", &[], &[]),
            ],
            never: vec![NeverEquate {
                vendors: ["hitachi-energy".into(), "hitachi".into()],
                why: Text::new("別会社", "Different companies"),
            }],
        }
    }

    #[test]
    fn spellings_brands_and_lists_resolve() {
        let a = Aliases::new(&catalog()).unwrap();
        let me = a.index_of("mitsubishi-electric").unwrap();
        let jci = a.index_of("johnson-controls").unwrap();
        let known = |vendor, relation| VendorRef::Known { vendor, relation };
        assert_eq!(a.resolve("三菱電機株式会社"), [known(me, Relation::Same)]);
        assert_eq!(
            a.resolve("Mitsubishi Electric Corporation"),
            [known(me, Relation::Same)]
        );
        assert_eq!(
            a.resolve("ＭＩＴＳＵＢＩＳＨＩ ＥＬＥＣＴＲＩＣ"),
            [known(me, Relation::Same)]
        );
        assert_eq!(a.resolve("ICONICS"), [known(me, Relation::Brand)]);
        assert_eq!(
            a.resolve("ICONICS, Mitsubishi Electric"),
            [known(me, Relation::Brand), known(me, Relation::Same)]
        );
        assert_eq!(
            a.resolve("Sensormatic Electronics, LLC, a subsidiary of Johnson Controls Inc."),
            [known(jci, Relation::Brand), known(jci, Relation::Same)]
        );
        assert_eq!(
            a.resolve("Johnson Contols Inc."),
            [known(jci, Relation::Same)]
        );
        assert_eq!(a.resolve("multiple"), [VendorRef::Any]);
        assert_eq!(
            a.resolve("MOXA Inc."),
            [VendorRef::Unknown { key: "moxa".into() }]
        );
        assert_eq!(
            a.resolve("Mitsubishi Electric Europe B.V."),
            [known(me, Relation::Brand)]
        );
        let he = a.index_of("hitachi-energy").unwrap();
        let h = a.index_of("hitachi").unwrap();
        assert!(a.never_equal(he, h));
        assert_eq!(
            a.resolve("Hitachi Energy Japan"),
            [known(he, Relation::Brand)]
        );
        assert_eq!(a.resolve("日立製作所"), [known(h, Relation::Same)]);
    }

    #[test]
    fn a_spelling_of_two_vendors_is_refused() {
        let mut c = catalog();
        c.vendors[3].spellings.push("HITACHI LTD".into());
        c.never[0].vendors[1] = "hitachi-ltd".into();
        let problems = Aliases::new(&c).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].message.contains("also a name of hitachi"),
            "{problems:?}"
        );
        assert!(
            problems[1].message.contains("unknown vendor"),
            "{problems:?}"
        );
    }

    #[test]
    fn lists_of_vendors_split() {
        assert_eq!(
            split_vendors("ABB, Phoenix Contact, Schneider Electric, Siemens, and WAGO"),
            [
                "ABB",
                "Phoenix Contact",
                "Schneider Electric",
                "Siemens",
                "WAGO"
            ]
        );
        assert_eq!(
            split_vendors("General Electric (GE) and Emerson"),
            ["General Electric (GE)", "Emerson"]
        );
        assert_eq!(
            split_vendors("Dahua Technology Co, Ltd"),
            ["Dahua Technology Co"]
        );
    }
}
