package dev.parley.desktop.call;

import dev.parley.desktop.net.CallChannel;
import dev.parley.protocol.CallEndReason;
import dev.parley.protocol.CallMedia;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * This device's side of calls: the state machine between the relay's frames, the user's commands and the media
 * peer. Everything runs on one serial call thread (the injected executor), so relay frames, WebRTC callbacks and
 * clicks never race; it is also the single owner of the {@link MediaPeer}, which it closes in exactly one place
 * ({@link #end}) whatever ended the call: a hang-up, the relay, the other side vanishing, or the app closing.
 * Listeners run on the call thread; view models hop to the UI thread themselves.
 */
public final class CallSession implements CallChannel.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallSession.class);

    /** Called on the call thread (video frames on WebRTC threads). */
    public interface Listener {
        void stateChanged(CallState state);

        default void remoteVideo(VideoImage image) {
        }

        default void localVideo(VideoImage image) {
        }

        default void remoteAudio(short[] pcm, int sampleRate, int channels) {
        }
    }

    private final CallEngine engine;
    private final CallSignaling signaling;
    private final Executor callThread;
    private final Clock clock;
    private final IcePolicy policy;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    // Only touched on the call thread.
    private CallState state = new CallState.Idle();
    private MediaPeer peer;
    private boolean remoteDescriptionSet;
    private final List<Signal> pendingCandidates = new ArrayList<>();
    private boolean muted;
    private boolean cameraOn = true;
    private boolean video;
    private boolean sharing;
    /**
     * A ring from someone else that arrived while our invite was unacknowledged. The relay rang us first, so it will
     * refuse our invite: the ring is shown then, rather than lost with its caller waiting for no answer.
     */
    private ServerMessage.CallRing deferredRing;
    private volatile CallState published = state;

    public CallSession(CallEngine engine, CallSignaling signaling, Executor callThread, Clock clock,
                       IcePolicy policy) {
        this.engine = engine;
        this.signaling = signaling;
        this.callThread = callThread;
        this.clock = clock;
        this.policy = policy;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** The latest state (readable from any thread). */
    public CallState state() {
        return published;
    }

    public boolean muted() {
        return muted;
    }

    public boolean cameraOn() {
        return cameraOn;
    }

    public boolean sharing() {
        return sharing;
    }

    /** Whether this side sends its camera: starts as the call's media, then follows {@link #setVideo}. */
    public boolean video() {
        return video;
    }

    // ---- commands (any thread) ------------------------------------------------------------------------------

    /** Rings the other member of DM {@code conv}. Ignored while another call is under way. */
    public void call(long conv, CallMedia media) {
        callThread.execute(() -> {
            if (busy()) {
                return;
            }
            resetControls(media);
            deferredRing = null;
            setState(new CallState.Outgoing(conv, media, null));
            signaling.invite(conv, media).whenComplete((callId, failure) -> callThread.execute(() ->
                    invited(conv, callId, failure)));
        });
    }

    private void invited(long conv, String callId, Throwable failure) {
        if (!(state instanceof CallState.Outgoing out) || out.conv() != conv || out.callId() != null) {
            // Hung up (or ended) before the relay acknowledged: cancel the call it has just started.
            if (callId != null && !(state instanceof CallState.Outgoing)) {
                signaling.hangup(callId).exceptionally(e -> null);
                if (state instanceof CallState.Ended ended && ended.callId() == null && ended.conv() == conv) {
                    setState(new CallState.Ended(callId, conv, ended.reason(), ended.durationMs(), ended.failure()));
                }
            }
            return;
        }
        if (failure != null) {
            if (deferredRing != null) {
                // Refused because the relay rang us first: not a failure to show, the ring is what matters.
                ringDeferred();
                return;
            }
            end(null, conv, CallEndReason.CONNECTION_LOST, null, "could not start the call: " + message(failure));
            return;
        }
        // Accepted, so the relay no longer rings us for the deferred call (it ended before our invite).
        deferredRing = null;
        setState(new CallState.Outgoing(conv, out.media(), callId));
    }

    /** Answers the ringing call. */
    public void accept() {
        callThread.execute(() -> {
            if (state instanceof CallState.Incoming in) {
                answer(in);
            }
        });
    }

    /** Answers {@code in}, which is the current state. */
    private void answer(CallState.Incoming in) {
        resetControls(in.media());
        // Open the peer before the relay confirms, so the caller's offer always finds it.
        if (!openPeer()) {
            return;
        }
        setState(new CallState.Connecting(in.callId(), in.conv(), in.media(), false));
        signaling.accept(in.callId()).whenComplete((ok, failure) -> {
            if (failure != null) {
                callThread.execute(() -> {
                    if (isCall(in.callId())) {
                        end(in.callId(), in.conv(), CallEndReason.CONNECTION_LOST, null,
                                "could not answer: " + message(failure));
                    }
                });
            }
        });
    }

    public void decline() {
        callThread.execute(() -> {
            if (state instanceof CallState.Incoming in) {
                signaling.decline(in.callId()).exceptionally(e -> null);
                end(in.callId(), in.conv(), CallEndReason.DECLINED, null, null);
            }
        });
    }

    /** Ends whatever is under way: cancels a ringing call, declines an incoming one, hangs up an answered one. */
    public void hangUp() {
        callThread.execute(this::hangUpNow);
    }

    private void hangUpNow() {
        switch (state) {
            case CallState.Idle ignored -> {
            }
            case CallState.Ended ignored -> {
            }
            case CallState.Outgoing out -> {
                if (out.callId() != null) {
                    signaling.hangup(out.callId()).exceptionally(e -> null);
                }
                end(out.callId(), out.conv(), CallEndReason.CANCELLED, null, null);
                ringDeferred();
            }
            case CallState.Incoming in -> {
                signaling.decline(in.callId()).exceptionally(e -> null);
                end(in.callId(), in.conv(), CallEndReason.DECLINED, null, null);
            }
            case CallState.Connecting c -> {
                signaling.hangup(c.callId()).exceptionally(e -> null);
                end(c.callId(), c.conv(), CallEndReason.HUNG_UP, 0L, null);
            }
            case CallState.Active a -> {
                signaling.hangup(a.callId()).exceptionally(e -> null);
                end(a.callId(), a.conv(), CallEndReason.HUNG_UP, clock.millis() - a.connectedAtMillis(), null);
            }
        }
    }

    public void setMuted(boolean mute) {
        callThread.execute(() -> {
            muted = mute;
            if (peer != null) {
                peer.setMicrophoneMuted(mute);
            }
            publish();
        });
    }

    public void setCameraOn(boolean on) {
        callThread.execute(() -> {
            cameraOn = on;
            if (peer != null) {
                peer.setCameraOn(on);
            }
            publish();
        });
    }

    /**
     * Turns an audio call into a video call (camera on) or back (camera off), in either direction any number of
     * times. Every call negotiates a video line, so this is a track swap on the peer, no new offer. Before the peer
     * exists (ringing) it only decides how the call starts.
     */
    public void setVideo(boolean on) {
        callThread.execute(() -> {
            if (!busy() || video == on) {
                return;
            }
            video = on;
            cameraOn = true;
            if (peer != null) {
                try {
                    peer.setVideo(on);
                } catch (RuntimeException e) {
                    // A camera that cannot open leaves the call as it was rather than ending it.
                    LOG.warn("switching video {} failed", on ? "on" : "off", e);
                    video = !on;
                }
            }
            publish();
        });
    }

    /** Shares frames from {@code source} instead of the camera, in audio and video calls alike. */
    public void startScreenShare(ScreenSource source) {
        callThread.execute(() -> {
            if (peer == null || sharing) {
                source.close();
                return;
            }
            try {
                peer.startScreenShare(source);
                sharing = true;
            } catch (RuntimeException e) {
                LOG.warn("screen sharing failed to start", e);
                source.close();
            }
            publish();
        });
    }

    public void stopScreenShare() {
        callThread.execute(() -> {
            if (peer != null && sharing) {
                peer.stopScreenShare();
            }
            sharing = false;
            publish();
        });
    }

    /** The current quality figures, or {@link CallStats#NONE} outside a call. */
    public CompletableFuture<CallStats> stats() {
        CompletableFuture<CallStats> result = new CompletableFuture<>();
        callThread.execute(() -> {
            if (peer == null) {
                result.complete(CallStats.NONE);
            } else {
                peer.stats().whenComplete((s, e) -> {
                    if (e != null) {
                        result.complete(CallStats.NONE);
                    } else {
                        result.complete(s);
                    }
                });
            }
        });
        return result;
    }

    // ---- relay frames (socket thread; hop to the call thread) -----------------------------------------------

    @Override
    public void ring(ServerMessage.CallRing ring) {
        callThread.execute(() -> {
            CallState.Incoming incoming = new CallState.Incoming(ring.callId(), ring.conv(), ring.caller(),
                    ring.media());
            if (state instanceof CallState.Outgoing out && out.callId() == null) {
                // The relay rang us before taking our invite, so it will refuse that invite (we are being rung).
                if (out.conv() == ring.conv()) {
                    // Both called each other at once: our user has just asked to talk to this person, so answer
                    // their call, without ringing. The refusal then finds us no longer Outgoing and is ignored.
                    state = incoming;
                    answer(incoming);
                } else {
                    deferredRing = ring;
                }
                return;
            }
            if (busy()) {
                // The relay answers busy itself when it knows; a second ring here (another device's race) waits.
                return;
            }
            setState(incoming);
        });
    }

    @Override
    public void accepted(ServerMessage.CallAccepted accepted) {
        callThread.execute(() -> {
            if (!(state instanceof CallState.Outgoing out) || !accepted.callId().equals(out.callId())) {
                return;
            }
            if (!openPeer()) {
                return;
            }
            setState(new CallState.Connecting(out.callId(), out.conv(), out.media(), true));
            MediaPeer current = peer;
            peer.createOffer().whenComplete((sdp, failure) -> callThread.execute(() -> {
                if (peer != current) {
                    return;
                }
                if (failure != null) {
                    failMedia("could not create the offer: " + message(failure));
                    return;
                }
                signaling.signal(out.callId(), new Signal(dev.parley.protocol.SignalKind.OFFER, sdp, null, null,
                        null));
            }));
        });
    }

    @Override
    public void signal(ServerMessage.CallSignal message) {
        callThread.execute(() -> onSignal(message));
    }

    private void onSignal(ServerMessage.CallSignal message) {
        if (peer == null || !isCall(message.callId())) {
            return;
        }
        Signal signal = message.signal();
        MediaPeer current = peer;
        String callId = message.callId();
        switch (signal.kind()) {
            case OFFER -> peer.answer(signal.sdp()).whenComplete((sdp, failure) -> callThread.execute(() -> {
                if (peer != current) {
                    return;
                }
                if (failure != null) {
                    failMedia("could not answer the offer: " + message(failure));
                    return;
                }
                signaling.signal(callId, new Signal(dev.parley.protocol.SignalKind.ANSWER, sdp, null, null, null));
                remoteDescriptionSet();
            }));
            case ANSWER -> peer.acceptAnswer(signal.sdp()).whenComplete((ok, failure) -> callThread.execute(() -> {
                if (peer != current) {
                    return;
                }
                if (failure != null) {
                    failMedia("could not apply the answer: " + message(failure));
                    return;
                }
                remoteDescriptionSet();
            }));
            case ICE -> {
                // A candidate before the remote description would be rejected; keep it until then.
                if (remoteDescriptionSet) {
                    peer.addRemoteCandidate(signal);
                } else {
                    pendingCandidates.add(signal);
                }
            }
        }
    }

    private void remoteDescriptionSet() {
        remoteDescriptionSet = true;
        for (Signal candidate : pendingCandidates) {
            peer.addRemoteCandidate(candidate);
        }
        pendingCandidates.clear();
    }

    @Override
    public void ended(ServerMessage.CallEnded ended) {
        callThread.execute(() -> {
            if (isCall(ended.callId())) {
                end(ended.callId(), ended.conv(), ended.reason(), ended.durationMs(), null);
            } else if (deferredRing != null && deferredRing.callId().equals(ended.callId())) {
                deferredRing = null;
            } else if (state instanceof CallState.Outgoing out && out.callId() == null && out.conv() == ended.conv()) {
                // busy/unavailable can overtake our own bookkeeping of the invite's ack
                end(ended.callId(), ended.conv(), ended.reason(), ended.durationMs(), null);
                ringDeferred();
            } else if (state instanceof CallState.Ended done && ended.callId().equals(done.callId())) {
                // We ended it locally first; the relay's account (reason, duration) is the one to keep.
                setState(new CallState.Ended(done.callId(), done.conv(), ended.reason(), ended.durationMs(),
                        done.failure()));
            }
        });
    }

    @Override
    public void connectionChanged(boolean connected) {
        if (connected) {
            return;
        }
        callThread.execute(() -> {
            // Without the relay that ring cannot be answered; its caller hears "no answer" when it times out.
            deferredRing = null;
            switch (state) {
                case CallState.Idle ignored -> {
                }
                case CallState.Ended ignored -> {
                }
                case CallState.Outgoing out -> end(out.callId(), out.conv(), CallEndReason.CONNECTION_LOST, null,
                        "the connection to the relay was lost");
                case CallState.Incoming in -> end(in.callId(), in.conv(), CallEndReason.CONNECTION_LOST, null,
                        "the connection to the relay was lost");
                case CallState.Connecting c -> end(c.callId(), c.conv(), CallEndReason.CONNECTION_LOST, null,
                        "the connection to the relay was lost");
                case CallState.Active a -> end(a.callId(), a.conv(), CallEndReason.CONNECTION_LOST,
                        clock.millis() - a.connectedAtMillis(), "the connection to the relay was lost");
            }
        });
    }

    /** Shows the ring that arrived while our invite was pending, now that our call has ended without starting. */
    private void ringDeferred() {
        ServerMessage.CallRing ring = deferredRing;
        deferredRing = null;
        if (ring != null) {
            setState(new CallState.Incoming(ring.callId(), ring.conv(), ring.caller(), ring.media()));
        }
    }

    // ---- media peer -----------------------------------------------------------------------------------------

    /**
     * Opens the media peer; when the devices cannot be opened (a camera held by another program, access refused)
     * the call ends with that reason and the other side is hung up, instead of staying "ringing" for both.
     */
    private boolean openPeer() {
        remoteDescriptionSet = false;
        pendingCandidates.clear();
        try {
            peer = openMediaPeer();
            return true;
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            // webrtc-java reports native failures (e.g. "Start video capture failed") as java.lang.Error.
            LOG.warn("could not open the media devices", e);
            failMedia("could not open the camera or microphone: " + message(e));
            return false;
        }
    }

    private MediaPeer openMediaPeer() {
        MediaPeer[] self = new MediaPeer[1];
        self[0] = engine.open(new PeerConfig(signaling.iceServers(), video, policy),
                new MediaPeer.Listener() {
                    @Override
                    public void iceCandidate(Signal candidate) {
                        callThread.execute(() -> {
                            if (peer == self[0] && callId() != null) {
                                signaling.signal(callId(), candidate);
                            }
                        });
                    }

                    @Override
                    public void stateChanged(PeerState peerState) {
                        callThread.execute(() -> {
                            if (peer == self[0]) {
                                peerStateChanged(peerState);
                            }
                        });
                    }

                    @Override
                    public void remoteVideo(VideoImage image) {
                        listeners.forEach(l -> l.remoteVideo(image));
                    }

                    @Override
                    public void localVideo(VideoImage image) {
                        listeners.forEach(l -> l.localVideo(image));
                    }

                    @Override
                    public void remoteAudio(short[] pcm, int sampleRate, int channels) {
                        listeners.forEach(l -> l.remoteAudio(pcm, sampleRate, channels));
                    }
                });
        return self[0];
    }

    private void peerStateChanged(PeerState peerState) {
        switch (peerState) {
            case CONNECTED -> {
                if (state instanceof CallState.Connecting c) {
                    setState(new CallState.Active(c.callId(), c.conv(), c.media(), c.caller(), clock.millis()));
                }
            }
            case FAILED -> failMedia("the media connection failed (no network path between the two devices)");
            case NEW, CONNECTING, DISCONNECTED, CLOSED -> {
                // DISCONNECTED often recovers; a lost peer ends the call through the relay or FAILED.
            }
        }
    }

    private void failMedia(String why) {
        String callId = callId();
        if (callId != null) {
            signaling.hangup(callId).exceptionally(e -> null);
        }
        Long duration = state instanceof CallState.Active a ? clock.millis() - a.connectedAtMillis() : null;
        end(callId, conv(), CallEndReason.CONNECTION_LOST, duration, why);
    }

    /** The one place a call ends: the peer is closed here and nowhere else. */
    private void end(String callId, long conv, CallEndReason reason, Long durationMs, String failure) {
        MediaPeer closing = peer;
        peer = null;
        remoteDescriptionSet = false;
        pendingCandidates.clear();
        sharing = false;
        if (closing != null) {
            try {
                closing.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the media peer failed", e);
            }
        }
        setState(new CallState.Ended(callId, conv, reason, durationMs, failure));
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private boolean busy() {
        return switch (state) {
            case CallState.Idle ignored -> false;
            case CallState.Ended ignored -> false;
            case CallState.Outgoing ignored -> true;
            case CallState.Incoming ignored -> true;
            case CallState.Connecting ignored -> true;
            case CallState.Active ignored -> true;
        };
    }

    private String callId() {
        return switch (state) {
            case CallState.Idle ignored -> null;
            case CallState.Ended e -> e.callId();
            case CallState.Outgoing o -> o.callId();
            case CallState.Incoming i -> i.callId();
            case CallState.Connecting c -> c.callId();
            case CallState.Active a -> a.callId();
        };
    }

    private long conv() {
        return switch (state) {
            case CallState.Idle ignored -> 0;
            case CallState.Ended e -> e.conv();
            case CallState.Outgoing o -> o.conv();
            case CallState.Incoming i -> i.conv();
            case CallState.Connecting c -> c.conv();
            case CallState.Active a -> a.conv();
        };
    }

    private boolean isCall(String id) {
        return busy() && id != null && id.equals(callId());
    }

    private void resetControls(CallMedia media) {
        muted = false;
        cameraOn = true;
        video = media == CallMedia.VIDEO;
        sharing = false;
    }

    private void setState(CallState next) {
        state = next;
        publish();
    }

    private void publish() {
        published = state;
        CallState snapshot = state;
        listeners.forEach(l -> l.stateChanged(snapshot));
    }

    private static String message(Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null
                ? t.getCause() : t;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /**
     * Hangs up a call under way and releases its media, waiting up to a few seconds: the app calls this on exit so
     * no native object outlives the window.
     */
    @Override
    public void close() {
        CountDownLatch done = new CountDownLatch(1);
        try {
            callThread.execute(() -> {
                try {
                    hangUpNow();
                } finally {
                    done.countDown();
                }
            });
            done.await(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("call thread already stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
