package dev.parley.relay.account;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.api.AuthResponse;
import dev.parley.protocol.api.ChangePasswordRequest;
import dev.parley.protocol.api.LoginRequest;
import dev.parley.protocol.api.RefreshRequest;
import dev.parley.protocol.api.SessionInfo;
import dev.parley.protocol.DeviceInfo;
import dev.parley.relay.support.RestClient;
import dev.parley.relay.support.TestRelay;
import dev.parley.relay.support.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Changing one's password over REST, against a real relay with its real SQLite file and real WebSocket clients. */
@Timeout(60)
class PasswordIT {
    private static final String PASSWORD = RestClient.PASSWORD;
    private static final String NEW_PASSWORD = "a much better passphrase";

    private TestRelay relay;
    private RestClient rest;

    private void start(String... flags) {
        relay = TestRelay.start(flags);
        rest = relay.rest();
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void changingThePasswordKeepsThisDeviceAndSignsEveryOtherOneOut() {
        start();
        AuthResponse laptop = rest.newUser("rosa");
        String username = laptop.user().username();
        AuthResponse phone = rest.login(username, PASSWORD, "phone");
        WsTestClient laptopSocket = relay.connect(laptop.accessToken());
        WsTestClient phoneSocket = relay.connect(phone.accessToken());

        assertEquals(204, change(laptop.accessToken(), PASSWORD, NEW_PASSWORD).status());

        // The other device hears why and is cut off; its tokens are dead.
        phoneSocket.await(ServerMessage.Error.class, e -> e.code() == ErrorCode.SESSION_REVOKED);
        assertEquals(CloseCodes.SESSION_REVOKED, phoneSocket.awaitClose());
        assertError(refresh(phone.refreshToken()), 401, ErrorCode.SESSION_REVOKED);
        // This device carries on: connection, access and refresh token.
        laptopSocket.send(new ClientMessage.Ping("still here"));
        laptopSocket.await(ServerMessage.Pong.class, p -> "still here".equals(p.nonce()));
        assertFalse(laptopSocket.isClosed());
        ok(refresh(laptop.refreshToken()));
        assertEquals(List.of(laptop.sessionId()), sessions(laptop.accessToken()).stream().map(SessionInfo::id)
                .toList());
        // Only the new password signs in.
        assertError(login(username, PASSWORD), 401, ErrorCode.INVALID_CREDENTIALS);
        ok(login(username, NEW_PASSWORD));
    }

    @Test
    void refusalsSayWhyAndChangeNothing() {
        start();
        AuthResponse laptop = rest.newUser("sven");
        AuthResponse phone = rest.login(laptop.user().username(), PASSWORD, "phone");

        assertError(change(laptop.accessToken(), "not my password", NEW_PASSWORD), 403, ErrorCode.WRONG_PASSWORD);
        assertError(change(laptop.accessToken(), PASSWORD, "short"), 400, ErrorCode.WEAK_PASSWORD);
        assertError(change(laptop.accessToken(), PASSWORD, "contains " + laptop.user().username()), 400,
                ErrorCode.WEAK_PASSWORD);
        assertError(change(laptop.accessToken(), PASSWORD, PASSWORD), 400, ErrorCode.VALIDATION_FAILED);
        assertError(change(laptop.accessToken(), null, NEW_PASSWORD), 400, ErrorCode.VALIDATION_FAILED);
        assertError(rest.postRaw("/api/auth/password", laptop.accessToken(), "{\"currentPassword\":"),
                400, ErrorCode.INVALID_JSON);
        assertError(change(null, PASSWORD, NEW_PASSWORD), 401, ErrorCode.UNAUTHORIZED);

        // Nobody was signed out and the old password still works.
        assertEquals(2, sessions(laptop.accessToken()).size());
        ok(refresh(phone.refreshToken()));
        ok(login(laptop.user().username(), PASSWORD));
    }

    @Test
    void guessingTheCurrentPasswordWithAStolenTokenIsRateLimitedLikeASignIn() {
        start("--login-per-account-per-minute", "3", "--auth-per-address-per-minute", "1000");
        AuthResponse victim = rest.newUser("tilda");
        AuthResponse otherDevice = rest.login(victim.user().username(), PASSWORD, "phone");

        // The phone's sign-in was the first of the three attempts a minute this account gets from this address.
        for (int guess = 1; guess <= 2; guess++) {
            assertError(change(victim.accessToken(), "guess " + guess, NEW_PASSWORD), 403, ErrorCode.WRONG_PASSWORD);
        }
        assertError(change(victim.accessToken(), "guess 3", NEW_PASSWORD), 429, ErrorCode.RATE_LIMITED);
        // Limited even with the right one: the limit is on trying, so a lucky fourth guess gets nothing.
        assertError(change(victim.accessToken(), PASSWORD, NEW_PASSWORD), 429, ErrorCode.RATE_LIMITED);
        ok(refresh(otherDevice.refreshToken()));
    }

    private RestClient.Response change(String token, String current, String next) {
        return rest.post("/api/auth/password", token, new ChangePasswordRequest(current, next));
    }

    private RestClient.Response login(String username, String password) {
        return rest.post("/api/auth/login", null, new LoginRequest(username, password,
                new DeviceInfo("again", "again", "Linux", "test")));
    }

    private RestClient.Response refresh(String refreshToken) {
        return rest.post("/api/auth/refresh", null, new RefreshRequest(refreshToken));
    }

    private List<SessionInfo> sessions(String accessToken) {
        return rest.as(ok(rest.get("/api/sessions", accessToken)), new TypeReference<List<SessionInfo>>() {
        });
    }

    private static RestClient.Response ok(RestClient.Response response) {
        assertTrue(response.status() / 100 == 2, "expected success: " + response.status() + " "
                + response.body());
        return response;
    }

    private void assertError(RestClient.Response response, int status, ErrorCode code) {
        assertEquals(status, response.status(), response.body());
        JsonNode body = response.tree(relay.json());
        assertEquals(code.wireName(), body.path("code").asText(), body.toString());
    }
}
