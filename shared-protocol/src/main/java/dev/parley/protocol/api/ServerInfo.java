package dev.parley.protocol.api;

/** {@code GET /api/info}: what this relay is and how busy it is. */
public record ServerInfo(String name, String version, int protocol, long startedAt, long uptimeSeconds,
                         long users, long conversations, long events, int connections, int onlineUsers) {
}
