package dev.parley.protocol.api;

/**
 * {@code POST /api/auth/password}: the signed-in user changes their password. The current one is asked again, so a
 * device left unlocked cannot be used to take the account over; every other device is signed out.
 */
public record ChangePasswordRequest(String currentPassword, String newPassword) {
}
