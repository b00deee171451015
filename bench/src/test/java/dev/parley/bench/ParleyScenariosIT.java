package dev.parley.bench;

import dev.parley.relay.RelayServer;
import dev.parley.relay.config.ConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generator's Parley side against the real relay (in this JVM, port 0, its own SQLite directory, the bench's
 * relay settings): what it counts must be what the relay did, or the bench's table means nothing. Small sizes;
 * nothing here measures speed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ParleyScenariosIT {
    @TempDir
    Path dir;

    private RelayServer relay;

    @BeforeEach
    void startRelay() {
        relay = RelayServer.start(new ConfigLoader().load(List.of(
                "--port", "0", "--bind", "127.0.0.1", "--data", dir.resolve("relay").toString(),
                "--jwt-secret", "bench-test-secret-that-is-long-enough-0123456789", "--discovery", "false",
                "--ws-requests-per-second", "1000000", "--ws-burst", "1000000",
                "--auth-per-address-per-minute", "1000000", "--login-per-account-per-minute", "1000000",
                "--argon2-memory-kib", "64", "--argon2-iterations", "1"), Map.of()));
    }

    @AfterEach
    void stopRelay() {
        if (relay != null) {
            relay.close();
        }
    }

    private Map<String, Object> run(String mode, String... more) {
        List<String> argv = new ArrayList<>(List.of("--target", "parley", "--port", Integer.toString(relay.port())));
        argv.addAll(List.of(more));
        LoadRun run = new LoadRun(new Args(argv));
        try {
            return switch (mode) {
                case "roundtrip" -> run.roundTrips();
                case "chat" -> run.chat(false);
                default -> throw new IllegalArgumentException(mode);
            };
        } finally {
            run.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        return (Map<String, Object>) m.get(key);
    }

    private static long number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    @Test
    void signalingRoundTripsRunInsideCallsThePairsInvitedAndAccepted() {
        Map<String, Object> out = run("roundtrip", "--pairs", "3", "--round-trips", "20", "--sdp-bytes", "1024",
                "--warmup-seconds", "0.5", "--max-s", "20", "--call-setup-timeout-s", "10",
                "--connect-timeout-s", "20");

        assertFalse(out.containsKey("error"), () -> "scenario failed: " + out);
        assertNull(out.get("firstError"), () -> "the relay refused a frame: " + out);
        assertEquals(3L, number(map(out, "callSetup"), "calls"));
        assertEquals(3L, number(map(map(out, "callSetup"), "inviteToAcceptedMs"), "count"));
        assertTrue(number(map(out, "warmup"), "roundTrips") > 0, () -> "no warm-up exchanges: " + out);
        assertEquals(60L, number(out, "roundTrips"), () -> "the warm-up is not counted: " + out);
        assertEquals(0L, number(out, "lost"));
        assertEquals(0L, number(out, "callsEndedEarly"));
        assertEquals(0L, number(out, "warmupCallsEnded"));
        assertEquals(0L, number(out, "staleSignals"), "every answer matched its offer");
        assertEquals(60L, number(map(out, "forwardMs"), "count"), "each offer reached the callee once");
    }

    @Test
    void chatCountsEveryDeliveryOnceAndNothingLost() {
        Map<String, Object> out = run("chat", "--clients", "40", "--rooms", "2", "--senders", "4", "--rate", "20",
                "--warmup", "0.5", "--duration", "1", "--user-prefix", "chat", "--room-prefix", "r-", "--drain-s", "5",
                "--connect-timeout-s", "20");

        assertFalse(out.containsKey("error"), () -> "scenario failed: " + out);
        Map<String, Object> deliveries = map(map(out, "result"), "deliveries");
        long expected = number(deliveries, "expected");
        assertTrue(expected > 0, () -> "nothing was sent: " + out);
        assertEquals(expected, number(deliveries, "received"), () -> out.toString());
        assertEquals(0L, number(deliveries, "lost"));
        assertEquals(0L, number(deliveries, "duplicated"));
        assertEquals(0L, number(deliveries, "dupOrReordered"));
    }
}
