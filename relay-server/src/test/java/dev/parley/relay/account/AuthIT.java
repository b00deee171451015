package dev.parley.relay.account;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolVersion;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserSummary;
import dev.parley.protocol.api.AuthResponse;
import dev.parley.protocol.api.LoginRequest;
import dev.parley.protocol.api.RefreshRequest;
import dev.parley.protocol.api.RegisterRequest;
import dev.parley.protocol.api.SessionInfo;
import dev.parley.relay.support.RestClient;
import dev.parley.relay.support.TestRelay;
import dev.parley.relay.support.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registration, sign-in, tokens and device sessions against a real relay over real HTTP and WebSocket. */
@Timeout(60)
class AuthIT {
    private static final String PASSWORD = RestClient.PASSWORD;

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

    // ---------------------------------------------------------------------------------------------- registration

    @Test
    void registerAnswers201WithTokensAndTheUser() {
        RestClient.Response response = register("Dora", PASSWORD, "Dora the Admin");

        assertEquals(201, response.status(), response.body());
        AuthResponse auth = rest.as(response, AuthResponse.class);
        assertEquals("Dora", auth.user().username());
        assertEquals("Dora the Admin", auth.user().displayName());
        assertTrue(auth.user().id() > 0);
        assertNotBlank(auth.sessionId(), "sessionId");
        assertNotBlank(auth.accessToken(), "accessToken");
        assertNotBlank(auth.refreshToken(), "refreshToken");
        assertTrue(auth.accessTokenExpiresAt() > System.currentTimeMillis(), "access token expiry lies ahead");
        assertTrue(auth.accessTokenExpiresAt() <= System.currentTimeMillis() + Duration.ofMinutes(16).toMillis(),
                "access tokens are short-lived (default 15 min)");
        assertFalse(response.body().contains(PASSWORD), "the password is never echoed");

        UserSummary me = rest.as(ok(rest.get("/api/auth/me", auth.accessToken())), UserSummary.class);
        assertEquals(auth.user().id(), me.id());
        assertEquals("Dora", me.username());
    }

    @Test
    void usernamesAreUniqueIgnoringLetterCase() {
        assertEquals(201, register("Carol", PASSWORD, null).status());

        assertError(register("carol", "another good password", null), 409, ErrorCode.USERNAME_TAKEN);
        assertError(register("CAROL", "another good password", null), 409, ErrorCode.USERNAME_TAKEN);
        assertError(register("Carol", PASSWORD, null), 409, ErrorCode.USERNAME_TAKEN);

        // The original account is untouched: it still signs in with its own password only.
        AuthResponse carol = rest.as(ok(login("Carol", PASSWORD)), AuthResponse.class);
        assertEquals("Carol", carol.user().username());
        assertError(login("Carol", "another good password"), 401, ErrorCode.INVALID_CREDENTIALS);
    }

    @Test
    void invalidUsernamesAreRefused() {
        for (String bad : List.of("ab", "x", "bad name", "semi;colon", "émile", "-dash-first", ".dot", "a".repeat(33))) {
            JsonNode error = assertError(register(bad, PASSWORD, null), 400, ErrorCode.INVALID_USERNAME);
            assertNotBlank(error.path("error").asText(), "message for '" + bad + "'");
        }
        JsonNode tooShort = assertError(register("ab", PASSWORD, null), 400, ErrorCode.INVALID_USERNAME);
        assertTrue(tooShort.path("error").asText().contains("3"), tooShort.toString());
        assertEquals(201, register("ok.name_1-x", PASSWORD, null).status(), "letters, digits, . _ - are fine");
    }

    @Test
    void weakPasswordsAreRefusedWithAMessageSayingWhy() {
        JsonNode tooShort = assertError(register("erin", "Ab1!x", null), 400, ErrorCode.WEAK_PASSWORD);
        assertTrue(tooShort.path("error").asText().contains("8"), tooShort.toString());

        JsonNode containsName = assertError(register("frank", "my-FRANK-password", null), 400,
                ErrorCode.WEAK_PASSWORD);
        assertTrue(containsName.path("error").asText().contains("username"), containsName.toString());

        JsonNode fewDistinct = assertError(register("grace", "abababababab", null), 400, ErrorCode.WEAK_PASSWORD);
        assertTrue(fewDistinct.path("error").asText().contains("different"), fewDistinct.toString());

        // Nothing was created: the names are still free.
        for (String name : List.of("erin", "frank", "grace")) {
            assertEquals(201, register(name, PASSWORD, null).status(), name);
        }
    }

    // ------------------------------------------------------------------------------------------------- sign-in

    @Test
    void wrongPasswordAndUnknownUserGetTheSameAnswer() {
        register("heidi", PASSWORD, null);

        JsonNode wrongPassword = assertError(login("heidi", "not the password"), 401, ErrorCode.INVALID_CREDENTIALS);
        JsonNode unknownUser = assertError(login("nobody-here", "not the password"), 401,
                ErrorCode.INVALID_CREDENTIALS);

        assertEquals(wrongPassword.path("error").asText(), unknownUser.path("error").asText(),
                "the answer must not reveal whether the account exists");
        AuthResponse heidi = rest.as(ok(login("heidi", PASSWORD)), AuthResponse.class);
        assertEquals("heidi", heidi.user().username());
    }

    @Test
    void raisingTheHashCostUpgradesEachAccountAtItsNextSignIn() throws Exception {
        relay.close();
        relay = TestRelay.start("--argon2-memory-kib", "64", "--argon2-iterations", "1");
        rest = relay.rest();
        register("ivan", PASSWORD, null);
        assertTrue(storedHash("ivan").startsWith("$argon2id$v=19$m=64,t=1,p=1$"), storedHash("ivan"));

        relay = relay.restart("--argon2-memory-kib", "128", "--argon2-iterations", "2");
        rest = relay.rest();
        assertError(login("ivan", "not the password"), 401, ErrorCode.INVALID_CREDENTIALS);
        assertTrue(storedHash("ivan").contains("m=64,t=1"), "a wrong password changes nothing");

        ok(login("ivan", PASSWORD));
        assertTrue(storedHash("ivan").startsWith("$argon2id$v=19$m=128,t=2,p=1$"), storedHash("ivan"));
        ok(login("ivan", PASSWORD));
    }

    private String storedHash(String username) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + relay.dataDir().resolve("parley.db"));
             PreparedStatement st = db.prepareStatement("SELECT password_hash FROM users WHERE username = ?")) {
            st.setString(1, username);
            try (ResultSet rs = st.executeQuery()) {
                assertTrue(rs.next(), username + " is stored");
                return rs.getString(1);
            }
        }
    }

    @Test
    void meNeedsAValidAccessToken() {
        AuthResponse ivan = rest.newUser("ivan");

        UserSummary me = rest.as(ok(rest.get("/api/auth/me", ivan.accessToken())), UserSummary.class);
        assertEquals(ivan.user().id(), me.id());

        assertError(rest.get("/api/auth/me", null), 401, ErrorCode.UNAUTHORIZED);
        assertError(rest.get("/api/auth/me", "garbage"), 401, ErrorCode.UNAUTHORIZED);
        assertError(rest.get("/api/auth/me", ivan.accessToken() + "x"), 401, ErrorCode.UNAUTHORIZED);
        String foreignKey = new TokenService("some-other-secret-of-at-least-32-bytes!".getBytes(UTF_8),
                Duration.ofMinutes(5), Clock.systemUTC()).issue(ivan.user().id(), ivan.sessionId()).token();
        assertError(rest.get("/api/auth/me", foreignKey), 401, ErrorCode.UNAUTHORIZED);
    }

    @Test
    void anExpiredAccessTokenIsRefusedWithTokenExpired() {
        AuthResponse judy = rest.newUser("judy");
        String expired = expiredToken(judy);

        JsonNode error = assertError(rest.get("/api/auth/me", expired), 401, ErrorCode.TOKEN_EXPIRED);
        assertNotBlank(error.path("error").asText(), "message");
        ok(rest.get("/api/auth/me", judy.accessToken()));
    }

    // ------------------------------------------------------------------------------------------ refresh, logout

    @Test
    void refreshRotatesAndAReplayedTokenSignsTheDeviceOut() {
        AuthResponse first = rest.newUser("kim");
        WsTestClient device = relay.connect(first.accessToken());

        AuthResponse second = rest.as(ok(refresh(first.refreshToken())), AuthResponse.class);
        assertNotEquals(first.refreshToken(), second.refreshToken());
        assertEquals(first.sessionId(), second.sessionId(), "refresh keeps the device session");
        assertEquals(first.user().id(), second.user().id());
        ok(rest.get("/api/auth/me", second.accessToken()));

        AuthResponse third = rest.as(ok(refresh(second.refreshToken())), AuthResponse.class);
        assertNotEquals(second.refreshToken(), third.refreshToken());
        ok(rest.get("/api/auth/me", third.accessToken()));

        // The rotated-out token shows up again: stolen or copied. The whole session is signed out.
        assertError(refresh(second.refreshToken()), 401, ErrorCode.SESSION_REVOKED);
        assertError(refresh(third.refreshToken()), 401, ErrorCode.SESSION_REVOKED);
        assertError(rest.get("/api/auth/me", third.accessToken()), 401, ErrorCode.SESSION_REVOKED);
        assertError(rest.get("/api/auth/me", first.accessToken()), 401, ErrorCode.SESSION_REVOKED);
        device.await(ServerMessage.Error.class, e -> e.code() == ErrorCode.SESSION_REVOKED);
        assertEquals(CloseCodes.SESSION_REVOKED, device.awaitClose());
    }

    @Test
    void anUnknownRefreshTokenIsRefused() {
        AuthResponse leo = rest.newUser("leo");

        assertError(refresh("not-a-token"), 401, ErrorCode.UNAUTHORIZED);
        assertError(refresh("nosuchsession.forged"), 401, ErrorCode.UNAUTHORIZED);
        // A guess without the session id does not harm the real device.
        ok(refresh(leo.refreshToken()));
    }

    @Test
    void aThiefWhoRefreshedTwiceIsSignedOutWhenTheRealDeviceShowsItsOlderToken() {
        AuthResponse real = rest.newUser("nia");
        AuthResponse stolenOnce = rest.as(ok(refresh(real.refreshToken())), AuthResponse.class);
        AuthResponse stolenTwice = rest.as(ok(refresh(stolenOnce.refreshToken())), AuthResponse.class);

        // Two rotations ago: not the token just rotated out, yet still this session's.
        assertError(refresh(real.refreshToken()), 401, ErrorCode.SESSION_REVOKED);
        assertError(refresh(stolenTwice.refreshToken()), 401, ErrorCode.SESSION_REVOKED);
        assertError(rest.get("/api/auth/me", stolenTwice.accessToken()), 401, ErrorCode.SESSION_REVOKED);
    }

    @Test
    void logoutRevokesTheSession() {
        AuthResponse mia = rest.newUser("mia");
        AuthResponse otherDevice = rest.as(ok(login(mia.user().username(), PASSWORD, "phone")),
                AuthResponse.class);

        RestClient.Response logout = rest.post("/api/auth/logout", mia.accessToken(), null);

        assertEquals(204, logout.status(), logout.body());
        assertError(rest.get("/api/auth/me", mia.accessToken()), 401, ErrorCode.SESSION_REVOKED);
        assertError(refresh(mia.refreshToken()), 401, ErrorCode.SESSION_REVOKED);
        assertError(rest.post("/api/auth/logout", mia.accessToken(), null), 401, ErrorCode.SESSION_REVOKED);
        // Only that device was signed out.
        ok(rest.get("/api/auth/me", otherDevice.accessToken()));
        assertEquals(List.of(otherDevice.sessionId()), sessions(otherDevice.accessToken()).stream()
                .map(SessionInfo::id).toList());
    }

    // ------------------------------------------------------------------------------------------------ sessions

    @Test
    void sessionsListEveryDeviceWithCurrentAndOnline() {
        AuthResponse registered = rest.newUser("nina");
        String username = registered.user().username();
        ok(rest.post("/api/auth/logout", registered.accessToken(), null));
        AuthResponse laptop = rest.as(ok(login(username, PASSWORD, "laptop")), AuthResponse.class);
        AuthResponse phone = rest.as(ok(login(username, PASSWORD, "phone")), AuthResponse.class);

        List<SessionInfo> listed = sessions(laptop.accessToken());

        assertEquals(2, listed.size(), listed.toString());
        Map<String, SessionInfo> byId = listed.stream().collect(Collectors.toMap(SessionInfo::id, Function.identity()));
        assertEquals(Set.of(laptop.sessionId(), phone.sessionId()), byId.keySet());
        assertEquals("laptop", byId.get(laptop.sessionId()).deviceName());
        assertEquals("phone", byId.get(phone.sessionId()).deviceName());
        assertEquals("Linux", byId.get(phone.sessionId()).os());
        assertTrue(byId.get(laptop.sessionId()).current());
        assertFalse(byId.get(phone.sessionId()).current());
        assertFalse(byId.get(laptop.sessionId()).online());
        assertFalse(byId.get(phone.sessionId()).online());
        assertTrue(byId.get(phone.sessionId()).createdAt() > 0);

        // Seen from the phone, the phone is the current one.
        List<SessionInfo> fromPhone = sessions(phone.accessToken());
        assertTrue(fromPhone.stream().filter(SessionInfo::current).map(SessionInfo::id).toList()
                .equals(List.of(phone.sessionId())), fromPhone.toString());

        ServerMessage.Welcome welcome = helloAs(phone.accessToken(),
                new DeviceInfo("phone", "phone", "Android", "1.0"));
        assertEquals(phone.sessionId(), welcome.sessionId());

        await().atMost(Duration.ofSeconds(10)).until(() -> sessionOf(laptop.accessToken(), phone.sessionId()).online());
        SessionInfo phoneOnline = sessionOf(laptop.accessToken(), phone.sessionId());
        assertEquals("Android", phoneOnline.os(), "hello updates the device description");
        assertFalse(sessionOf(laptop.accessToken(), laptop.sessionId()).online());
    }

    @Test
    void aDeviceWhoseRefreshTokenRanOutIsNoLongerListedUnlessConnected() throws SQLException {
        AuthResponse laptop = rest.newUser("pavel");
        AuthResponse phone = rest.as(ok(login(laptop.user().username(), PASSWORD, "phone")), AuthResponse.class);
        AuthResponse tablet = rest.as(ok(login(laptop.user().username(), PASSWORD, "tablet")), AuthResponse.class);
        WsTestClient tabletSocket = relay.connect(tablet.accessToken());
        await().atMost(Duration.ofSeconds(10)).until(() -> sessionOf(laptop.accessToken(), tablet.sessionId()).online());

        // Both stayed away longer than refresh-token-days: the phone, offline, can no longer refresh.
        expireRefresh(phone.sessionId());
        expireRefresh(tablet.sessionId());

        assertError(refresh(phone.refreshToken()), 401, ErrorCode.UNAUTHORIZED);
        assertEquals(Set.of(laptop.sessionId(), tablet.sessionId()), sessions(laptop.accessToken()).stream()
                .map(SessionInfo::id).collect(Collectors.toSet()), "the connected tablet is still signed in");
        tabletSocket.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> sessions(laptop.accessToken()).stream()
                .map(SessionInfo::id).toList().equals(List.of(laptop.sessionId())));
    }

    private void expireRefresh(String sessionId) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + relay.dataDir().resolve("parley.db"));
             PreparedStatement st = db.prepareStatement("UPDATE sessions SET refresh_expires_at = 1 WHERE id = ?")) {
            st.setString(1, sessionId);
            assertEquals(1, st.executeUpdate());
        }
    }

    @Test
    void revokingAnotherDeviceClosesItsConnectionAndKillsItsTokens() {
        AuthResponse laptop = rest.newUser("olga");
        AuthResponse phone = rest.as(ok(login(laptop.user().username(), PASSWORD, "phone")), AuthResponse.class);
        WsTestClient laptopSocket = relay.connect(laptop.accessToken());
        WsTestClient phoneSocket = relay.connect(phone.accessToken());
        await().atMost(Duration.ofSeconds(10)).until(() -> sessionOf(laptop.accessToken(), phone.sessionId()).online());

        RestClient.Response revoke = rest.delete("/api/sessions/" + phone.sessionId(), laptop.accessToken());

        assertEquals(204, revoke.status(), revoke.body());
        ServerMessage.Error revoked = phoneSocket.await(ServerMessage.Error.class,
                e -> e.code() == ErrorCode.SESSION_REVOKED);
        assertNull(revoked.rid());
        assertEquals(CloseCodes.SESSION_REVOKED, phoneSocket.awaitClose());
        assertError(rest.get("/api/auth/me", phone.accessToken()), 401, ErrorCode.SESSION_REVOKED);
        assertError(refresh(phone.refreshToken()), 401, ErrorCode.SESSION_REVOKED);
        assertEquals(List.of(laptop.sessionId()), sessions(laptop.accessToken()).stream()
                .map(SessionInfo::id).toList());

        // The revoked device cannot come back over WebSocket either.
        WsTestClient again = relay.connect();
        again.send(new ClientMessage.Hello(ProtocolVersion.CURRENT, phone.accessToken(), null));
        assertEquals(ErrorCode.SESSION_REVOKED, again.await(ServerMessage.Error.class, e -> true).code());
        assertEquals(CloseCodes.SESSION_REVOKED, again.awaitClose());

        // The laptop is unaffected and still connected.
        assertFalse(laptopSocket.isClosed());
        ServerMessage.Pong pong = pingPong(laptopSocket, "still-here");
        assertEquals("still-here", pong.nonce());
        ok(rest.get("/api/auth/me", laptop.accessToken()));

        // Revoking it twice: it is gone.
        assertError(rest.delete("/api/sessions/" + phone.sessionId(), laptop.accessToken()), 404,
                ErrorCode.NOT_FOUND);
    }

    @Test
    void aSignedOutDeviceThatIgnoresTheCloseFrameCannotSendAnyMore() {
        AuthResponse laptop = rest.newUser("petra");
        AuthResponse phone = rest.as(ok(login(laptop.user().username(), PASSWORD, "phone")), AuthResponse.class);
        long notes = rest.as(rest.post("/api/conversations", laptop.accessToken(),
                new dev.parley.protocol.api.CreateConversationRequest(dev.parley.protocol.ConversationKind.GROUP,
                        "notes", null, List.of(), null)), dev.parley.protocol.ConversationSummary.class).id();
        WsTestClient laptopSocket = relay.connect(laptop.accessToken());
        WsTestClient phoneSocket = relay.connect(phone.accessToken());
        phoneSocket.ignoreCloseFrame();

        assertEquals(204, rest.delete("/api/sessions/" + phone.sessionId(), laptop.accessToken()).status());
        assertEquals(CloseCodes.SESSION_REVOKED, phoneSocket.awaitClose());
        // The phone's output is still open: it sends as if nothing happened, then finally answers the close.
        phoneSocket.send(new ClientMessage.Send(phoneSocket.nextRid(), notes, "after-sign-out", "sent after sign-out"));
        phoneSocket.answerClose();
        // The relay lets a connection go when the peer's close frame arrives, after every frame sent before it.
        await().atMost(Duration.ofSeconds(10)).until(() -> rest.as(rest.get("/api/info", null),
                dev.parley.protocol.api.ServerInfo.class).connections() == 1);

        // Writes run in order: had the phone's message been taken, it would be stored before this one.
        laptopSocket.sendText(notes, "from the laptop");
        String history = ok(rest.get("/api/conversations/" + notes + "/messages", laptop.accessToken())).body();
        assertTrue(history.contains("from the laptop"), history);
        assertFalse(history.contains("sent after sign-out"), history);
    }

    @Test
    void deletingSomeoneElsesSessionIsNotFoundAndChangesNothing() {
        AuthResponse victim = rest.newUser("pat");
        AuthResponse attacker = rest.newUser("quinn");
        WsTestClient victimSocket = relay.connect(victim.accessToken());

        assertError(rest.delete("/api/sessions/" + victim.sessionId(), attacker.accessToken()), 404,
                ErrorCode.NOT_FOUND);
        assertError(rest.delete("/api/sessions/no-such-session", attacker.accessToken()), 404, ErrorCode.NOT_FOUND);
        assertError(rest.delete("/api/sessions/" + victim.sessionId(), null), 401, ErrorCode.UNAUTHORIZED);

        ok(rest.get("/api/auth/me", victim.accessToken()));
        ok(refresh(victim.refreshToken()));
        assertEquals(List.of(victim.sessionId()), sessions(victim.accessToken()).stream()
                .map(SessionInfo::id).toList());
        assertEquals("still-mine", pingPong(victimSocket, "still-mine").nonce());
        assertTrue(victimSocket.receivedOf(ServerMessage.Error.class).isEmpty(), victimSocket.received().toString());
        assertFalse(victimSocket.isClosed());
        // The attacker's list shows only the attacker's device.
        assertEquals(List.of(attacker.sessionId()), sessions(attacker.accessToken()).stream()
                .map(SessionInfo::id).toList());
    }

    // ---------------------------------------------------------------------------------------------- error shape

    @Test
    void everyRestErrorHasExactlyErrorCodeAndTimestamp() {
        Instant before = Instant.now().minusSeconds(1);
        List<RestClient.Response> errors = new ArrayList<>();
        errors.add(rest.get("/api/auth/me", null));
        errors.add(register("ab", PASSWORD, null));
        errors.add(login("nobody", "whatever-password"));
        errors.add(rest.postRaw("/api/auth/login", null, "{not json"));
        errors.add(rest.get("/api/no-such-endpoint", null));
        errors.add(rest.postRaw("/api/auth/login", null, "null"));
        errors.add(rest.postRaw("/api/auth/register", null, "[]"));
        errors.add(rest.get("/ws", null));

        for (RestClient.Response response : errors) {
            assertTrue(response.status() >= 400, response.status() + " " + response.body());
            assertTrue(String.valueOf(response.header("Content-Type")).startsWith("application/json"),
                    "content type of " + response.body());
            JsonNode body = response.tree(relay.json());
            List<String> fields = new ArrayList<>();
            body.fieldNames().forEachRemaining(fields::add);
            assertEquals(Set.of("error", "code", "timestamp"), Set.copyOf(fields), body.toString());
            assertEquals(3, fields.size(), body.toString());
            assertTrue(body.path("error").isTextual() && !body.path("error").asText().isBlank(), body.toString());
            ErrorCode code = ErrorCode.fromWire(body.path("code").asText());
            assertEquals(code.httpStatus(), response.status(), body.toString());
            Instant timestamp = Instant.parse(body.path("timestamp").asText());
            assertFalse(timestamp.isBefore(before), body.toString());
            assertFalse(timestamp.isAfter(Instant.now().plusSeconds(1)), body.toString());
        }
        assertEquals("invalid_json", errors.get(3).tree(relay.json()).path("code").asText());
        assertEquals("not_found", errors.get(4).tree(relay.json()).path("code").asText());
        // Valid JSON that is not an object is the client's mistake, not an internal error.
        assertEquals(400, errors.get(5).status(), errors.get(5).body());
        assertEquals(400, errors.get(6).status(), errors.get(6).body());
        // Plain HTTP to the WebSocket endpoint says what it is instead of "not found".
        assertEquals("bad_request", errors.get(7).tree(relay.json()).path("code").asText());
        assertTrue(errors.get(7).body().contains("WebSocket"), errors.get(7).body());
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private RestClient.Response register(String username, String password, String displayName) {
        return rest.post("/api/auth/register", null, new RegisterRequest(username, password, displayName,
                new DeviceInfo("dev-" + username, "Laptop of " + username, "Linux", "test")));
    }

    private RestClient.Response login(String username, String password) {
        return login(username, password, "laptop");
    }

    private RestClient.Response login(String username, String password, String deviceName) {
        return rest.post("/api/auth/login", null, new LoginRequest(username, password,
                new DeviceInfo(deviceName, deviceName, "Linux", "test")));
    }

    private RestClient.Response refresh(String refreshToken) {
        return rest.post("/api/auth/refresh", null, new RefreshRequest(refreshToken));
    }

    private List<SessionInfo> sessions(String accessToken) {
        return rest.as(ok(rest.get("/api/sessions", accessToken)), new TypeReference<List<SessionInfo>>() {
        });
    }

    private SessionInfo sessionOf(String accessToken, String sessionId) {
        return sessions(accessToken).stream().filter(s -> s.id().equals(sessionId)).findFirst()
                .orElseThrow(() -> new AssertionError("no session " + sessionId));
    }

    /** Connects and says hello with the given device description (the test client's own hello uses a fixed one). */
    private ServerMessage.Welcome helloAs(String accessToken, DeviceInfo device) {
        WsTestClient client = relay.connect();
        client.send(new ClientMessage.Hello(ProtocolVersion.CURRENT, accessToken, device));
        return client.await(ServerMessage.Welcome.class, w -> true);
    }

    private static ServerMessage.Pong pingPong(WsTestClient client, String nonce) {
        client.send(new ClientMessage.Ping(nonce));
        return client.await(ServerMessage.Pong.class, p -> nonce.equals(p.nonce()));
    }

    private static String expiredToken(AuthResponse auth) {
        return new TokenService(TestRelay.JWT_SECRET.getBytes(UTF_8), Duration.ofMinutes(1),
                Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)))
                .issue(auth.user().id(), auth.sessionId()).token();
    }

    private static RestClient.Response ok(RestClient.Response response) {
        assertTrue(response.status() == 200 || response.status() == 201 || response.status() == 204,
                "expected success but got " + response.status() + " " + response.body());
        return response;
    }

    /** Asserts the status and the error code, and returns the body for further checks. */
    private JsonNode assertError(RestClient.Response response, int status, ErrorCode code) {
        assertEquals(status, response.status(), response.body());
        JsonNode body = response.tree(relay.json());
        assertEquals(code.wireName(), body.path("code").asText(), body.toString());
        assertTrue(body.path("error").isTextual() && !body.path("error").asText().isBlank(), body.toString());
        assertNotNull(body.get("timestamp"), body.toString());
        return body;
    }

    private static void assertNotBlank(String value, String what) {
        assertTrue(value != null && !value.isBlank(), what + " must not be blank");
    }
}
