package dev.parley.relay.durability;

import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.api.AuthResponse;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Four users with two DMs and one group among them; each user streams messages from its own thread, alternating
 * between its DM and the group, so two senders compete for the seq of every conversation.
 */
final class MessagingScenario implements AutoCloseable {
    private final RelayProcess relay;
    private final ProtocolJson json = new ProtocolJson();
    private final RelayApi api;
    private final RelayEpochs epochs = new RelayEpochs();
    private final Object ackMonitor = new Object();
    private int acks;
    private final Map<Long, AuthResponse> readers = new LinkedHashMap<>();
    private final List<OutboxSender> senders = new ArrayList<>();
    private final List<Future<OutboxSender>> running = new ArrayList<>();
    private final ExecutorService threads;

    /** Registers the users and creates the conversations; nothing is sent yet. */
    MessagingScenario(RelayProcess relay, int messagesPerSender, int window, Duration budget) {
        this.relay = relay;
        this.api = new RelayApi(relay.http(), json);
        AuthResponse alice = api.register("alice");
        AuthResponse bob = api.register("bob");
        AuthResponse carol = api.register("carol");
        AuthResponse dave = api.register("dave");
        long dmAliceBob = api.createDm(alice, bob);
        long dmCarolDave = api.createDm(carol, dave);
        long group = api.createGroup(alice, "night shift", List.of(bob, carol, dave));
        readers.put(dmAliceBob, alice);
        readers.put(dmCarolDave, carol);
        readers.put(group, dave);
        Runnable onAck = () -> {
            synchronized (ackMonitor) {
                acks++;
                ackMonitor.notifyAll();
            }
        };
        senders.add(sender("alice", alice, List.of(dmAliceBob, group), messagesPerSender, window, onAck, budget));
        senders.add(sender("bob", bob, List.of(dmAliceBob, group), messagesPerSender, window, onAck, budget));
        senders.add(sender("carol", carol, List.of(dmCarolDave, group), messagesPerSender, window, onAck, budget));
        senders.add(sender("dave", dave, List.of(dmCarolDave, group), messagesPerSender, window, onAck, budget));
        threads = Executors.newFixedThreadPool(senders.size());
    }

    private OutboxSender sender(String name, AuthResponse user, List<Long> conversations, int total, int window,
                                Runnable onAck, Duration budget) {
        return new OutboxSender(name, user, conversations, total, window, relay.ws(), json, epochs, onAck,
                relay::dumpThreads, budget);
    }

    List<OutboxSender> senders() {
        return List.copyOf(senders);
    }

    /** Declares the current relay run ready; the first call also starts the senders. */
    void relayReady() {
        epochs.opened();
        if (running.isEmpty()) {
            senders.forEach(sender -> running.add(threads.submit(sender)));
        }
    }

    /** Blocks until at least {@code count} acks arrived in all; fails early with a sender's own failure. */
    void awaitAcks(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (ackMonitor) {
            while (acks < count) {
                for (Future<OutboxSender> future : running) {
                    if (future.isDone()) {
                        rethrow(future);
                        throw new AssertionError("a sender finished before " + count + " acks: " + senders);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("only " + acks + " acks within " + timeout + ": " + senders);
                }
                // woken by every ack; the bound only makes a failed sender show up promptly
                TimeUnit.NANOSECONDS.timedWait(ackMonitor, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
        }
    }

    /** Waits for every sender to have all its messages acked. */
    void awaitSendersDone(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Future<OutboxSender> future : running) {
            try {
                future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("senders not done within " + timeout + ": " + senders);
            } catch (ExecutionException e) {
                throw new AssertionError("a sender failed: " + e.getCause(), e.getCause());
            }
        }
    }

    private static void rethrow(Future<OutboxSender> future) throws InterruptedException {
        try {
            future.get();
        } catch (ExecutionException e) {
            throw new AssertionError("a sender failed: " + e.getCause(), e.getCause());
        }
    }

    /** clientId to acked seq, over all senders, as of now. */
    Map<String, Long> ackedSoFar() {
        Map<String, Long> all = new HashMap<>();
        senders.forEach(sender -> all.putAll(sender.acked()));
        return all;
    }

    int unackedSoFar() {
        return senders.stream().mapToInt(OutboxSender::unacked).sum();
    }

    /**
     * A client that lost acks it had received (say it crashed itself) resends messages the relay had acked: the
     * relay must answer each with the original seq and {@code duplicate: true}, from what it stored, not from
     * memory. Sends up to {@code perSender} of each sender's messages from {@code acked} on a fresh connection.
     */
    int assertAckedResendsAreDuplicates(Map<String, Long> acked, int perSender) {
        int checked = 0;
        HttpClient http = HttpClient.newHttpClient();
        for (OutboxSender sender : senders) {
            Map<String, OutboxSender.Outgoing> mine = sender.generated();
            List<String> resend = acked.keySet().stream().filter(mine::containsKey).sorted().limit(perSender)
                    .toList();
            PipelinedConnection connection = PipelinedConnection.open(http, relay.ws(), json,
                    sender.user().accessToken(), Duration.ofSeconds(10));
            if (connection == null) {
                throw new AssertionError(sender.name() + " cannot connect to resend acked messages");
            }
            try {
                for (String clientId : resend) {
                    OutboxSender.Outgoing message = mine.get(clientId);
                    String rid = "again-" + clientId;
                    if (!connection.send(json.encode(new ClientMessage.Send(rid, message.conv(), clientId,
                            message.text())))) {
                        throw new AssertionError(sender.name() + ": the connection broke while resending");
                    }
                    ServerMessage reply = replyTo(connection, rid);
                    if (!(reply instanceof ServerMessage.Ack ack) || !Objects.equals(ack.seq(), acked.get(clientId))
                            || !Objects.equals(ack.conv(), message.conv()) || !clientId.equals(ack.clientId())
                            || !Boolean.TRUE.equals(ack.duplicate())) {
                        throw new AssertionError(sender.name() + ": resending acked " + clientId + " (seq "
                                + acked.get(clientId) + ") was answered " + reply);
                    }
                    checked++;
                }
            } finally {
                connection.abort();
            }
        }
        return checked;
    }

    private static ServerMessage replyTo(PipelinedConnection connection, String rid) {
        while (true) {
            PipelinedConnection.Incoming incoming = connection.next(Duration.ofSeconds(10));
            switch (incoming) {
                case null -> throw new AssertionError("no reply to " + rid);
                case PipelinedConnection.Closed closed -> throw new AssertionError("closed before the reply to "
                        + rid + ": " + closed);
                case PipelinedConnection.Frame(ServerMessage.Ack ack) when rid.equals(ack.rid()) -> {
                    return ack;
                }
                case PipelinedConnection.Frame(ServerMessage.Error error) when rid.equals(error.rid()) -> {
                    return error;
                }
                case PipelinedConnection.Frame ignored -> {
                    // pushed events
                }
            }
        }
    }

    /** Reads every conversation's complete log from the running relay. */
    LogAudit audit() {
        Map<Long, List<LogEvent>> logs = new LinkedHashMap<>();
        readers.forEach((conv, reader) -> logs.put(conv, api.allEvents(reader, conv)));
        return new LogAudit(logs);
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
