package dev.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A minimal WebSocket client (RFC 6455) for many connections on one thread: one selector, non-blocking sockets,
 * text frames only. Everything (connects, reads, scheduled sends) runs on the thread that calls {@link #run}, so the
 * generator needs no locks and its whole CPU cost is one thread's. Frames are handed to the handler as bytes; no
 * String is built per received frame.
 */
final class WsLoop implements AutoCloseable {

    /** What a connection tells its owner. All calls happen on the loop thread. */
    interface Handler {
        /** The upgrade succeeded. */
        void open(Conn conn);

        /** A complete text frame: {@code data[off, off+len)}, only valid during the call. */
        void text(Conn conn, byte[] data, int off, int len);

        /** The connection failed or closed; {@code reason} says why. Called at most once. */
        void closed(Conn conn, String reason);
    }

    private final Selector selector;
    private final InetSocketAddress address;
    private final String host;
    private final List<Conn> all = new ArrayList<>();

    WsLoop(String host, int port) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!host.equals("127.0.0.1") && !host.equals("localhost")) {
            throw new IllegalArgumentException("the bench only targets 127.0.0.1, not " + host);
        }
        this.address = new InetSocketAddress("127.0.0.1", port);
        this.host = host;
    }

    /** Starts a connection to {@code path}; the handler hears {@code open} or {@code closed} later. */
    Conn connect(String path, Handler handler) {
        try {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.socket().setTcpNoDelay(true);
            Conn conn = new Conn(ch, handler, path);
            all.add(conn);
            if (ch.connect(address)) {
                conn.key = ch.register(selector, SelectionKey.OP_READ, conn);
                conn.sendUpgrade();
            } else {
                conn.key = ch.register(selector, SelectionKey.OP_CONNECT, conn);
            }
            return conn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the loop until {@code done} is true or the deadline (System.nanoTime) passes. {@code tick} runs after
     * every wake-up; {@code maxWaitMs} bounds how long one select may sleep.
     */
    void run(BooleanSupplier done, long deadlineNanos, Runnable tick, long maxWaitMs) {
        while (!done.getAsBoolean() && System.nanoTime() < deadlineNanos) {
            try {
                selector.select(Math.max(1, maxWaitMs));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            var keys = selector.selectedKeys();
            for (var it = keys.iterator(); it.hasNext(); ) {
                SelectionKey key = it.next();
                it.remove();
                Conn conn = (Conn) key.attachment();
                try {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isConnectable()) {
                        conn.ch.finishConnect();
                        key.interestOps(SelectionKey.OP_READ);
                        conn.sendUpgrade();
                    }
                    if (key.isValid() && key.isWritable()) {
                        conn.flush();
                    }
                    if (key.isValid() && key.isReadable()) {
                        conn.read();
                    }
                } catch (IOException | RuntimeException e) {
                    conn.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
            if (tick != null) {
                tick.run();
            }
        }
    }

    int openCount() {
        int n = 0;
        for (Conn c : all) {
            if (c.open && !c.closed) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        for (Conn c : all) {
            c.closeQuietly();
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    /** One WebSocket connection. */
    final class Conn {
        final SocketChannel ch;
        final Handler handler;
        final String path;
        SelectionKey key;
        Object attachment;
        boolean open;
        boolean closed;
        private ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        private ByteBuffer out = ByteBuffer.allocate(4 * 1024);
        private byte[] fragments;
        private int fragmentLength;

        private Conn(SocketChannel ch, Handler handler, String path) {
            this.ch = ch;
            this.handler = handler;
            this.path = path;
        }

        private void sendUpgrade() throws IOException {
            String request = "GET " + path + " HTTP/1.1\r\n"
                    + "Host: " + host + ":" + address.getPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n";
            append(request.getBytes(StandardCharsets.US_ASCII));
            flush();
        }

        /** Queues one text frame (masked, as RFC 6455 requires of clients) and writes what the socket takes. */
        void sendText(byte[] payload) {
            sendText(payload, payload.length);
        }

        void sendText(byte[] payload, int len) {
            if (closed) {
                return;
            }
            ensureOut(len + 14);
            out.put((byte) 0x81);
            if (len < 126) {
                out.put((byte) (0x80 | len));
            } else if (len < 65536) {
                out.put((byte) (0x80 | 126));
                out.putShort((short) len);
            } else {
                out.put((byte) (0x80 | 127));
                out.putLong(len);
            }
            // A zero masking key: valid per RFC 6455 (the key is XORed in) and saves the generator a pass per byte.
            out.putInt(0);
            out.put(payload, 0, len);
            try {
                flush();
            } catch (IOException e) {
                fail("write: " + e.getMessage());
            }
        }

        private void sendControl(int opcode, byte[] data, int off, int len) {
            ensureOut(len + 6);
            out.put((byte) (0x80 | opcode));
            out.put((byte) (0x80 | len));
            out.putInt(0);
            out.put(data, off, len);
            try {
                flush();
            } catch (IOException e) {
                fail("write: " + e.getMessage());
            }
        }

        private void append(byte[] bytes) {
            ensureOut(bytes.length);
            out.put(bytes);
        }

        private void ensureOut(int more) {
            if (out.remaining() < more) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + more));
                out.flip();
                bigger.put(out);
                out = bigger;
            }
        }

        private void flush() throws IOException {
            if (out.position() == 0 || closed) {
                return;
            }
            out.flip();
            ch.write(out);
            out.compact();
            if (key != null && key.isValid()) {
                int ops = out.position() > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
                if (key.interestOps() != ops && (key.interestOps() & SelectionKey.OP_CONNECT) == 0) {
                    key.interestOps(ops);
                }
            }
        }

        private void read() throws IOException {
            int n = ch.read(in);
            if (n < 0) {
                fail("closed by server");
                return;
            }
            byte[] a = in.array();
            int limit = in.position();
            int pos = 0;
            if (!open) {
                int end = indexOfHeaderEnd(a, limit);
                if (end < 0) {
                    if (limit == in.capacity()) {
                        fail("upgrade response too large");
                    }
                    return;
                }
                String status = new String(a, 0, Math.min(end, 64), StandardCharsets.US_ASCII);
                if (!status.startsWith("HTTP/1.1 101")) {
                    fail("upgrade refused: " + status.lines().findFirst().orElse(""));
                    return;
                }
                open = true;
                pos = end;
                handler.open(this);
            }
            while (!closed) {
                int avail = limit - pos;
                if (avail < 2) {
                    break;
                }
                int b0 = a[pos] & 0xFF;
                int b1 = a[pos + 1] & 0xFF;
                int header = 2;
                long len = b1 & 0x7F;
                if (len == 126) {
                    if (avail < 4) {
                        break;
                    }
                    len = ((a[pos + 2] & 0xFF) << 8) | (a[pos + 3] & 0xFF);
                    header = 4;
                } else if (len == 127) {
                    if (avail < 10) {
                        break;
                    }
                    len = 0;
                    for (int i = 0; i < 8; i++) {
                        len = (len << 8) | (a[pos + 2 + i] & 0xFF);
                    }
                    header = 10;
                }
                boolean masked = (b1 & 0x80) != 0;
                if (masked) {
                    header += 4;
                }
                if (len > 16 * 1024 * 1024) {
                    fail("frame too large: " + len);
                    return;
                }
                if (avail < header + len) {
                    if (header + len > in.capacity()) {
                        ByteBuffer bigger = ByteBuffer.allocate((int) (header + len) * 2);
                        bigger.put(a, pos, avail);
                        in = bigger;
                        return;
                    }
                    break;
                }
                int start = pos + header;
                int length = (int) len;
                if (masked) {
                    for (int i = 0; i < length; i++) {
                        a[start + i] ^= a[start - 4 + (i & 3)];
                    }
                }
                boolean fin = (b0 & 0x80) != 0;
                int opcode = b0 & 0x0F;
                pos = start + length;
                switch (opcode) {
                    case 0x1 -> {
                        if (fin) {
                            handler.text(this, a, start, length);
                        } else {
                            startFragments(a, start, length);
                        }
                    }
                    case 0x0 -> {
                        appendFragment(a, start, length);
                        if (fin && fragments != null) {
                            byte[] whole = fragments;
                            int wholeLength = fragmentLength;
                            fragments = null;
                            handler.text(this, whole, 0, wholeLength);
                        }
                    }
                    case 0x8 -> fail("close frame from server");
                    case 0x9 -> sendControl(0xA, a, start, length);
                    default -> {
                        // pong or binary: not used by either server here
                    }
                }
            }
            if (!closed) {
                // keep the unread tail at the start of the buffer
                System.arraycopy(a, pos, in.array(), 0, limit - pos);
                in.position(limit - pos);
            }
        }

        private void startFragments(byte[] a, int off, int len) {
            fragments = new byte[Math.max(1024, len * 2)];
            System.arraycopy(a, off, fragments, 0, len);
            fragmentLength = len;
        }

        private void appendFragment(byte[] a, int off, int len) {
            if (fragments == null) {
                return;
            }
            if (fragmentLength + len > fragments.length) {
                fragments = java.util.Arrays.copyOf(fragments, (fragmentLength + len) * 2);
            }
            System.arraycopy(a, off, fragments, fragmentLength, len);
            fragmentLength += len;
        }

        void fail(String reason) {
            if (closed) {
                return;
            }
            closeQuietly();
            handler.closed(this, reason);
        }

        void closeQuietly() {
            closed = true;
            try {
                if (key != null) {
                    key.cancel();
                }
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    static int indexOfHeaderEnd(byte[] a, int limit) {
        for (int i = 3; i < limit; i++) {
            if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }
}
