package dev.parley.protocol.api;

/** One signed-in device of the user ({@code GET /api/sessions}); times are epoch milliseconds. */
public record SessionInfo(String id, String deviceId, String deviceName, String os, String appVersion,
                          String address, long createdAt, long lastSeen, boolean current, boolean online) {
}
