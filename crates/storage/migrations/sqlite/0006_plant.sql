-- The plant model of a site (the guideline's step 1): business processes (業務), zones,
-- conduits between zones, assets and the data flows between them. Codes are checked by kojo
-- (kojo_core::plant::model); names are unique within a site so registers can refer to them.

CREATE TABLE plant_processes (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    importance TEXT NOT NULL CHECK (importance IN ('1', '2', '3')),
    damages TEXT NOT NULL DEFAULT '',
    impact TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (site_id, name)
);

CREATE TABLE plant_zones (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    purpose TEXT NOT NULL,
    exposure TEXT NOT NULL,
    importance TEXT CHECK (importance IN ('1', '2', '3')),
    sl_target INTEGER NOT NULL CHECK (sl_target BETWEEN 1 AND 4),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (site_id, name)
);

CREATE TABLE plant_zone_processes (
    zone_id INTEGER NOT NULL REFERENCES plant_zones (id) ON DELETE CASCADE,
    process_id INTEGER NOT NULL REFERENCES plant_processes (id) ON DELETE CASCADE,
    PRIMARY KEY (zone_id, process_id)
);

CREATE TABLE plant_conduits (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    zone_a INTEGER NOT NULL REFERENCES plant_zones (id) ON DELETE CASCADE,
    zone_b INTEGER NOT NULL REFERENCES plant_zones (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    direction TEXT NOT NULL,
    protocols TEXT NOT NULL DEFAULT '',
    encrypted INTEGER NOT NULL DEFAULT 0,
    always_on INTEGER NOT NULL DEFAULT 0,
    operator TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX plant_conduits_site ON plant_conduits (site_id);

CREATE TABLE plant_assets (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    tag TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    zone_id INTEGER REFERENCES plant_zones (id) ON DELETE SET NULL,
    vendor TEXT NOT NULL DEFAULT '',
    product TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    order_number TEXT NOT NULL DEFAULT '',
    version TEXT NOT NULL DEFAULT '',
    serial TEXT NOT NULL DEFAULT '',
    os TEXT NOT NULL DEFAULT '',
    os_support_end TEXT,
    ip TEXT NOT NULL DEFAULT '',
    mac TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    maintenance_end TEXT,
    status TEXT NOT NULL,
    remote_maintenance INTEGER NOT NULL DEFAULT 0,
    black_box INTEGER NOT NULL DEFAULT 0,
    cloud_link INTEGER NOT NULL DEFAULT 0,
    temporary INTEGER NOT NULL DEFAULT 0,
    wireless INTEGER NOT NULL DEFAULT 0,
    safety INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX plant_assets_site ON plant_assets (site_id);

CREATE TABLE plant_asset_zones (
    asset_id INTEGER NOT NULL REFERENCES plant_assets (id) ON DELETE CASCADE,
    zone_id INTEGER NOT NULL REFERENCES plant_zones (id) ON DELETE CASCADE,
    PRIMARY KEY (asset_id, zone_id)
);

CREATE TABLE plant_asset_processes (
    asset_id INTEGER NOT NULL REFERENCES plant_assets (id) ON DELETE CASCADE,
    process_id INTEGER NOT NULL REFERENCES plant_processes (id) ON DELETE CASCADE,
    PRIMARY KEY (asset_id, process_id)
);

CREATE TABLE plant_flows (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    from_asset INTEGER NOT NULL REFERENCES plant_assets (id) ON DELETE CASCADE,
    to_asset INTEGER NOT NULL REFERENCES plant_assets (id) ON DELETE CASCADE,
    data TEXT NOT NULL DEFAULT '',
    protocol TEXT NOT NULL DEFAULT '',
    conduit_id INTEGER REFERENCES plant_conduits (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX plant_flows_site ON plant_flows (site_id);

-- One value per site that changes with every change to its model (for caches).
CREATE TABLE plant_revisions (
    site_id INTEGER PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
    revision INTEGER NOT NULL
);
