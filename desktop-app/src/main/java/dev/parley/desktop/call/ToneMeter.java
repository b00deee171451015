package dev.parley.desktop.call;

/**
 * Keeps the last second of received mono audio and estimates its frequency from upward zero crossings: how the
 * doctor and the call tests tell that the other side's tone really arrived, not just packets.
 */
public final class ToneMeter {
    private final short[] ring = new short[48_000];
    private int written;
    private int rate = 48_000;

    public synchronized void add(short[] pcm, int sampleRate, int channels) {
        rate = sampleRate;
        for (int i = 0; i < pcm.length; i += channels) {
            ring[written++ % ring.length] = pcm[i];
        }
    }

    public synchronized int samples() {
        return written;
    }

    /** The frequency of the last half second: older samples may still hold the silence before the first packet. */
    public double frequency() {
        return frequency(ring.length / 2);
    }

    /** Frequency of the last {@code n} samples; 0 when it is silence (or nothing arrived yet). */
    public synchronized double frequency(int n) {
        n = Math.min(n, Math.min(written, ring.length));
        if (n < 2) {
            return 0;
        }
        int crossings = 0;
        int peak = 0;
        short prev = ring[(written - n) % ring.length];
        for (int i = written - n + 1; i < written; i++) {
            short s = ring[i % ring.length];
            peak = Math.max(peak, Math.abs(s));
            if (prev < 0 && s >= 0) {
                crossings++;
            }
            prev = s;
        }
        return peak < 500 ? 0 : crossings * (double) rate / n;
    }
}
