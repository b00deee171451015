package dev.parley.desktop.call;

import dev.parley.desktop.support.MutableClock;
import dev.parley.protocol.CallEndReason;
import dev.parley.protocol.CallMedia;
import dev.parley.protocol.IceServer;
import dev.parley.protocol.Signal;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The call view model without FX: state snapshots fed straight in (the session is only the command target), UI
 * executor {@code Runnable::run}.
 */
class CallViewModelTest {
    private final List<String> missed = new ArrayList<>();
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(65_000), ZoneOffset.UTC);
    private final CallSession session = new CallSession(new NoEngine(), new NoSignaling(), Runnable::run, clock,
            IcePolicy.ALL);
    private final CallViewModel vm = new CallViewModel(session, Runnable::run, new CallText(Locale.ENGLISH), clock,
            id -> id == 42 ? "Alice" : "?", conv -> "Alice", missed::add);

    @Test
    void ringingThenMissedNotifies() {
        vm.stateChanged(new CallState.Incoming("c", 3, 42, CallMedia.VIDEO));
        assertEquals(CallViewModel.Phase.INCOMING, vm.phaseProperty().get());
        assertEquals("Alice is calling you (video)", vm.titleProperty().get());
        assertTrue(vm.videoProperty().get());
        vm.stateChanged(new CallState.Ended("c", 3, CallEndReason.NO_ANSWER, null, null));
        assertEquals(CallViewModel.Phase.NONE, vm.phaseProperty().get(), "a missed call opens no call window");
        assertEquals(List.of("Missed call from Alice"), missed);
    }

    @Test
    void declinedIsNotMissed() {
        vm.stateChanged(new CallState.Incoming("c", 3, 42, CallMedia.AUDIO));
        vm.stateChanged(new CallState.Ended("c", 3, CallEndReason.DECLINED, null, null));
        assertTrue(missed.isEmpty());
        assertEquals("Call declined", vm.titleProperty().get());
    }

    @Test
    void activeShowsTheTimerAndEndedClearsVideo() {
        vm.stateChanged(new CallState.Outgoing(3, CallMedia.VIDEO, "c"));
        assertEquals("Calling Alice…", vm.titleProperty().get());
        vm.stateChanged(new CallState.Active("c", 3, CallMedia.VIDEO, true, 0));
        assertEquals("In call with Alice", vm.titleProperty().get());
        assertEquals("01:05", vm.timerProperty().get());
        vm.remoteVideo(new VideoImage(2, 2, new int[4], 0));
        assertEquals(2, vm.remoteFrameProperty().get().width());
        vm.stateChanged(new CallState.Ended("c", 3, CallEndReason.CONNECTION_LOST, 65_000L, "network gone"));
        assertEquals("Connection lost: network gone", vm.titleProperty().get());
        assertNull(vm.remoteFrameProperty().get());
        vm.dismiss();
        assertEquals(CallViewModel.Phase.NONE, vm.phaseProperty().get());
    }

    @Test
    void theSwitchFollowsTheSessionWithoutFx() {
        vm.call(3, CallMedia.AUDIO);
        assertEquals(CallViewModel.Phase.OUTGOING, vm.phaseProperty().get());
        assertEquals(false, vm.videoProperty().get());
        vm.toggleVideo();
        assertTrue(vm.videoProperty().get(), "the session took the switch and told the view model");
        assertTrue(session.video());
        vm.toggleVideo();
        assertEquals(false, vm.videoProperty().get());
    }

    @Test
    void remoteVideoShowsWhileFramesArriveAndGoesAfterASecondWithout() {
        MutableClock now = new MutableClock(Instant.ofEpochMilli(10_000));
        CallViewModel model = new CallViewModel(session, Runnable::run, new CallText(Locale.ENGLISH), now,
                id -> "Alice", conv -> "Alice", missed::add);
        model.stateChanged(new CallState.Active("c", 3, CallMedia.AUDIO, true, 10_000));
        assertEquals(false, model.remoteVideoProperty().get(), "an audio call starts without remote video");
        model.remoteVideo(new VideoImage(2, 2, new int[4], 0));
        assertTrue(model.remoteVideoProperty().get());
        now.advance(Duration.ofMillis(CallViewModel.REMOTE_VIDEO_TIMEOUT_MS));
        model.tick();
        assertTrue(model.remoteVideoProperty().get(), "exactly the timeout: still shown");
        now.advance(Duration.ofMillis(1));
        model.tick();
        assertEquals(false, model.remoteVideoProperty().get(), "no frame for over a second: hidden");
        model.remoteVideo(new VideoImage(2, 2, new int[4], 0));
        assertTrue(model.remoteVideoProperty().get(), "frames again: shown again");
        model.stateChanged(new CallState.Ended("c", 3, CallEndReason.HUNG_UP, 1L, null));
        assertEquals(false, model.remoteVideoProperty().get());
    }

    @Test
    void aClosedViewModelDropsUpdatesStillQueuedForTheUi() {
        List<Runnable> queued = new ArrayList<>();
        List<Long> lookedUp = new ArrayList<>();
        CallViewModel model = new CallViewModel(session, queued::add, new CallText(Locale.ENGLISH), clock,
                id -> "Alice", conv -> {
                    lookedUp.add(conv);
                    return "Alice";
                }, missed::add);
        model.stateChanged(new CallState.Ended("c", 3, CallEndReason.HUNG_UP, 1L, null));
        model.close();
        queued.forEach(Runnable::run);
        assertTrue(lookedUp.isEmpty(), "no name looked up after close (the cache may be gone)");
        assertEquals(CallViewModel.Phase.NONE, model.phaseProperty().get());
    }

    @Test
    void durationsFormat() {
        assertEquals("00:00", CallText.duration(0));
        assertEquals("59:59", CallText.duration(3_599_000));
        assertEquals("1:00:01", CallText.duration(3_601_000));
    }

    @Test
    void theRingtoneIsAValidWav() {
        byte[] wav = Ringtone.wav();
        assertEquals("RIFF", new String(wav, 0, 4));
        assertEquals("WAVE", new String(wav, 8, 4));
        assertTrue(wav.length > 44 + 22_050);
    }

    private static final class NoEngine implements CallEngine {
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
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    private static final class NoSignaling implements CallSignaling {
        @Override
        public CompletableFuture<String> invite(long conv, CallMedia media) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Void> accept(String callId) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Void> decline(String callId) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Void> hangup(String callId) {
            return new CompletableFuture<>();
        }

        @Override
        public void signal(String callId, Signal signal) {
        }

        @Override
        public List<IceServer> iceServers() {
            return List.of();
        }
    }
}
