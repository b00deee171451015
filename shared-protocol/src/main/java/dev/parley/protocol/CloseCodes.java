package dev.parley.protocol;

/** WebSocket close codes the relay uses; 4xxx codes are Parley's own and tell the client whether to reconnect. */
public final class CloseCodes {
    private CloseCodes() {
    }

    public static final int NORMAL = 1000;
    /** The relay is shutting down; reconnect with backoff. */
    public static final int GOING_AWAY = 1001;
    /** The frame exceeded even the transport limit; the connection cannot continue. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** The token is missing, wrong or expired: refresh the token, then reconnect. */
    public static final int UNAUTHORIZED = 4001;
    /** This device was signed out: do not reconnect; sign in again. */
    public static final int SESSION_REVOKED = 4002;
    /** The client speaks a protocol version this relay does not. */
    public static final int UNSUPPORTED_PROTOCOL = 4003;
    /** The first frame was not a valid hello, or it did not arrive in time. */
    public static final int HELLO_REQUIRED = 4004;
    /** Nothing arrived from the client within the idle timeout; reconnect. */
    public static final int IDLE_TIMEOUT = 4008;
    /** The client did not read its frames fast enough; reconnect and sync. */
    public static final int TOO_SLOW = 4009;
}
