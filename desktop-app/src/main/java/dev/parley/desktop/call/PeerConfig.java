package dev.parley.desktop.call;

import dev.parley.protocol.IceServer;

import java.util.List;

/**
 * What one call's peer connection needs: the relay's ICE servers, whether the camera is on from the start (every call
 * negotiates a video line either way, so it can switch later without a new offer), which paths to use.
 */
public record PeerConfig(List<IceServer> iceServers, boolean video, IcePolicy policy) {
    public PeerConfig {
        iceServers = iceServers == null ? List.of() : List.copyOf(iceServers);
    }
}
