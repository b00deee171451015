package dev.parley.desktop.cache;

import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.MemberRole;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.UserSummary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The app's local SQLite database for one account on one relay: conversations, the events seen so far, how far each
 * conversation is synced, users' names, and the outbox. It lets the app open instantly and read offline, and keeps
 * unsent messages across restarts. One connection, every method synchronized: the app writes little, and a single
 * connection keeps SQLite free of lock contention. Commits use {@code synchronous=FULL} so an outbox entry the user
 * saw as "sending" survives a power cut.
 */
public final class LocalCache implements AutoCloseable {
    private static final int SCHEMA_VERSION = 3;
    /** Kinds shown in the chat; edits and deletes only change the message they target. */
    private static final String VISIBLE = "kind NOT IN ('EDITED','DELETED')";

    private final Connection db;
    private final ProtocolJson json;

    private LocalCache(Connection db, ProtocolJson json) {
        this.db = db;
        this.json = json;
    }

    public static LocalCache open(Path file, ProtocolJson json) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try {
                try (Statement st = db.createStatement()) {
                    st.execute("PRAGMA journal_mode=WAL");
                    st.execute("PRAGMA synchronous=FULL");
                    st.execute("PRAGMA busy_timeout=5000");
                }
                LocalCache cache = new LocalCache(db, json);
                cache.migrate();
                return cache;
            } catch (SQLException | RuntimeException e) {
                // Closed, or Windows could not move the damaged file aside.
                db.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new CacheException("cannot open the local cache " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A cache opened by {@link #openOrRebuild}; {@code setAside} names the damaged file it replaced, if any. */
    public record Opened(LocalCache cache, Optional<Path> setAside) {
    }

    private static final DateTimeFormatter SET_ASIDE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /**
     * Opens the cache; when the file is damaged (not a database, or a schema it cannot read) it is moved aside, not
     * deleted, and a new one is started: everything but unsent messages comes back from the relay, and an unsent
     * message is better kept in a file someone can look at than lost. Fails only when the directory is unusable.
     */
    public static Opened openOrRebuild(Path file, ProtocolJson json, long nowMillis) {
        try {
            return new Opened(open(file, json), Optional.empty());
        } catch (CacheException damaged) {
            Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + SET_ASIDE_TIME.format(
                    Instant.ofEpochMilli(nowMillis)));
            try {
                Files.move(file, aside);
                for (String suffix : List.of("-wal", "-shm")) {
                    Path companion = file.resolveSibling(file.getFileName() + suffix);
                    if (Files.exists(companion)) {
                        Files.move(companion, aside.resolveSibling(aside.getFileName() + suffix));
                    }
                }
            } catch (IOException e) {
                CacheException unusable = new CacheException("cannot set the damaged cache " + file + " aside", e);
                unusable.addSuppressed(damaged);
                throw unusable;
            }
            return new Opened(open(file, json), Optional.of(aside));
        }
    }

    private void migrate() throws SQLException {
        try (Statement st = db.createStatement()) {
            int version;
            try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            // A newer app's cache (its user went back to an older build) keeps its version: writing ours over it
            // would make the newer app run its upgrade steps twice.
            if (version >= SCHEMA_VERSION) {
                return;
            }
            db.setAutoCommit(false);
            st.execute("""
                    CREATE TABLE IF NOT EXISTS conversations(
                      id INTEGER PRIMARY KEY, json TEXT NOT NULL, last_activity INTEGER NOT NULL)""");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS events(
                      conv INTEGER NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, sender INTEGER NOT NULL,
                      ts INTEGER NOT NULL, client_id TEXT, text TEXT, target INTEGER, member INTEGER, role TEXT,
                      edited_at INTEGER, deleted INTEGER,
                      PRIMARY KEY(conv, seq)) WITHOUT ROWID""");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS sync_state(
                      conv INTEGER PRIMARY KEY, synced_seq INTEGER NOT NULL, floor_seq INTEGER NOT NULL)""");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS outbox(
                      position INTEGER PRIMARY KEY AUTOINCREMENT, client_id TEXT NOT NULL UNIQUE,
                      conv INTEGER NOT NULL, text TEXT NOT NULL, created_at INTEGER NOT NULL, error TEXT)""");
            st.execute("""
                    CREATE TABLE IF NOT EXISTS users(
                      id INTEGER PRIMARY KEY, username TEXT NOT NULL, display_name TEXT)""");
            // Version 2: conversations muted on this device (no desktop notification, not in the unread total).
            st.execute("CREATE TABLE IF NOT EXISTS muted(conv INTEGER PRIMARY KEY)");
            // Version 3: what the user had started to write in each conversation, kept across switches and restarts.
            st.execute("CREATE TABLE IF NOT EXISTS drafts(conv INTEGER PRIMARY KEY, text TEXT NOT NULL)");
            st.execute("PRAGMA user_version=" + SCHEMA_VERSION);
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    // ---- conversations -------------------------------------------------------------------------------------

    /** Replaces the list with the relay's (conversations the user left disappear; their events stay). */
    public synchronized void replaceConversations(Collection<ConversationSummary> all) {
        inTransaction(() -> {
            try (Statement st = db.createStatement()) {
                st.execute("DELETE FROM conversations");
            }
            for (ConversationSummary c : all) {
                putConversation(c);
            }
        });
    }

    public synchronized void saveConversation(ConversationSummary conversation) {
        inTransaction(() -> putConversation(conversation));
    }

    /** The user left: it goes from the list, and a later rejoin starts unmuted and without a draft (events stay). */
    public synchronized void removeConversation(long id) {
        inTransaction(() -> {
            for (String sql : List.of("DELETE FROM conversations WHERE id=?", "DELETE FROM muted WHERE conv=?",
                    "DELETE FROM drafts WHERE conv=?")) {
                try (PreparedStatement ps = db.prepareStatement(sql)) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
            }
        });
    }

    private void putConversation(ConversationSummary c) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT OR REPLACE INTO conversations(id, json, last_activity) VALUES (?,?,?)")) {
            ps.setLong(1, c.id());
            ps.setString(2, json.write(c));
            ps.setLong(3, c.lastActivity());
            ps.executeUpdate();
        }
    }

    /** Newest activity first. */
    public synchronized List<ConversationSummary> conversations() {
        return query("SELECT json FROM conversations ORDER BY last_activity DESC, id DESC", ps -> { },
                rs -> json.decode(rs.getString(1), ConversationSummary.class));
    }

    public synchronized Optional<ConversationSummary> conversation(long id) {
        return query("SELECT json FROM conversations WHERE id=?", ps -> ps.setLong(1, id),
                rs -> json.decode(rs.getString(1), ConversationSummary.class)).stream().findFirst();
    }

    // ---- events ------------------------------------------------------------------------------------------

    /**
     * Stores events (idempotent: an event already here is skipped) and applies edits and deletes to the messages
     * they target. Own messages that arrive this way leave the outbox: the relay has them.
     */
    public synchronized AppliedEvents applyEvents(List<LogEvent> events) {
        List<LogEvent> inserted = new ArrayList<>();
        List<LogEvent> updated = new ArrayList<>();
        inTransaction(() -> {
            try (PreparedStatement insert = db.prepareStatement("""
                    INSERT OR IGNORE INTO events(conv, seq, kind, sender, ts, client_id, text, target, member, role,
                                                 edited_at, deleted) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""");
                 PreparedStatement edit = db.prepareStatement(
                         "UPDATE events SET text=?, edited_at=? WHERE conv=? AND seq=? AND kind='MESSAGE'");
                 PreparedStatement delete = db.prepareStatement(
                         "UPDATE events SET text=NULL, deleted=1 WHERE conv=? AND seq=? AND kind='MESSAGE'");
                 PreparedStatement dequeue = db.prepareStatement("DELETE FROM outbox WHERE client_id=?")) {
                for (LogEvent e : events) {
                    insert.setLong(1, e.conv());
                    insert.setLong(2, e.seq());
                    insert.setString(3, e.kind().name());
                    insert.setLong(4, e.sender());
                    insert.setLong(5, e.ts());
                    insert.setString(6, e.clientId());
                    insert.setString(7, e.text());
                    setLong(insert, 8, e.target());
                    setLong(insert, 9, e.member());
                    insert.setString(10, e.role() == null ? null : e.role().name());
                    setLong(insert, 11, e.editedAt());
                    insert.setObject(12, e.deleted() == null ? null : (e.deleted() ? 1 : 0), Types.INTEGER);
                    if (insert.executeUpdate() == 0) {
                        continue;
                    }
                    inserted.add(e);
                    if (e.clientId() != null) {
                        dequeue.setString(1, e.clientId());
                        dequeue.executeUpdate();
                    }
                    switch (e.kind()) {
                        case EDITED -> {
                            edit.setString(1, e.text());
                            edit.setLong(2, e.ts());
                            edit.setLong(3, e.conv());
                            edit.setLong(4, e.target());
                            if (edit.executeUpdate() > 0) {
                                event(e.conv(), e.target()).ifPresent(updated::add);
                            }
                        }
                        case DELETED -> {
                            delete.setLong(1, e.conv());
                            delete.setLong(2, e.target());
                            if (delete.executeUpdate() > 0) {
                                event(e.conv(), e.target()).ifPresent(updated::add);
                            }
                        }
                        case CREATED, MESSAGE, MEMBER_JOINED, MEMBER_LEFT, ROLE_CHANGED, CALL -> {
                            // nothing else changes
                        }
                    }
                }
            }
        });
        return new AppliedEvents(List.copyOf(inserted), List.copyOf(updated));
    }

    public synchronized Optional<LogEvent> event(long conv, long seq) {
        return query("SELECT * FROM events WHERE conv=? AND seq=?", ps -> {
            ps.setLong(1, conv);
            ps.setLong(2, seq);
        }, LocalCache::readEvent).stream().findFirst();
    }

    /** Up to {@code limit} visible events older than {@code beforeSeq} (null: the newest), oldest first. */
    public synchronized List<LogEvent> visibleBefore(long conv, Long beforeSeq, int limit) {
        List<LogEvent> newestFirst = query("SELECT * FROM events WHERE conv=? AND seq<? AND " + VISIBLE
                + " ORDER BY seq DESC LIMIT ?", ps -> {
                    ps.setLong(1, conv);
                    ps.setLong(2, beforeSeq == null ? Long.MAX_VALUE : beforeSeq);
                    ps.setInt(3, limit);
                }, LocalCache::readEvent);
        return newestFirst.reversed();
    }

    /** Visible events newer than {@code afterSeq}, oldest first. */
    public synchronized List<LogEvent> visibleAfter(long conv, long afterSeq, int limit) {
        return query("SELECT * FROM events WHERE conv=? AND seq>? AND " + VISIBLE + " ORDER BY seq LIMIT ?", ps -> {
            ps.setLong(1, conv);
            ps.setLong(2, afterSeq);
            ps.setInt(3, limit);
        }, LocalCache::readEvent);
    }

    // ---- sync state ----------------------------------------------------------------------------------------

    /** How far the conversation is known without gaps, and from where back history is cached; empty if never synced. */
    public synchronized Optional<SyncState> syncState(long conv) {
        return query("SELECT synced_seq, floor_seq FROM sync_state WHERE conv=?", ps -> ps.setLong(1, conv),
                rs -> new SyncState(rs.getLong(1), rs.getLong(2))).stream().findFirst();
    }

    public synchronized void saveSyncState(long conv, SyncState state) {
        inTransaction(() -> {
            try (PreparedStatement ps = db.prepareStatement(
                    "INSERT OR REPLACE INTO sync_state(conv, synced_seq, floor_seq) VALUES (?,?,?)")) {
                ps.setLong(1, conv);
                ps.setLong(2, state.syncedSeq());
                ps.setLong(3, state.floorSeq());
                ps.executeUpdate();
            }
        });
    }

    // ---- outbox ---------------------------------------------------------------------------------------------

    public synchronized void enqueue(OutboxEntry entry) {
        inTransaction(() -> {
            try (PreparedStatement ps = db.prepareStatement(
                    "INSERT INTO outbox(client_id, conv, text, created_at, error) VALUES (?,?,?,?,?)")) {
                ps.setString(1, entry.clientId());
                ps.setLong(2, entry.conv());
                ps.setString(3, entry.text());
                ps.setLong(4, entry.createdAt());
                ps.setString(5, entry.error());
                ps.executeUpdate();
            }
        });
    }

    public synchronized void dequeue(String clientId) {
        inTransaction(() -> {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM outbox WHERE client_id=?")) {
                ps.setString(1, clientId);
                ps.executeUpdate();
            }
        });
    }

    public synchronized void markFailed(String clientId, String error) {
        inTransaction(() -> {
            try (PreparedStatement ps = db.prepareStatement("UPDATE outbox SET error=? WHERE client_id=?")) {
                ps.setString(1, error);
                ps.setString(2, clientId);
                ps.executeUpdate();
            }
        });
    }

    /** Every unacknowledged message, in the order written. */
    public synchronized List<OutboxEntry> outbox() {
        return query("SELECT client_id, conv, text, created_at, error FROM outbox ORDER BY position", ps -> { },
                LocalCache::readOutbox);
    }

    public synchronized List<OutboxEntry> outbox(long conv) {
        return query("SELECT client_id, conv, text, created_at, error FROM outbox WHERE conv=? ORDER BY position",
                ps -> ps.setLong(1, conv), LocalCache::readOutbox);
    }

    // ---- users ----------------------------------------------------------------------------------------------

    public synchronized void saveUsers(Collection<UserSummary> users) {
        if (users.isEmpty()) {
            return;
        }
        inTransaction(() -> {
            try (PreparedStatement ps = db.prepareStatement(
                    "INSERT OR REPLACE INTO users(id, username, display_name) VALUES (?,?,?)")) {
                for (UserSummary u : users) {
                    ps.setLong(1, u.id());
                    ps.setString(2, u.username());
                    ps.setString(3, u.displayName());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /** Known users by id; presence is not cached (it is only true while connected). */
    public synchronized Map<Long, UserSummary> users() {
        Map<Long, UserSummary> users = new HashMap<>();
        for (UserSummary u : query("SELECT id, username, display_name FROM users", ps -> { },
                rs -> new UserSummary(rs.getLong(1), rs.getString(2), rs.getString(3), null, null))) {
            users.put(u.id(), u);
        }
        return users;
    }

    // ---- muted conversations ---------------------------------------------------------------------------------

    public synchronized void setMuted(long conv, boolean muted) {
        inTransaction(() -> {
            try (PreparedStatement ps = db.prepareStatement(muted ? "INSERT OR IGNORE INTO muted(conv) VALUES (?)"
                    : "DELETE FROM muted WHERE conv=?")) {
                ps.setLong(1, conv);
                ps.executeUpdate();
            }
        });
    }

    public synchronized Set<Long> muted() {
        return Set.copyOf(query("SELECT conv FROM muted", ps -> { }, rs -> rs.getLong(1)));
    }

    // ---- drafts --------------------------------------------------------------------------------------------

    /** Keeps {@code text} as the conversation's unsent draft; a blank one removes it. */
    public synchronized void saveDraft(long conv, String text) {
        boolean blank = text == null || text.isBlank();
        inTransaction(() -> {
            try (PreparedStatement ps = db.prepareStatement(blank ? "DELETE FROM drafts WHERE conv=?"
                    : "INSERT OR REPLACE INTO drafts(conv, text) VALUES (?,?)")) {
                ps.setLong(1, conv);
                if (!blank) {
                    ps.setString(2, text);
                }
                ps.executeUpdate();
            }
        });
    }

    public synchronized Optional<String> draft(long conv) {
        return query("SELECT text FROM drafts WHERE conv=?", ps -> ps.setLong(1, conv), rs -> rs.getString(1))
                .stream().findFirst();
    }

    public synchronized OptionalLong countEvents(long conv) {
        List<Long> n = query("SELECT count(*) FROM events WHERE conv=?", ps -> ps.setLong(1, conv),
                rs -> rs.getLong(1));
        return n.isEmpty() ? OptionalLong.empty() : OptionalLong.of(n.getFirst());
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new CacheException("cannot close the local cache", e);
        }
    }

    // ---- plumbing -------------------------------------------------------------------------------------------

    private interface SqlWork {
        void run() throws SQLException;
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private void inTransaction(SqlWork work) {
        try {
            db.setAutoCommit(false);
            try {
                work.run();
                db.commit();
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new CacheException("local cache write failed: " + e.getMessage(), e);
        }
    }

    private <T> List<T> query(String sql, Binder binder, RowReader<T> reader) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(reader.read(rs));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new CacheException("local cache read failed: " + e.getMessage(), e);
        }
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, value);
        }
    }

    private static Long getLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static LogEvent readEvent(ResultSet rs) throws SQLException {
        String role = rs.getString("role");
        Long deleted = getLong(rs, "deleted");
        return new LogEvent(rs.getLong("conv"), rs.getLong("seq"), EventKind.valueOf(rs.getString("kind")),
                rs.getLong("sender"), rs.getLong("ts"), rs.getString("client_id"), rs.getString("text"),
                getLong(rs, "target"), getLong(rs, "member"), role == null ? null : MemberRole.valueOf(role),
                getLong(rs, "edited_at"), deleted == null ? null : deleted != 0);
    }

    private static OutboxEntry readOutbox(ResultSet rs) throws SQLException {
        return new OutboxEntry(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getString(5));
    }

}
