package dev.parley.desktop.call;

import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;

import java.nio.ByteBuffer;

/** I420 (YUV 4:2:0, BT.601 limited range) to and from packed ARGB, in plain Java on the caller's thread. */
final class I420 {
    private I420() {
    }

    static VideoImage toImage(I420Buffer buffer, long timestampNs) {
        int w = buffer.getWidth();
        int h = buffer.getHeight();
        ByteBuffer y = buffer.getDataY();
        ByteBuffer u = buffer.getDataU();
        ByteBuffer v = buffer.getDataV();
        int sy = buffer.getStrideY();
        int su = buffer.getStrideU();
        int sv = buffer.getStrideV();
        int[] argb = new int[w * h];
        for (int row = 0; row < h; row++) {
            int yRow = row * sy;
            int uRow = (row >> 1) * su;
            int vRow = (row >> 1) * sv;
            int out = row * w;
            for (int col = 0; col < w; col++) {
                int c = (y.get(yRow + col) & 0xff) - 16;
                int d = (u.get(uRow + (col >> 1)) & 0xff) - 128;
                int e = (v.get(vRow + (col >> 1)) & 0xff) - 128;
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
        int w = buffer.getWidth();
        int h = buffer.getHeight();
        ByteBuffer y = buffer.getDataY();
        ByteBuffer u = buffer.getDataU();
        ByteBuffer v = buffer.getDataV();
        int sy = buffer.getStrideY();
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
                u.put(row * buffer.getStrideU() + col, (byte) (bars ? bar[1] : 128));
                v.put(row * buffer.getStrideV() + col, (byte) (bars ? bar[2] : 128));
            }
        }
    }

    private static int clamp(int x) {
        return x < 0 ? 0 : Math.min(255, x);
    }
}
