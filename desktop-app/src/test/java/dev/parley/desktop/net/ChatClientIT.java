package dev.parley.desktop.net;

import dev.parley.desktop.cache.LocalCache;
import dev.parley.desktop.cache.OutboxEntry;
import dev.parley.desktop.support.MutableClock;
import dev.parley.desktop.support.RelayFixture;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.api.AuthResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The UI-free client against a real relay: exchange, edit/delete, outbox across relay downtime, sync, paging. */
@Timeout(120)
class ChatClientIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private RelayFixture relay;

    @BeforeEach
    void startRelay() {
        relay = RelayFixture.start();
    }

    @AfterEach
    void stopRelay() {
        relay.close();
    }

    private static List<LogEvent> messages(ChatClient client, long conv) {
        return client.latest(conv, 500).stream().filter(e -> e.kind() == EventKind.MESSAGE).toList();
    }

    private static List<String> texts(ChatClient client, long conv) {
        return messages(client, conv).stream().map(e -> Boolean.TRUE.equals(e.deleted()) ? "<deleted>" : e.text())
                .toList();
    }

    @Test
    void aChannelsMembersAreFetchedPageByPage() {
        ChatClient alice = relay.client("pages-alice", "Alice");
        List<Long> others = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            others.add(relay.register("pages-user" + i, "User " + i).user().id());
        }
        ConversationSummary channel = alice.create(ConversationKind.CHANNEL, "paged", null, others);
        assertTrue(alice.refreshConversation(channel.id()).members().isEmpty(), "a channel's summary lists none");

        List<Long> expected = new java.util.ArrayList<>(others);
        expected.add(alice.myId());
        expected.sort(null);
        assertEquals(expected, alice.members(channel.id(), 2).stream().map(m -> m.user().id()).toList(),
                "five members over three pages of two, each once, by user id");
        assertEquals(expected, alice.members(channel.id()).stream().map(m -> m.user().id()).toList());
    }

    @Test
    void twoClientsExchangeMessagesEditAndDelete() {
        ChatClient alice = relay.client("alice", "Alice");
        ChatClient bob = relay.client("bob", "Bob");
        ConversationSummary dm = alice.openDm(bob.myId());
        await().atMost(WAIT).until(() -> bob.conversation(dm.id()).isPresent());

        alice.send(dm.id(), "hi bob");
        await().atMost(WAIT).until(() -> texts(bob, dm.id()).equals(List.of("hi bob")));
        bob.send(dm.id(), "hi alice");
        await().atMost(WAIT).until(() -> texts(alice, dm.id()).equals(List.of("hi bob", "hi alice")));
        assertTrue(alice.outbox(dm.id()).isEmpty());

        long seq = messages(alice, dm.id()).getFirst().seq();
        alice.edit(dm.id(), seq, "hi Bob!").join();
        await().atMost(WAIT).until(() -> texts(bob, dm.id()).getFirst().equals("hi Bob!"));
        assertTrue(messages(bob, dm.id()).getFirst().editedAt() != null);

        alice.delete(dm.id(), seq).join();
        await().atMost(WAIT).until(() -> texts(bob, dm.id()).getFirst().equals("<deleted>"));
        assertEquals("<deleted>", texts(alice, dm.id()).getFirst());

        ConversationSummary bobsView = bob.conversation(dm.id()).orElseThrow();
        assertEquals("hi alice", bobsView.lastMessage().text(), "the list preview follows the newest message");
    }

    @Test
    void messagesWrittenWhileTheRelayIsDownAreDeliveredOnceAfterItReturns() {
        ChatClient alice = relay.client("alice", "Alice");
        ChatClient bob = relay.client("bob", "Bob");
        ConversationSummary dm = alice.openDm(bob.myId());
        alice.send(dm.id(), "before");
        await().atMost(WAIT).until(() -> texts(bob, dm.id()).equals(List.of("before")));

        relay.stop();
        await().atMost(WAIT).until(() -> alice.state() != ConnectionState.CONNECTED);
        alice.send(dm.id(), "while down 1");
        alice.send(dm.id(), "while down 2");
        assertEquals(2, alice.outbox(dm.id()).size(), "kept in the persistent outbox");
        assertEquals(List.of("before"), texts(alice, dm.id()), "not confirmed yet");
        assertThrows(Exception.class, () -> alice.edit(dm.id(), 1, "x").join(), "edits need the relay");

        relay.restart();
        await().atMost(WAIT).until(() -> texts(bob, dm.id()).equals(List.of("before", "while down 1",
                "while down 2")));
        await().atMost(WAIT).until(() -> alice.outbox(dm.id()).isEmpty());
        assertEquals(List.of("before", "while down 1", "while down 2"), texts(alice, dm.id()));
    }

    @Test
    void aMessageDiscardedWhileTheOutboxIsBeingSentIsNotSent() {
        ChatClient alice = relay.client("alice", "Alice");
        ChatClient bob = relay.client("bob", "Bob");
        ConversationSummary dm = alice.openDm(bob.myId());
        relay.stop();
        await().atMost(WAIT).until(() -> alice.state() != ConnectionState.CONNECTED);
        alice.send(dm.id(), "one");
        alice.send(dm.id(), "two");
        // The user discards "two" while "one" is being delivered: the moment "one" leaves the outbox.
        alice.addListener(new ChatClient.Listener() {
            @Override
            public void outboxChanged(long conv) {
                List<OutboxEntry> waiting = alice.outbox(conv);
                if (waiting.size() == 1 && waiting.getFirst().text().equals("two")) {
                    alice.discard(waiting.getFirst());
                }
            }
        });

        relay.restart();
        await().atMost(WAIT).until(() -> alice.state() == ConnectionState.CONNECTED && alice.outbox(dm.id()).isEmpty());
        // Sent after the flush on the same worker: had "two" gone out, it would reach Bob before this.
        alice.send(dm.id(), "three");
        await().atMost(WAIT).until(() -> texts(bob, dm.id()).contains("three"));
        assertEquals(List.of("one", "three"), texts(bob, dm.id()));
    }

    @Test
    void theOutboxSurvivesAnAppRestartAndTheRelayStoresEachMessageOnce() {
        ChatClient bob = relay.client("bob", "Bob");
        AuthResponse aliceAuth = relay.register("alice", "Alice");
        ChatClient alice = relay.client(aliceAuth, "alice-device");
        ConversationSummary dm = alice.openDm(bob.myId());
        await().atMost(WAIT).until(() -> bob.conversation(dm.id()).isPresent());

        relay.stop();
        await().atMost(WAIT).until(() -> alice.state() != ConnectionState.CONNECTED);
        alice.send(dm.id(), "written offline, app closed");
        alice.close(); // the app quits before the relay is back

        relay.restart();
        // The same device starts again: a new client on the same cache file, signed in with a refresh.
        RelayApi api = relay.api();
        AuthSession session = new AuthSession(api, new SavedLogin(relay.url(), aliceAuth.user().id(), "alice",
                "Alice", aliceAuth.sessionId(), aliceAuth.refreshToken()), login -> { }, Clock.systemUTC());
        try (LocalCache cache = LocalCache.open(relay.dir().resolve("clients").resolve("alice-device.db"),
                relay.json());
             ChatClient again = new ChatClient(session, cache, relay.json(), new DeviceInfo(null, "again", "t", "t"),
                     RelayFixture.fastBackoff(), Clock.systemUTC())) {
            assertEquals(1, again.outbox(dm.id()).size());
            again.start();
            await().atMost(WAIT).until(() -> texts(bob, dm.id()).equals(List.of("written offline, app closed")));
            await().atMost(WAIT).until(() -> again.outbox(dm.id()).isEmpty());
            assertEquals(List.of("written offline, app closed"), texts(again, dm.id()));
        }
    }

    @Test
    void signingOutWithAnExpiredAccessTokenSavesNothingMoreAndEndsTheSession() {
        AuthResponse aliceAuth = relay.register("alice", "Alice");
        MutableClock clock = new MutableClock(java.time.Instant.now());
        List<SavedLogin> saved = new java.util.concurrent.CopyOnWriteArrayList<>();
        AuthSession session = new AuthSession(relay.api(), new SavedLogin(relay.url(), aliceAuth.user().id(), "alice",
                "Alice", aliceAuth.sessionId(), aliceAuth.refreshToken()), saved::add, clock);
        try (LocalCache cache = LocalCache.open(relay.dir().resolve("clients").resolve("sign-out.db"), relay.json());
             ChatClient alice = new ChatClient(session, cache, relay.json(), new DeviceInfo(null, "laptop", "t", "t"),
                     RelayFixture.fastBackoff(), clock)) {
            alice.start();
            await().atMost(WAIT).until(() -> alice.state() == ConnectionState.CONNECTED);
            assertEquals(1, saved.size(), "connecting refreshed once and saved the rotated token");

            clock.advance(Duration.ofHours(1)); // the access token is now past its expiry: logout must refresh
            alice.signOut();

            assertEquals(1, saved.size(), "the refresh made for the logout call is not saved");
            ApiException refused = assertThrows(ApiException.class,
                    () -> relay.api().refresh(saved.getFirst().refreshToken()));
            assertEquals(dev.parley.protocol.ErrorCode.SESSION_REVOKED, refused.code());
        }
    }

    @Test
    void aSignInThatCannotBeSavedIsRetriedInsteadOfHangingInConnecting() {
        AuthResponse aliceAuth = relay.register("alice", "Alice");
        java.util.concurrent.atomic.AtomicInteger saves = new java.util.concurrent.atomic.AtomicInteger();
        AuthSession session = new AuthSession(relay.api(), new SavedLogin(relay.url(), aliceAuth.user().id(), "alice",
                "Alice", aliceAuth.sessionId(), aliceAuth.refreshToken()), login -> {
                    if (saves.getAndIncrement() == 0) {
                        throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
                    }
                }, Clock.systemUTC());
        try (LocalCache cache = LocalCache.open(relay.dir().resolve("clients").resolve("disk-full.db"), relay.json());
             ChatClient alice = new ChatClient(session, cache, relay.json(), new DeviceInfo(null, "laptop", "t", "t"),
                     RelayFixture.fastBackoff(), Clock.systemUTC())) {
            alice.start();
            await().atMost(WAIT).until(() -> alice.state() == ConnectionState.CONNECTED);
            assertTrue(saves.get() >= 2, "the first save failed, a later attempt saved the sign-in");
        }
    }

    @Test
    void afterAReconnectTheClientSyncsWhatItMissedAndPagesOlderHistory() {
        ChatClient alice = relay.client("alice", "Alice");
        ChatClient bob = relay.client("bob", "Bob");
        ConversationSummary group = alice.create(ConversationKind.GROUP, "team", null, List.of(bob.myId()));
        await().atMost(WAIT).until(() -> bob.conversation(group.id()).isPresent());
        for (int i = 1; i <= 260; i++) {
            bob.send(group.id(), "m" + i);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> bob.outbox(group.id()).isEmpty());
        await().atMost(WAIT).until(() -> messages(alice, group.id()).size() == 260);

        // A third device of alice starts with an empty cache: newest page first, older pages on demand.
        AuthResponse second = relay.api().login("alice", "correct horse battery", new DeviceInfo(null, "laptop",
                "t", "t"));
        ChatClient laptop = relay.client(second, "alice-laptop");
        await().atMost(WAIT).until(() -> !messages(laptop, group.id()).isEmpty());
        int firstPage = messages(laptop, group.id()).size();
        assertTrue(firstPage < 260, "only the newest page is fetched at first (" + firstPage + ")");
        assertFalse(laptop.historyComplete(group.id()));
        while (laptop.loadOlder(group.id()).join()) {
            // page until the start of the conversation
        }
        assertTrue(laptop.historyComplete(group.id()));
        assertEquals(260, messages(laptop, group.id()).size());
        assertEquals("m1", messages(laptop, group.id()).getFirst().text());

        // While the laptop is offline, bob writes; after the relay returns, sync fills the gap.
        relay.stop();
        await().atMost(WAIT).until(() -> laptop.state() != ConnectionState.CONNECTED);
        relay.restart();
        await().atMost(WAIT).until(() -> bob.state() == ConnectionState.CONNECTED);
        bob.send(group.id(), "missed?");
        await().atMost(WAIT).until(() -> Optional.ofNullable(messages(laptop, group.id()).getLast().text())
                .orElse("").equals("missed?"));
    }

    @Test
    void devicesAreListedAndSigningOneOutDisconnectsIt() {
        AuthResponse first = relay.register("multi", "Multi");
        ChatClient desktop = relay.client(first, "multi-desktop");
        AuthResponse second = relay.api().login("multi", "correct horse battery", new DeviceInfo(null, "laptop", "t",
                "t"));
        ChatClient laptop = relay.client(second, "multi-laptop");
        List<String> signedOut = new java.util.concurrent.CopyOnWriteArrayList<>();
        laptop.addListener(new ChatClient.Listener() {
            @Override
            public void signedOut(String reason) {
                signedOut.add(reason);
            }
        });

        var sessions = desktop.sessions();
        assertEquals(2, sessions.size());
        assertEquals(1, sessions.stream().filter(s -> s.current()).count());
        desktop.revokeSession(second.sessionId());

        await().atMost(WAIT).until(() -> laptop.state() == ConnectionState.SIGNED_OUT);
        await().atMost(WAIT).until(() -> !signedOut.isEmpty());
        assertEquals(1, desktop.sessions().size());
        assertEquals(ConnectionState.CONNECTED, desktop.state(), "the other device stays signed in");
    }

    @Test
    void publicChannelsCanBeBrowsedAndJoined() {
        ChatClient alice = relay.client("chan-alice", "Alice");
        ChatClient bob = relay.client("chan-bob", "Bob");
        ConversationSummary general = alice.create(ConversationKind.CHANNEL, "general", "news", List.of());
        ConversationSummary listed = bob.channels().stream().filter(c -> c.id() == general.id()).findFirst()
                .orElseThrow();
        assertEquals(null, listed.role(), "listed before joining");
        bob.join(general.id());
        await().atMost(WAIT).until(() -> bob.conversation(general.id()).map(c -> c.role() != null).orElse(false));
        alice.send(general.id(), "welcome");
        await().atMost(WAIT).until(() -> texts(bob, general.id()).equals(List.of("welcome")));
    }
}
