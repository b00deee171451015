package dev.parley.relay.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.api.AuthResponse;
import dev.parley.protocol.api.CreateConversationRequest;
import dev.parley.protocol.api.LoginRequest;
import dev.parley.protocol.api.MessagePage;
import dev.parley.protocol.api.RefreshRequest;
import dev.parley.protocol.api.RegisterRequest;
import dev.parley.relay.support.RestClient;
import dev.parley.relay.support.TestRelay;
import dev.parley.relay.support.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rate limits on sign-in (per account, per address) and on WebSocket requests, against a real relay. */
@Timeout(60)
class RateLimitIT {
    private static final String PASSWORD = RestClient.PASSWORD;

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

    // ------------------------------------------------------------------------------------------ per account

    @Test
    void guessingOnePasswordIsLimitedPerAccountWithoutLockingOutOthers() throws Exception {
        start("--login-per-account-per-minute", "5", "--auth-per-address-per-minute", "1000");
        AuthResponse victim = rest.newUser("victim");
        AuthResponse bystander = rest.newUser("bystander");
        String victimName = victim.user().username();

        List<Integer> statuses = new ArrayList<>();
        RestClient.Response limited = null;
        for (int attempt = 1; attempt <= 20 && limited == null; attempt++) {
            RestClient.Response response = login(victimName, "guess number " + attempt);
            statuses.add(response.status());
            if (response.status() == 429) {
                limited = response;
            } else {
                assertError(response, 401, ErrorCode.INVALID_CREDENTIALS);
            }
        }

        assertNotNull(limited, "twenty wrong passwords in a row were never limited: " + statuses);
        assertEquals(List.of(401, 401, 401, 401, 401, 429), statuses, "limited after exactly 5 attempts");
        assertError(limited, 429, ErrorCode.RATE_LIMITED);
        assertRetryAfter(limited, 60);

        // Someone else signs in normally in the same minute, from the same address.
        RestClient.Response other = login(bystander.user().username(), PASSWORD);
        assertEquals(200, other.status(), other.body());
        assertEquals(bystander.user().id(), rest.as(other, AuthResponse.class).user().id());

        // The bucket belongs to the account at this address: even the right password waits, in any letter case.
        assertError(login(victimName, PASSWORD), 429, ErrorCode.RATE_LIMITED);
        assertError(login(victimName.toUpperCase(java.util.Locale.ROOT), PASSWORD), 429, ErrorCode.RATE_LIMITED);
        // Devices already signed in are not affected.
        assertEquals(200, rest.get("/api/auth/me", victim.accessToken()).status());
        // Nor is the owner at another address: whoever guesses cannot lock them out.
        HttpResponse<String> fromElsewhere = send(HttpClient.newBuilder()
                        .localAddress(java.net.InetAddress.getByName("127.0.0.2")).build(),
                HttpRequest.newBuilder(relay.http().resolve("/api/auth/login"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(relay.json().write(new LoginRequest(victimName,
                                PASSWORD, new DeviceInfo("phone", "phone", "Linux", "test")))))
                        .build());
        assertEquals(200, fromElsewhere.statusCode(), fromElsewhere.body());
    }

    // ------------------------------------------------------------------------------------------ per address

    @Test
    void registerAndLoginAreLimitedPerAddress() {
        start("--auth-per-address-per-minute", "3", "--login-per-account-per-minute", "1000");

        assertEquals(201, register("uma").status());
        assertEquals(200, login("uma", PASSWORD).status());
        assertError(login("uma", "wrong password!"), 401, ErrorCode.INVALID_CREDENTIALS);

        RestClient.Response fourthRegister = register("victor");
        assertError(fourthRegister, 429, ErrorCode.RATE_LIMITED);
        assertRetryAfter(fourthRegister, 60);
        RestClient.Response fourthLogin = login("uma", PASSWORD);
        assertError(fourthLogin, 429, ErrorCode.RATE_LIMITED);
        assertRetryAfter(fourthLogin, 60);
        assertError(rest.post("/api/auth/refresh", null, new RefreshRequest("some.token")), 429,
                ErrorCode.RATE_LIMITED);
    }

    @Test
    void aForgedForwardedForHeaderDoesNotEscapeThePerAddressLimit() throws Exception {
        start("--auth-per-address-per-minute", "3", "--login-per-account-per-minute", "1000");
        HttpClient http = HttpClient.newHttpClient();

        List<Integer> statuses = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            HttpRequest request = HttpRequest.newBuilder(relay.http().resolve("/api/auth/login"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("X-Forwarded-For", "10.0.0." + i)
                    .header("X-Real-IP", "10.0.1." + i)
                    .header("Forwarded", "for=10.0.2." + i)
                    .POST(HttpRequest.BodyPublishers.ofString(relay.json().write(
                            new LoginRequest("nobody" + i, "some password", null))))
                    .build();
            statuses.add(send(http, request).statusCode());
        }

        assertEquals(List.of(401, 401, 401, 429, 429, 429), statuses);
    }

    // -------------------------------------------------------------------------------------------- WebSocket

    @Test
    void aFloodOfRequestsIsAnsweredRateLimitedAndTheConnectionStaysUsable() {
        start("--ws-requests-per-second", "1", "--ws-burst", "5");
        AuthResponse alice = rest.newUser("alice");
        AuthResponse bob = rest.newUser("bob");
        long dm = createDm(alice, bob.user().id());
        WsTestClient flooder = relay.connect(alice.accessToken());
        WsTestClient other = relay.connect(bob.accessToken());

        List<String> rids = new ArrayList<>();
        long floodStartedAt = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            ClientMessage.Send send = new ClientMessage.Send(flooder.nextRid(), dm, UUID.randomUUID().toString(),
                    "flood " + i);
            rids.add(send.rid());
            flooder.send(send);
        }
        List<ServerMessage> replies = rids.stream().map(flooder::reply).toList();
        long receivedLastAt = System.nanoTime();

        // Exactly one reply per request; the burst goes through in order, the rest is refused, never dropped.
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(ServerMessage.Ack.class, replies.get(i), "request " + i + " is within the burst");
        }
        List<ServerMessage.Error> refused = replies.stream().filter(ServerMessage.Error.class::isInstance)
                .map(ServerMessage.Error.class::cast).toList();
        long acked = replies.stream().filter(ServerMessage.Ack.class::isInstance).count();
        assertEquals(10, acked + refused.size(), replies.toString());
        long floodSeconds = Duration.ofNanos(receivedLastAt - floodStartedAt).toSeconds();
        assertTrue(acked <= 5 + floodSeconds + 1, "burst 5 plus 1/s over " + floodSeconds + " s: " + replies);
        assertTrue(refused.size() >= 1, "10 requests at once with a burst of 5 and 1/s: " + replies);
        for (ServerMessage.Error error : refused) {
            assertEquals(ErrorCode.RATE_LIMITED, error.code(), error.toString());
            assertNotNull(error.retryAfterMs(), error.toString());
            assertTrue(error.retryAfterMs() > 0 && error.retryAfterMs() <= 1000, error.toString());
            assertTrue(rids.contains(error.rid()), error.toString());
        }
        assertEquals(rids.size(), flooder.received().stream()
                .filter(m -> m instanceof ServerMessage.Ack || m instanceof ServerMessage.Error).count(),
                "no request got two replies: " + flooder.received());
        assertFalse(flooder.isClosed(), "a rate-limited client is slowed down, not disconnected");

        // Other connections have their own budget: bob is served at once, and the fan-out reaches alice.
        for (int i = 0; i < 3; i++) {
            ServerMessage.Ack ack = other.sendText(dm, "bob " + i);
            flooder.await(ServerMessage.Event.class, e -> e.event().seq() == ack.seq());
        }

        // After the advertised wait the same connection is served again.
        long retryAfterMs = refused.getLast().retryAfterMs();
        long readyAt = receivedLastAt + Duration.ofMillis(retryAfterMs).toNanos();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> System.nanoTime() - readyAt >= 0);
        ServerMessage.Ack later = flooder.sendText(dm, "after waiting");
        assertTrue(later.seq() > 0);

        // Refused requests stored nothing: the log holds exactly the acknowledged messages.
        MessagePage page = rest.as(rest.get("/api/conversations/" + dm + "/messages?after=0&limit=200",
                bob.accessToken()), MessagePage.class);
        long messages = page.events().stream().filter(e -> e.kind() == EventKind.MESSAGE).count();
        assertEquals(acked + 3 + 1, messages, page.events().toString());
    }

    @Test
    void malformedFramesCountAgainstTheConnectionLimitToo() {
        start("--ws-requests-per-second", "1", "--ws-burst", "5");
        AuthResponse alice = rest.newUser("alice");
        WsTestClient client = relay.connect(alice.accessToken());

        for (int i = 0; i < 10; i++) {
            client.sendRaw("{\"type\":\"presence\",\"rid\":\"g" + i + "\",\"status\":");
        }
        client.await(ServerMessage.Error.class, e -> client.receivedOf(ServerMessage.Error.class).size() >= 10);
        List<ServerMessage.Error> errors = client.receivedOf(ServerMessage.Error.class);

        long invalid = errors.stream().filter(e -> e.code() == ErrorCode.INVALID_JSON).count();
        long limited = errors.stream().filter(e -> e.code() == ErrorCode.RATE_LIMITED).count();
        assertEquals(10, invalid + limited, errors.toString());
        assertTrue(invalid >= 5, errors.toString());
        assertTrue(limited >= 3, "garbage must not be a way around the request limit: " + errors);
        assertFalse(client.isClosed());
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private long createDm(AuthResponse from, long to) {
        RestClient.Response response = rest.post("/api/conversations", from.accessToken(),
                new CreateConversationRequest(ConversationKind.DM, null, null, List.of(to), null));
        assertEquals(201, response.status(), response.body());
        return rest.as(response, ConversationSummary.class).id();
    }

    private RestClient.Response register(String username) {
        return rest.post("/api/auth/register", null, new RegisterRequest(username, PASSWORD, null,
                new DeviceInfo("dev", "laptop", "Linux", "test")));
    }

    private RestClient.Response login(String username, String password) {
        return rest.post("/api/auth/login", null, new LoginRequest(username, password,
                new DeviceInfo("dev", "laptop", "Linux", "test")));
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws IOException,
            InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode assertError(RestClient.Response response, int status, ErrorCode code) {
        assertEquals(status, response.status(), response.body());
        JsonNode body = response.tree(relay.json());
        assertEquals(code.wireName(), body.path("code").asText(), body.toString());
        assertTrue(!body.path("error").asText().isBlank(), body.toString());
        return body;
    }

    private static void assertRetryAfter(RestClient.Response response, int maxSeconds) {
        String retryAfter = response.header("Retry-After");
        assertNotNull(retryAfter, "a 429 says when to come back");
        long seconds = Long.parseLong(retryAfter.strip());
        assertTrue(seconds >= 1 && seconds <= maxSeconds, "Retry-After: " + retryAfter);
    }
}
