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

    /** The synthetic test picture: flat luma {@code luma}, grey chroma, a bright bar moving along the bottom quarter. */
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
            boolean barRow = row >= h * 3 / 4;
            for (int col = 0; col < w; col++) {
                boolean bar = barRow && col >= barX && col < barX + barWidth;
                y.put(row * sy + col, (byte) (bar ? 235 : luma));
            }
        }
        int ch = (h + 1) / 2;
        for (int row = 0; row < ch; row++) {
            int cw = (w + 1) / 2;
            for (int col = 0; col < cw; col++) {
                u.put(row * buffer.getStrideU() + col, (byte) 128);
                v.put(row * buffer.getStrideV() + col, (byte) 128);
            }
        }
    }

    private static int clamp(int x) {
        return x < 0 ? 0 : Math.min(255, x);
    }
}
