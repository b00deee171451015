package dev.parley.desktop.call;

import dev.parley.protocol.CallEndReason;
import dev.parley.protocol.CallMedia;
import dev.parley.protocol.IceServer;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.Signal;
import dev.parley.protocol.SignalKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The call state machine against a fake engine and fake signaling: no FX, no WebRTC, no relay. */
class CallSessionTest {
    private static final Signal CANDIDATE = new Signal(SignalKind.ICE, null, "candidate:1 1 udp 1 10.0.0.1 5 typ host",
            "0", 0);

    private final ExecutorService callThread = Executors.newSingleThreadExecutor();
    private final FakeSignaling signaling = new FakeSignaling();
    private final FakeEngine engine = new FakeEngine();
    private final CallSession session = new CallSession(engine, signaling, callThread,
            Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC), IcePolicy.ALL);

    @AfterEach
    void stop() throws InterruptedException {
        callThread.shutdown();
        callThread.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Runs everything queued on the call thread so far (and what it queued in turn, a few rounds deep). */
    private void settle() {
        for (int i = 0; i < 5; i++) {
            CompletableFuture.runAsync(() -> { }, callThread).join();
        }
    }

    private void outgoingAnswered() {
        outgoingAnswered(CallMedia.VIDEO);
    }

    private void outgoingAnswered(CallMedia media) {
        session.call(7, media);
        settle();
        session.accepted(new ServerMessage.CallAccepted("c1", 7));
        settle();
    }

    /** Rings DM 7 (audio); the relay's ack is the returned future, left for the test to complete. */
    private CompletableFuture<String> callWithPendingAck() {
        CompletableFuture<String> ack = new CompletableFuture<>();
        signaling.nextInvite = ack;
        session.call(7, CallMedia.AUDIO);
        settle();
        return ack;
    }

    @Test
    void callerSendsTheOfferAndQueuesCandidatesUntilTheAnswer() {
        outgoingAnswered();
        FakePeer peer = engine.peers.getFirst();
        assertEquals(List.of(SignalKind.OFFER), signaling.sent.stream().map(Signal::kind).toList());
        assertInstanceOf(CallState.Connecting.class, session.state());

        session.signal(new ServerMessage.CallSignal("c1", 2, CANDIDATE));
        settle();
        assertTrue(peer.candidates.isEmpty(), "no candidate before the remote description");

        session.signal(new ServerMessage.CallSignal("c1", 2, new Signal(SignalKind.ANSWER, "v=0 a", null, null,
                null)));
        settle();
        assertEquals(1, peer.candidates.size(), "queued candidate applied once the answer is set");

        session.signal(new ServerMessage.CallSignal("c1", 2, CANDIDATE));
        settle();
        assertEquals(2, peer.candidates.size());

        peer.listener.stateChanged(PeerState.CONNECTED);
        settle();
        CallState.Active active = assertInstanceOf(CallState.Active.class, session.state());
        assertEquals(1_000, active.connectedAtMillis());
    }

    @Test
    void calleeAnswersTheOfferAndForwardsItsCandidates() {
        session.ring(new ServerMessage.CallRing("c9", 3, 42, CallMedia.AUDIO));
        settle();
        assertEquals(new CallState.Incoming("c9", 3, 42, CallMedia.AUDIO), session.state());
        session.signal(new ServerMessage.CallSignal("c9", 42, CANDIDATE));
        session.accept();
        settle();
        assertEquals(List.of("c9"), signaling.accepted);
        FakePeer peer = engine.peers.getFirst();
        assertEquals(false, peer.config.video());
        session.signal(new ServerMessage.CallSignal("c9", 42, CANDIDATE));
        session.signal(new ServerMessage.CallSignal("c9", 42, new Signal(SignalKind.OFFER, "v=0 o", null, null,
                null)));
        settle();
        assertEquals(List.of(SignalKind.ANSWER), signaling.sent.stream().map(Signal::kind).toList());
        assertEquals(1, peer.candidates.size());
        peer.listener.iceCandidate(CANDIDATE);
        settle();
        assertEquals(2, signaling.sent.size());
    }

    @Test
    void everyEndingClosesThePeerExactlyOnce() {
        outgoingAnswered();
        FakePeer peer = engine.peers.getFirst();
        session.hangUp();
        session.ended(new ServerMessage.CallEnded("c1", 7, CallEndReason.HUNG_UP, 5L));
        session.connectionChanged(false);
        session.close();
        settle();
        assertEquals(1, peer.closed);
        assertEquals(List.of("c1"), signaling.hungUp);
        CallState.Ended ended = assertInstanceOf(CallState.Ended.class, session.state());
        assertEquals(CallEndReason.HUNG_UP, ended.reason());
        assertEquals(5L, ended.durationMs(), "the relay's duration wins");
    }

    @Test
    void aLostRelayConnectionEndsTheCallLocally() {
        outgoingAnswered();
        session.connectionChanged(false);
        settle();
        assertEquals(1, engine.peers.getFirst().closed);
        assertEquals(CallEndReason.CONNECTION_LOST,
                assertInstanceOf(CallState.Ended.class, session.state()).reason());
    }

    @Test
    void aCameraThatCannotBeOpenedEndsTheCallWithTheReasonOnBothSides() {
        engine.failOpen = true;
        session.ring(new ServerMessage.CallRing("c9", 3, 42, CallMedia.VIDEO));
        settle();
        session.accept();
        settle();
        assertEquals(List.of("c9"), signaling.hungUp, "the caller is not left ringing");
        CallState.Ended answered = assertInstanceOf(CallState.Ended.class, session.state());
        assertTrue(answered.failure().contains("could not open the camera or microphone"), answered.failure());
        assertTrue(answered.failure().contains("Start video capture failed"), answered.failure());

        session.call(7, CallMedia.VIDEO);
        settle();
        session.accepted(new ServerMessage.CallAccepted("c1", 7));
        settle();
        assertEquals(List.of("c9", "c1"), signaling.hungUp, "the callee is not left connecting");
        assertInstanceOf(CallState.Ended.class, session.state());
        assertTrue(engine.peers.isEmpty());
    }

    @Test
    void mediaFailureHangsUp() {
        outgoingAnswered();
        engine.peers.getFirst().listener.stateChanged(PeerState.FAILED);
        settle();
        assertEquals(List.of("c1"), signaling.hungUp);
        CallState.Ended ended = assertInstanceOf(CallState.Ended.class, session.state());
        assertTrue(ended.failure().contains("media connection failed"));
    }

    @Test
    void hangingUpBeforeTheInviteIsAcknowledgedCancelsIt() {
        CompletableFuture<String> ack = callWithPendingAck();
        session.hangUp();
        settle();
        ack.complete("late");
        settle();
        assertEquals(List.of("late"), signaling.hungUp);
        assertEquals("late", assertInstanceOf(CallState.Ended.class, session.state()).callId());
    }

    @Test
    void busyBeforeTheAckIsTaken() {
        CompletableFuture<String> ack = callWithPendingAck();
        session.ended(new ServerMessage.CallEnded("c5", 7, CallEndReason.BUSY, null));
        settle();
        assertEquals(CallEndReason.BUSY, assertInstanceOf(CallState.Ended.class, session.state()).reason());
        assertTrue(engine.peers.isEmpty());
    }

    @Test
    void callingEachOtherAtOnceAnswersTheCallTheRelayTookFirst() {
        CompletableFuture<String> ack = new CompletableFuture<>();
        signaling.nextInvite = ack;
        List<CallState> seen = new CopyOnWriteArrayList<>();
        session.addListener(seen::add);
        session.call(7, CallMedia.VIDEO);
        settle();
        // The other side's invite reached the relay first: its ring overtakes the refusal of ours.
        session.ring(new ServerMessage.CallRing("theirs", 7, 42, CallMedia.AUDIO));
        settle();
        ack.completeExceptionally(new IllegalStateException("you are already in a call; hang up first"));
        settle();

        assertEquals(List.of("theirs"), signaling.accepted);
        CallState.Connecting connecting = assertInstanceOf(CallState.Connecting.class, session.state());
        assertEquals("theirs", connecting.callId());
        assertEquals(false, connecting.caller());
        assertEquals(false, engine.peers.getFirst().config.video(), "the call keeps the media it was started with");
        assertTrue(seen.stream().noneMatch(s -> s instanceof CallState.Incoming), "answered without ringing");
        assertTrue(signaling.hungUp.isEmpty());
    }

    @Test
    void aRingFromSomeoneElseWhileOurInviteIsPendingRingsOnceTheRelayRefusesOurs() {
        CompletableFuture<String> ack = callWithPendingAck();
        session.ring(new ServerMessage.CallRing("other", 9, 5, CallMedia.VIDEO));
        settle();
        assertEquals(new CallState.Outgoing(7, CallMedia.AUDIO, null), session.state(), "our call still rings");
        List<CallState> seen = new CopyOnWriteArrayList<>();
        session.addListener(seen::add);
        ack.completeExceptionally(new IllegalStateException("you are already in a call; hang up first"));
        settle();
        assertEquals(new CallState.Incoming("other", 9, 5, CallMedia.VIDEO), session.state());
        assertEquals(List.of(session.state()), seen, "straight to the ring, no failure shown first");
        assertTrue(signaling.accepted.isEmpty(), "rung, not answered");
    }

    @Test
    void aDeferredRingThatWasCancelledMeanwhileIsNotShown() {
        CompletableFuture<String> ack = callWithPendingAck();
        session.ring(new ServerMessage.CallRing("other", 9, 5, CallMedia.AUDIO));
        session.ended(new ServerMessage.CallEnded("other", 9, CallEndReason.CANCELLED, null));
        settle();
        assertEquals(new CallState.Outgoing(7, CallMedia.AUDIO, null), session.state());
        ack.completeExceptionally(new IllegalStateException("you are already in a call; hang up first"));
        settle();
        assertInstanceOf(CallState.Ended.class, session.state());
    }

    @Test
    void cancellingOurPendingInviteShowsTheDeferredRing() {
        callWithPendingAck();
        session.ring(new ServerMessage.CallRing("other", 9, 5, CallMedia.AUDIO));
        session.hangUp();
        settle();
        assertEquals(new CallState.Incoming("other", 9, 5, CallMedia.AUDIO), session.state());
    }

    @Test
    void aSecondRingDuringACallIsIgnoredAndOldPeerEventsToo() {
        outgoingAnswered();
        FakePeer first = engine.peers.getFirst();
        session.ring(new ServerMessage.CallRing("other", 9, 5, CallMedia.AUDIO));
        settle();
        assertInstanceOf(CallState.Connecting.class, session.state());
        session.hangUp();
        settle();
        first.listener.stateChanged(PeerState.CONNECTED);
        settle();
        assertInstanceOf(CallState.Ended.class, session.state());
    }

    @Test
    void muteAndCameraReachThePeer() {
        outgoingAnswered();
        session.setMuted(true);
        session.setCameraOn(false);
        settle();
        FakePeer peer = engine.peers.getFirst();
        assertTrue(peer.muted);
        assertTrue(!peer.cameraOn);
        assertTrue(session.muted());
    }

    @Test
    void anAudioCallSwitchesToVideoAndBackWithoutANewOffer() {
        outgoingAnswered(CallMedia.AUDIO);
        FakePeer peer = engine.peers.getFirst();
        assertEquals(false, peer.config.video(), "an audio call opens with the camera off");
        assertEquals(false, session.video());

        session.setCameraOn(false);
        session.setVideo(true);
        settle();
        assertEquals(List.of(true), peer.videoSwitches);
        assertTrue(session.video());
        assertTrue(session.cameraOn(), "switching to video starts with the camera on");

        session.setVideo(true); // already on: nothing to do
        session.setVideo(false);
        settle();
        assertEquals(List.of(true, false), peer.videoSwitches);
        assertEquals(false, session.video());
        assertEquals(List.of(SignalKind.OFFER), signaling.sent.stream().map(Signal::kind).toList(),
                "the video line was negotiated up front: no second offer");
    }

    @Test
    void switchingWhileRingingDecidesHowThePeerOpens() {
        session.call(7, CallMedia.AUDIO);
        settle();
        session.setVideo(true);
        settle();
        session.accepted(new ServerMessage.CallAccepted("c1", 7));
        settle();
        assertEquals(true, engine.peers.getFirst().config.video());
        assertTrue(engine.peers.getFirst().videoSwitches.isEmpty());
    }

    @Test
    void hangingUpRightAfterASwitchClosesThePeerOnceAndLaterSwitchesAreIgnored() {
        session.call(7, CallMedia.AUDIO);
        settle();
        session.accepted(new ServerMessage.CallAccepted("c1", 7));
        session.setVideo(true);
        session.hangUp();
        session.setVideo(false);
        settle();
        FakePeer peer = engine.peers.getFirst();
        assertEquals(1, peer.closed);
        assertEquals(List.of(true), peer.videoSwitches, "nothing reaches a closed peer");
        assertInstanceOf(CallState.Ended.class, session.state());
    }

    @Test
    void aFailingCameraLeavesTheCallAsItWas() {
        outgoingAnswered(CallMedia.AUDIO);
        engine.peers.getFirst().failVideo = true;
        session.setVideo(true);
        settle();
        assertEquals(false, session.video());
        assertInstanceOf(CallState.Connecting.class, session.state());
    }

    @Test
    void anAudioCallCanShareTheScreen() {
        outgoingAnswered(CallMedia.AUDIO);
        session.startScreenShare(() -> new VideoImage(2, 2, new int[4], 0));
        settle();
        assertTrue(session.sharing());
        assertEquals(1, engine.peers.getFirst().screenShares);
    }

    private static final class FakeSignaling implements CallSignaling {
        final List<Signal> sent = new CopyOnWriteArrayList<>();
        final List<String> accepted = new CopyOnWriteArrayList<>();
        final List<String> hungUp = new CopyOnWriteArrayList<>();
        CompletableFuture<String> nextInvite;

        @Override
        public CompletableFuture<String> invite(long conv, CallMedia media) {
            return nextInvite != null ? nextInvite : CompletableFuture.completedFuture("c1");
        }

        @Override
        public CompletableFuture<Void> accept(String callId) {
            accepted.add(callId);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> decline(String callId) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> hangup(String callId) {
            hungUp.add(callId);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void signal(String callId, Signal signal) {
            sent.add(signal);
        }

        @Override
        public List<IceServer> iceServers() {
            return List.of();
        }
    }

    private static final class FakeEngine implements CallEngine {
        volatile boolean failOpen;
        final List<FakePeer> peers = new CopyOnWriteArrayList<>();

        @Override
        public List<MediaDevice> cameras() {
            return List.of();
        }

        @Override
        public List<MediaDevice> microphones() {
            return List.of();
        }

        @Override
        public List<MediaDevice> speakers() {
            return List.of();
        }

        @Override
        public void choose(MediaDevice camera, MediaDevice microphone, MediaDevice speaker) {
        }

        @Override
        public DevicePreview preview(MediaDevice camera, MediaDevice microphone, DevicePreview.Listener listener) {
            return DevicePreview.NONE;
        }

        @Override
        public MediaPeer open(PeerConfig config, MediaPeer.Listener listener) {
            if (failOpen) {
                // As webrtc-java reports a camera that another program holds.
                throw new Error("Start video capture failed");
            }
            FakePeer peer = new FakePeer(config, listener);
            peers.add(peer);
            return peer;
        }

        @Override
        public void close() {
        }
    }

    private static final class FakePeer implements MediaPeer {
        final PeerConfig config;
        final Listener listener;
        final List<Signal> candidates = new ArrayList<>();
        int closed;
        boolean muted;
        boolean cameraOn = true;
        final List<Boolean> videoSwitches = new ArrayList<>();
        boolean failVideo;
        int screenShares;

        FakePeer(PeerConfig config, Listener listener) {
            this.config = config;
            this.listener = listener;
        }

        @Override
        public CompletableFuture<String> createOffer() {
            return CompletableFuture.completedFuture("v=0 offer");
        }

        @Override
        public CompletableFuture<String> answer(String offerSdp) {
            return CompletableFuture.completedFuture("v=0 answer");
        }

        @Override
        public CompletableFuture<Void> acceptAnswer(String answerSdp) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void addRemoteCandidate(Signal candidate) {
            candidates.add(candidate);
        }

        @Override
        public void setMicrophoneMuted(boolean muted) {
            this.muted = muted;
        }

        @Override
        public void setCameraOn(boolean on) {
            this.cameraOn = on;
        }

        @Override
        public void setVideo(boolean on) {
            if (closed > 0) {
                throw new IllegalStateException("closed");
            }
            if (failVideo) {
                throw new IllegalStateException("no camera");
            }
            videoSwitches.add(on);
        }

        @Override
        public void startScreenShare(ScreenSource source) {
            screenShares++;
        }

        @Override
        public void stopScreenShare() {
        }

        @Override
        public CompletableFuture<CallStats> stats() {
            return CompletableFuture.completedFuture(CallStats.NONE);
        }

        @Override
        public void close() {
            closed++;
        }
    }
}
