package dev.parley.relay.ws;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Utf8StringBuilder;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.BadPayloadException;
import org.eclipse.jetty.websocket.core.exception.MessageTooLargeException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * One connection at Jetty's core WebSocket level. The Jetty API and servlet layers above it keep the upgrade request
 * (headers, and through them the whole HTTP/1.1 connection state) for the connection's life; this keeps only the
 * session and the message being assembled. It does what those layers did for the relay: text messages assembled
 * from fragments, UTF-8 checked (1007) and size-limited (1009), pings answered, binary messages dropped within
 * their limit, one frame demanded at a time.
 */
final class WsEndpoint implements FrameHandler {
    private final WsGateway gateway;
    private CoreSession session;
    private WsClient client;
    /** The text message being assembled from fragments; null between messages. */
    private Utf8StringBuilder text;
    private boolean binary;
    private long size;

    WsEndpoint(WsGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void onOpen(CoreSession session, Callback callback) {
        this.session = session;
        try {
            client = gateway.opened(session);
        } catch (Throwable failure) {
            callback.failed(failure);
            return;
        }
        callback.succeeded();
        session.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        switch (frame.getOpCode()) {
            case OpCode.TEXT, OpCode.BINARY -> {
                binary = frame.getOpCode() == OpCode.BINARY;
                data(frame, callback);
            }
            case OpCode.CONTINUATION -> data(frame, callback);
            case OpCode.PING -> session.sendFrame(new Frame(OpCode.PONG).setPayload(frame.getPayload()),
                    Callback.from(() -> {
                        callback.succeeded();
                        session.demand();
                    }, callback::failed), false);
            case OpCode.PONG -> {
                callback.succeeded();
                session.demand();
            }
            // Released as soon as the peer asks to close; Jetty answers the close frame once this succeeds.
            case OpCode.CLOSE -> {
                gateway.release(client);
                callback.succeeded();
            }
            default -> callback.failed(new IllegalStateException("unexpected opcode " + frame.getOpCode()));
        }
    }

    private void data(Frame frame, Callback callback) {
        try {
            size += frame.getPayloadLength();
            long max = binary ? session.getMaxBinaryMessageSize() : session.getMaxTextMessageSize();
            if (max > 0 && size > max) {
                throw new MessageTooLargeException(String.format("%s message too large: %,d > %,d",
                        binary ? "Binary" : "Text", size, max));
            }
            String message = null;
            if (!binary && frame.isFin() && text == null) {
                message = utf8(frame.getPayload());
            } else if (!binary) {
                if (text == null) {
                    text = new Utf8StringBuilder(Math.max(16, frame.getPayloadLength()));
                }
                text.append(frame.getPayload());
                if (frame.isFin()) {
                    message = text.takeCompleteString(() -> new BadPayloadException("Invalid UTF-8"));
                }
            }
            if (frame.isFin()) {
                text = null;
                size = 0;
            }
            if (message != null) {
                gateway.frame(client, message);
            }
        } catch (Throwable failure) {
            text = null;
            size = 0;
            callback.failed(failure);
            return;
        }
        callback.succeeded();
        session.demand();
    }

    /**
     * A whole message in one frame, the usual case, decoded by the JDK's decoder in one pass. Jetty's builder, kept for
     * fragments, appends char by char: 12 % of the relay's Java samples when it relays 1 KB call signals.
     */
    private static String utf8(ByteBuffer payload) throws BadPayloadException {
        if (payload == null || !payload.hasRemaining()) {
            return "";
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(payload.slice())
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BadPayloadException("Invalid UTF-8");
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        gateway.release(client);
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        gateway.release(client);
        callback.succeeded();
    }
}
