package dev.parley.relay.durability;

import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.api.AuthResponse;
import org.awaitility.Awaitility;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A client as the protocol asks it to behave: every message gets a clientId once and sits in the outbox until it is
 * acked; after a lost connection the client waits for the relay, reconnects, says hello with the same access token
 * and resends everything unacked with the same clientId. Sends are pipelined (up to {@code window} in flight) so a
 * crash catches many messages between "sent" and "acked". Runs on its own thread until {@code total} messages are
 * acked, then returns itself for inspection.
 */
final class OutboxSender implements Callable<OutboxSender> {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(15);

    /** A message as the client generated it. */
    record Outgoing(String clientId, long conv, String text) {
    }

    /** How one connection ended: the close code (-1: broken without one) and how many sends it left unanswered. */
    record Loss(int code, String reason, int unanswered, int epoch) {
    }

    private final String name;
    private final AuthResponse user;
    private final List<Long> conversations;
    private final int total;
    private final int window;
    private final URI ws;
    private final ProtocolJson json;
    private final RelayEpochs epochs;
    private final Runnable onAck;
    private final Supplier<String> onStall;
    private final long deadlineNanos;
    private final HttpClient http = HttpClient.newHttpClient();

    private final Map<String, Outgoing> generated = new ConcurrentHashMap<>();
    private final Map<String, Outgoing> outbox = new LinkedHashMap<>();
    private final Map<String, Long> acked = new ConcurrentHashMap<>();
    private final List<Loss> losses = new CopyOnWriteArrayList<>();
    private final AtomicInteger duplicateAcks = new AtomicInteger();
    private final AtomicInteger unavailableErrors = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger resent = new AtomicInteger();
    private int count;
    private int rids;

    OutboxSender(String name, AuthResponse user, List<Long> conversations, int total, int window, URI ws,
                 ProtocolJson json, RelayEpochs epochs, Runnable onAck, Supplier<String> onStall, Duration budget) {
        this.name = name;
        this.user = user;
        this.conversations = List.copyOf(conversations);
        this.total = total;
        this.window = window;
        this.ws = ws;
        this.json = json;
        this.epochs = epochs;
        this.onAck = onAck;
        this.onStall = onStall;
        this.deadlineNanos = System.nanoTime() + budget.toNanos();
    }

    @Override
    public OutboxSender call() {
        Thread.currentThread().setName("sender-" + name);
        int epoch = 0;
        while (!finished()) {
            epoch = epochs.awaitAfter(epoch, deadlineNanos);
            PipelinedConnection connection = connect(epoch);
            connections.incrementAndGet();
            try {
                stream(connection, epoch);
            } finally {
                connection.abort();
            }
        }
        return this;
    }

    private synchronized boolean finished() {
        return count == total && outbox.isEmpty();
    }

    private PipelinedConnection connect(int epoch) {
        AtomicReference<PipelinedConnection> opened = new AtomicReference<>();
        Awaitility.await(name + " reconnects to relay run " + epoch)
                .atMost(Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime())))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    opened.set(PipelinedConnection.open(http, ws, json, user.accessToken(), Duration.ofSeconds(5)));
                    return opened.get() != null;
                });
        return opened.get();
    }

    /** Resends the outbox, then streams new messages, until everything is acked or the connection ends. */
    private void stream(PipelinedConnection connection, int epoch) {
        Deque<String> resend = new ArrayDeque<>(outboxSnapshot());
        resent.addAndGet(resend.size());
        Map<String, String> inFlight = new HashMap<>();
        boolean draining = false;
        while (true) {
            while (!draining && inFlight.size() < window && (!resend.isEmpty() || hasMoreToGenerate())) {
                Outgoing message = resend.isEmpty() ? generate() : outboxEntry(resend.poll());
                String rid = name + "-" + (++rids);
                inFlight.put(rid, message.clientId());
                if (!connection.send(json.encode(new ClientMessage.Send(rid, message.conv(), message.clientId(),
                        message.text())))) {
                    break; // the end of the connection is in the inbox; read it below
                }
            }
            if (inFlight.isEmpty() && !draining) {
                return; // all acked
            }
            long left = Math.min(REPLY_TIMEOUT.toNanos(), deadlineNanos - System.nanoTime());
            PipelinedConnection.Incoming incoming = connection.next(Duration.ofNanos(Math.max(0, left)));
            switch (incoming) {
                case null -> throw new AssertionError(name + ": no reply within " + REPLY_TIMEOUT + " while "
                        + inFlight.size() + " sends were in flight (draining: " + draining + "); "
                        + onStall.get());
                case PipelinedConnection.Closed closed -> {
                    losses.add(new Loss(closed.code(), closed.reason(), inFlight.size(), epoch));
                    return;
                }
                case PipelinedConnection.Frame(ServerMessage.Ack ack) when inFlight.containsKey(ack.rid()) ->
                        acked(inFlight.remove(ack.rid()), ack);
                case PipelinedConnection.Frame(ServerMessage.Error error) when inFlight.containsKey(error.rid()) -> {
                    String clientId = inFlight.remove(error.rid());
                    if (error.code() != ErrorCode.UNAVAILABLE) {
                        throw new AssertionError(name + ": send of " + clientId + " failed: " + error);
                    }
                    // The relay is shutting down: the message stays in the outbox for the next connection, and
                    // sending more on this one is pointless.
                    unavailableErrors.incrementAndGet();
                    draining = true;
                }
                case PipelinedConnection.Frame(ServerMessage.Ack ack) ->
                        throw new AssertionError(name + ": ack for a request not in flight: " + ack);
                case PipelinedConnection.Frame(ServerMessage.Error error) ->
                        throw new AssertionError(name + ": unexpected error: " + error);
                case PipelinedConnection.Frame ignored -> {
                    // events of the other senders, presence, receipts: not this client's concern here
                }
            }
        }
    }

    private void acked(String clientId, ServerMessage.Ack ack) {
        Outgoing message = outboxEntry(clientId);
        if (message == null) {
            throw new AssertionError(name + ": ack for " + clientId + " which is not in the outbox: " + ack);
        }
        if (!clientId.equals(ack.clientId()) || ack.conv() == null || ack.conv() != message.conv()
                || ack.seq() == null || ack.seq() <= 0) {
            throw new AssertionError(name + ": ack does not match " + message + ": " + ack);
        }
        Long earlier = acked.putIfAbsent(clientId, ack.seq());
        if (earlier != null) {
            throw new AssertionError(name + ": " + clientId + " was acked twice (seq " + earlier + " and "
                    + ack.seq() + ")");
        }
        if (Boolean.TRUE.equals(ack.duplicate())) {
            duplicateAcks.incrementAndGet(); // stored before the crash, but its ack never arrived
        }
        synchronized (this) {
            outbox.remove(clientId);
        }
        onAck.run();
    }

    private synchronized boolean hasMoreToGenerate() {
        return count < total;
    }

    private synchronized Outgoing generate() {
        count++;
        Outgoing message = new Outgoing(UUID.randomUUID().toString(),
                conversations.get(count % conversations.size()), name + " message " + count);
        generated.put(message.clientId(), message);
        outbox.put(message.clientId(), message);
        return message;
    }

    private synchronized Outgoing outboxEntry(String clientId) {
        return outbox.get(clientId);
    }

    private synchronized List<String> outboxSnapshot() {
        return new ArrayList<>(outbox.keySet());
    }

    // ---- for the test's assertions -----------------------------------------------------------------------------

    String name() {
        return name;
    }

    AuthResponse user() {
        return user;
    }

    /** Every message this client ever generated, by clientId. */
    Map<String, Outgoing> generated() {
        return Map.copyOf(generated);
    }

    /** clientId to the seq it was acked with. */
    Map<String, Long> acked() {
        return Map.copyOf(acked);
    }

    synchronized int unacked() {
        return outbox.size();
    }

    List<Loss> losses() {
        return List.copyOf(losses);
    }

    int duplicateAcks() {
        return duplicateAcks.get();
    }

    int unavailableErrors() {
        return unavailableErrors.get();
    }

    int connections() {
        return connections.get();
    }

    int resent() {
        return resent.get();
    }

    @Override
    public String toString() {
        return name + "{generated=" + generated.size() + ", acked=" + acked.size() + ", unacked=" + unacked()
                + ", resent=" + resent() + ", duplicateAcks=" + duplicateAcks() + ", unavailable="
                + unavailableErrors() + ", connections=" + connections() + ", losses=" + losses + "}";
    }
}
