-- Vulnerability identification (docs/vulnerabilities.md): imported advisories with every
-- revision kept, their CVEs and products, the KEV catalogue, the import runs (for "what changed
-- since the last import"), and each site's matches with the factory's status.

CREATE TABLE vuln_import_runs (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    files INTEGER NOT NULL DEFAULT 0,
    advisories_new INTEGER NOT NULL DEFAULT 0,
    advisories_revised INTEGER NOT NULL DEFAULT 0,
    advisories_unchanged INTEGER NOT NULL DEFAULT 0,
    kev_entries INTEGER NOT NULL DEFAULT 0,
    -- JSON list of {file, why}.
    failures TEXT NOT NULL DEFAULT '[]'
);

-- One row per revision of an advisory; `latest` marks the newest revision of each.
CREATE TABLE vuln_advisories (
    id INTEGER PRIMARY KEY,
    namespace TEXT NOT NULL,
    tracking_id TEXT NOT NULL,
    revision TEXT NOT NULL,
    current_release TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    publisher TEXT NOT NULL DEFAULT '',
    -- SHA-256 of the stored document: importing the same revision again changes nothing.
    digest TEXT NOT NULL,
    latest INTEGER NOT NULL DEFAULT 0,
    -- The advisory as kojo reads it (kojo_core::vuln::advisory::Advisory, JSON).
    document TEXT NOT NULL,
    import_run_id INTEGER REFERENCES vuln_import_runs (id) ON DELETE SET NULL,
    imported_at INTEGER NOT NULL,
    UNIQUE (namespace, tracking_id, revision)
);
CREATE INDEX vuln_advisories_latest ON vuln_advisories (latest, tracking_id);

CREATE TABLE vuln_advisory_cves (
    advisory_id INTEGER NOT NULL REFERENCES vuln_advisories (id) ON DELETE CASCADE,
    cve TEXT NOT NULL,
    cvss REAL,
    PRIMARY KEY (advisory_id, cve)
);
CREATE INDEX vuln_advisory_cves_cve ON vuln_advisory_cves (cve);

CREATE TABLE vuln_advisory_products (
    advisory_id INTEGER NOT NULL REFERENCES vuln_advisories (id) ON DELETE CASCADE,
    product_id TEXT NOT NULL,
    vendor TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    version TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (advisory_id, product_id)
);

CREATE TABLE vuln_kev (
    cve TEXT PRIMARY KEY,
    vendor TEXT NOT NULL DEFAULT '',
    product TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    date_added TEXT NOT NULL,
    due_date TEXT,
    ransomware TEXT NOT NULL DEFAULT 'unknown',
    catalog_version TEXT NOT NULL DEFAULT '',
    import_run_id INTEGER REFERENCES vuln_import_runs (id) ON DELETE SET NULL
);

-- A site's asset found in an advisory for a CVE. The newest revision's finding replaces the
-- older one's (advisory_id moves forward); status, owner and due date are the factory's.
CREATE TABLE vuln_matches (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    asset_id INTEGER NOT NULL REFERENCES plant_assets (id) ON DELETE CASCADE,
    advisory_id INTEGER NOT NULL REFERENCES vuln_advisories (id) ON DELETE CASCADE,
    tracking_id TEXT NOT NULL,
    cve TEXT NOT NULL,
    product_id TEXT NOT NULL DEFAULT '',
    verdict TEXT NOT NULL CHECK (verdict IN ('affected', 'needs_checking')),
    confidence INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),
    -- kojo_core::vuln::matching::Reasons, JSON.
    reasons TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'not_affected')),
    justification TEXT,
    owner TEXT NOT NULL DEFAULT '',
    due_date TEXT,
    note TEXT NOT NULL DEFAULT '',
    first_run_id INTEGER REFERENCES vuln_import_runs (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (site_id, asset_id, tracking_id, cve)
);
CREATE INDEX vuln_matches_site ON vuln_matches (site_id, status);

-- What matching changed for a site: new, revised (a newer revision of the advisory) or gone.
CREATE TABLE vuln_match_changes (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    run_id INTEGER REFERENCES vuln_import_runs (id) ON DELETE CASCADE,
    asset_id INTEGER,
    asset_name TEXT NOT NULL DEFAULT '',
    tracking_id TEXT NOT NULL,
    revision TEXT NOT NULL DEFAULT '',
    cve TEXT NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('new', 'revised', 'gone')),
    at INTEGER NOT NULL
);
CREATE INDEX vuln_match_changes_site ON vuln_match_changes (site_id, run_id);
