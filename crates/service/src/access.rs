//! Who may see what — every rule in one place. A company's sites, assessments and plans are
//! visible to that company's users only: not to the instance admin, the ministry or
//! associations, which see aggregates only. Anything of another company is "not found", so its
//! existence is not even confirmed. Survey rounds belong to the association (or ministry) that
//! runs them; the ministry may read every round. A company answers, signed in, the open company
//! surveys of the associations it belongs to. Interviews with associations are the ministry's. A
//! company's members and invitations are its admin's; the organisation list is the instance
//! admin's. The command line passes every check.
//!
//! The web's authorisation layer calls these same functions for the ids in a request's path
//! before any handler runs; the use cases call them again for what they load.

use kojo_core::ids::{AssessmentId, InterviewId, OrgId, PlanItemId, RoundId, SiteId};
use kojo_core::instrument::InstrumentKind;
use kojo_core::org::Role;
use kojo_storage::{Assessment, Interview, PlanItem, Round, Site};

use crate::{Error, Result, Service, Who};

/// Roles that act for a company.
pub const COMPANY_ROLES: &[Role] = &[Role::CompanyAdmin, Role::CompanyMember];
/// Roles that run survey rounds.
pub const SURVEY_RUNNERS: &[Role] = &[Role::AssociationAdmin, Role::MinistryAnalyst];
/// Roles that record interviews with associations.
pub const INTERVIEWERS: &[Role] = &[Role::MinistryAnalyst];
/// The instance admin: organisations and users.
pub const INSTANCE_ADMIN: &[Role] = &[Role::Admin];

/// What a caller wants to do with a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundUse {
    /// See its status and report (its runner; the ministry for every round).
    Read,
    /// Invite, import, close (its runner only).
    Run,
}

/// The company a caller acts for; `Forbidden` for any other role.
pub fn company_of(who: &Who) -> Result<OrgId> {
    match who.principal() {
        Some(p) if COMPANY_ROLES.contains(&p.role) => p.org_id.ok_or(Error::Forbidden),
        _ => Err(Error::Forbidden),
    }
}

/// The company admin's company; `Forbidden` for members and other roles.
pub fn company_admin_of(who: &Who) -> Result<OrgId> {
    match who.principal() {
        Some(p) if p.role == Role::CompanyAdmin => p.org_id.ok_or(Error::Forbidden),
        _ => Err(Error::Forbidden),
    }
}

/// The company admin of `org` (or the command line, for any company).
pub fn manages_company(who: &Who, org: OrgId) -> Result<()> {
    match who {
        Who::Cli => Ok(()),
        Who::User(_) if company_admin_of(who)? == org => Ok(()),
        Who::User(_) => Err(Error::Forbidden),
    }
}

/// The instance admin (or the command line).
pub fn instance_admin(who: &Who) -> Result<()> {
    require_role(who, INSTANCE_ADMIN)
}

/// Someone who records interviews (the ministry, or the command line).
pub fn interviewer(who: &Who) -> Result<()> {
    require_role(who, INTERVIEWERS)
}

/// The caller holds one of `roles` (the command line holds every role).
pub fn require_role(who: &Who, roles: &[Role]) -> Result<()> {
    match who.role() {
        None => Ok(()),
        Some(r) if roles.contains(&r) => Ok(()),
        Some(_) => Err(Error::Forbidden),
    }
}

/// Company data of `owner` is visible to the caller.
fn own(who: &Who, owner: OrgId) -> Result<()> {
    match who {
        Who::Cli => Ok(()),
        Who::User(_) if company_of(who)? == owner => Ok(()),
        Who::User(_) => Err(Error::NotFound),
    }
}

impl Service {
    /// The company owning a site (cached: ids never move between companies).
    pub async fn site_owner(&self, id: SiteId) -> Result<OrgId> {
        if let Some(org) = self.inner.site_owners.get(&id) {
            return Ok(org);
        }
        let org = self.store().site(id).await?.org_id;
        self.inner.site_owners.put(id, org);
        Ok(org)
    }

    /// The company owning an assessment (cached like sites).
    pub async fn assessment_owner(&self, id: AssessmentId) -> Result<OrgId> {
        if let Some(org) = self.inner.assessment_owners.get(&id) {
            return Ok(org);
        }
        let org = self.store().assessment(id).await?.org_id;
        self.inner.assessment_owners.put(id, org);
        Ok(org)
    }

    /// A site the caller's company owns.
    pub async fn site_for(&self, who: &Who, id: SiteId) -> Result<Site> {
        own(who, self.site_owner(id).await?)?;
        Ok(self.store().site(id).await?)
    }

    /// An assessment of a site the caller's company owns.
    pub async fn assessment_for(&self, who: &Who, id: AssessmentId) -> Result<Assessment> {
        own(who, self.assessment_owner(id).await?)?;
        Ok(self.store().assessment(id).await?)
    }

    /// Checks that the caller may see the assessment, without loading it.
    pub async fn check_assessment(&self, who: &Who, id: AssessmentId) -> Result<()> {
        own(who, self.assessment_owner(id).await?)
    }

    /// Checks that the caller may see the site, without loading it.
    pub async fn check_site(&self, who: &Who, id: SiteId) -> Result<()> {
        own(who, self.site_owner(id).await?)
    }

    /// A plan item of a site the caller's company owns.
    pub async fn plan_item_for(&self, who: &Who, id: PlanItemId) -> Result<PlanItem> {
        let item = self.store().plan_item(id).await?;
        own(who, self.site_owner(item.site_id).await?)?;
        Ok(item)
    }

    /// An interview, for those who record interviews.
    pub async fn interview_for(&self, who: &Who, id: InterviewId) -> Result<Interview> {
        interviewer(who)?;
        Ok(self.store().interview(id).await?)
    }

    /// Checks that a record of a plant model belongs to the site and the caller may see the
    /// site; anything else is "not found".
    pub async fn check_plant_record(
        &self,
        who: &Who,
        site: SiteId,
        record: crate::plant::PlantRecord,
    ) -> Result<()> {
        use crate::plant::PlantRecord;
        own(who, self.site_owner(site).await?)?;
        let plant = self.store().plant(site).await?;
        let found = match record {
            PlantRecord::Process(id) => plant.process(id).is_some(),
            PlantRecord::Zone(id) => plant.zone(id).is_some(),
            PlantRecord::Conduit(id) => plant.conduit(id).is_some(),
            PlantRecord::Asset(id) => plant.asset(id).is_some(),
            PlantRecord::Flow(id) => plant.flows.iter().any(|f| f.id == id),
        };
        if found { Ok(()) } else { Err(Error::NotFound) }
    }

    /// A round the caller may use this way: its runner always; the ministry may read any round
    /// (the national view). Others are told it does not exist; a reader who may not run it is
    /// refused.
    pub async fn round_for(&self, who: &Who, id: RoundId, usage: RoundUse) -> Result<Round> {
        require_role(who, SURVEY_RUNNERS)?;
        let round = self.store().round(id).await?;
        let Some(p) = who.principal() else {
            return Ok(round);
        };
        let runner = p.org_id == Some(round.owner_org_id);
        if !runner && p.role != Role::MinistryAnalyst {
            return Err(Error::NotFound);
        }
        if usage == RoundUse::Run && !runner {
            return Err(Error::Forbidden);
        }
        Ok(round)
    }

    /// The rounds a company may answer signed in: open rounds of a company instrument run by
    /// an association it belongs to.
    pub async fn answerable_rounds(&self, company: OrgId) -> Result<Vec<Round>> {
        let mut out = Vec::new();
        for assoc in self.store().associations_of(company).await? {
            for r in self.store().rounds(Some(assoc.id)).await? {
                let is_company = self
                    .catalog()
                    .instrument(&r.instrument)
                    .is_some_and(|i| i.kind == InstrumentKind::Company);
                if r.is_open() && is_company {
                    out.push(r);
                }
            }
        }
        Ok(out)
    }

    /// A round the caller's company may answer signed in (any other is "not found"), with
    /// the company.
    pub async fn survey_for(&self, who: &Who, id: RoundId) -> Result<(OrgId, Round)> {
        let company = company_of(who)?;
        let round = self
            .answerable_rounds(company)
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(Error::NotFound)?;
        Ok((company, round))
    }
}
