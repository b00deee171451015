package dev.parley.relay;

import dev.parley.protocol.ErrorCode;

/**
 * A request the relay refuses, with the stable code and human message the client sees. REST turns it into the
 * error body with the code's HTTP status; the WebSocket gateway into an {@code error} frame with the request id.
 */
public class RelayException extends RuntimeException {
    private final ErrorCode code;

    public RelayException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static RelayException notFound(String what) {
        return new RelayException(ErrorCode.NOT_FOUND, what + " does not exist");
    }

    public static RelayException forbidden(String message) {
        return new RelayException(ErrorCode.FORBIDDEN, message);
    }

    public static RelayException invalid(String message) {
        return new RelayException(ErrorCode.VALIDATION_FAILED, message);
    }
}
