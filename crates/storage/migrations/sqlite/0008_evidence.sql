-- Evidence attached to an answer: photos and PDFs kept in the database with the assessment
-- (docs/security.md, "Evidence files"). The type is what the file's first bytes say, never the
-- name or the browser's claim; size and type limits are checked before anything is written.
CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('jpeg', 'png', 'webp', 'pdf')),
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX evidence_by_assessment ON evidence (assessment_id, item_id);
