package dev.parley.desktop.cache;

import dev.parley.protocol.EventKind;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.ProtocolJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local SQLite cache: idempotent event storage, edits/deletes applied to targets, a durable ordered outbox. */
class LocalCacheTest {
    @TempDir
    Path dir;
    private LocalCache cache;

    @BeforeEach
    void open() {
        cache = LocalCache.open(dir.resolve("cache.db"), new ProtocolJson());
    }

    @AfterEach
    void close() {
        cache.close();
    }

    private static LogEvent message(long conv, long seq, long sender, String text, String clientId) {
        return new LogEvent(conv, seq, EventKind.MESSAGE, sender, 1_000 * seq, clientId, text, null, null, null, null,
                null);
    }

    @Test
    void mutedConversationsSurviveARestartAndACacheFromBeforeMutingIsUpgraded() throws Exception {
        cache.setMuted(12, true);
        cache.setMuted(12, true);
        cache.setMuted(13, true);
        cache.setMuted(13, false);
        cache.close();
        cache = LocalCache.open(dir.resolve("cache.db"), new ProtocolJson());
        assertEquals(Set.of(12L), cache.muted());
        cache.close();

        // A cache written by the version before muting existed: no table, user_version 1.
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("cache.db"));
             Statement st = db.createStatement()) {
            st.execute("DROP TABLE muted");
            st.execute("PRAGMA user_version=1");
        }
        cache = LocalCache.open(dir.resolve("cache.db"), new ProtocolJson());
        assertEquals(Set.of(), cache.muted());
        cache.setMuted(12, true);
        assertEquals(Set.of(12L), cache.muted());

        cache.removeConversation(12);
        assertEquals(Set.of(), cache.muted(), "leaving forgets the mute: a rejoin starts unmuted");
    }

    @Test
    void aCacheFromANewerAppKeepsItsVersion() throws Exception {
        cache.close();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("cache.db"));
             Statement st = db.createStatement()) {
            st.execute("PRAGMA user_version=99");
        }
        cache = LocalCache.open(dir.resolve("cache.db"), new ProtocolJson());
        cache.setMuted(3, true);
        assertEquals(Set.of(3L), cache.muted());
        cache.close();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("cache.db"));
             Statement st = db.createStatement();
             java.sql.ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            assertTrue(rs.next());
            assertEquals(99, rs.getInt(1), "not written back down to this app's version");
        }
        cache = LocalCache.open(dir.resolve("cache.db"), new ProtocolJson());
    }

    @Test
    void storesEventsOnceAndAppliesEditsAndDeletesToTheirTarget() {
        AppliedEvents first = cache.applyEvents(List.of(message(1, 1, 7, "hello", "c1"), message(1, 2, 7, "bye", "c2")));
        assertEquals(2, first.inserted().size());
        AppliedEvents again = cache.applyEvents(List.of(message(1, 1, 7, "hello", "c1")));
        assertTrue(again.isEmpty(), "a repeated event is not stored twice");

        AppliedEvents edit = cache.applyEvents(List.of(new LogEvent(1, 3, EventKind.EDITED, 7, 5_000, null, "hello!",
                1L, null, null, null, null)));
        assertEquals("hello!", edit.updatedTargets().getFirst().text());
        assertEquals(5_000L, cache.event(1, 1).orElseThrow().editedAt());

        cache.applyEvents(List.of(new LogEvent(1, 4, EventKind.DELETED, 7, 6_000, null, null, 2L, null, null, null,
                null)));
        LogEvent deleted = cache.event(1, 2).orElseThrow();
        assertTrue(deleted.deleted());
        assertNull(deleted.text());

        List<LogEvent> visible = cache.visibleBefore(1, null, 10);
        assertEquals(List.of(1L, 2L), visible.stream().map(LogEvent::seq).toList(),
                "edit and delete events themselves are not rows of the chat");
    }

    @Test
    void outboxKeepsOrderSurvivesReopenAndEmptiesWhenTheRelayHasTheMessage() {
        cache.enqueue(new OutboxEntry("a", 1, "first", 1, null));
        cache.enqueue(new OutboxEntry("b", 1, "second", 2, null));
        cache.enqueue(new OutboxEntry("c", 2, "elsewhere", 3, null));
        cache.close();
        cache = LocalCache.open(dir.resolve("cache.db"), new ProtocolJson());

        assertEquals(List.of("a", "b", "c"), cache.outbox().stream().map(OutboxEntry::clientId).toList());
        assertEquals(List.of("a", "b"), cache.outbox(1).stream().map(OutboxEntry::clientId).toList());

        cache.applyEvents(List.of(message(1, 5, 7, "first", "a")));
        assertEquals(List.of("b", "c"), cache.outbox().stream().map(OutboxEntry::clientId).toList(),
                "a synced copy of an own message settles its outbox entry");

        cache.markFailed("b", "not a member");
        assertTrue(cache.outbox(1).getFirst().failed());
    }

    @Test
    void syncStateRoundTrips() {
        assertTrue(cache.syncState(9).isEmpty());
        cache.saveSyncState(9, new SyncState(120, 21));
        assertEquals(new SyncState(120, 21), cache.syncState(9).orElseThrow());
        assertFalse(cache.syncState(9).orElseThrow().historyComplete());
    }

    @Test
    void pagesOfAHundredThousandMessagesComeNewestFirstWithoutGaps() {
        List<LogEvent> batch = new ArrayList<>();
        for (long seq = 1; seq <= 100_000; seq++) {
            batch.add(message(3, seq, seq % 2 == 0 ? 1 : 2, "message " + seq, null));
            if (batch.size() == 10_000) {
                cache.applyEvents(batch);
                batch.clear();
            }
        }
        // How fast this is belongs in a benchmark, not here: a loaded CI machine would make a timing flaky.
        List<LogEvent> newest = cache.visibleBefore(3, null, 100);
        List<LogEvent> older = cache.visibleBefore(3, newest.getFirst().seq(), 100);
        assertEquals(100_000L, newest.getLast().seq());
        assertEquals(99_801L, older.getFirst().seq());
        assertEquals(newest.getFirst().seq() - 1, older.getLast().seq());
    }

    @Test
    void aDamagedCacheIsSetAsideAndAFreshOneStarted() throws Exception {
        Path damaged = dir.resolve("other").resolve("cache.db");
        java.nio.file.Files.createDirectories(damaged.getParent());
        java.nio.file.Files.writeString(damaged, "this is not a SQLite database, it was cut short by a crash");

        LocalCache.Opened opened = LocalCache.openOrRebuild(damaged, new ProtocolJson(), 1_795_323_913_045L);
        try (LocalCache fresh = opened.cache()) {
            Path aside = damaged.resolveSibling("cache.db.damaged-20261122-050513");
            assertEquals(java.util.Optional.of(aside), opened.setAside());
            assertEquals("this is not a SQLite database, it was cut short by a crash",
                    java.nio.file.Files.readString(aside), "kept, not deleted");
            fresh.applyEvents(List.of(message(1, 1, 2, "works", "c1")));
            assertEquals(1, fresh.visibleBefore(1, null, 10).size());
        }
        LocalCache.Opened again = LocalCache.openOrRebuild(damaged, new ProtocolJson(), 5678);
        again.cache().close();
        assertTrue(again.setAside().isEmpty(), "a healthy cache is opened as it is");
    }
}
