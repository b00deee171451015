package dev.parley.protocol;

import java.util.List;

/** One STUN or TURN server in the shape WebRTC's RTCIceServer takes; TURN entries carry time-limited credentials. */
public record IceServer(List<String> urls, String username, String credential) {
    public IceServer {
        urls = urls == null ? List.of() : List.copyOf(urls);
    }
}
