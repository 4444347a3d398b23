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
    let (tally, header) = match survey_csv::tally(reader, &schema, &plan, threads) {
        Ok(t) => t,
        Err(survey_csv::SurveyFileError::Cells(cells)) => {
            for c in &cells {
                eprintln!("{}: {c}", file.display());
            }
            bail!("{}: {} invalid cell(s)", file.display(), cells.len());
        }
        Err(e) => bail!("{}: {e}", file.display()),
    };
    let mut res = results::build(&schema, &plan, &tally, baseline);
    if let Some(k) = k {
        disclosure::apply(&mut res, disclosure::threshold(Some(k)));
    }
    if json {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        serde_json::to_writer_pretty(&mut out, &res)?;
        writeln!(out)?;
        return Ok(());
    }
    println!(
        "{}: {} respondents ({} questions)",
        inst.id,
        res.respondents,
        res.questions.len()
    );
    if !header.missing.is_empty() {
        println!(
            "columns not in the file (counted as unanswered): {}",
            header.missing.join(", ")
        );
    }
    println!(
        "{:<72} {:>8} {:>8} {:>6} {:>8}",
        "figure", "value", "count", "n", "2022"
    );
    for (id, f) in &res.figures {
        let published = baseline
            .figure(id)
            .map(|b| b.value.to_string())
            .unwrap_or_default();
        let show = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_else(|| "—".into());
        println!(
            "{:<72} {:>8} {:>8} {:>6} {:>8}",
            id,
            show(f.value),
            f.count.map(|c| c.to_string()).unwrap_or_default(),
            f.n.map(|c| c.to_string()).unwrap_or_default(),
            published
        );
    }
    Ok(())
}
