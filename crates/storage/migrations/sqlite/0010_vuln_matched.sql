-- The plant model's revision each site's matches were computed from: the vulnerability page
-- matches the site again when its model changed since (docs/vulnerabilities.md).

CREATE TABLE vuln_site_matched (
    site_id INTEGER PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
    plant_revision INTEGER NOT NULL,
    matched_at INTEGER NOT NULL
);
