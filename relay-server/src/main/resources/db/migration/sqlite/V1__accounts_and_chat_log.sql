-- Accounts, device sessions, conversations and the per-conversation event log.
-- Times are epoch milliseconds (UTC).

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    last_seen     INTEGER
);

-- One row per signed-in device. The refresh token is stored only as a SHA-256 hash; the previous hash is kept so
-- that a replayed, already rotated token can be recognised and the session revoked.
CREATE TABLE sessions (
    id                    TEXT    PRIMARY KEY,
    user_id               INTEGER NOT NULL REFERENCES users (id),
    device_id             TEXT,
    device_name           TEXT,
    os                    TEXT,
    app_version           TEXT,
    address               TEXT,
    created_at            INTEGER NOT NULL,
    last_seen             INTEGER NOT NULL,
    refresh_hash          TEXT    NOT NULL,
    previous_refresh_hash TEXT,
    refresh_expires_at    INTEGER NOT NULL,
    revoked_at            INTEGER
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE conversations (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL CHECK (kind IN ('dm', 'group', 'channel')),
    name          TEXT,
    topic         TEXT,
    post_policy   TEXT    NOT NULL DEFAULT 'everyone' CHECK (post_policy IN ('everyone', 'admins')),
    -- "<smaller user id>:<larger user id>" for DMs, so a pair can only ever have one.
    dm_key        TEXT    UNIQUE,
    created_by    INTEGER NOT NULL REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    last_seq      INTEGER NOT NULL DEFAULT 0,
    last_activity INTEGER NOT NULL
);
CREATE INDEX conversations_by_kind ON conversations (kind);

CREATE TABLE members (
    conv_id       INTEGER NOT NULL REFERENCES conversations (id),
    user_id       INTEGER NOT NULL REFERENCES users (id),
    role          TEXT    NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    joined_at     INTEGER NOT NULL,
    read_seq      INTEGER NOT NULL DEFAULT 0,
    delivered_seq INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conv_id, user_id)
) WITHOUT ROWID;
CREATE INDEX members_by_user ON members (user_id, conv_id);

-- The append-only log. A message row also carries its current state (edited text, tombstone) so history pages
-- show messages as they are now; the edit and delete themselves are later rows that point at it (target_seq).
CREATE TABLE events (
    conv_id    INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    sender_id  INTEGER NOT NULL,
    ts         INTEGER NOT NULL,
    client_id  TEXT,
    text       TEXT,
    target_seq INTEGER,
    member_id  INTEGER,
    role       TEXT,
    edited_at  INTEGER,
    deleted    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conv_id, seq)
) WITHOUT ROWID;
-- Retry dedupe: one message per (sender, clientId), whatever the conversation.
CREATE UNIQUE INDEX events_by_client_id ON events (sender_id, client_id) WHERE client_id IS NOT NULL;
