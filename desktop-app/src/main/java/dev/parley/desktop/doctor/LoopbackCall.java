package dev.parley.desktop.doctor;

import dev.parley.desktop.call.ToneMeter;

import dev.parley.desktop.call.AudioInput;
import dev.parley.desktop.call.CallSession;
import dev.parley.desktop.call.CallState;
import dev.parley.desktop.call.CallStats;
import dev.parley.desktop.call.IcePolicy;
import dev.parley.desktop.call.RelayCallSignaling;
import dev.parley.desktop.call.ToneMeter;
import dev.parley.desktop.call.VideoImage;
import dev.parley.desktop.call.VideoInput;
import dev.parley.desktop.call.WebRtcCallEngine;
import dev.parley.desktop.net.ChatClient;
import dev.parley.protocol.CallMedia;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One call between two synthetic peers of this process through a relay, measured: invite to connected, invite to
 * the first remote frame that carries the sent picture, decoded fps, the received tone's frequency, the path, and
 * the process's CPU per call. Used by the doctor and by its bench mode.
 */
final class LoopbackCall {
    static final int CALLER_LUMA = 180;
    static final int CALLEE_LUMA = 70;
    static final double TONE_HZ = 440;

    record Result(long connectMs, long offerToConnectedMs, long firstFrameMs, double fps, double audioHz, String path, String codec,
                  double rttMs, long framesDecoded, long packetsLost, double cpuPercent, int width, int height) {
    }

    private LoopbackCall() {
    }

    static Result run(ChatClient caller, ChatClient callee, long dm, int width, int height, Duration measure,
                      Duration timeout, IcePolicy policy) throws Exception {
        ExecutorService callerThread = Executors.newSingleThreadExecutor();
        ExecutorService calleeThread = Executors.newSingleThreadExecutor();
        WebRtcCallEngine callerEngine = new WebRtcCallEngine(new AudioInput.Tone(TONE_HZ),
                new VideoInput.Synthetic(width, height, 30, CALLER_LUMA));
        WebRtcCallEngine calleeEngine = new WebRtcCallEngine(new AudioInput.Headless(),
                new VideoInput.Synthetic(width, height, 30, CALLEE_LUMA));
        CallSession a = new CallSession(callerEngine, new RelayCallSignaling(caller.calls()), callerThread,
                Clock.systemUTC(), policy);
        CallSession b = new CallSession(calleeEngine, new RelayCallSignaling(callee.calls()), calleeThread,
                Clock.systemUTC(), policy);
        caller.calls().addListener(a);
        callee.calls().addListener(b);
        ToneMeter tone = new ToneMeter();
        // Stamped on the caller's call thread as the states happen (Connecting = the offer is being created).
        long[] offerAt = {0};
        long[] connectedAt = {0};
        a.addListener(state -> {
            if (state instanceof CallState.Connecting && offerAt[0] == 0) {
                offerAt[0] = System.nanoTime();
            } else if (state instanceof CallState.Active && connectedAt[0] == 0) {
                connectedAt[0] = System.nanoTime();
            }
        });
        long[] firstFrame = {0};
        b.addListener(new CallSession.Listener() {
            @Override
            public void stateChanged(CallState state) {
                if (state instanceof CallState.Incoming) {
                    b.accept();
                }
            }

            @Override
            public void remoteVideo(VideoImage image) {
                if (firstFrame[0] == 0 && Math.abs(image.luma(8, 8) - CALLER_LUMA) <= 12) {
                    firstFrame[0] = System.nanoTime();
                }
            }

            @Override
            public void remoteAudio(short[] pcm, int sampleRate, int channels) {
                tone.add(pcm, sampleRate, channels);
            }
        });
        try {
            long start = System.nanoTime();
            a.call(dm, CallMedia.VIDEO);
            waitFor(() -> a.state() instanceof CallState.Active || a.state() instanceof CallState.Ended, timeout);
            if (!(a.state() instanceof CallState.Active)) {
                throw new IllegalStateException("the call did not connect: " + a.state());
            }
            long connected = connectedAt[0];
            waitFor(() -> firstFrame[0] != 0, timeout);
            if (firstFrame[0] == 0) {
                throw new IllegalStateException("no video frame with the sent picture arrived within " + timeout);
            }
            b.stats().get(5, TimeUnit.SECONDS);
            long cpuBefore = processCpuNanos();
            long wallBefore = System.nanoTime();
            long framesBefore = b.stats().get(5, TimeUnit.SECONDS).framesDecoded();
            sleepFor(measure);
            CallStats stats = b.stats().get(5, TimeUnit.SECONDS);
            long wall = System.nanoTime() - wallBefore;
            long cpu = processCpuNanos() - cpuBefore;
            // Audio may start later than video on a busy machine (jitter buffer, playout start): give it time.
            waitFor(() -> Math.abs(tone.frequency() - TONE_HZ) <= 25, timeout);
            double fps = (stats.framesDecoded() - framesBefore) / (wall / 1e9);
            return new Result((connected - start) / 1_000_000, (connected - offerAt[0]) / 1_000_000,
                    (firstFrame[0] - start) / 1_000_000, fps,
                    tone.frequency(), stats.path().name().toLowerCase(java.util.Locale.ROOT), stats.videoCodec(),
                    stats.rttMs() == null ? -1 : stats.rttMs(), stats.framesDecoded(), stats.packetsLost(),
                    100.0 * cpu / wall, width, height);
        } finally {
            a.hangUp();
            waitFor(() -> b.state() instanceof CallState.Ended, Duration.ofSeconds(5));
            a.close();
            b.close();
            caller.calls().removeListener(a);
            callee.calls().removeListener(b);
            callerThread.shutdown();
            calleeThread.shutdown();
        }
    }

    /** Polls a condition until it holds or the deadline passes (the doctor has no test library). */
    static void waitFor(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** Measuring for a fixed time is the point here, not synchronisation. */
    private static void sleepFor(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
