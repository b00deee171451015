package dev.parley.desktop.ui;

import dev.parley.desktop.Parley;
import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.net.ConnectionState;
import dev.parley.desktop.net.SavedLogin;
import dev.parley.desktop.settings.AppDirs;
import dev.parley.desktop.settings.TokenStore;
import dev.parley.desktop.support.RelayFixture;
import dev.parley.protocol.CallEndReason;
import dev.parley.protocol.CallMedia;
import dev.parley.protocol.CallOutcome;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.api.AuthResponse;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.parley.desktop.ui.AppUnderTest.WAIT_S;
import static dev.parley.desktop.ui.AppUnderTest.waitUntil;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real app (headless, Monocle) signed in as Alice against a real relay, with the main window minimised: Bob's
 * call must still bring up the incoming-call window (a stage of its own, no owner, always on top, focused), Decline
 * must reach Bob, and a call Bob cancels counts as missed. The chat's history window, opened after the decline and
 * left open, lists the declined call and then the missed one as it is logged. Ringing opens no media peer, so this
 * needs no native WebRTC and runs in the default fork.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(120)
class IncomingCallUiIT {
    private static RelayFixture relay;
    private static Path profile;
    private static ChatClient bob;
    private static long dm;
    private static final CallsHeard bobHeard = new CallsHeard();
    private static ChatClient carol;
    private static long carolDm;
    private static final CallsHeard carolHeard = new CallsHeard();
    private Parley parley;
    private Stage main;

    @BeforeAll
    static void signedInAliceAndADmWithBob() throws Exception {
        relay = RelayFixture.start();
        profile = Files.createDirectories(relay.dir().resolve("ui-profile"));
        AuthResponse alice = relay.register("alice", "Alice");
        // A saved sign-in, as after an earlier session: the app opens straight into the main window.
        new TokenStore(AppDirs.forProfile(profile).config(), new ProtocolJson()).save(new SavedLogin(relay.url(),
                alice.user().id(), "alice", "Alice", alice.sessionId(), alice.refreshToken()));
        bob = relay.client("bob", "Bob");
        dm = bob.openDm(alice.user().id()).id();
        bob.calls().addListener(bobHeard);
        carol = relay.client("carol", "Carol");
        carolDm = carol.openDm(alice.user().id()).id();
        carol.calls().addListener(carolHeard);
    }

    /** What a test client hears of calls. */
    private static final class CallsHeard implements dev.parley.desktop.net.CallChannel.Listener {
        final List<ServerMessage.CallRing> rings = new CopyOnWriteArrayList<>();
        final List<ServerMessage.CallEnded> ended = new CopyOnWriteArrayList<>();

        @Override
        public void ring(ServerMessage.CallRing ring) {
            rings.add(ring);
        }

        @Override
        public void accepted(ServerMessage.CallAccepted accepted) {
        }

        @Override
        public void signal(ServerMessage.CallSignal signal) {
        }

        @Override
        public void ended(ServerMessage.CallEnded ended) {
            this.ended.add(ended);
        }
    }

    @AfterAll
    static void stopRelay() {
        relay.close();
    }

    @Start
    void start(Stage stage) {
        main = stage;
        parley = AppUnderTest.start(stage, profile);
    }

    @AfterEach
    void closeApp() throws Exception {
        AppUnderTest.shutdown(parley, main);
    }


    private static <T> T onFx(Callable<T> work) throws Exception {
        return WaitForAsyncUtils.asyncFx(work).get(WAIT_S, TimeUnit.SECONDS);
    }

    /** The showing stage whose scene root has {@code id}. */
    private static Optional<Stage> stageWithRoot(String id) {
        return Window.getWindows().stream().filter(Window::isShowing).filter(w -> w instanceof Stage)
                .map(w -> (Stage) w).filter(s -> s.getScene() != null && id.equals(s.getScene().getRoot().getId()))
                .findFirst();
    }

    private void waitForBobsEnd(String callId, CallEndReason reason) {
        waitUntil("bob hears " + reason, () -> bobHeard.ended.stream()
                .anyMatch(e -> e.callId().equals(callId) && e.reason() == reason));
    }

    @Test
    void aRingAfterADeclinedCallReplacesItsWindowInsteadOfReusingIt(FxRobot robot) throws Exception {
        openChatWith(robot, "Carol");
        robot.clickOn("#audioCallButton");
        waitUntil("Carol is rung", () -> !carolHeard.rings.isEmpty());
        carol.calls().decline(carolHeard.rings.getFirst().callId()).get(WAIT_S, TimeUnit.SECONDS);
        waitUntil("the call window says the call ended", () -> stageWithRoot("callWindow").isPresent()
                && onFxQuietly(() -> ((Label) stageWithRoot("callWindow").orElseThrow().getScene()
                .lookup("#callTitle")).getText()).equals("Call declined"));
        Stage ended = onFx(() -> stageWithRoot("callWindow").orElseThrow());

        // Left open, the ended call's window would now show the new call, and closing it would decline that call.
        String second = carol.calls().invite(carolDm, CallMedia.AUDIO).get(WAIT_S, TimeUnit.SECONDS);
        waitUntil("the incoming-call window", () -> stageWithRoot("incomingCall").isPresent());
        waitUntil("the ended call's window is gone", () -> !ended.isShowing());
        carol.calls().hangup(second).get(WAIT_S, TimeUnit.SECONDS);
        waitUntil("the ringing stops", () -> stageWithRoot("incomingCall").isEmpty());
    }

    @Test
    void aHistoryThatCannotBeLoadedSaysSoInsteadOfLookingEmpty(FxRobot robot) {
        openChatWith(robot, "Bob");
        relay.stop();
        try {
            robot.clickOn("#callHistoryButton");
            waitUntil("the failure is shown", () -> robot.lookup("#callHistory").tryQuery()
                    .map(n -> ((ListView<?>) n).getPlaceholder())
                    .map(p -> p instanceof Label l && l.getText().startsWith("Could not load the calls"))
                    .orElse(false));
        } finally {
            relay.restart();
            // The other tests have Bob and Carol call at once: they must be back first, whatever the order.
            waitUntil("Bob and Carol reconnected", () -> bob.state() == ConnectionState.CONNECTED
                    && carol.state() == ConnectionState.CONNECTED);
        }
    }

    /** Waits for the connected main window, then opens the chat with {@code name}. */
    private static void openChatWith(FxRobot robot, String name) {
        waitUntil("the main window", () -> robot.lookup("#mainView").tryQuery().isPresent());
        waitUntil("connected", () -> !robot.lookup("#banner").query().isVisible());
        robot.clickOn(robot.lookup((Node n) -> n instanceof Label l && name.equals(l.getText())
                && AppUnderTest.onScreen(n))
                .<Node>query());
        waitUntil("the chat with " + name, () -> name.equals(robot.lookup("#chatTitle").queryAs(Label.class)
                .getText()));
    }

    private static int historySize(FxRobot robot) {
        return robot.lookup("#callHistory").tryQuery().map(n -> ((ListView<?>) n).getItems().size()).orElse(-1);
    }

    private static String onFxQuietly(Callable<String> work) {
        try {
            return onFx(work);
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void ringsWhileMinimisedThenDeclinedAndMissedCallsShowInTheHistory(FxRobot robot) throws Exception {
        waitUntil("the main window", () -> robot.lookup("#mainView").tryQuery().isPresent());
        waitUntil("connected", () -> !robot.lookup("#banner").query().isVisible());
        robot.interact(() -> main.setIconified(true));
        waitUntil("the main window minimised", main::isIconified);

        String declined = bob.calls().invite(dm, CallMedia.AUDIO).get(WAIT_S, TimeUnit.SECONDS);
        waitUntil("the incoming-call window", () -> stageWithRoot("incomingCall").isPresent());
        Stage incoming = onFx(() -> stageWithRoot("incomingCall").orElseThrow());
        assertTrue(onFx(incoming::isAlwaysOnTop), "always on top");
        assertNull(onFx(incoming::getOwner), "no owner: minimising the main window cannot take it along");
        waitUntil("the incoming-call window has the focus", incoming::isFocused);
        assertTrue(onFx(main::isIconified), "the ring does not pop the main window up");
        assertEquals("Bob is calling you", onFx(() -> ((Label) incoming.getScene().lookup("#incomingTitle"))
                .getText()));

        robot.clickOn("#declineButton");
        waitForBobsEnd(declined, CallEndReason.DECLINED);
        waitUntil("the incoming-call window closes", () -> !incoming.isShowing());

        // The chat's history, opened right after the decline: its record may still be on the way (the relay announces
        // a call's end first and logs it right after), and the open window lists it once it is logged.
        robot.interact(() -> main.setIconified(false));
        robot.clickOn(robot.lookup((Node n) -> n instanceof Label l && "Bob".equals(l.getText())
                && AppUnderTest.onScreen(n))
                .<Node>query());
        waitUntil("the chat with Bob", () -> "Bob".equals(robot.lookup("#chatTitle").queryAs(Label.class)
                .getText()));
        robot.clickOn("#callHistoryButton");
        waitUntil("the declined call listed", () -> historySize(robot) == 1);

        // Bob gives up before Alice answers, with the history window open: a missed call, listed without reopening.
        String missed = bob.calls().invite(dm, CallMedia.VIDEO).get(WAIT_S, TimeUnit.SECONDS);
        waitUntil("ringing again", () -> stageWithRoot("incomingCall").isPresent());
        assertEquals("Bob is calling you (video)", onFx(() -> ((Label) stageWithRoot("incomingCall").orElseThrow()
                .getScene().lookup("#incomingTitle")).getText()));
        bob.calls().hangup(missed).get(WAIT_S, TimeUnit.SECONDS);
        waitForBobsEnd(missed, CallEndReason.CANCELLED);
        waitUntil("the ringing stops", () -> stageWithRoot("incomingCall").isEmpty());

        await().atMost(Duration.ofSeconds(WAIT_S)).until(() -> bob.calls().history(dm, 10).size() == 2);
        List<LogEvent> records = bob.calls().history(dm, 10);
        assertEquals(List.of(CallOutcome.MISSED, CallOutcome.DECLINED), records.stream()
                .map(e -> e.call().outcome()).toList());
        waitUntil("both calls listed in the window left open", () -> historySize(robot) == 2);
        ListView<?> history = robot.lookup("#callHistory").queryListView();
        List<String> rows = onFx(() -> history.lookupAll(".list-cell").stream()
                .map(n -> ((javafx.scene.control.ListCell<?>) n).getText()).filter(t -> t != null).toList());
        assertEquals(2, rows.size(), rows.toString());
        assertTrue(rows.get(0).endsWith("Bob · Incoming · Video call · Missed"), rows.get(0));
        assertTrue(rows.get(1).endsWith("Bob · Incoming · Call · Declined"), rows.get(1));
    }
}
