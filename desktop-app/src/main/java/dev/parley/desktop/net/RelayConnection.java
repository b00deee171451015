package dev.parley.desktop.net;

import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.ProtocolVersion;
import dev.parley.protocol.ProtocolViolation;
import dev.parley.protocol.ServerMessage;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The WebSocket to the relay: hello/welcome, one future per request matched by {@code rid}, application-level
 * pings, and reconnects with backoff whenever the socket is lost. It never gives up on its own except when the
 * device was signed out. Callbacks run on the socket's thread; the listener must not block it for long.
 */
public final class RelayConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayConnection.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** What the connection reports; called on the socket's or the scheduler's thread. */
    public interface Listener {
        void stateChanged(ConnectionState state);

        void welcomed(ServerMessage.Welcome welcome);

        /** Frames the relay pushes on its own: events, typing, receipts, presence, conversation changes. */
        void pushed(ServerMessage message);

        void signedOut(String reason);
    }

    private final RelayAddress relay;
    private final ProtocolJson json;
    private final AuthSession auth;
    private final DeviceInfo device;
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final Listener listener;
    private final Map<String, CompletableFuture<ServerMessage>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextRid = new AtomicLong();
    private final Map<String, CompletableFuture<Long>> pings = new ConcurrentHashMap<>();

    private Socket socket;
    private long generation;
    private boolean stopped;
    private volatile boolean connected;
    private volatile long lastReceived;
    private ScheduledFuture<?> pingTask;
    private ScheduledFuture<?> reconnectTask;

    public RelayConnection(RelayAddress relay, ProtocolJson json, AuthSession auth, DeviceInfo device,
                           ScheduledExecutorService scheduler, Backoff backoff, Listener listener) {
        this.relay = relay;
        this.json = json;
        this.auth = auth;
        this.device = device;
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.listener = listener;
    }

    public void start() {
        scheduler.execute(this::connect);
    }

    public boolean isConnected() {
        return connected;
    }

    /** Drops the socket and reconnects at once (e.g. the user clicked "retry now"). */
    public synchronized void reconnectNow() {
        if (stopped || connected) {
            return;
        }
        if (reconnectTask != null) {
            reconnectTask.cancel(false);
        }
        backoff.reset();
        scheduler.execute(this::connect);
    }

    private void connect() {
        long gen;
        synchronized (this) {
            if (stopped || connected) {
                return;
            }
            gen = ++generation;
        }
        listener.stateChanged(ConnectionState.CONNECTING);
        try {
            auth.accessToken();
        } catch (ApiException e) {
            if (e.meansSignedOut()) {
                signedOut(e.getMessage());
            } else {
                scheduleReconnect(gen);
            }
            return;
        } catch (RelayUnreachableException e) {
            LOG.debug("relay unreachable: {}", e.getMessage());
            scheduleReconnect(gen);
            return;
        } catch (RuntimeException e) {
            // Anything else (a refresh answer that is not JSON, a sign-in file that cannot be saved) must still
            // end in a retry: an exception escaping here would leave the app "connecting" for good.
            LOG.warn("could not prepare the connection, retrying: {}", e.toString());
            scheduleReconnect(gen);
            return;
        }
        Socket created = new Socket(gen);
        synchronized (this) {
            if (stopped || gen != generation) {
                return;
            }
            socket = created;
        }
        created.setConnectionLostTimeout(0);
        created.connect();
    }

    private void scheduleReconnect(long gen) {
        synchronized (this) {
            if (stopped || gen != generation) {
                return;
            }
            Duration delay = backoff.next();
            reconnectTask = scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        listener.stateChanged(ConnectionState.OFFLINE);
    }

    private void signedOut(String reason) {
        synchronized (this) {
            stopped = true;
        }
        listener.stateChanged(ConnectionState.SIGNED_OUT);
        listener.signedOut(reason);
    }

    /** Sends a request; the future completes with its ack/events, or fails (ApiException, NotConnectedException). */
    public CompletableFuture<ServerMessage> request(Function<String, ? extends ClientMessage.Request> build) {
        String rid = "r" + nextRid.incrementAndGet();
        ClientMessage.Request request = build.apply(rid);
        CompletableFuture<ServerMessage> future = new CompletableFuture<>();
        Socket current = current();
        if (current == null || !connected) {
            return CompletableFuture.failedFuture(new NotConnectedException());
        }
        pending.put(rid, future);
        try {
            current.send(json.encode(request));
        } catch (RuntimeException e) {
            pending.remove(rid);
            return CompletableFuture.failedFuture(new NotConnectedException());
        }
        return future.orTimeout(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, failure) -> pending.remove(rid))
                .thenApply(reply -> {
                    if (reply instanceof ServerMessage.Error error) {
                        throw new ApiException(error.code(), error.message());
                    }
                    return reply;
                });
    }

    /** Fire-and-forget frames (typing); dropped when offline, which is what they are for. */
    public void sendEphemeral(ClientMessage message) {
        Socket current = current();
        if (current != null && connected) {
            try {
                current.send(json.encode(message));
            } catch (RuntimeException e) {
                LOG.debug("dropped {}", message, e);
            }
        }
    }

    /** One application-level ping; completes with the round trip in nanoseconds (the doctor measures with it). */
    public CompletableFuture<Long> ping() {
        String nonce = "p" + nextRid.incrementAndGet();
        long sent = System.nanoTime();
        CompletableFuture<Long> rtt = new CompletableFuture<>();
        pings.put(nonce, rtt);
        sendEphemeral(new ClientMessage.Ping(nonce));
        return rtt.orTimeout(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, failure) -> pings.remove(nonce))
                .thenApply(received -> received - sent);
    }

    private synchronized Socket current() {
        return socket;
    }

    @Override
    public void close() {
        Socket toClose;
        synchronized (this) {
            stopped = true;
            toClose = socket;
            socket = null;
            if (reconnectTask != null) {
                reconnectTask.cancel(false);
            }
            if (pingTask != null) {
                pingTask.cancel(false);
            }
        }
        connected = false;
        failPending();
        if (toClose != null) {
            toClose.close(CloseCodes.NORMAL, "bye");
        }
        listener.stateChanged(ConnectionState.STOPPED);
    }

    private void failPending() {
        for (var entry : pending.entrySet()) {
            if (pending.remove(entry.getKey()) != null) {
                entry.getValue().completeExceptionally(new NotConnectedException());
            }
        }
    }

    private void onWelcome(long gen, ServerMessage.Welcome welcome) {
        synchronized (this) {
            if (stopped || gen != generation) {
                return;
            }
            connected = true;
            backoff.reset();
            long interval = Math.max(1, welcome.pingIntervalSeconds()) * 1000L;
            // Silence for longer than the relay's own idle timeout (or two missed pongs) means a dead link.
            long deadAfter = Math.max(interval * 2, welcome.idleTimeoutSeconds() * 1000L);
            pingTask = scheduler.scheduleAtFixedRate(() -> ping(gen, deadAfter), interval, interval,
                    TimeUnit.MILLISECONDS);
        }
        listener.stateChanged(ConnectionState.CONNECTED);
        listener.welcomed(welcome);
    }

    private void ping(long gen, long deadAfter) {
        Socket current;
        synchronized (this) {
            if (gen != generation || socket == null) {
                return;
            }
            current = socket;
        }
        if (System.currentTimeMillis() - lastReceived > deadAfter) {
            LOG.info("no answer from the relay for {} ms; reconnecting", deadAfter);
            current.closeConnection(CloseFrame.ABNORMAL_CLOSE, "relay silent");
            return;
        }
        sendEphemeral(new ClientMessage.Ping(Long.toString(System.nanoTime())));
    }

    private void onClosed(long gen, int code, String reason) {
        synchronized (this) {
            if (gen != generation) {
                return;
            }
            connected = false;
            socket = null;
            if (pingTask != null) {
                pingTask.cancel(false);
                pingTask = null;
            }
        }
        failPending();
        if (code == CloseCodes.SESSION_REVOKED) {
            signedOut(reason);
            return;
        }
        if (code == CloseCodes.UNSUPPORTED_PROTOCOL) {
            // Retrying cannot help (protocol.md, close codes): stop and let the banner say what to update.
            LOG.error("the relay refused this app's protocol version: {}", reason);
            synchronized (this) {
                stopped = true;
            }
            listener.stateChanged(ConnectionState.INCOMPATIBLE);
            return;
        }
        if (code == CloseCodes.UNAUTHORIZED) {
            auth.invalidateAccessToken();
        }
        scheduleReconnect(gen);
    }

    private void onFrame(long gen, String text) {
        lastReceived = System.currentTimeMillis();
        ServerMessage message;
        try {
            message = json.decodeServer(text);
        } catch (ProtocolViolation e) {
            LOG.warn("ignoring a frame this app cannot read: {}", e.getMessage());
            return;
        }
        switch (message) {
            case ServerMessage.Welcome welcome -> onWelcome(gen, welcome);
            case ServerMessage.Pong pong -> {
                // lastReceived is what a pong is for, unless someone measures the round trip
                CompletableFuture<Long> waiting = pong.nonce() == null ? null : pings.remove(pong.nonce());
                if (waiting != null) {
                    waiting.complete(System.nanoTime());
                }
            }
            case ServerMessage.Ack ack -> complete(ack.rid(), ack);
            case ServerMessage.Events events -> complete(events.rid(), events);
            case ServerMessage.Error error -> {
                if (error.rid() != null) {
                    complete(error.rid(), error);
                } else if (error.code() == ErrorCode.UNSUPPORTED_PROTOCOL) {
                    LOG.error("the relay refused this app: {}", error.message());
                } else {
                    LOG.info("relay says: {} ({})", error.message(), error.code().wireName());
                }
            }
            case ServerMessage.Event ignored -> listener.pushed(message);
            case ServerMessage.Typing ignored -> listener.pushed(message);
            case ServerMessage.Receipt ignored -> listener.pushed(message);
            case ServerMessage.Presence ignored -> listener.pushed(message);
            case ServerMessage.Conversation ignored -> listener.pushed(message);
            case ServerMessage.CallRing ignored -> listener.pushed(message);
            case ServerMessage.CallAccepted ignored -> listener.pushed(message);
            case ServerMessage.CallSignal ignored -> listener.pushed(message);
            case ServerMessage.CallEnded ignored -> listener.pushed(message);
        }
    }

    private void complete(String rid, ServerMessage reply) {
        CompletableFuture<ServerMessage> future = rid == null ? null : pending.remove(rid);
        if (future != null) {
            future.complete(reply);
        }
    }

    /** One socket per connection attempt; {@code gen} lets late callbacks of an old socket be ignored. */
    private final class Socket extends WebSocketClient {
        private final long gen;

        Socket(long gen) {
            super(relay.ws());
            this.gen = gen;
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            lastReceived = System.currentTimeMillis();
            String token;
            try {
                token = auth.accessToken();
            } catch (RuntimeException e) {
                closeConnection(CloseFrame.ABNORMAL_CLOSE, "no access token: " + e.getMessage());
                return;
            }
            send(json.encode(new ClientMessage.Hello(ProtocolVersion.CURRENT, token, device)));
        }

        @Override
        public void onMessage(String message) {
            onFrame(gen, message);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            LOG.debug("connection closed: {} {}", code, reason);
            onClosed(gen, code, reason);
        }

        @Override
        public void onError(Exception e) {
            LOG.debug("connection error", e);
        }
    }
}
