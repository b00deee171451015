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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void aBatchHoldsTheWriteLockFromItsStartSoAnOutsideWriteWaitsInsteadOfBreakingIt() throws Exception {
        Account alice = accounts.create("alice", "Alice", "hash-1", 1);
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch outsideTried = new CountDownLatch(1);
        // A job that reads, lets another process try to write, then writes (as sending a message does).
        CompletableFuture<Integer> job = db.write(tx -> {
            try (PreparedStatement st = tx.prepareStatement("SELECT count(*) FROM users");
                 ResultSet rs = st.executeQuery()) {
                rs.next();
            }
            read.countDown();
            await(outsideTried);
            try (PreparedStatement st = tx.prepareStatement("UPDATE users SET display_name = ? WHERE id = ?")) {
                st.setString(1, "Alice A.");
                st.setLong(2, alice.id());
                return st.executeUpdate();
            }
        });
        await(read);
        try (Connection outside = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("parley.db"))) {
            // No waiting on this side: it must find the database locked by the running batch. Had the batch only
            // read so far, this write would get in and the batch's own write would fail (SQLITE_BUSY_SNAPSHOT).
            busyTimeout(outside, 0);
            SQLException locked = assertThrows(SQLException.class, () -> outsideWrite(outside, alice.id()));
            assertTrue(locked.getMessage().contains("SQLITE_BUSY"), locked.getMessage());
            outsideTried.countDown();
            assertEquals(1, job.get(10, TimeUnit.SECONDS));
            busyTimeout(outside, 10_000);
            outsideWrite(outside, alice.id()); // after the batch's commit the outside writer gets its turn
        }
        assertEquals("hash-from-outside", accounts.findById(alice.id()).orElseThrow().passwordHash());
        assertEquals("Alice A.", accounts.findById(alice.id()).orElseThrow().displayName());
    }

    private static void outsideWrite(Connection outside, long userId) throws SQLException {
        try (PreparedStatement reset = outside.prepareStatement("UPDATE users SET password_hash = ? WHERE id = ?")) {
            reset.setString(1, "hash-from-outside");
            reset.setLong(2, userId);
            reset.executeUpdate();
        }
    }

    private static void busyTimeout(Connection connection, int millis) throws SQLException {
        try (var st = connection.createStatement()) {
            st.execute("PRAGMA busy_timeout = " + millis);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
