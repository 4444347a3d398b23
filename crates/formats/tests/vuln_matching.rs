//! The vulnerability core over the whole CISA CSAF corpus:
//!
//! - the parse rate of every version leaf (bar: 95 %);
//! - precision and recall on a labelled set built from real advisories (bars: 0.98 / 0.95):
//!   in-range positives, boundary negatives at the fixed version and at the next train, other
//!   products of the same vendor, vendor names in Japanese and full width, Hitachi Energy
//!   products held by a 日立製作所 asset, and conditions (which must need checking).
//!
//! The labels come from a deliberately small reading of each advisory (simple `<`, `<=`,
//! `>= … <`, `vers:all/*` expressions, digits only), independent of the grammar under test.

mod shared;

use std::collections::{BTreeMap, HashMap};

use kojo_core::vuln::advisory::{Advisory, StatusKind};
use kojo_core::vuln::matching::{AssetQuery, Index, Verdict};
use kojo_core::vuln::spec::{ParseStatus, VersionSpec};
use kojo_formats::csaf;

fn advisories() -> Vec<Advisory> {
    let loaded = csaf::dir::read(&shared::csaf_root());
    assert!(
        loaded.problems.is_empty(),
        "{:?}",
        loaded.problems.first().map(ToString::to_string)
    );
    let mut a: Vec<Advisory> = loaded.documents.into_iter().map(|d| d.advisory).collect();
    a.sort_by(|x, y| x.id.tracking_id.cmp(&y.id.tracking_id));
    a
}

#[test]
fn at_least_95_percent_of_all_version_leaves_parse() {
    let all = advisories();
    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unparsed: HashMap<String, usize> = HashMap::new();
    let mut with_conditions = 0;
    let mut total = 0;
    for a in &all {
        for p in &a.products {
            let Some((text, _)) = p.version() else {
                continue;
            };
            total += 1;
            let spec = VersionSpec::parse(text);
            *by_status.entry(spec.status.as_str()).or_default() += 1;
            if !spec.conditions.is_empty() {
                with_conditions += 1;
            }
            if spec.status != ParseStatus::Parsed {
                *unparsed.entry(text.to_string()).or_default() += 1;
            }
        }
    }
    let parsed = by_status.get("parsed").copied().unwrap_or(0);
    let rate = parsed as f64 / total as f64;
    let mut worst: Vec<(String, usize)> = unparsed.into_iter().collect();
    worst.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!(
        "version leaves: {total}; {by_status:?}; with conditions captured: {with_conditions}; parse rate {:.2} %",
        rate * 100.0
    );
    println!(
        "most frequent not parsed: {:?}",
        &worst[..worst.len().min(15)]
    );
    assert_eq!(
        total, 15842,
        "the README counts 13,617 range and 2,225 version leaves"
    );
    assert!(rate >= 0.95, "parse rate {rate:.4} below 0.95");
}

/// What the labelled case expects for its (advisory, CVE).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Affected,
    NotAffected,
    /// A condition is attached: the finding must need checking.
    Check,
}

#[derive(Debug)]
struct Case {
    kind: &'static str,
    /// The advisory's version text.
    raw: String,
    vendor_group: String,
    asset: AssetQuery,
    advisory: String,
    cve: String,
    label: Label,
}

/// (lower bound, upper bound with whether it is inclusive).
type Simple = (Option<Vec<u64>>, Option<(Vec<u64>, bool)>);

/// The simple expressions the labels are read from: (lower bound, upper bound, upper inclusive),
/// numbers only. `None` for anything else.
fn simple(text: &str) -> Option<Simple> {
    let t = text.trim().trim_start_matches("vers:all/").replace(' ', "");
    if t == "*" || t.eq_ignore_ascii_case("allversions") {
        return Some((None, None));
    }
    let num = |s: &str| -> Option<Vec<u64>> {
        let s = s.trim_start_matches(['V', 'v']);
        let parts: Option<Vec<u64>> = s.split('.').map(|p| p.parse().ok()).collect();
        parts.filter(|p| !p.is_empty() && p.len() <= 4)
    };
    if let Some(rest) = t.strip_prefix(">=") {
        let (lo, hi) = rest.split_once('<')?;
        let lo = num(lo.trim_end_matches('|'))?;
        let (hi, incl) = match hi.strip_prefix('=') {
            Some(h) => (h, true),
            None => (hi, false),
        };
        return Some((Some(lo), Some((num(hi)?, incl))));
    }
    if let Some(rest) = t.strip_prefix("<=") {
        return Some((None, Some((num(rest)?, true))));
    }
    if let Some(rest) = t.strip_prefix('<') {
        return Some((None, Some((num(rest)?, false))));
    }
    None
}

/// The version text before a remark that makes it conditional: a parenthesised remark after a
/// space, or "only …", "if …", "when …", "with …".
fn remark(text: &str) -> Option<&str> {
    let lower = text.to_lowercase();
    [" (", " only ", " if ", " when ", " with "]
        .iter()
        .filter_map(|m| lower.find(m))
        .min()
        .map(|i| &text[..i])
        .filter(|base| !base.trim().is_empty())
}

fn show(v: &[u64]) -> String {
    v.iter().map(u64::to_string).collect::<Vec<_>>().join(".")
}

/// A version just below `v` (the last non-zero part decreased, the rest dropped), if any.
fn below(v: &[u64]) -> Option<Vec<u64>> {
    let i = v.iter().rposition(|n| *n > 0)?;
    let mut out = v[..=i].to_vec();
    out[i] -= 1;
    Some(out)
}

fn above(v: &[u64]) -> Vec<u64> {
    let mut out = v.to_vec();
    if let Some(last) = out.last_mut() {
        *last += 1;
    }
    out
}

/// Other spellings of a vendor, as a factory's register might write it.
fn spellings(vendor: &str) -> Vec<String> {
    let japanese = [
        ("Mitsubishi", "三菱電機"),
        ("Omron", "オムロン株式会社"),
        ("Yokogawa", "横河電機"),
        ("Fuji Electric", "富士電機"),
        ("Hitachi Energy", "日立エナジー"),
        ("Siemens", "シーメンス"),
        ("Rockwell", "ロックウェル・オートメーション"),
        ("Schneider", "シュナイダーエレクトリック"),
        ("Moxa", "モクサ"),
        ("JTEKT", "ジェイテクト"),
        ("Panasonic", "パナソニック"),
    ];
    let mut out = vec![vendor.trim().to_string()];
    if let Some((_, ja)) = japanese.iter().find(|(en, _)| vendor.contains(en)) {
        out.push(ja.to_string());
    }
    // Full width: what a Japanese keyboard in full-width mode types.
    let wide: String = vendor
        .trim()
        .chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(u32::from(c) + 0xFEE0).unwrap_or(c),
            ' ' => '\u{3000}',
            c => c,
        })
        .collect();
    out.push(wide);
    out.push(format!("{} Co., Ltd.", vendor.trim().to_uppercase()));
    out
}

/// The vendor groups the labelled set draws from, in the order of the brief.
const GROUPS: [(&str, &str); 14] = [
    ("Mitsubishi", "mitsubishi"),
    ("Omron", "omron"),
    ("Yokogawa", "yokogawa"),
    ("Fuji Electric", "fuji electric"),
    ("Siemens", "siemens"),
    ("Rockwell", "rockwell"),
    ("Schneider", "schneider"),
    ("Hitachi Energy", "hitachi energy"),
    ("Moxa", "moxa"),
    ("ABB", "abb"),
    ("Honeywell", "honeywell"),
    ("Delta", "delta electronics"),
    ("Phoenix Contact", "phoenix contact"),
    ("Advantech", "advantech"),
];

struct Pick<'a> {
    a: &'a Advisory,
    vendor: &'a str,
    product: &'a str,
    version: &'a str,
    models: &'a [String],
    cve: String,
}

/// Leaves affected by a CVE, whose product name no other affected leaf of the same advisory and
/// CVE shares (so the label for the advisory is the label of the leaf).
fn candidates(all: &[Advisory]) -> Vec<Pick<'_>> {
    let mut out = Vec::new();
    for a in all {
        for v in &a.vulnerabilities {
            let Some(cve) = &v.cve else { continue };
            let affected: Vec<&str> = v
                .status
                .iter()
                .filter(|s| s.kind == StatusKind::KnownAffected)
                .flat_map(|s| s.products.iter().map(String::as_str))
                .collect();
            let mut names: HashMap<String, usize> = HashMap::new();
            for pid in &affected {
                if let Some(n) = a.product(pid).and_then(|p| p.product_name()) {
                    *names.entry(n.trim().to_lowercase()).or_default() += 1;
                }
            }
            for pid in &affected {
                let Some(p) = a.product(pid) else { continue };
                let (Some(vendor), Some(product), Some((version, _))) =
                    (p.vendor(), p.product_name(), p.version())
                else {
                    continue;
                };
                let one_vendor = !vendor.contains(',') && !vendor.contains(" and ");
                if names.get(&product.trim().to_lowercase()) != Some(&1) || !one_vendor {
                    continue;
                }
                out.push(Pick {
                    a,
                    vendor,
                    product,
                    version,
                    models: &p.helper.model_numbers,
                    cve: cve.clone(),
                });
            }
        }
    }
    out
}

fn asset(vendor: String, pick: &Pick<'_>, version: String, n: usize) -> AssetQuery {
    let mut q = AssetQuery {
        vendor,
        product: pick.product.trim().to_string(),
        version,
        ..AssetQuery::default()
    };
    if let Some(m) = pick.models.first() {
        // Order numbers as registers write them, with a space after the prefix.
        q.order_number = if m.len() > 4 && m.is_char_boundary(4) {
            format!("{} {}", &m[..4], &m[4..])
        } else {
            m.clone()
        };
    } else if n.is_multiple_of(3) {
        // Half of the product name in the model column: "MELSEC iQ-R" / "R04CPU".
        let words: Vec<&str> = pick.product.split_whitespace().collect();
        if let Some(i) = words
            .iter()
            .rposition(|w| w.chars().any(|c| c.is_ascii_digit()))
            .filter(|i| *i > 0)
        {
            q.product = words[..i].join(" ");
            q.model = words[i..].join(" ");
        }
    }
    q
}

fn cases_for(pick: &Pick<'_>, group: &str, n: usize, out: &mut Vec<Case>) {
    let vendors = spellings(pick.vendor);
    let vendor = |k: usize| vendors[(n + k) % vendors.len()].clone();
    let prefix = if n.is_multiple_of(2) { "V" } else { "" };
    let mut push = |kind: &'static str, v: String, label: Label, k: usize| {
        out.push(Case {
            kind,
            raw: pick.version.to_string(),
            vendor_group: group.to_string(),
            asset: asset(vendor(k), pick, v, n),
            advisory: pick.a.id.tracking_id.clone(),
            cve: pick.cve.clone(),
            label,
        });
    };
    let conditional = remark(pick.version).is_some();
    match simple(pick.version) {
        Some((None, None)) => push("all versions", format!("{prefix}1.0"), Label::Affected, 0),
        Some((lo, Some((hi, inclusive)))) => {
            let inside = if inclusive {
                Some(hi.clone())
            } else {
                below(&hi)
            };
            let inside = match (&lo, inside) {
                (Some(lo), _) => Some(lo.clone()),
                (None, i) => i,
            };
            if let Some(v) = inside {
                push(
                    "in range",
                    format!("{prefix}{}", show(&v)),
                    Label::Affected,
                    0,
                );
            }
            let fixed = if inclusive { above(&hi) } else { hi.clone() };
            push(
                "fixed version",
                format!("{prefix}{}", show(&fixed)),
                Label::NotAffected,
                1,
            );
            let train = vec![hi[0] + 1, 0];
            push(
                "next train",
                format!("{prefix}{}", show(&train)),
                Label::NotAffected,
                2,
            );
        }
        _ if conditional => match remark(pick.version).and_then(simple) {
            Some((_, Some((hi, true)))) => push(
                "condition",
                format!("{prefix}{}", show(&hi)),
                Label::Check,
                0,
            ),
            Some((_, Some((hi, false)))) => {
                if let Some(v) = below(&hi) {
                    push(
                        "condition",
                        format!("{prefix}{}", show(&v)),
                        Label::Check,
                        0,
                    );
                }
            }
            Some((None, None)) => push("condition", format!("{prefix}1.0"), Label::Check, 0),
            _ => {}
        },
        _ => {}
    }
}

/// Products of the same vendor from other advisories that share no word with the target's.
fn other_products(
    all: &[Advisory],
    pick: &Pick<'_>,
    (name, group): (&str, &str),
    out: &mut Vec<Case>,
) {
    let words = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split_whitespace()
            .map(String::from)
            .collect()
    };
    let target_words: Vec<String> = pick
        .a
        .products
        .iter()
        .filter_map(|p| p.product_name())
        .flat_map(words)
        .collect();
    let other = all
        .iter()
        .filter(|a| a.id != pick.a.id)
        .flat_map(|a| &a.products)
        .find(|p| {
            p.vendor().is_some_and(|v| v.to_lowercase().contains(group))
                && p.product_name()
                    .is_some_and(|n| words(n).iter().all(|w| !target_words.contains(w)))
        });
    if let Some(p) = other.and_then(|p| p.product_name()) {
        out.push(Case {
            kind: "other product",
            raw: pick.version.to_string(),
            vendor_group: name.to_string(),
            asset: AssetQuery {
                vendor: pick.vendor.to_string(),
                product: p.to_string(),
                version: "1.0".into(),
                ..AssetQuery::default()
            },
            advisory: pick.a.id.tracking_id.clone(),
            cve: pick.cve.clone(),
            label: Label::NotAffected,
        });
    }
}

/// A product of the same advisory that the pick's CVE does not affect (the advisory lists it
/// for another CVE), at a version inside its own range: not affected by the pick's CVE.
fn same_advisory_other_cve(pick: &Pick<'_>, name: &str, out: &mut Vec<Case>) {
    let Some(v) = pick
        .a
        .vulnerabilities
        .iter()
        .find(|v| v.cve.as_deref() == Some(pick.cve.as_str()))
    else {
        return;
    };
    let listed: Vec<&str> = v
        .status
        .iter()
        .flat_map(|s| s.products.iter().map(String::as_str))
        .collect();
    let listed_names: Vec<String> = listed
        .iter()
        .filter_map(|id| pick.a.product(id).and_then(|p| p.product_name()))
        .map(|n| n.trim().to_lowercase())
        .collect();
    let other = pick.a.products.iter().find(|p| {
        !listed.contains(&p.id.as_str())
            && p.product_name()
                .is_some_and(|n| !listed_names.contains(&n.trim().to_lowercase()))
            && p.helper.model_numbers.is_empty()
            && p.version().and_then(|(t, _)| simple(t)).is_some()
    });
    let Some(p) = other else { return };
    let Some((_, Some((hi, inclusive)))) = p.version().and_then(|(t, _)| simple(t)) else {
        return;
    };
    let Some(inside) = (if inclusive { Some(hi) } else { below(&hi) }) else {
        return;
    };
    out.push(Case {
        kind: "same advisory, other CVE",
        raw: p.version().map(|(t, _)| t.to_string()).unwrap_or_default(),
        vendor_group: name.to_string(),
        asset: AssetQuery {
            vendor: pick.vendor.to_string(),
            product: p.product_name().unwrap_or_default().trim().to_string(),
            version: show(&inside),
            ..AssetQuery::default()
        },
        advisory: pick.a.id.tracking_id.clone(),
        cve: pick.cve.clone(),
        label: Label::NotAffected,
    });
}

fn labelled_set(all: &[Advisory]) -> Vec<Case> {
    let picks = candidates(all);
    let mut cases = Vec::new();
    for (name, group) in GROUPS {
        let mine: Vec<&Pick<'_>> = picks
            .iter()
            .filter(|p| p.vendor.to_lowercase().contains(group))
            .collect();
        let usable: Vec<&&Pick<'_>> = mine
            .iter()
            .filter(|p| simple(p.version).is_some() || remark(p.version).is_some())
            .collect();
        // Evenly spread over the vendor's advisories, the same every run.
        let take = 12.min(usable.len());
        for k in 0..take {
            let pick = usable[k * usable.len() / take];
            cases_for(pick, name, k, &mut cases);
            if k.is_multiple_of(3) {
                other_products(all, pick, (name, group), &mut cases);
            }
            if group == "hitachi energy" && k.is_multiple_of(2) {
                cases.push(Case {
                    kind: "never equate",
                    raw: pick.version.to_string(),
                    vendor_group: name.to_string(),
                    asset: AssetQuery {
                        vendor: "日立製作所".into(),
                        product: pick.product.to_string(),
                        version: "1.0".into(),
                        ..AssetQuery::default()
                    },
                    advisory: pick.a.id.tracking_id.clone(),
                    cve: pick.cve.clone(),
                    label: Label::NotAffected,
                });
            }
        }
    }
    // Conditions and other-CVE products are rare: drawn from every vendor, evenly.
    let spread = |want: &dyn Fn(&Pick<'_>) -> bool| -> Vec<&Pick<'_>> {
        let all: Vec<&Pick<'_>> = picks.iter().filter(|p| want(p)).collect();
        let take = 30.min(all.len());
        (0..take).map(|k| all[k * all.len() / take]).collect()
    };
    for (k, pick) in
        spread(&|p| simple(p.version).is_none() && remark(p.version).and_then(simple).is_some())
            .into_iter()
            .enumerate()
    {
        cases_for(pick, "(any vendor)", k, &mut cases);
    }
    let before = cases.len();
    for pick in &picks {
        if cases.len() - before >= 20 {
            break;
        }
        same_advisory_other_cve(pick, "(any vendor)", &mut cases);
    }
    cases
}

#[test]
fn precision_and_recall_on_a_labelled_set_from_real_advisories() {
    let all = advisories();
    let cases = labelled_set(&all);
    let catalog = kojo_content::load_embedded().expect("content");
    let index = Index::build(all.clone(), catalog.vendor_aliases());
    let (mut tp, mut fp, mut tn, mut fn_, mut checking, mut cond_ok, mut cond) =
        (0, 0, 0, 0, 0, 0, 0);
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let mut groups: BTreeMap<&str, usize> = BTreeMap::new();
    let mut wrong = Vec::new();
    for c in &cases {
        *kinds.entry(c.kind).or_default() += 1;
        *groups.entry(c.vendor_group.as_str()).or_default() += 1;
        let verdict = index
            .match_asset(&c.asset)
            .into_iter()
            .find(|f| {
                index
                    .advisory(f)
                    .is_some_and(|a| a.id.tracking_id == c.advisory)
                    && index.cve(f) == Some(c.cve.as_str())
            })
            .map(|f| f.verdict);
        match (c.label, verdict) {
            (Label::Check, v) => {
                cond += 1;
                if v == Some(Verdict::NeedsChecking) {
                    cond_ok += 1;
                } else {
                    wrong.push(format!("condition → {v:?}: {c:?}"));
                }
            }
            (_, Some(Verdict::NeedsChecking)) => {
                checking += 1;
                wrong.push(format!(
                    "needs checking (neither right nor wrong): {} {:?} {:?}",
                    c.kind, c.raw, c.asset
                ));
            }
            (Label::Affected, Some(Verdict::Affected)) => tp += 1,
            (Label::Affected, _) => {
                fn_ += 1;
                wrong.push(format!("missed → {verdict:?}: {c:?}"));
            }
            (Label::NotAffected, Some(Verdict::Affected)) => {
                fp += 1;
                wrong.push(format!("false positive: {c:?}"));
            }
            (Label::NotAffected, _) => tn += 1,
        }
    }
    let precision = f64::from(tp) / f64::from((tp + fp).max(1));
    let recall = f64::from(tp) / f64::from((tp + fn_).max(1));
    println!("labelled cases: {} by kind {kinds:?}", cases.len());
    println!("by vendor: {groups:?}");
    println!(
        "TP {tp}, FP {fp}, TN {tn}, FN {fn_}, needs checking {checking}; conditions needing checking {cond_ok}/{cond}"
    );
    println!("precision {precision:.3}, recall {recall:.3}");
    for w in &wrong {
        println!("  {w}");
    }
    assert!(cases.len() >= 200, "only {} labelled cases", cases.len());
    for (name, _) in GROUPS.iter().take(9) {
        assert!(
            groups.get(name).copied().unwrap_or(0) >= 5,
            "too few cases for {name}: {groups:?}"
        );
    }
    assert!(precision >= 0.98, "precision {precision:.3}");
    assert!(recall >= 0.95, "recall {recall:.3}");
    assert_eq!(cond_ok, cond, "every conditional case must need checking");
}
