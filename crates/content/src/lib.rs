//! kojo's content: checklists, scales, reference tables, baselines, the plant model's words and
//! the risk-analysis methods, parsed from the TOML files under `content/` and validated as a
//! whole (ids unique, references resolve, both languages present, every measure sized, every code
//! labelled). The files are embedded in the binary; [`load_dir`] reads a directory instead so
//! content authors can check their work.

pub mod costs;
mod error;
mod fold;
mod frameworks;
mod glossary;
mod instruments;
mod plant;
mod risk;
mod subsidies;
mod texts;
mod validate;
mod vuln;

use std::collections::HashSet;
use std::path::Path;

use kojo_core::baseline::Baseline;
use kojo_core::checklist::Checklist;
use kojo_core::instrument::Instrument;
use kojo_core::plant::catalog::{Labels, Register};
use kojo_core::reference::{Bands, Cmg, CompanySizes, Industries, Prefectures};
use kojo_core::risk::RuleSet;
use kojo_core::scale::Scale;
use kojo_core::vuln::vendor::VendorCatalog;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::frameworks::FrameworksFile;

pub use error::{ContentError, ContentErrors};
pub use fold::fold;
pub use frameworks::{Framework, RefForm};
pub use glossary::{Glossary, Spelling, Term};
pub use plant::{FACTORY_CHECKLIST, FLAG_CODES, PlantContent, VALUE_FIELDS, asset_fields};
pub use subsidies::Subsidy;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/content_files.rs"));
}

/// Everything in `content/`, parsed and validated.
#[derive(Debug, Clone, Serialize)]
pub struct Catalog {
    pub checklists: Vec<Checklist>,
    pub scales: Vec<Scale>,
    pub industries: Industries,
    pub prefectures: Prefectures,
    pub company_sizes: CompanySizes,
    pub bands: Bands,
    pub cmg: Cmg,
    /// The frameworks checklist items map to (`reference/frameworks.toml`).
    pub frameworks: Vec<Framework>,
    /// The terms the content uses and the one spelling of each word (`reference/glossary.toml`).
    pub glossary: Glossary,
    /// Subsidies examples name (`reference/subsidies.toml`).
    pub subsidies: Vec<Subsidy>,
    pub baselines: Vec<Baseline>,
    /// Questionnaires, with shorthand resolved into explicit options, rows and columns.
    pub instruments: Vec<Instrument>,
    /// The plant model's labels, findings, threats and register vocabulary (`plant/*.toml`).
    pub plant: PlantContent,
    /// The risk-analysis rule sets (`risk/<id>.toml`), in file-name order.
    pub risk_rules: Vec<RuleSet>,
    /// The id of the rule set used unless a site chooses another (`risk/index.toml`).
    pub risk_default: String,
    /// Vendors, their spellings and brands, for matching assets to advisories
    /// (`vuln/vendors.toml`; [`Catalog::vendor_aliases`] builds the lookup).
    pub vendors: VendorCatalog,
}

impl Catalog {
    pub fn instrument(&self, id: &str) -> Option<&Instrument> {
        self.instruments.iter().find(|i| i.id == id)
    }

    pub fn checklist(&self, id: &str, version: u32) -> Option<&Checklist> {
        self.checklists
            .iter()
            .find(|c| c.id == id && c.version == version)
    }

    /// A checklist by its key (`factory-guideline/v1`).
    pub fn checklist_by_key(&self, key: &str) -> Option<&Checklist> {
        self.checklists.iter().find(|c| c.key() == key)
    }

    /// The newest version of a checklist.
    pub fn latest_checklist(&self, id: &str) -> Option<&Checklist> {
        self.checklists
            .iter()
            .filter(|c| c.id == id)
            .max_by_key(|c| c.version)
    }

    pub fn subsidy(&self, id: &str) -> Option<&Subsidy> {
        self.subsidies.iter().find(|s| s.id == id)
    }

    pub fn framework(&self, id: &str) -> Option<&Framework> {
        self.frameworks.iter().find(|f| f.id == id)
    }

    pub fn scale(&self, id: &str) -> Option<&Scale> {
        self.scales.iter().find(|s| s.id == id)
    }

    pub fn baseline(&self, id: &str) -> Option<&Baseline> {
        self.baselines.iter().find(|b| b.id == id)
    }

    /// A risk-analysis rule set by id.
    pub fn risk_rule_set(&self, id: &str) -> Option<&RuleSet> {
        self.risk_rules.iter().find(|r| r.id == id)
    }

    /// The rule set used unless a site chooses another. Always `Some` for a catalogue that
    /// [`load`] returned: validation refuses a default that names no rule set.
    pub fn default_risk_rules(&self) -> Option<&RuleSet> {
        self.risk_rule_set(&self.risk_default)
    }

    /// The national baseline kojo compares with by default.
    pub fn national_baseline(&self) -> &Baseline {
        self.baselines
            .iter()
            .max_by_key(|b| b.year)
            .expect("validated content has a baseline")
    }
}

/// The embedded content files as (path relative to `content/`, text).
pub fn embedded_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    embedded::FILES.iter().copied()
}

/// Parses and validates the content embedded in this binary.
pub fn load_embedded() -> Result<Catalog, ContentErrors> {
    load(embedded_files().map(|(p, t)| (p.to_string(), t.to_string())))
}

/// Parses and validates a content directory on disk (same layout as `content/`).
pub fn load_dir(dir: &Path) -> Result<Catalog, ContentErrors> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files).map_err(|e| {
        ContentErrors::one(ContentError::file(
            dir.display().to_string(),
            format!("cannot read: {e}"),
        ))
    })?;
    files.sort();
    load(files)
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&path)?));
        }
    }
    Ok(())
}

/// Parses and validates a set of content files given as (relative path, text).
pub fn load(files: impl IntoIterator<Item = (String, String)>) -> Result<Catalog, ContentErrors> {
    let mut errors = ContentErrors::default();
    let mut parts = Parts::default();
    for (path, text) in files {
        parts.add(&path, &text, &mut errors);
    }
    let texts = std::mem::take(&mut parts.texts);
    let mut catalog = parts.finish(&mut errors);
    if let Some(catalog) = &mut catalog {
        validate::catalog(catalog, &mut errors);
        glossary::check_spellings(&catalog.glossary, &texts, &mut errors);
        costs::derive(catalog);
        let mut instruments = std::mem::take(&mut catalog.instruments);
        for inst in &mut instruments {
            let file = format!("instruments/{}.toml", inst.id);
            instruments::resolve(catalog, inst, &file, &mut errors);
            instruments::validate(catalog, inst, &mut errors);
        }
        catalog.instruments = instruments;
    }
    match catalog {
        Some(c) if errors.is_empty() => Ok(c),
        _ => Err(errors),
    }
}

/// The parsed files before they are known to be complete, each with the path it came from.
#[derive(Default)]
struct Parts {
    checklists: Vec<(String, Checklist)>,
    scales: Vec<(String, Scale)>,
    industries: Option<Industries>,
    prefectures: Option<Prefectures>,
    company_sizes: Option<CompanySizes>,
    bands: Option<Bands>,
    cmg: Option<Cmg>,
    frameworks: Option<FrameworksFile>,
    glossary: Option<Glossary>,
    subsidies: Option<subsidies::SubsidiesFile>,
    baselines: Vec<(String, Baseline)>,
    instruments: Vec<(String, Instrument)>,
    labels: Option<Labels>,
    findings: Option<plant::FindingsFile>,
    threats: Option<plant::ThreatsFile>,
    register: Option<Register>,
    risk_index: Option<risk::RiskIndex>,
    risk_rules: Vec<(String, RuleSet)>,
    vendors: Option<VendorCatalog>,
    /// Every path given, parsed or not: a file that is there but broken is reported by its
    /// parse error, not as missing.
    seen: HashSet<String>,
    /// Every text of every file, for the glossary's spelling rules.
    texts: Vec<texts::TextAt>,
}

impl Parts {
    fn add(&mut self, path: &str, text: &str, errors: &mut ContentErrors) {
        self.seen.insert(path.to_string());
        let segments: Vec<&str> = path.split('/').collect();
        match segments.as_slice() {
            ["checklists", id, file] => {
                let c = parse_with::<Checklist>(path, text, errors, &mut self.texts, |raw, e| {
                    texts::measure_costs(path, raw, e)
                });
                if let Some(c) = c {
                    validate::checklist_path(path, id, file, &c, errors);
                    self.checklists.push((path.to_string(), c));
                }
            }
            _ => self.add_other(&segments, path, text, errors),
        }
    }

    fn add_other(&mut self, segments: &[&str], path: &str, text: &str, errors: &mut ContentErrors) {
        let t = &mut self.texts;
        match segments {
            ["scales", _] => push(&mut self.scales, path, parse(path, text, errors, t)),
            ["reference", "industries.toml"] => self.industries = parse(path, text, errors, t),
            ["reference", "prefectures.toml"] => self.prefectures = parse(path, text, errors, t),
            ["reference", "company-sizes.toml"] => {
                self.company_sizes = parse(path, text, errors, t)
            }
            ["reference", "bands.toml"] => self.bands = parse(path, text, errors, t),
            ["reference", "cmg.toml"] => self.cmg = parse(path, text, errors, t),
            ["reference", "frameworks.toml"] => self.frameworks = parse(path, text, errors, t),
            ["reference", "glossary.toml"] => self.glossary = parse(path, text, errors, t),
            ["reference", "subsidies.toml"] => self.subsidies = parse(path, text, errors, t),
            ["baselines", _] => push(&mut self.baselines, path, parse(path, text, errors, t)),
            ["instruments", _] => push(&mut self.instruments, path, parse(path, text, errors, t)),
            ["plant", "labels.toml"] => self.labels = parse(path, text, errors, t),
            ["plant", "findings.toml"] => self.findings = parse(path, text, errors, t),
            ["plant", "threats.toml"] => self.threats = parse(path, text, errors, t),
            ["plant", "register.toml"] => self.register = parse(path, text, errors, t),
            ["risk", "index.toml"] => self.risk_index = parse(path, text, errors, t),
            ["vuln", "vendors.toml"] => self.vendors = parse(path, text, errors, t),
            ["risk", file] => {
                if let Some(r) = parse::<RuleSet>(path, text, errors, t) {
                    risk::path(path, file, &r, errors);
                    self.risk_rules.push((path.to_string(), r));
                }
            }
            _ => errors.push(ContentError::file(
                path,
                "unexpected file: not a known kind of content (see docs/content-format.md)",
            )),
        }
    }

    fn finish(self, errors: &mut ContentErrors) -> Option<Catalog> {
        let seen = &self.seen;
        let mut require = |present: bool, what: &str| {
            if !present && !seen.contains(what) {
                errors.push(ContentError::file(what, "required file is missing"));
            }
        };
        require(self.industries.is_some(), "reference/industries.toml");
        require(self.prefectures.is_some(), "reference/prefectures.toml");
        require(self.company_sizes.is_some(), "reference/company-sizes.toml");
        require(self.bands.is_some(), "reference/bands.toml");
        require(self.cmg.is_some(), "reference/cmg.toml");
        require(self.frameworks.is_some(), "reference/frameworks.toml");
        require(self.glossary.is_some(), glossary::FILE);
        require(self.subsidies.is_some(), subsidies::FILE);
        require(!self.baselines.is_empty(), "baselines/*.toml");
        require(!self.scales.is_empty(), "scales/*.toml");
        require(!self.checklists.is_empty(), "checklists/*/v*.toml");
        require(self.labels.is_some(), plant::LABELS);
        require(self.findings.is_some(), plant::FINDINGS);
        require(self.threats.is_some(), plant::THREATS);
        require(self.register.is_some(), plant::REGISTER);
        require(self.risk_index.is_some(), risk::INDEX);
        require(!self.risk_rules.is_empty(), "risk/*.toml");
        require(self.vendors.is_some(), vuln::VENDORS);
        Some(Catalog {
            checklists: self.checklists.into_iter().map(|(_, c)| c).collect(),
            scales: self.scales.into_iter().map(|(_, s)| s).collect(),
            industries: self.industries?,
            prefectures: self.prefectures?,
            company_sizes: self.company_sizes?,
            bands: self.bands?,
            cmg: self.cmg?,
            frameworks: self.frameworks?.frameworks,
            glossary: self.glossary?,
            subsidies: self.subsidies?.subsidies,
            baselines: self.baselines.into_iter().map(|(_, b)| b).collect(),
            instruments: self.instruments.into_iter().map(|(_, i)| i).collect(),
            plant: PlantContent {
                labels: self.labels?,
                findings: self.findings?.findings,
                threats: self.threats?.threats,
                register: self.register?,
            },
            risk_rules: self.risk_rules.into_iter().map(|(_, r)| r).collect(),
            risk_default: self.risk_index?.default,
            vendors: self.vendors?,
        })
        .filter(|c| {
            !c.checklists.is_empty()
                && !c.scales.is_empty()
                && !c.baselines.is_empty()
                && !c.risk_rules.is_empty()
        })
    }
}

fn push<T>(into: &mut Vec<(String, T)>, path: &str, value: Option<T>) {
    if let Some(v) = value {
        into.push((path.to_string(), v));
    }
}

/// Parses one file: TOML syntax and shape (with line and column), then bilingual completeness;
/// its texts are added to `texts`.
fn parse<T: DeserializeOwned>(
    path: &str,
    text: &str,
    errors: &mut ContentErrors,
    texts: &mut Vec<texts::TextAt>,
) -> Option<T> {
    parse_with(path, text, errors, texts, |_, _| {})
}

/// [`parse`], with a check of the raw table before the shape is read.
fn parse_with<T: DeserializeOwned>(
    path: &str,
    text: &str,
    errors: &mut ContentErrors,
    texts: &mut Vec<texts::TextAt>,
    raw_check: impl FnOnce(&toml::Table, &mut ContentErrors),
) -> Option<T> {
    let raw: toml::Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            errors.push(ContentError::file(path, e.to_string().trim_end()));
            return None;
        }
    };
    texts.extend(texts::check(path, &raw, errors));
    raw_check(&raw, errors);
    match toml::from_str::<T>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(ContentError::file(path, e.to_string().trim_end()));
            None
        }
    }
}
