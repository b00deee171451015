package dev.parley.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The generator's WebSocket framing against a scripted server socket: lengths of every size class, fragments, ping. */
class WsLoopTest {

    @Test
    void readsEveryFrameSizeAndFragmentsAndAnswersPings() throws Exception {
        String small = "a".repeat(10);
        String medium = "b".repeat(300);
        String large = "c".repeat(70_000);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> fromClient = CompletableFuture.supplyAsync(() -> serve(server, small, medium, large));
            List<String> received = new ArrayList<>();
            try (WsLoop loop = new WsLoop("127.0.0.1", server.getLocalPort())) {
                loop.connect("/ws", new WsLoop.Handler() {
                    @Override
                    public void open(WsLoop.Conn conn) {
                        conn.sendText(Bytes.ascii("hello"));
                    }

                    @Override
                    public void text(WsLoop.Conn conn, byte[] data, int off, int len) {
                        received.add(new String(data, off, len, StandardCharsets.UTF_8));
                    }

                    @Override
                    public void closed(WsLoop.Conn conn, String reason) {
                        received.add("closed");
                    }
                });
                loop.run(() -> received.contains("closed"), System.nanoTime() + TimeUnit.SECONDS.toNanos(10), null, 5);
            }
            assertEquals(List.of(small, medium, large, "frag" + "mented", "closed"), received);
            assertEquals(List.of("text:hello", "pong:pi"), fromClient.get(10, TimeUnit.SECONDS));
        }
    }

    private static List<String> serve(ServerSocket server, String... texts) {
        try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                head.write(in.read());
            }
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            List<String> got = new ArrayList<>();
            DataInputStream din = new DataInputStream(in);
            got.add("text:" + readClientFrame(din));
            for (String t : texts) {
                out.write(frame(0x81, t.getBytes(StandardCharsets.UTF_8)));
            }
            out.write(frame(0x01, Bytes.ascii("frag")));
            out.write(frame(0x89, Bytes.ascii("pi")));
            out.write(frame(0x80, Bytes.ascii("mented")));
            out.flush();
            got.add("pong:" + readClientFrame(din));
            out.write(frame(0x88, new byte[0]));
            out.flush();
            return got;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readClientFrame(DataInputStream in) throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        assertEquals(0x80, b1 & 0x80, "client frames are masked");
        long len = b1 & 0x7F;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] mask = new byte[4];
        in.readFully(mask);
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        assertEquals(0x80, b0 & 0x80, "client frames are final");
        return new String(payload, StandardCharsets.UTF_8);
    }

    private static byte[] frame(int b0, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(b0);
        if (payload.length < 126) {
            f.write(payload.length);
        } else if (payload.length < 65536) {
            f.write(126);
            f.write(payload.length >> 8);
            f.write(payload.length & 0xFF);
        } else {
            f.write(127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) payload.length >> (8 * i)) & 0xFF);
            }
        }
        f.writeBytes(payload);
        return f.toByteArray();
    }

    @Test
    void findsTheEndOfTheUpgradeResponse() {
        byte[] a = Bytes.ascii("HTTP/1.1 101 OK\r\nX: y\r\n\r\nrest");
        assertEquals(a.length - 4, WsLoop.indexOfHeaderEnd(a, a.length));
        assertEquals(-1, WsLoop.indexOfHeaderEnd(a, 20));
    }
}
