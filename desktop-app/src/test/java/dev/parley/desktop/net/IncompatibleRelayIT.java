package dev.parley.desktop.net;

import dev.parley.desktop.cache.LocalCache;
import dev.parley.desktop.support.RelayFixture;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.PresenceStatus;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.UserSummary;
import dev.parley.protocol.api.AuthResponse;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A relay that refuses the app's protocol version (close 4003) is not retried for ever behind a generic "offline"
 * banner: the connection stops and says why. The refusing relay is a bare WebSocket server, since a real relay
 * speaks the app's own version.
 */
@Timeout(60)
class IncompatibleRelayIT {
    @TempDir
    Path dir;
    private RefusingRelay relay;

    /** Answers every hello as a relay of another protocol version would. */
    private static final class RefusingRelay extends WebSocketServer {
        final AtomicInteger connections = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(1);

        RefusingRelay() {
            super(new InetSocketAddress("127.0.0.1", 0));
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            connections.incrementAndGet();
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            conn.close(CloseCodes.UNSUPPORTED_PROTOCOL, "this relay speaks protocol 2; the client speaks protocol 1");
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
        }

        @Override
        public void onStart() {
            started.countDown();
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (relay != null) {
            relay.stop(1000);
        }
    }

    @Test
    void aRelayOfAnotherProtocolVersionStopsTheReconnectsAndSaysSo() throws Exception {
        relay = new RefusingRelay();
        relay.start();
        assertTrue(relay.started.await(10, TimeUnit.SECONDS));
        ProtocolJson json = new ProtocolJson();
        RelayApi api = new RelayApi(RelayAddress.parse("http://127.0.0.1:" + relay.getPort()), json);
        AuthResponse signedIn = new AuthResponse(new UserSummary(7, "ann", "Ann", PresenceStatus.ONLINE, null),
                "session-1", "access-token", System.currentTimeMillis() + 3_600_000, "session-1.refresh");
        AuthSession auth = AuthSession.fromResponse(api, signedIn, login -> { }, Clock.systemUTC());

        try (LocalCache cache = LocalCache.open(dir.resolve("cache.db"), json);
             ChatClient client = new ChatClient(auth, cache, json, new DeviceInfo(null, "laptop", "t", "t"),
                     RelayFixture.fastBackoff(), Clock.systemUTC())) {
            client.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> client.state() == ConnectionState.INCOMPATIBLE);
            // The backoff here retries within milliseconds; half a second without a second connection means none.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> relay.connections.get() == 1 && client.state() == ConnectionState.INCOMPATIBLE);
        }
    }
}
