package dev.parley.desktop.call;

import dev.parley.protocol.CallEndReason;
import dev.parley.protocol.CallMedia;
import dev.parley.protocol.CallOutcome;
import dev.parley.protocol.CallRecord;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.LogEvent;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The history window (TestFX, headless Monocle) with loaders standing in for the relay: the conversation's calls
 * arrive late, after the user already switched to all conversations, and must not replace that list; a call logged
 * while the window is open is listed without reopening it.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(60)
class CallHistoryViewUiTest {
    private static final LogEvent MINE = call(1, "this chat");
    private static final LogEvent EVERYONE = call(2, "all chats");

    private final ExecutorService background = Executors.newCachedThreadPool();
    private final CountDownLatch releaseSlowLoad = new CountDownLatch(1);
    private Stage owner;

    private static LogEvent call(long conv, String marker) {
        return new LogEvent(conv, 1, EventKind.CALL, 7, 1_000, null, marker, null, null, null, null, null,
                new CallRecord(marker, CallMedia.AUDIO, CallOutcome.MISSED, CallEndReason.NO_ANSWER, 1_000, 0));
    }

    @Start
    void start(Stage stage) {
        owner = stage;
        stage.setScene(new javafx.scene.Scene(new javafx.scene.layout.StackPane(), 200, 100));
        stage.show();
    }

    @AfterEach
    void stop() throws InterruptedException {
        releaseSlowLoad.countDown();
        background.shutdown();
        assertTrue(background.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void anOlderLoadArrivingLastDoesNotReplaceTheNewerList(FxRobot robot) throws Exception {
        CallHistoryView view = new CallHistoryView(new CallText(Locale.ENGLISH), 7, id -> "Bob",
                conv -> conv == 1 ? "Bob" : "Team", background);
        robot.interact(() -> view.show(owner, () -> {
            await(releaseSlowLoad);
            return List.of(MINE);
        }, () -> List.of(EVERYONE), logged -> () -> { }));

        robot.clickOn("#allCalls");
        ListView<LogEvent> list = robot.lookup("#callHistory").queryListView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> list.getItems().equals(List.of(EVERYONE)));

        releaseSlowLoad.countDown();
        background.shutdown();
        assertTrue(background.awaitTermination(10, TimeUnit.SECONDS), "the slow load has answered");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(EVERYONE), list.getItems(), "the list the user switched to stays");
        robot.interact(() -> Window.getWindows().stream().filter(w -> w != owner).toList().forEach(Window::hide));
    }

    @Test
    void aCallLoggedWhileTheWindowIsOpenIsListedWithoutReopeningIt(FxRobot robot) throws Exception {
        AtomicReference<List<LogEvent>> stored = new AtomicReference<>(List.of(MINE));
        AtomicReference<Runnable> announce = new AtomicReference<>();
        AtomicBoolean unsubscribed = new AtomicBoolean();
        CallHistoryView view = new CallHistoryView(new CallText(Locale.ENGLISH), 7, id -> "Bob",
                conv -> "Bob", background);
        robot.interact(() -> view.show(owner, stored::get, stored::get, logged -> {
            announce.set(logged);
            return () -> unsubscribed.set(true);
        }));
        ListView<LogEvent> list = robot.lookup("#callHistory").queryListView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> list.getItems().equals(List.of(MINE)));

        LogEvent newer = call(1, "a newer call");
        stored.set(List.of(newer, MINE));
        // From the client's worker thread, as the app's listener is called.
        background.execute(announce.get());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> list.getItems().equals(List.of(newer, MINE)));

        assertFalse(unsubscribed.get(), "listening while open");
        robot.interact(() -> Window.getWindows().stream().filter(w -> w != owner).toList().forEach(Window::hide));
        assertTrue(unsubscribed.get(), "closing the window stops listening");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
