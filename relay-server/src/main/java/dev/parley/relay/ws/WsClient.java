package dev.parley.relay.ws;

import dev.parley.protocol.CloseCodes;
import dev.parley.relay.account.Principal;
import dev.parley.relay.connection.ClientConnection;
import io.github.bucket4j.Bucket;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One WebSocket connection. Sends are asynchronous (Jetty queues the frames in call order); the number still
 * unwritten is counted so a client that stops reading is closed instead of growing the relay's memory.
 */
final class WsClient implements ClientConnection {
    private final long id;
    private final Session session;
    private final String address;
    private final long openedAt;
    private final Bucket bucket;
    private final int maxQueuedFrames;
    private final AtomicInteger unwritten = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile Principal principal;
    private volatile long lastReceivedAt;
    /** Frames queued before the first frame (welcome or a handshake error) went out; null once it has. */
    private volatile List<String> held = new ArrayList<>();

    WsClient(long id, Session session, String address, long now, Bucket bucket, int maxQueuedFrames) {
        this.id = id;
        this.session = session;
        this.address = address;
        this.openedAt = now;
        this.lastReceivedAt = now;
        this.bucket = bucket;
        this.maxQueuedFrames = maxQueuedFrames;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public long userId() {
        return principal.userId();
    }

    @Override
    public String sessionId() {
        return principal.sessionId();
    }

    Principal principal() {
        return principal;
    }

    boolean authenticated() {
        return principal != null;
    }

    void authenticate(Principal principal) {
        this.principal = principal;
    }

    String address() {
        return address;
    }

    long openedAt() {
        return openedAt;
    }

    long lastReceivedAt() {
        return lastReceivedAt;
    }

    void received(long now) {
        lastReceivedAt = now;
    }

    Bucket bucket() {
        return bucket;
    }

    @Override
    public void send(String frame) {
        if (held != null) {
            synchronized (this) {
                if (held != null) {
                    held.add(frame);
                    return;
                }
            }
        }
        transmit(frame);
    }

    /**
     * Sends the frame that must come first (the welcome, or the error that refuses the handshake), then whatever
     * fan-out queued for this connection meanwhile: a client never hears of anything before its welcome, and misses
     * nothing sent between its registration and the welcome.
     */
    synchronized void sendFirst(String frame) {
        transmit(frame);
        for (String queued : held) {
            transmit(queued);
        }
        held = null;
    }

    private void transmit(String frame) {
        if (closed.get()) {
            return;
        }
        if (unwritten.incrementAndGet() > maxQueuedFrames) {
            close(CloseCodes.TOO_SLOW, "too many unread frames; reconnect and sync");
            return;
        }
        session.sendText(frame, Callback.from(unwritten::decrementAndGet, failure -> {
            unwritten.decrementAndGet();
            close(CloseCodes.GOING_AWAY, "send failed");
        }));
    }

    @Override
    public void close(int code, String reason) {
        if (closed.compareAndSet(false, true)) {
            session.close(code, reason, Callback.NOOP);
        }
    }

    /** Records that the transport is gone, so nothing more is sent and a pending handshake is abandoned. */
    void markClosed() {
        closed.set(true);
    }

    boolean isClosed() {
        return closed.get();
    }

    /** True exactly once: for whoever should undo this connection's registration and presence. */
    boolean release() {
        return released.compareAndSet(false, true);
    }
}
