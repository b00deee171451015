package dev.parley.relay.ws;

import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.Limits;
import dev.parley.protocol.PresenceStatus;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.ProtocolVersion;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.api.AuthResponse;
import dev.parley.protocol.api.CreateConversationRequest;
import dev.parley.relay.account.TokenService;
import dev.parley.relay.support.RawWebSocket;
import dev.parley.relay.support.RestClient;
import dev.parley.relay.support.TestRelay;
import dev.parley.relay.support.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the relay answers to bad frames and bad handshakes, over a real WebSocket. */
@Timeout(60)
class ProtocolErrorsIT {
    private TestRelay relay;
    private RestClient rest;
    private AuthResponse alice;
    private final ProtocolJson json = new ProtocolJson();

    @BeforeEach
    void start() {
        relay = TestRelay.start();
        rest = relay.rest();
        alice = rest.newUser("alice");
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    // ------------------------------------------------------------------------------------------- bad frames

    @Test
    void malformedJsonGetsInvalidJsonAndTheConnectionStaysOpen() {
        WsTestClient client = relay.connect(alice.accessToken());

        client.sendRaw("{\"type\":\"presence\",\"rid\":\"m1\",\"status\":");
        ServerMessage.Error error = client.await(ServerMessage.Error.class, e -> true);

        assertEquals(ErrorCode.INVALID_JSON, error.code());
        assertNull(error.rid(), "a frame that does not parse has no readable rid");
        assertFalse(error.message().isBlank());
        client.sendRaw("not json at all");
        client.await(ServerMessage.Error.class, e -> client.receivedOf(ServerMessage.Error.class).size() >= 2);
        assertEquals(ErrorCode.INVALID_JSON, client.receivedOf(ServerMessage.Error.class).get(1).code());
        assertStillServed(client);
    }

    @Test
    void jsonThatIsNotAnObjectIsAClientErrorAndTheConnectionStaysOpen() {
        WsTestClient client = relay.connect(alice.accessToken());
        List<String> frames = List.of("null", "[1,2,3]", "42", "\"hello\"", "true", "{}");

        for (int i = 0; i < frames.size(); i++) {
            client.sendRaw(frames.get(i));
            int expected = i + 1;
            client.await(ServerMessage.Error.class,
                    e -> client.receivedOf(ServerMessage.Error.class).size() >= expected);
        }

        List<ServerMessage.Error> errors = client.receivedOf(ServerMessage.Error.class);
        assertEquals(frames.size(), errors.size(), errors.toString());
        for (int i = 0; i < frames.size(); i++) {
            ServerMessage.Error error = errors.get(i);
            assertNull(error.rid(), error.toString());
            assertTrue(error.code().httpStatus() == 400, "frame " + frames.get(i) + " -> " + error);
        }
        assertStillServed(client);
    }

    @Test
    void aWellFormedFrameWithBadFieldsGetsAnErrorWithItsRid() {
        WsTestClient client = relay.connect(alice.accessToken());

        client.sendRaw("{\"type\":\"sync\",\"rid\":\"v1\",\"conv\":\"not a number\",\"after\":0}");
        ServerMessage.Error wrongType = assertInstanceOf(ServerMessage.Error.class, client.reply("v1"));
        assertEquals(ErrorCode.VALIDATION_FAILED, wrongType.code());

        client.sendRaw("{\"type\":\"sync\",\"conv\":1,\"after\":0}");
        ServerMessage.Error noRid = client.await(ServerMessage.Error.class, e -> e.rid() == null);
        assertEquals(ErrorCode.VALIDATION_FAILED, noRid.code());
        assertTrue(noRid.message().contains("rid"), noRid.message());
        assertStillServed(client);
    }

    @Test
    void anUnknownTypeGetsUnknownTypeWithTheRid() {
        WsTestClient client = relay.connect(alice.accessToken());

        client.sendRaw("{\"type\":\"launch-missiles\",\"rid\":\"u1\",\"target\":\"moon\"}");
        ServerMessage.Error error = assertInstanceOf(ServerMessage.Error.class, client.reply("u1"));

        assertEquals(ErrorCode.UNKNOWN_TYPE, error.code());
        assertTrue(error.message().contains("launch-missiles"), error.message());
        assertStillServed(client);
    }

    @Test
    void aFrameJustOverTheLimitGetsFrameTooLargeAndTheConnectionStaysOpen() {
        WsTestClient client = relay.connect(alice.accessToken());

        String frame = padded("{\"type\":\"send\",\"rid\":\"big1\",\"conv\":1,\"clientId\":\"c1\",\"text\":\"", "x",
                "\"}", Limits.MAX_FRAME_BYTES + 1);
        assertEquals(Limits.MAX_FRAME_BYTES + 1, frame.getBytes(UTF_8).length);
        client.sendRaw(frame);
        ServerMessage.Error error = client.await(ServerMessage.Error.class, e -> true);

        assertEquals(ErrorCode.FRAME_TOO_LARGE, error.code());
        assertEquals("big1", error.rid(), "the rid of an oversized but readable frame is reported");
        assertTrue(error.message().contains(Integer.toString(Limits.MAX_FRAME_BYTES)), error.message());
        assertStillServed(client);
    }

    @Test
    void theFrameLimitCountsUtf8BytesNotCharacters() {
        WsTestClient client = relay.connect(alice.accessToken());
        // Fewer characters than the limit, but three bytes each.
        String frame = padded("{\"type\":\"send\",\"rid\":\"big2\",\"conv\":1,\"clientId\":\"c2\",\"text\":\"", "€",
                "\"}", Limits.MAX_FRAME_BYTES + 3);
        assertTrue(frame.length() < Limits.MAX_FRAME_BYTES);

        client.sendRaw(frame);

        ServerMessage.Error error = assertInstanceOf(ServerMessage.Error.class, client.reply("big2"));
        assertEquals(ErrorCode.FRAME_TOO_LARGE, error.code());
        assertStillServed(client);
    }

    @Test
    void aFrameFarBeyondTheLimitClosesTheConnectionWith1009() {
        WsTestClient client = relay.connect(alice.accessToken());
        WsTestClient bystander = relay.connect(alice.accessToken());

        String frame = padded("{\"type\":\"send\",\"rid\":\"huge\",\"conv\":1,\"clientId\":\"c3\",\"text\":\"", "x",
                "\"}", 4 * Limits.MAX_FRAME_BYTES + 1);
        try {
            client.sendRaw(frame);
        } catch (RuntimeException sendFailed) {
            // The relay may cut the connection while the frame is still being written.
        }

        assertEquals(CloseCodes.MESSAGE_TOO_BIG, client.awaitClose());
        assertStillServed(bystander);
    }

    @Test
    void aTextMessageThatIsNotUtf8IsClosedWith1007() throws Exception {
        try (RawWebSocket raw = RawWebSocket.open(relay.ws())) {
            // a two-byte sequence with an invalid continuation byte
            raw.send(true, RawWebSocket.TEXT, new byte[] {(byte) 0xC3, (byte) 0x28});

            RawWebSocket.Frame close = raw.read();
            assertEquals(RawWebSocket.CLOSE, close.opcode());
            assertEquals(1007, close.closeCode());
        }
        assertStillServed(relay.connect(alice.accessToken()));
    }

    @Test
    void brokenUtf8AcrossFragmentsIsClosedWith1007() throws Exception {
        try (RawWebSocket raw = RawWebSocket.open(relay.ws())) {
            raw.send(false, RawWebSocket.TEXT, new byte[] {'{', (byte) 0xC3});
            raw.send(true, RawWebSocket.CONTINUATION, new byte[] {0x28, '}'});

            RawWebSocket.Frame close = raw.read();
            assertEquals(RawWebSocket.CLOSE, close.opcode());
            assertEquals(1007, close.closeCode());
        }
    }

    @Test
    void textInOneFrameKeepsEveryCharacter() {
        AuthResponse bob = rest.newUser("bob");
        long dm = createDm(alice, bob.user().id());
        WsTestClient client = relay.connect(alice.accessToken());
        String text = "Grüße: 5 € for the 日本 team \uD83D\uDE00";

        client.sendText(dm, text);

        assertEquals(List.of(text), messageTexts(client, dm));
    }

    @Test
    void aCharacterSplitBetweenFragmentsArrivesWhole() throws Exception {
        AuthResponse bob = rest.newUser("bob");
        long dm = createDm(alice, bob.user().id());
        String text = "split \uD83D\uDE00 here";
        byte[] send = json.encode(new ClientMessage.Send("s1", dm, UUID.randomUUID().toString(), text))
                .getBytes(UTF_8);
        // cut inside the emoji's four bytes
        int cut = indexOf(send, "\uD83D\uDE00".getBytes(UTF_8)) + 2;
        try (RawWebSocket raw = RawWebSocket.open(relay.ws())) {
            raw.sendText(json.encode(hello(ProtocolVersion.CURRENT, alice.accessToken())));
            raw.readUntil(f -> f.text().startsWith("{\"type\":\"welcome\""));

            raw.send(false, RawWebSocket.TEXT, Arrays.copyOfRange(send, 0, cut));
            raw.send(true, RawWebSocket.CONTINUATION, Arrays.copyOfRange(send, cut, send.length));

            RawWebSocket.Frame ack = raw.readUntil(f -> f.text().contains("\"rid\":\"s1\""));
            assertTrue(ack.text().startsWith("{\"type\":\"ack\""), ack.text());
        }
        assertEquals(List.of(text), messageTexts(relay.connect(alice.accessToken()), dm));
    }

    @Test
    void aMessageSentInFragmentsIsAnsweredOnce() {
        WsTestClient client = relay.connect(alice.accessToken());
        ClientMessage.SetPresence request = new ClientMessage.SetPresence(client.nextRid(), PresenceStatus.AWAY);

        client.sendFragmented(request, 3);

        assertInstanceOf(ServerMessage.Ack.class, client.reply(request.rid()));
        assertStillServed(client);
    }

    @Test
    void transportPingsAreAnsweredAndBinaryFramesIgnored() {
        WsTestClient client = relay.connect(alice.accessToken());
        byte[] payload = "are you there".getBytes(UTF_8);

        assertEquals(new String(payload, UTF_8), new String(client.transportPing(payload), UTF_8));
        client.sendBinary(new byte[] {1, 2, 3});

        assertStillServed(client);
    }

    @Test
    void textOverTheLimitIsRefusedWithTooLongNotTruncated() {
        AuthResponse bob = rest.newUser("bob");
        long dm = createDm(alice, bob.user().id());
        WsTestClient client = relay.connect(alice.accessToken());
        String text = "y".repeat(Limits.MAX_TEXT_LENGTH + 1);

        client.sendRaw("{\"type\":\"send\",\"rid\":\"t1\",\"conv\":" + dm + ",\"clientId\":\"" + UUID.randomUUID()
                + "\",\"text\":\"" + text + "\"}");
        ServerMessage.Error error = assertInstanceOf(ServerMessage.Error.class, client.reply("t1"));

        assertEquals(ErrorCode.TOO_LONG, error.code());
        assertTrue(error.message().contains(Integer.toString(Limits.MAX_TEXT_LENGTH)), error.message());
        // Exactly at the limit is fine, and nothing of the refused message was stored.
        ServerMessage.Ack ack = client.sendText(dm, "z".repeat(Limits.MAX_TEXT_LENGTH));
        ServerMessage.Events events = assertInstanceOf(ServerMessage.Events.class,
                client.request(new ClientMessage.Sync(client.nextRid(), dm, 0, null)));
        assertEquals(List.of(Limits.MAX_TEXT_LENGTH), events.events().stream()
                .filter(e -> e.kind() == EventKind.MESSAGE).map(e -> e.text().length()).toList());
        assertEquals(ack.seq(), events.lastSeq());
    }

    // -------------------------------------------------------------------------------------------- handshake

    @Test
    void aFirstFrameThatIsNotHelloIsRefusedWith4004() {
        WsTestClient client = relay.connect();

        client.send(new ClientMessage.Ping("too-early"));

        ServerMessage.Error error = client.await(ServerMessage.Error.class, e -> true);
        assertEquals(ErrorCode.HELLO_REQUIRED, error.code());
        assertEquals(CloseCodes.HELLO_REQUIRED, client.awaitClose());
        assertTrue(client.receivedOf(ServerMessage.Pong.class).isEmpty());
    }

    @Test
    void aRequestBeforeHelloIsNotExecuted() {
        AuthResponse bob = rest.newUser("bob");
        long dm = createDm(alice, bob.user().id());
        WsTestClient client = relay.connect();

        client.send(new ClientMessage.Send("s1", dm, UUID.randomUUID().toString(), "sneaky"));

        assertEquals(ErrorCode.HELLO_REQUIRED, client.await(ServerMessage.Error.class, e -> true).code());
        assertEquals(CloseCodes.HELLO_REQUIRED, client.awaitClose());
        WsTestClient bobClient = relay.connect(bob.accessToken());
        ServerMessage.Events events = assertInstanceOf(ServerMessage.Events.class,
                bobClient.request(new ClientMessage.Sync(bobClient.nextRid(), dm, 0, null)));
        assertTrue(events.events().stream().noneMatch(e -> "sneaky".equals(e.text())), events.toString());
    }

    @Test
    void helloWithAWrongTokenIsUnauthorizedAndClosedWith4001() {
        WsTestClient client = relay.connect();

        client.send(hello(ProtocolVersion.CURRENT, "definitely-not-a-jwt"));

        assertEquals(ErrorCode.UNAUTHORIZED, client.await(ServerMessage.Error.class, e -> true).code());
        assertEquals(CloseCodes.UNAUTHORIZED, client.awaitClose());
        assertTrue(client.receivedOf(ServerMessage.Welcome.class).isEmpty());
    }

    @Test
    void helloWithAnExpiredTokenIsTokenExpiredAndClosedWith4001() {
        String expired = new TokenService(TestRelay.JWT_SECRET.getBytes(UTF_8), Duration.ofMinutes(1),
                Clock.offset(Clock.systemUTC(), Duration.ofHours(-1))).issue(alice.user().id(), alice.sessionId())
                .token();
        WsTestClient client = relay.connect();

        client.send(hello(ProtocolVersion.CURRENT, expired));

        assertEquals(ErrorCode.TOKEN_EXPIRED, client.await(ServerMessage.Error.class, e -> true).code());
        assertEquals(CloseCodes.UNAUTHORIZED, client.awaitClose());
        assertTrue(client.receivedOf(ServerMessage.Welcome.class).isEmpty());
    }

    @Test
    void anUnsupportedProtocolVersionIsRefusedNamingBothVersions() {
        WsTestClient client = relay.connect();
        int future = ProtocolVersion.CURRENT + 1;

        client.send(hello(future, alice.accessToken()));

        ServerMessage.Error error = client.await(ServerMessage.Error.class, e -> true);
        assertEquals(ErrorCode.UNSUPPORTED_PROTOCOL, error.code());
        assertTrue(error.message().contains("protocol " + ProtocolVersion.CURRENT), error.message());
        assertTrue(error.message().contains("protocol " + future), error.message());
        assertEquals(CloseCodes.UNSUPPORTED_PROTOCOL, client.awaitClose());
    }

    @Test
    void helloTwiceIsABadRequestAndTheConnectionStaysOpen() {
        WsTestClient client = relay.connect(alice.accessToken());

        client.send(hello(ProtocolVersion.CURRENT, alice.accessToken()));

        ServerMessage.Error error = client.await(ServerMessage.Error.class, e -> true);
        assertEquals(ErrorCode.BAD_REQUEST, error.code());
        assertEquals(1, client.receivedOf(ServerMessage.Welcome.class).size());
        assertStillServed(client);
    }

    @Test
    void noHelloWithinTheTimeoutClosesWith4004() {
        try (TestRelay strict = TestRelay.start("--hello-timeout-seconds", "1")) {
            long openedAt = System.nanoTime();
            WsTestClient silent = strict.connect();
            AuthResponse dora = strict.rest().newUser("dora");
            WsTestClient polite = strict.connect(dora.accessToken());

            assertEquals(CloseCodes.HELLO_REQUIRED, silent.awaitClose());
            long waitedMs = Duration.ofNanos(System.nanoTime() - openedAt).toMillis();
            assertTrue(waitedMs >= 900, "closed after " + waitedMs + " ms, before the 1 s hello timeout");
            // A connection that did say hello in time is not swept.
            assertEquals("still-open", ping(polite, "still-open").nonce());
            assertFalse(polite.isClosed());
        }
    }

    // ------------------------------------------------------------------------------------- isolation, ping

    @Test
    void oneClientSendingGarbageDoesNotDisturbOthers() throws Exception {
        AuthResponse bob = rest.newUser("bob");
        AuthResponse carol = rest.newUser("carol");
        long dm = createDm(bob, carol.user().id());
        WsTestClient vandal = relay.connect(alice.accessToken());
        WsTestClient bobClient = relay.connect(bob.accessToken());
        WsTestClient carolClient = relay.connect(carol.accessToken());
        String oversized = "{\"type\":\"send\",\"rid\":\"o\",\"text\":\"" + "g".repeat(Limits.MAX_FRAME_BYTES) + "\"}";
        List<String> garbage = List.of("{{{{", "[1,2,3]", "{\"type\":\"nope\",\"rid\":\"n\"}", "null", oversized,
                "{\"type\":\"send\",\"rid\":\"x\",\"conv\":-1}");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();

        CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                vandal.sendRaw(garbage.get(sent.getAndIncrement() % garbage.size()));
            }
        });
        try {
            for (int i = 0; i < 10; i++) {
                ServerMessage.Ack ack = bobClient.sendText(dm, "through the noise " + i);
                ServerMessage.Event event = carolClient.await(ServerMessage.Event.class,
                        e -> e.event().seq() == ack.seq());
                assertEquals("through the noise " + i, event.event().text());
                assertEquals(bob.user().id(), event.event().sender());
            }
        } finally {
            stop.set(true);
            try {
                flood.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError("the relay dropped the connection sending garbage (close code "
                        + (vandal.isClosed() ? vandal.awaitClose() : "none") + ") instead of answering errors", e);
            }
        }

        assertTrue(sent.get() > 0);
        vandal.await(ServerMessage.Error.class, e -> vandal.receivedOf(ServerMessage.Error.class).size() >= sent.get());
        assertTrue(vandal.receivedOf(ServerMessage.Error.class).stream()
                .allMatch(e -> e.code() != ErrorCode.INTERNAL_ERROR), "garbage is a client error, not a crash");
        assertTrue(vandal.receivedOf(ServerMessage.Event.class).isEmpty(), "the vandal is not in the conversation");
        assertStillServed(vandal);
        assertTrue(bobClient.receivedOf(ServerMessage.Error.class).isEmpty(), bobClient.received().toString());
        assertTrue(carolClient.receivedOf(ServerMessage.Error.class).isEmpty(), carolClient.received().toString());
    }

    @Test
    void pingIsAnsweredWithPongCarryingTheNonce() {
        WsTestClient client = relay.connect(alice.accessToken());
        long before = System.currentTimeMillis();

        ServerMessage.Pong first = ping(client, "nonce-1");
        ServerMessage.Pong second = ping(client, "nonce-2");

        assertEquals("nonce-1", first.nonce());
        assertEquals("nonce-2", second.nonce());
        assertTrue(first.serverTime() >= before - 5_000 && first.serverTime() <= System.currentTimeMillis() + 5_000,
                "serverTime is the relay's clock in epoch ms: " + first.serverTime());
        assertEquals(2, client.receivedOf(ServerMessage.Pong.class).size());
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** The connection still answers a request: it was neither closed nor left in a broken state. */
    private static void assertStillServed(WsTestClient client) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            ServerMessage reply = client.request(new ClientMessage.SetPresence(client.nextRid(), PresenceStatus.AWAY));
            if (reply instanceof ServerMessage.Ack) {
                assertFalse(client.isClosed());
                return;
            }
            // A client that flooded the relay may have to wait for its budget; anything else is a failure.
            ServerMessage.Error error = assertInstanceOf(ServerMessage.Error.class, reply);
            assertEquals(ErrorCode.RATE_LIMITED, error.code(), error.toString());
            assertTrue(System.nanoTime() < deadline, "still rate-limited after 10 s: " + error);
            long readyAt = System.nanoTime() + Duration.ofMillis(error.retryAfterMs()).toNanos();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                    .until(() -> System.nanoTime() - readyAt >= 0);
        }
    }

    private static ServerMessage.Pong ping(WsTestClient client, String nonce) {
        client.send(new ClientMessage.Ping(nonce));
        return client.await(ServerMessage.Pong.class, p -> nonce.equals(p.nonce()));
    }

    private static ClientMessage.Hello hello(int protocol, String token) {
        return new ClientMessage.Hello(protocol, token, new DeviceInfo("d1", "Test device", "Linux", "test"));
    }

    private static List<String> messageTexts(WsTestClient client, long conv) {
        ServerMessage.Events events = assertInstanceOf(ServerMessage.Events.class,
                client.request(new ClientMessage.Sync(client.nextRid(), conv, 0, null)));
        return events.events().stream().filter(e -> e.kind() == EventKind.MESSAGE).map(e -> e.text()).toList();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    /** prefix + repeated filler + suffix, with as many fillers as make the UTF-8 length at least {@code bytes}. */
    private static String padded(String prefix, String filler, String suffix, int bytes) {
        int fixed = (prefix + suffix).getBytes(StandardCharsets.UTF_8).length;
        int fillerBytes = filler.getBytes(StandardCharsets.UTF_8).length;
        int count = (bytes - fixed + fillerBytes - 1) / fillerBytes;
        return prefix + filler.repeat(count) + suffix;
    }

    private long createDm(AuthResponse from, long to) {
        RestClient.Response response = rest.post("/api/conversations", from.accessToken(),
                new CreateConversationRequest(ConversationKind.DM, null, null, List.of(to), null));
        assertEquals(201, response.status(), response.body());
        return rest.as(response, ConversationSummary.class).id();
    }
}
