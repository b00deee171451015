package dev.parley.desktop.call;

import dev.parley.desktop.support.RelayFixture;
import dev.parley.protocol.CallEndReason;
import dev.parley.protocol.CallMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.time.Duration;
import java.util.Arrays;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Switching between audio and video during a call, with two real webrtc-java peers through a real relay: an audio
 * call carries no picture, switching one side to video makes its synthetic picture (a known luma) arrive at the
 * other side without a new offer, switching back makes the frames stop, and the 440 Hz tone is heard throughout.
 * Screen sharing works from an audio call, and hanging up in the middle of a switch ends cleanly.
 */
@Timeout(90)
// Native peers run only in Surefire's own webrtc fork (or an IDE), never in the shared default or xvfb forks.
@DisabledIfSystemProperty(named = "parley.fork", matches = "default|xvfb")
class CallSwitchWebRtcIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Longer than the gap between two frames at 30 fps (or a 10 fps share) by far: the sender stopped. */
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final int ONE_SECOND = 48_000;
    private RelayFixture relay;
    private CallPeers peers;
    private CallPeers.Peer alice;
    private CallPeers.Peer bob;

    @BeforeEach
    void audioCall() {
        relay = RelayFixture.start();
        peers = new CallPeers();
        alice = peers.peer(relay, "alice", new AudioInput.Tone(440), new VideoInput.Synthetic(320, 240, 30, 200));
        bob = peers.peer(relay, "bob", new AudioInput.Headless(), new VideoInput.Synthetic(320, 240, 30, 60));
        long dm = alice.client.openDm(bob.id()).id();
        alice.session.call(dm, CallMedia.AUDIO);
        bob.awaitState(CallState.Incoming.class, WAIT);
        bob.session.accept();
        alice.awaitState(CallState.Active.class, WAIT);
        bob.awaitState(CallState.Active.class, WAIT);
    }

    @AfterEach
    void stop() {
        peers.close();
        relay.close();
    }

    /** Waits for another {@code samples} of received audio and checks it is still the 440 Hz tone. */
    private void awaitToneFor(int samples) {
        int from = bob.audio.samples();
        await().atMost(WAIT).until(() -> bob.audio.samples() >= from + samples
                && Math.abs(bob.audio.frequency(24_000) - 440) <= 20);
    }

    @Test
    void anAudioCallSwitchesToVideoAndBackWithTheToneThroughout() {
        // A second of the tone, time enough for a first frame in a video call (~200 ms): none came.
        awaitToneFor(ONE_SECOND);
        assertEquals(0, bob.remoteFrames, "an audio call sends no picture");
        assertEquals(0, alice.remoteFrames, "an audio call sends no picture");
        assertEquals(0, bob.session.stats().join().framesDecoded());

        alice.session.setVideo(true);
        await().atMost(WAIT).until(alice.session::video);
        bob.awaitRemote(img -> img.width() == 320 && Math.abs(img.luma(16, 16) - 200) <= 12, WAIT);
        awaitToneFor(ONE_SECOND / 2);
        assertEquals(0, alice.remoteFrames, "only the side that switched sends video");

        alice.session.setVideo(false);
        await().atMost(WAIT).until(() -> !alice.session.video());
        bob.awaitNoRemoteVideoFor(QUIET, WAIT);
        long framesAfterSwitchingOff = bob.remoteFrames;
        awaitToneFor(ONE_SECOND / 2);
        assertEquals(framesAfterSwitchingOff, bob.remoteFrames, "no picture once switched back to audio");

        // The other direction, and again on the same peer: nothing was renegotiated, so it can go on.
        bob.session.setVideo(true);
        alice.awaitRemote(img -> Math.abs(img.luma(16, 16) - 60) <= 12, WAIT);
        alice.session.setVideo(true);
        long before = bob.remoteFrames;
        bob.awaitRemote(img -> Math.abs(img.luma(16, 16) - 200) <= 12, WAIT);
        assertTrue(bob.remoteFrames > before);
        awaitToneFor(ONE_SECOND / 2);

        alice.session.hangUp();
        assertEquals(CallEndReason.HUNG_UP, alice.awaitEnded(WAIT).reason());
        assertEquals(CallEndReason.HUNG_UP, bob.awaitEnded(WAIT).reason());
    }

    @Test
    void anAudioCallSharesTheScreenAndHangingUpMidSwitchEndsCleanly() {
        // A "screen" of known content (no X server in this fork): grey 157 has luma ~151.
        int[] pixels = new int[640 * 360];
        Arrays.fill(pixels, 0xff9d9d9d);
        bob.session.startScreenShare(() -> new VideoImage(640, 360, pixels, System.nanoTime()));
        await().atMost(WAIT).until(bob.session::sharing);
        alice.awaitRemote(img -> img.width() == 640 && Math.abs(img.luma(320, 180) - 151) <= 12, WAIT);

        bob.session.stopScreenShare();
        await().atMost(WAIT).until(() -> !bob.session.sharing());
        alice.awaitNoRemoteVideoFor(QUIET, WAIT);
        awaitToneFor(ONE_SECOND / 4);

        // Hang up while the switch is under way: the session orders both on its call thread, the peer closes once.
        alice.session.setVideo(true);
        alice.session.hangUp();
        assertEquals(CallEndReason.HUNG_UP, alice.awaitEnded(WAIT).reason());
        assertEquals(CallEndReason.HUNG_UP, bob.awaitEnded(WAIT).reason());
        alice.session.setVideo(false); // after the end: ignored, nothing native is touched
        assertTrue(alice.session.state() instanceof CallState.Ended);
    }
}
