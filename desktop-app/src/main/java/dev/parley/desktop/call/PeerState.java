package dev.parley.desktop.call;

/** The peer connection's state, as webrtc reports it (RTCPeerConnectionState), without webrtc types. */
public enum PeerState {
    NEW, CONNECTING, CONNECTED, DISCONNECTED, FAILED, CLOSED
}
