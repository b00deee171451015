package dev.parley.desktop.call;

/** How the media travels, from the type of the selected candidate pair's local candidate. */
public enum CandidatePath {
    /**
     * host (or prflx): straight between the two devices. A peer-reflexive candidate is an address the peers learned
     * from each other's connectivity checks, with no server involved, so it counts as direct.
     */
    HOST("LAN direct"),
    /** srflx: through NAT, with the address a STUN server reported. */
    SRFLX("STUN"),
    /** relay: through the TURN server. */
    RELAY("TURN"),
    UNKNOWN("unknown");

    private final String label;

    CandidatePath(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static CandidatePath of(String candidateType) {
        if (candidateType == null) {
            return UNKNOWN;
        }
        return switch (candidateType) {
            case "host", "prflx" -> HOST;
            case "srflx" -> SRFLX;
            case "relay" -> RELAY;
            default -> UNKNOWN;
        };
    }
}
