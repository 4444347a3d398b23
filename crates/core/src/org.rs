//! Organisations and the roles users hold in them.

use serde::{Deserialize, Serialize};

/// What an organisation is. Associations have member companies; companies have sites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    Ministry,
    Association,
    Company,
}

impl OrgKind {
    pub const ALL: [OrgKind; 3] = [OrgKind::Ministry, OrgKind::Association, OrgKind::Company];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Ministry => "ministry",
            OrgKind::Association => "association",
            OrgKind::Company => "company",
        }
    }

    pub fn parse(s: &str) -> Option<OrgKind> {
        OrgKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A user's role. `Admin` runs the instance and belongs to no organisation; every other role
/// belongs to an organisation of the matching kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    MinistryAnalyst,
    AssociationAdmin,
    CompanyAdmin,
    CompanyMember,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::MinistryAnalyst,
        Role::AssociationAdmin,
        Role::CompanyAdmin,
        Role::CompanyMember,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::MinistryAnalyst => "ministry_analyst",
            Role::AssociationAdmin => "association_admin",
            Role::CompanyAdmin => "company_admin",
            Role::CompanyMember => "company_member",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The organisation kind a user with this role must belong to (`None`: no organisation).
    pub fn org_kind(self) -> Option<OrgKind> {
        match self {
            Role::Admin => None,
            Role::MinistryAnalyst => Some(OrgKind::Ministry),
            Role::AssociationAdmin => Some(OrgKind::Association),
            Role::CompanyAdmin | Role::CompanyMember => Some(OrgKind::Company),
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for Role {
    type Error = String;
    fn try_from(s: String) -> Result<Role, String> {
        Role::parse(&s).ok_or_else(|| format!("{s:?} is not a role"))
    }
}

impl TryFrom<String> for OrgKind {
    type Error = String;
    fn try_from(s: String) -> Result<OrgKind, String> {
        OrgKind::parse(&s).ok_or_else(|| format!("{s:?} is not an organisation kind"))
    }
}

impl std::fmt::Display for OrgKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_and_kind_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn roles_need_matching_org_kind() {
        assert_eq!(Role::Admin.org_kind(), None);
        assert_eq!(Role::CompanyMember.org_kind(), Some(OrgKind::Company));
        assert_eq!(
            Role::AssociationAdmin.org_kind(),
            Some(OrgKind::Association)
        );
    }
}
