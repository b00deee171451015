package dev.parley.relay.durability;

import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.ProtocolVersion;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.api.AuthResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
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
    void aDeviceVanishingDuringFanOutDoesNotStallTheWriter() {
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
            RawDevice victim = RawDevice.connect(relay.ws(), json, bob.accessToken());
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
     * A device on a bare socket: WebSocket handshake and hello by hand, then it vanishes with a TCP reset (linger
     * 0), which is what makes the relay's next write to it fail at once, on whichever thread is writing.
     */
    private static final class RawDevice {
        private final Socket socket;

        private RawDevice(Socket socket) {
            this.socket = socket;
        }

        static RawDevice connect(URI ws, ProtocolJson json, String token) {
            try {
                Socket socket = new Socket(ws.getHost(), ws.getPort());
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + ws.getPath() + " HTTP/1.1\r\nHost: " + ws.getHost() + ":" + ws.getPort()
                        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] hello = json.encode(new ClientMessage.Hello(ProtocolVersion.CURRENT, token,
                        new DeviceInfo("raw", "Raw socket", "Linux", "test"))).getBytes(StandardCharsets.UTF_8);
                ByteArrayOutputStream frame = new ByteArrayOutputStream();
                frame.write(0x81); // final text frame
                if (hello.length < 126) {
                    frame.write(0x80 | hello.length);
                } else {
                    frame.write(0x80 | 126);
                    frame.write(hello.length >>> 8);
                    frame.write(hello.length & 0xff);
                }
                frame.write(new byte[4]); // mask key 0: the payload goes as it is
                frame.write(hello);
                out.write(frame.toByteArray());
                out.flush();
                // Registered once the welcome arrived: read until it shows up in the stream.
                InputStream in = socket.getInputStream();
                StringBuilder seen = new StringBuilder();
                byte[] buffer = new byte[8192];
                while (seen.indexOf("\"welcome\"") < 0) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        throw new AssertionError("the relay closed the raw device before its welcome: " + seen);
                    }
                    seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                }
                return new RawDevice(socket);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void reset() {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
