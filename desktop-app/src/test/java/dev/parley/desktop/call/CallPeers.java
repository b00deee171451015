package dev.parley.desktop.call;

import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.support.RelayFixture;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** A signed-in client plus its call session on a real engine, recording what it sees for assertions. */
final class CallPeers implements AutoCloseable {
    final List<Peer> peers = new ArrayList<>();

    Peer peer(RelayFixture relay, String name, AudioInput audio, VideoInput video) {
        return peer(relay, name, new WebRtcCallEngine(audio, video));
    }

    Peer peer(RelayFixture relay, String name, CallEngine engine) {
        ChatClient client = relay.client(name, name);
        Peer peer = new Peer(client, engine);
        peers.add(peer);
        return peer;
    }

    static final class Peer implements CallSession.Listener, AutoCloseable {
        final ChatClient client;
        final CallEngine engine;
        final ExecutorService callThread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("call")
                .daemon(true).factory());
        final CallSession session;
        final List<CallState> states = new CopyOnWriteArrayList<>();
        final AtomicReference<VideoImage> lastRemote = new AtomicReference<>();
        volatile long remoteFrames;
        final AudioCapture audio = new AudioCapture();

        Peer(ChatClient client, CallEngine engine) {
            this.client = client;
            this.engine = engine;
            this.session = new CallSession(engine, new RelayCallSignaling(client.calls()), callThread,
                    Clock.systemUTC(), IcePolicy.LOOPBACK);
            session.addListener(this);
            client.calls().addListener(session);
        }

        long id() {
            return client.myId();
        }

        @Override
        public void stateChanged(CallState state) {
            states.add(state);
        }

        @Override
        public void remoteVideo(VideoImage image) {
            lastRemote.set(image);
            remoteFrames++;
        }

        @Override
        public void remoteAudio(short[] pcm, int sampleRate, int channels) {
            audio.add(pcm, sampleRate, channels);
        }

        <T extends CallState> T awaitState(Class<T> type, Duration within) {
            await().atMost(within).until(() -> type.isInstance(session.state()));
            return type.cast(session.state());
        }

        CallState.Ended awaitEnded(Duration within) {
            return awaitState(CallState.Ended.class, within);
        }

        void awaitRemote(Predicate<VideoImage> test, Duration within) {
            await().atMost(within).untilAsserted(() -> org.junit.jupiter.api.Assertions.assertTrue(
                    lastRemote.get() != null && test.test(lastRemote.get()), () -> "remote video: " + describe()));
        }

        String describe() {
            VideoImage img = lastRemote.get();
            return remoteFrames + " frames" + (img == null ? "" : ", last " + img.width() + "x" + img.height()
                    + " luma(16,16)=" + img.luma(16, 16));
        }

        @Override
        public void close() {
            session.close();
            callThread.shutdown();
            try {
                callThread.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            engine.close();
        }
    }

    /** Keeps the last second of received mono audio and estimates its frequency from zero crossings. */
    static final class AudioCapture {
        private final short[] ring = new short[48_000];
        private int written;
        private int rate = 48_000;

        synchronized void add(short[] pcm, int sampleRate, int channels) {
            rate = sampleRate;
            for (int i = 0; i < pcm.length; i += channels) {
                ring[written++ % ring.length] = pcm[i];
            }
        }

        synchronized int samples() {
            return written;
        }

        /** Frequency of the last {@code n} samples, by counting upward zero crossings; 0 when it is silence. */
        synchronized double frequency(int n) {
            n = Math.min(n, Math.min(written, ring.length));
            int crossings = 0;
            int peak = 0;
            short prev = ring[(written - n) % ring.length];
            for (int i = written - n + 1; i < written; i++) {
                short s = ring[i % ring.length];
                peak = Math.max(peak, Math.abs(s));
                if (prev < 0 && s >= 0) {
                    crossings++;
                }
                prev = s;
            }
            return peak < 500 ? 0 : crossings * (double) rate / n;
        }
    }

    @Override
    public void close() {
        for (Peer p : peers.reversed()) {
            p.close();
        }
    }
}
