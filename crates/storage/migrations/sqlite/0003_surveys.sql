-- Sector surveys: rounds of an instrument run by an association or the ministry, their invitees
-- (each with a single-use link), responses (draft or submitted; answers as a JSON object of
-- column → cell, the same cells as a response file), and recorded interviews with themed passages.

CREATE TABLE rounds (
    id INTEGER PRIMARY KEY,
    owner_org_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    instrument TEXT NOT NULL,
    title TEXT NOT NULL,
    opens_on TEXT,
    closes_on TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    closed_at INTEGER
);
CREATE INDEX rounds_owner ON rounds (owner_org_id);
CREATE INDEX rounds_instrument ON rounds (instrument);

CREATE TABLE invitees (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    org_id INTEGER REFERENCES organisations (id) ON DELETE SET NULL,
    label TEXT NOT NULL,
    email TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    UNIQUE (round_id, org_id)
);
CREATE INDEX invitees_round ON invitees (round_id);

CREATE TABLE responses (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    invitee_id INTEGER REFERENCES invitees (id) ON DELETE SET NULL,
    org_id INTEGER REFERENCES organisations (id) ON DELETE SET NULL,
    respondent TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    answers TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    submitted_at INTEGER,
    UNIQUE (round_id, respondent)
);
CREATE INDEX responses_round ON responses (round_id, status);
CREATE INDEX responses_org ON responses (org_id);

CREATE TABLE interviews (
    id INTEGER PRIMARY KEY,
    association_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    instrument TEXT NOT NULL,
    held_on TEXT,
    interviewer TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE interview_answers (
    interview_id INTEGER NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    answer TEXT NOT NULL,
    PRIMARY KEY (interview_id, question_id)
);

CREATE TABLE passages (
    id INTEGER PRIMARY KEY,
    interview_id INTEGER NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX passages_interview ON passages (interview_id);

CREATE TABLE passage_themes (
    passage_id INTEGER NOT NULL REFERENCES passages (id) ON DELETE CASCADE,
    theme_id TEXT NOT NULL,
    PRIMARY KEY (passage_id, theme_id)
);

-- Instance-wide settings (e.g. the key invitation links are derived from).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
