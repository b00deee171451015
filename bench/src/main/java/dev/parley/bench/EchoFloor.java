package dev.parley.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The machine's own latency floor: a 100-byte TCP round trip to a process that only echoes, pinned to the server
 * core like the servers are. No server can answer faster than this, so it is the yardstick for the latency rows
 * (a tail here is the machine's: scheduling and waking an idle core, not any server's work).
 */
final class EchoFloor {
    private static final int MESSAGE_BYTES = 100;

    private EchoFloor() {
    }

    /** Echoes every connection's bytes back until the process is stopped; one connection at a time is enough. */
    static void serve(Args args) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", args.integer("port", 7483)));
            System.out.println("{\"event\":\"echo-listening\"}");
            System.out.flush();
            echo(server);
        }
    }

    /** Serves until the socket is closed. */
    static void echo(ServerSocket server) throws IOException {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setTcpNoDelay(true);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                byte[] buffer = new byte[4096];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                }
            }
        }
    }

    static Map<String, Object> measure(Args args) throws IOException {
        int requests = args.integer("requests", 2000);
        int warmup = args.integer("warmup-requests", 2000);
        Histogram histogram = LoadRun.newHist();
        try (Socket socket = new Socket("127.0.0.1", args.integer("port", 7483))) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] message = new byte[MESSAGE_BYTES];
            byte[] reply = new byte[MESSAGE_BYTES];
            for (int i = -warmup; i < requests; i++) {
                long t0 = System.nanoTime();
                out.write(message);
                for (int read = 0; read < MESSAGE_BYTES; ) {
                    int n = in.read(reply, read, MESSAGE_BYTES - read);
                    if (n < 0) {
                        throw new IOException("the echo process closed the connection");
                    }
                    read += n;
                }
                if (i >= 0) {
                    histogram.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("label", args.str("label", "z-echo-floor"));
        out.put("target", "machine");
        out.put("mode", "echo");
        out.put("requests", requests);
        out.put("warmupRequests", warmup);
        out.put("roundTripMs", LoadRun.summary(histogram));
        return out;
    }
}
