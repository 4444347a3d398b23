-- Individual answers stay with the respondent (docs/surveys.md, "Individual answers"): how each
-- response arrived (through a personal link, signed in as the company, or imported by the
-- round's runner), the Argon2id hash of the resume code a link respondent chose for a draft, and
-- the window counting resume attempts (throttling guesses). Responses stored before this version
-- that came through a link are marked 'link'; all others 'account', so no link reaches them.
ALTER TABLE responses ADD COLUMN channel TEXT NOT NULL DEFAULT 'account' CHECK (channel IN ('link', 'account', 'import'));
ALTER TABLE responses ADD COLUMN resume_hash TEXT;
ALTER TABLE responses ADD COLUMN resume_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE responses ADD COLUMN resume_window_start INTEGER;
UPDATE responses SET channel = 'link' WHERE invitee_id IS NOT NULL;
