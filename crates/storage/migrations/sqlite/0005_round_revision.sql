-- A counter bumped in the same transaction as every change to a round's responses, so caches of
-- survey results can be validated with one primary-key read instead of scanning the responses.
ALTER TABLE rounds ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
