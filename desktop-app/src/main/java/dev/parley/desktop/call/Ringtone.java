package dev.parley.desktop.call;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ringtone, generated rather than shipped: two short 440/480 Hz bursts (the classic ring cadence) and a pause,
 * as a 16-bit mono WAV that javafx-media plays without any codec library.
 */
public final class Ringtone {
    private static final int RATE = 22_050;

    private Ringtone() {
    }

    /** Writes the WAV into {@code dir} (once) and returns its path. */
    public static Path file(Path dir) {
        Path file = dir.resolve("parley-ring.wav");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dir);
                Files.write(file, wav());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] wav() {
        int seconds = 3;
        short[] pcm = new short[RATE * seconds];
        for (int i = 0; i < pcm.length; i++) {
            double t = (double) i / RATE;
            double inCycle = t % 3.0;
            boolean on = inCycle < 0.4 || (inCycle >= 0.6 && inCycle < 1.0);
            if (on) {
                double fade = Math.min(1, Math.min(inCycle % 0.6, 0.4 - Math.min(0.4, inCycle % 0.6)) * 50);
                pcm[i] = (short) (fade * 6000 * (Math.sin(2 * Math.PI * 440 * t) + Math.sin(2 * Math.PI * 480 * t)));
            }
        }
        ByteBuffer data = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : pcm) {
            data.putShort(s);
        }
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes()).putInt(36 + data.capacity()).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE)
                .putInt(RATE * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(data.capacity());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.array());
        out.writeBytes(data.array());
        return out.toByteArray();
    }
}
