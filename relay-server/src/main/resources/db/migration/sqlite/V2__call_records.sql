-- Calls leave a 'call' event in their DM's log; these columns hold its record.
ALTER TABLE events ADD COLUMN call_id TEXT;
ALTER TABLE events ADD COLUMN call_media TEXT;
ALTER TABLE events ADD COLUMN call_outcome TEXT;
ALTER TABLE events ADD COLUMN call_reason TEXT;
ALTER TABLE events ADD COLUMN call_started_at INTEGER;
ALTER TABLE events ADD COLUMN call_duration_ms INTEGER;
-- Call history across all of a user's conversations, newest first.
CREATE INDEX events_calls ON events (conv_id, seq) WHERE kind = 'call';
