//! Organisations (ministry, associations, companies) and association memberships.

use kojo_core::ids::OrgId;
use kojo_core::org::OrgKind;
use serde_json::json;

use crate::audit::audit;
use crate::error::{Conflict, Invalid, conflict_as};
use crate::{Actor, Result, Store, StoreError, now_millis, read, write_tx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Org {
    pub id: OrgId,
    #[sqlx(try_from = "String")]
    pub kind: OrgKind,
    pub name: String,
    pub name_en: Option<String>,
    pub corporate_number: Option<String>,
    pub industry_code: Option<String>,
    pub prefecture_code: Option<String>,
    pub employees: Option<i64>,
    pub sc3_member: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Default)]
pub struct NewOrg {
    pub name: String,
    pub name_en: Option<String>,
    pub corporate_number: Option<String>,
    pub industry_code: Option<String>,
    pub prefecture_code: Option<String>,
    pub employees: Option<i64>,
    pub sc3_member: bool,
}

impl Store {
    pub async fn create_org(&self, actor: &Actor, kind: OrgKind, new: &NewOrg) -> Result<Org> {
        let name = new.name.trim();
        if name.is_empty() {
            return Err(Invalid::OrgNameRequired.into());
        }
        if let Some(n) = &new.corporate_number
            && (n.len() != 13 || !n.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(Invalid::CorporateNumber { value: n.clone() }.into());
        }
        let now = now_millis();
        let org: Org = write_tx!(self, tx => {
            let org: Org = sqlx::query_as(
                "INSERT INTO organisations (kind, name, name_en, corporate_number, industry_code, prefecture_code, employees, sc3_member, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
                 RETURNING id, kind, name, name_en, corporate_number, industry_code, prefecture_code, employees, sc3_member, created_at, updated_at",
            )
            .bind(kind.as_str())
            .bind(name)
            .bind(&new.name_en)
            .bind(&new.corporate_number)
            .bind(&new.industry_code)
            .bind(&new.prefecture_code)
            .bind(new.employees)
            .bind(new.sc3_member)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict_as(e, Conflict::OrgExists { name: name.to_string() }))?;
            audit!(tx, actor, "create", "organisation", Some(org.id), Some(json!({"kind": kind.as_str(), "name": name})));
            org
        });
        Ok(org)
    }

    pub async fn org(&self, id: OrgId) -> Result<Org> {
        read!(self, p => {
            sqlx::query_as(
                "SELECT id, kind, name, name_en, corporate_number, industry_code, prefecture_code, employees, sc3_member, created_at, updated_at \
                 FROM organisations WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(p)
            .await?
        })
        .ok_or(StoreError::NotFound)
    }

    pub async fn org_by_name(&self, kind: OrgKind, name: &str) -> Result<Org> {
        read!(self, p => {
            sqlx::query_as(
                "SELECT id, kind, name, name_en, corporate_number, industry_code, prefecture_code, employees, sc3_member, created_at, updated_at \
                 FROM organisations WHERE kind = $1 AND name = $2",
            )
            .bind(kind.as_str())
            .bind(name.trim())
            .fetch_optional(p)
            .await?
        })
        .ok_or(StoreError::NotFound)
    }

    /// Organisations ordered by kind (ministry, associations, companies) and name.
    pub async fn list_orgs(&self, kind: Option<OrgKind>) -> Result<Vec<Org>> {
        let mut orgs: Vec<Org> = read!(self, p => {
            sqlx::query_as(
                "SELECT id, kind, name, name_en, corporate_number, industry_code, prefecture_code, employees, sc3_member, created_at, updated_at \
                 FROM organisations WHERE ($1 IS NULL OR kind = $1)",
            )
            .bind(kind.map(OrgKind::as_str))
            .fetch_all(p)
            .await?
        });
        crate::sort_by_name(
            &mut orgs,
            |o| match o.kind {
                OrgKind::Ministry => 0,
                OrgKind::Association => 1,
                OrgKind::Company => 2,
            },
            |o| &o.name,
        );
        Ok(orgs)
    }

    /// Makes a company a member of an association (idempotent).
    pub async fn add_membership(
        &self,
        actor: &Actor,
        association_id: OrgId,
        company_id: OrgId,
    ) -> Result<()> {
        let assoc = self.org(association_id).await?;
        let company = self.org(company_id).await?;
        if assoc.kind != OrgKind::Association || company.kind != OrgKind::Company {
            return Err(Invalid::Membership {
                association: assoc.name,
                company: company.name,
            }
            .into());
        }
        write_tx!(self, tx => {
            let done = sqlx::query(
                "INSERT INTO memberships (association_id, company_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (association_id, company_id) DO NOTHING",
            )
            .bind(association_id)
            .bind(company_id)
            .bind(now_millis())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() > 0 {
                audit!(tx, actor, "add_member", "organisation", Some(association_id), Some(json!({"company_id": company_id})));
            }
        });
        Ok(())
    }

    /// The member companies of an association.
    pub async fn members(&self, association_id: OrgId) -> Result<Vec<Org>> {
        let mut orgs: Vec<Org> = read!(self, p => {
            sqlx::query_as(
                "SELECT o.id, o.kind, o.name, o.name_en, o.corporate_number, o.industry_code, o.prefecture_code, o.employees, o.sc3_member, o.created_at, o.updated_at \
                 FROM organisations o JOIN memberships m ON m.company_id = o.id \
                 WHERE m.association_id = $1",
            )
            .bind(association_id)
            .fetch_all(p)
            .await?
        });
        crate::sort_by_name(&mut orgs, |_| (), |o| &o.name);
        Ok(orgs)
    }

    /// The associations a company belongs to.
    pub async fn associations_of(&self, company_id: OrgId) -> Result<Vec<Org>> {
        let mut orgs: Vec<Org> = read!(self, p => {
            sqlx::query_as(
                "SELECT o.id, o.kind, o.name, o.name_en, o.corporate_number, o.industry_code, o.prefecture_code, o.employees, o.sc3_member, o.created_at, o.updated_at \
                 FROM organisations o JOIN memberships m ON m.association_id = o.id \
                 WHERE m.company_id = $1",
            )
            .bind(company_id)
            .fetch_all(p)
            .await?
        });
        crate::sort_by_name(&mut orgs, |_| (), |o| &o.name);
        Ok(orgs)
    }

    /// Per organisation: number of members (associations), sites and users.
    pub async fn org_counts(&self) -> Result<Vec<(OrgId, i64, i64, i64)>> {
        Ok(read!(self, p => {
            sqlx::query_as(
                "SELECT o.id, \
                   (SELECT COUNT(*) FROM memberships m WHERE m.association_id = o.id), \
                   (SELECT COUNT(*) FROM sites s WHERE s.org_id = o.id), \
                   (SELECT COUNT(*) FROM users u WHERE u.org_id = o.id) \
                 FROM organisations o",
            )
            .fetch_all(p)
            .await?
        }))
    }
}
