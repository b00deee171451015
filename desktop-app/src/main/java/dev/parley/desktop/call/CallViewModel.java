package dev.parley.desktop.call;

import dev.parley.protocol.CallEndReason;
import dev.parley.protocol.CallMedia;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * What the call window and the incoming-call window show, as read-only properties updated through the UI executor;
 * commands go to the {@link CallSession}. Video frames are coalesced: only the newest waits for the UI thread, so
 * a slow UI drops frames instead of queueing them.
 */
public final class CallViewModel implements CallSession.Listener {
    /** Which window the UI should show. */
    public enum Phase { NONE, INCOMING, OUTGOING, IN_CALL, ENDED }

    /**
     * How long without a remote frame before the other side counts as not sending video. Nothing in the protocol says
     * when the other side switches its camera off (its video line stays open and simply goes quiet), so the arrival
     * of frames is the signal; a disabled camera still sends black frames, so "camera off" keeps the surface.
     */
    static final long REMOTE_VIDEO_TIMEOUT_MS = 1_000;

    private final CallSession session;
    private final java.util.concurrent.Executor ui;
    private final CallText text;
    private final Clock clock;
    private final LongFunction<String> userName;
    private final LongFunction<String> peerName;
    private final Consumer<String> missedCall;

    private final ReadOnlyObjectWrapper<Phase> phase = new ReadOnlyObjectWrapper<>(Phase.NONE);
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper timer = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper quality = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper muted = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper cameraOn = new ReadOnlyBooleanWrapper(true);
    private final ReadOnlyBooleanWrapper sharing = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper video = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper remoteVideo = new ReadOnlyBooleanWrapper();
    private final AtomicBoolean remoteVideoSeen = new AtomicBoolean();
    private volatile long lastRemoteFrameMillis;
    private final ReadOnlyObjectWrapper<VideoImage> remoteFrame = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<VideoImage> localFrame = new ReadOnlyObjectWrapper<>();
    private final AtomicReference<VideoImage> pendingRemote = new AtomicReference<>();
    private final AtomicReference<VideoImage> pendingLocal = new AtomicReference<>();
    private volatile CallState state = new CallState.Idle();
    private volatile boolean closed;
    private CallState previous = state;

    /**
     * @param userName   a user's display name by id
     * @param peerName   the other member's display name by DM id
     * @param missedCall shows a "missed call" notification with the given text
     */
    public CallViewModel(CallSession session, java.util.concurrent.Executor ui, CallText text, Clock clock,
                         LongFunction<String> userName, LongFunction<String> peerName, Consumer<String> missedCall) {
        this.session = session;
        this.ui = ui;
        this.text = text;
        this.clock = clock;
        this.userName = userName;
        this.peerName = peerName;
        this.missedCall = missedCall;
        session.addListener(this);
    }

    // ---- commands ------------------------------------------------------------------------------------------

    public void call(long conv, CallMedia media) {
        session.call(conv, media);
    }

    public void accept() {
        session.accept();
    }

    public void decline() {
        session.decline();
    }

    public void hangUp() {
        session.hangUp();
    }

    public void toggleMute() {
        session.setMuted(!muted.get());
    }

    public void toggleCamera() {
        session.setCameraOn(!cameraOn.get());
    }

    /** Switches between an audio and a video call (this side's camera on or off). */
    public void toggleVideo() {
        session.setVideo(!video.get());
    }

    public void toggleScreenShare(java.util.function.Supplier<ScreenSource> source) {
        if (sharing.get()) {
            session.stopScreenShare();
        } else {
            session.startScreenShare(source.get());
        }
    }

    /** Closes the ended-call window. */
    public void dismiss() {
        phase.set(Phase.NONE);
    }

    /** Called once a second by the view (UI thread): the call timer, the quality line, whether remote video still flows. */
    public void tick() {
        if (remoteVideoSeen.get() && clock.millis() - lastRemoteFrameMillis > REMOTE_VIDEO_TIMEOUT_MS
                && remoteVideoSeen.compareAndSet(true, false)) {
            remoteVideo.set(false);
        }
        CallState s = state;
        if (s instanceof CallState.Active a) {
            timer.set(CallText.duration(clock.millis() - a.connectedAtMillis()));
            session.stats().thenAccept(stats -> ui.execute(() -> quality.set(describe(stats))));
        }
    }

    private String describe(CallStats s) {
        String rtt = s.rttMs() == null ? "–" : Math.round(s.rttMs()) + " ms";
        String loss = String.format("%.1f %%", s.lossRatio() * 100);
        // The video line is negotiated in audio calls too: name its codec only while a picture arrives.
        String codec = remoteVideo.get() && s.videoCodec() != null ? s.videoCodec()
                : s.audioCodec() != null ? s.audioCodec() : "–";
        return text.t("call.stats", s.path().label(), rtt, loss, codec, Math.round(s.sendKbps()),
                Math.round(s.receiveKbps()));
    }

    // ---- session events (call thread) ------------------------------------------------------------------------

    @Override
    public void stateChanged(CallState next) {
        state = next;
        boolean nowMuted = session.muted();
        boolean nowCamera = session.cameraOn();
        boolean nowSharing = session.sharing();
        boolean nowVideo = session.video();
        ui.execute(() -> apply(next, nowMuted, nowCamera, nowSharing, nowVideo));
    }

    private void apply(CallState next, boolean nowMuted, boolean nowCamera, boolean nowSharing, boolean nowVideo) {
        if (closed) {
            return;
        }
        muted.set(nowMuted);
        cameraOn.set(nowCamera);
        sharing.set(nowSharing);
        video.set(nowVideo);
        switch (next) {
            case CallState.Idle ignored -> phase.set(Phase.NONE);
            case CallState.Outgoing o -> {
                title.set(text.t("call.ringingOut", peerName(o.conv())));
                phase.set(Phase.OUTGOING);
            }
            case CallState.Incoming i -> {
                // What the call will start as once answered (the session's own flag still holds the last call's).
                video.set(i.media() == CallMedia.VIDEO);
                title.set(text.t(i.media() == CallMedia.VIDEO ? "call.incomingVideo" : "call.incomingAudio",
                        userName.apply(i.caller())));
                phase.set(Phase.INCOMING);
            }
            case CallState.Connecting c -> {
                title.set(text.t("call.connecting"));
                timer.set("");
                phase.set(Phase.IN_CALL);
            }
            case CallState.Active a -> {
                title.set(text.t("call.active", peerName(a.conv())));
                timer.set(CallText.duration(clock.millis() - a.connectedAtMillis()));
                phase.set(Phase.IN_CALL);
            }
            case CallState.Ended e -> {
                title.set(text.t("call.ended." + e.reason().name(), peerName(e.conv()))
                        + (e.failure() == null ? "" : ": " + e.failure()));
                remoteFrame.set(null);
                localFrame.set(null);
                remoteVideoSeen.set(false);
                remoteVideo.set(false);
                if (previous instanceof CallState.Incoming in) {
                    // Never answered here: no call window to show, only a notification when it was missed.
                    if (missed(e.reason())) {
                        missedCall.accept(text.t("call.missed", userName.apply(in.caller())));
                    }
                    phase.set(Phase.NONE);
                } else if (!(previous instanceof CallState.Ended)) {
                    phase.set(Phase.ENDED);
                }
            }
        }
        previous = next;
    }

    private static boolean missed(CallEndReason reason) {
        return switch (reason) {
            case NO_ANSWER, CANCELLED -> true;
            case ANSWERED_ELSEWHERE, DECLINED, BUSY, UNAVAILABLE, HUNG_UP, CONNECTION_LOST -> false;
        };
    }

    private String peerName(long conv) {
        return peerName.apply(conv);
    }

    @Override
    public void remoteVideo(VideoImage image) {
        lastRemoteFrameMillis = clock.millis();
        if (remoteVideoSeen.compareAndSet(false, true)) {
            ui.execute(() -> remoteVideo.set(true));
        }
        if (pendingRemote.getAndSet(image) == null) {
            ui.execute(() -> remoteFrame.set(pendingRemote.getAndSet(null)));
        }
    }

    @Override
    public void localVideo(VideoImage image) {
        if (pendingLocal.getAndSet(image) == null) {
            ui.execute(() -> localFrame.set(pendingLocal.getAndSet(null)));
        }
    }

    /**
     * Stops listening: updates still queued for the UI thread are dropped, so none looks up a name after the account
     * it belongs to was closed (sign-out, exit).
     */
    public void close() {
        closed = true;
        session.removeListener(this);
    }

    // ---- properties ------------------------------------------------------------------------------------------

    public ReadOnlyObjectProperty<Phase> phaseProperty() {
        return phase.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty timerProperty() {
        return timer.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty qualityProperty() {
        return quality.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty mutedProperty() {
        return muted.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty cameraOnProperty() {
        return cameraOn.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty sharingProperty() {
        return sharing.getReadOnlyProperty();
    }

    /** Whether this side sends its camera (the call is a video call from here). */
    public ReadOnlyBooleanProperty videoProperty() {
        return video.getReadOnlyProperty();
    }

    /** Whether frames from the other side arrived within the last {@link #REMOTE_VIDEO_TIMEOUT_MS}. */
    public ReadOnlyBooleanProperty remoteVideoProperty() {
        return remoteVideo.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<VideoImage> remoteFrameProperty() {
        return remoteFrame.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<VideoImage> localFrameProperty() {
        return localFrame.getReadOnlyProperty();
    }

    public CallText text() {
        return text;
    }
}
