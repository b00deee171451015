-- The relay looks every few seconds for sessions signed out by another process (the admin's reset-password); rows are
-- kept after sign-out, so without this the look is a scan of every session ever opened.
CREATE INDEX sessions_by_revocation ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;
