package dev.parley.relay.durability;

import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.ProtocolVersion;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.api.AuthResponse;
import dev.parley.relay.support.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A device that vanishes (TCP gone, no close frame) while messages fan out to it must not stop the relay: the
 * failed send can run the connection's close handling on the writer thread itself, and that handling (presence
 * going offline stores last-seen) must not wait for the writer. Regression test for a writer self-deadlock that
 * left every later send without an ack.
 */
@Timeout(60)
class VanishingClientIT {
    private static final int ROUNDS = 100;
    private static final int BURST = 40;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path workDir;
    private RelayProcess relay;

    @BeforeEach
    void startRelay() {
        relay = new RelayProcess(workDir, "--ws-requests-per-second", "100000", "--ws-burst", "100000");
        relay.start(Duration.ofSeconds(30));
    }

    @AfterEach
    void stopRelay() {
        relay.close();
    }

    @Test
    void aDeviceVanishingDuringFanOutDoesNotStallTheWriter() throws IOException {
        ProtocolJson json = new ProtocolJson();
        RelayApi api = new RelayApi(relay.http(), json);
        AuthResponse alice = api.register("alice");
        AuthResponse bob = api.register("bob");
        long dm = api.createDm(alice, bob);
        PipelinedConnection sender = PipelinedConnection.open(HttpClient.newHttpClient(), relay.ws(), json,
                alice.accessToken(), Duration.ofSeconds(10));
        assertNotNull(sender, "alice connects");

        int rid = 0;
        for (int round = 0; round < ROUNDS; round++) {
            RawWebSocket victim = rawDevice(relay.ws(), json, bob.accessToken());
            Set<String> waiting = new HashSet<>();
            for (int i = 0; i < BURST; i++) {
                String id = "r" + (++rid);
                waiting.add(id);
                assertTrue(sender.send(json.encode(new ClientMessage.Send(id, dm, UUID.randomUUID().toString(),
                        "round " + round + " message " + i))), "alice's connection is open");
                if (i == BURST / 4) {
                    victim.reset(); // bob's only device drops while the burst fans out to it
                }
            }
            while (!waiting.isEmpty()) {
                PipelinedConnection.Incoming incoming = sender.next(Duration.ofSeconds(10));
                switch (incoming) {
                    case null -> throw new AssertionError("round " + round + ": " + waiting.size()
                            + " sends got no reply within 10 s; the writer is stuck; " + relay.dumpThreads());
                    case PipelinedConnection.Closed closed ->
                            throw new AssertionError("alice's connection closed: " + closed);
                    case PipelinedConnection.Frame(ServerMessage.Ack ack) -> waiting.remove(ack.rid());
                    case PipelinedConnection.Frame(ServerMessage.Error error) ->
                            throw new AssertionError("send failed: " + error);
                    case PipelinedConnection.Frame ignored -> {
                        // bob's presence coming and going
                    }
                }
            }
        }
        sender.abort();
    }

    /**
     * A device on a bare socket (handshake and hello by hand), so that it can vanish with a TCP reset, which is what
     * makes the relay's next write to it fail at once, on whichever thread is writing.
     */
    private static RawWebSocket rawDevice(URI ws, ProtocolJson json, String token) throws IOException {
        RawWebSocket raw = RawWebSocket.open(ws);
        raw.sendText(json.encode(new ClientMessage.Hello(ProtocolVersion.CURRENT, token,
                new DeviceInfo("raw", "Raw socket", "Linux", "test"))));
        // registered once the welcome arrived
        raw.readUntil(frame -> frame.text().startsWith("{\"type\":\"welcome\""));
        return raw;
    }
}
