package dev.parley.protocol.api;

import dev.parley.protocol.IceServer;

import java.util.List;

/** {@code GET /api/ice-servers}: STUN/TURN servers for calls; TURN credentials expire after {@code ttlSeconds}. */
public record IceServers(List<IceServer> iceServers, long ttlSeconds) {
    public IceServers {
        iceServers = iceServers == null ? List.of() : List.copyOf(iceServers);
    }
}
