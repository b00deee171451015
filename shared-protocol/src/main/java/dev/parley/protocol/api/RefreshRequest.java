package dev.parley.protocol.api;

/** {@code POST /api/auth/refresh}: trades a refresh token for a new access token and a new refresh token. */
public record RefreshRequest(String refreshToken) {
}
