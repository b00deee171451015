package dev.parley.relay.storage.sqlite;

import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.PostPolicy;
import dev.parley.relay.RelayException;
import dev.parley.relay.chat.Appended;
import dev.parley.relay.chat.CommitListener;
import dev.parley.relay.chat.NewConversation;
import dev.parley.relay.config.RelayConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The single writer against a real SQLite file: batching, per-job isolation, commit-ordered notification, and
 * after-commit work that does not hold up the next commit.
 */
@Timeout(30)
class GroupCommitTest {
    @TempDir
    Path dir;
    private SqliteDatabase db;
    private SqliteChatStore chats;
    private long conv;
    private long alice;

    @BeforeEach
    void open() {
        db = new SqliteDatabase(dir.resolve("parley.db"), RelayConfig.SqliteSync.FULL);
        chats = new SqliteChatStore(db);
        alice = new SqliteAccountStore(db).create("alice", "Alice", "x", 1).id();
        conv = chats.createConversation(new NewConversation(ConversationKind.GROUP, "team", null,
                PostPolicy.EVERYONE, alice, List.of(), null), 1, CommitListener.NONE).join();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void afterSqliteEndsTheTransactionItselfLaterWritesAreStoredAndReportedAsStored() {
        // What SQLite does on a full disk or an I/O error: the whole transaction is rolled back under the writer.
        CompletableFuture<Object> broken = db.write(tx -> {
            try (java.sql.Statement st = tx.createStatement()) {
                st.execute("ROLLBACK");
            }
            return null;
        });
        CompletionException failed = assertThrows(CompletionException.class, broken::join);
        assertInstanceOf(RelayException.class, failed.getCause());

        for (int i = 0; i < 3; i++) {
            Appended stored = chats.appendMessage(conv, alice, "after-" + i, "after the failure " + i, 2,
                    CommitListener.NONE).join();
            assertFalse(stored.duplicate());
        }
        assertEquals(3, chats.eventsAfter(conv, 0, 200).events().stream()
                .filter(e -> e.text() != null && e.text().startsWith("after the failure")).count());
    }

    @Test
    void queuedSendsCommitTogetherAndAreNotifiedInSeqOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> blocker = db.write(tx -> {
            awaitQuietly(release);
            return null;
        });
        List<Long> notified = new CopyOnWriteArrayList<>();
        long commitsBefore = db.commits();
        List<CompletableFuture<Appended>> sends = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            sends.add(chats.appendMessage(conv, alice, "c" + i, "message " + i, 2,
                    events -> events.forEach(e -> notified.add(e.seq()))));
        }
        release.countDown();
        blocker.join();
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();

        long commits = db.commits() - commitsBefore;
        assertTrue(commits <= 3, "1001 queued jobs took " + commits + " commits; they should share one or two");
        List<Long> seqs = sends.stream().map(f -> f.join().event().seq()).toList();
        assertEquals(java.util.stream.LongStream.rangeClosed(3, 1002).boxed().toList(), seqs,
                "seqs follow submission order, with no gaps after the created and member_joined events");
        assertEquals(seqs, notified, "listeners hear of events in seq order");
    }

    @Test
    void aFailingJobDoesNotTakeItsBatchMatesDown() {
        CountDownLatch release = new CountDownLatch(1);
        db.write(tx -> {
            awaitQuietly(release);
            return null;
        });
        CompletableFuture<Appended> before = chats.appendMessage(conv, alice, "ok-1", "fine", 2, CommitListener.NONE);
        CompletableFuture<Appended> notMember = chats.appendMessage(conv, alice + 100, "bad", "nope", 2,
                CommitListener.NONE);
        CompletableFuture<Object> broken = db.write(tx -> {
            tx.createStatement().execute("INSERT INTO users (id) VALUES (NULL)");
            return null;
        });
        CompletableFuture<Appended> after = chats.appendMessage(conv, alice, "ok-2", "fine too", 2,
                CommitListener.NONE);
        release.countDown();

        assertEquals(3, before.join().event().seq());
        assertEquals(4, after.join().event().seq(), "the failed jobs left no seq behind");
        RelayException refused = (RelayException) assertThrows(CompletionException.class, notMember::join).getCause();
        assertEquals(ErrorCode.NOT_MEMBER, refused.code());
        RelayException storage = assertInstanceOf(RelayException.class,
                assertThrows(CompletionException.class, broken::join).getCause());
        assertEquals(ErrorCode.INTERNAL_ERROR, storage.code());
        assertEquals(4, chats.eventsAfter(conv, 0, 100).lastSeq());
    }

    @Test
    void twoAddsInOneBatchCannotBothPassTheMemberLimit() {
        SqliteAccountStore accounts = new SqliteAccountStore(db);
        long bob = accounts.create("bob", "Bob", "x", 1).id();
        long carol = accounts.create("carol", "Carol", "x", 1).id();
        CountDownLatch release = new CountDownLatch(1);
        db.write(tx -> {
            awaitQuietly(release);
            return null;
        });
        // Alice alone, a limit of two: each add fits on its own, not both.
        CompletableFuture<List<dev.parley.protocol.LogEvent>> first = chats.addMembers(conv, alice, List.of(bob), 2,
                2, CommitListener.NONE);
        CompletableFuture<List<dev.parley.protocol.LogEvent>> second = chats.addMembers(conv, alice,
                List.of(carol, carol), 2, 2, CommitListener.NONE);
        release.countDown();

        assertEquals(1, first.join().size());
        RelayException refused = assertInstanceOf(RelayException.class,
                assertThrows(CompletionException.class, second::join).getCause());
        assertEquals(ErrorCode.VALIDATION_FAILED, refused.code());
        assertEquals(java.util.Set.of(alice, bob), chats.memberIds(conv));
        assertEquals(List.of(), chats.addMembers(conv, alice, List.of(bob, alice), 2, 3, CommitListener.NONE).join(),
                "naming members already in is no addition, even at the limit");
    }

    @Test
    void closingCommitsWhatIsQueued() {
        CountDownLatch release = new CountDownLatch(1);
        db.write(tx -> {
            awaitQuietly(release);
            return null;
        });
        List<CompletableFuture<Appended>> sends = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sends.add(chats.appendMessage(conv, alice, "q" + i, "queued " + i, 2, CommitListener.NONE));
        }
        Thread.ofVirtual().start(release::countDown);
        db.close();

        sends.forEach(f -> assertTrue(f.join().event().seq() > 0));
        db = new SqliteDatabase(dir.resolve("parley.db"), RelayConfig.SqliteSync.FULL);
        assertEquals(52, new SqliteChatStore(db).eventsAfter(conv, 0, 200).lastSeq());
    }

    @Test
    void theNextBatchCommitsWhileAfterCommitActionsRunAndFuturesCompleteInCommitOrder() throws Exception {
        CountDownLatch listenerRunning = new CountDownLatch(1);
        CountDownLatch releaseListener = new CountDownLatch(1);
        List<String> completed = new CopyOnWriteArrayList<>();
        CompletableFuture<Appended> first = chats.appendMessage(conv, alice, "slow", "first", 2, events -> {
            listenerRunning.countDown();
            awaitQuietly(releaseListener);
        });
        first.thenRun(() -> completed.add("first"));
        assertTrue(listenerRunning.await(10, TimeUnit.SECONDS), "the first send's after-commit action ran");

        CompletableFuture<Appended> second = chats.appendMessage(conv, alice, "next", "second", 2,
                CommitListener.NONE);
        second.thenRun(() -> completed.add("second"));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (chats.eventsAfter(conv, 0, 100).lastSeq() < 4 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(4, chats.eventsAfter(conv, 0, 100).lastSeq(),
                    "the second send committed while the first batch's after-commit action was still running");
            assertFalse(second.isDone(), "but it is not acknowledged before the batch committed ahead of it");
        } finally {
            releaseListener.countDown();
        }
        second.join();
        assertEquals(List.of("first", "second"), completed);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
