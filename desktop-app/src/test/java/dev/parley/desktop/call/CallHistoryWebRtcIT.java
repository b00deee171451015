package dev.parley.desktop.call;

import dev.parley.desktop.support.RelayFixture;
import dev.parley.protocol.CallMedia;
import dev.parley.protocol.CallOutcome;
import dev.parley.protocol.LogEvent;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import static dev.parley.desktop.call.HeadlessFx.fx;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The call-history window (headless JavaFX) after real calls through a real relay: Bob calls Alice with video and they
 * talk (picture and tone verified) for over a second, Alice declines his next call, Bob gives up on the third, and
 * Carol calls Alice too. Alice's history of the chat with Bob lists missed, declined and answered with its duration,
 * newest first; "All conversations" adds Carol's call; Bob's overall history shows the same calls as outgoing.
 */
@Timeout(120)
// Native peers run only in Surefire's own webrtc fork (or an IDE), never in the shared default or xvfb forks.
@DisabledIfSystemProperty(named = "parley.fork", matches = "default|xvfb")
class CallHistoryWebRtcIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private RelayFixture relay;
    private CallPeers peers;
    private CallPeers.Peer alice;
    private CallPeers.Peer bob;
    private CallPeers.Peer carol;

    @BeforeEach
    void start() {
        HeadlessFx.start();
        relay = RelayFixture.start();
        peers = new CallPeers();
        alice = peers.peer(relay, "alice", new AudioInput.Headless(), new VideoInput.Synthetic(320, 240, 30, 60));
        bob = peers.peer(relay, "bob", new AudioInput.Tone(440), new VideoInput.Synthetic(320, 240, 30, 200));
        carol = peers.peer(relay, "carol", new AudioInput.Tone(440), new VideoInput.None());
    }

    @AfterEach
    void stop() {
        background.shutdownNow();
        peers.close();
        relay.close();
    }

    /** {@code from} rings Alice; returns once Alice's phone rings. */
    private void ring(CallPeers.Peer from, long dm, CallMedia media) {
        int before = alice.states.size();
        from.session.call(dm, media);
        await().atMost(WAIT).until(() -> alice.states.subList(before, alice.states.size()).stream()
                .anyMatch(CallState.Incoming.class::isInstance));
    }

    private void bothEnded(CallPeers.Peer other) {
        alice.awaitEnded(WAIT);
        other.awaitEnded(WAIT);
    }

    @Test
    void missedDeclinedAndAnsweredWithItsDurationPerConversationAndOverall() throws Exception {
        long dmBob = bob.client.openDm(alice.id()).id();
        long dmCarol = carol.client.openDm(alice.id()).id();

        // Answered: a real conversation of over a second, picture and tone checked.
        ring(bob, dmBob, CallMedia.VIDEO);
        alice.session.accept();
        CallState.Active talking = alice.awaitState(CallState.Active.class, WAIT);
        alice.awaitRemote(img -> Math.abs(img.luma(16, 16) - 200) <= 12, WAIT);
        // Long enough for the record to show a duration of its own (the relay counts from the accept).
        await().atMost(WAIT).until(() -> System.currentTimeMillis() - talking.connectedAtMillis() > 1_500
                && Math.abs(alice.audio.frequency(24_000) - 440) <= 20);
        bob.session.hangUp();
        bothEnded(bob);

        ring(bob, dmBob, CallMedia.AUDIO);
        alice.session.decline();
        bothEnded(bob);

        ring(bob, dmBob, CallMedia.AUDIO);
        bob.session.hangUp();
        bothEnded(bob);

        ring(carol, dmCarol, CallMedia.AUDIO);
        alice.session.accept();
        alice.awaitState(CallState.Active.class, WAIT);
        carol.session.hangUp();
        bothEnded(carol);
        await().atMost(WAIT).until(() -> alice.client.calls().history(0, 100).size() == 4);
        LogEvent answered = alice.client.calls().history(dmBob, 100).getLast();
        assertEquals(CallOutcome.ANSWERED, answered.call().outcome());
        assertTrue(answered.call().durationMs() > 1_000, answered.toString());

        // Alice opens the history from the chat with Bob.
        CallText text = new CallText(Locale.ENGLISH);
        CallHistoryView aliceView = new CallHistoryView(text, alice.id(), id -> id == bob.id() ? "Bob" : "Carol",
                conv -> conv == dmBob ? "Bob" : "Carol", background);
        Stage window = open(aliceView, () -> alice.client.calls().history(dmBob, 100),
                () -> alice.client.calls().history(0, 100));
        List<String> rows = rows(window, 3);
        assertTrue(rows.get(0).endsWith(" · Bob · Incoming · Call · Missed"), rows.toString());
        assertTrue(rows.get(1).endsWith(" · Bob · Incoming · Call · Declined"), rows.toString());
        assertTrue(rows.get(2).endsWith(" · Bob · Incoming · Video call · Answered ("
                + CallText.duration(answered.call().durationMs()) + ")"), rows.toString());
        HeadlessFx.save(window, "call-history.png");

        // All conversations: Carol's call on top.
        fx(() -> {
            ((CheckBox) window.getScene().lookup("#allCalls")).fire();
            return null;
        });
        List<String> all = rows(window, 4);
        assertTrue(all.getFirst().matches(".* · Carol · Incoming · Call · Answered \\(\\d\\d:\\d\\d\\)"), all.toString());
        assertEquals(rows, all.subList(1, 4));

        // Bob's overall history (no conversation open): the same three calls, from his side.
        CallHistoryView bobView = new CallHistoryView(text, bob.id(), id -> "Alice", conv -> "Alice", background);
        Stage bobWindow = open(bobView, null, () -> bob.client.calls().history(0, 100));
        assertTrue(fx(() -> ((CheckBox) bobWindow.getScene().lookup("#allCalls")).isDisabled()));
        List<String> bobRows = rows(bobWindow, 3);
        assertTrue(bobRows.stream().allMatch(r -> r.contains(" · Alice · Outgoing · ")), bobRows.toString());
        assertTrue(bobRows.get(2).endsWith("Answered (" + CallText.duration(answered.call().durationMs()) + ")"));
        fx(() -> {
            window.close();
            bobWindow.close();
            return null;
        });
    }

    /** Opens the view as the app does and returns its window. */
    private static Stage open(CallHistoryView view, Supplier<List<LogEvent>> one, Supplier<List<LogEvent>> all) {
        List<Window> before = fx(() -> List.copyOf(Window.getWindows()));
        fx(() -> {
            view.show(null, one, all, logged -> () -> { });
            return null;
        });
        return fx(() -> Window.getWindows().stream().filter(w -> !before.contains(w)).map(w -> (Stage) w)
                .findFirst().orElseThrow());
    }

    /** The rendered rows, top to bottom, once there are {@code count}. */
    private static List<String> rows(Stage window, int count) {
        await().atMost(WAIT).until(() -> fx(() -> ((ListView<?>) window.getScene().lookup("#callHistory"))
                .getItems().size() == count && cells(window).size() == count));
        return fx(() -> cells(window));
    }

    private static List<String> cells(Stage window) {
        return window.getScene().lookup("#callHistory").lookupAll(".list-cell").stream()
                .map(n -> (ListCell<?>) n).filter(c -> !c.isEmpty() && c.getText() != null)
                .sorted(Comparator.comparingInt(ListCell::getIndex)).map(ListCell::getText).distinct().toList();
    }
}
