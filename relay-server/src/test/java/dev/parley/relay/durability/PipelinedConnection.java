package dev.parley.relay.durability;

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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket client that sends many requests without waiting and hands every frame, and finally the end of the
 * connection, to one reader in arrival order. Used from a single thread.
 */
final class PipelinedConnection implements WebSocket.Listener {
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);

    /** What the reader gets: a decoded frame, or the end of the connection. */
    sealed interface Incoming {
    }

    record Frame(ServerMessage message) implements Incoming {
    }

    /** {@code code} is the close code the relay sent, or -1 when the connection broke without a close frame. */
    record Closed(int code, String reason) implements Incoming {
    }

    private final ProtocolJson json;
    private final BlockingQueue<Incoming> inbox = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private PipelinedConnection(ProtocolJson json) {
        this.json = json;
    }

    /** Connects and says hello; null when the relay is not there or refused the hello (the caller retries). */
    static PipelinedConnection open(HttpClient http, URI uri, ProtocolJson json, String token, Duration timeout) {
        PipelinedConnection connection = new PipelinedConnection(json);
        try {
            connection.socket = http.newWebSocketBuilder()
                    .connectTimeout(timeout)
                    .buildAsync(uri, connection)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        if (!connection.send(json.encode(new ClientMessage.Hello(ProtocolVersion.CURRENT, token,
                new DeviceInfo("durability-device", "Durability test", "Linux", "test"))))) {
            connection.abort();
            return null;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Incoming incoming = connection.next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            switch (incoming) {
                case null -> {
                    connection.abort();
                    return null;
                }
                case Frame(ServerMessage.Welcome ignored) -> {
                    return connection;
                }
                case Frame(ServerMessage.Error error) -> throw new AssertionError("hello refused: " + error);
                case Frame ignored -> {
                    // nothing else may come before the welcome, but it would not matter
                }
                case Closed ignored -> {
                    connection.abort();
                    return null;
                }
            }
        }
    }

    /** Sends one frame; false when the connection is gone. */
    boolean send(String text) {
        try {
            socket.sendText(text, true).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The next frame or the end of the connection; null when nothing came within the timeout. */
    Incoming next(Duration timeout) {
        try {
            return inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    void abort() {
        if (socket != null) {
            socket.abort();
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            inbox.add(new Frame(json.decodeServer(frame)));
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        inbox.add(new Closed(-1, "unexpected binary frame"));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        inbox.add(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        inbox.add(new Closed(-1, error.toString()));
    }
}
