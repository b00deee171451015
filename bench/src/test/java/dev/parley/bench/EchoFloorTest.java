package dev.parley.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class EchoFloorTest {
    @Test
    void measuresEveryRoundTripAfterTheWarmUp() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    EchoFloor.echo(server);
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });

            Map<String, Object> result = EchoFloor.measure(new Args(List.of("--port",
                    Integer.toString(server.getLocalPort()), "--requests", "50", "--warmup-requests", "10")));

            assertEquals("z-echo-floor", result.get("label"));
            @SuppressWarnings("unchecked")
            Map<String, Object> latency = (Map<String, Object>) result.get("roundTripMs");
            assertEquals(50L, ((Number) latency.get("count")).longValue());
            assertTrue(((Number) latency.get("p50")).doubleValue() > 0, latency.toString());
        }
    }
}
