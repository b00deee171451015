package dev.parley.relay.support;

import dev.parley.protocol.ProtocolJson;
import dev.parley.relay.RelayServer;
import dev.parley.relay.config.ConfigLoader;
import dev.parley.relay.config.RelayConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real relay on a free port with its own SQLite file in a fresh directory, configured like production. */
public final class TestRelay implements AutoCloseable {
    /** Known so tests can mint tokens the relay accepts (e.g. an already expired one). */
    public static final String JWT_SECRET = "test-secret-that-is-at-least-32-bytes-long";

    private final RelayServer server;
    private final Path dataDir;
    private final ProtocolJson json = new ProtocolJson();
    private final List<AutoCloseable> clients = new ArrayList<>();

    private TestRelay(RelayServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    public static TestRelay start(String... extraFlags) {
        try {
            return startOn(Files.createTempDirectory("parley-relay-test"), extraFlags);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TestRelay startOn(Path dir, String... extraFlags) {
        List<String> flags = new ArrayList<>(List.of("--port", "0", "--bind", "127.0.0.1",
                "--data", dir.toString(), "--jwt-secret", JWT_SECRET,
                "--discovery", "false"));
        flags.addAll(List.of(extraFlags));
        RelayConfig config = new ConfigLoader().load(flags, Map.of());
        return new TestRelay(RelayServer.start(config), dir);
    }

    public URI http() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public URI ws() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws");
    }

    public Path dataDir() {
        return dataDir;
    }

    public RelayServer server() {
        return server;
    }

    public ProtocolJson json() {
        return json;
    }

    public RestClient rest() {
        return new RestClient(http(), json);
    }

    /** A WebSocket client that is closed with the relay. */
    public WsTestClient connect() {
        WsTestClient client = WsTestClient.open(ws(), json);
        clients.add(client);
        return client;
    }

    /** Connects and completes the hello handshake with the given access token. */
    public WsTestClient connect(String accessToken) {
        WsTestClient client = connect();
        client.hello(accessToken);
        return client;
    }

    /** Stops this relay and starts another on the same data directory with {@code extraFlags}; use the one returned. */
    public TestRelay restart(String... extraFlags) {
        stop();
        return startOn(dataDir, extraFlags);
    }

    /** Stops the relay and deletes its data directory. */
    @Override
    public void close() {
        stop();
        try (java.util.stream.Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // Best effort: a temporary directory left behind harms nothing.
        }
    }

    private void stop() {
        for (AutoCloseable client : clients) {
            try {
                client.close();
            } catch (Exception ignored) {
                // the relay closes its side anyway
            }
        }
        server.close();
    }
}
