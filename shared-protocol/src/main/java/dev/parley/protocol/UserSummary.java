package dev.parley.protocol;

/** A user as other users see them. {@code lastSeen} is epoch milliseconds, null while online or never seen. */
public record UserSummary(long id, String username, String displayName, PresenceStatus status, Long lastSeen) {
}
