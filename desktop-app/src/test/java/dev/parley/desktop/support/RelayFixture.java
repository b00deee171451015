package dev.parley.desktop.support;

import dev.parley.desktop.cache.LocalCache;
import dev.parley.desktop.net.AuthSession;
import dev.parley.desktop.net.Backoff;
import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.net.ConnectionState;
import dev.parley.desktop.net.RelayAddress;
import dev.parley.desktop.net.RelayApi;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.api.AuthResponse;
import dev.parley.relay.RelayServer;
import dev.parley.relay.config.ConfigLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * A real relay in this JVM on a free port with its own SQLite directory, which can be stopped and started again on
 * the same port and data (to test offline sending), plus helpers that create accounts and real {@link ChatClient}s
 * with their own SQLite caches.
 */
public final class RelayFixture implements AutoCloseable {
    private final Path dir;
    private final ProtocolJson json = new ProtocolJson();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<String> extraFlags;
    private RelayServer server;
    private int port;
    private boolean discoverable;

    private RelayFixture(Path dir, List<String> extraFlags) {
        this.dir = dir;
        this.extraFlags = extraFlags;
    }

    /** {@code extraFlags} are more relay flags, e.g. {@code "--call-ring-seconds", "2"}. */
    public static RelayFixture start(String... extraFlags) {
        return start(false, extraFlags);
    }

    /** {@code discoverable}: listen on every interface and announce over mDNS, like an office relay. */
    public static RelayFixture start(boolean discoverable, String... extraFlags) {
        try {
            RelayFixture fixture = new RelayFixture(Files.createTempDirectory("parley-desktop-test"),
                    List.of(extraFlags));
            fixture.discoverable = discoverable;
            fixture.boot(0);
            return fixture;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void boot(int wantedPort) {
        List<String> flags = new ArrayList<>(List.of(
                "--port", Integer.toString(wantedPort), "--bind", discoverable ? "0.0.0.0" : "127.0.0.1",
                "--name", "Office relay",
                "--data", dir.resolve("relay").toString(),
                "--jwt-secret", "desktop-test-secret-that-is-long-enough-0123456789",
                "--discovery", Boolean.toString(discoverable),
                // cheap hashing and no sign-in limits: tests create many accounts quickly
                "--argon2-memory-kib", "64", "--argon2-iterations", "1",
                "--auth-per-address-per-minute", "100000", "--login-per-account-per-minute", "100000"));
        flags.addAll(extraFlags);
        server = RelayServer.start(new ConfigLoader().load(flags, Map.of()));
        port = server.port();
    }

    /** Stops the relay (clients see the connection close and go offline). */
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Starts it again on the same port with the same data. */
    public void restart() {
        stop();
        boot(port);
    }

    public boolean running() {
        return server != null;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path dir() {
        return dir;
    }

    public ProtocolJson json() {
        return json;
    }

    public RelayApi api() {
        return new RelayApi(RelayAddress.parse(url()), json);
    }

    public AuthResponse register(String username, String displayName) {
        return api().register(username, "correct horse battery", displayName,
                new DeviceInfo(null, "test-" + username, "test", "test"));
    }

    /** A signed-in, started client with its own cache file; closed with the fixture. */
    public ChatClient client(String username, String displayName) {
        return client(register(username, displayName), username);
    }

    public ChatClient client(AuthResponse auth, String cacheName) {
        RelayApi api = api();
        AuthSession session = AuthSession.fromResponse(api, auth, login -> { }, Clock.systemUTC());
        LocalCache cache = LocalCache.open(dir.resolve("clients").resolve(cacheName + ".db"), json);
        ChatClient client = new ChatClient(session, cache, json, new DeviceInfo(null, cacheName, "test", "test"),
                fastBackoff(), Clock.systemUTC());
        closeables.add(cache);
        closeables.add(client);
        client.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.state() == ConnectionState.CONNECTED);
        return client;
    }

    public static Backoff fastBackoff() {
        return new Backoff(Duration.ofMillis(50), Duration.ofMillis(400));
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables.reversed()) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing is best effort in teardown
            }
        }
        stop();
        // The relay's data, the clients' caches and any app profile made inside dir().
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // Best effort: a temporary directory left behind harms nothing.
        }
    }
}
