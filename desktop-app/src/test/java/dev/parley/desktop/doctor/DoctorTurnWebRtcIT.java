package dev.parley.desktop.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.desktop.support.RelayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * TURN for real: a coturn started by the test (use-auth-secret), a relay handing out REST credentials for it, and
 * the doctor's --turn-only loopback call, which must connect over a relay candidate with the picture and the tone.
 */
@Timeout(90)
@DisabledIfSystemProperty(named = "parley.fork", matches = "default|xvfb")
class DoctorTurnWebRtcIT {
    private static final String SECRET = "doctor-test-turn-secret";

    /** coturn's pid file and log, and the doctor's profile (its test accounts); deleted after the test. */
    @TempDir
    Path dir;

    @Test
    void theLoopbackCallGoesThroughCoturnWithTheRelaysCredentials() throws Exception {
        int port = freeUdpPort();
        Process coturn;
        try {
            coturn = new ProcessBuilder("turnserver", "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
                    "-p", Integer.toString(port), "--use-auth-secret", "--static-auth-secret=" + SECRET,
                    "--realm=parley", "--allow-loopback-peers", "--no-cli", "--no-tls", "--no-dtls",
                    "--pidfile=" + dir.resolve("turn.pid"), "--log-file=stdout", "--simple-log")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("turn.log").toFile()).start();
        } catch (IOException e) {
            fail("coturn (turnserver) is needed for this test: install it (scripts/install-test-deps.sh does)", e);
            return;
        }
        try (RelayFixture relay = RelayFixture.start("--turn-urls", "turn:127.0.0.1:" + port + "?transport=udp",
                "--turn-secret", SECRET)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            // The doctor's call waits (with its own deadline) until ICE connects, which covers coturn's start. Its
            // test accounts go under a throwaway profile, never the real user's settings folder.
            int code = Doctor.run(List.of("--relay", relay.url(), "--json", "--turn-only", "--profile",
                            dir.resolve("profile").toString()),
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String out = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(coturn.isAlive(), () -> "coturn exited: " + readQuietly(dir.resolve("turn.log")));
            assertEquals(0, code, out);
            JsonNode json = relay.json().mapper().readTree(out);
            assertEquals("relay", json.get("path").asText(), out);
            assertEquals(440, json.get("audioHz").asDouble(), 25, out);
            assertTrue(json.get("fps").asDouble() > 10, out);
        } finally {
            coturn.destroy();
            coturn.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
