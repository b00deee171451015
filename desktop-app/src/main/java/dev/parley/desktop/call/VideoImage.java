package dev.parley.desktop.call;

/**
 * One decoded video frame as packed ARGB pixels, converted from I420 off the FX thread; a view only copies it into
 * a WritableImage. {@code argb} is owned by the receiver once delivered.
 */
public record VideoImage(int width, int height, int[] argb, long timestampNs) {
    /**
     * The luma of the pixel at x, y as the sender's I420 Y plane had it (BT.601, studio range 16..235), so a receiver
     * can compare it with the value that was sent.
     */
    public int luma(int x, int y) {
        int p = argb[y * width + x];
        int r = (p >> 16) & 0xff;
        int g = (p >> 8) & 0xff;
        int b = p & 0xff;
        return ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16;
    }
}
