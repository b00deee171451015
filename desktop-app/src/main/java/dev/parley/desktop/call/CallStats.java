package dev.parley.desktop.call;

/**
 * Quality figures of a call from WebRTC's getStats: bitrates over the interval since the previous sample, RTT of the
 * selected candidate pair, inbound packet loss, codecs, frames, and the path (LAN, STUN or TURN).
 */
public record CallStats(long bytesSent, long bytesReceived, double sendKbps, double receiveKbps, Double rttMs,
                        long packetsReceived, long packetsLost, String videoCodec, String audioCodec,
                        long framesDecoded, double framesPerSecond, int frameWidth, int frameHeight,
                        long audioSamplesReceived, CandidatePath path) {

    public static final CallStats NONE = new CallStats(0, 0, 0, 0, null, 0, 0, null, null, 0, 0, 0, 0, 0,
            CandidatePath.UNKNOWN);

    /** Lost packets as a share of all expected inbound packets, 0..1. */
    public double lossRatio() {
        long expected = packetsReceived + packetsLost;
        return expected == 0 ? 0 : (double) packetsLost / expected;
    }
}
