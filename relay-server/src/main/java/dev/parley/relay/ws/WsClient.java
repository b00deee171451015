package dev.parley.relay.ws;

import dev.parley.protocol.CloseCodes;
import dev.parley.relay.account.Principal;
import dev.parley.relay.connection.ClientConnection;
import dev.parley.relay.connection.OutboundFrame;
import io.github.bucket4j.Bucket;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WebSocket connection. Sends are asynchronous: frames queue here and a virtual thread writes them in order,
 * all that are queued in one system call. The number still unwritten is counted so a client that stops reading is
 * closed instead of growing the relay's memory.
 */
final class WsClient implements ClientConnection {
    private final long id;
    private final CoreSession session;
    private final String address;
    private final long openedAt;
    private final Bucket bucket;
    private final int maxQueuedFrames;
    private final long maxQueuedBytes;
    private final AtomicInteger unwritten = new AtomicInteger();
    private final AtomicLong unwrittenBytes = new AtomicLong();
    private final ConcurrentLinkedQueue<Object> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Executor flusher;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    /** Completes once the close frame is written (or the socket is found broken). */
    private final CompletableFuture<Void> closeWritten = new CompletableFuture<>();
    private volatile Principal principal;
    private volatile long lastReceivedAt;
    /** Frames queued before the first frame (welcome or a handshake error) went out; null once it has. */
    private volatile List<OutboundFrame> held = new ArrayList<>();

    WsClient(long id, CoreSession session, String address, long now, Bucket bucket, int maxQueuedFrames,
             long maxQueuedBytes, Executor flusher) {
        this.flusher = flusher;
        this.id = id;
        this.session = session;
        this.address = address;
        this.openedAt = now;
        this.lastReceivedAt = now;
        this.bucket = bucket;
        this.maxQueuedFrames = maxQueuedFrames;
        this.maxQueuedBytes = maxQueuedBytes;
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
    public void send(OutboundFrame frame) {
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
    synchronized void sendFirst(OutboundFrame frame) {
        transmit(frame);
        for (OutboundFrame queued : held) {
            transmit(queued);
        }
        held = null;
    }

    /**
     * Sends the error that refuses the handshake and drops whatever fan-out queued meanwhile: a device refused after
     * it was registered (signed out during its hello) must not receive the frames held for it.
     */
    synchronized void refuseFirst(OutboundFrame error) {
        transmit(error);
        held = null;
    }

    private void transmit(OutboundFrame frame) {
        if (closed.get()) {
            return;
        }
        int frames = unwritten.incrementAndGet();
        long bytes = unwrittenBytes.addAndGet(frame.size());
        // Bytes as well as frames: a few hundred history pages of long messages are gigabytes. One frame, however
        // large, always goes (a page of 200 long messages can exceed a small limit on its own).
        if (frames > maxQueuedFrames || (bytes > maxQueuedBytes && frames > 1)) {
            // Far behind: what is queued is not worth sending; the client syncs from the log when it reconnects.
            if (closed.compareAndSet(false, true)) {
                outbox.clear();
                session.close(CloseCodes.TOO_SLOW, "too far behind reading; reconnect and sync", closeCallback());
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
     * Writes everything queued as one batch and one system call, the last frame completing the write, then waits
     * for it before the next batch, so frames that arrive meanwhile share the next write. Runs on a virtual thread,
     * never on the thread that queued the frame (often the database writer).
     */
    private void drain() {
        try {
            while (true) {
                Object entry = outbox.poll();
                int batch = 0;
                long batchBytes = 0;
                while (entry != null) {
                    if (entry instanceof CloseRequest request) {
                        outbox.clear();
                        session.close(request.code(), request.reason(), closeCallback());
                        return;
                    }
                    Object next = outbox.poll();
                    batch++;
                    batchBytes += ((OutboundFrame) entry).size();
                    Frame frame = new Frame(OpCode.TEXT).setPayload(((OutboundFrame) entry).payload());
                    if (next == null || next instanceof CloseRequest) {
                        write(frame, batch, batchBytes);
                        batch = 0;
                        batchBytes = 0;
                    } else {
                        session.sendFrame(frame, Callback.NOOP, true);
                    }
                    entry = next;
                }
                draining.set(false);
                if (outbox.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
            }
        } catch (ExecutionException e) {
            outbox.clear();
            closeWritten.complete(null);
            session.abort();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends the last frame of a batch without batching, which writes it and every frame batched before it. */
    private void write(Frame last, int frames, long bytes) throws ExecutionException, InterruptedException {
        FutureCallback written = new FutureCallback();
        session.sendFrame(last, written, false);
        written.get();
        unwritten.addAndGet(-frames);
        unwrittenBytes.addAndGet(-bytes);
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

    private Callback closeCallback() {
        return Callback.from(() -> closeWritten.complete(null), failure -> closeWritten.complete(null));
    }

    /** Completes when the close frame has gone out, so a shutdown can wait for its goodbyes before stopping. */
    CompletableFuture<Void> closeWritten() {
        return closeWritten;
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
