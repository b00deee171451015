package dev.parley.relay.chat;

import dev.parley.protocol.EventKind;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.ProtocolJson;
import dev.parley.relay.connection.Broadcaster;
import dev.parley.relay.connection.ClientConnection;
import dev.parley.relay.connection.ConnectionRegistry;
import dev.parley.relay.connection.OutboundFrame;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fan-out of a batch of committed events when reads fail part-way (a read that timed out): the other events still go
 * out, and the member cache still learns of every membership change. The store is a stub that answers member lists
 * and fails every other read; connections and the registry are real.
 */
class FanoutTest {
    private static final long CONV = 10;
    private static final long BROKEN_CONV = 20;
    private static final long ALICE = 1;
    private static final long BOB = 2;
    private static final long CAROL = 3;

    private final Map<Long, Set<Long>> stored = new ConcurrentHashMap<>(Map.of(CONV, Set.of(ALICE, BOB),
            BROKEN_CONV, Set.of(ALICE)));
    private final Set<Long> unreadable = ConcurrentHashMap.newKeySet();
    private final ChatStore store = (ChatStore) Proxy.newProxyInstance(ChatStore.class.getClassLoader(),
            new Class<?>[] {ChatStore.class}, (proxy, method, args) -> {
                if (method.getName().equals("memberIds")) {
                    long conv = (Long) args[0];
                    if (unreadable.contains(conv)) {
                        throw new IllegalStateException("query failed: database is locked");
                    }
                    return stored.get(conv);
                }
                throw new IllegalStateException("query failed: " + method.getName() + " timed out");
            });
    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final MemberDirectory directory = new MemberDirectory(store);
    private final Fanout fanout = new Fanout(new Broadcaster(registry, new ProtocolJson()), directory,
            new ConversationViews(store, ids -> Map.of()), store);

    private record Device(long id, long userId, List<String> frames) implements ClientConnection {
        Device(long id, long userId) {
            this(id, userId, new CopyOnWriteArrayList<>());
        }

        @Override
        public String sessionId() {
            return "s" + id;
        }

        @Override
        public void send(OutboundFrame frame) {
            frames.add(frame.toString());
        }

        @Override
        public void close(int code, String reason) {
        }
    }

    private static LogEvent event(long conv, long seq, EventKind kind, Long member, String text) {
        return new LogEvent(conv, seq, kind, ALICE, 1_000, text == null ? null : "c" + seq, text, null, member, null,
                null, null, null);
    }

    @Test
    void aJoinWhoseAnnouncementFailsStillReachesTheMembersAndTheMessagesAfterItGoOut() {
        Device bob = new Device(1, BOB);
        Device carol = new Device(2, CAROL);
        registry.register(bob);
        registry.register(carol);
        directory.members(CONV);

        // Carol's join: the conversation summary for her cannot be read (the store fails that read).
        fanout.from(0).committed(List.of(
                event(CONV, 5, EventKind.MEMBER_JOINED, CAROL, null),
                event(CONV, 6, EventKind.MESSAGE, null, "welcome, Carol")));

        assertTrue(bob.frames().stream().anyMatch(f -> f.contains("\"member_joined\"")), bob.frames().toString());
        assertTrue(carol.frames().stream().anyMatch(f -> f.contains("welcome, Carol")), "the member cache has Carol");
        assertEquals(Set.of(ALICE, BOB, CAROL), directory.members(CONV));
    }

    @Test
    void anEventWhoseMembersCannotBeReadIsSkippedAloneAndLaterLeavesStillApply() {
        Device bob = new Device(1, BOB);
        registry.register(bob);
        directory.members(CONV);
        unreadable.add(BROKEN_CONV);

        fanout.from(0).committed(List.of(
                event(BROKEN_CONV, 3, EventKind.MESSAGE, null, "lost in fan-out only"),
                event(CONV, 7, EventKind.MESSAGE, null, "still delivered"),
                event(CONV, 8, EventKind.MEMBER_LEFT, BOB, null)));

        assertEquals(2, bob.frames().size(), bob.frames().toString());
        assertTrue(bob.frames().get(0).contains("still delivered"));
        assertTrue(bob.frames().get(1).contains("\"member_left\""), "the one who left hears of it");
        assertEquals(Set.of(ALICE), directory.members(CONV), "and the cache no longer lists him");
    }
}
