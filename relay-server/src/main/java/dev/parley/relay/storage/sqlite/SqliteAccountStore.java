package dev.parley.relay.storage.sqlite;

import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.ErrorCode;
import dev.parley.relay.RelayException;
import dev.parley.relay.account.Account;
import dev.parley.relay.account.AccountStore;
import dev.parley.relay.account.DeviceSession;
import dev.parley.relay.account.RefreshOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

public final class SqliteAccountStore implements AccountStore {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteAccountStore.class);
    private static final String USER_COLUMNS = "id, username, display_name, password_hash, created_at, last_seen";
    private static final String SESSION_COLUMNS = "id, user_id, device_id, device_name, os, app_version, address, "
            + "created_at, last_seen, refresh_expires_at, revoked_at";

    private final SqliteDatabase db;

    public SqliteAccountStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public Account create(String username, String displayName, String passwordHash, long now) {
        return Jobs.await(db.write(tx -> {
            try (PreparedStatement exists = tx.prepareStatement("SELECT 1 FROM users WHERE username = ?")) {
                exists.setString(1, username);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        throw new RelayException(ErrorCode.USERNAME_TAKEN, "the username '" + username
                                + "' is taken");
                    }
                }
            }
            try (PreparedStatement insert = tx.prepareStatement(
                    "INSERT INTO users (username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?) "
                            + "RETURNING id")) {
                insert.setString(1, username);
                insert.setString(2, displayName);
                insert.setString(3, passwordHash);
                insert.setLong(4, now);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    return new Account(rs.getLong(1), username, displayName, passwordHash, now, null);
                }
            }
        }));
    }

    @Override
    public Optional<Account> findByUsername(String username) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT " + USER_COLUMNS + " FROM users WHERE username = ?")) {
                st.setString(1, username);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(account(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<Account> findById(long id) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT " + USER_COLUMNS + " FROM users WHERE id = ?")) {
                st.setLong(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(account(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Account> findByIds(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return db.read(c -> {
            List<Account> accounts = new ArrayList<>(ids.size());
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT " + USER_COLUMNS + " FROM users WHERE id IN (SELECT value FROM json_each(?))")) {
                st.setString(1, ids.toString());
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        accounts.add(account(rs));
                    }
                }
            }
            return accounts;
        });
    }

    @Override
    public List<Account> search(String query, int limit) {
        return db.read(c -> {
            List<Account> accounts = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT " + USER_COLUMNS + " FROM users "
                    + "WHERE instr(lower(username), lower(?1)) > 0 OR instr(lower(display_name), lower(?1)) > 0 "
                    + "ORDER BY username LIMIT ?2")) {
                st.setString(1, query);
                st.setInt(2, limit);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        accounts.add(account(rs));
                    }
                }
            }
            return accounts;
        });
    }

    @Override
    public long countUsers() {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM users");
                 ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /**
     * Queued, not awaited: presence calls this from WebSocket close and error callbacks, which Jetty may run on
     * whatever thread was sending, including the writer thread during fan-out, where waiting would deadlock it.
     */
    @Override
    public void setLastSeen(long userId, long when) {
        db.write(tx -> {
            try (PreparedStatement st = tx.prepareStatement("UPDATE users SET last_seen = ? WHERE id = ?")) {
                st.setLong(1, when);
                st.setLong(2, userId);
                return st.executeUpdate();
            }
        }).exceptionally(failure -> {
            LOG.warn("could not store last-seen of user {}: {}", userId, failure.getMessage());
            return 0;
        });
    }

    @Override
    public void replacePasswordHash(long userId, String verifiedHash, String newHash) {
        Jobs.await(db.write(tx -> {
            try (PreparedStatement st = tx.prepareStatement(
                    "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?")) {
                st.setString(1, newHash);
                st.setLong(2, userId);
                st.setString(3, verifiedHash);
                return st.executeUpdate();
            }
        }));
    }

    @Override
    public List<String> setPasswordHash(long userId, String verifiedHash, String newHash, String keepSessionId,
                                        long now) {
        return Jobs.await(db.write(tx -> {
            if (keepSessionId != null) {
                try (PreparedStatement st = tx.prepareStatement("SELECT 1 FROM sessions "
                        + "WHERE id = ? AND user_id = ? AND revoked_at IS NULL")) {
                    st.setString(1, keepSessionId);
                    st.setLong(2, userId);
                    try (ResultSet rs = st.executeQuery()) {
                        if (!rs.next()) {
                            throw new RelayException(ErrorCode.SESSION_REVOKED, "this device was signed out");
                        }
                    }
                }
            }
            try (PreparedStatement st = tx.prepareStatement("UPDATE users SET password_hash = ? "
                    + "WHERE id = ? AND (? IS NULL OR password_hash = ?)")) {
                st.setString(1, newHash);
                st.setLong(2, userId);
                st.setString(3, verifiedHash);
                st.setString(4, verifiedHash);
                if (st.executeUpdate() != 1) {
                    throw new RelayException(ErrorCode.CONFLICT, "the password was changed meanwhile; try again");
                }
            }
            List<String> revoked = new ArrayList<>();
            try (PreparedStatement st = tx.prepareStatement("UPDATE sessions SET revoked_at = ? WHERE user_id = ? "
                    + "AND revoked_at IS NULL AND id IS NOT ? RETURNING id")) {
                st.setLong(1, now);
                st.setLong(2, userId);
                st.setString(3, keepSessionId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        revoked.add(rs.getString(1));
                    }
                }
            }
            return revoked;
        }));
    }

    @Override
    public void createSession(DeviceSession s, String refreshHash, List<String> checkedHashes) {
        if (checkedHashes.isEmpty()) {
            throw new IllegalArgumentException("a session needs the password hash it was checked against");
        }
        String anyOf = String.join(", ", Collections.nCopies(checkedHashes.size(), "?"));
        // One write job: the password check and a password change (which revokes sessions) cannot interleave.
        int created = Jobs.await(db.write(tx -> {
            try (PreparedStatement st = tx.prepareStatement("INSERT INTO sessions (id, user_id, device_id, "
                    + "device_name, os, app_version, address, created_at, last_seen, refresh_hash, "
                    + "refresh_expires_at) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS ("
                    + "SELECT 1 FROM users WHERE id = ? AND password_hash IN (" + anyOf + "))")) {
                st.setString(1, s.id());
                st.setLong(2, s.userId());
                st.setString(3, s.deviceId());
                st.setString(4, s.deviceName());
                st.setString(5, s.os());
                st.setString(6, s.appVersion());
                st.setString(7, s.address());
                st.setLong(8, s.createdAt());
                st.setLong(9, s.lastSeen());
                st.setString(10, refreshHash);
                st.setLong(11, s.refreshExpiresAt());
                st.setLong(12, s.userId());
                for (int i = 0; i < checkedHashes.size(); i++) {
                    st.setString(13 + i, checkedHashes.get(i));
                }
                return st.executeUpdate();
            }
        }));
        if (created == 0) {
            throw new RelayException(ErrorCode.INVALID_CREDENTIALS, "wrong username or password");
        }
    }

    @Override
    public Optional<DeviceSession> findSession(String sessionId) {
        return db.read(c -> findSession(c, sessionId));
    }

    private static Optional<DeviceSession> findSession(Connection c, String sessionId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT " + SESSION_COLUMNS + " FROM sessions WHERE id = ?")) {
            st.setString(1, sessionId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(session(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public List<DeviceSession> activeSessions(long userId) {
        return db.read(c -> {
            List<DeviceSession> sessions = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT " + SESSION_COLUMNS + " FROM sessions "
                    + "WHERE user_id = ? AND revoked_at IS NULL ORDER BY last_seen DESC")) {
                st.setLong(1, userId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        sessions.add(session(rs));
                    }
                }
            }
            return sessions;
        });
    }

    @Override
    public List<String> sessionsRevokedSince(long since) {
        return db.read(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT id FROM sessions WHERE revoked_at >= ?")) {
                st.setLong(1, since);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            return ids;
        });
    }

    @Override
    public RefreshOutcome rotateRefresh(String sessionId, String presentedHash, String newHash, long newExpiry,
                                        long now) {
        return Jobs.await(db.write(tx -> {
            try (PreparedStatement st = tx.prepareStatement("SELECT refresh_hash, refresh_expires_at, revoked_at "
                    + "FROM sessions WHERE id = ?")) {
                st.setString(1, sessionId);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return RefreshOutcome.UNKNOWN;
                    }
                    rs.getLong(3);
                    if (!rs.wasNull()) {
                        return RefreshOutcome.REVOKED;
                    }
                    // Any token of this live session but the current one was rotated out (or forged by someone
                    // who knows the session id, which is secret too): a thief who refreshed twice must not turn
                    // the real device's older token into a plain 401 that leaves the thief's copy working.
                    if (!presentedHash.equals(rs.getString(1))) {
                        revoke(tx, sessionId, now);
                        return RefreshOutcome.REUSED;
                    }
                    if (rs.getLong(2) < now) {
                        return RefreshOutcome.EXPIRED;
                    }
                }
            }
            try (PreparedStatement st = tx.prepareStatement("UPDATE sessions SET previous_refresh_hash = "
                    + "refresh_hash, refresh_hash = ?, refresh_expires_at = ?, last_seen = ? WHERE id = ?")) {
                st.setString(1, newHash);
                st.setLong(2, newExpiry);
                st.setLong(3, now);
                st.setString(4, sessionId);
                st.executeUpdate();
            }
            return RefreshOutcome.ROTATED;
        }));
    }

    @Override
    public boolean revokeSession(long userId, String sessionId, long now) {
        return Jobs.await(db.write(tx -> {
            try (PreparedStatement st = tx.prepareStatement("UPDATE sessions SET revoked_at = ? "
                    + "WHERE id = ? AND user_id = ? AND revoked_at IS NULL")) {
                st.setLong(1, now);
                st.setString(2, sessionId);
                st.setLong(3, userId);
                return st.executeUpdate() == 1;
            }
        }));
    }

    private static void revoke(Connection tx, String sessionId, long now) throws SQLException {
        try (PreparedStatement st = tx.prepareStatement("UPDATE sessions SET revoked_at = ? WHERE id = ?")) {
            st.setLong(1, now);
            st.setString(2, sessionId);
            st.executeUpdate();
        }
    }

    /** Queued, not awaited: a connecting device should not wait for an fsync to learn it is welcome. */
    @Override
    public void touchSession(String sessionId, long now, String address, DeviceInfo device) {
        DeviceInfo info = device == null ? DeviceInfo.unknown() : device;
        db.write(tx -> {
            try (PreparedStatement st = tx.prepareStatement("UPDATE sessions SET last_seen = ?, "
                    + "address = coalesce(?, address), device_id = coalesce(?, device_id), "
                    + "device_name = coalesce(?, device_name), os = coalesce(?, os), "
                    + "app_version = coalesce(?, app_version) WHERE id = ?")) {
                st.setLong(1, now);
                st.setString(2, address);
                st.setString(3, info.id());
                st.setString(4, info.name());
                st.setString(5, info.os());
                st.setString(6, info.appVersion());
                st.setString(7, sessionId);
                return st.executeUpdate();
            }
        }).exceptionally(failure -> {
            LOG.warn("could not record the activity of session {}: {}", sessionId, failure.getMessage());
            return 0;
        });
    }

    private static Account account(ResultSet rs) throws SQLException {
        long lastSeen = rs.getLong(6);
        Long lastSeenOrNull = rs.wasNull() ? null : lastSeen;
        return new Account(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                lastSeenOrNull);
    }

    private static DeviceSession session(ResultSet rs) throws SQLException {
        long revokedAt = rs.getLong(11);
        Long revoked = rs.wasNull() ? null : revokedAt;
        return new DeviceSession(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), revoked);
    }
}
