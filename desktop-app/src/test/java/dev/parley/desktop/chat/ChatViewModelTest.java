package dev.parley.desktop.chat;

import dev.parley.desktop.cache.LocalCache;
import dev.parley.desktop.net.AuthSession;
import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.net.RelayAddress;
import dev.parley.desktop.net.RelayApi;
import dev.parley.desktop.net.SavedLogin;
import dev.parley.desktop.support.RelayFixture;
import dev.parley.desktop.support.UiThread;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.Limits;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.MemberInfo;
import dev.parley.protocol.MemberRole;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.UserSummary;
import dev.parley.desktop.cache.SyncState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chat view model without any FX thread: a single test thread plays the FX thread (the view model's updates and
 * the test's own calls run on it, one at a time, as in the app), the client is real and talks to a real
 * relay (or, for the 100,000-message case, reads a real SQLite cache filled beforehand).
 */
@Timeout(120)
class ChatViewModelTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static RelayFixture relay;
    private final UiThread ui = new UiThread();

    @BeforeAll
    static void startRelay() {
        relay = RelayFixture.start();
    }

    @AfterEach
    void stopUi() {
        ui.close();
    }

    @AfterAll
    static void stopRelay() {
        relay.close();
    }

    private static List<String> texts(ChatViewModel vm) {
        return vm.items().stream().filter(MessageItem::isMessage)
                .map(i -> i.deleted() ? "<deleted>" : i.text()).toList();
    }

    @Test
    void sendShowsThePendingRowThenTheConfirmedOneWithItsDeliveryState() {
        ChatClient alice = relay.client("vm-alice", "Alice");
        ChatClient bob = relay.client("vm-bob", "Bob");
        ConversationSummary dm = alice.openDm(bob.myId());
        ChatViewModel vm = ui.call(() -> new ChatViewModel(alice, ui, true));
        ui.run(() -> vm.open(dm.id()));

        ui.run(() -> {
            vm.composerTextProperty().set("  hello there  ");
            assertTrue(vm.canSendProperty().get());
            vm.send();
            assertEquals("", vm.composerTextProperty().get(), "the composer empties at once");
        });
        await().atMost(WAIT).until(() -> ui.call(() -> texts(vm).equals(List.of("hello there"))
                && !vm.items().getLast().pending()));
        assertTrue(ui.call(() -> vm.items().getLast().own()));
        await().atMost(WAIT).until(() -> ui.call(() -> vm.deliveryOf(vm.items().getLast()) == Delivery.DELIVERED
                || vm.deliveryOf(vm.items().getLast()) == Delivery.READ));

        bob.typing(dm.id());
        await().atMost(WAIT).until(() -> ui.call(() -> vm.typingNamesProperty().get().equals(List.of("Bob"))));
        bob.send(dm.id(), "hi alice");
        await().atMost(WAIT).until(() -> ui.call(() -> texts(vm).equals(List.of("hello there", "hi alice"))));
        ui.run(() -> {
            assertTrue(vm.typingNamesProperty().get().isEmpty(), "a message ends the typing indicator");
            assertFalse(vm.items().getLast().own());
            assertNull(vm.deliveryOf(vm.items().getLast()), "others' messages have no delivery state");
        });
    }

    /** Alice's view model on her DM with a new user, her own message {@code text} confirmed and editable. */
    private record OwnMessage(ChatClient alice, ChatViewModel vm) {
    }

    private OwnMessage dmWithOwnMessage(String prefix, String text) {
        ChatClient alice = relay.client(prefix + "-alice", "Alice");
        ChatClient bob = relay.client(prefix + "-bob", "Bob");
        ConversationSummary dm = alice.openDm(bob.myId());
        ChatViewModel vm = ui.call(() -> new ChatViewModel(alice, ui, true));
        ui.run(() -> {
            vm.open(dm.id());
            vm.composerTextProperty().set(text);
            vm.send();
        });
        await().atMost(WAIT).until(() -> ui.call(() -> !vm.items().isEmpty() && vm.items().getLast().editable()));
        return new OwnMessage(alice, vm);
    }

    @Test
    void editAndDeleteThroughTheViewModel() {
        ChatViewModel vm = dmWithOwnMessage("ed", "typo").vm();

        ui.run(() -> {
            assertTrue(vm.editLastOwn(), "Up in an empty composer edits the newest own message");
            assertEquals("typo", vm.composerTextProperty().get());
            vm.composerTextProperty().set("fixed");
            vm.send();
        });
        await().atMost(WAIT).until(() -> ui.call(() -> texts(vm).equals(List.of("fixed"))
                && vm.items().getLast().edited()));
        assertNull(ui.call(() -> vm.editingProperty().get()));

        ui.run(() -> vm.delete(vm.items().getLast()));
        await().atMost(WAIT).until(() -> ui.call(() -> texts(vm).equals(List.of("<deleted>"))));
        assertFalse(ui.call(() -> vm.items().getLast().editable()));
    }

    @Test
    void ownersAndAdminsRemoveOthersMessagesInAGroupAndMembersCannot() {
        ChatClient owner = relay.client("vm-mod-owner", "Olga");
        ChatClient member = relay.client("vm-mod-member", "Max");
        ConversationSummary group = owner.create(ConversationKind.GROUP, "Moderated", null, List.of(member.myId()));
        await().atMost(WAIT).until(() -> member.conversation(group.id()).isPresent());
        member.send(group.id(), "spam");
        owner.send(group.id(), "rules");
        ChatViewModel ownerVm = ui.call(() -> new ChatViewModel(owner, ui, true));
        ChatViewModel memberVm = ui.call(() -> new ChatViewModel(member, ui, true));
        ui.run(() -> {
            ownerVm.open(group.id());
            memberVm.open(group.id());
        });
        await().atMost(WAIT).until(() -> ui.call(() -> texts(ownerVm).equals(List.of("spam", "rules"))
                && texts(memberVm).equals(List.of("spam", "rules"))));

        MessageItem spam = ui.call(() -> ownerVm.items().stream().filter(i -> "spam".equals(i.text())).findFirst()
                .orElseThrow());
        MessageItem rules = ui.call(() -> memberVm.items().stream().filter(i -> "rules".equals(i.text()))
                .findFirst().orElseThrow());
        ui.run(() -> {
            assertTrue(ownerVm.mayRemoveForEveryone(spam), "the owner moderates");
            assertFalse(memberVm.mayRemoveForEveryone(rules), "a member does not");
            memberVm.delete(rules); // refused in the view model: nothing is sent
            memberVm.composerTextProperty().set("after");
            memberVm.send();
        });
        // Requests go out in order: had the delete been sent, its refusal would have come before this message's ack.
        await().atMost(WAIT).until(() -> ui.call(() -> memberVm.items().stream()
                .anyMatch(i -> "after".equals(i.text()) && !i.pending())));
        ui.run(() -> assertNull(memberVm.failureProperty().get(), "no delete was attempted"));
        ui.run(() -> ownerVm.delete(spam));
        await().atMost(WAIT).until(() -> ui.call(() -> texts(memberVm).equals(List.of("<deleted>", "rules", "after"))));
        ui.run(() -> assertFalse(ownerVm.mayRemoveForEveryone(ownerVm.items().stream()
                .filter(MessageItem::deleted).findFirst().orElseThrow()), "nothing left to remove"));
    }

    @Test
    void aDraftSurvivesSwitchingConversationsEditingAndARestartAndGoesOnceSent() {
        ChatClient alice = relay.client("draft-alice", "Alice");
        ChatClient bob = relay.client("draft-bob", "Bob");
        ConversationSummary dm = alice.openDm(bob.myId());
        ConversationSummary group = alice.create(ConversationKind.GROUP, "Drafts", null, List.of(bob.myId()));
        ChatViewModel vm = ui.call(() -> new ChatViewModel(alice, ui, true));
        ui.run(() -> {
            vm.open(dm.id());
            vm.composerTextProperty().set("sent first");
            vm.send();
        });
        await().atMost(WAIT).until(() -> ui.call(() -> !vm.items().isEmpty() && vm.items().getLast().editable()));

        ui.run(() -> {
            vm.composerTextProperty().set("half a thought");
            vm.open(group.id());
            assertEquals("", vm.composerTextProperty().get(), "each conversation has its own draft");
            vm.composerTextProperty().set("for the group");
            vm.open(dm.id());
            assertEquals("half a thought", vm.composerTextProperty().get());

            // Editing borrows the composer and gives the draft back, whether cancelled or saved.
            vm.startEdit(vm.items().getLast());
            assertEquals("sent first", vm.composerTextProperty().get());
            vm.cancelEdit();
            assertEquals("half a thought", vm.composerTextProperty().get());
            vm.startEdit(vm.items().getLast());
            vm.composerTextProperty().set("sent first, edited");
            vm.send();
            assertEquals("half a thought", vm.composerTextProperty().get());
            vm.startEdit(vm.items().getLast());
            vm.open(group.id()); // switching away mid-edit keeps the draft, not the edit's text
            vm.open(dm.id());
            assertEquals("half a thought", vm.composerTextProperty().get());
            vm.close();
        });

        List<Long> typingSeenByBob = new java.util.concurrent.CopyOnWriteArrayList<>();
        bob.addListener(new ChatClient.Listener() {
            @Override
            public void typing(long conv, long user) {
                typingSeenByBob.add(conv);
            }
        });
        ChatViewModel afterRestart = ui.call(() -> new ChatViewModel(alice, ui, true));
        ui.run(() -> {
            // As the view does: every change of the composer's text reports typing.
            afterRestart.composerTextProperty().addListener((o, was, now) -> afterRestart.typed());
            afterRestart.open(group.id());
            assertEquals("for the group", afterRestart.composerTextProperty().get(), "kept in the local cache");
            afterRestart.send();
            assertEquals("", afterRestart.composerTextProperty().get());
            assertEquals("", alice.draft(group.id()), "sending forgets the kept draft at once");
            afterRestart.open(dm.id());
            afterRestart.open(group.id());
            assertEquals("", afterRestart.composerTextProperty().get(), "a sent draft does not come back");
        });
        // The message went out after anything the draft's return could have sent on the same connection.
        await().atMost(WAIT).until(() -> bob.latest(group.id(), 10).stream()
                .anyMatch(e -> "for the group".equals(e.text())));
        assertFalse(typingSeenByBob.contains(group.id()), "a draft put back is not Alice typing");
    }

    @Test
    void aFailedEditGivesItsTextBackToTheComposer() {
        OwnMessage own = dmWithOwnMessage("fe", "first try");
        ChatViewModel vm = own.vm();

        own.alice().close(); // offline: the edit cannot reach the relay
        ui.run(() -> {
            assertTrue(vm.editLastOwn());
            vm.composerTextProperty().set("second thoughts, carefully worded");
            vm.send();
        });

        await().atMost(WAIT).until(() -> ui.call(() -> vm.failureProperty().get() != null));
        ui.run(() -> {
            assertEquals("second thoughts, carefully worded", vm.composerTextProperty().get());
            assertNotNull(vm.editingProperty().get(), "still editing the same message, ready to retry");
            assertEquals("first try", vm.editingProperty().get().text());
        });
    }

    @Test
    void aFailedEditKeepsWhatWasTypedSinceAsItsDraft() {
        OwnMessage own = dmWithOwnMessage("ft", "first try");
        ChatViewModel vm = own.vm();

        own.alice().close(); // offline: the edit cannot reach the relay
        ui.run(() -> {
            assertTrue(vm.editLastOwn());
            vm.composerTextProperty().set("second thoughts");
            vm.send();
            // Saving handed the composer back at once; the refusal is handled after the user typed on.
            assertNull(vm.editingProperty().get());
            vm.composerTextProperty().set("a new message, half written");
        });

        await().atMost(WAIT).until(() -> ui.call(() -> vm.failureProperty().get() != null));
        ui.run(() -> {
            assertNotNull(vm.editingProperty().get(), "the refused edit is back, ready to retry");
            assertEquals("second thoughts", vm.composerTextProperty().get());
            vm.cancelEdit();
            assertEquals("a new message, half written", vm.composerTextProperty().get(),
                    "what was typed meanwhile comes back after the edit");
        });
    }

    @Test
    void aConversationTheUserWasRemovedFromClosesInsteadOfStayingWritable() {
        ChatClient owner = relay.client("rm-owner", "Olga");
        ChatClient member = relay.client("rm-member", "Max");
        ConversationSummary group = owner.create(ConversationKind.GROUP, "Leaving", null, List.of(member.myId()));
        await().atMost(WAIT).until(() -> member.conversation(group.id()).isPresent());
        owner.send(group.id(), "welcome");
        ChatViewModel vm = ui.call(() -> new ChatViewModel(member, ui, true));
        ui.run(() -> vm.open(group.id()));
        await().atMost(WAIT).until(() -> ui.call(() -> texts(vm).equals(List.of("welcome"))));

        owner.removeMember(group.id(), member.myId());
        await().atMost(WAIT).until(() -> ui.call(() -> vm.conversationProperty().get() == null));
        ui.run(() -> {
            assertEquals(0, vm.openConversation());
            assertTrue(vm.items().isEmpty(), "nothing of it stays on screen to write into");
        });
    }

    @Test
    void noticesCanBeHiddenAndShownAgain() {
        ChatClient alice = relay.client("n-alice", "Alice");
        ChatClient bob = relay.client("n-bob", "Bob");
        ChatClient carol = relay.client("n-carol", "Carol");
        ConversationSummary group = alice.create(ConversationKind.GROUP, "notices", null, List.of(bob.myId()));
        alice.addMembers(group.id(), List.of(carol.myId()));
        alice.removeMember(group.id(), carol.myId());
        alice.send(group.id(), "after the changes");
        ChatViewModel vm = ui.call(() -> new ChatViewModel(alice, ui, true));
        ui.run(() -> vm.open(group.id()));
        await().atMost(WAIT).until(() -> ui.call(() -> texts(vm).equals(List.of("after the changes"))));
        await().atMost(WAIT).until(() -> ui.call(() ->
                vm.items().stream().filter(MessageItem::isNotice).count() >= 4));
        ui.run(() -> {
            List<EventKind> kinds = vm.items().stream().map(MessageItem::kind).toList();
            assertTrue(kinds.contains(EventKind.MEMBER_LEFT), kinds.toString());

            vm.showNoticesProperty().set(false);
            assertTrue(vm.items().stream().allMatch(MessageItem::isMessage));
            assertEquals(1, vm.items().size());
            assertTrue(vm.allItems().size() >= 5, "hidden, not dropped");

            vm.showNoticesProperty().set(true);
            assertTrue(vm.items().size() >= 5);
        });
    }

    @Test
    void theLimitIsShownBeforeSendingAndOverLongTextCannotBeSent() {
        ChatClient alice = relay.client("l-alice", "Alice");
        ChatClient bob = relay.client("l-bob", "Bob");
        ConversationSummary dm = alice.openDm(bob.myId());
        ChatViewModel vm = ui.call(() -> new ChatViewModel(alice, ui, true));
        ui.run(() -> {
            vm.open(dm.id());
            assertFalse(vm.canSendProperty().get(), "nothing to send");
            vm.composerTextProperty().set("x".repeat(Limits.MAX_TEXT_LENGTH));
            assertEquals(0, vm.remainingProperty().get());
            assertTrue(vm.canSendProperty().get());
            vm.composerTextProperty().set("x".repeat(Limits.MAX_TEXT_LENGTH + 5));
            assertEquals(-5, vm.remainingProperty().get());
            assertFalse(vm.canSendProperty().get());
            vm.send();
        });
        assertTrue(alice.outbox(dm.id()).isEmpty(), "refused before it reached the outbox");
    }

    @Test
    void groupingAndDaySeparators() {
        long minute = 60_000;
        MessageItem a1 = item(1, 7, 0);
        MessageItem a2 = item(2, 7, minute);
        MessageItem b1 = item(3, 8, 2 * minute);
        MessageItem b2Later = item(4, 8, 2 * minute + ChatViewModel.GROUP_GAP_MS + 1);
        MessageItem nextDay = item(5, 8, 86_400_000L);
        assertTrue(ChatViewModel.startsGroup(null, a1));
        assertFalse(ChatViewModel.startsGroup(a1, a2), "same sender, soon after: one group");
        assertTrue(ChatViewModel.startsGroup(a2, b1), "another sender");
        assertTrue(ChatViewModel.startsGroup(b1, b2Later), "a long pause");
        assertFalse(ChatViewModel.startsDay(a1, b2Later, ZoneOffset.UTC));
        assertTrue(ChatViewModel.startsDay(b2Later, nextDay, ZoneOffset.UTC));
    }

    private static MessageItem item(long seq, long sender, long ts) {
        return new MessageItem(seq, null, EventKind.MESSAGE, sender, ts, "t", false, false, false, false, null, null,
                null);
    }

    @Test
    void updatesQueuedBeforeTheSessionEndedDoNotTouchItsClosedCache(@TempDir Path dir) {
        ProtocolJson json = new ProtocolJson();
        LocalCache cache = LocalCache.open(dir.resolve("ending.db"), json);
        UserSummary me = new UserSummary(1, "me", "Me", null, null);
        cache.saveConversation(new ConversationSummary(7, ConversationKind.GROUP, "Team", null, null,
                MemberRole.OWNER, 1, List.of(new MemberInfo(me, MemberRole.OWNER, 0, 0)), 0, 0, 0, null, 1));
        RelayApi api = new RelayApi(RelayAddress.parse("http://127.0.0.1:9"), json);
        AuthSession auth = new AuthSession(api, new SavedLogin("http://127.0.0.1:9", 1, "me", "Me", "s", "r"),
                login -> { }, Clock.systemUTC());
        ChatClient client = new ChatClient(auth, cache, json, null, RelayFixture.fastBackoff(), Clock.systemUTC());
        ChatViewModel vm = new ChatViewModel(client, Runnable::run, true);
        ConversationListViewModel list = new ConversationListViewModel(client, Runnable::run);
        vm.open(7);
        vm.composerTextProperty().set("unsent");

        // As the app ends a session: view models first, then the client and its cache.
        list.dispose();
        vm.dispose();
        client.close();
        cache.close();
        // A conversation selected by a list update that was already queued, as happened in a UI test.
        vm.open(7);
        list.refresh();
        assertEquals("", vm.composerTextProperty().get());

        try (LocalCache reopened = LocalCache.open(dir.resolve("ending.db"), json)) {
            assertEquals(Optional.of("unsent"), reopened.draft(7), "the draft was kept before the cache closed");
        }
    }

    @Test
    void aConversationOfAHundredThousandMessagesOpensFromTheCacheInAFewMilliseconds(@TempDir Path dir) {
        ProtocolJson json = new ProtocolJson();
        long conv = 42;
        try (LocalCache cache = LocalCache.open(dir.resolve("big.db"), json)) {
            List<LogEvent> batch = new ArrayList<>();
            for (long seq = 1; seq <= 100_000; seq++) {
                batch.add(new LogEvent(conv, seq, EventKind.MESSAGE, seq % 3 == 0 ? 1 : 2, seq * 1000, null,
                        "message number " + seq, null, null, null, null, null));
                if (batch.size() == 20_000) {
                    cache.applyEvents(batch);
                    batch.clear();
                }
            }
            cache.saveSyncState(conv, new SyncState(100_000, 1));
            UserSummary me = new UserSummary(1, "me", "Me", null, null);
            UserSummary other = new UserSummary(2, "other", "Other", null, null);
            cache.saveUsers(List.of(me, other));
            cache.saveConversation(new ConversationSummary(conv, ConversationKind.DM, null, null, null,
                    MemberRole.MEMBER, 2, List.of(new MemberInfo(me, MemberRole.MEMBER, 0, 0),
                    new MemberInfo(other, MemberRole.MEMBER, 0, 0)), 100_000, 0, 0, null, 100_000_000));
            // The relay is never contacted: the client is not started, as when the app opens offline.
            RelayApi api = new RelayApi(RelayAddress.parse("http://127.0.0.1:9"), json);
            AuthSession auth = new AuthSession(api, new SavedLogin("http://127.0.0.1:9", 1, "me", "Me", "s", "r"),
                    login -> { }, Clock.systemUTC());
            try (ChatClient client = new ChatClient(auth, cache, json, null, RelayFixture.fastBackoff(),
                    Clock.systemUTC())) {
                ChatViewModel vm = new ChatViewModel(client, Runnable::run, true);
                vm.open(conv);
                assertEquals(ChatViewModel.PAGE, vm.items().size(), "opening reads one page, not the history");
                assertEquals(100_000L, vm.items().getLast().seq());

                for (int i = 0; i < 20; i++) {
                    vm.loadOlder();
                }
                assertEquals(21 * ChatViewModel.PAGE, vm.items().size());
                assertEquals(100_000L - 21 * ChatViewModel.PAGE + 1, vm.items().getFirst().seq(),
                        "older pages go on top, in order");
            }
        }
    }
}
