package dev.parley.relay.call;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.parley.protocol.CallEndReason;
import dev.parley.protocol.CallMedia;
import dev.parley.protocol.CallOutcome;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.IceServer;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.Signal;
import dev.parley.protocol.SignalKind;
import dev.parley.protocol.api.AuthResponse;
import dev.parley.protocol.api.CreateConversationRequest;
import dev.parley.protocol.api.IceServers;
import dev.parley.relay.support.RestClient;
import dev.parley.relay.support.TestRelay;
import dev.parley.relay.support.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The call state machine end to end: real relay, real sockets, every way a call can end. */
@Timeout(60)
class CallIT {
    private static final Signal OFFER = new Signal(SignalKind.OFFER, "v=0 offer", null, null, null);
    private static final Signal ANSWER = new Signal(SignalKind.ANSWER, "v=0 answer", null, null, null);
    private static final Signal CANDIDATE = new Signal(SignalKind.ICE, null,
            "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", "0", 0);

    private TestRelay relay;
    private RestClient rest;
    private AuthResponse alice;
    private AuthResponse bob;
    private long dm;

    private void start(String... flags) {
        relay = TestRelay.start(flags);
        rest = relay.rest();
        alice = rest.newUser("alice");
        bob = rest.newUser("bob");
        dm = dm(alice, bob);
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private long dm(AuthResponse from, AuthResponse to) {
        return rest.as(rest.post("/api/conversations", from.accessToken(), new CreateConversationRequest(
                ConversationKind.DM, null, null, List.of(to.user().id()), null)), ConversationSummary.class).id();
    }

    private String invite(WsTestClient caller, long conv, CallMedia media) {
        ServerMessage.Ack ack = caller.ack(new ClientMessage.CallInvite(caller.nextRid(), conv, media));
        assertNotNull(ack.callId());
        return ack.callId();
    }

    private static ServerMessage.CallEnded ended(WsTestClient client, String callId) {
        return client.await(ServerMessage.CallEnded.class, e -> e.callId().equals(callId));
    }

    private static LogEvent callRecord(WsTestClient client, String callId) {
        return client.await(ServerMessage.Event.class, e -> e.event().kind() == EventKind.CALL
                && e.event().call().id().equals(callId)).event();
    }

    @Test
    void anAnsweredCallRingsEveryDeviceForwardsSignalingBetweenTheTwoAndIsLogged() {
        start();
        WsTestClient caller = relay.connect(alice.accessToken());
        AuthResponse bobPhone = rest.login(bob.user().username(), RestClient.PASSWORD, "phone");
        WsTestClient laptop = relay.connect(bob.accessToken());
        WsTestClient phone = relay.connect(bobPhone.accessToken());

        String callId = invite(caller, dm, CallMedia.VIDEO);
        ServerMessage.CallRing ring = laptop.await(ServerMessage.CallRing.class, r -> r.callId().equals(callId));
        phone.await(ServerMessage.CallRing.class, r -> r.callId().equals(callId));
        assertEquals(alice.user().id(), ring.caller());
        assertEquals(CallMedia.VIDEO, ring.media());

        laptop.ack(new ClientMessage.CallAccept(laptop.nextRid(), callId));
        caller.await(ServerMessage.CallAccepted.class, a -> a.callId().equals(callId));
        assertEquals(CallEndReason.ANSWERED_ELSEWHERE, ended(phone, callId).reason());

        caller.send(new ClientMessage.CallSignal(callId, OFFER));
        ServerMessage.CallSignal offer = laptop.await(ServerMessage.CallSignal.class, s -> s.callId().equals(callId));
        assertEquals(OFFER, offer.signal());
        assertEquals(alice.user().id(), offer.from());
        laptop.send(new ClientMessage.CallSignal(callId, ANSWER));
        laptop.send(new ClientMessage.CallSignal(callId, CANDIDATE));
        caller.await(ServerMessage.CallSignal.class, s -> s.signal().equals(CANDIDATE));
        assertEquals(List.of(ANSWER, CANDIDATE), caller.receivedOf(ServerMessage.CallSignal.class).stream()
                .map(ServerMessage.CallSignal::signal).toList(), "signals arrive once each, in order");

        ServerMessage.Error stranger = phone.error(new ClientMessage.CallHangup(phone.nextRid(), callId));
        assertEquals(ErrorCode.FORBIDDEN, stranger.code(), "the device that did not answer cannot end the call");
        caller.ack(new ClientMessage.CallHangup(caller.nextRid(), callId));
        ServerMessage.CallEnded atCallee = ended(laptop, callId);
        assertEquals(CallEndReason.HUNG_UP, atCallee.reason());
        assertNotNull(atCallee.durationMs());

        LogEvent record = callRecord(caller, callId);
        assertEquals(alice.user().id(), record.sender());
        assertEquals(CallOutcome.ANSWERED, record.call().outcome());
        assertEquals(atCallee.durationMs(), record.call().durationMs());
        assertTrue(phone.receivedOf(ServerMessage.CallSignal.class).isEmpty(),
                "signaling went only to the device that answered");
        List<LogEvent> history = rest.as(rest.get("/api/calls/history", bob.accessToken()),
                new TypeReference<List<LogEvent>>() {
                });
        assertEquals(List.of(callId), history.stream().map(e -> e.call().id()).toList());
    }

    @Test
    void aDeclineEndsTheCallOnEveryDevice() {
        start();
        WsTestClient caller = relay.connect(alice.accessToken());
        WsTestClient laptop = relay.connect(bob.accessToken());
        WsTestClient phone = relay.connect(rest.login(bob.user().username(), RestClient.PASSWORD, "p").accessToken());
        String callId = invite(caller, dm, CallMedia.AUDIO);
        phone.await(ServerMessage.CallRing.class, r -> r.callId().equals(callId));

        phone.ack(new ClientMessage.CallDecline(phone.nextRid(), callId));

        assertEquals(CallEndReason.DECLINED, ended(caller, callId).reason());
        assertEquals(CallEndReason.DECLINED, ended(laptop, callId).reason());
        assertEquals(CallOutcome.DECLINED, callRecord(caller, callId).call().outcome());
        assertEquals(ErrorCode.NOT_FOUND,
                laptop.error(new ClientMessage.CallAccept(laptop.nextRid(), callId)).code(), "too late to accept");
    }

    @Test
    void aCalleeInAnotherCallIsBusy() {
        start();
        AuthResponse carol = rest.newUser("carol");
        long carolAndBob = dm(carol, bob);
        WsTestClient caller = relay.connect(alice.accessToken());
        WsTestClient callee = relay.connect(bob.accessToken());
        WsTestClient third = relay.connect(carol.accessToken());
        String first = invite(caller, dm, CallMedia.AUDIO);
        callee.await(ServerMessage.CallRing.class, r -> r.callId().equals(first));

        String second = invite(third, carolAndBob, CallMedia.AUDIO);

        assertEquals(CallEndReason.BUSY, ended(third, second).reason());
        assertEquals(CallOutcome.BUSY, callRecord(third, second).call().outcome());
        assertTrue(callee.receivedOf(ServerMessage.CallRing.class).stream().noneMatch(r -> r.callId().equals(second)));
        assertEquals(ErrorCode.CONFLICT, caller.error(new ClientMessage.CallInvite(caller.nextRid(), dm,
                CallMedia.AUDIO)).code(), "one call at a time");
    }

    @Test
    void theCallerCancellingWhileItRingsIsAMissedCall() {
        start();
        WsTestClient caller = relay.connect(alice.accessToken());
        WsTestClient callee = relay.connect(bob.accessToken());
        String callId = invite(caller, dm, CallMedia.VIDEO);
        callee.await(ServerMessage.CallRing.class, r -> r.callId().equals(callId));

        caller.ack(new ClientMessage.CallHangup(caller.nextRid(), callId));

        ServerMessage.CallEnded atCallee = ended(callee, callId);
        assertEquals(CallEndReason.CANCELLED, atCallee.reason());
        assertNull(atCallee.durationMs());
        assertEquals(CallOutcome.MISSED, callRecord(callee, callId).call().outcome());
    }

    @Test
    void nobodyAnsweringWithinTheRingTimeIsAMissedCall() {
        start("--call-ring-seconds", "1");
        WsTestClient caller = relay.connect(alice.accessToken());
        WsTestClient callee = relay.connect(bob.accessToken());
        String callId = invite(caller, dm, CallMedia.AUDIO);

        assertEquals(CallEndReason.NO_ANSWER, ended(caller, callId).reason());
        assertEquals(CallEndReason.NO_ANSWER, ended(callee, callId).reason());
        assertEquals(CallOutcome.MISSED, callRecord(caller, callId).call().outcome());
    }

    @Test
    void aCalleeWithNoDeviceConnectedIsUnavailable() {
        start();
        WsTestClient caller = relay.connect(alice.accessToken());
        String callId = invite(caller, dm, CallMedia.AUDIO);
        assertEquals(CallEndReason.UNAVAILABLE, ended(caller, callId).reason());
        assertEquals(CallOutcome.MISSED, callRecord(caller, callId).call().outcome());
    }

    @Test
    void aParticipantLosingTheConnectionEndsTheCallForTheOther() {
        start();
        WsTestClient caller = relay.connect(alice.accessToken());
        WsTestClient callee = relay.connect(bob.accessToken());
        String callId = invite(caller, dm, CallMedia.VIDEO);
        callee.await(ServerMessage.CallRing.class, r -> r.callId().equals(callId));
        callee.ack(new ClientMessage.CallAccept(callee.nextRid(), callId));
        caller.await(ServerMessage.CallAccepted.class, a -> a.callId().equals(callId));

        callee.abort();

        ServerMessage.CallEnded end = ended(caller, callId);
        assertEquals(CallEndReason.CONNECTION_LOST, end.reason());
        LogEvent record = callRecord(caller, callId);
        assertEquals(CallOutcome.ANSWERED, record.call().outcome());
        assertEquals(CallEndReason.CONNECTION_LOST, record.call().reason());
    }

    @Test
    void onlyParticipantsOfAnAnsweredCallMaySignal() {
        start();
        AuthResponse carol = rest.newUser("carol");
        WsTestClient caller = relay.connect(alice.accessToken());
        WsTestClient callee = relay.connect(bob.accessToken());
        WsTestClient stranger = relay.connect(carol.accessToken());
        String callId = invite(caller, dm, CallMedia.AUDIO);
        callee.await(ServerMessage.CallRing.class, r -> r.callId().equals(callId));

        caller.send(new ClientMessage.CallSignal(callId, OFFER));
        assertEquals(ErrorCode.CONFLICT, caller.await(ServerMessage.Error.class, e -> e.rid() == null).code(),
                "no signaling before the call is answered");
        stranger.send(new ClientMessage.CallSignal(callId, OFFER));
        assertEquals(ErrorCode.NOT_FOUND, stranger.await(ServerMessage.Error.class, e -> e.rid() == null).code());
        assertEquals(ErrorCode.NOT_FOUND,
                stranger.error(new ClientMessage.CallAccept(stranger.nextRid(), callId)).code());
        assertEquals(ErrorCode.NOT_MEMBER,
                stranger.error(new ClientMessage.CallInvite(stranger.nextRid(), dm, CallMedia.AUDIO)).code());
        long group = rest.as(rest.post("/api/conversations", alice.accessToken(), new CreateConversationRequest(
                ConversationKind.GROUP, "team", null, List.of(bob.user().id()), null)), ConversationSummary.class).id();
        assertEquals(ErrorCode.FORBIDDEN,
                callee.error(new ClientMessage.CallInvite(callee.nextRid(), group, CallMedia.AUDIO)).code());
        assertTrue(callee.receivedOf(ServerMessage.CallSignal.class).isEmpty());
    }

    @Test
    void iceServersCarryTimeLimitedTurnCredentialsDerivedFromTheSharedSecret() throws Exception {
        start("--stun-urls", "stun:127.0.0.1:3478", "--turn-urls", "turn:127.0.0.1:3478?transport=udp",
                "--turn-secret", "shared-with-coturn", "--turn-ttl-seconds", "3600");
        WsTestClient client = relay.connect(alice.accessToken());
        IceServers fromRest = rest.as(rest.get("/api/ice-servers", alice.accessToken()), IceServers.class);

        assertEquals(3600, fromRest.ttlSeconds());
        assertEquals(List.of("stun:127.0.0.1:3478"), fromRest.iceServers().get(0).urls());
        for (IceServer turn : List.of(fromRest.iceServers().get(1), client.welcome().iceServers().get(1))) {
            assertEquals(List.of("turn:127.0.0.1:3478?transport=udp"), turn.urls());
            String[] parts = turn.username().split(":");
            assertEquals(String.valueOf(alice.user().id()), parts[1]);
            long expiry = Long.parseLong(parts[0]);
            long expected = Instant.now().plusSeconds(3600).getEpochSecond();
            assertTrue(Math.abs(expiry - expected) < 120, "expires about an hour from now: " + expiry);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec("shared-with-coturn".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            assertEquals(Base64.getEncoder().encodeToString(mac.doFinal(turn.username()
                    .getBytes(StandardCharsets.UTF_8))), turn.credential());
        }
    }

    @Test
    void aPlainLanRelayHandsOutNoIceServers() {
        start();
        WsTestClient client = relay.connect(alice.accessToken());
        assertTrue(client.welcome().iceServers().isEmpty());
        assertTrue(rest.as(rest.get("/api/ice-servers", alice.accessToken()), IceServers.class).iceServers().isEmpty());
    }
}
