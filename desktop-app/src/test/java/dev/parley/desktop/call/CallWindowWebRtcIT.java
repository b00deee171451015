package dev.parley.desktop.call;

import dev.parley.desktop.support.RelayFixture;
import dev.parley.protocol.CallMedia;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

import static dev.parley.desktop.call.HeadlessFx.fx;
import static dev.parley.desktop.call.HeadlessFx.save;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The call UI (headless JavaFX) on a real call: the incoming-call window names the caller, Accept connects, the call
 * window shows the remote picture, the timer and the quality line, and hang-up closes. Saves screenshots of both
 * windows to target/screenshots (copied into docs/screenshots).
 */
@Timeout(120)
// Native peers run only in Surefire's own webrtc fork (or an IDE), never in the shared default or xvfb forks.
@DisabledIfSystemProperty(named = "parley.fork", matches = "default|xvfb")
class CallWindowWebRtcIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private RelayFixture relay;
    private CallPeers peers;

    @BeforeEach
    void start() throws Exception {
        HeadlessFx.start();
        relay = RelayFixture.start();
        peers = new CallPeers();
    }

    @AfterEach
    void stop() {
        peers.close();
        relay.close();
    }

    @Test
    void incomingWindowThenCallWindowWithVideoTimerAndQuality() throws Exception {
        var alice = peers.peer(relay, "alice", new AudioInput.Tone(440), new VideoInput.Synthetic(640, 480, 30, 170));
        var bob = peers.peer(relay, "bob", new AudioInput.Headless(), new VideoInput.Synthetic(640, 480, 30, 90));
        long dm = alice.client.openDm(bob.id()).id();
        CallViewModel vm = new CallViewModel(bob.session, Platform::runLater, new CallText(Locale.ENGLISH),
                Clock.systemUTC(), id -> id == alice.id() ? "Alice Example" : "?", conv -> "Alice Example",
                missed -> { });
        IncomingCallWindow incoming = new IncomingCallWindow(vm, null);
        // A "screen" of known content (no X server here): a 640x360 picture of luma ~150 (grey 157).
        int[] screenPixels = new int[640 * 360];
        java.util.Arrays.fill(screenPixels, 0xff9d9d9d);
        CallWindow window = new CallWindow(vm, () -> () -> new VideoImage(640, 360, screenPixels, System.nanoTime()));
        Stage[] stages = fx(() -> new Stage[] {show(incoming.build(), 360, 200), show(window.build(), 800, 600)});

        alice.session.call(dm, CallMedia.VIDEO);
        await().atMost(WAIT).until(() -> vm.phaseProperty().get() == CallViewModel.Phase.INCOMING);
        String who = fx(() -> ((Label) stages[0].getScene().lookup("#incomingTitle")).getText());
        assertEquals("Alice Example is calling you (video)", who);
        save(stages[0], "incoming-call.png");

        fx(() -> {
            ((Button) stages[0].getScene().lookup("#acceptButton")).fire();
            return null;
        });
        await().atMost(WAIT).until(() -> bob.session.state() instanceof CallState.Active);
        await().atMost(WAIT).until(() -> fx(() -> {
            ImageView remote = (ImageView) stages[1].getScene().lookup("#remoteVideo");
            return remote.getImage() != null && remote.getImage().getWidth() == 640;
        }));
        // a few seconds in, so the timer and the bitrate have something to show
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            fx(() -> {
                vm.tick();
                return null;
            });
            return fx(() -> ((Label) stages[1].getScene().lookup("#callQuality")).getText()).contains("kbit/s")
                    && fx(() -> ((Label) stages[1].getScene().lookup("#callTimer")).getText()).compareTo("00:02")
                    >= 0;
        });
        String quality = fx(() -> ((Label) stages[1].getScene().lookup("#callQuality")).getText());
        assertTrue(quality.startsWith("LAN direct"), quality);
        save(stages[1], "call-in-progress.png");

        // Share the "screen": the banner shows, and Alice receives the shared picture instead of Bob's camera.
        fx(() -> {
            ((Button) stages[1].getScene().lookup("#shareButton")).fire();
            return null;
        });
        await().atMost(WAIT).until(() -> fx(() -> stages[1].getScene().lookup("#sharingBanner").isVisible()));
        alice.awaitRemote(img -> img.width() == 640 && img.height() == 360
                && Math.abs(img.luma(320, 180) - 151) <= 12, WAIT);
        await().atMost(WAIT).until(() -> fx(() -> ((ImageView) stages[1].getScene().lookup("#localVideo"))
                .getImage() != null && ((ImageView) stages[1].getScene().lookup("#localVideo")).getImage()
                .getHeight() == 360));
        save(stages[1], "call-sharing-screen.png");
        fx(() -> {
            ((Button) stages[1].getScene().lookup("#shareButton")).fire();
            return null;
        });
        await().atMost(WAIT).until(() -> fx(() -> !stages[1].getScene().lookup("#sharingBanner").isVisible()));

        // Ctrl+Shift+V: Bob switches to audio; Alice stops receiving his picture, Bob's self view goes.
        fx(() -> {
            Parent root = stages[1].getScene().getRoot();
            javafx.event.Event.fireEvent(root, new javafx.scene.input.KeyEvent(
                    javafx.scene.input.KeyEvent.KEY_PRESSED, "", "", javafx.scene.input.KeyCode.V, true, true,
                    false, false));
            return null;
        });
        await().atMost(WAIT).until(() -> !bob.session.video());
        assertEquals("Switch to video", fx(() -> ((Button) stages[1].getScene().lookup("#videoButton")).getText()));
        assertTrue(!fx(() -> stages[1].getScene().lookup("#localVideo").isVisible()));
        alice.awaitNoRemoteVideoFor(Duration.ofSeconds(1), WAIT);
        // Alice goes audio too: within about a second without frames Bob's window shows the phone instead.
        alice.session.setVideo(false);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> fx(() -> {
            vm.tick();
            return stages[1].getScene().lookup("#noRemoteVideo").isVisible()
                    && !stages[1].getScene().lookup("#remoteVideo").isVisible();
        }));
        save(stages[1], "call-audio.png");
        // The button: Bob back to video, Alice sees his picture again.
        fx(() -> {
            ((Button) stages[1].getScene().lookup("#videoButton")).fire();
            return null;
        });
        alice.awaitRemote(img -> img.width() == 640 && Math.abs(img.luma(16, 16) - 90) <= 12, WAIT);
        assertEquals("Switch to audio", fx(() -> ((Button) stages[1].getScene().lookup("#videoButton")).getText()));

        fx(() -> {
            ((Button) stages[1].getScene().lookup("#hangUpButton")).fire();
            return null;
        });
        alice.awaitEnded(WAIT);
        await().atMost(WAIT).until(() -> vm.phaseProperty().get() == CallViewModel.Phase.ENDED);
        fx(() -> {
            stages[0].close();
            stages[1].close();
            return null;
        });
    }

    private static Stage show(Parent root, double w, double h) {
        Stage stage = new Stage();
        stage.setScene(new Scene(root, w, h));
        stage.show();
        return stage;
    }

}
