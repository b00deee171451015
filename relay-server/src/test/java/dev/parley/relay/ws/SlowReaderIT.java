package dev.parley.relay.ws;

import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.ProtocolVersion;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.api.AuthResponse;
import dev.parley.protocol.api.CreateConversationRequest;
import dev.parley.relay.support.RawWebSocket;
import dev.parley.relay.support.RestClient;
import dev.parley.relay.support.TestRelay;
import dev.parley.relay.support.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member whose device stops reading must cost the others nothing: a write waits only for its own connection's
 * socket, so everyone else keeps receiving while that device's frames pile up, until it is cut off with 4009 (too
 * slow) and told so after what it was sent. A stalled device is a raw socket with a tiny receive buffer that does
 * the WebSocket handshake and hello by hand and then stops reading.
 */
@Timeout(120)
class SlowReaderIT {
    private static final int MESSAGES = 1500;
    /** Sends in flight at once: within the queue limit, so the sender's own acks never count as falling behind. */
    private static final int WINDOW = 100;
    private static final int MAX_QUEUED_FRAMES = 400;
    private static final String BIG_TEXT = "x".repeat(15_000);

    private final ProtocolJson json = new ProtocolJson();
    private TestRelay relay;

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void aDeviceThatStopsReadingIsCutOffWhileEveryoneElseGetsEverything() throws Exception {
        relay = TestRelay.start("--max-queued-frames", Integer.toString(MAX_QUEUED_FRAMES),
                "--ws-requests-per-second", "100000", "--ws-burst", "100000");
        RestClient rest = relay.rest();
        AuthResponse alice = rest.newUser("alice");
        AuthResponse bob = rest.newUser("bob");
        // More stalled devices than the machine has cores: a write that held a shared thread while it waited for a
        // socket would leave none for bob.
        List<AuthResponse> stalledUsers = new ArrayList<>();
        for (int i = 0; i <= Runtime.getRuntime().availableProcessors(); i++) {
            stalledUsers.add(rest.newUser("stalled"));
        }
        List<Long> members = new ArrayList<>(List.of(bob.user().id()));
        stalledUsers.forEach(user -> members.add(user.user().id()));
        long group = rest.as(rest.post("/api/conversations", alice.accessToken(),
                new CreateConversationRequest(ConversationKind.GROUP, "flood", null, members, null)),
                ConversationSummary.class).id();
        WsTestClient sender = relay.connect(alice.accessToken());
        WsTestClient reader = relay.connect(bob.accessToken());
        List<StalledDevice> stalledDevices = new ArrayList<>();
        try {
            for (AuthResponse user : stalledUsers) {
                stalledDevices.add(StalledDevice.connect(relay, json, user.accessToken()));
            }

            long last = sendBig(sender, group, MESSAGES);
            reader.await(ServerMessage.Event.class, e -> e.event().seq() == last);

            List<Long> bobsSeqs = reader.receivedOf(ServerMessage.Event.class).stream()
                    .filter(e -> e.event().conv() == group && e.event().text() != null)
                    .map(e -> e.event().seq()).toList();
            assertEquals(MESSAGES, bobsSeqs.size(), "bob received every message once");
            for (int i = 1; i < bobsSeqs.size(); i++) {
                assertTrue(bobsSeqs.get(i) > bobsSeqs.get(i - 1), "in order: " + bobsSeqs);
            }

            // The stalled devices read again: what was written before the cut-off, in order, then the close
            // saying why.
            for (StalledDevice stalled : stalledDevices) {
                StalledDevice.Drained drained = stalled.readUntilClose();
                assertEquals(CloseCodes.TOO_SLOW, drained.closeCode(), "a stalled device is cut off as too slow");
                assertFalse(drained.messageSeqs().size() >= MESSAGES, "it fell behind and was not sent everything");
                for (int i = 1; i < drained.messageSeqs().size(); i++) {
                    assertEquals(drained.messageSeqs().get(i - 1) + 1, (long) drained.messageSeqs().get(i),
                            "what it got has no gaps: " + drained.messageSeqs());
                }
            }
        } finally {
            for (StalledDevice stalled : stalledDevices) {
                stalled.close();
            }
        }
    }

    @Test
    void aDeviceThatStopsReadingIsCutOffByBytesLongBeforeTheFrameLimit() throws Exception {
        // A few hundred long messages are far below 10,000 frames, but above the 1 MiB allowed here: bytes count.
        relay = TestRelay.start("--max-queued-mib", "1", "--ws-requests-per-second", "100000", "--ws-burst", "100000");
        RestClient rest = relay.rest();
        AuthResponse alice = rest.newUser("alice");
        AuthResponse stalledUser = rest.newUser("stalled");
        long group = rest.as(rest.post("/api/conversations", alice.accessToken(),
                new CreateConversationRequest(ConversationKind.GROUP, "long reads", null,
                        List.of(stalledUser.user().id()), null)), ConversationSummary.class).id();
        WsTestClient sender = relay.connect(alice.accessToken());
        try (StalledDevice stalled = StalledDevice.connect(relay, json, stalledUser.accessToken())) {
            int messages = 600; // ~9 MB: more than the limit plus what the kernel's socket buffers hold
            sendBig(sender, group, messages);

            StalledDevice.Drained drained = stalled.readUntilClose();
            assertEquals(CloseCodes.TOO_SLOW, drained.closeCode(), "cut off as too slow by the byte limit");
            assertTrue(drained.messageSeqs().size() < messages, "it was not sent everything");
        }
    }

    /** Sends {@code count} long messages, {@link #WINDOW} in flight at a time; returns the last one's seq. */
    private static long sendBig(WsTestClient sender, long group, int count) {
        long lastSeq = -1;
        for (int start = 0; start < count; start += WINDOW) {
            List<String> rids = new ArrayList<>();
            for (int i = start; i < start + WINDOW; i++) {
                String rid = sender.nextRid();
                rids.add(rid);
                sender.send(new ClientMessage.Send(rid, group, UUID.randomUUID().toString(), i + " " + BIG_TEXT));
            }
            for (String rid : rids) {
                ServerMessage reply = sender.reply(rid);
                assertTrue(reply instanceof ServerMessage.Ack, "every send is acked: " + reply);
                lastSeq = ((ServerMessage.Ack) reply).seq();
            }
        }
        return lastSeq;
    }

    /** A WebSocket client by hand with a tiny receive buffer: handshake, hello, then it reads only when told to. */
    private static final class StalledDevice implements AutoCloseable {
        private final RawWebSocket raw;
        private final ProtocolJson json;

        private StalledDevice(RawWebSocket raw, ProtocolJson json) {
            this.raw = raw;
            this.json = json;
        }

        static StalledDevice connect(TestRelay relay, ProtocolJson json, String token) throws IOException {
            RawWebSocket raw = RawWebSocket.open(relay.ws(), 4096);
            raw.sendText(json.encode(new ClientMessage.Hello(ProtocolVersion.CURRENT, token,
                    new DeviceInfo("stalled", "Stalled device", "Linux", "test"))));
            // presence and the like may come first
            raw.readUntil(frame -> frame.opcode() == RawWebSocket.TEXT
                    && json.decodeServer(frame.text()) instanceof ServerMessage.Welcome);
            return new StalledDevice(raw, json);
        }

        record Drained(List<Long> messageSeqs, int closeCode) {
        }

        Drained readUntilClose() throws IOException {
            List<Long> seqs = new ArrayList<>();
            while (true) {
                RawWebSocket.Frame frame = raw.read();
                if (frame.opcode() == RawWebSocket.CLOSE) {
                    return new Drained(seqs, frame.closeCode());
                }
                if (frame.opcode() == RawWebSocket.TEXT && json.decodeServer(frame.text())
                        instanceof ServerMessage.Event event && event.event().text() != null) {
                    seqs.add(event.event().seq());
                }
            }
        }

        @Override
        public void close() throws IOException {
            raw.close();
        }
    }
}
