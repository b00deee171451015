package dev.parley.protocol;

/**
 * Thrown when a wire value breaks a protocol rule (a limit, a required field). It carries the error code the
 * receiving side answers with, so a record's own constructor decides the error a peer sees.
 */
public final class ProtocolViolation extends IllegalArgumentException {
    private final ErrorCode code;

    public ProtocolViolation(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
