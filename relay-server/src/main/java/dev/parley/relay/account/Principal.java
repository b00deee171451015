package dev.parley.relay.account;

/** Who is asking: taken from a verified access token, never from request bodies. */
public record Principal(long userId, String sessionId) {
}
