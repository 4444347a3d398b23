//! kojo's use cases: everything the web pages, the JSON API and the command line share. One
//! module per area; each use case takes who is asking ([`Who`]) and, where it produces text, the
//! reader's language ([`Lang`]) — never a web request. The rule for who may see what is in
//! [`access`]; storage is reached only through here.
//!
//! Adding an area (plant model, risk, vulnerabilities, suppliers, sharing): pure rules in
//! `kojo_core::<area>`, tables in `kojo_storage`, the use cases in a module here, then thin
//! handlers in the web crate and a command in the app crate.

pub mod access;
pub mod accounts;
pub mod assessment;
pub mod cache;
pub mod company;
mod error;
pub mod evidence;
pub mod glossary;
pub mod interviews;
mod lang;
pub mod orgs;
pub mod plan;
pub mod plant;
pub mod plant_register;
pub mod report;
pub mod responses;
pub mod risk_report;
pub mod rounds;
pub mod survey_report;
pub mod survey_results;
pub mod survey_tables;
pub mod vuln;
mod who;

use std::sync::Arc;
use std::time::Duration;

use kojo_content::Catalog;
use kojo_core::checklist::Checklist;
use kojo_core::ids::{AssessmentId, OrgId, SiteId};
use kojo_storage::{Backend, Store};

pub use error::{
    Error, Expected, Problem, Result, SHOWN_PROBLEMS_MAX, bounded, excerpt, excerpt_to, kind_label,
};

/// The longest name kojo keeps (a site, an organisation, a round, a person): longer is refused
/// with the field named, never stored.
pub const NAME_MAX: usize = 200;
/// The longest free text kojo keeps (an interview passage).
pub const TEXT_MAX: usize = 10_000;
/// The most names one pasted invitation list may hold.
pub const PASTED_NAMES_MAX: usize = 5_000;
pub use lang::Lang;
pub use who::{Principal, Who};

/// The checklist new assessments use (its newest version).
pub const DEFAULT_CHECKLIST: &str = "factory-guideline";

/// Settings the use cases need.
#[derive(Debug, Clone)]
pub struct Config {
    /// The disclosure threshold k for aggregate views (never below 5).
    pub disclosure_k: u64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            disclosure_k: kojo_core::survey::disclosure::MIN_K,
        }
    }
}

/// The use cases over one database and one content catalogue; cheap to clone.
#[derive(Clone)]
pub struct Service {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    catalog: Arc<Catalog>,
    config: Config,
    site_owners: cache::TtlMap<SiteId, OrgId>,
    assessment_owners: cache::TtlMap<AssessmentId, OrgId>,
    survey_cache: survey_results::ResultsCache,
    sessions: accounts::sessions::SessionCache,
    throttle: accounts::throttle::LoginThrottle,
    vuln: vuln::VulnCache,
}

impl Service {
    pub fn new(store: Store, catalog: Arc<Catalog>, config: Config) -> Service {
        // Ownership never changes, so the TTL only bounds memory.
        let day = Duration::from_secs(24 * 3600);
        Service {
            inner: Arc::new(Inner {
                store,
                catalog,
                config,
                site_owners: cache::TtlMap::new(day, 200_000),
                assessment_owners: cache::TtlMap::new(day, 200_000),
                survey_cache: survey_results::ResultsCache::default(),
                sessions: accounts::sessions::SessionCache::new(),
                throttle: accounts::throttle::LoginThrottle::default(),
                vuln: vuln::VulnCache::default(),
            }),
        }
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn catalog(&self) -> &Catalog {
        &self.inner.catalog
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    fn vuln_cache(&self) -> &vuln::VulnCache {
        &self.inner.vuln
    }

    /// The database this kojo runs on.
    pub fn backend(&self) -> Backend {
        self.store().backend()
    }

    /// The database's schema version; an error when the database does not answer.
    pub async fn schema_version(&self) -> Result<i64> {
        Ok(self.store().schema_version().await?)
    }

    /// The checklist new assessments are answered on.
    pub fn default_checklist(&self) -> Result<&Checklist> {
        self.catalog()
            .latest_checklist(DEFAULT_CHECKLIST)
            .ok_or_else(|| Error::Internal(format!("no {DEFAULT_CHECKLIST} checklist in content")))
    }
}
