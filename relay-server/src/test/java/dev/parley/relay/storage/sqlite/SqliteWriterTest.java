package dev.parley.relay.storage.sqlite;

import dev.parley.protocol.ErrorCode;
import dev.parley.relay.RelayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writer's own limits against a real SQLite file: errors that are not exceptions, a full queue, shutdown. */
@Timeout(30)
class SqliteWriterTest {
    @TempDir
    Path dir;
    private SqliteWriter writer;

    private SqliteWriter open(int maxQueued) throws Exception {
        return open(maxQueued, SqliteWriter.MAX_QUEUED_BYTES);
    }

    private SqliteWriter open(int maxQueued, long maxQueuedBytes) throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("w.db");
        try (var setup = DriverManager.getConnection(url); Statement st = setup.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS t (v INTEGER)");
        }
        writer = new SqliteWriter(() -> DriverManager.getConnection(url), maxQueued, maxQueuedBytes);
        return writer;
    }

    @AfterEach
    void close() throws InterruptedException {
        if (writer != null) {
            writer.close();
        }
    }

    private static WriteJob<Integer> insert(int value) {
        return tx -> {
            try (var st = tx.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
                st.setInt(1, value);
                return st.executeUpdate();
            }
        };
    }

    private static RelayException failure(CompletableFuture<?> future) {
        // get with a deadline, not join: a writer that never answers must fail the test, not hang it.
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS));
        return assertInstanceOf(RelayException.class, e.getCause());
    }

    @Test
    void anErrorInAJobFailsThatJobAndTheWriterGoesOn() throws Exception {
        open(SqliteWriter.MAX_QUEUED);
        CompletableFuture<Object> broken = writer.submit(tx -> {
            throw new StackOverflowError("as deep recursion would");
        });
        assertEquals(ErrorCode.INTERNAL_ERROR, failure(broken).code());

        assertEquals(1, writer.submit(insert(1)).get(5, TimeUnit.SECONDS));
        assertEquals(1L, writer.submit(tx -> {
            try (var rs = tx.createStatement().executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                return rs.getLong(1);
            }
        }).get(5, TimeUnit.SECONDS));
    }

    @Test
    void anErrorInAnAfterCommitActionStillAnswersThatJobAndTheNextOnes() throws Exception {
        open(SqliteWriter.MAX_QUEUED);
        CompletableFuture<Integer> stored = writer.submit(new WriteJob<>() {
            @Override
            public Integer run(java.sql.Connection tx) throws java.sql.SQLException {
                return insert(2).run(tx);
            }

            @Override
            public void afterCommit(Integer result) {
                throw new OutOfMemoryError("as a fan-out to too many connections would");
            }
        });
        assertEquals(1, stored.get(5, TimeUnit.SECONDS), "the write is stored, so its sender hears so");
        assertEquals(1, writer.submit(insert(3)).get(5, TimeUnit.SECONDS));
    }

    /** Submits a job that holds the writer until the returned latch is counted down. */
    private CountDownLatch holdTheWriter() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        writer.submit(tx -> {
            holding.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        assertTrue(holding.await(5, TimeUnit.SECONDS));
        return release;
    }

    @Test
    void textWaitingBeyondTheByteBudgetIsRefusedAndSmallWritesStillPass() throws Exception {
        open(SqliteWriter.MAX_QUEUED, 1_000);
        CountDownLatch release = holdTheWriter();
        CompletableFuture<Integer> first = writer.submit(insert(1), 600);
        CompletableFuture<Integer> second = writer.submit(insert(2), 600);
        CompletableFuture<Integer> small = writer.submit(insert(3), 0);
        assertEquals(ErrorCode.UNAVAILABLE, failure(second).code());

        release.countDown();
        assertEquals(1, first.get(5, TimeUnit.SECONDS));
        assertEquals(1, small.get(5, TimeUnit.SECONDS));
        assertEquals(1, writer.submit(insert(4), 600).get(5, TimeUnit.SECONDS), "the budget is back once answered");
    }

    @Test
    void aFullQueueRefusesAtOnceAndEverythingQueuedIsStillWritten() throws Exception {
        open(3);
        CountDownLatch release = holdTheWriter();
        List<CompletableFuture<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(writer.submit(insert(i)));
        }

        CompletableFuture<Integer> refused = writer.submit(insert(99));
        assertTrue(refused.isDone(), "refused without waiting");
        RelayException why = failure(refused);
        assertEquals(ErrorCode.UNAVAILABLE, why.code());
        assertTrue(why.getMessage().contains("try again"), why.getMessage());

        release.countDown();
        for (CompletableFuture<Integer> f : queued) {
            assertEquals(1, f.get(5, TimeUnit.SECONDS));
        }
        assertEquals(1, writer.submit(insert(100)).get(5, TimeUnit.SECONDS), "room again once the queue drained");
    }

    @Test
    void everyWriteSubmittedWhileTheWriterClosesIsAnswered() throws Exception {
        open(SqliteWriter.MAX_QUEUED);
        List<CompletableFuture<Integer>> submitted = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch started = new CountDownLatch(4);
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            submitters.add(Thread.ofPlatform().start(() -> {
                started.countDown();
                for (int i = 0; i < 2_000; i++) {
                    submitted.add(writer.submit(insert(i)));
                }
            }));
        }
        assertTrue(started.await(5, TimeUnit.SECONDS));
        writer.close();
        for (Thread t : submitters) {
            t.join(10_000);
        }
        writer = null;

        for (CompletableFuture<Integer> f : new ArrayList<>(submitted)) {
            // Stored, or refused as shutting down: never left waiting.
            Object settled = f.handle((ok, e) -> ok != null ? (Object) ok : e).get(5, TimeUnit.SECONDS);
            if (!(settled instanceof Integer)) {
                assertEquals(ErrorCode.UNAVAILABLE, assertInstanceOf(RelayException.class, settled).code());
            }
        }
    }
}
