-- Foundation: organisations, memberships, sites, users, sessions, setup tokens, audit log.
-- Timestamps are UTC milliseconds since the Unix epoch (BIGINT on both backends).

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('ministry', 'association', 'company')),
    name TEXT NOT NULL,
    name_en TEXT,
    corporate_number TEXT UNIQUE,
    industry_code TEXT,
    prefecture_code TEXT,
    employees INTEGER CHECK (employees >= 0),
    sc3_member INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (kind, name)
);

CREATE TABLE memberships (
    association_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    company_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (association_id, company_id)
);
CREATE INDEX memberships_company ON memberships (company_id);

CREATE TABLE sites (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefecture_code TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'ministry_analyst', 'association_admin', 'company_admin', 'company_member')),
    org_id INTEGER REFERENCES organisations (id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'ja' CHECK (locale IN ('ja', 'en')),
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK ((role = 'admin') = (org_id IS NULL))
);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    detail TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
