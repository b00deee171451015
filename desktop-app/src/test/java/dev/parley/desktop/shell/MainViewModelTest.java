package dev.parley.desktop.shell;

import dev.parley.desktop.chat.ConversationListViewModel;
import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.net.ConnectionState;
import dev.parley.desktop.notify.Notifier;
import dev.parley.desktop.support.MutableClock;
import dev.parley.desktop.support.RelayFixture;
import dev.parley.desktop.ui.I18n;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.PresenceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Notifications, the unread title, idle auto-away and the connection state, without an FX thread. */
@Timeout(60)
class MainViewModelTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static RelayFixture relay;

    @BeforeAll
    static void startRelay() {
        relay = RelayFixture.start();
    }

    @AfterAll
    static void stopRelay() {
        relay.close();
    }

    private record Shown(String title, String body) {
    }

    @Test
    void notifiesOnlyWhileUnfocusedAndNotInDoNotDisturbAndCountsUnreadInTheTitle() {
        ChatClient alice = relay.client("mv-alice", "Alice");
        ChatClient bob = relay.client("mv-bob", "Bob");
        List<Shown> shown = new CopyOnWriteArrayList<>();
        Notifier notifier = recordingInto(shown);
        ConversationListViewModel list = new ConversationListViewModel(alice, Runnable::run);
        MainViewModel vm = new MainViewModel(alice, list, notifier, new I18n(Locale.ENGLISH), Runnable::run,
                Clock.systemUTC());
        assertEquals(ConnectionState.CONNECTED, vm.connectionProperty().get());
        ConversationSummary dm = bob.openDm(alice.myId());

        vm.setWindowFocused(true);
        bob.send(dm.id(), "while you look");
        await().atMost(WAIT).until(() -> list.totalUnreadProperty().get() == 1);
        assertTrue(shown.isEmpty(), "no notification while the window has focus");
        assertEquals("(1) Parley", vm.titleProperty().get());

        vm.setWindowFocused(false);
        bob.send(dm.id(), "while you are away");
        await().atMost(WAIT).until(() -> shown.size() == 1);
        assertEquals(new Shown("Bob in Direct message", "while you are away"), shown.getFirst());

        vm.statusProperty().set(PresenceStatus.DND);
        bob.send(dm.id(), "do not disturb");
        await().atMost(WAIT).until(() -> list.totalUnreadProperty().get() == 3);
        assertEquals(1, shown.size(), "do not disturb: no notification");
        await().atMost(WAIT).until(() -> bob.presence(alice.myId()) == PresenceStatus.DND);
    }

    @Test
    void aMutedConversationNeitherNotifiesNorCountsInTheTitleButKeepsItsBadge() {
        ChatClient alice = relay.client("mute-alice", "Alice");
        ChatClient bob = relay.client("mute-bob", "Bob");
        List<Shown> shown = new CopyOnWriteArrayList<>();
        Notifier notifier = recordingInto(shown);
        ConversationListViewModel list = new ConversationListViewModel(alice, Runnable::run);
        MainViewModel vm = new MainViewModel(alice, list, notifier, new I18n(Locale.ENGLISH), Runnable::run,
                Clock.systemUTC());
        vm.setWindowFocused(false);
        ConversationSummary noisy = bob.create(ConversationKind.CHANNEL, "random", null, List.of(alice.myId()));
        ConversationSummary dm = bob.openDm(alice.myId());
        await().atMost(WAIT).until(() -> alice.conversation(noisy.id()).isPresent());
        list.setMuted(noisy.id(), true);
        assertTrue(list.byId(noisy.id()).muted(), "the list shows it muted at once");

        bob.send(noisy.id(), "lunch anyone?");
        bob.send(dm.id(), "a word?");
        await().atMost(WAIT).until(() -> shown.size() == 1 && list.byId(noisy.id()).unread() == 1);
        assertEquals(new Shown("Bob in Direct message", "a word?"), shown.getFirst(), "only the DM notified");
        assertEquals(1, list.totalUnreadProperty().get(), "the muted channel's message is not in the total");
        assertEquals("(1) Parley", vm.titleProperty().get());

        list.setMuted(noisy.id(), false);
        assertEquals(2, list.totalUnreadProperty().get());
        bob.send(noisy.id(), "last call for lunch");
        await().atMost(WAIT).until(() -> shown.size() == 2);
        assertTrue(alice.muted().isEmpty(), "unmuted for good");

        // A long message is cut for the notification, never in the middle of an emoji.
        bob.send(dm.id(), "x".repeat(119) + "🎉🎉");
        await().atMost(WAIT).until(() -> shown.size() == 3);
        assertEquals("x".repeat(119) + "…", shown.get(2).body());
    }

    @Test
    void goesAwayWhenIdleAndComesBackOnInput() {
        ChatClient alice = relay.client("idle-alice", "Alice");
        MutableClock clock = new MutableClock(Instant.parse("2026-01-05T09:00:00Z"));
        MainViewModel vm = new MainViewModel(alice, new ConversationListViewModel(alice, Runnable::run),
                notifierThatFails(), new I18n(Locale.ENGLISH), Runnable::run, clock);
        vm.checkIdle();
        assertEquals(PresenceStatus.ONLINE, vm.statusProperty().get());
        clock.advance(MainViewModel.IDLE_AFTER);
        vm.checkIdle();
        assertEquals(PresenceStatus.AWAY, vm.statusProperty().get());
        assertEquals(PresenceStatus.AWAY, alice.ownStatus());
        vm.userActive();
        assertEquals(PresenceStatus.ONLINE, vm.statusProperty().get());

        vm.statusProperty().set(PresenceStatus.DND);
        clock.advance(MainViewModel.IDLE_AFTER.multipliedBy(2));
        vm.checkIdle();
        assertEquals(PresenceStatus.DND, vm.statusProperty().get(), "a status set by hand is kept");
    }

    private static Notifier recordingInto(List<Shown> shown) {
        return new Notifier() {
            @Override
            public void show(String title, String body) {
                shown.add(new Shown(title, body));
            }

            @Override
            public String name() {
                return "recording";
            }
        };
    }

    private static Notifier notifierThatFails() {
        return new Notifier() {
            @Override
            public void show(String title, String body) {
                throw new AssertionError("no notification expected");
            }

            @Override
            public String name() {
                return "none";
            }
        };
    }
}
