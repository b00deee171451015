package dev.parley.desktop.call;

/** How the media travels, from the type of the selected candidate pair's local candidate. */
public enum CandidatePath {
    /** host: straight across the LAN. */
    HOST("LAN direct"),
    /** srflx/prflx: through NAT, found with STUN. */
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
            case "host" -> HOST;
            case "srflx", "prflx" -> SRFLX;
            case "relay" -> RELAY;
            default -> UNKNOWN;
        };
    }
}
