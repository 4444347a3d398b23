//! Which assets an advisory concerns: an [`Index`] over every product leaf of a set of
//! advisories, queried with one asset at a time.
//!
//! The index keys leaves by vendor (through [`Aliases`], so 三菱電機, Mitsubishi Electric
//! Corporation and ICONICS land together; a name that lists several vendors lands with each),
//! then by designator (model and order numbers, compact), by normalised product name and by
//! name words. A query looks only at its vendor's leaves and, within them, only at keys the asset
//! has: matching is never a cross product of assets and advisories.
//!
//! Each (asset, advisory, CVE) gets one [`Finding`]: a [`Verdict`], a [`Confidence`] in the
//! OASIS SBOM-matching style (identifiers 1.00 / 0.95 / 0.90, name only 0.70, partial 0.50;
//! × 0.90 through a brand) and the [`Reason`]s. The rules, in `docs/vulnerabilities.md`:
//!
//! - **Affected** needs the vendor and the product (an identifier or the whole name) to match
//!   and the asset's version to be inside the advisory's versions, with no condition attached.
//! - **Needs checking** (要確認) whenever that cannot be told: the advisory's version text was
//!   not understood, a condition is attached, the asset has no (readable) version, the product
//!   matched only partly, the vendor is not named, or an order number contradicts the
//!   advisory's. Never "not affected" for these.
//! - **Not affected** when the product matched and the version is outside every range, or the
//!   advisory lists the product as fixed or not affected at the asset's version.

use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

use super::advisory::{Advisory, BranchCategory, Justification, Product, StatusKind};
use super::product::{DesignatorSource, IdLevel, ProductName, asset_words};
use super::sbom::{Cpe, Purl};
use super::spec::{Eval, ParseStatus, Uncertain, VersionSpec};
use super::text::{compact, upper_no_space, vendor_key};
use super::vendor::{Aliases, Relation, VendorRef};
use super::version::Version;
use super::vex::{VexStatement, VexStatus};
use crate::codes;
use crate::plant::Asset;

codes!(
    /// What kojo concludes for one asset, advisory and CVE.
    Verdict {
        Affected = "affected",
        /// 要確認: kojo cannot tell; a person must look.
        NeedsChecking = "needs_checking",
        NotAffected = "not_affected",
    }
);

impl Verdict {
    /// Affected > needs checking > not affected, for picking one finding among several.
    fn rank(self) -> u8 {
        match self {
            Verdict::Affected => 2,
            Verdict::NeedsChecking => 1,
            Verdict::NotAffected => 0,
        }
    }
}

/// How sure kojo is that the advisory's product is the asset, in hundredths (OASIS levels:
/// 100 exact identifier, 95 ignoring case, 90 ignoring separators or through a pattern, 70
/// name only, 50 partial; a brand or a vendor named in part multiplies by 0.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Confidence(pub u8);

impl Confidence {
    pub fn value(self) -> f32 {
        f32::from(self.0) / 100.0
    }

    /// This confidence × `percent` / 100.
    pub fn times(self, percent: u8) -> Confidence {
        let v = u16::from(self.0) * u16::from(percent) / 100;
        Confidence(u8::try_from(v).unwrap_or(100))
    }
}

codes!(
    /// The asset field an identifier came from.
    AssetField {
        Model = "model",
        OrderNumber = "order_number",
        Product = "product",
        /// An SBOM component's package URL.
        Purl = "purl",
        /// An SBOM component's CPE.
        Cpe = "cpe",
    }
);

/// How the vendor matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VendorHow {
    /// The same name once folded (case, width, legal form, spaces).
    Folded,
    /// A spelling the vendor catalogue lists (三菱電機 for Mitsubishi Electric).
    Alias,
    /// A brand or subsidiary, or the vendor's name followed by more words (× 0.9).
    Brand,
    /// The advisory names no single vendor ("multiple"): the product alone matched.
    NotNamed,
    /// A package URL or CPE identifies the product; the vendor is part of it.
    Identifier,
}

/// How the product name matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameHow {
    /// The same normalised name.
    Equal,
    /// The advisory names a family the asset's product and model fall in ("MELSEC iQ-R").
    Family,
    /// The asset's product is written less precisely than the advisory's.
    AssetLessPrecise,
    /// The asset's model or order number is a model-like word that does not single out one
    /// product: a family word (`S7-1500`) or a word the advisory uses for several of its
    /// products (`800M` in "MMS Server for AC 800M" and "OPC Server for AC 800M").
    DesignatorInName,
}

/// Why a finding says what it says. Data only; pages word it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    Vendor {
        how: VendorHow,
    },
    /// An asset identifier equal to (or matching the pattern of) a designator of the product.
    Identifier {
        field: AssetField,
        level: IdLevel,
        source: DesignatorSource,
    },
    Name {
        how: NameHow,
    },
    /// What the version check said.
    Version {
        eval: Eval,
    },
    /// The advisory's product status for the CVE.
    Status {
        kind: StatusKind,
    },
    /// The advisory attaches a condition (see the leaf's spec).
    Condition,
    /// The asset has an order number and the advisory lists others for this product.
    OrderNumberDiffers,
    /// The product is a component installed on a device the asset matched.
    InstalledOn,
    /// A VEX statement (index into the statements given to [`apply_vex`]) decided or
    /// confirmed the verdict.
    Vex {
        statement: u32,
        status: VexStatus,
        justification: Option<Justification>,
    },
    /// Matched as an SBOM component through its name, not an identifier (× 0.9).
    ComponentName,
}

/// Why a finding says what it says, as fields (kept small: a plant has many findings).
/// [`Reasons::list`] gives the same as a list of [`Reason`]s, one sentence each on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reasons {
    pub vendor: VendorHow,
    pub product: ProductHow,
    pub status: StatusKind,
    pub version: Eval,
    /// The advisory attaches a condition to the versions.
    pub condition: bool,
    pub order_number_differs: bool,
    pub installed_on: bool,
    /// Matched as an SBOM component through its name.
    pub component_name: bool,
    /// The VEX statement that decided or confirmed the verdict.
    pub vex: Option<VexReason>,
}

/// A VEX statement applied to a finding (index into the statements given to [`apply_vex`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VexReason {
    pub statement: u32,
    pub status: VexStatus,
    pub justification: Option<Justification>,
}

impl Reasons {
    /// The reasons one by one, in the order a page shows them.
    pub fn list(&self) -> Vec<Reason> {
        let mut out = vec![Reason::Vendor { how: self.vendor }, self.product.reason()];
        if self.installed_on {
            out.push(Reason::InstalledOn);
        }
        if self.component_name {
            out.push(Reason::ComponentName);
        }
        out.push(Reason::Status { kind: self.status });
        out.push(Reason::Version { eval: self.version });
        if self.condition {
            out.push(Reason::Condition);
        }
        if self.order_number_differs {
            out.push(Reason::OrderNumberDiffers);
        }
        if let Some(v) = self.vex {
            out.push(Reason::Vex {
                statement: v.statement,
                status: v.status,
                justification: v.justification,
            });
        }
        out
    }

    pub fn contains(&self, reason: &Reason) -> bool {
        self.list().contains(reason)
    }
}

/// What an asset is matched on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetQuery {
    pub vendor: String,
    pub product: String,
    /// 形名 / 形式 / 型番.
    pub model: String,
    pub order_number: String,
    pub version: String,
}

impl AssetQuery {
    pub fn from_asset(a: &Asset) -> AssetQuery {
        AssetQuery {
            vendor: a.vendor.clone(),
            product: a.product.clone(),
            model: a.model.clone(),
            order_number: a.order_number.clone(),
            version: a.version.clone(),
        }
    }
}

/// One conclusion for (asset, advisory, CVE).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Index into [`Index::advisories`].
    pub advisory: u32,
    /// The leaf that decided (see [`Index::leaf`]).
    pub leaf: u32,
    /// Index into the advisory's `vulnerabilities`.
    pub vulnerability: u32,
    pub verdict: Verdict,
    pub confidence: Confidence,
    pub reasons: Reasons,
}

/// An advisory product as indexed.
#[derive(Debug, Clone)]
pub struct Leaf {
    pub advisory: u32,
    /// The product id (a leaf of the tree or a relationship's product).
    pub product_id: String,
    pub vendor: Vec<VendorRef>,
    pub name: ProductName,
    pub spec: VersionSpec,
    /// (vulnerability index, status) for every CVE that names the product.
    pub statuses: Vec<(u32, StatusKind)>,
    /// The advisory lists model numbers (order numbers) for the product.
    pub has_model_numbers: bool,
    /// Built from an `installed_on`/`installed_with` relationship.
    pub installed_on: bool,
    pub purl: Option<Purl>,
    pub cpe: Option<Cpe>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Bucket {
    Known(u32),
    Key(String),
    Any,
}

/// Leaves of one vendor.
#[derive(Debug, Default)]
struct VendorLeaves {
    /// Compact designator → (leaf, designator index).
    designators: FxHashMap<String, Vec<(u32, u16)>>,
    /// Designators with wildcards.
    patterns: Vec<(u32, u16)>,
    names: FxHashMap<String, Vec<u32>>,
    /// Word → leaves with it.
    postings: FxHashMap<String, Vec<u32>>,
    /// Each leaf once, under its rarest word.
    rarest: FxHashMap<String, Vec<u32>>,
}

/// The index; build it once per advisory set ([`Index::build`]), query per asset.
#[derive(Debug)]
pub struct Index {
    advisories: Vec<Advisory>,
    leaves: Vec<Leaf>,
    buckets: FxHashMap<Bucket, VendorLeaves>,
    /// purl package key → leaves.
    purls: HashMap<String, Vec<u32>>,
    /// (CPE vendor, product), lower case → leaves.
    cpes: HashMap<(String, String), Vec<u32>>,
    aliases: Aliases,
}

/// Postings longer than this are not scanned for an asset written less precisely than the
/// advisory (it would name a whole product line).
const MAX_SCAN: usize = 1000;

impl Index {
    /// Indexes every product of every advisory that a vulnerability names.
    pub fn build(advisories: Vec<Advisory>, aliases: Aliases) -> Index {
        let mut leaves = Vec::new();
        for (ai, a) in advisories.iter().enumerate() {
            let Ok(ai) = u32::try_from(ai) else { break };
            leaves_of(ai, a, &aliases, &mut leaves);
        }
        let mut index = Index {
            advisories,
            leaves,
            buckets: FxHashMap::default(),
            purls: HashMap::new(),
            cpes: HashMap::new(),
            aliases,
        };
        index.fill_buckets();
        index
    }

    fn fill_buckets(&mut self) {
        for (li, leaf) in self.leaves.iter().enumerate() {
            let Ok(li) = u32::try_from(li) else { break };
            if let Some(p) = &leaf.purl {
                self.purls.entry(p.package_key()).or_default().push(li);
            }
            if let Some(c) = &leaf.cpe {
                let key = (c.vendor.to_lowercase(), c.product.to_lowercase());
                self.cpes.entry(key).or_default().push(li);
            }
            let mut seen = HashSet::new();
            for r in &leaf.vendor {
                let bucket = match r {
                    VendorRef::Known { vendor, .. } => Bucket::Known(*vendor),
                    VendorRef::Unknown { key } => Bucket::Key(key.clone()),
                    VendorRef::Any => Bucket::Any,
                };
                if seen.insert(bucket.clone()) {
                    self.buckets.entry(bucket).or_default().add(li, leaf);
                }
            }
        }
        for b in self.buckets.values_mut() {
            b.finish(&self.leaves);
        }
    }

    pub fn advisories(&self) -> &[Advisory] {
        &self.advisories
    }

    pub fn advisory(&self, f: &Finding) -> Option<&Advisory> {
        self.advisories.get(f.advisory as usize)
    }

    pub fn leaf(&self, index: u32) -> Option<&Leaf> {
        self.leaves.get(index as usize)
    }

    pub fn leaves(&self) -> &[Leaf] {
        &self.leaves
    }

    pub fn aliases(&self) -> &Aliases {
        &self.aliases
    }

    /// The CVE of a finding, if its vulnerability has one.
    pub fn cve(&self, f: &Finding) -> Option<&str> {
        self.advisory(f)?
            .vulnerabilities
            .get(f.vulnerability as usize)?
            .cve
            .as_deref()
    }

    /// Leaves whose identification helper has this purl package key.
    pub(super) fn leaves_by_purl(&self, key: &str) -> &[u32] {
        self.purls.get(key).map_or(&[], Vec::as_slice)
    }

    /// Leaves whose identification helper has this CPE vendor and product (lower case).
    pub(super) fn leaves_by_cpe(&self, vendor: &str, product: &str) -> &[u32] {
        self.cpes
            .get(&(vendor.to_lowercase(), product.to_lowercase()))
            .map_or(&[], Vec::as_slice)
    }

    /// Every finding for one asset, one per (advisory, vulnerability), in advisory order.
    pub fn match_asset(&self, asset: &AssetQuery) -> Vec<Finding> {
        if asset.vendor.trim().is_empty() {
            return vec![];
        }
        self.match_in(asset, &self.buckets_for(&asset.vendor))
    }

    /// Matches an asset within the vendor buckets already resolved for its vendor.
    fn match_in(&self, asset: &AssetQuery, buckets: &[(Bucket, VendorHow)]) -> Vec<Finding> {
        let candidates = self.candidates(asset, buckets);
        self.judge_candidates(asset, &candidates)
    }

    /// The leaves an asset's product may be, best match per leaf, in leaf order. Depends on the
    /// vendor, product, model and order number only (not the version).
    fn candidates(&self, asset: &AssetQuery, buckets: &[(Bucket, VendorHow)]) -> Vec<Candidate> {
        let prepared = Prepared::of(asset);
        let mut candidates: Vec<Candidate> = Vec::new();
        for (bucket, how) in buckets {
            let Some(leaves) = self.buckets.get(bucket) else {
                continue;
            };
            leaves.candidates(&prepared, &self.leaves, &mut |li, m| {
                let how = leaf_vendor_how(&self.leaves[li as usize], bucket, *how);
                candidates.push((li, m, how));
            });
        }
        let strength = |c: &Candidate| (c.1.strength(), vendor_factor(c.2));
        candidates.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| strength(b).cmp(&strength(a))));
        candidates.dedup_by_key(|c| c.0);
        candidates
    }

    /// The findings of an asset from its candidates: one per (advisory, vulnerability).
    fn judge_candidates(&self, asset: &AssetQuery, candidates: &[Candidate]) -> Vec<Finding> {
        let version = AssetVersion::of(&asset.version);
        let mut found = Vec::with_capacity(candidates.len());
        for &(li, m, how) in candidates {
            let leaf = &self.leaves[li as usize];
            self.judge_into(li, leaf, m, how, asset, &version, &mut found);
        }
        // One finding per (advisory, vulnerability): the most confident, then the most
        // affected, then the first leaf.
        let rank = |f: &Finding| {
            (
                std::cmp::Reverse(f.confidence),
                std::cmp::Reverse(f.verdict.rank()),
                f.leaf,
            )
        };
        found.sort_by(|a, b| {
            (a.advisory, a.vulnerability)
                .cmp(&(b.advisory, b.vulnerability))
                .then_with(|| rank(a).cmp(&rank(b)))
        });
        found.dedup_by_key(|f| (f.advisory, f.vulnerability));
        found
    }

    /// [`Index::match_asset`] for many assets, on every core the machine has; results in the
    /// order of `assets`.
    pub fn match_assets(&self, assets: &[AssetQuery]) -> Vec<Vec<Finding>> {
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .max(1);
        let chunk = assets.len().div_ceil(threads).max(1);
        std::thread::scope(|scope| {
            let handles: Vec<_> = assets
                .chunks(chunk)
                .map(|part| scope.spawn(move || self.match_part(part)))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        })
    }

    /// Matches assets one after the other, resolving each vendor spelling once.
    /// Assets of the same vendor spelling share the vendor lookup, and assets of the same
    /// product (vendor, product, model, order number) share the product lookup: a plant has
    /// many of the same controller at different firmware versions.
    fn match_part(&self, assets: &[AssetQuery]) -> Vec<Vec<Finding>> {
        let mut vendors: FxHashMap<&str, Vec<(Bucket, VendorHow)>> = FxHashMap::default();
        type Product<'a> = (&'a str, &'a str, &'a str, &'a str);
        let mut products: FxHashMap<Product<'_>, Vec<Candidate>> = FxHashMap::default();
        assets
            .iter()
            .map(|a| {
                if a.vendor.trim().is_empty() {
                    return vec![];
                }
                let key = (
                    a.vendor.as_str(),
                    a.product.as_str(),
                    a.model.as_str(),
                    a.order_number.as_str(),
                );
                let candidates = products.entry(key).or_insert_with(|| {
                    let buckets = vendors
                        .entry(a.vendor.as_str())
                        .or_insert_with(|| self.buckets_for(&a.vendor));
                    self.candidates(a, buckets)
                });
                self.judge_candidates(a, candidates)
            })
            .collect()
    }

    /// The buckets an asset's vendor opens, with how the vendor matched.
    fn buckets_for(&self, vendor: &str) -> Vec<(Bucket, VendorHow)> {
        let mut out = Vec::new();
        for r in self.aliases.resolve(vendor) {
            match r {
                VendorRef::Known {
                    vendor: v,
                    relation,
                } => {
                    let how = match relation {
                        Relation::Same => VendorHow::Alias,
                        Relation::Brand => VendorHow::Brand,
                    };
                    out.push((Bucket::Known(v), how));
                }
                VendorRef::Unknown { key } => out.push((Bucket::Key(key), VendorHow::Folded)),
                VendorRef::Any => {}
            }
        }
        out.push((Bucket::Any, VendorHow::NotNamed));
        out
    }

    /// The findings of one leaf for an asset whose product matched it.
    pub(super) fn judge(
        &self,
        li: u32,
        leaf: &Leaf,
        m: ProductHow,
        how: VendorHow,
        asset: &AssetQuery,
        version: &AssetVersion,
    ) -> Vec<Finding> {
        let mut out = Vec::new();
        self.judge_into(li, leaf, m, how, asset, version, &mut out);
        out
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "the hot path: one call per candidate leaf, no intermediate struct"
    )]
    fn judge_into(
        &self,
        li: u32,
        leaf: &Leaf,
        m: ProductHow,
        how: VendorHow,
        asset: &AssetQuery,
        version: &AssetVersion,
        out: &mut Vec<Finding>,
    ) {
        let advisory = &self.advisories[leaf.advisory as usize];
        let leaf_how = how;
        let confidence = m.confidence().times(vendor_factor(leaf_how));
        let eval = version.evaluate(&leaf.spec);
        // The advisory lists order numbers for the product, the asset has another one.
        let by_order_number = matches!(
            m,
            ProductHow::Identifier {
                field: AssetField::OrderNumber,
                ..
            }
        );
        let order_conflict =
            !by_order_number && leaf.has_model_numbers && !asset.order_number.trim().is_empty();
        for (vi, kind) in &leaf.statuses {
            let cve = advisory.vulnerabilities[*vi as usize].cve.as_deref();
            if !leaf.spec.cves.is_empty()
                && !cve.is_some_and(|c| leaf.spec.cves.iter().any(|x| x == c))
            {
                continue;
            }
            let Some(verdict) = verdict(*kind, eval, &m, leaf_how, order_conflict) else {
                continue;
            };
            out.push(Finding {
                advisory: leaf.advisory,
                leaf: li,
                vulnerability: *vi,
                verdict,
                confidence,
                reasons: Reasons {
                    vendor: leaf_how,
                    product: m,
                    status: *kind,
                    version: eval,
                    condition: !leaf.spec.conditions.is_empty(),
                    order_number_differs: order_conflict,
                    installed_on: leaf.installed_on,
                    component_name: false,
                    vex: None,
                },
            });
        }
    }
}

/// The query's vendor match, weakened to a brand match when the leaf names the vendor only
/// through a brand (an ICONICS advisory for an asset recorded as Mitsubishi Electric).
fn leaf_vendor_how(leaf: &Leaf, bucket: &Bucket, how: VendorHow) -> VendorHow {
    let Bucket::Known(v) = bucket else {
        return how;
    };
    let same = leaf
        .vendor
        .iter()
        .any(|r| matches!(r, VendorRef::Known { vendor, relation: Relation::Same } if vendor == v));
    if how == VendorHow::Alias && !same {
        VendorHow::Brand
    } else {
        how
    }
}

fn vendor_factor(how: VendorHow) -> u8 {
    match how {
        VendorHow::Folded | VendorHow::Alias | VendorHow::Identifier => 100,
        VendorHow::Brand => 90,
        VendorHow::NotNamed => 70,
    }
}

/// The verdict of one leaf status; `None` when the leaf says nothing about the asset.
fn verdict(
    kind: StatusKind,
    eval: Eval,
    m: &ProductHow,
    vendor: VendorHow,
    order_conflict: bool,
) -> Option<Verdict> {
    let firm = m.firm() && vendor != VendorHow::NotNamed && !order_conflict;
    if kind.not_affected() {
        // "Fixed in / not affected at these versions": only when the asset's version is one.
        return (eval == Eval::Affected && firm).then_some(Verdict::NotAffected);
    }
    if !(kind.affected() || kind == StatusKind::UnderInvestigation) {
        return None;
    }
    Some(match eval {
        Eval::Affected if firm && kind.affected() => Verdict::Affected,
        Eval::NotAffected if firm => Verdict::NotAffected,
        // A partial match outside the versions says nothing.
        Eval::NotAffected if !m.firm() => return None,
        _ => Verdict::NeedsChecking,
    })
}

/// How the product matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum ProductHow {
    /// An asset identifier equal to (or matching the pattern of) a designator of the product.
    Identifier {
        field: AssetField,
        level: IdLevel,
        source: DesignatorSource,
    },
    Name(NameHow),
}

impl ProductHow {
    /// Identifier or whole name: enough for "affected".
    pub fn firm(&self) -> bool {
        matches!(
            self,
            ProductHow::Identifier { .. } | ProductHow::Name(NameHow::Equal)
        )
    }

    /// The OASIS-style confidence of the product match alone.
    pub fn confidence(&self) -> Confidence {
        Confidence(match self {
            // A word of the product field is weaker evidence than the model or order number.
            ProductHow::Identifier {
                field: AssetField::Product,
                ..
            } => 70,
            ProductHow::Identifier { level, .. } => level.confidence(),
            ProductHow::Name(NameHow::Equal) => 70,
            ProductHow::Name(_) => 50,
        })
    }

    /// For keeping the best match of a leaf.
    fn strength(&self) -> u8 {
        self.confidence().0
    }

    /// The same, as a [`Reason`].
    pub fn reason(&self) -> Reason {
        match *self {
            ProductHow::Identifier {
                field,
                level,
                source,
            } => Reason::Identifier {
                field,
                level,
                source,
            },
            ProductHow::Name(how) => Reason::Name { how },
        }
    }
}

/// One identifier of an asset, in the forms the lookups compare.
struct PreparedId {
    field: AssetField,
    /// As written, trimmed.
    trimmed: String,
    /// NFKC, upper case, no white space.
    upper: String,
    compact: String,
    chars: Vec<char>,
}

/// A leaf an asset may be: (leaf, how the product matched, how the vendor matched).
type Candidate = (u32, ProductHow, VendorHow);

/// An asset's texts normalised once for all lookups.
struct Prepared {
    /// (field, as written, compact, compact as characters) for the order number, the model and
    /// every word of the product; compact forms shorter than 3 characters are left out.
    ids: Vec<PreparedId>,
    /// Normalised product, product + model, and model.
    name_keys: Vec<String>,
    /// The words of product and model, sorted, each once.
    words: Vec<String>,
    has_identifier: bool,
}

impl Prepared {
    fn of(asset: &AssetQuery) -> Prepared {
        let mut ids = Vec::new();
        let raws = [
            (AssetField::OrderNumber, asset.order_number.as_str()),
            (AssetField::Model, asset.model.as_str()),
        ]
        .into_iter()
        .chain(
            asset
                .product
                .split([' ', ','])
                .map(|w| (AssetField::Product, w)),
        );
        for (field, raw) in raws {
            let key = compact(raw);
            if key.chars().count() >= 3 {
                ids.push(PreparedId {
                    field,
                    trimmed: raw.trim().to_string(),
                    upper: upper_no_space(raw),
                    chars: key.chars().collect(),
                    compact: key,
                });
            }
        }
        let product = asset_words(&asset.product);
        let model = asset_words(&asset.model);
        let combined: Vec<String> = product.iter().chain(&model).cloned().collect();
        let mut name_keys: Vec<String> = [product.join(" "), combined.join(" "), model.join(" ")]
            .into_iter()
            .filter(|k| !k.is_empty())
            .collect();
        name_keys.dedup();
        let mut words = combined;
        words.sort();
        words.dedup();
        Prepared {
            ids,
            name_keys,
            words,
            has_identifier: !asset.model.trim().is_empty() || !asset.order_number.trim().is_empty(),
        }
    }
}

/// The asset's version as the checks need it.
pub(super) enum AssetVersion {
    Missing,
    Unparsed,
    Parsed(Version),
}

impl AssetVersion {
    pub(super) fn of(text: &str) -> AssetVersion {
        if text.trim().is_empty() {
            return AssetVersion::Missing;
        }
        match Version::parse_loose(text) {
            Some(v) => AssetVersion::Parsed(v),
            None => AssetVersion::Unparsed,
        }
    }

    fn evaluate(&self, spec: &VersionSpec) -> Eval {
        match self {
            AssetVersion::Parsed(v) => spec.evaluate(Some(v)),
            AssetVersion::Missing => spec.evaluate(None),
            AssetVersion::Unparsed => match spec.evaluate(None) {
                Eval::Unknown(Uncertain::AssetVersionMissing) => {
                    Eval::Unknown(Uncertain::AssetVersionUnparsed)
                }
                e => e,
            },
        }
    }
}

impl VendorLeaves {
    fn add(&mut self, li: u32, leaf: &Leaf) {
        for (di, d) in leaf.name.designators.iter().enumerate() {
            let Ok(di) = u16::try_from(di) else { break };
            if d.pattern.is_some() {
                self.patterns.push((li, di));
            } else {
                self.designators
                    .entry(d.compact.clone())
                    .or_default()
                    .push((li, di));
            }
        }
        let keys = std::iter::once(&leaf.name.key).chain(&leaf.name.alternatives);
        for k in keys.filter(|k| !k.is_empty()) {
            self.names.entry(k.clone()).or_default().push(li);
        }
        let words: HashSet<&String> = leaf.name.words.iter().collect();
        for w in words {
            self.postings.entry(w.clone()).or_default().push(li);
        }
    }

    /// Files every leaf under its rarest word.
    fn finish(&mut self, leaves: &[Leaf]) {
        let mut rarest: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        let mut done = HashSet::new();
        for list in self.postings.values() {
            for li in list {
                if !done.insert(*li) {
                    continue;
                }
                let leaf = &leaves[*li as usize];
                if let Some(w) = leaf
                    .name
                    .words
                    .iter()
                    .min_by_key(|w| self.postings.get(*w).map_or(0, Vec::len))
                {
                    rarest.entry(w.clone()).or_default().push(*li);
                }
            }
        }
        self.rarest = rarest;
    }

    /// Every leaf of this vendor the asset may be, with how.
    fn candidates(&self, asset: &Prepared, leaves: &[Leaf], put: &mut impl FnMut(u32, ProductHow)) {
        self.by_identifiers(asset, leaves, put);
        self.by_names(asset, put);
        self.by_words(asset, leaves, put);
    }

    fn by_identifiers(
        &self,
        asset: &Prepared,
        leaves: &[Leaf],
        put: &mut impl FnMut(u32, ProductHow),
    ) {
        for id in &asset.ids {
            let field = id.field;
            for (li, di) in self.designators.get(&id.compact).into_iter().flatten() {
                let d = &leaves[*li as usize].name.designators[*di as usize];
                let level = d.level(&id.trimmed, &id.upper);
                if field == AssetField::Product {
                    // A model word of the asset's product text singles a leaf out only when it
                    // is the leaf's whole name; a family word there says nothing (the word
                    // matching below finds the families the asset belongs to).
                    if !d.family && leaves[*li as usize].name.words.len() <= 1 {
                        put(
                            *li,
                            ProductHow::Identifier {
                                field,
                                level,
                                source: d.source,
                            },
                        );
                    }
                    continue;
                }
                put(
                    *li,
                    if d.family {
                        ProductHow::Name(NameHow::DesignatorInName)
                    } else {
                        ProductHow::Identifier {
                            field,
                            level,
                            source: d.source,
                        }
                    },
                );
            }
            if field == AssetField::Product {
                continue;
            }
            for (li, di) in &self.patterns {
                let d = &leaves[*li as usize].name.designators[*di as usize];
                if d.pattern_matches(&id.chars) {
                    put(
                        *li,
                        ProductHow::Identifier {
                            field,
                            level: IdLevel::Pattern,
                            source: d.source,
                        },
                    );
                }
            }
        }
    }

    fn by_names(&self, asset: &Prepared, put: &mut impl FnMut(u32, ProductHow)) {
        for k in &asset.name_keys {
            for li in self.names.get(k).into_iter().flatten() {
                put(*li, ProductHow::Name(NameHow::Equal));
            }
        }
    }

    /// Family names the asset falls in, and products the asset names less precisely.
    fn by_words(&self, asset: &Prepared, leaves: &[Leaf], put: &mut impl FnMut(u32, ProductHow)) {
        let words = &asset.words;
        if words.is_empty() {
            return;
        }
        for w in words {
            for li in self.rarest.get(w).into_iter().flatten() {
                let leaf_words = &leaves[*li as usize].name.words;
                if !leaf_words.is_empty() && leaf_words.iter().all(|x| words.contains(x)) {
                    put(*li, ProductHow::Name(NameHow::Family));
                }
            }
        }
        let precise_enough = words.len() >= 2
            || words
                .iter()
                .any(|w| w.contains(|c: char| c.is_ascii_digit()));
        let no_identifier = !asset.has_identifier;
        if !(precise_enough && no_identifier) {
            return;
        }
        let rarest = words
            .iter()
            .filter_map(|w| self.postings.get(w))
            .min_by_key(|l| l.len());
        let Some(list) = rarest.filter(|l| l.len() <= MAX_SCAN) else {
            return;
        };
        for li in list {
            let leaf_words = &leaves[*li as usize].name.words;
            if leaf_words.len() > words.len() && words.iter().all(|w| leaf_words.contains(w)) {
                put(*li, ProductHow::Name(NameHow::AssetLessPrecise));
            }
        }
    }
}

/// The leaves of one advisory: every product a vulnerability's status names, and every
/// relationship product (a component installed on a device).
fn leaves_of(ai: u32, a: &Advisory, aliases: &Aliases, out: &mut Vec<Leaf>) {
    let first = out.len();
    collect_leaves(ai, a, aliases, out);
    mark_shared_designators(&mut out[first..]);
}

/// A model-like word of the name that the advisory uses for products of different names is a
/// family word there (`800M` in "MMS Server for AC 800M" and "OPC Server for AC 800M").
fn mark_shared_designators(leaves: &mut [Leaf]) {
    let mut names: HashMap<String, HashSet<String>> = HashMap::new();
    for l in leaves.iter() {
        for d in l
            .name
            .designators
            .iter()
            .filter(|d| d.source == DesignatorSource::Name)
        {
            names
                .entry(d.compact.clone())
                .or_default()
                .insert(l.name.key.clone());
        }
    }
    for l in leaves.iter_mut() {
        for d in l
            .name
            .designators
            .iter_mut()
            .filter(|d| d.source == DesignatorSource::Name)
        {
            if names.get(&d.compact).is_some_and(|n| n.len() > 1) {
                d.family = true;
            }
        }
    }
}

fn collect_leaves(ai: u32, a: &Advisory, aliases: &Aliases, out: &mut Vec<Leaf>) {
    let mut statuses: HashMap<&str, Vec<(u32, StatusKind)>> = HashMap::new();
    for (vi, v) in a.vulnerabilities.iter().enumerate() {
        let Ok(vi) = u32::try_from(vi) else { break };
        for s in &v.status {
            for p in &s.products {
                statuses.entry(p.as_str()).or_default().push((vi, s.kind));
            }
        }
    }
    for p in &a.products {
        if let Some(st) = statuses.get(p.id.as_str()) {
            out.push(leaf(ai, p, None, st.clone(), aliases));
        }
    }
    for r in &a.relationships {
        let (Some(st), Some(target), Some(component)) = (
            statuses.get(r.product_id.as_str()),
            a.product(&r.target),
            a.product(&r.component),
        ) else {
            continue;
        };
        let mut l = leaf(ai, target, Some(component), st.clone(), aliases);
        l.product_id = r.product_id.clone();
        l.installed_on = true;
        out.push(l);
    }
}

/// A leaf from a product; with `component`, the product is the device and the component's
/// version is the one that matters.
fn leaf(
    ai: u32,
    p: &Product,
    component: Option<&Product>,
    statuses: Vec<(u32, StatusKind)>,
    aliases: &Aliases,
) -> Leaf {
    let vendor_name = p
        .vendor()
        .or_else(|| component.and_then(|c| c.vendor()))
        .unwrap_or("");
    let vendor = if vendor_name.trim().is_empty() {
        vec![VendorRef::Any]
    } else {
        aliases.resolve(vendor_name)
    };
    let name_text = product_text(p);
    let mut name = ProductName::parse(vendor_name, &name_text);
    name.add_helpers(&p.helper.model_numbers, &p.helper.skus);
    let version_of = component.unwrap_or(p);
    let spec = match version_of.version() {
        Some((text, _)) => {
            let spec = VersionSpec::parse(text);
            if spec.status == ParseStatus::Unparsed {
                name.add_version_field_model(text);
            }
            spec
        }
        None => match p
            .helper
            .purl
            .as_deref()
            .and_then(Purl::parse)
            .and_then(|u| u.version)
        {
            Some(v) => VersionSpec::parse(&v),
            None => VersionSpec::missing(),
        },
    };
    Leaf {
        advisory: ai,
        product_id: p.id.clone(),
        vendor,
        has_model_numbers: !p.helper.model_numbers.is_empty(),
        name,
        spec,
        statuses,
        installed_on: false,
        purl: p.helper.purl.as_deref().and_then(Purl::parse),
        cpe: p.helper.cpe.as_deref().and_then(Cpe::parse),
    }
}

/// The product's name: its product family and product name branches, or its full name.
fn product_text(p: &Product) -> String {
    let parts: Vec<&str> = p
        .path
        .iter()
        .filter(|b| {
            matches!(
                b.category,
                BranchCategory::ProductFamily | BranchCategory::ProductName
            )
        })
        .map(|b| b.name.as_str())
        .collect();
    if parts.is_empty() {
        p.name.clone()
    } else {
        parts.join(" ")
    }
}

/// Applies VEX statements to an asset's findings: a statement about the finding's CVE whose
/// product is the asset (same model or order number, or same vendor and product name; and the
/// asset's version inside the statement's version, when it gives one) sets the verdict —
/// `not_affected` and `fixed` close the finding as not affected, `affected` makes it affected,
/// `under_investigation` leaves it to be checked — and adds a [`Reason::Vex`] naming the
/// statement, so the justification is kept.
pub fn apply_vex(
    index: &Index,
    asset: &AssetQuery,
    findings: &mut [Finding],
    statements: &[VexStatement],
) {
    for f in findings.iter_mut() {
        let Some(cve) = index.cve(f) else { continue };
        for (si, s) in statements.iter().enumerate() {
            if !s.vulnerability.eq_ignore_ascii_case(cve) || !vex_names_asset(s, asset) {
                continue;
            }
            let Ok(statement) = u32::try_from(si) else {
                break;
            };
            vex_decide(f, statement, s);
        }
    }
}

/// Sets a finding's verdict from a statement that applies to it.
pub(super) fn vex_decide(f: &mut Finding, statement: u32, s: &VexStatement) {
    f.verdict = match s.status {
        VexStatus::NotAffected | VexStatus::Fixed => Verdict::NotAffected,
        VexStatus::Affected => Verdict::Affected,
        VexStatus::UnderInvestigation if f.verdict == Verdict::Affected => Verdict::Affected,
        VexStatus::UnderInvestigation => Verdict::NeedsChecking,
    };
    f.reasons.vex = Some(VexReason {
        statement,
        status: s.status,
        justification: s.justification,
    });
}

/// Whether a statement's product is this asset.
fn vex_names_asset(s: &VexStatement, asset: &AssetQuery) -> bool {
    let p = &s.product;
    let ids = [asset.model.as_str(), asset.order_number.as_str()];
    let by_model = p.model_numbers.iter().any(|m| {
        ids.iter()
            .any(|i| !i.trim().is_empty() && compact(i) == compact(m))
    });
    let vendor_ok = p
        .vendor
        .as_deref()
        .is_none_or(|v| vendor_key(v) == vendor_key(&asset.vendor));
    let by_name = vendor_ok
        && p.name.as_deref().is_some_and(|n| {
            let key = asset_words(n).join(" ");
            !key.is_empty()
                && [
                    asset.product.clone(),
                    format!("{} {}", asset.product, asset.model),
                    asset.model.clone(),
                ]
                .iter()
                .any(|t| asset_words(t).join(" ") == key)
        });
    let version_ok = p.version.as_deref().is_none_or(|v| {
        AssetVersion::of(&asset.version).evaluate(&VersionSpec::parse(v)) == Eval::Affected
    });
    (by_model || by_name) && version_ok
}
