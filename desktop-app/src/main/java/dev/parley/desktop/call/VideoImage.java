package dev.parley.desktop.call;

/**
 * One decoded video frame as packed ARGB pixels, converted from I420 off the FX thread; a view only copies it into
 * a WritableImage. {@code argb} is owned by the receiver once delivered.
 */
public record VideoImage(int width, int height, int[] argb, long timestampNs) {
    /** The luma (0..255, BT.601) of the pixel at x, y; what tests and the doctor compare against a sent pattern. */
    public int luma(int x, int y) {
        int p = argb[y * width + x];
        int r = (p >> 16) & 0xff;
        int g = (p >> 8) & 0xff;
        int b = p & 0xff;
        return (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
}
