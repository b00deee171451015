package dev.parley.relay.support;

import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.ProtocolVersion;
import dev.parley.protocol.ServerMessage;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's) that records every frame the relay sends, so tests can wait for a frame
 * matching a condition, with a deadline, instead of sleeping.
 */
public final class WsTestClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ProtocolJson json;
    private final List<ServerMessage> received = new ArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final AtomicInteger rids = new AtomicInteger();
    private final WebSocket socket;
    private ServerMessage.Welcome welcome;
    private volatile CompletableFuture<byte[]> pong;
    /** Completing it answers the relay's close frame; left open, this client ignores the close and can still send. */
    private final CompletableFuture<Void> closeReply = new CompletableFuture<>();
    private volatile boolean answerClose = true;

    private WsTestClient(URI uri, ProtocolJson json) {
        this.json = json;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(TIMEOUT)
                .buildAsync(uri, new Listener())
                .orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .join();
    }

    static WsTestClient open(URI uri, ProtocolJson json) {
        return new WsTestClient(uri, json);
    }

    public ServerMessage.Welcome hello(String token) {
        sendRaw(json.encode(new ClientMessage.Hello(ProtocolVersion.CURRENT, token,
                new DeviceInfo("test-device", "Test device", "Linux", "test"))));
        welcome = await(ServerMessage.Welcome.class, w -> true);
        return welcome;
    }

    public ServerMessage.Welcome welcome() {
        return welcome;
    }

    public String nextRid() {
        return "r" + rids.incrementAndGet();
    }

    public void send(ClientMessage message) {
        sendRaw(json.encode(message));
    }

    public void sendRaw(String text) {
        socket.sendText(text, true).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Sends one message as {@code parts} WebSocket frames (a text frame and continuations). */
    public void sendFragmented(ClientMessage message, int parts) {
        String text = json.encode(message);
        int step = (text.length() + parts - 1) / parts;
        for (int from = 0; from < text.length(); from += step) {
            int to = Math.min(text.length(), from + step);
            socket.sendText(text.substring(from, to), to == text.length())
                    .orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        }
    }

    public void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Sends a WebSocket-level ping and waits for the pong, returning its payload. */
    public byte[] transportPing(byte[] payload) {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        pong = answer;
        socket.sendPing(ByteBuffer.wrap(payload)).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        return answer.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Sends a request and waits for the one reply (ack, events or error) carrying its rid. */
    public ServerMessage request(ClientMessage.Request request) {
        send(request);
        return reply(request.rid());
    }

    public ServerMessage reply(String rid) {
        return await(ServerMessage.class, m -> rid.equals(ridOf(m)));
    }

    public ServerMessage.Ack ack(ClientMessage.Request request) {
        ServerMessage reply = request(request);
        if (!(reply instanceof ServerMessage.Ack ack)) {
            throw new AssertionError("expected an ack for " + request + " but got " + reply);
        }
        return ack;
    }

    public ServerMessage.Error error(ClientMessage.Request request) {
        ServerMessage reply = request(request);
        if (!(reply instanceof ServerMessage.Error error)) {
            throw new AssertionError("expected an error for " + request + " but got " + reply);
        }
        return error;
    }

    public ServerMessage.Ack sendText(long conv, String text) {
        return ack(new ClientMessage.Send(nextRid(), conv, java.util.UUID.randomUUID().toString(), text));
    }

    /** Waits until a frame of the type matching the condition has arrived (it may have arrived already). */
    public <T extends ServerMessage> T await(Class<T> type, Predicate<T> condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (received) {
            while (true) {
                for (ServerMessage message : received) {
                    if (type.isInstance(message) && condition.test(type.cast(message))) {
                        return type.cast(message);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + type.getSimpleName() + " matching the condition within "
                            + TIMEOUT + "; received: " + received);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(received, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** A snapshot of every frame received so far. */
    public List<ServerMessage> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    public <T extends ServerMessage> List<T> receivedOf(Class<T> type) {
        return received().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** From now on, the relay's close frame is not answered until {@link #answerClose()}: a misbehaving peer. */
    public void ignoreCloseFrame() {
        answerClose = false;
    }

    /** Sends the close frame held back since {@link #ignoreCloseFrame()}. */
    public void answerClose() {
        closeReply.complete(null);
    }

    /** Waits for the relay to close the connection and returns the close code. */
    public int awaitClose() {
        return closeCode.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    /** Drops the TCP connection without a close handshake, as a crashed or unplugged client would. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                socket.abort();
            }
        }
    }

    private static String ridOf(ServerMessage message) {
        return switch (message) {
            case ServerMessage.Ack ack -> ack.rid();
            case ServerMessage.Events events -> events.rid();
            case ServerMessage.Error error -> error.rid();
            case ServerMessage.Welcome ignored -> null;
            case ServerMessage.Pong ignored -> null;
            case ServerMessage.Event ignored -> null;
            case ServerMessage.Typing ignored -> null;
            case ServerMessage.Receipt ignored -> null;
            case ServerMessage.Presence ignored -> null;
            case ServerMessage.Conversation ignored -> null;
            case ServerMessage.CallRing ignored -> null;
            case ServerMessage.CallAccepted ignored -> null;
            case ServerMessage.CallSignal ignored -> null;
            case ServerMessage.CallEnded ignored -> null;
        };
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                ServerMessage message = json.decodeServer(partial.toString());
                partial.setLength(0);
                synchronized (received) {
                    received.add(message);
                    received.notifyAll();
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            byte[] payload = new byte[message.remaining()];
            message.get(payload);
            CompletableFuture<byte[]> waiting = pong;
            if (waiting != null) {
                waiting.complete(payload);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return answerClose ? null : closeReply;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.complete(-1);
        }
    }
}
