package dev.parley.desktop.call;

import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;

import java.nio.ByteBuffer;

/** I420 (YUV 4:2:0, BT.601 limited range) to and from packed ARGB, in plain Java on the caller's thread. */
final class I420 {
    private I420() {
    }

    /** The three planes of an I420 picture with their strides: a native buffer's, or plain heap buffers. */
    record Planes(int width, int height, ByteBuffer y, int strideY, ByteBuffer u, int strideU, ByteBuffer v,
                  int strideV) {
        static Planes of(I420Buffer buffer) {
            return new Planes(buffer.getWidth(), buffer.getHeight(), buffer.getDataY(), buffer.getStrideY(),
                    buffer.getDataU(), buffer.getStrideU(), buffer.getDataV(), buffer.getStrideV());
        }

        /** Tightly packed heap planes, for pictures that never reach the native side. */
        static Planes allocate(int width, int height) {
            int cw = (width + 1) / 2;
            int ch = (height + 1) / 2;
            return new Planes(width, height, ByteBuffer.allocate(width * height), width,
                    ByteBuffer.allocate(cw * ch), cw, ByteBuffer.allocate(cw * ch), cw);
        }
    }

    static VideoImage toImage(I420Buffer buffer, long timestampNs) {
        return toImage(Planes.of(buffer), timestampNs);
    }

    static VideoImage toImage(Planes p, long timestampNs) {
        int w = p.width();
        int h = p.height();
        int[] argb = new int[w * h];
        for (int row = 0; row < h; row++) {
            int yRow = row * p.strideY();
            int uRow = (row >> 1) * p.strideU();
            int vRow = (row >> 1) * p.strideV();
            int out = row * w;
            for (int col = 0; col < w; col++) {
                int c = (p.y().get(yRow + col) & 0xff) - 16;
                int d = (p.u().get(uRow + (col >> 1)) & 0xff) - 128;
                int e = (p.v().get(vRow + (col >> 1)) & 0xff) - 128;
                int r = clamp((298 * c + 409 * e + 128) >> 8);
                int g = clamp((298 * c - 100 * d - 208 * e + 128) >> 8);
                int b = clamp((298 * c + 516 * d + 128) >> 8);
                argb[out + col] = 0xff000000 | (r << 16) | (g << 8) | b;
            }
        }
        return new VideoImage(w, h, argb, timestampNs);
    }

    /** Writes {@code image} (same size as {@code buffer}) into the buffer's planes. */
    static void fill(NativeI420Buffer buffer, VideoImage image) {
        int w = image.width();
        int h = image.height();
        ByteBuffer y = buffer.getDataY();
        ByteBuffer u = buffer.getDataU();
        ByteBuffer v = buffer.getDataV();
        int sy = buffer.getStrideY();
        int su = buffer.getStrideU();
        int sv = buffer.getStrideV();
        int[] px = image.argb();
        for (int row = 0; row < h; row++) {
            for (int col = 0; col < w; col++) {
                int p = px[row * w + col];
                int r = (p >> 16) & 0xff;
                int g = (p >> 8) & 0xff;
                int b = p & 0xff;
                y.put(row * sy + col, (byte) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16));
                if ((row & 1) == 0 && (col & 1) == 0) {
                    u.put((row >> 1) * su + (col >> 1), (byte) (((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128));
                    v.put((row >> 1) * sv + (col >> 1), (byte) (((112 * r - 94 * g - 18 * b + 128) >> 8) + 128));
                }
            }
        }
    }

    /** 75 % colour bars (white, yellow, cyan, green, magenta, red, blue) as Y, U, V. */
    private static final int[][] BARS = {{180, 128, 128}, {162, 44, 142}, {131, 156, 44}, {112, 72, 58},
            {84, 184, 198}, {65, 100, 212}, {35, 212, 114}};

    /**
     * The synthetic test picture: the top and bottom quarters flat luma {@code luma} with grey chroma (what receivers
     * check), colour bars in between (so the encoder has real work and a screenshot shows something), and a bright
     * bar moving along the bottom quarter (so frames differ).
     */
    static void pattern(NativeI420Buffer buffer, int luma, long frameNumber) {
        pattern(Planes.of(buffer), luma, frameNumber);
    }

    static void pattern(Planes p, int luma, long frameNumber) {
        int w = p.width();
        int h = p.height();
        ByteBuffer y = p.y();
        ByteBuffer u = p.u();
        ByteBuffer v = p.v();
        int sy = p.strideY();
        int barWidth = Math.max(8, w / 16);
        int barX = (int) ((frameNumber * 8) % Math.max(1, w - barWidth));
        for (int row = 0; row < h; row++) {
            boolean bars = row >= h / 4 && row < h * 3 / 4;
            boolean movingRow = row >= h * 3 / 4;
            for (int col = 0; col < w; col++) {
                int value;
                if (bars) {
                    value = BARS[col * BARS.length / w][0];
                } else if (movingRow && col >= barX && col < barX + barWidth) {
                    value = 235;
                } else {
                    value = luma;
                }
                y.put(row * sy + col, (byte) value);
            }
        }
        int ch = (h + 1) / 2;
        int cw = (w + 1) / 2;
        for (int row = 0; row < ch; row++) {
            boolean bars = row * 2 >= h / 4 && row * 2 < h * 3 / 4;
            for (int col = 0; col < cw; col++) {
                int[] bar = BARS[Math.min(BARS.length - 1, col * 2 * BARS.length / w)];
                u.put(row * p.strideU() + col, (byte) (bars ? bar[1] : 128));
                v.put(row * p.strideV() + col, (byte) (bars ? bar[2] : 128));
            }
        }
    }

    /**
     * The synthetic picture as a receiver would see it, without an encoder in between and in plain Java (the device
     * preview, which has no factory that would have loaded the native library).
     */
    static VideoImage patternImage(int width, int height, int luma, long frameNumber) {
        Planes planes = Planes.allocate(width, height);
        pattern(planes, luma, frameNumber);
        return toImage(planes, System.nanoTime());
    }

    private static int clamp(int x) {
        return x < 0 ? 0 : Math.min(255, x);
    }
}
