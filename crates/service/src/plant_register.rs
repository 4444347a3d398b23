//! The asset register (資産台帳) of a site: the blank template with drop-downs, the site's
//! register as a workbook, and the import of a register as factories keep it (xlsx or CSV).
//!
//! An import reads the whole file first (`kojo_formats::register::read`: every bad cell
//! located, nothing written when there is one), then changes the site's assets in one
//! transaction: a row that names an existing asset (kojo ID, else asset number) updates the
//! columns the register has and keeps the others; other rows are added; with
//! [`Missing::Remove`], assets the register does not list are deleted with their data flows.
//! Zones and business processes are never created: a name the site does not have is a located
//! error (docs/plant.md, "Asset register").

use std::collections::HashMap;

use kojo_content::Catalog;
use kojo_core::Locale;
use kojo_core::ids::{AssetId, ProcessId, SiteId, ZoneId};
use kojo_core::plant::model::{Asset, AssetKind, Plant};
use kojo_formats::register::{
    self, Field, IgnoredColumn, Known, RegisterBook, RegisterError, RegisterRow, Vocabulary,
};
use kojo_storage::AssetChanges;

use crate::plant::NAME_MAX;
use crate::{Error, Lang, Result, Service, Who};

/// The largest register accepted for import (a 10,000-asset register is about 1 MB as xlsx).
pub const REGISTER_UPLOAD_LIMIT: usize = 20 * 1024 * 1024;

/// What happens to the site's assets that the register does not list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Missing {
    /// They stay (the register adds and updates).
    #[default]
    Keep,
    /// They are deleted, with their data flows (the register is the whole list).
    Remove,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterSummary {
    pub added: usize,
    pub updated: usize,
    /// Rows identical to the asset they name.
    pub unchanged: usize,
    pub removed: usize,
    /// Data flows deleted with the removed assets.
    pub flows_removed: u64,
    /// Rows whose kojo ID named no asset of the site (matched by asset number or added).
    pub stale_ids: usize,
    /// The sheets read, and those skipped (no header row).
    pub sheets: Vec<String>,
    pub skipped: Vec<String>,
    pub ignored: Vec<IgnoredColumn>,
}

/// What an uploaded register became.
pub enum RegisterImport {
    Imported(RegisterSummary),
    /// Refused: nothing stored.
    Rejected(RegisterError),
}

/// The register's vocabulary from the content.
pub fn vocabulary(catalog: &Catalog) -> Vocabulary<'_> {
    Vocabulary::new(
        &catalog.plant.register,
        &catalog.plant.labels,
        kojo_content::fold,
    )
}

/// The register workbook: the template (`assets` false) or the site's register.
pub fn workbook(
    catalog: &Catalog,
    site: Option<&str>,
    plant: &Plant,
    assets: bool,
    locale: Locale,
) -> Result<Vec<u8>> {
    let vocab = vocabulary(catalog);
    register::write(&RegisterBook {
        vocab: &vocab,
        locale,
        site,
        plant,
        assets,
    })
    .map_err(|e| Error::Internal(e.to_string()))
}

/// The file name of a register workbook.
pub fn file_name(site: Option<&str>, template: bool, lang: &Lang) -> String {
    let t = lang.t;
    let stem = if template {
        t.register_file_template
    } else {
        t.register_file_export
    };
    match site {
        Some(site) => format!("{stem}_{site}.xlsx"),
        None => format!("{stem}.xlsx"),
    }
}

impl Service {
    /// The blank register of a site: its zones in the drop-down.
    pub async fn register_template(
        &self,
        who: &Who,
        site: SiteId,
        lang: &Lang,
    ) -> Result<(String, Vec<u8>)> {
        let (site, plant) = self.plant_of(who, site).await?;
        let bytes = workbook(self.catalog(), Some(&site.name), &plant, false, lang.locale)?;
        Ok((file_name(Some(&site.name), true, lang), bytes))
    }

    /// The site's register: one row per asset, in the layout the import reads back.
    pub async fn register_export(
        &self,
        who: &Who,
        site: SiteId,
        lang: &Lang,
    ) -> Result<(String, Vec<u8>)> {
        let (site, plant) = self.plant_of(who, site).await?;
        let bytes = workbook(self.catalog(), Some(&site.name), &plant, true, lang.locale)?;
        Ok((file_name(Some(&site.name), false, lang), bytes))
    }

    /// Imports a register into a site's assets, all or nothing (see the module documentation).
    pub async fn import_register(
        &self,
        who: &Who,
        site: SiteId,
        file_name: &str,
        bytes: &[u8],
        missing: Missing,
    ) -> Result<RegisterImport> {
        let site = self.site_for(who, site).await?;
        if bytes.len() > REGISTER_UPLOAD_LIMIT {
            return Err(Error::TooLarge {
                limit: REGISTER_UPLOAD_LIMIT,
            });
        }
        let plant = self.store().plant(site.id).await?;
        let zones: Vec<String> = plant.zones.iter().map(|z| z.name.clone()).collect();
        let processes: Vec<String> = plant.processes.iter().map(|p| p.name.clone()).collect();
        let assets: Vec<(i64, String)> = plant
            .assets
            .iter()
            .map(|a| (a.id.get(), a.tag.clone()))
            .collect();
        // Reading and checking a large workbook is CPU work: off the async workers.
        let (svc, bytes, name) = (self.clone(), bytes.to_vec(), file_name.to_string());
        let parsed = tokio::task::spawn_blocking(move || {
            let vocab = vocabulary(svc.catalog());
            let known = Known {
                zones: &zones,
                processes: &processes,
                assets: &assets,
                max_chars: NAME_MAX,
            };
            register::read(&bytes, &name, &vocab, &known)
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
        let parsed = match parsed {
            Ok(p) => p,
            Err(e) => return Ok(RegisterImport::Rejected(e)),
        };
        let (changes, mut summary) = plan(&plant, &parsed.rows, missing);
        summary.sheets = parsed.sheets;
        summary.skipped = parsed.skipped;
        summary.ignored = parsed.ignored;
        if !changes.insert.is_empty() || !changes.update.is_empty() || !changes.delete.is_empty() {
            let done = self
                .store()
                .change_assets(&who.actor(), site.id, &changes, "register")
                .await?;
            summary.flows_removed = done.flows_deleted;
        }
        Ok(RegisterImport::Imported(summary))
    }
}

/// The changes a register's rows make to a model, and their counts.
pub fn plan(
    plant: &Plant,
    rows: &[RegisterRow],
    missing: Missing,
) -> (AssetChanges, RegisterSummary) {
    let zones: HashMap<&str, ZoneId> = plant
        .zones
        .iter()
        .map(|z| (z.name.as_str(), z.id))
        .collect();
    let processes: HashMap<&str, ProcessId> = plant
        .processes
        .iter()
        .map(|p| (p.name.as_str(), p.id))
        .collect();
    let existing: HashMap<i64, &Asset> = plant.assets.iter().map(|a| (a.id.get(), a)).collect();
    let mut changes = AssetChanges::default();
    let mut summary = RegisterSummary::default();
    let mut listed = std::collections::HashSet::new();
    for row in rows {
        summary.stale_ids += usize::from(row.stale_id);
        match row.existing.and_then(|id| existing.get(&id)) {
            Some(old) => {
                listed.insert(old.id);
                let mut asset = (*old).clone();
                apply(&mut asset, row, &zones, &processes);
                if asset == **old {
                    summary.unchanged += 1;
                } else {
                    summary.updated += 1;
                    changes.update.push(asset);
                }
            }
            None => {
                let mut asset = Asset::new(AssetId::new(0), "", AssetKind::Other);
                apply(&mut asset, row, &zones, &processes);
                summary.added += 1;
                changes.insert.push(asset);
            }
        }
    }
    if missing == Missing::Remove {
        changes.delete = plant
            .assets
            .iter()
            .map(|a| a.id)
            .filter(|id| !listed.contains(id))
            .collect();
        summary.removed = changes.delete.len();
    }
    (changes, summary)
}

/// The register's values for the columns it has; the asset's own for the others.
fn apply(
    a: &mut Asset,
    row: &RegisterRow,
    zones: &HashMap<&str, ZoneId>,
    processes: &HashMap<&str, ProcessId>,
) {
    let (has, n) = (row.fields, &row.asset);
    let zone = |name: &String| zones.get(name.as_str()).copied();
    macro_rules! copy {
        ($($field:ident => $name:ident),+ $(,)?) => {
            $(if has.contains(Field::$field) {
                a.$name = n.$name.clone();
            })+
        };
    }
    copy!(
        Tag => tag, Name => name, Kind => kind, Vendor => vendor, Product => product,
        Model => model, OrderNumber => order_number, Version => version, Serial => serial,
        Os => os, OsSupportEnd => os_support_end, Ip => ip, Mac => mac, Location => location,
        Owner => owner, MaintenanceEnd => maintenance_end, Status => status,
        RemoteMaintenance => remote_maintenance, BlackBox => black_box, CloudLink => cloud_link,
        Temporary => temporary, Wireless => wireless, Safety => safety,
    );
    if has.contains(Field::Zone) {
        a.zone = n.zone.as_ref().and_then(zone);
    }
    if has.contains(Field::AlsoIn) {
        a.also_in = n.also_in.iter().filter_map(zone).collect();
    }
    if has.contains(Field::Processes) {
        a.processes = n
            .processes
            .iter()
            .filter_map(|p| processes.get(p.as_str()).copied())
            .collect();
    }
    let home = a.zone;
    a.also_in.retain(|z| Some(*z) != home);
}
