package dev.parley.desktop.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.desktop.support.RelayFixture;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.api.AuthResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The doctor against a real relay: every step passes and --json carries the call's figures; checking again uses the
 * same two test accounts and leaves no session behind; a dead relay fails.
 */
@Timeout(90)
// Native peers run only in Surefire's own webrtc fork (or an IDE), never in the shared default or xvfb forks.
@DisabledIfSystemProperty(named = "parley.fork", matches = "default|xvfb")
class DoctorWebRtcIT {
    /** The doctor's test accounts go here, never into the real user's settings folder. */
    @TempDir
    Path profile;

    private String doctor(RelayFixture relay) {
        return doctor(relay.url());
    }

    private String doctor(String relayUrl) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = Doctor.run(List.of("--relay", relayUrl, "--json", "--profile", profile.toString()),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        return out;
    }

    @Test
    void aHealthyRelayPassesWithFigures() throws Exception {
        try (RelayFixture relay = RelayFixture.start()) {
            String out = doctor(relay);
            JsonNode json = relay.json().mapper().readTree(out);
            assertTrue(json.get("ok").asBoolean(), out);
            assertTrue(json.get("connectMs").asLong() > 0, out);
            // (not compared with connectMs: that is stamped by the caller's state machine, the first frame at the
            // callee's sink, and either can come first by a few ms)
            assertTrue(json.get("firstFrameMs").asLong() > 0, out);
            assertTrue(json.get("offerToConnectedMs").asLong() > 0, out);
            assertTrue(json.get("fps").asDouble() > 10, out);
            assertEquals(440, json.get("audioHz").asDouble(), 25, out);
            assertEquals("host", json.get("path").asText(), out);
            assertEquals(4, json.get("steps").size(), out);
        }
    }

    @Test
    void checkingAgainSignsInToTheSameTwoAccountsAndSignsOut() throws Exception {
        try (RelayFixture relay = RelayFixture.start()) {
            doctor(relay);
            // the same relay written differently is still the same relay
            doctor(relay.url() + "/");

            assertEquals(2, relay.api().info().users(), "two test accounts, not four");
            assertNoDoctorSessionLeft(relay);
        }
    }

    @Test
    void aRunEndedByCtrlCOrSigtermStillSignsItsSessionsOut() throws Exception {
        try (RelayFixture relay = RelayFixture.start()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process doctor = new ProcessBuilder(java, "-cp", classPath, "--enable-native-access=ALL-UNNAMED",
                    Doctor.class.getName(), "--relay", relay.url(), "--profile", profile.toString())
                    .redirectErrorStream(true).start();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(doctor.getInputStream(),
                    StandardCharsets.UTF_8))) {
                StringBuilder seen = new StringBuilder();
                String line;
                while ((line = lines.readLine()) != null && !line.startsWith("[PASS] login")) {
                    seen.append(line).append('\n');
                }
                assertTrue(line != null, "the doctor signed in before it was stopped: " + seen);
                doctor.destroy(); // SIGTERM, as Ctrl+C's SIGINT: the JVM runs its shutdown hooks
                assertTrue(doctor.waitFor(30, TimeUnit.SECONDS), "the doctor ended");
            } finally {
                doctor.destroyForcibly();
            }

            assertNoDoctorSessionLeft(relay);
        }
    }

    /** Signs in to each saved test account: its own session must be the only one. */
    private void assertNoDoctorSessionLeft(RelayFixture relay) throws Exception {
        JsonNode stored = relay.json().mapper().readTree(profile.resolve("config").resolve("doctor-accounts.json")
                .toFile()).get(relay.url());
        for (String role : List.of("a", "b")) {
            AuthResponse account = relay.api().login(stored.get(role).get("username").asText(),
                    stored.get(role).get("password").asText(), new DeviceInfo(null, "test", "test", "test"));
            assertEquals(1, relay.api().sessions(account.accessToken()).size(),
                    "only this sign-in's session: the doctor signed its own out");
        }
    }

    @Test
    void anUnreachableRelayFailsWithAdvice() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // Port 9 (discard) is closed on test machines: the connection is refused at once.
        int code = Doctor.run(List.of("--relay", "http://127.0.0.1:9", "--profile", profile.toString()),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, out);
        assertTrue(out.contains("[FAIL] health"), out);
        assertTrue(out.contains("advice:"), out);
    }
}
