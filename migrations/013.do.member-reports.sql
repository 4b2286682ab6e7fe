-- Member reports in the review queue (issue 11): a member's `report` swipe opens a review item, and
-- further reports about the same member join that item while it is open (one open item per reported
-- member, kept by a unique index so concurrent reports cannot open two). For a member report,
-- viewer_id is the reported member (the member the item is about); the reporters and their reasons are
-- the item's history ('opened' by the first reporter, then one 'reported' event per later report).

ALTER TABLE review_flags
  ADD COLUMN source text NOT NULL DEFAULT 'reviewer' CHECK (source IN ('reviewer', 'member_report')),
  ADD COLUMN report_count integer NOT NULL DEFAULT 0 CHECK (report_count >= 0);

ALTER TABLE review_flags ADD CONSTRAINT review_flags_member_report_shape
  CHECK (source = 'reviewer' OR (candidate_id IS NULL AND slate_id IS NULL AND report_count >= 1));

CREATE UNIQUE INDEX review_flags_open_member_report ON review_flags (viewer_id)
  WHERE source = 'member_report' AND status = 'open';

ALTER TABLE review_flag_events DROP CONSTRAINT review_flag_events_action_check;
ALTER TABLE review_flag_events ADD CONSTRAINT review_flag_events_action_check
  CHECK (action IN ('opened', 'resolved', 'reopened', 'reported'));
