package dev.parley.relay.account;

/** A stored user. {@code lastSeen} is when their last device disconnected (epoch ms), null if never connected. */
public record Account(long id, String username, String displayName, String passwordHash, long createdAt,
                      Long lastSeen) {
}
