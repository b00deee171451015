package dev.parley.desktop.doctor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.desktop.cache.LocalCache;
import dev.parley.desktop.call.IcePolicy;
import dev.parley.desktop.net.ApiException;
import dev.parley.desktop.net.AuthSession;
import dev.parley.desktop.net.Backoff;
import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.net.ConnectionState;
import dev.parley.desktop.net.RelayAddress;
import dev.parley.desktop.net.RelayApi;
import dev.parley.desktop.settings.AppDirs;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.api.AuthResponse;

import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code ./parley doctor}: checks a relay the way an admin needs it checked, step by step with advice: health, a
 * sign-in round trip, WebSocket latency, and a real loopback call between two synthetic peers over the relay's
 * signaling and ICE servers. {@code --bench} measures loopback calls at 640x480 and 1280x720 instead.
 */
public final class Doctor {
    static final String USAGE = """
            Usage: ./parley doctor [--relay URL] [--json] [--user NAME] [--turn-only] [--bench] [--profile DIR]
              --relay URL     the relay to check (default http://localhost:7400)
              --json          print one JSON object instead of the step list
              --user NAME     also sign in with this account for the login check (and sign out again at once);
                              the password comes from PARLEY_PASSWORD, or is asked for on the terminal
                              (--password PW works too, but other users of this machine can read it in the
                              process list). The checks always use the doctor's own two test accounts on that
                              relay, registered on the first run and kept (with their passwords) in
                              doctor-accounts.json in the app's settings folder, so later runs sign in to them
                              instead of registering more
              --profile DIR   keep that file under DIR, as the app's --profile does (also PARLEY_PROFILE)
              --turn-only     make the loopback call through the relay's TURN server only (checks coturn and
                              the relay's turn-secret); path must then be "relay"
              --bench         measure loopback calls at 640x480 and 1280x720 (offer to connected, first frame,
                              fps, CPU) and print a Markdown table
            Exit code 0 only when every step passed.""";

    private record Step(String name, boolean ok, long ms, String detail, String advice) {
    }

    private final String relayUrl;
    private final String user;
    private final String password;
    private final boolean turnOnly;
    private final ProtocolJson json = new ProtocolJson();
    private final List<Step> steps = new ArrayList<>();
    private static final Duration CLEAN_UP_WAIT = Duration.ofSeconds(10);
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    /** Sessions this run signed in, signed out again on the way out so they do not pile up in "Devices". */
    private final List<AuthSession> sessions = new CopyOnWriteArrayList<>();
    /** What happened to the saved test accounts, for the login step's detail. */
    private final List<String> accountNotes = new ArrayList<>();
    private final Path dir;
    private final RelayApi api;
    private final DoctorAccounts accounts;
    /** False when another doctor run holds the saved accounts: this run uses unsaved throwaway ones. */
    private boolean useSavedAccounts;
    private final AtomicBoolean cleanedUp = new AtomicBoolean();
    private final Object registry = new Object();
    private final CountDownLatch cleanUpDone = new CountDownLatch(1);

    private Doctor(String relayUrl, String user, String password, boolean turnOnly, Path accountsFile)
            throws IOException {
        this.relayUrl = relayUrl;
        this.turnOnly = turnOnly;
        this.user = user;
        this.password = password;
        this.accounts = new DoctorAccounts(accountsFile, json.mapper());
        this.api = new RelayApi(RelayAddress.parse(relayUrl), json);
        this.dir = Files.createTempDirectory("parley-doctor");
    }

    public static void main(String[] args) {
        int code = run(Arrays.asList(args), System.out);
        // The verdict is printed and every call torn down; halt rather than exit because webrtc-java's native
        // threads try to attach to a JVM that is shutting down and print noise ("VM attach current thread failed").
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }

    /** Runs the doctor with {@code args}, printing to {@code out}; returns the exit code. */
    public static int run(List<String> list, PrintStream out) {
        if (list.contains("--help") || list.contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        String relay = value(list, "--relay", "http://localhost:7400");
        boolean asJson = list.contains("--json");
        boolean bench = list.contains("--bench");
        try {
            if (list.contains("--profile") && value(list, "--profile", null) == null) {
                throw new IllegalArgumentException("--profile needs a folder");
            }
            String profile = value(list, "--profile", System.getenv("PARLEY_PROFILE"));
            AppDirs dirs = profile != null && !profile.isBlank() ? AppDirs.forProfile(Path.of(profile))
                    : AppDirs.standard(System.getProperty("os.name"), System.getenv(),
                    Path.of(System.getProperty("user.home")));
            String user = value(list, "--user", null);
            Console console = System.console();
            // Since JDK 22 there is a Console even without a terminal; asking there would wait on a pipe.
            String password = user == null ? null : password(user, value(list, "--password", null),
                    System.getenv(), console != null && console.isTerminal() ? console : null);
            Doctor doctor = new Doctor(relay, user, password, list.contains("--turn-only"),
                    dirs.config().resolve("doctor-accounts.json"));
            // Ctrl+C must not leave the sessions this run opened in the test accounts' device lists.
            Thread onInterrupt = new Thread(() -> doctor.cleanUpWithin(Duration.ofSeconds(5)), "doctor-clean-up");
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            try {
                doctor.useSavedAccounts = doctor.accounts.lock();
                return bench ? doctor.bench(out) : doctor.check(out, asJson);
            } finally {
                doctor.cleanUp();
                removeHook(onInterrupt);
            }
        } catch (Exception e) {
            System.err.println("parley doctor: " + e.getMessage());
            return 1;
        }
    }

    /**
     * The password for {@code --user}: {@code --password} if given, else PARLEY_PASSWORD, else asked for on the
     * terminal without echo; refused when there is none of them (a script without a terminal).
     */
    static String password(String user, String given, Map<String, String> env, Console console) {
        if (given != null) {
            return given;
        }
        String fromEnv = env.get("PARLEY_PASSWORD");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv;
        }
        if (console == null) {
            throw new IllegalArgumentException("--user " + user + " needs a password: set PARLEY_PASSWORD (or run"
                    + " the doctor in a terminal to be asked)");
        }
        char[] typed = console.readPassword("Password for %s: ", user);
        if (typed == null || typed.length == 0) {
            throw new IllegalArgumentException("no password given for " + user);
        }
        return new String(typed);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running (Ctrl+C during the clean-up): it does the same, once
        }
    }

    private static String value(List<String> args, String flag, String fallback) {
        int i = args.indexOf(flag);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
    }

    private int check(PrintStream out, boolean asJson) {
        ObjectNode result = json.mapper().createObjectNode();
        result.put("relay", relayUrl);

        boolean healthy = step(out, !asJson, "health", "is the relay up? (GET /health)",
                "Start the relay (./parley relay), check --relay and any firewall between here and the relay.",
                () -> {
                    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                    api.relay().resolve("/health")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + r.statusCode());
                    }
                    return "HTTP 200";
                });
        AuthSession[] a = new AuthSession[1];
        AuthSession[] b = new AuthSession[1];
        boolean signedIn = healthy && step(out, !asJson, "login", "sign-in round trip",
                "Check the account (or that registration is open); see the relay's event log.", () -> {
                    try {
                        if (user != null) {
                            // nothing later needs this session: out again at once, not left in the user's devices
                            api.logout(api.login(user, password, device("login")).accessToken());
                        }
                        a[0] = testAccount("a");
                        b[0] = testAccount("b");
                    } catch (ApiException e) {
                        if (e.code() == ErrorCode.RATE_LIMITED) {
                            throw new IllegalStateException("the relay limits sign-ins per account (several doctor"
                                    + " runs within a minute): wait a minute and run it again", e);
                        }
                        throw e;
                    }
                    return (user != null ? "signed in and out as " + user + "; " : "") + "the doctor's test accounts: "
                            + a[0].login().username() + ", " + b[0].login().username()
                            + (accountNotes.isEmpty() ? "" : " (" + String.join("; ", accountNotes) + ")");
                });
        ChatClient[] clients = new ChatClient[2];
        long[] pingMs = {-1};
        boolean connected = signedIn && step(out, !asJson, "websocket", "WebSocket connect and ping/pong",
                "A proxy in front of the relay must pass WebSocket upgrades (nginx: Upgrade/Connection headers; "
                        + "HAProxy: timeout tunnel).", () -> {
                    clients[0] = client(a[0], "a");
                    clients[1] = client(b[0], "b");
                    long best = Long.MAX_VALUE;
                    for (int i = 0; i < 5; i++) {
                        best = Math.min(best, clients[0].calls().ping().get(10, TimeUnit.SECONDS));
                    }
                    pingMs[0] = best / 1_000_000;
                    return "round trip " + String.format("%.1f", best / 1e6) + " ms (best of 5); ICE servers: "
                            + clients[0].calls().iceServers().size();
                });
        result.put("pingMs", pingMs[0]);
        LoopbackCall.Result[] call = new LoopbackCall.Result[1];
        boolean called = connected && step(out, !asJson, "call", "loopback call between two synthetic peers",
                "Signaling works but media does not: check UDP between the peers, and the relay's stun-urls/"
                        + "turn-urls/turn-secret (coturn needs --use-auth-secret and the same secret).", () -> {
                    if (turnOnly && clients[0].calls().iceServers().stream().noneMatch(s -> s.urls().stream()
                            .anyMatch(u -> u.startsWith("turn")))) {
                        throw new IllegalStateException("the relay hands out no TURN server (set turn-urls and "
                                + "turn-secret)");
                    }
                    long dm = clients[0].openDm(clients[1].myId()).id();
                    call[0] = LoopbackCall.run(clients[0], clients[1], dm, 640, 480, Duration.ofSeconds(3),
                            Duration.ofSeconds(20), turnOnly ? IcePolicy.RELAY : IcePolicy.LOOPBACK);
                    LoopbackCall.Result r = call[0];
                    if (turnOnly && !"relay".equals(r.path())) {
                        throw new IllegalStateException("the call did not go through TURN (path " + r.path() + ")");
                    }
                    if (Math.abs(r.audioHz() - LoopbackCall.TONE_HZ) > 25) {
                        throw new IllegalStateException("video arrived but the test tone did not (heard "
                                + Math.round(r.audioHz()) + " Hz)");
                    }
                    return String.format("connected %d ms after the invite (offer to connected %d ms), first frame"
                                    + " %d ms, %.0f fps, %.0f Hz tone, path %s", r.connectMs(), r.offerToConnectedMs(),
                            r.firstFrameMs(), r.fps(), r.audioHz(), r.path());
                });
        boolean ok = healthy && signedIn && connected && called;
        result.put("ok", ok);
        if (call[0] != null) {
            result.put("connectMs", call[0].connectMs());
            result.put("offerToConnectedMs", call[0].offerToConnectedMs());
            result.put("firstFrameMs", call[0].firstFrameMs());
            result.put("fps", Math.round(call[0].fps() * 10) / 10.0);
            result.put("audioHz", Math.round(call[0].audioHz()));
            result.put("path", call[0].path());
            result.put("codec", call[0].codec());
            result.put("rttMs", call[0].rttMs());
        } else {
            result.putNull("connectMs");
            result.putNull("firstFrameMs");
            result.putNull("fps");
            result.putNull("audioHz");
            result.putNull("path");
        }
        var stepArray = result.putArray("steps");
        for (Step s : steps) {
            ObjectNode n = stepArray.addObject();
            n.put("name", s.name()).put("ok", s.ok()).put("ms", s.ms()).put("detail", s.detail());
            if (!s.ok()) {
                n.put("advice", s.advice());
            }
        }
        if (asJson) {
            out.println(result);
        } else {
            out.println(ok ? "All checks passed." : "Some checks failed; see the advice above.");
        }
        return ok ? 0 : 1;
    }

    private int bench(PrintStream out) throws Exception {
        ChatClient a = client(testAccount("a"), "a");
        ChatClient b = client(testAccount("b"), "b");
        long dm = a.openDm(b.myId()).id();
        out.println("| resolution | run | invite→connected ms | offer→connected ms | invite→first frame ms | fps decoded"
                + " | CPU % of one core (both peers) | path |");
        out.println("|---|---|---|---|---|---|---|---|");
        for (int[] size : new int[][] {{640, 480}, {1280, 720}}) {
            for (int run = 0; run < 3; run++) {
                LoopbackCall.Result r = LoopbackCall.run(a, b, dm, size[0], size[1], Duration.ofSeconds(8),
                        Duration.ofSeconds(20), turnOnly ? IcePolicy.RELAY : IcePolicy.LOOPBACK);
                out.printf("| %dx%d | %d | %d | %d | %d | %.1f | %.0f | %s |%n", size[0], size[1], run + 1,
                        r.connectMs(), r.offerToConnectedMs(), r.firstFrameMs(), r.fps(), r.cpuPercent(), r.path());
            }
        }
        return 0;
    }

    private interface Check {
        String run() throws Exception;
    }

    private boolean step(PrintStream out, boolean print, String name, String what, String advice, Check check) {
        long start = System.nanoTime();
        Step step;
        try {
            String detail = check.run();
            step = new Step(name, true, (System.nanoTime() - start) / 1_000_000, detail, advice);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null && e instanceof java.util.concurrent.ExecutionException
                    ? e.getCause() : e;
            String why = cause instanceof java.net.ConnectException ? "connection refused or unreachable"
                    : cause.getMessage() == null ? cause.toString() : cause.getMessage();
            step = new Step(name, false, (System.nanoTime() - start) / 1_000_000, why, advice);
        }
        steps.add(step);
        if (print) {
            out.printf("[%s] %-9s %s: %s (%d ms)%n", step.ok() ? "PASS" : "FAIL", name, what, step.detail(),
                    step.ms());
            if (!step.ok()) {
                out.println("       advice: " + advice);
            }
        }
        return step.ok();
    }

    /**
     * Signs in to the doctor's test account {@code role} on this relay, or registers it the first time (and again
     * when the relay no longer knows it, e.g. after its data was reset). Saved under the relay's normalised address,
     * so "host:7400" and "http://host:7400/" are the same relay.
     */
    private AuthSession testAccount(String role) {
        String relay = api.relay().toString();
        AuthResponse auth = null;
        Optional<DoctorAccounts.Credentials> known = useSavedAccounts ? accounts.get(relay, role) : Optional.empty();
        if (known.isPresent()) {
            try {
                auth = api.login(known.get().username(), known.get().password(), device(role));
            } catch (ApiException e) {
                if (e.code() != ErrorCode.INVALID_CREDENTIALS) {
                    throw e;
                }
                accountNotes.add("the relay no longer knew " + known.get().username() + ": registered a new one");
            }
        }
        if (auth == null) {
            String name = "doctor-" + UUID.randomUUID().toString().substring(0, 8) + "-" + role;
            String secret = UUID.randomUUID().toString();
            auth = api.register(name, secret, "Parley doctor " + role, device(role));
            if (!useSavedAccounts) {
                accountNotes.add(name + " is not saved: another doctor run is using the saved accounts");
            } else {
                try {
                    accounts.put(relay, role, new DoctorAccounts.Credentials(name, secret));
                } catch (IOException e) {
                    accountNotes.add("could not save " + name + " for later runs: " + e.getMessage());
                }
            }
        }
        AuthSession session = AuthSession.fromResponse(api, auth, login -> { }, Clock.systemUTC());
        track(session, sessions, this::signOut);
        return session;
    }

    private static DeviceInfo device(String suffix) {
        return new DeviceInfo(null, "parley-doctor-" + suffix, System.getProperty("os.name"), "doctor");
    }

    private ChatClient client(AuthSession session, String name) throws Exception {
        LocalCache cache = LocalCache.open(dir.resolve(name + ".db"), json);
        ChatClient client = new ChatClient(session, cache, json, device(name),
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), Clock.systemUTC());
        track(cache, closeables, Doctor::closeQuietly);
        track(client, closeables, Doctor::closeQuietly);
        client.start();
        LoopbackCall.waitFor(() -> client.state() == ConnectionState.CONNECTED, Duration.ofSeconds(10));
        if (client.state() != ConnectionState.CONNECTED) {
            throw new IllegalStateException("no welcome over the WebSocket within 10 s (state " + client.state()
                    + ")");
        }
        return client;
    }

    /** From the shutdown hook: at most {@code limit}, so Ctrl+C still ends the doctor when the relay hangs. */
    private void cleanUpWithin(Duration limit) {
        Thread worker = Thread.ofPlatform().daemon(true).name("doctor-sign-out").start(this::cleanUp);
        try {
            worker.join(limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Remembers what to sign out or close at the end; what is opened after the clean-up ran (Ctrl+C) is signed out
     * or closed at once.
     */
    private <T> void track(T opened, List<T> toUndo, Consumer<T> undo) {
        synchronized (registry) {
            if (!cleanedUp.get()) {
                toUndo.add(opened);
                return;
            }
        }
        undo.accept(opened);
        throw new IllegalStateException("the doctor is stopping");
    }

    /**
     * Signs out every session this run opened, closes the clients and releases the saved accounts, once. Whoever
     * comes second (the main thread after Ctrl+C started it in the shutdown hook) waits for it, so the JVM is not
     * halted half-way through the sign-outs.
     */
    private void cleanUp() {
        boolean first;
        synchronized (registry) {
            first = cleanedUp.compareAndSet(false, true);
        }
        if (!first) {
            try {
                cleanUpDone.await(CLEAN_UP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            // Sign-outs first: they are what must not be lost, and closing a client can take seconds.
            sessions.forEach(this::signOut);
            closeables.reversed().forEach(Doctor::closeQuietly);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory left behind is harmless
            }
        } finally {
            accounts.unlock();
            cleanUpDone.countDown();
        }
    }

    private void signOut(AuthSession session) {
        try {
            // accessToken() refreshes an expired token (a long --bench), through the same session the client used
            api.logout(session.accessToken());
        } catch (RuntimeException e) {
            System.err.println("parley doctor: could not sign out " + session.login().username() + " ("
                    + e.getMessage() + "); remove it under Devices if it stays");
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // best effort on the way out
        }
    }

    static ObjectMapper mapper(ProtocolJson json) {
        return json.mapper();
    }
}
