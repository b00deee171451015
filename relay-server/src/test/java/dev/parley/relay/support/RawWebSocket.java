package dev.parley.relay.support;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WebSocket spoken by hand over a plain socket, for what the JDK's client will not send: broken UTF-8, or a
 * character split between two frames. Frames go out masked, as a client's must.
 */
public final class RawWebSocket implements AutoCloseable {
    public static final int TEXT = 0x1;
    public static final int CONTINUATION = 0x0;
    public static final int CLOSE = 0x8;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    /** A frame from the relay; {@code payload} is unmasked (servers do not mask). */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame. */
        public int closeCode() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects to {@code ws} and completes the upgrade. */
    public static RawWebSocket open(URI ws) throws IOException {
        Socket socket = new Socket(ws.getHost(), ws.getPort());
        socket.setSoTimeout(10_000);
        RawWebSocket raw = new RawWebSocket(socket);
        raw.out.write(("GET " + ws.getPath() + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) raw.in.readUnsignedByte());
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
        return raw;
    }

    public void send(boolean fin, int opcode, byte[] payload) throws IOException {
        byte[] mask = {0x1F, 0x2E, 0x3D, 0x4C};
        out.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xFF);
        }
        out.write(mask);
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        out.write(masked);
        out.flush();
    }

    public void sendText(String text) throws IOException {
        send(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public Frame read() throws IOException {
        int first = in.readUnsignedByte();
        long length = in.readUnsignedByte() & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        return new Frame(first & 0x0F, in.readNBytes(Math.toIntExact(length)));
    }

    /** Reads frames until one matches (others, such as presence, are skipped); fails after the socket timeout. */
    public Frame readUntil(Predicate<Frame> wanted) throws IOException {
        while (true) {
            Frame frame = read();
            if (wanted.test(frame)) {
                return frame;
            }
        }
    }

    /** Drops the connection with a TCP reset (linger 0), as a device that loses its network does. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
