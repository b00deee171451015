package dev.parley.desktop.ui;

import dev.parley.desktop.AppOptions;
import dev.parley.desktop.Parley;
import dev.parley.desktop.settings.AppDirs;
import javafx.scene.Node;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** The real app on a TestFX stage, as the UI tests start, stop and wait on it. */
final class AppUnderTest {
    static final long WAIT_S = 20;

    private AppUnderTest() {
    }

    /** The app on {@code stage} with every file under {@code profile}, fast reconnects and no LAN discovery. */
    static Parley start(Stage stage, Path profile) {
        AppOptions options = new AppOptions(AppDirs.forProfile(profile), null, false, Duration.ofMillis(50),
                Duration.ofMillis(400));
        Parley parley = new Parley(stage, options, Clock.systemUTC());
        parley.start();
        return parley;
    }

    /**
     * Stops the app and closes every window it left but the test's stage: a dialog a failed test left open would
     * otherwise take the next test's clicks.
     */
    static void shutdown(Parley parley, Stage stage) throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            parley.shutdown();
            for (Window window : List.copyOf(Window.getWindows())) {
                if (window != stage) {
                    window.hide();
                }
            }
        }).get(10, TimeUnit.SECONDS);
    }

    /**
     * Shown in a showing window, it and every parent visible. TestFX's own visibility check looks at the node's own
     * flag only, so a label in a hidden part (the closed search bar, a reused list cell's hidden bubble) passes it
     * and a click on it lands on whatever is drawn there.
     */
    static boolean onScreen(Node node) {
        if (node.getScene() == null || node.getScene().getWindow() == null
                || !node.getScene().getWindow().isShowing()) {
            return false;
        }
        for (Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /** Polls {@code condition} on the FX thread until it holds, for up to {@link #WAIT_S} seconds. */
    static void waitUntil(String what, Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(WAIT_S, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(condition).get());
        } catch (Exception e) {
            throw new AssertionError("timed out waiting until " + what, e);
        }
    }
}
