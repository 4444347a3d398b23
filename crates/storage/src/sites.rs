//! Sites: the factories of a company.

use kojo_core::ids::{OrgId, SiteId};
use kojo_core::org::OrgKind;
use serde_json::json;

use crate::audit::audit;
use crate::error::{Conflict, Invalid, conflict_as};
use crate::{Actor, Result, Store, StoreError, now_millis, read, write_tx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Site {
    pub id: SiteId,
    pub org_id: OrgId,
    pub name: String,
    pub prefecture_code: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Default)]
pub struct NewSite {
    pub name: String,
    pub prefecture_code: Option<String>,
}

impl Store {
    pub async fn create_site(&self, actor: &Actor, org_id: OrgId, new: &NewSite) -> Result<Site> {
        let name = new.name.trim();
        if name.is_empty() {
            return Err(Invalid::SiteNameRequired.into());
        }
        let org = self.org(org_id).await?;
        if org.kind != OrgKind::Company {
            return Err(Invalid::SitesOnlyForCompanies { org: org.name }.into());
        }
        let now = now_millis();
        Ok(write_tx!(self, tx => {
            let site: Site = sqlx::query_as(
                "INSERT INTO sites (org_id, name, prefecture_code, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
                 RETURNING id, org_id, name, prefecture_code, created_at, updated_at",
            )
            .bind(org_id)
            .bind(name)
            .bind(&new.prefecture_code)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict_as(e, Conflict::SiteNameTaken { company: org.name.clone(), name: name.to_string() }))?;
            audit!(tx, actor, "create", "site", Some(site.id), Some(json!({"org_id": org_id, "name": name})));
            site
        }))
    }

    pub async fn site(&self, id: SiteId) -> Result<Site> {
        read!(self, p => {
            sqlx::query_as("SELECT id, org_id, name, prefecture_code, created_at, updated_at FROM sites WHERE id = $1")
                .bind(id)
                .fetch_optional(p)
                .await?
        })
        .ok_or(StoreError::NotFound)
    }

    pub async fn sites_of(&self, org_id: OrgId) -> Result<Vec<Site>> {
        let mut sites: Vec<Site> = read!(self, p => {
            sqlx::query_as(
                "SELECT id, org_id, name, prefecture_code, created_at, updated_at FROM sites WHERE org_id = $1",
            )
            .bind(org_id)
            .fetch_all(p)
            .await?
        });
        crate::sort_by_name(&mut sites, |_| (), |s| &s.name);
        Ok(sites)
    }
}
