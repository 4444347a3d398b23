//! A site's plant model: business processes, zones, conduits, assets and data flows. The model is
//! read whole (it is what every check and route computation needs) and written either whole
//! (a register import or a generated plant: all or nothing) or one record at a time (the
//! forms). Every change bumps the site's plant revision, in the same transaction as its audit
//! entry.

use std::collections::HashMap;

use kojo_core::date::Date;
use kojo_core::ids::{AssetId, ConduitId, FlowId, ProcessId, SiteId, ZoneId};
use kojo_core::plant::model::{
    Asset, AssetKind, AssetStatus, Conduit, ConduitKind, Damage, Direction, Exposure, Flow,
    Importance, Plant, Process, Zone, ZonePurpose,
};
use serde_json::json;

use crate::audit::audit;
use crate::error::{Conflict, Invalid, conflict_as};
use crate::{Actor, Result, Store, StoreError, now_millis, read, write_tx};

#[derive(sqlx::FromRow)]
struct ProcessRow {
    id: ProcessId,
    name: String,
    #[sqlx(try_from = "String")]
    importance: Importance,
    damages: String,
    impact: String,
}

#[derive(sqlx::FromRow)]
struct ZoneRow {
    id: ZoneId,
    name: String,
    #[sqlx(try_from = "String")]
    purpose: ZonePurpose,
    #[sqlx(try_from = "String")]
    exposure: Exposure,
    importance: Option<String>,
    sl_target: i64,
}

#[derive(sqlx::FromRow)]
struct ConduitRow {
    id: ConduitId,
    name: String,
    zone_a: ZoneId,
    zone_b: ZoneId,
    #[sqlx(try_from = "String")]
    kind: ConduitKind,
    #[sqlx(try_from = "String")]
    direction: Direction,
    protocols: String,
    encrypted: bool,
    always_on: bool,
    operator: String,
}

#[derive(sqlx::FromRow)]
struct AssetRow {
    id: AssetId,
    tag: String,
    name: String,
    #[sqlx(try_from = "String")]
    kind: AssetKind,
    zone_id: Option<ZoneId>,
    vendor: String,
    product: String,
    model: String,
    order_number: String,
    version: String,
    serial: String,
    os: String,
    os_support_end: Option<String>,
    ip: String,
    mac: String,
    location: String,
    owner: String,
    maintenance_end: Option<String>,
    #[sqlx(try_from = "String")]
    status: AssetStatus,
    remote_maintenance: bool,
    black_box: bool,
    cloud_link: bool,
    temporary: bool,
    wireless: bool,
    safety: bool,
}

#[derive(sqlx::FromRow)]
struct FlowRow {
    id: FlowId,
    from_asset: AssetId,
    to_asset: AssetId,
    data: String,
    protocol: String,
    conduit_id: Option<ConduitId>,
}

const ASSET_COLUMNS: &str = "id, tag, name, kind, zone_id, vendor, product, model, order_number, version, serial, os, os_support_end, ip, mac, location, owner, maintenance_end, status, remote_maintenance, black_box, cloud_link, temporary, wireless, safety";

fn list(joined: &str) -> Vec<String> {
    joined
        .split('\n')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn joined(items: &[String]) -> String {
    items.join("\n")
}

fn damages(joined: &str) -> Vec<Damage> {
    joined.split(',').filter_map(Damage::parse).collect()
}

fn damages_joined(d: &[Damage]) -> String {
    d.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(",")
}

fn date(s: Option<String>) -> Option<Date> {
    s.as_deref().and_then(Date::parse)
}

fn sl(v: u8) -> Result<i64> {
    if (1..=4).contains(&v) {
        Ok(i64::from(v))
    } else {
        Err(Invalid::Check {
            detail: format!("sl_target {v}"),
        }
        .into())
    }
}

impl AssetRow {
    fn into_asset(self, also_in: Vec<ZoneId>, processes: Vec<ProcessId>) -> Asset {
        Asset {
            id: self.id,
            tag: self.tag,
            name: self.name,
            kind: self.kind,
            zone: self.zone_id,
            also_in,
            vendor: self.vendor,
            product: self.product,
            model: self.model,
            order_number: self.order_number,
            version: self.version,
            serial: self.serial,
            os: self.os,
            os_support_end: date(self.os_support_end),
            ip: self.ip,
            mac: self.mac,
            location: self.location,
            owner: self.owner,
            maintenance_end: date(self.maintenance_end),
            status: self.status,
            remote_maintenance: self.remote_maintenance,
            black_box: self.black_box,
            cloud_link: self.cloud_link,
            temporary: self.temporary,
            wireless: self.wireless,
            safety: self.safety,
            processes,
        }
    }
}

/// Pairs (a, b) of a link table, grouped by a.
fn grouped<A: std::hash::Hash + Eq, B>(pairs: Vec<(A, B)>) -> HashMap<A, Vec<B>> {
    let mut out: HashMap<A, Vec<B>> = HashMap::new();
    for (a, b) in pairs {
        out.entry(a).or_default().push(b);
    }
    out
}

/// Ids in the stored model for ids of a model being written whole.
#[derive(Default)]
struct Renumber {
    processes: HashMap<ProcessId, ProcessId>,
    zones: HashMap<ZoneId, ZoneId>,
    conduits: HashMap<ConduitId, ConduitId>,
    assets: HashMap<AssetId, AssetId>,
}

impl Renumber {
    fn zone(&self, id: ZoneId) -> Result<ZoneId> {
        self.zones
            .get(&id)
            .copied()
            .ok_or(StoreError::Invalid(Invalid::MissingReference))
    }

    fn asset(&self, id: AssetId) -> Result<AssetId> {
        self.assets
            .get(&id)
            .copied()
            .ok_or(StoreError::Invalid(Invalid::MissingReference))
    }
}

/// Inserts a conduit between stored zones inside a transaction; evaluates to its id.
macro_rules! insert_conduit {
    ($tx:ident, $site:expr, $c:expr, $a:expr, $b:expr, $now:expr) => {{
        let c: &Conduit = $c;
        let id: ConduitId = sqlx::query_scalar(
            "INSERT INTO plant_conduits (site_id, name, zone_a, zone_b, kind, direction, protocols, encrypted, always_on, operator, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind($site)
        .bind(c.name.trim())
        .bind($a)
        .bind($b)
        .bind(c.kind.as_str())
        .bind(c.direction.as_str())
        .bind(joined(&c.protocols))
        .bind(c.encrypted)
        .bind(c.always_on)
        .bind(&c.operator)
        .bind($now)
        .fetch_one(&mut *$tx)
        .await?;
        id
    }};
}

/// Inserts an asset (without its zone and process links) inside a transaction; evaluates to its
/// id.
macro_rules! insert_asset {
    ($tx:ident, $site:expr, $a:expr, $zone:expr, $now:expr) => {{
        let a: &Asset = $a;
        let id: AssetId = sqlx::query_scalar(
            "INSERT INTO plant_assets (site_id, tag, name, kind, zone_id, vendor, product, model, order_number, version, serial, os, os_support_end, ip, mac, location, owner, maintenance_end, status, remote_maintenance, black_box, cloud_link, temporary, wireless, safety, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $26) RETURNING id",
        )
        .bind($site)
        .bind(a.tag.trim())
        .bind(a.name.trim())
        .bind(a.kind.as_str())
        .bind($zone)
        .bind(&a.vendor)
        .bind(&a.product)
        .bind(&a.model)
        .bind(&a.order_number)
        .bind(&a.version)
        .bind(&a.serial)
        .bind(&a.os)
        .bind(a.os_support_end.map(Date::iso))
        .bind(&a.ip)
        .bind(&a.mac)
        .bind(&a.location)
        .bind(&a.owner)
        .bind(a.maintenance_end.map(Date::iso))
        .bind(a.status.as_str())
        .bind(a.remote_maintenance)
        .bind(a.black_box)
        .bind(a.cloud_link)
        .bind(a.temporary)
        .bind(a.wireless)
        .bind(a.safety)
        .bind($now)
        .fetch_one(&mut *$tx)
        .await?;
        id
    }};
}

/// Runs `$body` inside a plant-changing transaction: audits and bumps the revision.
macro_rules! plant_tx {
    ($store:expr, $actor:expr, $site:expr, $action:expr, $detail:expr, $tx:ident => $body:expr) => {
        write_tx!($store, $tx => {
            let out = $body;
            sqlx::query(
                "INSERT INTO plant_revisions (site_id, revision) VALUES ($1, 1) \
                 ON CONFLICT (site_id) DO UPDATE SET revision = plant_revisions.revision + 1",
            )
            .bind($site)
            .execute(&mut *$tx)
            .await?;
            audit!($tx, $actor, $action, "plant", Some($site), Some($detail));
            out
        })
    };
}

impl Store {
    /// The whole model of a site.
    #[allow(
        clippy::too_many_lines,
        reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
    )]
    pub async fn plant(&self, site: SiteId) -> Result<Plant> {
        let processes: Vec<ProcessRow> = read!(self, p => {
            sqlx::query_as("SELECT id, name, importance, damages, impact FROM plant_processes WHERE site_id = $1 ORDER BY id")
                .bind(site).fetch_all(p).await?
        });
        let zones: Vec<ZoneRow> = read!(self, p => {
            sqlx::query_as("SELECT id, name, purpose, exposure, importance, sl_target FROM plant_zones WHERE site_id = $1 ORDER BY id")
                .bind(site).fetch_all(p).await?
        });
        let zone_processes: Vec<(ZoneId, ProcessId)> = read!(self, p => {
            sqlx::query_as("SELECT zp.zone_id, zp.process_id FROM plant_zone_processes zp JOIN plant_zones z ON z.id = zp.zone_id WHERE z.site_id = $1 ORDER BY zp.zone_id, zp.process_id")
                .bind(site).fetch_all(p).await?
        });
        let conduits: Vec<ConduitRow> = read!(self, p => {
            sqlx::query_as("SELECT id, name, zone_a, zone_b, kind, direction, protocols, encrypted, always_on, operator FROM plant_conduits WHERE site_id = $1 ORDER BY id")
                .bind(site).fetch_all(p).await?
        });
        let sql =
            format!("SELECT {ASSET_COLUMNS} FROM plant_assets WHERE site_id = $1 ORDER BY id");
        let assets: Vec<AssetRow> = read!(self, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(site).fetch_all(p).await?
        });
        let asset_zones: Vec<(AssetId, ZoneId)> = read!(self, p => {
            sqlx::query_as("SELECT az.asset_id, az.zone_id FROM plant_asset_zones az JOIN plant_assets a ON a.id = az.asset_id WHERE a.site_id = $1 ORDER BY az.asset_id, az.zone_id")
                .bind(site).fetch_all(p).await?
        });
        let asset_processes: Vec<(AssetId, ProcessId)> = read!(self, p => {
            sqlx::query_as("SELECT ap.asset_id, ap.process_id FROM plant_asset_processes ap JOIN plant_assets a ON a.id = ap.asset_id WHERE a.site_id = $1 ORDER BY ap.asset_id, ap.process_id")
                .bind(site).fetch_all(p).await?
        });
        let flows: Vec<FlowRow> = read!(self, p => {
            sqlx::query_as("SELECT id, from_asset, to_asset, data, protocol, conduit_id FROM plant_flows WHERE site_id = $1 ORDER BY id")
                .bind(site).fetch_all(p).await?
        });
        let mut zone_processes = grouped(zone_processes);
        let mut asset_zones = grouped(asset_zones);
        let mut asset_processes = grouped(asset_processes);
        Ok(Plant {
            processes: processes
                .into_iter()
                .map(|r| Process {
                    id: r.id,
                    name: r.name,
                    importance: r.importance,
                    damages: damages(&r.damages),
                    impact: r.impact,
                })
                .collect(),
            zones: zones
                .into_iter()
                .map(|r| Zone {
                    processes: zone_processes.remove(&r.id).unwrap_or_default(),
                    id: r.id,
                    name: r.name,
                    purpose: r.purpose,
                    exposure: r.exposure,
                    importance: r.importance.as_deref().and_then(Importance::parse),
                    sl_target: u8::try_from(r.sl_target).unwrap_or(1),
                })
                .collect(),
            conduits: conduits
                .into_iter()
                .map(|r| Conduit {
                    id: r.id,
                    name: r.name,
                    a: r.zone_a,
                    b: r.zone_b,
                    kind: r.kind,
                    direction: r.direction,
                    protocols: list(&r.protocols),
                    encrypted: r.encrypted,
                    always_on: r.always_on,
                    operator: r.operator,
                })
                .collect(),
            assets: assets
                .into_iter()
                .map(|r| {
                    let also = asset_zones.remove(&r.id).unwrap_or_default();
                    let processes = asset_processes.remove(&r.id).unwrap_or_default();
                    r.into_asset(also, processes)
                })
                .collect(),
            flows: flows
                .into_iter()
                .map(|r| Flow {
                    id: r.id,
                    from: r.from_asset,
                    to: r.to_asset,
                    data: r.data,
                    protocol: r.protocol,
                    conduit: r.conduit_id,
                })
                .collect(),
        })
    }

    /// A value that changes with every change to a site's model (for caches).
    pub async fn plant_revision(&self, site: SiteId) -> Result<i64> {
        let found: Option<i64> = read!(self, p => {
            sqlx::query_scalar("SELECT revision FROM plant_revisions WHERE site_id = $1")
                .bind(site).fetch_optional(p).await?
        });
        Ok(found.unwrap_or(0))
    }

    /// Replaces a site's whole model, all or nothing. The ids of `plant` only tie its parts
    /// together; the stored model gets new ids. `action` names the change in the audit log
    /// (`import`, `simulate`, …).
    pub async fn replace_plant(
        &self,
        actor: &Actor,
        site: SiteId,
        plant: &Plant,
        action: &str,
    ) -> Result<Plant> {
        let now = now_millis();
        let detail = json!({"processes": plant.processes.len(), "zones": plant.zones.len(),
            "conduits": plant.conduits.len(), "assets": plant.assets.len(), "flows": plant.flows.len()});
        plant_tx!(self, actor, site, action, detail, tx => {
            for table in ["plant_flows", "plant_conduits", "plant_assets", "plant_zones", "plant_processes"] {
                let sql = format!("DELETE FROM {table} WHERE site_id = $1");
                sqlx::query(sqlx::AssertSqlSafe(sql)).bind(site).execute(&mut *tx).await?;
            }
            let mut ids = Renumber::default();
            for p in &plant.processes {
                let id: ProcessId = sqlx::query_scalar(
                    "INSERT INTO plant_processes (site_id, name, importance, damages, impact, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
                )
                .bind(site).bind(p.name.trim()).bind(p.importance.as_str()).bind(damages_joined(&p.damages))
                .bind(&p.impact).bind(now)
                .fetch_one(&mut *tx).await
                .map_err(|e| conflict_as(e, Conflict::NameTaken { kind: "process", name: p.name.clone() }))?;
                ids.processes.insert(p.id, id);
            }
            for z in &plant.zones {
                let id: ZoneId = sqlx::query_scalar(
                    "INSERT INTO plant_zones (site_id, name, purpose, exposure, importance, sl_target, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                )
                .bind(site).bind(z.name.trim()).bind(z.purpose.as_str()).bind(z.exposure.as_str())
                .bind(z.importance.map(Importance::as_str)).bind(sl(z.sl_target)?).bind(now)
                .fetch_one(&mut *tx).await
                .map_err(|e| conflict_as(e, Conflict::NameTaken { kind: "zone", name: z.name.clone() }))?;
                ids.zones.insert(z.id, id);
                for p in &z.processes {
                    if let Some(p) = ids.processes.get(p) {
                        sqlx::query("INSERT INTO plant_zone_processes (zone_id, process_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                            .bind(id).bind(*p).execute(&mut *tx).await?;
                    }
                }
            }
            for c in &plant.conduits {
                let id = insert_conduit!(tx, site, c, ids.zone(c.a)?, ids.zone(c.b)?, now);
                ids.conduits.insert(c.id, id);
            }
            for a in &plant.assets {
                let zone = a.zone.map(|z| ids.zone(z)).transpose()?;
                let id = insert_asset!(tx, site, a, zone, now);
                ids.assets.insert(a.id, id);
                for z in &a.also_in {
                    sqlx::query("INSERT INTO plant_asset_zones (asset_id, zone_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .bind(id).bind(ids.zone(*z)?).execute(&mut *tx).await?;
                }
                for p in &a.processes {
                    if let Some(p) = ids.processes.get(p) {
                        sqlx::query("INSERT INTO plant_asset_processes (asset_id, process_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                            .bind(id).bind(*p).execute(&mut *tx).await?;
                    }
                }
            }
            for f in &plant.flows {
                sqlx::query(
                    "INSERT INTO plant_flows (site_id, from_asset, to_asset, data, protocol, conduit_id, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
                )
                .bind(site).bind(ids.asset(f.from)?).bind(ids.asset(f.to)?).bind(&f.data).bind(&f.protocol)
                .bind(f.conduit.and_then(|c| ids.conduits.get(&c).copied())).bind(now)
                .execute(&mut *tx).await?;
            }
        });
        self.plant(site).await
    }
}

/// Fails unless every id names a record of the site in `table`.
macro_rules! check_in_site {
    ($tx:ident, $table:literal, $site:expr, $ids:expr) => {{
        for id in $ids {
            let found: Option<i64> = sqlx::query_scalar(concat!(
                "SELECT id FROM ",
                $table,
                " WHERE id = $1 AND site_id = $2"
            ))
            .bind(id)
            .bind($site)
            .fetch_optional(&mut *$tx)
            .await?;
            if found.is_none() {
                return Err(StoreError::Invalid(Invalid::MissingReference));
            }
        }
    }};
}

/// Replaces the rows of a link table for one record.
macro_rules! relink {
    ($tx:ident, $table:literal, $key:literal, $other:literal, $id:expr, $links:expr) => {{
        sqlx::query(concat!("DELETE FROM ", $table, " WHERE ", $key, " = $1"))
            .bind($id)
            .execute(&mut *$tx)
            .await?;
        for other in $links {
            sqlx::query(concat!(
                "INSERT INTO ",
                $table,
                " (",
                $key,
                ", ",
                $other,
                ") VALUES ($1, $2) ON CONFLICT DO NOTHING"
            ))
            .bind($id)
            .bind(other)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

/// Deletes one record of a site; `NotFound` when the site has no such record.
macro_rules! delete_in_site {
    ($store:expr, $actor:expr, $site:expr, $table:literal, $what:literal, $id:expr) => {{
        let id = $id;
        plant_tx!($store, $actor, $site, "delete", json!({$what: id}), tx => {
            let done = sqlx::query(concat!("DELETE FROM ", $table, " WHERE id = $1 AND site_id = $2"))
                .bind(id)
                .bind($site)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
        });
        Ok(())
    }};
}

impl Store {
    /// Adds a business process (`id` None) or changes one of the site's.
    pub async fn save_process(
        &self,
        actor: &Actor,
        site: SiteId,
        id: Option<ProcessId>,
        p: &Process,
    ) -> Result<ProcessId> {
        let now = now_millis();
        let name_taken = |e| {
            conflict_as(
                e,
                Conflict::NameTaken {
                    kind: "process",
                    name: p.name.clone(),
                },
            )
        };
        Ok(
            plant_tx!(self, actor, site, "save", json!({"process": id}), tx => {
                match id {
                    None => sqlx::query_scalar(
                        "INSERT INTO plant_processes (site_id, name, importance, damages, impact, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
                    )
                    .bind(site).bind(p.name.trim()).bind(p.importance.as_str()).bind(damages_joined(&p.damages))
                    .bind(&p.impact).bind(now).fetch_one(&mut *tx).await.map_err(name_taken)?,
                    Some(id) => {
                        let done = sqlx::query(
                            "UPDATE plant_processes SET name = $1, importance = $2, damages = $3, impact = $4, updated_at = $5 \
                             WHERE id = $6 AND site_id = $7",
                        )
                        .bind(p.name.trim()).bind(p.importance.as_str()).bind(damages_joined(&p.damages))
                        .bind(&p.impact).bind(now).bind(id).bind(site).execute(&mut *tx).await.map_err(name_taken)?;
                        if done.rows_affected() == 0 {
                            return Err(StoreError::NotFound);
                        }
                        id
                    }
                }
            }),
        )
    }

    pub async fn delete_process(&self, actor: &Actor, site: SiteId, id: ProcessId) -> Result<()> {
        delete_in_site!(self, actor, site, "plant_processes", "process", id)
    }

    /// Adds a zone (`id` None) or changes one of the site's, with the processes it serves.
    pub async fn save_zone(
        &self,
        actor: &Actor,
        site: SiteId,
        id: Option<ZoneId>,
        z: &Zone,
    ) -> Result<ZoneId> {
        let now = now_millis();
        let sl_target = sl(z.sl_target)?;
        let name_taken = |e| {
            conflict_as(
                e,
                Conflict::NameTaken {
                    kind: "zone",
                    name: z.name.clone(),
                },
            )
        };
        Ok(
            plant_tx!(self, actor, site, "save", json!({"zone": id}), tx => {
                check_in_site!(tx, "plant_processes", site, &z.processes);
                let id: ZoneId = match id {
                    None => sqlx::query_scalar(
                        "INSERT INTO plant_zones (site_id, name, purpose, exposure, importance, sl_target, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                    )
                    .bind(site).bind(z.name.trim()).bind(z.purpose.as_str()).bind(z.exposure.as_str())
                    .bind(z.importance.map(Importance::as_str)).bind(sl_target).bind(now)
                    .fetch_one(&mut *tx).await.map_err(name_taken)?,
                    Some(id) => {
                        let done = sqlx::query(
                            "UPDATE plant_zones SET name = $1, purpose = $2, exposure = $3, importance = $4, sl_target = $5, updated_at = $6 \
                             WHERE id = $7 AND site_id = $8",
                        )
                        .bind(z.name.trim()).bind(z.purpose.as_str()).bind(z.exposure.as_str())
                        .bind(z.importance.map(Importance::as_str)).bind(sl_target).bind(now).bind(id).bind(site)
                        .execute(&mut *tx).await.map_err(name_taken)?;
                        if done.rows_affected() == 0 {
                            return Err(StoreError::NotFound);
                        }
                        id
                    }
                };
                relink!(tx, "plant_zone_processes", "zone_id", "process_id", id, &z.processes);
                id
            }),
        )
    }

    pub async fn delete_zone(&self, actor: &Actor, site: SiteId, id: ZoneId) -> Result<()> {
        delete_in_site!(self, actor, site, "plant_zones", "zone", id)
    }

    /// Adds a conduit (`id` None) or changes one of the site's.
    pub async fn save_conduit(
        &self,
        actor: &Actor,
        site: SiteId,
        id: Option<ConduitId>,
        c: &Conduit,
    ) -> Result<ConduitId> {
        let now = now_millis();
        Ok(
            plant_tx!(self, actor, site, "save", json!({"conduit": id}), tx => {
                check_in_site!(tx, "plant_zones", site, [c.a, c.b]);
                match id {
                    None => insert_conduit!(tx, site, c, c.a, c.b, now),
                    Some(id) => {
                        let done = sqlx::query(
                            "UPDATE plant_conduits SET name = $1, zone_a = $2, zone_b = $3, kind = $4, direction = $5, protocols = $6, \
                             encrypted = $7, always_on = $8, operator = $9, updated_at = $10 WHERE id = $11 AND site_id = $12",
                        )
                        .bind(c.name.trim()).bind(c.a).bind(c.b).bind(c.kind.as_str()).bind(c.direction.as_str())
                        .bind(joined(&c.protocols)).bind(c.encrypted).bind(c.always_on).bind(&c.operator)
                        .bind(now).bind(id).bind(site).execute(&mut *tx).await?;
                        if done.rows_affected() == 0 {
                            return Err(StoreError::NotFound);
                        }
                        id
                    }
                }
            }),
        )
    }

    pub async fn delete_conduit(&self, actor: &Actor, site: SiteId, id: ConduitId) -> Result<()> {
        delete_in_site!(self, actor, site, "plant_conduits", "conduit", id)
    }

    /// Adds an asset (`id` None) or changes one of the site's, with its zones and processes.
    pub async fn save_asset(
        &self,
        actor: &Actor,
        site: SiteId,
        id: Option<AssetId>,
        a: &Asset,
    ) -> Result<AssetId> {
        let now = now_millis();
        Ok(
            plant_tx!(self, actor, site, "save", json!({"asset": id}), tx => {
                check_in_site!(tx, "plant_zones", site, a.zones());
                check_in_site!(tx, "plant_processes", site, &a.processes);
                let id: AssetId = match id {
                    None => insert_asset!(tx, site, a, a.zone, now),
                    Some(id) => {
                        sqlx::query("DELETE FROM plant_asset_zones WHERE asset_id = $1").bind(id).execute(&mut *tx).await?;
                        let sql = "UPDATE plant_assets SET tag = $1, name = $2, kind = $3, zone_id = $4, vendor = $5, product = $6, model = $7, \
                             order_number = $8, version = $9, serial = $10, os = $11, os_support_end = $12, ip = $13, mac = $14, location = $15, \
                             owner = $16, maintenance_end = $17, status = $18, remote_maintenance = $19, black_box = $20, cloud_link = $21, \
                             temporary = $22, wireless = $23, safety = $24, updated_at = $25 WHERE id = $26 AND site_id = $27";
                        let done = sqlx::query(sql)
                            .bind(a.tag.trim()).bind(a.name.trim()).bind(a.kind.as_str()).bind(a.zone).bind(&a.vendor)
                            .bind(&a.product).bind(&a.model).bind(&a.order_number).bind(&a.version).bind(&a.serial).bind(&a.os)
                            .bind(a.os_support_end.map(Date::iso)).bind(&a.ip).bind(&a.mac).bind(&a.location).bind(&a.owner)
                            .bind(a.maintenance_end.map(Date::iso)).bind(a.status.as_str()).bind(a.remote_maintenance)
                            .bind(a.black_box).bind(a.cloud_link).bind(a.temporary).bind(a.wireless).bind(a.safety)
                            .bind(now).bind(id).bind(site).execute(&mut *tx).await?;
                        if done.rows_affected() == 0 {
                            return Err(StoreError::NotFound);
                        }
                        id
                    }
                };
                relink!(tx, "plant_asset_zones", "asset_id", "zone_id", id, &a.also_in);
                relink!(tx, "plant_asset_processes", "asset_id", "process_id", id, &a.processes);
                id
            }),
        )
    }

    pub async fn delete_asset(&self, actor: &Actor, site: SiteId, id: AssetId) -> Result<()> {
        delete_in_site!(self, actor, site, "plant_assets", "asset", id)
    }

    /// Adds a data flow (`id` None) or changes one of the site's.
    pub async fn save_flow(
        &self,
        actor: &Actor,
        site: SiteId,
        id: Option<FlowId>,
        f: &Flow,
    ) -> Result<FlowId> {
        let now = now_millis();
        Ok(
            plant_tx!(self, actor, site, "save", json!({"flow": id}), tx => {
                check_in_site!(tx, "plant_assets", site, [f.from, f.to]);
                check_in_site!(tx, "plant_conduits", site, f.conduit.iter());
                match id {
                    None => sqlx::query_scalar(
                        "INSERT INTO plant_flows (site_id, from_asset, to_asset, data, protocol, conduit_id, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                    )
                    .bind(site).bind(f.from).bind(f.to).bind(&f.data).bind(&f.protocol).bind(f.conduit).bind(now)
                    .fetch_one(&mut *tx).await?,
                    Some(id) => {
                        let done = sqlx::query(
                            "UPDATE plant_flows SET from_asset = $1, to_asset = $2, data = $3, protocol = $4, conduit_id = $5, updated_at = $6 \
                             WHERE id = $7 AND site_id = $8",
                        )
                        .bind(f.from).bind(f.to).bind(&f.data).bind(&f.protocol).bind(f.conduit).bind(now).bind(id).bind(site)
                        .execute(&mut *tx).await?;
                        if done.rows_affected() == 0 {
                            return Err(StoreError::NotFound);
                        }
                        id
                    }
                }
            }),
        )
    }

    pub async fn delete_flow(&self, actor: &Actor, site: SiteId, id: FlowId) -> Result<()> {
        delete_in_site!(self, actor, site, "plant_flows", "flow", id)
    }
}
