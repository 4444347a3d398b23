//! `kojo content check|export`.

use std::path::Path;

use anyhow::bail;

pub fn check(dir: Option<&Path>) -> anyhow::Result<()> {
    let result = match dir {
        Some(d) => kojo_content::load_dir(d),
        None => kojo_content::load_embedded(),
    };
    match result {
        Ok(c) => {
            for cl in &c.checklists {
                let measures: usize = cl.items.iter().map(|i| i.measures.len()).sum();
                println!(
                    "checklist {}: {} categories, {} items, {} measures",
                    cl.key(),
                    cl.categories.len(),
                    cl.items.len(),
                    measures
                );
            }
            for s in &c.scales {
                println!("scale {}: {} answers", s.id, s.levels.len());
            }
            for i in &c.instruments {
                let sections: Vec<String> = i
                    .sections
                    .iter()
                    .map(|s| {
                        format!(
                            "{} {}",
                            s.code,
                            i.questions.iter().filter(|q| q.section == s.code).count()
                        )
                    })
                    .collect();
                println!(
                    "instrument {}: {} questions ({}), {} scores, {} derived figures, {} themes",
                    i.id,
                    i.questions.len(),
                    sections.join(", "),
                    i.scores.len(),
                    i.derived.len(),
                    i.themes.len()
                );
            }
            for b in &c.baselines {
                println!("baseline {}: {} figures", b.id, b.figures.len());
            }
            println!(
                "reference: {} industries, {} prefectures, {} band sets, {} cost bands, {} directives, {} basic measures",
                c.industries.industries.len(),
                c.prefectures.prefectures.len(),
                c.bands.band_sets.len(),
                c.bands.cost_bands.len(),
                c.cmg.directives.len(),
                c.cmg.basic_measures.len()
            );
            println!("content OK");
            Ok(())
        }
        Err(errors) => {
            for e in errors.iter() {
                eprintln!("{e}");
            }
            bail!("content check failed: {} error(s)", errors.len())
        }
    }
}

pub fn export() -> anyhow::Result<()> {
    let catalog = kojo_content::load_embedded()?;
    println!("{}", serde_json::to_string_pretty(&catalog)?);
    Ok(())
}
