package dev.parley.relay.storage.sqlite;

import dev.parley.protocol.ErrorCode;
import dev.parley.relay.RelayException;
import dev.parley.relay.account.Account;
import dev.parley.relay.account.DeviceSession;
import dev.parley.relay.config.RelayConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A password change against a real SQLite file: the hash and the other sessions change together, and a change or a
 * sign-in checked against a state that changed meanwhile (another change, this device signed out) changes nothing.
 */
@Timeout(30)
class PasswordStoreTest {
    @TempDir
    Path dir;
    private SqliteDatabase db;
    private SqliteAccountStore accounts;
    private Account alice;

    @BeforeEach
    void open() {
        db = new SqliteDatabase(dir.resolve("parley.db"), RelayConfig.SqliteSync.FULL);
        accounts = new SqliteAccountStore(db);
        alice = accounts.create("alice", "Alice", "hash-1", 1);
        for (String device : List.of("laptop", "phone", "tablet")) {
            accounts.createSession(new DeviceSession(device, alice.id(), device, device, "Linux", "1", "127.0.0.1",
                    1, 1, Long.MAX_VALUE, null), "refresh-" + device, List.of("hash-1"));
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void theHashChangesAndEveryOtherSessionIsRevokedTogether() {
        List<String> revoked = accounts.setPasswordHash(alice.id(), "hash-1", "hash-2", "laptop", 5);

        assertEquals(List.of("phone", "tablet"), revoked.stream().sorted().toList());
        assertEquals("hash-2", accounts.findById(alice.id()).orElseThrow().passwordHash());
        assertEquals(List.of("laptop"), accounts.activeSessions(alice.id()).stream().map(DeviceSession::id).toList());
    }

    @Test
    void aSignInCheckedAgainstAReplacedPasswordOpensNoSession() {
        // The password was checked against hash-1, then changed (signing every other device out) before the
        // session was written: the sign-in must not outlive the change.
        accounts.setPasswordHash(alice.id(), "hash-1", "hash-2", "laptop", 5);

        RelayException late = assertThrows(RelayException.class, () -> accounts.createSession(session("late"),
                "refresh-late", List.of("hash-1")));
        assertEquals(ErrorCode.INVALID_CREDENTIALS, late.code());
        assertEquals(List.of("laptop"), accounts.activeSessions(alice.id()).stream().map(DeviceSession::id).toList());

        // Checked against the old hash and its upgrade (the sign-in that wrote the upgrade): either one will do.
        accounts.createSession(session("upgraded"), "refresh-upgraded", List.of("hash-1", "hash-2"));
        assertEquals(List.of("laptop", "upgraded"), accounts.activeSessions(alice.id()).stream()
                .map(DeviceSession::id).sorted().toList());
    }

    private DeviceSession session(String id) {
        return new DeviceSession(id, alice.id(), id, id, "Linux", "1", "127.0.0.1", 9, 9, Long.MAX_VALUE, null);
    }

    @Test
    void aResetKeepsNoSessionAndNeedsNoOldHash() {
        assertEquals(3, accounts.setPasswordHash(alice.id(), null, "hash-3", null, 5).size());
        assertTrue(accounts.activeSessions(alice.id()).isEmpty());
        assertEquals("hash-3", accounts.findById(alice.id()).orElseThrow().passwordHash());
    }

    @Test
    void aChangeCheckedAgainstAnOlderHashChangesNothing() {
        // Two changes from the same device at once, both checked against hash-1: the first one wins.
        accounts.setPasswordHash(alice.id(), "hash-1", "hash-2", "laptop", 5);

        RelayException stale = assertThrows(RelayException.class,
                () -> accounts.setPasswordHash(alice.id(), "hash-1", "hash-other", "laptop", 6));
        assertEquals(ErrorCode.CONFLICT, stale.code());
        assertEquals("hash-2", accounts.findById(alice.id()).orElseThrow().passwordHash());
        assertEquals(List.of("laptop"), accounts.activeSessions(alice.id()).stream().map(DeviceSession::id).toList());
    }

    @Test
    void aChangeFromADeviceSignedOutMeanwhileChangesNothing() {
        accounts.revokeSession(alice.id(), "tablet", 5);

        RelayException revoked = assertThrows(RelayException.class,
                () -> accounts.setPasswordHash(alice.id(), "hash-1", "hash-2", "tablet", 6));
        assertEquals(ErrorCode.SESSION_REVOKED, revoked.code());
        assertEquals("hash-1", accounts.findById(alice.id()).orElseThrow().passwordHash());
        assertEquals(2, accounts.activeSessions(alice.id()).size());
    }

    @Test
    void maintenanceRefusesADatabaseWhoseSchemaIsNotThisVersionsInsteadOfMigratingIt() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.db"));

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> SqliteDatabase.openWithoutMigrating(empty, RelayConfig.SqliteSync.FULL).close());
        assertTrue(refused.getMessage().contains("start the relay once"), refused.getMessage());
        assertEquals(0, Files.size(empty), "left as it was");
        // The current schema opens.
        SqliteDatabase.openWithoutMigrating(dir.resolve("parley.db"), RelayConfig.SqliteSync.FULL).close();
    }
}
