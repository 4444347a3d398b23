//! Who is asking: a signed-in user, or the command line (which has the database in hand and so
//! passes every ownership check, acting as `cli` in the audit log).

use kojo_core::ids::{OrgId, UserId};
use kojo_core::org::Role;
use kojo_storage::Actor;

/// A signed-in user, as the use cases see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub org_id: Option<OrgId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    User(Principal),
    Cli,
}

impl Who {
    /// How the audit log names this caller.
    pub fn actor(&self) -> Actor {
        match self {
            Who::User(p) => Actor::user(p.id, &p.login),
            Who::Cli => Actor::cli(),
        }
    }

    pub fn principal(&self) -> Option<&Principal> {
        match self {
            Who::User(p) => Some(p),
            Who::Cli => None,
        }
    }

    pub fn role(&self) -> Option<Role> {
        self.principal().map(|p| p.role)
    }

    pub fn org_id(&self) -> Option<OrgId> {
        self.principal().and_then(|p| p.org_id)
    }
}
