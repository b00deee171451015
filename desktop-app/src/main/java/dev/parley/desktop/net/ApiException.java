package dev.parley.desktop.net;

import dev.parley.protocol.ErrorCode;

/** The relay refused a request; {@code code} says why in a way the UI can translate. */
public final class ApiException extends RuntimeException {
    private final ErrorCode code;

    public ApiException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** The session is gone for good (revoked, or the refresh token is no longer valid): sign in again. */
    public boolean meansSignedOut() {
        return code == ErrorCode.SESSION_REVOKED || code == ErrorCode.UNAUTHORIZED
                || code == ErrorCode.INVALID_CREDENTIALS;
    }
}
