//! Instruments: validation against the baseline and the reference tables, and resolution of
//! shorthand (`options_from`, `bands`, `rows_from`, `scale`) into explicit options, rows and
//! columns, so the survey engine sees every question in one shape.

use std::collections::{HashMap, HashSet};

use kojo_core::baseline::Baseline;
use kojo_core::instrument::{Choice, Condition, Instrument, Question, QuestionType};
use kojo_core::{Provenance, Text};

use crate::{Catalog, ContentError, ContentErrors};

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Expands shorthand into explicit options/rows/columns and row figures from the checklist.
#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
pub fn resolve(cat: &Catalog, inst: &mut Instrument, file: &str, errors: &mut ContentErrors) {
    for q in &mut inst.questions {
        let entry = format!("question {}", q.id);
        written_provenance(q, file, &entry, errors);
        if let Some(from) = &q.options_from {
            let options: Vec<(String, Text)> = match from.as_str() {
                "industries" => cat
                    .industries
                    .industries
                    .iter()
                    .map(|i| (i.code.clone(), i.title.clone()))
                    .collect(),
                "prefectures" => cat
                    .prefectures
                    .prefectures
                    .iter()
                    .map(|p| (p.code.clone(), p.title.clone()))
                    .collect(),
                other => {
                    errors.push(ContentError::entry(
                        file,
                        &entry,
                        format!("options_from {other:?}: expected industries or prefectures"),
                    ));
                    vec![]
                }
            };
            // Options written out explicitly keep their figures; the rest come from the table.
            for (code, label) in options {
                if !q.options.iter().any(|o| o.code == code) {
                    // The table's names are kojo's choice of the 2022 answer list.
                    q.options.push(Choice {
                        code,
                        label,
                        figures: vec![],
                        neutral: false,
                        provenance: Some(Provenance::Reconstructed),
                    });
                }
            }
            let order: Vec<String> = match from.as_str() {
                "industries" => cat
                    .industries
                    .industries
                    .iter()
                    .map(|i| i.code.clone())
                    .collect(),
                _ => cat
                    .prefectures
                    .prefectures
                    .iter()
                    .map(|p| p.code.clone())
                    .collect(),
            };
            q.options.sort_by_key(|o| {
                order
                    .iter()
                    .position(|c| c == &o.code)
                    .unwrap_or(usize::MAX)
            });
        }
        if let Some(set_id) = &q.bands {
            match cat.bands.band_sets.iter().find(|s| &s.id == set_id) {
                Some(set) => {
                    let explicit = std::mem::take(&mut q.options);
                    let mut all: Vec<Choice> = set
                        .bands
                        .iter()
                        .map(|b| Choice {
                            code: b.id.clone(),
                            label: b.label.clone(),
                            figures: vec![],
                            neutral: false,
                            provenance: b.provenance,
                        })
                        .collect();
                    if let Some(u) = &set.unknown {
                        all.push(Choice {
                            code: u.id.clone(),
                            label: u.label.clone(),
                            figures: vec![],
                            neutral: true,
                            provenance: u.provenance,
                        });
                    }
                    for e in explicit {
                        match all.iter_mut().find(|c| c.code == e.code) {
                            Some(c) => c.figures.extend(e.figures),
                            None => errors.push(ContentError::entry(
                                file,
                                &entry,
                                format!("option {:?} is not a band of {set_id}", e.code),
                            )),
                        }
                    }
                    q.options = all;
                }
                None => errors.push(ContentError::entry(
                    file,
                    &entry,
                    format!("unknown band set {set_id:?}"),
                )),
            }
        }
        if let Some(from) = &q.rows_from {
            match from
                .strip_prefix("checklist:")
                .and_then(|key| cat.checklist_by_key(key))
            {
                Some(cl) => {
                    // The rows are the checklist's items (same ids, so a self-assessment fills
                    // them in), but their wording is the questionnaire's own, written out in the
                    // instrument: a later checklist title must not change what a round asks.
                    let ids: Vec<&str> = cl.items.iter().map(|i| i.id.as_str()).collect();
                    let rows: Vec<&str> = q.rows.iter().map(|r| r.id.as_str()).collect();
                    if rows != ids {
                        let missing: Vec<&str> =
                            ids.iter().filter(|i| !rows.contains(i)).copied().collect();
                        let extra: Vec<&str> =
                            rows.iter().filter(|r| !ids.contains(r)).copied().collect();
                        errors.push(ContentError::entry(
                            file,
                            &entry,
                            format!(
                                "rows_from {from:?}: write out one [[questions.rows]] per item of the checklist, in its order, with the questionnaire's own label (missing {missing:?}, not items {extra:?})"
                            ),
                        ));
                    }
                    for item in &cl.items {
                        for link in item.baseline.iter().filter(|l| !l.related) {
                            q.figures.push(kojo_core::instrument::FigureRule {
                                id: link.figure.clone(),
                                codes: link.levels.clone(),
                                row: Some(item.id.clone()),
                                rows: vec![],
                                each: false,
                                given: None,
                            });
                        }
                    }
                    if q.scale.is_none() {
                        q.scale = Some(cl.scale.clone());
                    }
                }
                None => errors.push(ContentError::entry(
                    file,
                    &entry,
                    format!(
                        "rows_from {from:?}: expected checklist:<id>/v<N> of a known checklist"
                    ),
                )),
            }
        }
        if let Some(scale_id) = &q.scale
            && q.columns.is_empty()
        {
            match cat.scale(scale_id) {
                Some(s) => {
                    q.columns = s
                        .levels
                        .iter()
                        .map(|l| Choice {
                            code: l.code.clone(),
                            label: l.label.clone(),
                            figures: vec![],
                            neutral: l.not_applicable,
                            provenance: l.provenance,
                        })
                        .collect();
                }
                None => errors.push(ContentError::entry(
                    file,
                    &entry,
                    format!("unknown scale {scale_id:?}"),
                )),
            }
        }
    }
}

/// Every question, and every option, row and column written in the file, says where it comes
/// from. Options of a band question come from `reference/bands.toml` with their provenance.
fn written_provenance(q: &Question, file: &str, entry: &str, errors: &mut ContentErrors) {
    let mut problems = Vec::new();
    if q.provenance.is_none() {
        problems.push(format!("question: {}", crate::validate::PROVENANCE_MISSING));
    }
    for o in &q.options {
        match (q.bands.is_some(), o.provenance.is_some()) {
            (false, false) => problems.push(format!(
                "option {}: {}",
                o.code,
                crate::validate::PROVENANCE_MISSING
            )),
            (true, true) => problems.push(format!(
                "option {}: a band's provenance is written in reference/bands.toml, not here",
                o.code
            )),
            _ => {}
        }
    }
    for c in q.columns.iter().filter(|c| c.provenance.is_none()) {
        problems.push(format!(
            "column {}: {}",
            c.code,
            crate::validate::PROVENANCE_MISSING
        ));
    }
    for r in q.rows.iter().filter(|r| r.provenance.is_none()) {
        problems.push(format!(
            "row {}: {}",
            r.id,
            crate::validate::PROVENANCE_MISSING
        ));
    }
    for p in problems {
        errors.push(ContentError::entry(file, entry, p));
    }
}

/// The codes a condition or figure may name for a question (options, or grid columns).
fn codes_of(q: &Question) -> Vec<&str> {
    match q.kind {
        QuestionType::Grid => q.columns.iter().map(|c| c.code.as_str()).collect(),
        _ => q.options.iter().map(|o| o.code.as_str()).collect(),
    }
}

fn check_condition(
    inst: &Instrument,
    cond: &Condition,
    before: Option<usize>,
    file: &str,
    entry: &str,
    what: &str,
    errors: &mut ContentErrors,
) {
    let mut err = |m: String| errors.push(ContentError::entry(file, entry, format!("{what}: {m}")));
    let Some(pos) = inst.position(&cond.question) else {
        err(format!("unknown question {:?}", cond.question));
        return;
    };
    if let Some(limit) = before
        && pos >= limit
    {
        err(format!(
            "question {} must come earlier in the instrument",
            cond.question
        ));
    }
    let q = &inst.questions[pos];
    if matches!(q.kind, QuestionType::Number | QuestionType::Text) {
        err(format!("question {} has no codes to test", q.id));
        return;
    }
    if q.kind == QuestionType::Grid {
        match &cond.row {
            Some(r) if q.rows.iter().any(|x| &x.id == r) => {}
            Some(r) => err(format!("{r:?} is not a row of {}", q.id)),
            None => err(format!("{} is a grid: name the row", q.id)),
        }
    }
    let known = codes_of(q);
    for c in &cond.codes {
        if !known.contains(&c.as_str()) {
            err(format!(
                "{c:?} is not an answer of {} (expected one of {known:?})",
                q.id
            ));
        }
    }
    if cond.codes.is_empty() {
        err("no codes".into());
    }
}

#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
pub fn validate(cat: &Catalog, inst: &Instrument, errors: &mut ContentErrors) {
    let file = format!("instruments/{}.toml", inst.id);
    let file = file.as_str();
    let push = |errors: &mut ContentErrors, entry: &str, m: String| {
        errors.push(ContentError::entry(file, entry, m))
    };
    if inst.schema != 1 {
        errors.push(ContentError::file(
            file,
            format!("unsupported schema {}", inst.schema),
        ));
    }
    let Some(baseline) = cat.baseline(&inst.baseline) else {
        errors.push(ContentError::file(
            file,
            format!("unknown baseline {:?}", inst.baseline),
        ));
        return;
    };
    let survey = baseline.surveys.iter().find(|s| s.id == inst.survey);
    match survey {
        None => errors.push(ContentError::file(
            file,
            format!("baseline {} has no survey {:?}", baseline.id, inst.survey),
        )),
        Some(s) => {
            let codes: Vec<&str> = inst.sections.iter().map(|x| x.code.as_str()).collect();
            let expected: Vec<&str> = s.sections.iter().map(|x| x.code.as_str()).collect();
            if codes != expected {
                errors.push(ContentError::file(
                    file,
                    format!("sections {codes:?} differ from the survey's {expected:?}"),
                ));
            }
            if inst.questions.len() != s.items as usize {
                errors.push(ContentError::file(
                    file,
                    format!(
                        "{} questions, but the {} survey had {} items",
                        inst.questions.len(),
                        s.id,
                        s.items
                    ),
                ));
            }
        }
    }
    let mut seen = HashSet::new();
    for (pos, q) in inst.questions.iter().enumerate() {
        let entry = format!("question {}", q.id);
        if !seen.insert(q.id.as_str()) {
            push(errors, &entry, "duplicate id".into());
        }
        if !valid_id(&q.id) {
            push(
                errors,
                &entry,
                "invalid id (letters, digits, - and _ only)".into(),
            );
        }
        if !inst.sections.iter().any(|s| s.code == q.section) {
            push(errors, &entry, format!("unknown section {:?}", q.section));
        }
        match q.kind {
            QuestionType::Single | QuestionType::Multiple | QuestionType::Band
                if q.options.is_empty() =>
            {
                push(
                    errors,
                    &entry,
                    "needs options (options, options_from or bands)".into(),
                );
            }
            QuestionType::Grid if q.rows.is_empty() || q.columns.is_empty() => {
                push(
                    errors,
                    &entry,
                    "a grid needs rows (or rows_from) and columns (or scale)".into(),
                );
            }
            _ => {}
        }
        if q.kind == QuestionType::Band && q.bands.is_none() {
            push(
                errors,
                &entry,
                "a band question names its band set (bands = …)".into(),
            );
        }
        let mut codes = HashSet::new();
        for c in q.options.iter().chain(&q.columns) {
            if !codes.insert(c.code.as_str()) || !valid_id(&c.code) {
                push(
                    errors,
                    &entry,
                    format!("option code {:?} is duplicated or invalid", c.code),
                );
            }
        }
        let mut rows = HashSet::new();
        for r in &q.rows {
            if !rows.insert(r.id.as_str()) || !valid_id(&r.id) {
                push(
                    errors,
                    &entry,
                    format!("row id {:?} is duplicated or invalid", r.id),
                );
            }
        }
        for x in &q.exclusive {
            if !q.options.iter().any(|o| &o.code == x) {
                push(
                    errors,
                    &entry,
                    format!("exclusive code {x:?} is not an option"),
                );
            }
        }
        if let Some(cond) = &q.show_if {
            check_condition(inst, cond, Some(pos), file, &entry, "show_if", errors);
        }
        if let Some(a) = &q.attribute
            && !["industry", "size_band", "prefecture", "sc3"].contains(&a.as_str())
        {
            push(
                errors,
                &entry,
                format!("attribute {a:?}: expected industry, size_band, prefecture or sc3"),
            );
        }
        let known = codes_of(q);
        for f in &q.figures {
            let fe = format!("{entry} / figure {}", f.id);
            for c in &f.codes {
                if !known.contains(&c.as_str()) {
                    push(errors, &fe, format!("{c:?} is not an answer of {}", q.id));
                }
            }
            for r in f.row.iter().chain(&f.rows) {
                if !q.rows.iter().any(|x| &x.id == r) {
                    push(errors, &fe, format!("{r:?} is not a row of {}", q.id));
                }
            }
            if q.kind == QuestionType::Grid && f.row.is_none() && f.rows.is_empty() {
                push(
                    errors,
                    &fe,
                    "a grid figure names its row (row = …) or rows".into(),
                );
            }
            if let Some(g) = &f.given {
                check_condition(inst, g, None, file, &fe, "given", errors);
            }
        }
    }
    for s in &inst.scores {
        let entry = format!("score {}", s.id);
        match inst.question(&s.question) {
            Some(q) if q.kind == QuestionType::Grid => {
                for r in &s.rows {
                    if !q.rows.iter().any(|x| &x.id == r) {
                        push(errors, &entry, format!("{r:?} is not a row of {}", q.id));
                    }
                }
                for code in s.points.keys() {
                    if !q.columns.iter().any(|c| &c.code == code) {
                        push(
                            errors,
                            &entry,
                            format!("points for {code:?}, which is not a column of {}", q.id),
                        );
                    }
                }
            }
            _ => push(
                errors,
                &entry,
                format!("question {:?} is not a grid of this instrument", s.question),
            ),
        }
    }
    let score_ids: HashSet<&str> = inst.scores.iter().map(|s| s.id.as_str()).collect();
    for d in &inst.derived {
        let entry = format!("derived {}", d.id);
        for s in &d.scores {
            if !score_ids.contains(s.as_str()) {
                push(errors, &entry, format!("unknown score {s:?}"));
            }
        }
        if let Some(g) = &d.given {
            check_condition(inst, g, None, file, &entry, "given", errors);
        }
        if let Some(qid) = &d.question {
            match inst.question(qid) {
                Some(q) if q.kind == QuestionType::Grid => {
                    for r in d.rows.iter().chain(&d.reference_row) {
                        if !q.rows.iter().any(|x| &x.id == r) {
                            push(errors, &entry, format!("{r:?} is not a row of {qid}"));
                        }
                    }
                }
                _ => push(errors, &entry, format!("question {qid:?} is not a grid")),
            }
        }
    }
    let mut theme_ids = HashSet::new();
    for t in &inst.themes {
        if !theme_ids.insert(t.id.as_str()) || !valid_id(&t.id) {
            push(
                errors,
                &format!("theme {}", t.id),
                "duplicate or invalid id".into(),
            );
        }
    }
    figure_coverage(inst, baseline, file, errors);
}

/// Every figure id the instrument names, with where it is defined.
pub fn figure_definitions(inst: &Instrument) -> Vec<(String, String)> {
    let mut defs = Vec::new();
    for q in &inst.questions {
        for o in q.options.iter().chain(&q.columns) {
            for f in &o.figures {
                defs.push((f.clone(), format!("question {} option {}", q.id, o.code)));
            }
        }
        for f in &q.figures {
            defs.push((f.id.clone(), format!("question {}", q.id)));
        }
    }
    for s in &inst.scores {
        if let Some(f) = &s.figure {
            defs.push((f.clone(), format!("score {}", s.id)));
        }
    }
    for d in &inst.derived {
        defs.push((d.id.clone(), format!("derived {}", d.id)));
    }
    defs
}

fn figure_coverage(inst: &Instrument, baseline: &Baseline, file: &str, errors: &mut ContentErrors) {
    let mut places: HashMap<String, Vec<String>> = HashMap::new();
    for (id, place) in figure_definitions(inst) {
        places.entry(id).or_default().push(place);
    }
    for (id, where_) in &places {
        match baseline.figure(id) {
            None => errors.push(ContentError::file(
                file,
                format!(
                    "figure {id:?} ({}) is not in baseline {}",
                    where_.join(", "),
                    baseline.id
                ),
            )),
            Some(f) if f.survey != inst.survey => errors.push(ContentError::file(
                file,
                format!(
                    "figure {id} belongs to the {} survey, not {}",
                    f.survey, inst.survey
                ),
            )),
            _ => {}
        }
        // Options of one question may share a figure (a union); elsewhere a figure is defined once.
        let questions: HashSet<&str> = where_
            .iter()
            .map(|w| w.split(" option ").next().unwrap_or(w))
            .collect();
        if questions.len() > 1 {
            errors.push(ContentError::file(
                file,
                format!(
                    "figure {id} is defined in several places: {}",
                    where_.join(", ")
                ),
            ));
        }
    }
    for f in baseline.figures.iter().filter(|f| f.survey == inst.survey) {
        if !places.contains_key(&f.id) {
            errors.push(ContentError::file(
                file,
                format!(
                    "baseline figure {} is not computable from this instrument",
                    f.id
                ),
            ));
        }
    }
}
