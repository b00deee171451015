package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Stable machine-readable error codes, shared by WebSocket error frames and REST error bodies. */
public enum ErrorCode {
    BAD_REQUEST(400),
    INVALID_JSON(400),
    UNKNOWN_TYPE(400),
    VALIDATION_FAILED(400),
    TOO_LONG(400),
    FRAME_TOO_LARGE(413),
    WEAK_PASSWORD(400),
    INVALID_USERNAME(400),
    UNAUTHORIZED(401),
    TOKEN_EXPIRED(401),
    INVALID_CREDENTIALS(401),
    SESSION_REVOKED(401),
    FORBIDDEN(403),
    WRONG_PASSWORD(403),
    NOT_MEMBER(403),
    NOT_FOUND(404),
    USERNAME_TAKEN(409),
    CONFLICT(409),
    UNSUPPORTED_PROTOCOL(400),
    HELLO_REQUIRED(400),
    RATE_LIMITED(429),
    UNAVAILABLE(503),
    INTERNAL_ERROR(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status a REST endpoint answers with for this code. */
    public int httpStatus() {
        return httpStatus;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ErrorCode fromWire(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
