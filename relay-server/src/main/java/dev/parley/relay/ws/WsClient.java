package dev.parley.relay.ws;

import dev.parley.protocol.CloseCodes;
import dev.parley.relay.account.Principal;
import dev.parley.relay.connection.ClientConnection;
import io.github.bucket4j.Bucket;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
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
    private final ConcurrentLinkedQueue<Object> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Executor flusher;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile Principal principal;
    private volatile long lastReceivedAt;
    /** Frames queued before the first frame (welcome or a handshake error) went out; null once it has. */
    private volatile List<String> held = new ArrayList<>();

    WsClient(long id, Session session, String address, long now, Bucket bucket, int maxQueuedFrames,
             Executor flusher) {
        this.flusher = flusher;
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
            // Far behind: what is queued is not worth sending; the client syncs from the log when it reconnects.
            if (closed.compareAndSet(false, true)) {
                outbox.clear();
                session.close(CloseCodes.TOO_SLOW, "too many unread frames; reconnect and sync", Callback.NOOP);
            }
            return;
        }
        outbox.add(frame);
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (draining.compareAndSet(false, true)) {
            flusher.execute(this::drain);
        }
    }

    /**
     * Writes everything queued as one batch and one flush (one system call instead of one per frame), then waits for
     * the flush before the next batch, so frames that arrive meanwhile share the next write. Runs on a virtual
     * thread, never on the thread that queued the frame (often the database writer).
     */
    private void drain() {
        CoreSession core = ((WebSocketSession) session).getCoreSession();
        try {
            while (true) {
                int batch = 0;
                for (Object entry; (entry = outbox.poll()) != null; ) {
                    if (entry instanceof CloseRequest request) {
                        flush(core, batch);
                        outbox.clear();
                        session.close(request.code(), request.reason(), Callback.NOOP);
                        return;
                    }
                    core.sendFrame(new Frame(OpCode.TEXT).setPayload((String) entry),
                            org.eclipse.jetty.util.Callback.NOOP, true);
                    batch++;
                }
                if (batch > 0) {
                    flush(core, batch);
                    continue;
                }
                draining.set(false);
                if (outbox.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
            }
        } catch (ExecutionException e) {
            outbox.clear();
            session.disconnect();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void flush(CoreSession core, int frames) throws ExecutionException, InterruptedException {
        if (frames == 0) {
            return;
        }
        FutureCallback flushed = new FutureCallback();
        core.flush(flushed);
        flushed.get();
        unwritten.addAndGet(-frames);
    }

    private record CloseRequest(int code, String reason) {
    }

    /** Closes after the frames already queued (such as the error explaining the close) have gone out. */
    @Override
    public void close(int code, String reason) {
        if (closed.compareAndSet(false, true)) {
            outbox.add(new CloseRequest(code, reason));
            scheduleDrain();
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
