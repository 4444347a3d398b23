//! Organisations (ministry, associations, companies): the instance admin's list with counts,
//! and creating them with their association memberships (the command line).

use std::collections::HashMap;

use kojo_core::ids::OrgId;
use kojo_core::org::OrgKind;
use kojo_storage::{Invalid, NewOrg, Org, Store, StoreError};

use crate::access::instance_admin;
use crate::{Error, Expected, Problem, Result, Service, Who};

/// An organisation as created: its kind, its data, and the associations (id or name) a company
/// joins.
#[derive(Debug, Clone)]
pub struct OrgDraft {
    pub kind: OrgKind,
    pub org: NewOrg,
    pub member_of: Vec<String>,
}

/// An organisation with its counts, for the instance admin's list.
pub struct OrgSummary {
    pub org: Org,
    /// Member companies (associations).
    pub members: i64,
    /// Factories (companies).
    pub sites: i64,
    pub users: i64,
}

impl Service {
    /// Every organisation with its counts, by kind and name (the instance admin).
    pub async fn org_summaries(&self, who: &Who) -> Result<Vec<OrgSummary>> {
        instance_admin(who)?;
        let mut counts: HashMap<OrgId, (i64, i64, i64)> = self
            .store()
            .org_counts()
            .await?
            .into_iter()
            .map(|(id, m, s, u)| (id, (m, s, u)))
            .collect();
        let orgs = self.store().list_orgs(None).await?;
        Ok(orgs
            .into_iter()
            .map(|org| {
                let (members, sites, users) = counts.remove(&org.id).unwrap_or_default();
                OrgSummary {
                    org,
                    members,
                    sites,
                    users,
                }
            })
            .collect())
    }

    /// Organisations, optionally of one kind, by kind and name (the instance admin).
    pub async fn orgs(&self, who: &Who, kind: Option<OrgKind>) -> Result<Vec<Org>> {
        instance_admin(who)?;
        Ok(self.store().list_orgs(kind).await?)
    }

    /// An organisation by id or by name, optionally of one kind (the instance admin).
    pub async fn find_org(&self, who: &Who, key: &str, kind: Option<OrgKind>) -> Result<Org> {
        instance_admin(who)?;
        find_in(self.store(), key, kind).await
    }

    /// Creates an organisation and its memberships (the instance admin). Codes are checked
    /// against the reference tables and every association is found before anything is written.
    pub async fn add_org(&self, who: &Who, draft: &OrgDraft) -> Result<Org> {
        instance_admin(who)?;
        crate::assessment::check_length("name", &draft.org.name, crate::NAME_MAX)?;
        if let Some(en) = &draft.org.name_en {
            crate::assessment::check_length("name_en", en, crate::NAME_MAX)?;
        }
        self.check_codes(&draft.org)?;
        if draft.kind != OrgKind::Company && !draft.member_of.is_empty() {
            return Err(Problem::MembershipNeedsCompany.into());
        }
        let mut associations = Vec::new();
        for key in &draft.member_of {
            let found = self.find_org(who, key, Some(OrgKind::Association));
            associations.push(found.await?);
        }
        let org = self
            .store()
            .create_org(&who.actor(), draft.kind, &draft.org)
            .await?;
        for a in &associations {
            self.store()
                .add_membership(&who.actor(), a.id, org.id)
                .await?;
        }
        Ok(org)
    }

    /// The industry and prefecture codes of a new organisation, against the reference tables.
    fn check_codes(&self, org: &NewOrg) -> Result<(), Problem> {
        let industries = &self.catalog().industries.industries;
        if let Some(code) = &org.industry_code
            && !industries.iter().any(|i| &i.code == code)
        {
            return Err(Problem::Field {
                field: "industry",
                value: code.clone(),
                expected: Expected::OneOf(industries.iter().map(|i| i.code.clone()).collect()),
            });
        }
        match &org.prefecture_code {
            Some(code) => self.check_prefecture(code),
            None => Ok(()),
        }
    }
}

/// An organisation by id or by name, optionally of one kind: the lookup behind
/// [`Service::find_org`].
async fn find_in(store: &Store, key: &str, kind: Option<OrgKind>) -> Result<Org> {
    let org = match key.parse::<OrgId>() {
        Ok(id) => store.org(id).await.map_err(|e| match e {
            StoreError::NotFound => Problem::Rule(Invalid::UnknownOrg { id: id.get() }).into(),
            other => Error::from(other),
        })?,
        Err(_) => named(store, key, kind).await?,
    };
    match kind {
        Some(expected) if org.kind != expected => Err(Problem::OrgKind {
            org: org.name,
            kind: org.kind,
            expected,
        }
        .into()),
        _ => Ok(org),
    }
}

/// The one organisation of this name (of one kind, or of any).
async fn named(store: &Store, name: &str, kind: Option<OrgKind>) -> Result<Org> {
    let kinds = match kind {
        Some(k) => vec![k],
        None => OrgKind::ALL.to_vec(),
    };
    let mut found = Vec::new();
    for k in kinds {
        match store.org_by_name(k, name).await {
            Ok(o) => found.push(o),
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let name = name.to_string();
    match (found.pop(), found.is_empty()) {
        (None, _) => Err(Problem::OrgNotFound { name }.into()),
        (Some(org), true) => Ok(org),
        (Some(_), false) => Err(Problem::OrgAmbiguous { name }.into()),
    }
}
