package dev.parley.relay.connection;

import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.ServerMessage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A server frame encoded once as UTF-8. Fan-out hands the same instance to every recipient, so a message to a
 * hundred members is serialised and encoded once, not a hundred times.
 */
public final class OutboundFrame {
    private final byte[] utf8;

    private OutboundFrame(byte[] utf8) {
        this.utf8 = utf8;
    }

    /** The message written straight to UTF-8 bytes (no String in between). */
    public static OutboundFrame encode(ProtocolJson json, ServerMessage message) {
        return new OutboundFrame(json.encodeUtf8(message));
    }

    /** The frame's payload in bytes (UTF-8). */
    public int size() {
        return utf8.length;
    }

    /**
     * A fresh view of the bytes for one send: the transport advances the view's position as it copies, so views
     * are never shared between sends.
     */
    public ByteBuffer payload() {
        return ByteBuffer.wrap(utf8);
    }

    @Override
    public String toString() {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
