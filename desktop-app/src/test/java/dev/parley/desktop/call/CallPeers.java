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
        volatile long lastRemoteNanos;
        final ToneMeter audio = new ToneMeter();

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
            lastRemoteNanos = System.nanoTime();
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

        /** Waits until no remote frame has arrived for {@code quiet}: the other side stopped sending video. */
        void awaitNoRemoteVideoFor(Duration quiet, Duration within) {
            await().atMost(within).until(() -> remoteFrames > 0
                    && System.nanoTime() - lastRemoteNanos > quiet.toNanos());
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

    @Override
    public void close() {
        for (Peer p : peers.reversed()) {
            p.close();
        }
    }
}
