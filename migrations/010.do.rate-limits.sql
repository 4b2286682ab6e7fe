-- Rate limits (issue 11): per-minute request counts per bucket (slate, why, feedback, …) and caller, shared
-- by every replica so a limit holds across them. Two windows per caller are read (this minute and the one
-- before, for the sliding-window estimate); older ones are deleted as new windows open. No foreign key:
-- callers without a profile are counted too. (feedback_rate_windows, from 007, is no longer written; it is
-- left in place so replicas still running the previous release keep working during a rolling deploy.)
CREATE TABLE rate_limit_windows (
  bucket text NOT NULL,
  subject text NOT NULL,
  window_start timestamptz NOT NULL,
  count integer NOT NULL CHECK (count > 0),
  PRIMARY KEY (bucket, subject, window_start)
);
CREATE INDEX rate_limit_windows_start ON rate_limit_windows (window_start);
