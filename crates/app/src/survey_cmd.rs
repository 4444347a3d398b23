//! `kojo survey simulate|analyze|plan`: the survey engine on files, for analysts who hold a
//! response file; `kojo survey open|import|report`: rounds in the database, through the use
//! cases of `kojo_service` (acting as the command line).

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use kojo_content::Catalog;
use kojo_core::ids::RoundId;
use kojo_core::instrument::Instrument;
use kojo_core::survey::schema::Schema;
use kojo_core::survey::tally::{CrossPlan, Plan};
use kojo_core::survey::{disclosure, results, simulate};
use kojo_formats::survey_csv;
use kojo_service::access::RoundUse;
use kojo_service::rounds::RoundDraft;
use kojo_service::survey_report::Scope;
use kojo_service::{Lang, Service, Who};

use crate::assess_cmd::cli_error;

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
            show(f.value()),
            f.count().map(|c| c.to_string()).unwrap_or_default(),
            f.n().map(|c| c.to_string()).unwrap_or_default(),
            published
        )?;
    }
    Ok(out.flush()?)
}

/// Closes a round (audited as the command line's action).
pub async fn close(service: &Service, round_id: RoundId) -> anyhow::Result<()> {
    let what = format!("round with id {round_id}");
    service
        .close_round(&Who::Cli, round_id)
        .await
        .map_err(|e| cli_error(e, &what))?;
    println!("closed round {round_id}");
    Ok(())
}

pub async fn import(service: &Service, round_id: RoundId, file: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let imported = service
        .import_responses(&Who::Cli, round_id, &name, &bytes, &Lang::en())
        .await
        .map_err(|e| cli_error(e, &format!("round with id {round_id}")))?;
    let n = match imported {
        Ok(n) => n,
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
    let round = service
        .round_for(&Who::Cli, round_id, RoundUse::Read)
        .await
        .map_err(|e| cli_error(e, &format!("round with id {round_id}")))?;
    println!(
        "imported {n} responses into round {} ({})",
        round.id, round.title
    );
    Ok(())
}

pub async fn report(
    service: &Service,
    round_id: RoundId,
    json: bool,
    xlsx: Option<&Path>,
    lang: &str,
) -> anyhow::Result<()> {
    let scope = Scope::Round(round_id);
    let not_found = |e| cli_error(e, &format!("round with id {round_id}"));
    let report = service
        .survey_report(&Who::Cli, &scope, &[])
        .await
        .map_err(not_found)?;
    if let Some(path) = xlsx {
        let locale = kojo_core::Locale::parse(lang)
            .with_context(|| format!("--lang must be ja or en, got {lang:?}"))?;
        let (_, bytes) = service
            .survey_report_xlsx(&Who::Cli, &scope, &Lang::new(locale))
            .await
            .map_err(not_found)?;
        std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    if json || xlsx.is_none() {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        serde_json::to_writer_pretty(&mut out, &*report.results)?;
        writeln!(out)?;
    }
    Ok(())
}

pub async fn open(
    service: &Service,
    org: &str,
    instrument_id: &str,
    title: &str,
) -> anyhow::Result<()> {
    instrument(service.catalog(), instrument_id)?;
    let owner = crate::orgs_cmd::find_org(service, org, None).await?;
    if owner.kind == kojo_core::org::OrgKind::Company {
        bail!("--org {org:?}: a round is run by an association or the ministry, not a company");
    }
    let draft = RoundDraft {
        instrument: instrument_id.into(),
        title: title.into(),
        ..RoundDraft::default()
    };
    let round = service
        .create_round(&Who::Cli, Some(owner.id), &draft)
        .await
        .map_err(|e| cli_error(e, &format!("organisation {org:?}")))?;
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
