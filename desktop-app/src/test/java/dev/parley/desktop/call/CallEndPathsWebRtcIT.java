package dev.parley.desktop.call;

import dev.parley.desktop.support.RelayFixture;
import dev.parley.protocol.CallEndReason;
import dev.parley.protocol.CallMedia;
import dev.parley.protocol.CallOutcome;
import dev.parley.protocol.LogEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way a call ends, with real peers through a real relay (ring time 2 s): both sides reach {@link CallState.Ended}
 * with the relay's reason, the media is released, and the DM's log holds the right call record.
 */
@Timeout(120)
// Native peers run only in Surefire's own webrtc fork (or an IDE), never in the shared default or xvfb forks.
@DisabledIfSystemProperty(named = "parley.fork", matches = "default|xvfb")
class CallEndPathsWebRtcIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static RelayFixture relay;
    private static int users;

    @BeforeAll
    static void start() {
        relay = RelayFixture.start("--call-ring-seconds", "2");
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    private record Pair(CallPeers peers, CallPeers.Peer caller, CallPeers.Peer callee, long dm) {
    }

    private static Pair pair() {
        CallPeers peers = new CallPeers();
        int n = ++users;
        var caller = peers.peer(relay, "caller" + n, new AudioInput.Tone(440),
                new VideoInput.Synthetic(160, 120, 15, 100));
        var callee = peers.peer(relay, "callee" + n, new AudioInput.Headless(),
                new VideoInput.Synthetic(160, 120, 15, 50));
        return new Pair(peers, caller, callee, caller.client.openDm(callee.id()).id());
    }

    private static LogEvent record(CallPeers.Peer peer, long dm) {
        await().atMost(WAIT).until(() -> !peer.client.calls().history(dm, 10).isEmpty());
        List<LogEvent> history = peer.client.calls().history(dm, 10);
        assertEquals(1, history.size());
        return history.getFirst();
    }

    private static void answered(Pair p) {
        p.caller.session.call(p.dm, CallMedia.VIDEO);
        p.callee.awaitState(CallState.Incoming.class, WAIT);
        p.callee.session.accept();
        p.caller.awaitState(CallState.Active.class, WAIT);
        p.callee.awaitState(CallState.Active.class, WAIT);
    }

    @Test
    void declined() {
        Pair p = pair();
        try (p.peers) {
            p.caller.session.call(p.dm, CallMedia.AUDIO);
            p.callee.awaitState(CallState.Incoming.class, WAIT);
            p.callee.session.decline();
            assertEquals(CallEndReason.DECLINED, p.caller.awaitEnded(WAIT).reason());
            assertEquals(CallEndReason.DECLINED, p.callee.awaitEnded(WAIT).reason());
            assertEquals(CallOutcome.DECLINED, record(p.caller, p.dm).call().outcome());
        }
    }

    @Test
    void cancelledByTheCaller() {
        Pair p = pair();
        try (p.peers) {
            p.caller.session.call(p.dm, CallMedia.VIDEO);
            p.callee.awaitState(CallState.Incoming.class, WAIT);
            p.caller.session.hangUp();
            assertEquals(CallEndReason.CANCELLED, p.caller.awaitEnded(WAIT).reason());
            assertEquals(CallEndReason.CANCELLED, p.callee.awaitEnded(WAIT).reason());
            assertEquals(CallOutcome.MISSED, record(p.callee, p.dm).call().outcome());
        }
    }

    @Test
    void nobodyAnswers() {
        Pair p = pair();
        try (p.peers) {
            p.caller.session.call(p.dm, CallMedia.AUDIO);
            p.callee.awaitState(CallState.Incoming.class, WAIT);
            assertEquals(CallEndReason.NO_ANSWER, p.caller.awaitEnded(WAIT).reason());
            assertEquals(CallEndReason.NO_ANSWER, p.callee.awaitEnded(WAIT).reason());
            LogEvent event = record(p.caller, p.dm);
            assertEquals(CallOutcome.MISSED, event.call().outcome());
            assertEquals(CallEndReason.NO_ANSWER, event.call().reason());
        }
    }

    @Test
    void busyWhileTheCalleeIsInAnotherCall() {
        Pair p = pair();
        try (p.peers) {
            answered(p);
            var third = p.peers.peer(relay, "third" + (++users), new AudioInput.Tone(300),
                    new VideoInput.None());
            long dm = third.client.openDm(p.callee.id()).id();
            third.session.call(dm, CallMedia.AUDIO);
            assertEquals(CallEndReason.BUSY, third.awaitEnded(WAIT).reason());
            assertEquals(CallOutcome.BUSY, record(third, dm).call().outcome());
            // the call in progress is untouched
            assertTrue(p.callee.session.state() instanceof CallState.Active);
            p.callee.session.hangUp();
            assertEquals(CallEndReason.HUNG_UP, p.caller.awaitEnded(WAIT).reason());
            assertEquals(CallEndReason.HUNG_UP, p.callee.awaitEnded(WAIT).reason());
        }
    }

    @Test
    void theOtherSideVanishes() {
        Pair p = pair();
        try (p.peers) {
            answered(p);
            // The callee's app loses its relay connection (closed socket, as when the process dies or the
            // network drops): its own session ends at once, and the relay tells the caller.
            p.callee.client.close();
            CallState.Ended calleeEnd = p.callee.awaitEnded(WAIT);
            assertEquals(CallEndReason.CONNECTION_LOST, calleeEnd.reason());
            CallState.Ended callerEnd = p.caller.awaitEnded(WAIT);
            assertEquals(CallEndReason.CONNECTION_LOST, callerEnd.reason());
            LogEvent event = record(p.caller, p.dm);
            assertEquals(CallOutcome.ANSWERED, event.call().outcome());
            assertEquals(CallEndReason.CONNECTION_LOST, event.call().reason());
            // and a fresh call from the survivor works afterwards (nothing native left in a bad state)
            p.caller.session.call(p.dm, CallMedia.AUDIO);
            assertEquals(CallEndReason.UNAVAILABLE, p.caller.awaitEnded(WAIT).reason());
        }
    }

    @Test
    void closingTheAppMidCallHangsUp() {
        Pair p = pair();
        try (p.peers) {
            answered(p);
            await().atMost(WAIT).until(() -> p.callee.remoteFrames > 5);
            p.caller.session.close();
            assertEquals(CallEndReason.HUNG_UP, p.callee.awaitEnded(WAIT).reason());
            assertEquals(CallOutcome.ANSWERED, record(p.callee, p.dm).call().outcome());
        }
    }
}
