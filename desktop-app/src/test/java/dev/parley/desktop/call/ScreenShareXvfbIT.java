package dev.parley.desktop.call;

import dev.parley.desktop.support.RelayFixture;
import dev.parley.protocol.CallMedia;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.awt.Color;
import java.awt.Frame;
import java.awt.Graphics;
import java.awt.Panel;
import java.awt.Robot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Screen sharing on a real X server: the test starts its own Xvfb on the display Surefire put into DISPLAY, shows a
 * known pattern (bright left half, dark right half), and the callee must receive that pattern from the caller's
 * java.awt.Robot capture; stopping the share brings the camera picture back.
 */
@Timeout(120)
class ScreenShareXvfbIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Process xvfb;
    private static Frame frame;

    @BeforeAll
    static void startXvfb() throws Exception {
        // Only the xvfb-tests execution gives this fork a display; elsewhere (e.g. a -Dtest run that also reaches
        // the default execution) there is nothing to capture.
        Assumptions.assumeTrue("xvfb".equals(System.getProperty("parley.fork")),
                "runs in Surefire's xvfb-tests execution");
        String display = System.getenv("DISPLAY");
        if (display == null || !display.startsWith(":")) {
            fail("DISPLAY must name a local display (Surefire's screen-share execution sets it)");
        }
        Path socket = Path.of("/tmp/.X11-unix/X" + display.substring(1).split("\\.")[0]);
        if (!Files.exists(socket)) {
            // Xvfb must outlive this JVM's X connection: killing it while AWT is connected makes AWT end the JVM
            // (XIO error) before Surefire hears the results. A watchdog shell stops it once this JVM has exited.
            long jvm = ProcessHandle.current().pid();
            String script = "command -v Xvfb >/dev/null || exit 3; Xvfb " + display
                    + " -screen 0 1024x768x24 -nolisten tcp & x=$!; while kill -0 " + jvm
                    + " 2>/dev/null && kill -0 $x 2>/dev/null; do sleep 1; done; kill $x 2>/dev/null";
            xvfb = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(socket) || !xvfb.isAlive());
            if (!xvfb.isAlive()) {
                fail(xvfb.exitValue() == 3 ? "Xvfb is needed for this test: install it (scripts/install-test-deps.sh"
                        + " does)" : "Xvfb " + display + " exited at start");
            }
        }
        frame = new Frame("pattern");
        frame.setUndecorated(true);
        frame.setBounds(0, 0, 1024, 768);
        frame.add(new Panel() {
            @Override
            public void paint(Graphics g) {
                g.setColor(new Color(220, 220, 220));
                g.fillRect(0, 0, 512, 768);
                g.setColor(new Color(30, 30, 30));
                g.fillRect(512, 0, 512, 768);
            }
        });
        frame.setVisible(true);
        Robot robot = new Robot();
        await().atMost(WAIT).until(() -> robot.getPixelColor(100, 100).getRed() == 220
                && robot.getPixelColor(900, 100).getRed() == 30);
    }

    @AfterAll
    static void closeFrame() {
        if (frame != null) {
            frame.dispose();
        }
        // Xvfb itself stops after this JVM exits (see startXvfb).
    }

    @Test
    void theSharedScreenArrivesAtTheOtherSide() {
        try (RelayFixture relay = RelayFixture.start(); CallPeers peers = new CallPeers()) {
            var alice = peers.peer(relay, "alice", new AudioInput.Tone(440),
                    new VideoInput.Synthetic(320, 240, 30, 120));
            var bob = peers.peer(relay, "bob", new AudioInput.Headless(), new VideoInput.Synthetic(320, 240, 30, 60));
            long dm = alice.client.openDm(bob.id()).id();
            alice.session.call(dm, CallMedia.VIDEO);
            bob.awaitState(CallState.Incoming.class, WAIT);
            bob.session.accept();
            alice.awaitState(CallState.Active.class, WAIT);
            bob.awaitRemote(img -> Math.abs(img.luma(16, 16) - 120) <= 12, WAIT);

            alice.session.startScreenShare(RobotScreenSource.wholeScreen(1024, 10));
            await().atMost(WAIT).until(alice.session::sharing);
            // Y of grey 220 is 205, of grey 30 is 42 (BT.601 studio range)
            bob.awaitRemote(img -> img.width() == 1024 && img.height() == 768
                    && Math.abs(img.luma(100, 384) - 205) <= 12 && Math.abs(img.luma(900, 384) - 42) <= 12, WAIT);

            alice.session.stopScreenShare();
            await().atMost(WAIT).until(() -> !alice.session.sharing());
            bob.awaitRemote(img -> img.width() == 320 && Math.abs(img.luma(16, 16) - 120) <= 12, WAIT);
            alice.session.hangUp();
            assertEquals(dev.parley.protocol.CallEndReason.HUNG_UP, bob.awaitEnded(WAIT).reason());
        }
    }
}
