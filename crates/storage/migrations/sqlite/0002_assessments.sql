-- Self-assessment: invitations, assessments with per-item answers (optimistic versions and a
-- change history), and each site's action plan.

CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('ministry_analyst', 'association_admin', 'company_admin', 'company_member')),
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    used_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX invitations_org ON invitations (org_id);

CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    checklist TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'complete')),
    copied_from INTEGER REFERENCES assessments (id) ON DELETE SET NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    completed_at INTEGER
);
CREATE INDEX assessments_site ON assessments (site_id, created_at);

CREATE TABLE answers (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    level TEXT,
    note TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    target_date TEXT,
    version INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (assessment_id, item_id)
);

CREATE TABLE answer_history (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    level TEXT,
    note TEXT NOT NULL,
    owner TEXT NOT NULL,
    target_date TEXT,
    changed_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    changed_by_label TEXT NOT NULL,
    changed_at INTEGER NOT NULL
);
CREATE INDEX answer_history_item ON answer_history (assessment_id, item_id, version);

CREATE TABLE plan_items (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    checklist TEXT NOT NULL,
    item_id TEXT NOT NULL,
    measure_id TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    due_date TEXT,
    status TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'dropped')),
    note TEXT NOT NULL DEFAULT '',
    assessment_id INTEGER REFERENCES assessments (id) ON DELETE SET NULL,
    version INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (site_id, measure_id)
);
