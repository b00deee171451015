package dev.parley.relay.storage.sqlite;

import dev.parley.protocol.ErrorCode;
import dev.parley.relay.RelayException;
import dev.parley.relay.account.Account;
import dev.parley.relay.config.RelayConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The relay's writer keeps working after another process wrote to its database between two of its commits, as the
 * admin's reset-password does on a running relay: no statement of the writer may keep a read transaction open.
 */
@Timeout(30)
class OutsideWriterTest {
    @TempDir
    Path dir;
    private SqliteDatabase db;
    private SqliteAccountStore accounts;

    @BeforeEach
    void open() {
        db = new SqliteDatabase(dir.resolve("parley.db"), RelayConfig.SqliteSync.FULL);
        accounts = new SqliteAccountStore(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aRefusedRegistrationLeavesNoReadTransactionBehind() throws Exception {
        Account alice = accounts.create("alice", "Alice", "hash-1", 1);
        RelayException taken = assertThrows(RelayException.class, () -> accounts.create("alice", "Alice", "x", 2));
        assertEquals(ErrorCode.USERNAME_TAKEN, taken.code());

        try (Connection outside = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("parley.db"));
             PreparedStatement reset = outside.prepareStatement("UPDATE users SET password_hash = ? WHERE id = ?")) {
            reset.setString(1, "hash-from-outside");
            reset.setLong(2, alice.id());
            assertEquals(1, reset.executeUpdate());
        }

        Account bob = accounts.create("bob", "Bob", "hash-2", 3);
        assertEquals("hash-from-outside", accounts.findById(alice.id()).orElseThrow().passwordHash());
        assertEquals("Bob", accounts.findById(bob.id()).orElseThrow().displayName());
    }
}
