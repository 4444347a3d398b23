//! A company's own pages: its factories (sites) with the latest assessment of each and the
//! comparison of their category scores, adding a factory, and the members with their
//! invitation links.

use kojo_core::checklist::Checklist;
use kojo_core::ids::OrgId;
use kojo_core::org::Role;
use kojo_core::scoring::{self, Levels, Scores};
use kojo_storage::{AnswerRow, Assessment, Invitation, NewSite, Org, Site, now_millis};

use crate::access::{company_admin_of, company_of, manages_company};
use crate::accounts::Account;
use crate::accounts::invitations::INVITATION_VALID_MS;
use crate::accounts::tokens::{hash_token, new_token};
use crate::{Expected, Problem, Result, Service, Who};

/// A factory with where its assessments stand.
pub struct SiteStatus {
    pub site: Site,
    /// The latest completed assessment: the status, date and score describe it.
    pub complete: Option<Assessment>,
    /// The draft in progress, if any.
    pub draft: Option<Assessment>,
    /// The latest completed assessment's scores.
    pub scores: Option<Scores>,
}

/// The company page's content.
pub struct CompanyOverview<'a> {
    pub company: Org,
    /// The caller manages the company (adds factories).
    pub can_manage: bool,
    pub sites: Vec<SiteStatus>,
    /// The newest checklist: its categories head the comparison.
    pub checklist: &'a Checklist,
    /// Category scores per factory (site name, one score per category of `checklist`), for
    /// the factories whose latest completed assessment is on that checklist.
    pub comparison: Vec<(String, Vec<Option<f64>>)>,
}

/// A factory as typed: its name and prefecture code (empty: none).
#[derive(Debug, Clone, Default)]
pub struct SiteDraft {
    pub name: String,
    pub prefecture: String,
}

/// The members page's content.
pub struct Members {
    pub members: Vec<Account>,
    /// Unused, unexpired invitations, newest first.
    pub open_invitations: Vec<Invitation>,
}

/// The levels answered, by item.
fn levels(rows: &[AnswerRow]) -> Levels {
    rows.iter()
        .filter_map(|a| Some((a.item_id.clone(), a.level.clone()?)))
        .collect()
}

impl Service {
    /// The caller's company with its factories (company users).
    pub async fn company_overview(&self, who: &Who) -> Result<CompanyOverview<'_>> {
        let org_id = company_of(who)?;
        let checklist = self.default_checklist()?;
        let assessments = self.store().assessments_of_org(org_id).await?;
        let mut sites = Vec::new();
        let mut comparison = Vec::new();
        for site in self.store().sites_of(org_id).await? {
            let status = self.site_status(site, &assessments).await?;
            if let (Some(a), Some(scores)) = (&status.complete, &status.scores)
                && a.checklist == checklist.key()
            {
                let values = scores.categories.iter().map(|c| c.score).collect();
                comparison.push((status.site.name.clone(), values));
            }
            sites.push(status);
        }
        Ok(CompanyOverview {
            company: self.store().org(org_id).await?,
            can_manage: company_admin_of(who).is_ok(),
            sites,
            checklist,
            comparison,
        })
    }

    /// A factory's latest completed assessment (scored) and its draft, from the company's
    /// assessments (newest first).
    async fn site_status(&self, site: Site, assessments: &[Assessment]) -> Result<SiteStatus> {
        let of_site = || assessments.iter().filter(|a| a.site_id == site.id);
        let complete = of_site().find(|a| a.is_complete()).cloned();
        let draft = of_site().find(|a| !a.is_complete()).cloned();
        let scores = match &complete {
            Some(a) => {
                let (checklist, scale) = self.checklist_of(&a.checklist)?;
                let answers = self.store().answers(a.id).await?;
                Some(scoring::score(checklist, scale, &levels(&answers)))
            }
            None => None,
        };
        Ok(SiteStatus {
            site,
            complete,
            draft,
            scores,
        })
    }

    /// Adds a factory to a company (its admin; the command line for any company).
    pub async fn add_site(&self, who: &Who, org: OrgId, draft: &SiteDraft) -> Result<Site> {
        manages_company(who, org)?;
        crate::assessment::check_length("name", &draft.name, crate::NAME_MAX)?;
        let prefecture = Some(draft.prefecture.trim().to_string()).filter(|p| !p.is_empty());
        if let Some(code) = &prefecture {
            self.check_prefecture(code)?;
        }
        let new = NewSite {
            name: draft.name.clone(),
            prefecture_code: prefecture,
        };
        Ok(self.store().create_site(&who.actor(), org, &new).await?)
    }

    /// A prefecture code of the reference table.
    pub(crate) fn check_prefecture(&self, code: &str) -> Result<(), Problem> {
        let prefectures = &self.catalog().prefectures.prefectures;
        if prefectures.iter().any(|p| p.code == code) {
            Ok(())
        } else {
            Err(Problem::UnknownPrefecture {
                code: code.to_string(),
            })
        }
    }

    /// The company's users and open invitations (its admin).
    pub async fn members(&self, who: &Who) -> Result<Members> {
        let org = company_admin_of(who)?;
        let users = self.store().list_users(Some(org)).await?;
        Ok(Members {
            members: users.into_iter().map(Account::from).collect(),
            open_invitations: self.store().open_invitations(org, now_millis()).await?,
        })
    }

    /// Invites a colleague into the caller's company as `role` (`company_admin` or
    /// `company_member`); returns the link's token, shown once.
    pub async fn invite_member(&self, who: &Who, role: &str) -> Result<String> {
        let org = company_admin_of(who)?;
        let role = match Role::parse(role) {
            Some(r @ (Role::CompanyAdmin | Role::CompanyMember)) => r,
            _ => {
                return Err(Problem::Field {
                    field: "role",
                    value: role.to_string(),
                    expected: Expected::OneOf(vec![
                        Role::CompanyAdmin.as_str().into(),
                        Role::CompanyMember.as_str().into(),
                    ]),
                }
                .into());
            }
        };
        let token = new_token();
        let expires = now_millis() + INVITATION_VALID_MS;
        self.store()
            .create_invitation(&who.actor(), org, role, &hash_token(&token), expires)
            .await?;
        Ok(token)
    }
}
