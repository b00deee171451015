package dev.parley.bench;

import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;

/** HdrHistograms as compressed Base64 text, so generator processes can hand them over for an exact merge. */
final class HistCodec {
    private HistCodec() {
    }

    static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[n];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not an encoded histogram", e);
        }
    }

    /** The exact merge of several histograms (every recorded value kept). */
    static Histogram merge(Iterable<Histogram> parts) {
        Histogram total = LoadRun.newHist();
        for (Histogram h : parts) {
            total.add(h);
        }
        return total;
    }
}
