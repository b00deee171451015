package dev.parley.desktop.call;

/** Which network paths a call may use. */
public enum IcePolicy {
    /** Whatever ICE finds best: LAN, STUN, TURN (the app). */
    ALL,
    /**
     * Both peers on this machine (tests, the doctor): one default-route socket, host candidates rewritten to
     * 127.0.0.1 so the check never depends on the machine's interfaces.
     */
    LOOPBACK,
    /** TURN only (the doctor's --turn-only): proves the TURN server and the relay's credentials work. */
    RELAY
}
