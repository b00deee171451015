package dev.parley.relay.account;

import dev.parley.protocol.DeviceInfo;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Users and their device sessions. Writes are durable when the method returns. */
public interface AccountStore {

    /** Creates the user or throws {@code username_taken} when the name exists in any letter case. */
    Account create(String username, String displayName, String passwordHash, long now);

    Optional<Account> findByUsername(String username);

    Optional<Account> findById(long id);

    List<Account> findByIds(Collection<Long> ids);

    /** Users whose username or display name contains {@code query} (any case), by username. */
    List<Account> search(String query, int limit);

    long countUsers();

    void setLastSeen(long userId, long when);

    /**
     * Replaces the stored password hash with the same password hashed with new settings, only if it is still
     * {@code verifiedHash} (a password changed meanwhile wins).
     */
    void replacePasswordHash(long userId, String verifiedHash, String newHash);

    /**
     * Sets a new password hash and, in the same transaction, revokes every active session of the user except
     * {@code keepSessionId} (none when null). Returns the ids of the sessions it revoked. Throws {@code conflict} when
     * the stored hash is no longer {@code verifiedHash} (changed meanwhile; null skips the check) and
     * {@code session_revoked} when the session to keep was signed out meanwhile: a change checked against the old
     * state must not overwrite the new one.
     */
    List<String> setPasswordHash(long userId, String verifiedHash, String newHash, String keepSessionId, long now);

    /**
     * Opens a session for a password just checked against {@code checkedHashes} (the stored hash, and its upgrade if
     * one was written). Throws {@code invalid_credentials} and creates nothing when the user's hash is none of them:
     * the password changed between the check and now, and the change signed every other device out.
     */
    void createSession(DeviceSession session, String refreshHash, List<String> checkedHashes);

    Optional<DeviceSession> findSession(String sessionId);

    /** Ids of the sessions revoked at or after {@code since} (epoch ms), by this process or another one. */
    List<String> sessionsRevokedSince(long since);

    /** The user's sessions that are not revoked, most recently seen first. */
    List<DeviceSession> activeSessions(long userId);

    /**
     * Replaces the session's refresh token hash if {@code presentedHash} is the current one. Presenting the previous,
     * already rotated hash revokes the session instead.
     */
    RefreshOutcome rotateRefresh(String sessionId, String presentedHash, String newHash, long newExpiry, long now);

    /** Revokes the user's session; false when the user has no such active session. */
    boolean revokeSession(long userId, String sessionId, long now);

    void touchSession(String sessionId, long now, String address, DeviceInfo device);
}
