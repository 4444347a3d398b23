-- One draft assessment per factory at a time: starting again continues the draft, and an
-- imported workbook cannot silently sit beside one (see docs/scoring.md, "Drafts").
CREATE UNIQUE INDEX assessments_one_draft_per_site ON assessments (site_id) WHERE status = 'draft';
