package dev.parley.relay.durability;

import dev.parley.relay.support.Sysctl;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The relay as a separate operating-system process ({@code java dev.parley.relay.RelayMain}) with the test's own
 * classpath, so it can be killed for real. Every run keeps the same port and data directory; each run's stdout and
 * stderr go to their own log file next to the data directory.
 */
final class RelayProcess implements AutoCloseable {
    static final String JWT_SECRET = "durability-test-secret-at-least-32-bytes-long";
    /** What the JVM reports as the exit value of a process ended by a signal: 128 + the signal number. */
    static final int EXIT_SIGKILL = 128 + 9;
    static final int EXIT_SIGTERM = 128 + 15;
    /** Logged by {@code RelayServer.close()}, i.e. only when the shutdown hook ran to its end. */
    static final String STOPPED_LINE = "Parley relay stopped";

    private final Path workDir;
    private final Path dataDir;
    private final int port;
    private final List<String> extraFlags;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Kills the relay should the test JVM itself be stopped before the test's own clean-up ran. */
    private final Thread reaper = new Thread(this::close, "relay-process-reaper");
    private volatile Process process;
    private volatile Path log;
    private volatile int runs;

    RelayProcess(Path workDir, String... extraFlags) {
        this.workDir = workDir;
        this.dataDir = workDir.resolve("data");
        this.port = freePort();
        this.extraFlags = List.of(extraFlags);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * A free port below the kernel's ephemeral range. The relay restarts on the same port, and while it is down a
     * port from the ephemeral range can be handed to some outgoing loopback connection (even a self-connect of
     * our own /health poll), which would make the restart fail; ports below the range are only taken on request.
     * Falls back to any free port (ServerSocket(0)) when none is found.
     */
    static int freePort() {
        int ephemeralStart = 32768;
        try {
            ephemeralStart = Integer.parseInt(Sysctl.read("net/ipv4/ip_local_port_range").split("\\s+")[0]);
        } catch (IOException | RuntimeException notLinux) {
            // keep the usual Linux default
        }
        int low = Math.min(20_000, ephemeralStart / 2);
        for (int attempt = 0; attempt < 50 && ephemeralStart - low > 100; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(low, ephemeralStart);
            try (ServerSocket socket = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI http() {
        return URI.create("http://127.0.0.1:" + port);
    }

    URI ws() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    Path dataDir() {
        return dataDir;
    }

    Path log() {
        return log;
    }

    Process process() {
        return process;
    }

    /** Starts a new relay process on the same port and data directory and waits until /health answers. */
    void start(Duration readiness) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the relay is still running");
        }
        runs++;
        log = workDir.resolve("relay-run-" + runs + ".log");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow(
                () -> new IllegalStateException("cannot tell which java runs this test")));
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "dev.parley.relay.RelayMain",
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--data", dataDir.toString(),
                "--jwt-secret", JWT_SECRET));
        command.addAll(extraFlags);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the relay process", e);
        }
        Process started = process;
        Awaitility.await("relay run " + runs + " answers /health")
                .atMost(readiness)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50))
                .failFast("the relay process exited during start-up; see " + log, () -> !started.isAlive())
                .until(this::healthy);
    }

    private boolean healthy() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(http().resolve("/health"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("ok");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no close frames. Returns the exit value (137 for SIGKILL). */
    int kill(Duration deadline) {
        process.destroyForcibly();
        return awaitExit(deadline);
    }

    /** SIGTERM: the JVM runs the relay's shutdown hook. Returns the exit value (143 for SIGTERM). */
    int terminate(Duration deadline) {
        process.destroy();
        return awaitExit(deadline);
    }

    int awaitExit(Duration deadline) {
        try {
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the relay process did not exit within " + deadline + "; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    /** Writes a thread dump of the running relay next to its log (for a stalled relay); says where, or why not. */
    synchronized String dumpThreads() {
        Process current = process;
        if (current == null || !current.isAlive()) {
            return "the relay process is not running; see " + log;
        }
        Path dump = workDir.resolve("relay-run-" + runs + "-threads-" + System.currentTimeMillis() + ".txt");
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process dumper = new ProcessBuilder(jcmd.toString(), Long.toString(current.pid()), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(dump.toFile()).start();
            if (!dumper.waitFor(15, TimeUnit.SECONDS)) {
                dumper.destroyForcibly();
            }
            return "relay thread dump in " + dump + ", log in " + log;
        } catch (IOException e) {
            return "no thread dump (" + e.getMessage() + "); see " + log;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "see " + log;
        }
    }

    String logText() {
        try {
            return log == null || !Files.exists(log) ? "" : Files.readString(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Kills whatever still runs; safe to call after a failure at any point. */
    @Override
    public void close() {
        if (Thread.currentThread() != reaper) {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway and finds nothing left to kill
            }
        }
        Process current = process;
        if (current != null && current.isAlive()) {
            current.destroyForcibly();
            try {
                current.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
