package dev.parley.relay.ws;

import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolJson;
import dev.parley.relay.RelayException;
import dev.parley.relay.account.AccountService;
import dev.parley.relay.call.CallService;
import dev.parley.relay.call.IceServerProvider;
import dev.parley.relay.chat.ChatService;
import dev.parley.relay.connection.ConnectionRegistry;
import dev.parley.relay.presence.PresenceTracker;
import dev.parley.relay.presence.UserDirectory;
import dev.parley.relay.ratelimit.RateLimiter;
import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Binds the protocol to the {@code /ws} endpoint, and sweeps connections that never said hello or went
 * silent: presence must not depend on a close event arriving, since a vanished laptop sends none.
 */
public final class WsGateway implements AutoCloseable {
    private static final int ACCEPT_QUEUE = 1024;

    private final ProtocolHandler handler;
    private final RateLimiter requestLimiter;
    private final Duration helloTimeout;
    private final Duration idleTimeout;
    private final int maxQueuedFrames;
    private final long maxQueuedBytes;
    private final Clock clock;
    private final Set<WsClient> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    /** Writes each connection's queued frames; virtual threads, so a slow socket holds no platform thread. */
    private final ExecutorService flusher = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("parley-ws-sweeper").daemon(true).factory());

    public WsGateway(ProtocolJson json, AccountService accounts, UserDirectory users, ChatService chat,
                     PresenceTracker presence, CallService calls, IceServerProvider iceServers,
                     ConnectionRegistry registry, RateLimiter requestLimiter,
                     String serverVersion, Duration pingInterval, Duration idleTimeout, Duration helloTimeout,
                     int maxQueuedFrames, long maxQueuedBytes, Clock clock) {
        this.handler = new ProtocolHandler(json, accounts, users, chat, presence, calls, iceServers, registry,
                requestLimiter,
                serverVersion, pingInterval, idleTimeout, clock);
        this.requestLimiter = requestLimiter;
        this.helloTimeout = helloTimeout;
        this.idleTimeout = idleTimeout;
        this.maxQueuedFrames = maxQueuedFrames;
        this.maxQueuedBytes = maxQueuedBytes;
        this.clock = clock;
        long period = Math.clamp(Math.min(idleTimeout.toMillis(), helloTimeout.toMillis()) / 4, 50, 5_000);
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Listens on {@code host:port} with room for a whole office reconnecting at once (a relay restart). Jetty's
     * default accept queue is 50, and every connection the kernel drops beyond it retries its SYN a second later:
     * 1000 clients connecting 100 at a time overflowed it about 60 times, which was the relay's connect p99 of
     * 1.0-1.4 s. The kernel caps the queue at net.core.somaxconn.
     */
    public static void listen(JavalinConfig config, String host, int port) {
        config.jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(port);
            connector.setAcceptQueueSize(ACCEPT_QUEUE);
            return connector;
        });
    }

    /**
     * Binds {@code /ws} with Jetty's core WebSocket upgrade handler in front of Javalin's servlet context, which still
     * routes every other request. Javalin's servlet route, and Jetty's own listener API too, keep the upgrade request
     * (and through its headers the HTTP/1.1 connection state) alive for the life of each connection; the core level
     * keeps none of it.
     */
    public void install(JavalinConfig config) {
        config.jetty.modifyServer(server -> {
            WebSocketUpgradeHandler upgrades =
                    new WebSocketUpgradeHandler(WebSocketServerComponents.ensureWebSocketComponents(server));
            // The transport limit sits above the protocol limit so that an oversized request still gets a readable
            // frame_too_large error; only frames beyond even this are cut off with close code 1009.
            upgrades.getConfiguration().setMaxTextMessageSize(4L * Limits.MAX_FRAME_BYTES);
            upgrades.getConfiguration().setIdleTimeout(idleTimeout.multipliedBy(2));
            upgrades.addMapping("/ws", new WebSocketNegotiator.AbstractNegotiator() {
                @Override
                public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response,
                                              Callback callback) {
                    return new WsEndpoint(WsGateway.this);
                }
            });
            // Its default child answers 404 to everything; Javalin's servlet context takes that place instead.
            upgrades.setHandler((Handler) null);
            // Innermost, so upgrades pass the handlers Javalin's server already has (statistics) as before;
            // Javalin then hangs its servlet context below this one.
            Handler.Wrapper last = server;
            while (last.getHandler() instanceof Handler.Wrapper next) {
                last = next;
            }
            last.setHandler(upgrades);
        });
        // A plain HTTP request to /ws (a browser, a proxy's health check) gets a readable answer, not a 404.
        config.routes.get("/ws", ctx -> {
            throw new RelayException(ErrorCode.BAD_REQUEST,
                    "/ws is the relay's WebSocket endpoint: connect with a WebSocket client (Upgrade: websocket)");
        });
    }

    WsClient opened(CoreSession session) {
        WsClient client = new WsClient(ids.incrementAndGet(), session, addressOf(session), clock.millis(),
                requestLimiter.newBucket(), maxQueuedFrames, maxQueuedBytes, flusher);
        clients.add(client);
        return client;
    }

    void frame(WsClient client, String message) {
        // A connection the sweeper has released, or the relay has closed (signed out, too slow), is closing: what a
        // peer that ignores the close frame still sends is not answered, let alone stored.
        if (clients.contains(client) && !client.isClosed()) {
            handler.frame(client, message);
        }
    }

    /**
     * Undoes a connection on a thread of its own: Jetty reports a failed send on the sending thread, which may be the
     * database writer fanning out, and close handling (presence, last-seen) must never block or lock there.
     */
    void release(WsClient client) {
        if (client != null && clients.remove(client)) {
            client.markClosed();
            Thread.ofVirtual().name("parley-ws-close").start(() -> handler.closed(client));
        }
    }

    private void sweep() {
        long now = clock.millis();
        for (WsClient client : clients) {
            if (!client.authenticated() && now - client.openedAt() > helloTimeout.toMillis()) {
                client.close(CloseCodes.HELLO_REQUIRED, "no hello within " + helloTimeout.toSeconds() + " s");
                release(client);
            } else if (now - client.lastReceivedAt() > idleTimeout.toMillis()) {
                client.close(CloseCodes.IDLE_TIMEOUT, "nothing received for " + idleTimeout.toSeconds() + " s");
                release(client);
            }
        }
    }

    /** Refuses new requests; queued writes still commit and are acknowledged. */
    public void stopAccepting() {
        handler.stopAccepting();
    }

    public int openConnections() {
        return clients.size();
    }

    /**
     * Closes every connection with "going away" so clients reconnect to the relay when it is back, and waits (briefly)
     * until those close frames are written: the server stopping right after must not turn them into broken sockets.
     */
    @Override
    public void close() {
        sweeper.shutdownNow();
        List<CompletableFuture<Void>> goodbyes = new ArrayList<>();
        for (WsClient client : clients) {
            if (clients.remove(client)) {
                client.close(CloseCodes.GOING_AWAY, "the relay is shutting down");
                goodbyes.add(client.closeWritten());
                // Synchronously here, so last-seen writes are queued before the database closes.
                handler.closed(client);
            }
        }
        try {
            CompletableFuture.allOf(goodbyes.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // A client that does not take its close frame in time loses the connection without it.
        }
    }

    private static String addressOf(CoreSession session) {
        SocketAddress remote = session.getRemoteAddress();
        return remote instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(remote);
    }
}
