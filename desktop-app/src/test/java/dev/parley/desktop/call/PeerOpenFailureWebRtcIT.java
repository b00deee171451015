package dev.parley.desktop.call;

import dev.parley.protocol.Signal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer that fails while it is being built (as when a camera is held by another program) releases what it had
 * built already, on the real engine. The failure here is a synthetic picture at 0 frames per second, which fails at
 * the same step as a camera that will not start: the last one, after the factory, the connection and the tone's
 * pusher exist. What is observable from Java is the pusher thread: before the fix it kept pushing the tone into a
 * native source for the rest of the app's life.
 */
@Timeout(60)
// Native objects run only in Surefire's own webrtc fork (or an IDE), never in the shared default or xvfb forks.
@DisabledIfSystemProperty(named = "parley.fork", matches = "default|xvfb")
class PeerOpenFailureWebRtcIT {
    private static final MediaPeer.Listener IGNORE = new MediaPeer.Listener() {
        @Override
        public void iceCandidate(Signal candidate) {
        }

        @Override
        public void stateChanged(PeerState state) {
        }
    };

    private static long mediaThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("parley-media")).count();
    }

    @Test
    void aPeerThatFailsToOpenItsVideoReleasesWhatItBuiltAndTheNextOneWorks() throws Exception {
        long before = mediaThreads();
        CallEngine failing = new WebRtcCallEngine(new AudioInput.Tone(440), new VideoInput.Synthetic(160, 120, 0, 80));

        assertThrows(ArithmeticException.class,
                () -> failing.open(new PeerConfig(List.of(), true, IcePolicy.LOOPBACK), IGNORE));

        // At most as many as before: a pusher an earlier test left may end meanwhile, this one must.
        await().atMost(Duration.ofSeconds(10)).until(() -> mediaThreads() <= before);

        // The native side is still usable: a good peer opens, makes an offer and closes.
        CallEngine working = new WebRtcCallEngine(new AudioInput.Tone(440), new VideoInput.Synthetic(160, 120, 15, 80));
        MediaPeer peer = working.open(new PeerConfig(List.of(), true, IcePolicy.LOOPBACK), IGNORE);
        try {
            CompletableFuture<String> offer = peer.createOffer();
            assertTrue(offer.get(10, TimeUnit.SECONDS).contains("m=video"));
        } finally {
            peer.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> mediaThreads() <= before);
    }
}
