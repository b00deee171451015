package dev.parley.relay.account;

/** One signed-in device. Only hashes of refresh tokens are stored. Times are epoch milliseconds. */
public record DeviceSession(String id, long userId, String deviceId, String deviceName, String os, String appVersion,
                            String address, long createdAt, long lastSeen, long refreshExpiresAt, Long revokedAt) {
    public boolean revoked() {
        return revokedAt != null;
    }
}
