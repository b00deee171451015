package dev.parley.protocol.api;

import dev.parley.protocol.UserSummary;

/**
 * Answer to register, login and refresh. The refresh token is shown once and rotates on every refresh: the old one
 * stops working, and presenting a rotated-out token again signs the whole session out (it was stolen or copied).
 */
public record AuthResponse(UserSummary user, String sessionId, String accessToken, long accessTokenExpiresAt,
                           String refreshToken) {
}
