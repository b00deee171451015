package dev.parley.relay.call;

import dev.parley.protocol.CallEndReason;
import dev.parley.protocol.CallMedia;
import dev.parley.protocol.CallRecord;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.PostPolicy;
import dev.parley.protocol.ProtocolJson;
import dev.parley.relay.RelayException;
import dev.parley.relay.chat.ChatStore;
import dev.parley.relay.chat.ConversationRecord;
import dev.parley.relay.chat.ConversationViews;
import dev.parley.relay.chat.Fanout;
import dev.parley.relay.chat.MemberDirectory;
import dev.parley.relay.connection.Broadcaster;
import dev.parley.relay.connection.ClientConnection;
import dev.parley.relay.connection.ConnectionRegistry;
import dev.parley.relay.connection.OutboundFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A call's notice in its DM when the relay's storage refuses the write for now (its queue full): it is written
 * later, once, instead of being lost. The store is a stub that refuses the first writes; the registry, member
 * cache, fan-out and timers are real.
 */
@Timeout(30)
class CallLogRetryTest {
    private static final long DM = 7;
    private static final long ALICE = 1;
    private static final long BOB = 2;

    private final AtomicInteger attempts = new AtomicInteger();
    private final List<CallRecord> logged = new CopyOnWriteArrayList<>();
    private volatile int refusals;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    private final ChatStore store = (ChatStore) Proxy.newProxyInstance(ChatStore.class.getClassLoader(),
            new Class<?>[] {ChatStore.class}, (proxy, method, args) -> switch (method.getName()) {
                case "conversation" -> Optional.of(new ConversationRecord(DM, ConversationKind.DM, null, null,
                        PostPolicy.EVERYONE, ALICE, 0, 0, 0, 2));
                case "memberIds" -> Set.of(ALICE, BOB);
                case "appendCallRecord" -> {
                    if (attempts.incrementAndGet() <= refusals) {
                        yield CompletableFuture.failedFuture(new RelayException(ErrorCode.UNAVAILABLE,
                                "the relay's storage is falling behind; try again shortly"));
                    }
                    logged.add((CallRecord) args[2]);
                    yield CompletableFuture.completedFuture(new LogEvent(DM, attempts.get(), EventKind.CALL, ALICE,
                            (Long) args[3], null, null, null, null, null, null, null, (CallRecord) args[2]));
                }
                default -> throw new IllegalStateException("not expected here: " + method.getName());
            });
    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final Broadcaster broadcaster = new Broadcaster(registry, new ProtocolJson());
    private final MemberDirectory members = new MemberDirectory(store);
    private final CallService calls = new CallService(store, members,
            new Fanout(broadcaster, members, new ConversationViews(store, ids -> Map.of()), store), registry,
            broadcaster, timers, Duration.ofSeconds(30), Clock.systemUTC(), Duration.ofMillis(20));

    private record Device(long id, long userId) implements ClientConnection {
        @Override
        public String sessionId() {
            return "s" + id;
        }

        @Override
        public void send(OutboundFrame frame) {
        }

        @Override
        public void close(int code, String reason) {
        }
    }

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    @Test
    void aCallNoticeTheStorageRefusesForNowIsWrittenLaterOnce() {
        refusals = 2;
        Device alice = new Device(1, ALICE);
        registry.register(alice);

        // Bob has no device connected: the call ends at once as unavailable, and its notice is written.
        calls.invite(alice, "c1", DM, CallMedia.AUDIO);

        await().atMost(Duration.ofSeconds(10)).until(() -> logged.size() == 1);
        assertEquals(CallEndReason.UNAVAILABLE, logged.getFirst().reason());
        assertEquals(3, attempts.get(), "refused twice, written on the third attempt");
    }

    @Test
    void aNoticeStillRefusedAfterEveryAttemptIsGivenUpNotRetriedForever() {
        refusals = Integer.MAX_VALUE;
        Device alice = new Device(1, ALICE);
        registry.register(alice);

        calls.invite(alice, "c1", DM, CallMedia.AUDIO);

        // 20 + 40 + 80 + 160 + 320 ms between the six attempts, then no seventh
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() == 6);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> attempts.get() == 6);
        assertEquals(List.of(), logged);
    }
}
