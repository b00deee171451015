package dev.parley.relay;

import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.api.AuthResponse;
import dev.parley.protocol.api.LoginRequest;
import dev.parley.protocol.api.RefreshRequest;
import dev.parley.relay.support.RestClient;
import dev.parley.relay.support.TestRelay;
import dev.parley.relay.support.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code parley relay reset-password} on the data directory of a running relay (one real SQLite file that both
 * write): the new password signs in at once, the user's devices are signed out (a connected one within seconds),
 * and mistakes (no such user, the wrong directory, no user given) change nothing and say what to do.
 */
@Timeout(60)
class PasswordResetCommandIT {
    private static final Pattern NEW_PASSWORD = Pattern.compile("New password for (\\S+): (\\S+)");

    private TestRelay relay;
    private RestClient rest;

    @BeforeEach
    void start() {
        relay = TestRelay.start();
        rest = relay.rest();
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void aResetPasswordSignsInAndTheOldOneAndEveryDeviceAreOut() {
        AuthResponse laptop = rest.newUser("uwe");
        String username = laptop.user().username();
        WsTestClient laptopSocket = relay.connect(laptop.accessToken());

        Run run = run(username.toUpperCase(), "--data", relay.dataDir().toString());

        assertEquals(0, run.code(), run.err());
        Matcher printed = NEW_PASSWORD.matcher(run.out());
        assertTrue(printed.find(), run.out());
        assertEquals(username, printed.group(1), "the account's own spelling");
        assertTrue(run.out().contains("1 signed-in device(s) signed out"), run.out());
        assertEquals(200, login(username, printed.group(2)).status());
        assertEquals(401, login(username, RestClient.PASSWORD).status());
        RestClient.Response refresh = rest.post("/api/auth/refresh", null, new RefreshRequest(laptop.refreshToken()));
        assertEquals(401, refresh.status(), refresh.body());
        assertEquals(ErrorCode.SESSION_REVOKED.wireName(), refresh.tree(relay.json()).path("code").asText());
        // The command cannot reach the running relay's connections; the relay finds the revocation in the database
        // within seconds and cuts the device off as if it had been signed out there.
        laptopSocket.await(ServerMessage.Error.class, e -> e.code() == ErrorCode.SESSION_REVOKED);
        assertEquals(dev.parley.protocol.CloseCodes.SESSION_REVOKED, laptopSocket.awaitClose());
        WsTestClient reconnect = relay.connect();
        reconnect.send(new dev.parley.protocol.ClientMessage.Hello(dev.parley.protocol.ProtocolVersion.CURRENT,
                laptop.accessToken(), null));
        assertEquals(ErrorCode.SESSION_REVOKED, reconnect.await(ServerMessage.Error.class, e -> true).code());
    }

    @Test
    void mistakesChangeNothingAndSayWhatToDo() throws Exception {
        AuthResponse vera = rest.newUser("vera");

        Run unknown = run("nobody-here", "--data", relay.dataDir().toString());
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("no user named 'nobody-here'"), unknown.err());

        Path elsewhere = Files.createTempDirectory("not-a-relay");
        Run wrongDirectory = run(vera.user().username(), "--data", elsewhere.toString());
        assertEquals(1, wrongDirectory.code());
        assertTrue(wrongDirectory.err().contains("no relay data at"), wrongDirectory.err());
        assertFalse(Files.exists(elsewhere.resolve("parley.db")), "no empty database left behind");

        Run noUser = run("--data", relay.dataDir().toString());
        assertEquals(2, noUser.code());
        assertTrue(noUser.err().startsWith("usage: parley relay reset-password USERNAME"), noUser.err());

        Run badOption = run(vera.user().username(), "--no-such-option", "1");
        assertEquals(2, badOption.code());

        assertEquals("", unknown.out() + wrongDirectory.out() + noUser.out() + badOption.out());
        assertEquals(200, login(vera.user().username(), RestClient.PASSWORD).status(), "vera's password stands");
    }

    private RestClient.Response login(String username, String password) {
        return rest.post("/api/auth/login", null, new LoginRequest(username, password,
                new DeviceInfo("desk", "desk", "Linux", "test")));
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PasswordResetCommand.run(List.of(args), Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
