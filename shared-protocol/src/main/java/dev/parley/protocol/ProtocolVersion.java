package dev.parley.protocol;

/** The wire protocol version a client states in its hello; the relay refuses any other with {@code unsupported_protocol}. */
public final class ProtocolVersion {
    private ProtocolVersion() {
    }

    public static final int CURRENT = 1;
}
