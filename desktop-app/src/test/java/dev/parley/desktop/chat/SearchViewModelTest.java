package dev.parley.desktop.chat;

import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.support.RelayFixture;
import dev.parley.desktop.support.UiThread;
import dev.parley.desktop.ui.I18n;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.LogEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Find in a conversation, without an FX thread (a test thread plays it), with real clients against a real relay:
 * results newest first with a summary, the query rules, a switch of conversation dropping a late answer, a result
 * far back fetched into the chat page by page from the relay (a newer reveal abandoning an older one), and a
 * stopped relay said so.
 */
@Timeout(120)
class SearchViewModelTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static RelayFixture relay;
    private final UiThread ui = new UiThread();
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private final I18n i18n = new I18n(Locale.ENGLISH);

    @BeforeAll
    static void startRelay() {
        relay = RelayFixture.start();
    }

    @AfterEach
    void stop() {
        background.shutdownNow();
        ui.close();
    }

    @AfterAll
    static void stopRelay() {
        relay.close();
    }

    private static List<String> texts(SearchViewModel vm) {
        return vm.results().stream().map(LogEvent::text).toList();
    }

    private static void sendAndWait(ChatClient client, long conv, List<String> texts) {
        texts.forEach(t -> client.send(conv, t));
        await().atMost(WAIT).until(() -> client.latest(conv, 1).stream()
                .anyMatch(e -> texts.getLast().equals(e.text())));
    }

    @Test
    void findsNewestFirstSaysHowManyAndDropsAnAnswerForAConversationLeft() throws Exception {
        ChatClient alice = relay.client("s-alice", "Alice");
        ChatClient bob = relay.client("s-bob", "Bob");
        ConversationSummary plans = alice.create(ConversationKind.GROUP, "plans", null, List.of(bob.myId()));
        ConversationSummary other = alice.create(ConversationKind.GROUP, "other", null, List.of(bob.myId()));
        sendAndWait(bob, plans.id(), List.of("Offsite in May", "lunch at noon", "the OFFSITE budget"));
        SearchViewModel vm = ui.call(() -> new SearchViewModel(alice, ui, background, i18n));

        ui.run(() -> {
            vm.conversation(plans.id());
            vm.queryProperty().set("x");
            vm.search();
            assertEquals("Type at least 2 characters.", vm.statusProperty().get());
            vm.queryProperty().set("offsite");
            vm.search();
        });
        await().atMost(WAIT).until(() -> ui.call(() -> !vm.busyProperty().get()));
        ui.run(() -> {
            assertEquals(List.of("the OFFSITE budget", "Offsite in May"), texts(vm));
            assertEquals("2 messages", vm.statusProperty().get());
            assertFalse(vm.moreProperty().get(), "a short conversation is searched whole");
        });

        ui.run(() -> {
            vm.queryProperty().set("lunch");
            vm.search();
            vm.conversation(other.id()); // switched before the answer came
        });
        // The answer has come and gone through the UI thread once both queues are past it.
        background.submit(() -> { }).get(30, java.util.concurrent.TimeUnit.SECONDS);
        ui.run(() -> {
            assertTrue(vm.results().isEmpty(), "the answer for the conversation left is dropped");
            assertEquals("", vm.statusProperty().get());
            vm.queryProperty().set("lunch");
            vm.search();
        });
        await().atMost(WAIT).until(() -> ui.call(() -> !vm.busyProperty().get()));
        assertEquals("No message contains that.", ui.call(() -> vm.statusProperty().get()));
    }

    @Test
    void aResultFarBackIsFetchedIntoTheChatAndANewerRevealAbandonsAnOlderOne() {
        // Alice's device has only the newest page in its cache: the rest must come from the relay, page by page.
        var aliceSignIn = relay.register("r-alice", "Alice");
        ChatClient bob = relay.client("r-bob", "Bob");
        ConversationSummary history = bob.create(ConversationKind.GROUP, "history", null,
                List.of(aliceSignIn.user().id()));
        List<String> texts = new java.util.ArrayList<>();
        for (int i = 1; i <= 350; i++) {
            texts.add(i == 7 ? "the old decision" : "chatter " + i);
        }
        sendAndWait(bob, history.id(), texts);
        ChatClient alice = relay.client(aliceSignIn, "r-alice-new-device");
        await().atMost(WAIT).until(() -> alice.conversation(history.id()).isPresent());
        ChatViewModel chat = ui.call(() -> new ChatViewModel(alice, ui, true));
        SearchViewModel search = ui.call(() -> new SearchViewModel(alice, ui, background, i18n));
        ui.run(() -> {
            chat.open(history.id());
            search.conversation(history.id());
            search.queryProperty().set("old decision");
            search.search();
        });
        await().atMost(WAIT).until(() -> ui.call(() -> search.results().size() == 1));
        long old = ui.call(() -> search.results().getFirst().seq());
        await().atMost(WAIT).until(() -> ui.call(() -> !chat.items().isEmpty()));
        assertFalse(ui.call(() -> chat.items().stream().anyMatch(i -> i.seq() == old)), "not loaded yet");
        assertTrue(alice.before(history.id(), old + 1, 1).isEmpty(), "nor in this device's cache: the relay has it");

        // Clicked, then another result clicked at once: only the second one is shown.
        AtomicReference<MessageItem> first = new AtomicReference<>();
        AtomicReference<MessageItem> second = new AtomicReference<>();
        ui.run(() -> {
            chat.reveal(old, first::set, () -> { });
            chat.reveal(chat.items().getLast().seq(), second::set, () -> { });
        });
        await().atMost(WAIT).until(() -> second.get() != null);
        await().atMost(WAIT).until(() -> ui.call(() -> !chat.loadingOlderProperty().get()));
        ui.call(() -> null);
        assertNull(first.get(), "the abandoned reveal shows nothing");

        AtomicReference<MessageItem> found = new AtomicReference<>();
        ui.run(() -> chat.reveal(old, found::set, () -> { }));
        await().atMost(WAIT).until(() -> found.get() != null);
        assertEquals("the old decision", found.get().text());
        assertTrue(ui.call(() -> chat.items().contains(found.get())), "the row handed over is the chat's own");

        // Not a message (the conversation's first event): said, not silently ignored.
        AtomicBoolean notReached = new AtomicBoolean();
        ui.run(() -> chat.reveal(1, m -> { }, () -> notReached.set(true)));
        await().atMost(WAIT).until(notReached::get);
    }

    @Test
    void aRelayThatCannotBeReachedIsSaidSo() {
        ChatClient alice = relay.client("o-alice", "Alice");
        ConversationSummary notes = alice.create(ConversationKind.GROUP, "notes", null, List.of());
        SearchViewModel vm = ui.call(() -> new SearchViewModel(alice, ui, background, i18n));
        relay.stop();
        try {
            ui.run(() -> {
                vm.conversation(notes.id());
                vm.queryProperty().set("anything");
                vm.search();
            });
            await().atMost(WAIT).until(() -> ui.call(() -> !vm.busyProperty().get()));
            assertEquals("Searching needs the relay, which can’t be reached right now.",
                    ui.call(() -> vm.statusProperty().get()));
        } finally {
            relay.restart();
        }
    }
}
