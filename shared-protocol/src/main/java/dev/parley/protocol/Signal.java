package dev.parley.protocol;

/**
 * WebRTC signaling, forwarded unchanged between the two connections of an answered call: {@code sdp} for offer
 * and answer, {@code candidate}/{@code sdpMid}/{@code sdpMLineIndex} for ice.
 */
public record Signal(SignalKind kind, String sdp, String candidate, String sdpMid, Integer sdpMLineIndex) {
    public Signal {
        Checks.required(kind, "signal.kind");
        Checks.maxLength(sdp, "signal.sdp", Limits.MAX_SDP_LENGTH);
        Checks.maxLength(candidate, "signal.candidate", Limits.MAX_CANDIDATE_LENGTH);
        Checks.maxLength(sdpMid, "signal.sdpMid", Limits.MAX_REQUEST_ID_LENGTH);
        switch (kind) {
            case OFFER, ANSWER -> Checks.requiredText(sdp, "signal.sdp", Limits.MAX_SDP_LENGTH);
            case ICE -> Checks.requiredText(candidate, "signal.candidate", Limits.MAX_CANDIDATE_LENGTH);
        }
    }
}
