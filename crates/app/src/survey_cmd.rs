//! `kojo survey simulate|analyze` (the database-backed `import` and `report` arrive with
//! rounds): the survey engine on files, for analysts who hold a response file.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use kojo_content::Catalog;
use kojo_core::instrument::Instrument;
use kojo_core::survey::schema::Schema;
use kojo_core::survey::tally::{CrossPlan, Plan};
use kojo_core::survey::{disclosure, results, simulate};
use kojo_formats::survey_csv;

pub fn instrument<'a>(catalog: &'a Catalog, id: &str) -> anyhow::Result<&'a Instrument> {
    catalog.instrument(id).with_context(|| {
        let known: Vec<&str> = catalog.instruments.iter().map(|i| i.id.as_str()).collect();
        format!("no instrument {id:?} (known: {})", known.join(", "))
    })
}

/// `BY:OF` → a cross-tab plan (`@industry` etc. for organisation attributes).
pub fn crosstab(schema: &Schema, spec: &str) -> anyhow::Result<CrossPlan> {
    let (by, of) = spec
        .split_once(':')
        .with_context(|| format!("--crosstab {spec:?}: expected BY:OF (e.g. A6:E2)"))?;
    let find = |name: &str| -> anyhow::Result<usize> {
        let column = match name.strip_prefix('@') {
            Some(attr) => schema.attribute_column(attr),
            None => schema.column(name).or_else(|| schema.column_of(name, None)),
        };
        column.with_context(|| format!("--crosstab {spec:?}: no column {name:?}"))
    };
    let (by, of) = (find(by)?, find(of)?);
    if !results::is_single(schema, by) {
        bail!(
            "--crosstab {spec:?}: {} is not a single-choice question",
            schema.columns[by].name
        );
    }
    Ok(CrossPlan { by, of })
}

pub fn simulate(
    instrument_id: &str,
    n: usize,
    seed: u64,
    out: Option<&Path>,
) -> anyhow::Result<()> {
    let catalog = kojo_content::load_embedded()?;
    let inst = instrument(&catalog, instrument_id)?;
    let baseline = catalog.baseline(&inst.baseline).context("baseline")?;
    let schema = Schema::new(inst)?;
    let plan = Plan::new(&schema, &[])?;
    let sink: Box<dyn Write> = match out {
        Some(p) => Box::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut writer =
        survey_csv::Writer::new(std::io::BufWriter::with_capacity(1 << 20, sink), &schema)?;
    let mut i = 0usize;
    let mut result = Ok(());
    simulate::simulate(&schema, &plan, baseline, n, seed, |values, texts| {
        i += 1;
        if result.is_ok() {
            result = writer.row(&schema, &format!("R{i:07}"), values, texts);
        }
    });
    result?;
    writer.finish()?;
    if let Some(p) = out {
        eprintln!(
            "wrote {n} simulated responses of {} to {}",
            inst.id,
            p.display()
        );
    }
    Ok(())
}

pub fn analyze(
    instrument_id: &str,
    file: &Path,
    crosstabs: &[String],
    k: Option<u64>,
    json: bool,
    threads: Option<usize>,
) -> anyhow::Result<()> {
    let catalog = kojo_content::load_embedded()?;
    let inst = instrument(&catalog, instrument_id)?;
    let baseline = catalog.baseline(&inst.baseline).context("baseline")?;
    let schema = Schema::new(inst)?;
    let cross = crosstabs
        .iter()
        .map(|c| crosstab(&schema, c))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let plan = Plan::new(&schema, &cross)?;
    let reader =
        std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let threads = threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
    });
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The same reader and rules as `kojo survey import` (CSV in UTF-8 or CP932, xlsx).
    let (tally, header) = match survey_csv::tally_seekable(reader, &name, &schema, &plan, threads) {
        Ok(t) => t,
        Err(survey_csv::SurveyFileError::Cells(cells)) => {
            for c in &cells {
                eprintln!("{}: {c}", file.display());
            }
            bail!("{}: {} invalid cell(s)", file.display(), cells.len());
        }
        Err(e) => bail!("{}: {e}", file.display()),
    };
    // Warnings go to stderr in both modes, and into the JSON as `warnings`.
    let warnings: Vec<String> = header
        .missing_message(kojo_core::Locale::En)
        .into_iter()
        .collect();
    for w in &warnings {
        eprintln!("{}: warning: {w}", file.display());
    }
    let mut res = results::build(&schema, &plan, &tally, baseline);
    if let Some(k) = k {
        disclosure::apply(&mut res, disclosure::threshold(Some(k)));
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        let mut value = serde_json::to_value(&res)?;
        if let Some(object) = value.as_object_mut() {
            object.insert("warnings".into(), serde_json::json!(warnings));
        }
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
        return Ok(out.flush()?);
    }
    writeln!(
        out,
        "{}: {} respondents ({} questions)",
        inst.id,
        res.respondents,
        res.questions.len()
    )?;
    writeln!(
        out,
        "{:<72} {:>8} {:>8} {:>6} {:>8}",
        "figure", "value", "count", "n", "2022"
    )?;
    for (id, f) in &res.figures {
        let published = baseline
            .figure(id)
            .map(|b| b.value.to_string())
            .unwrap_or_default();
        let show = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_else(|| "—".into());
        writeln!(
            out,
            "{:<72} {:>8} {:>8} {:>6} {:>8}",
            id,
            show(f.value),
            f.count.map(|c| c.to_string()).unwrap_or_default(),
            f.n.map(|c| c.to_string()).unwrap_or_default(),
            published
        )?;
    }
    Ok(out.flush()?)
}

pub async fn import(store: &kojo_storage::Store, round_id: i64, file: &Path) -> anyhow::Result<()> {
    let catalog = kojo_content::load_embedded()?;
    let round = store
        .round(round_id)
        .await
        .with_context(|| format!("no round with id {round_id}"))?;
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let rows = match kojo_web::pages::rounds::parse_responses(
        &catalog,
        &round,
        &name,
        &bytes,
        kojo_core::Locale::En,
    ) {
        Ok(rows) => rows,
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            bail!(
                "{}: {} problem(s); nothing was imported",
                file.display(),
                errors.len()
            );
        }
    };
    let n = store
        .import_responses(&kojo_storage::Actor::cli(), round.id, &rows)
        .await?;
    println!(
        "imported {n} responses into round {} ({})",
        round.id, round.title
    );
    Ok(())
}

pub async fn report(
    store: &kojo_storage::Store,
    round_id: i64,
    json: bool,
    xlsx: Option<&Path>,
    lang: &str,
    k: Option<u64>,
) -> anyhow::Result<()> {
    let catalog = kojo_content::load_embedded()?;
    let round = store
        .round(round_id)
        .await
        .with_context(|| format!("no round with id {round_id}"))?;
    let inst = instrument(&catalog, &round.instrument)?;
    let cache = kojo_web::survey_data::ResultsCache::default();
    let request = kojo_web::survey_data::Request {
        instrument: inst,
        rounds: std::slice::from_ref(&round),
        national: false,
        cross: &[],
        k: disclosure::threshold(k),
    };
    let results = kojo_web::survey_data::results(store, &catalog, &cache, &request)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(path) = xlsx {
        let locale = kojo_core::Locale::parse(lang)
            .with_context(|| format!("--lang must be ja or en, got {lang:?}"))?;
        let ctx = kojo_web::Ctx::anonymous(locale, "/".into());
        let sheets = kojo_web::pages::survey_report::tables(
            &ctx,
            inst,
            &results,
            catalog.national_baseline(),
        );
        std::fs::write(path, kojo_formats::tables_xlsx::write(&sheets)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    if json || xlsx.is_none() {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        serde_json::to_writer_pretty(&mut out, &*results)?;
        writeln!(out)?;
    }
    Ok(())
}

pub async fn open(
    store: &kojo_storage::Store,
    org: &str,
    instrument_id: &str,
    title: &str,
) -> anyhow::Result<()> {
    let catalog = kojo_content::load_embedded()?;
    instrument(&catalog, instrument_id)?;
    let owner = crate::orgs_cmd::find_org(store, org, None).await?;
    if owner.kind() == kojo_core::org::OrgKind::Company {
        bail!("--org {org:?}: a round is run by an association or the ministry, not a company");
    }
    let round = store
        .create_round(
            &kojo_storage::Actor::cli(),
            owner.id,
            &kojo_storage::NewRound {
                instrument: instrument_id.into(),
                title: title.into(),
                opens_on: None,
                closes_on: None,
            },
        )
        .await?;
    println!(
        "opened round {} ({}) of {} for {}",
        round.id, round.title, instrument_id, owner.name
    );
    Ok(())
}

pub fn plan(instrument_id: &str, crosstabs: &[String]) -> anyhow::Result<()> {
    use kojo_core::survey::schema::Kind;
    let catalog = kojo_content::load_embedded()?;
    let inst = instrument(&catalog, instrument_id)?;
    let schema = Schema::new(inst)?;
    let cross = crosstabs
        .iter()
        .map(|c| crosstab(&schema, c))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let plan = Plan::new(&schema, &cross)?;
    let codes_of = |column: usize, mask: u64| -> Vec<String> {
        schema.columns[column]
            .codes
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1u64 << i) != 0)
            .map(|(_, c)| c.clone())
            .collect()
    };
    let columns: Vec<serde_json::Value> = schema
        .columns
        .iter()
        .map(|c| {
            serde_json::json!({
                "name": c.name,
                "kind": match c.kind { Kind::Single => "single", Kind::Multiple => "multiple", Kind::Number => "number", Kind::Text => "text" },
                "show_if": c.show_if.map(|s| serde_json::json!({"column": schema.columns[s.column].name, "codes": codes_of(s.column, s.mask)})),
            })
        })
        .collect();
    let figures: Vec<serde_json::Value> = plan
        .figures
        .iter()
        .map(|f| {
            serde_json::json!({
                "id": f.id,
                "column": schema.columns[f.column].name,
                "codes": codes_of(f.column, f.mask),
                "given": f.given.map(|g| serde_json::json!({"column": schema.columns[g.column].name, "codes": codes_of(g.column, g.mask)})),
            })
        })
        .collect();
    let crosstabs: Vec<serde_json::Value> = plan
        .cross
        .iter()
        .map(|c| serde_json::json!({"by": schema.columns[c.by].name, "of": schema.columns[c.of].name}))
        .collect();
    println!(
        "{}",
        serde_json::to_string_pretty(
            &serde_json::json!({"columns": columns, "figures": figures, "crosstabs": crosstabs})
        )?
    );
    Ok(())
}
