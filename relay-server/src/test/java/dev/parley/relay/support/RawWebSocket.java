package dev.parley.relay.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * A WebSocket spoken by hand over a plain socket, for what the JDK's client will not send: broken UTF-8, or a
 * character split between two frames. Frames go out masked, as a client's must. Every read is bounded.
 */
public final class RawWebSocket implements AutoCloseable {
    public static final int TEXT = 0x1;
    public static final int CONTINUATION = 0x0;
    public static final int CLOSE = 0x8;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    /** A frame from the relay; {@code payload} is unmasked (servers do not mask). */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame; 1005 (no status) when it has none. */
        public int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects to {@code ws} and completes the upgrade. */
    public static RawWebSocket open(URI ws) throws IOException {
        return open(ws, 0);
    }

    /**
     * As {@link #open(URI)}, with a receive buffer of {@code receiveBufferBytes} (0: the system's) set before
     * connecting, so the window the relay sees stays that small: a device that stops reading fills it quickly.
     */
    public static RawWebSocket open(URI ws, int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        try {
            if (receiveBufferBytes > 0) {
                socket.setReceiveBufferSize(receiveBufferBytes);
            }
            socket.connect(new InetSocketAddress(ws.getHost(), ws.getPort()), (int) READ_TIMEOUT.toMillis());
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            RawWebSocket raw = new RawWebSocket(socket);
            raw.out.write(("GET " + ws.getPath() + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) raw.in.readUnsignedByte());
            }
            if (!head.toString().startsWith("HTTP/1.1 101")) {
                throw new IOException("the relay did not upgrade: " + head);
            }
            return raw;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** One frame, written at once. Payloads up to 64 KiB: enough for what these tests send. */
    public void send(boolean fin, int opcode, byte[] payload) throws IOException {
        if (payload.length > 0xFFFF) {
            throw new IllegalArgumentException("payloads over 64 KiB are not supported here");
        }
        byte[] mask = {0x1F, 0x2E, 0x3D, 0x4C};
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 8);
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        }
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
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
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame(first & 0x0F, payload);
    }

    /**
     * Reads frames until one matches (others, such as presence, are skipped). Fails on a close frame or when none
     * matched within the read timeout.
     */
    public Frame readUntil(Predicate<Frame> wanted) throws IOException {
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Frame frame = read();
            if (wanted.test(frame)) {
                return frame;
            }
            if (frame.opcode() == CLOSE) {
                throw new AssertionError("the relay closed the connection (" + frame.closeCode() + ") instead");
            }
        }
        throw new AssertionError("no matching frame within " + READ_TIMEOUT.toSeconds() + " s");
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
