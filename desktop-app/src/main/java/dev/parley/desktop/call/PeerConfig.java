package dev.parley.desktop.call;

import dev.parley.protocol.IceServer;

import java.util.List;

/**
 * What one call's peer connection needs: the relay's ICE servers, whether to send video, and whether to keep
 * candidates on 127.0.0.1 (tests and the doctor's loopback call, where both peers live on this machine).
 */
public record PeerConfig(List<IceServer> iceServers, boolean video, boolean loopbackOnly) {
    public PeerConfig {
        iceServers = iceServers == null ? List.of() : List.copyOf(iceServers);
    }
}
