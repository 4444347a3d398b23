-- SBOM and VEX documents attached to an asset (docs/vulnerabilities.md): kept as uploaded, read
-- again at every matching. A match found through an SBOM component names the component(s).

CREATE TABLE vuln_asset_documents (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    asset_id INTEGER NOT NULL REFERENCES plant_assets (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    format TEXT NOT NULL,
    components INTEGER NOT NULL,
    statements INTEGER NOT NULL,
    document TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL
);
CREATE INDEX vuln_asset_documents_site ON vuln_asset_documents (site_id, asset_id);

ALTER TABLE vuln_matches ADD COLUMN component TEXT NOT NULL DEFAULT '';
