//! Whole-catalogue checks: unique ids, references that resolve, consistent scales and bands,
//! every measure sized and costed.

use std::collections::{HashMap, HashSet};

use kojo_core::Provenance;
use kojo_core::baseline::{Baseline, Unit};
use kojo_core::checklist::Checklist;
use kojo_core::reference::BandSet;
use kojo_core::scale::Scale;

use crate::{Catalog, ContentError, ContentErrors, Framework, RefForm};

/// The message for an entry without a provenance tag.
pub(crate) const PROVENANCE_MISSING: &str = "provenance missing: write provenance = \"source\" (taken from the source) or \"reconstructed\" (kojo's own)";

const PROVENANCE_MISSING_HINT: &str = "docs/content-format.md, Provenance";

/// What an unchecked guideline reference says in Japanese and in English.
pub(crate) const UNCHECKED_JA: &str = "未照合";
pub(crate) const UNCHECKED_EN: &str = "not checked";

/// Ids may only use letters, digits, `-` and `_` (a dot separates question and row ids).
pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A framework id may also hold dots (`nist-csf-2.0`): it never appears in a response file, and
/// the dot is part of how a version is written.
fn valid_framework_id(id: &str) -> bool {
    !id.starts_with('.')
        && !id.ends_with('.')
        && !id.contains("..")
        && valid_id(&id.replace('.', "-"))
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn valid_partial_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize, range: std::ops::RangeInclusive<u32>| {
        p.len() == len
            && p.chars().all(|c| c.is_ascii_digit())
            && p.parse().is_ok_and(|n| range.contains(&n))
    };
    match parts.as_slice() {
        [y] => num(y, 4, 1900..=2999),
        [y, m] => num(y, 4, 1900..=2999) && num(m, 2, 1..=12),
        [y, m, d] => num(y, 4, 1900..=2999) && num(m, 2, 1..=12) && num(d, 2, 1..=31),
        _ => false,
    }
}

/// Reports each id seen more than once.
fn unique<'a>(
    file: &str,
    what: &str,
    ids: impl IntoIterator<Item = &'a str>,
    errors: &mut ContentErrors,
) {
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            errors.push(ContentError::entry(
                file,
                format!("{what} {id}"),
                "duplicate id",
            ));
        }
    }
}

/// The file name must agree with the checklist's own id and version.
pub fn checklist_path(
    path: &str,
    dir: &str,
    file: &str,
    c: &Checklist,
    errors: &mut ContentErrors,
) {
    let expected = format!("v{}.toml", c.version);
    if dir != c.id || file != expected {
        errors.push(ContentError::file(
            path,
            format!(
                "checklist id {:?} version {} must live at checklists/{}/{}",
                c.id, c.version, c.id, expected
            ),
        ));
    }
}

pub fn catalog(cat: &Catalog, errors: &mut ContentErrors) {
    for s in &cat.scales {
        scale(s, errors);
    }
    reference(cat, errors);
    frameworks(&cat.frameworks, errors);
    crate::glossary::validate(&cat.glossary, errors);
    crate::subsidies::validate(&cat.subsidies, errors);
    for b in &cat.baselines {
        baseline(b, errors);
    }
    let figures: HashSet<&str> = cat
        .baselines
        .iter()
        .flat_map(|b| b.figures.iter().map(|f| f.id.as_str()))
        .collect();
    for c in &cat.checklists {
        checklist(cat, c, &figures, errors);
    }
    crate::plant::validate(cat, errors);
    crate::risk::validate(cat, errors);
    crate::vuln::validate(cat, errors);
}

fn scale(s: &Scale, errors: &mut ContentErrors) {
    let file = format!("scales/{}.toml", s.id);
    unique(
        &file,
        "level",
        s.levels.iter().map(|l| l.code.as_str()),
        errors,
    );
    let mut values = HashSet::new();
    let mut not_applicable = 0;
    for l in &s.levels {
        let entry = format!("level {}", l.code);
        match (l.value, l.not_applicable) {
            (Some(_), true) => errors.push(ContentError::entry(
                &file,
                &entry,
                "a not-applicable level must not have a value",
            )),
            (None, false) => errors.push(ContentError::entry(
                &file,
                &entry,
                "level needs a value (or not_applicable = true)",
            )),
            (Some(v), false) => {
                if !values.insert(v) {
                    errors.push(ContentError::entry(&file, &entry, "duplicate value"));
                }
            }
            (None, true) => not_applicable += 1,
        }
        if l.implemented && l.value.is_none() {
            errors.push(ContentError::entry(
                &file,
                &entry,
                "only a level with a value can count as implemented",
            ));
        }
        if l.provenance.is_none() {
            errors.push(ContentError::entry(&file, &entry, PROVENANCE_MISSING));
        }
    }
    if not_applicable > 1 {
        errors.push(ContentError::file(
            &file,
            "at most one not-applicable level is allowed",
        ));
    }
    if values.len() < 2 {
        errors.push(ContentError::file(
            &file,
            "a scale needs at least two valued levels",
        ));
    }
}

#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
fn reference(cat: &Catalog, errors: &mut ContentErrors) {
    let f = "reference/industries.toml";
    unique(
        f,
        "industry",
        cat.industries.industries.iter().map(|i| i.code.as_str()),
        errors,
    );
    let f = "reference/prefectures.toml";
    let prefs = &cat.prefectures.prefectures;
    unique(
        f,
        "prefecture",
        prefs.iter().map(|p| p.code.as_str()),
        errors,
    );
    if prefs.len() != 47 {
        errors.push(ContentError::file(
            f,
            format!("expected 47 prefectures, found {}", prefs.len()),
        ));
    }
    let f = "reference/company-sizes.toml";
    let bands = &cat.company_sizes.example_bands;
    let ids: Vec<&str> = bands.iter().map(|b| b.id.as_str()).collect();
    if ids != ["small", "medium", "large"] {
        errors.push(ContentError::file(
            f,
            format!("example_bands must be small, medium, large in that order; found {ids:?}"),
        ));
    }
    for pair in bands.windows(2) {
        if pair[0].max != Some(pair[1].min) {
            errors.push(ContentError::entry(
                f,
                format!("example band {}", pair[1].id),
                format!("must start where {} ends ({:?})", pair[0].id, pair[0].max),
            ));
        }
    }
    let f = "reference/bands.toml";
    unique(
        f,
        "cost band",
        cat.bands.cost_bands.iter().map(|c| c.id.as_str()),
        errors,
    );
    if cat.bands.cost_bands.is_empty() {
        errors.push(ContentError::file(f, "no [[cost_bands]]"));
    }
    // A measure's band is the range of its examples' bands in file order: cheapest first.
    let n = cat.bands.cost_bands.len();
    for (i, pair) in cat.bands.cost_bands.windows(2).enumerate() {
        let ordered = match (pair[0].max_yen, pair[1].max_yen) {
            (Some(a), Some(b)) => a < b,
            (Some(_), None) => i + 2 == n,
            (None, _) => false,
        };
        if !ordered {
            errors.push(ContentError::entry(
                f,
                format!("cost band {}", pair[1].id),
                "cost bands go from the cheapest to the dearest (max_yen rising; only the last has none)",
            ));
        }
    }
    if cat.bands.vendor_work.is_none() {
        errors.push(ContentError::file(
            f,
            "vendor_work.ja / vendor_work.en missing (shown beside an example that needs the equipment vendor's paid work)",
        ));
    }
    unique(
        f,
        "band set",
        cat.bands.band_sets.iter().map(|s| s.id.as_str()),
        errors,
    );
    for set in &cat.bands.band_sets {
        band_set(f, set, errors);
    }
    let f = "reference/cmg.toml";
    let directives = &cat.cmg.directives;
    unique(
        f,
        "directive",
        directives.iter().map(|d| d.id.as_str()),
        errors,
    );
    let numbers: Vec<u32> = directives.iter().map(|d| d.number).collect();
    if numbers != (1..=10).collect::<Vec<_>>() {
        errors.push(ContentError::file(
            f,
            format!("directives must be numbered 1 to 10 in order; found {numbers:?}"),
        ));
    }
    let measures = &cat.cmg.basic_measures;
    unique(
        f,
        "basic measure",
        measures.iter().map(|m| m.id.as_str()),
        errors,
    );
    if measures.len() != 12 {
        errors.push(ContentError::file(
            f,
            format!("expected 12 basic measures (①-⑫), found {}", measures.len()),
        ));
    }
    let known: HashSet<&str> = directives.iter().map(|d| d.id.as_str()).collect();
    for m in measures {
        if m.provenance.is_none() {
            errors.push(ContentError::entry(
                f,
                format!("basic measure {}", m.id),
                PROVENANCE_MISSING,
            ));
        }
        for d in m.directive.to_vec() {
            if !known.contains(d) {
                errors.push(ContentError::entry(
                    f,
                    format!("basic measure {}", m.id),
                    format!("unknown directive {d:?}"),
                ));
            }
        }
    }
}

fn frameworks(frameworks: &[Framework], errors: &mut ContentErrors) {
    let f = "reference/frameworks.toml";
    unique(
        f,
        "framework",
        frameworks.iter().map(|x| x.id.as_str()),
        errors,
    );
    if frameworks.is_empty() {
        errors.push(ContentError::file(f, "no [[frameworks]] entries"));
    }
    for fw in frameworks {
        let entry = format!("framework {}", fw.id);
        if !valid_framework_id(&fw.id) {
            errors.push(ContentError::entry(
                f,
                &entry,
                "invalid id (letters, digits, -, _ and . only)",
            ));
        }
        if fw.edition.trim().is_empty() {
            errors.push(ContentError::entry(f, &entry, "edition is empty"));
        }
        if !valid_partial_date(&fw.published) {
            errors.push(ContentError::entry(
                f,
                &entry,
                format!(
                    "published {:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                    fw.published
                ),
            ));
        }
        if let Some(url) = &fw.url
            && (!url.starts_with("https://") || url.contains(char::is_whitespace))
        {
            errors.push(ContentError::entry(
                f,
                &entry,
                format!("url {url:?} must be an https:// address"),
            ));
        }
    }
}

/// What is wrong with `reference` as a clause of a framework whose refs have this form.
fn ref_problem(form: RefForm, reference: &str, cat: &Catalog) -> Option<String> {
    match form {
        RefForm::CmgDirective => {
            let directives = &cat.cmg.directives;
            (!directives.iter().any(|d| d.id == reference)).then(|| {
                let range = match (directives.first(), directives.last()) {
                    (Some(a), Some(b)) => format!(" ({} … {})", a.id, b.id),
                    _ => String::new(),
                };
                format!("not a directive of reference/cmg.toml{range}")
            })
        }
        RefForm::IecSr => (!is_iec_sr(reference))
            .then(|| "not of the form \"SR 1.1\" (optionally \"SR 1.1 RE(1)\")".to_string()),
        RefForm::CsfSubcategory => (!is_csf_id(reference))
            .then(|| "not a NIST CSF 2.0 subcategory of the form \"PR.AA-01\"".to_string()),
        RefForm::Text => (reference.trim().is_empty() || reference.trim() != reference)
            .then(|| "must be a non-empty text without surrounding spaces".to_string()),
    }
}

fn band_set(file: &str, set: &BandSet, errors: &mut ContentErrors) {
    let entry = format!("band set {}", set.id);
    let mut ids: Vec<&str> = set.bands.iter().map(|b| b.id.as_str()).collect();
    if let Some(u) = &set.unknown {
        ids.push(&u.id);
    }
    unique(
        file,
        &format!("{entry} / band"),
        ids.iter().copied(),
        errors,
    );
    for id in ids {
        if !valid_id(id) {
            errors.push(ContentError::entry(
                file,
                &entry,
                format!("invalid band id {id:?}"),
            ));
        }
    }
    if set.bands.is_empty() {
        errors.push(ContentError::entry(file, &entry, "a band set needs bands"));
    }
    let tags = set
        .bands
        .iter()
        .map(|b| (b.id.as_str(), b.provenance))
        .chain(set.unknown.iter().map(|u| (u.id.as_str(), u.provenance)));
    for (id, provenance) in tags {
        if provenance.is_none() {
            errors.push(ContentError::entry(
                file,
                format!("{entry} / band {id}"),
                PROVENANCE_MISSING,
            ));
        }
    }
    for (i, b) in set.bands.iter().enumerate() {
        let last = i + 1 == set.bands.len();
        match b.max {
            Some(max) if max <= b.min => errors.push(ContentError::entry(
                file,
                format!("{entry} / band {}", b.id),
                format!("max {max} must be greater than min {}", b.min),
            )),
            None if !last => errors.push(ContentError::entry(
                file,
                format!("{entry} / band {}", b.id),
                "only the last band may be open-ended (no max)",
            )),
            _ => {}
        }
        if let Some(next) = set.bands.get(i + 1)
            && b.max != Some(next.min)
        {
            errors.push(ContentError::entry(
                file,
                format!("{entry} / band {}", next.id),
                format!(
                    "bands must be contiguous: starts at {} but the previous band ends at {:?}",
                    next.min, b.max
                ),
            ));
        }
    }
}

fn baseline(b: &Baseline, errors: &mut ContentErrors) {
    let file = format!("baselines/{}.toml", b.id);
    unique(
        &file,
        "figure",
        b.figures.iter().map(|f| f.id.as_str()),
        errors,
    );
    unique(
        &file,
        "survey",
        b.surveys.iter().map(|s| s.id.as_str()),
        errors,
    );
    for h in &b.highlights {
        if b.figure(h).is_none() {
            errors.push(ContentError::file(
                &file,
                format!("highlight {h:?} is not a figure of this baseline"),
            ));
        }
    }
    for fig in &b.figures {
        let entry = format!("figure {}", fig.id);
        let Some(survey) = b.surveys.iter().find(|s| s.id == fig.survey) else {
            errors.push(ContentError::entry(
                &file,
                &entry,
                format!("unknown survey {:?}", fig.survey),
            ));
            continue;
        };
        if !survey.sections.iter().any(|s| s.code == fig.section) {
            errors.push(ContentError::entry(
                &file,
                &entry,
                format!(
                    "section {:?} is not a section of survey {}",
                    fig.section, survey.id
                ),
            ));
        }
        if fig.unit == Unit::Percent && !(0.0..=100.0).contains(&fig.value) {
            errors.push(ContentError::entry(
                &file,
                &entry,
                format!("a percentage must be within 0-100, found {}", fig.value),
            ));
        }
        if fig.value < 0.0 {
            errors.push(ContentError::entry(
                &file,
                &entry,
                "a figure cannot be negative",
            ));
        }
    }
}

#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
fn checklist(cat: &Catalog, c: &Checklist, figures: &HashSet<&str>, errors: &mut ContentErrors) {
    let file = format!("checklists/{}/v{}.toml", c.id, c.version);
    if c.schema != 1 {
        errors.push(ContentError::file(
            &file,
            format!("unsupported schema {} (this kojo reads schema 1)", c.schema),
        ));
    }
    match cat.scale(&c.scale) {
        None => errors.push(ContentError::file(
            &file,
            format!("unknown scale {:?}", c.scale),
        )),
        Some(s) => {
            if !s.levels.iter().any(|l| l.value == Some(c.target_level)) {
                errors.push(ContentError::file(
                    &file,
                    format!(
                        "target_level {} is not a value of scale {}",
                        c.target_level, s.id
                    ),
                ));
            }
        }
    }
    if c.weight_source.is_none() {
        errors.push(ContentError::file(
            &file,
            "weight_source.ja / weight_source.en missing: where the items' weights come from",
        ));
    }
    unique(
        &file,
        "category",
        c.categories.iter().map(|x| x.id.as_str()),
        errors,
    );
    unique(&file, "item", c.items.iter().map(|x| x.id.as_str()), errors);
    let costs: HashSet<&str> = cat.bands.cost_bands.iter().map(|b| b.id.as_str()).collect();
    let mut measure_ids = HashMap::new();
    for cat_def in &c.categories {
        if !valid_id(&cat_def.id) {
            errors.push(ContentError::entry(
                &file,
                format!("category {}", cat_def.id),
                "invalid id",
            ));
        }
        if c.items_in(&cat_def.id).next().is_none() {
            errors.push(ContentError::entry(
                &file,
                format!("category {}", cat_def.id),
                "category has no items",
            ));
        }
    }
    for item in &c.items {
        let entry = format!("item {}", item.id);
        let err = |msg: String| ContentError::entry(&file, &entry, msg);
        if !valid_id(&item.id) {
            errors.push(err("invalid id (letters, digits, - and _ only)".into()));
        }
        if c.category(&item.category).is_none() {
            errors.push(err(format!("unknown category {:?}", item.category)));
        } else if !item.id.starts_with(&format!("{}-", item.category)) {
            errors.push(err(format!(
                "id must start with its category ({}-)",
                item.category
            )));
        }
        if !(1..=4).contains(&item.weight) {
            errors.push(err(format!("weight must be 1 to 4, found {}", item.weight)));
        }
        if let Some(change) = &item.weight_change {
            if !(1..=4).contains(&change.from) || change.from == item.weight {
                errors.push(err(format!(
                    "weight_change.from must be the source's weight (1 to 4, not the item's own {}), found {}",
                    item.weight, change.from
                )));
            }
            if c.weight_source.is_none() {
                errors.push(err(
                    "weight_change needs the checklist's weight_source".into()
                ));
            }
        }
        if item.provenance.is_none() {
            errors.push(err(PROVENANCE_MISSING.into()));
        }
        match item.guideline_ref_provenance {
            None => errors.push(err(format!(
                "guideline_ref_provenance missing: \"source\" if checked against the guideline's text, \"reconstructed\" if not ({PROVENANCE_MISSING_HINT})"
            ))),
            Some(Provenance::Reconstructed)
                if !item.guideline_ref.ja.contains(UNCHECKED_JA)
                    || !item.guideline_ref.en.contains(UNCHECKED_EN) =>
            {
                errors.push(err(format!(
                    "guideline_ref is not checked against the guideline (guideline_ref_provenance = \"reconstructed\"), so its text must say so: \"{UNCHECKED_JA}\" in guideline_ref.ja and \"{UNCHECKED_EN}\" in guideline_ref.en"
                )))
            }
            _ => {}
        }
        if !item.first_step.missing().is_empty() {
            errors.push(err(
                "first_step.ja / first_step.en missing: what a company of up to 20 staff does first".into(),
            ));
        }
        for r in &item.requires {
            if r == &item.id || c.item(r).is_none() {
                errors.push(err(format!(
                    "requires {r:?}: not another item of this checklist"
                )));
            } else if requires_reaches(c, r, &item.id) {
                errors.push(err(format!(
                    "requires {r:?}, which requires it back (a cycle)"
                )));
            }
        }
        for link in &item.baseline {
            if !figures.contains(link.figure.as_str()) {
                errors.push(err(format!("unknown baseline figure {:?}", link.figure)));
            }
            if let Some(scale) = cat.scale(&c.scale) {
                for code in &link.levels {
                    if scale.level(code).is_none() {
                        errors.push(err(format!(
                            "baseline figure {}: {code:?} is not an answer of scale {} (expected one of {:?})",
                            link.figure,
                            scale.id,
                            scale.codes()
                        )));
                    }
                }
            }
            if link.levels.is_empty() {
                errors.push(err(format!(
                    "baseline figure {} counts no levels",
                    link.figure
                )));
            }
        }
        let mut mapped = HashSet::new();
        for m in item.mappings.iter() {
            let Some(fw) = cat.framework(&m.framework) else {
                let known: Vec<&str> = cat.frameworks.iter().map(|f| f.id.as_str()).collect();
                errors.push(err(format!(
                    "mapping {:?} to unknown framework {:?} (expected one of {known:?}, see reference/frameworks.toml)",
                    m.reference, m.framework
                )));
                continue;
            };
            if let Some(problem) = ref_problem(fw.ref_form, &m.reference, cat) {
                errors.push(err(format!(
                    "mapping {} {:?}: {problem}",
                    fw.id, m.reference
                )));
            }
            if !mapped.insert((m.framework.as_str(), m.reference.as_str())) {
                errors.push(err(format!(
                    "mapping {} {:?} is listed twice",
                    fw.id, m.reference
                )));
            }
        }
        if item.measures.len() < 3 {
            errors.push(err(format!(
                "needs at least three measures, found {}",
                item.measures.len()
            )));
        }
        for m in &item.measures {
            let mentry = format!("item {} / measure {}", item.id, m.id);
            if let Some(prev) = measure_ids.insert(m.id.as_str(), item.id.as_str()) {
                errors.push(ContentError::entry(
                    &file,
                    &mentry,
                    format!("duplicate measure id (also in item {prev})"),
                ));
            }
            if !m.id.starts_with(&format!("{}-m", item.id)) || !valid_id(&m.id) {
                errors.push(ContentError::entry(
                    &file,
                    &mentry,
                    format!("measure id must be {}-m<number>", item.id),
                ));
            }
            if m.provenance.is_none() {
                errors.push(ContentError::entry(&file, &mentry, PROVENANCE_MISSING));
            }
            for (size, ex) in m.examples.iter() {
                let at = size.id();
                let mut e = |msg: String| {
                    errors.push(ContentError::entry(&file, &mentry, format!("{at}: {msg}")))
                };
                if ex.cost.is_empty() {
                    e(format!(
                        "no cost band: write {at}.cost = one of {:?}",
                        cat.bands
                            .cost_bands
                            .iter()
                            .map(|b| b.id.as_str())
                            .collect::<Vec<_>>()
                    ));
                } else if !costs.contains(ex.cost.as_str()) {
                    let mut known: Vec<&str> = costs.iter().copied().collect();
                    known.sort();
                    e(format!(
                        "unknown cost band {:?} (expected one of {known:?})",
                        ex.cost
                    ));
                }
                for sid in &ex.subsidies {
                    match cat.subsidy(sid) {
                        None => e(format!(
                            "unknown subsidy {sid:?} (see reference/subsidies.toml)"
                        )),
                        Some(sub) if !sub.sizes.contains(&size) => e(format!(
                            "subsidy {sid} is not for this size (it lists {:?})",
                            sub.sizes.iter().map(|s| s.id()).collect::<Vec<_>>()
                        )),
                        _ => {}
                    }
                }
            }
        }
    }
}

fn is_iec_sr(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("SR ") else {
        return false;
    };
    let (num, re) = match rest.split_once(' ') {
        Some((n, re)) => (n, Some(re)),
        None => (rest, None),
    };
    let numeric = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    let num_ok = num
        .split_once('.')
        .is_some_and(|(a, b)| numeric(a) && numeric(b));
    let re_ok = re.is_none_or(|re| {
        re.strip_prefix("RE(")
            .and_then(|r| r.strip_suffix(')'))
            .is_some_and(numeric)
    });
    num_ok && re_ok
}

fn is_csf_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 8
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2] == b'.'
        && b[3..5].iter().all(u8::is_ascii_uppercase)
        && b[5] == b'-'
        && b[6..].iter().all(u8::is_ascii_digit)
}

/// Whether following `requires` from `from` leads to `to`.
fn requires_reaches(c: &kojo_core::checklist::Checklist, from: &str, to: &str) -> bool {
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![from.to_string()];
    while let Some(id) = stack.pop() {
        if id == to {
            return true;
        }
        if seen.insert(id.clone())
            && let Some(item) = c.item(&id)
        {
            stack.extend(item.requires.iter().cloned());
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_framework_ids_and_dates() {
        assert!(valid_framework_id("nist-csf-2.0"));
        assert!(valid_framework_id("cmg"));
        assert!(!valid_framework_id("nist csf"));
        assert!(!valid_framework_id(".cmg"));
        assert!(!valid_framework_id("cmg."));
        assert!(!valid_framework_id("a..b"));
        assert!(!valid_framework_id(""));
        assert!(valid_partial_date("2013-08"));
        assert!(valid_partial_date("2024-02-26"));
        assert!(valid_partial_date("2017"));
        assert!(!valid_partial_date("2024-2-26"));
        assert!(!valid_partial_date("2024-13"));
        assert!(!valid_partial_date("February 2024"));
    }

    #[test]
    fn recognises_mapping_ids() {
        assert!(is_iec_sr("SR 1.1"));
        assert!(is_iec_sr("SR 3.2 RE(1)"));
        assert!(!is_iec_sr("SR1.1"));
        assert!(!is_iec_sr("SR 1"));
        assert!(is_csf_id("PR.AA-01"));
        assert!(!is_csf_id("PR.AA-1"));
        assert!(!is_csf_id("pr.aa-01"));
    }
}
