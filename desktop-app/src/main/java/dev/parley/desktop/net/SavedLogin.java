package dev.parley.desktop.net;

/** What the app remembers between runs to stay signed in: the relay, who, and the current refresh token. */
public record SavedLogin(String relayUrl, long userId, String username, String displayName, String sessionId,
                         String refreshToken) {
}
