package dev.parley.desktop.call;

/** A continuous sine tone in 10 ms blocks of 16-bit mono PCM: what a {@link AudioInput.Tone} engine "records". */
final class SineTone {
    static final int SAMPLE_RATE = 48_000;
    static final int SAMPLES_PER_10MS = SAMPLE_RATE / 100;

    private final double hz;
    private final byte[] block = new byte[SAMPLES_PER_10MS * 2];
    private long sample;

    SineTone(double hz) {
        this.hz = hz;
    }

    /** The next 10 ms (little-endian), in a buffer reused by the next call. */
    byte[] next() {
        for (int i = 0; i < SAMPLES_PER_10MS; i++) {
            short s = (short) (Math.sin(2 * Math.PI * hz * sample++ / SAMPLE_RATE) * 8000);
            block[2 * i] = (byte) s;
            block[2 * i + 1] = (byte) (s >> 8);
        }
        return block;
    }
}
