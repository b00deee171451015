package dev.parley.desktop.call;

/**
 * The level a microphone meter shows: the RMS of a block of 16-bit samples in dBFS, mapped from -60..0 dB onto
 * 0..1, because a linear scale would leave speech in the bottom tenth of the bar.
 */
final class AudioLevel {
    static final double FLOOR_DB = -60;

    private AudioLevel() {
    }

    /** {@code samples} little-endian signed 16-bit samples from {@code pcm}. */
    static double of(byte[] pcm, int samples) {
        if (samples <= 0) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < samples; i++) {
            int s = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
            sum += (double) s * s;
        }
        double rms = Math.sqrt(sum / samples) / 32768.0;
        if (rms <= 0) {
            return 0;
        }
        double db = 20 * Math.log10(rms);
        return Math.clamp((db - FLOOR_DB) / -FLOOR_DB, 0.0, 1.0);
    }
}
