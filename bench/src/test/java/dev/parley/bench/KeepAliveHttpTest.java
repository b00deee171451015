package dev.parley.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Against the JDK's own HTTP server: both ways of framing a body, keep-alive, and a server that closes. */
@Timeout(30)
class KeepAliveHttpTest {
    private HttpServer server;
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/sized", exchange -> {
            String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
            reply(exchange, 200, ("sized " + exchange.getRequestURI().getQuery() + " " + auth)
                    .getBytes(StandardCharsets.UTF_8), false);
        });
        server.createContext("/chunked", exchange -> reply(exchange, 200, "x".repeat(100_000).getBytes(
                StandardCharsets.UTF_8), true));
        server.createContext("/missing", exchange -> reply(exchange, 404, "{\"error\":\"not_found\"}".getBytes(
                StandardCharsets.UTF_8), false));
        server.createContext("/closing", exchange -> {
            exchange.getResponseHeaders().set("Connection", "close");
            reply(exchange, 200, "bye".getBytes(StandardCharsets.UTF_8), false);
        });
        server.start();
    }

    private void reply(HttpExchange exchange, int status, byte[] body, boolean chunked) throws IOException {
        clientPorts.add(exchange.getRemoteAddress().getPort());
        exchange.sendResponseHeaders(status, chunked ? 0 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void readsSizedAndChunkedBodiesOverOneConnection() throws IOException {
        try (KeepAliveHttp http = new KeepAliveHttp("127.0.0.1", server.getAddress().getPort(), 5_000)) {
            for (int i = 0; i < 20; i++) {
                KeepAliveHttp.Response sized = http.get("/sized?n=" + i, "token-" + i);
                assertEquals(200, sized.status());
                assertEquals("sized n=" + i + " Bearer token-" + i, sized.text());
                KeepAliveHttp.Response chunked = http.get("/chunked", null);
                assertEquals(200, chunked.status());
                assertEquals(100_000, chunked.body().length);
            }
        }
        assertEquals(1, clientPorts.size(), "every request went over the same keep-alive connection");
    }

    @Test
    void returnsErrorStatusesWithTheirBodies() throws IOException {
        try (KeepAliveHttp http = new KeepAliveHttp("127.0.0.1", server.getAddress().getPort(), 5_000)) {
            KeepAliveHttp.Response missing = http.get("/missing", null);
            assertEquals(404, missing.status());
            assertEquals("{\"error\":\"not_found\"}", missing.text());
            assertEquals(200, http.get("/sized?after=404", null).status());
        }
    }

    @Test
    void opensANewConnectionAfterTheServerClosedOne() throws IOException {
        try (KeepAliveHttp http = new KeepAliveHttp("127.0.0.1", server.getAddress().getPort(), 5_000)) {
            assertEquals("bye", http.get("/closing", null).text());
            assertEquals("sized again null", http.get("/sized?again", null).text());
        }
        assertEquals(2, clientPorts.size());
    }

    @Test
    void aServerThatStopsAnsweringTimesOut() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             KeepAliveHttp http = new KeepAliveHttp("127.0.0.1", silent.getLocalPort(), 200)) {
            assertThrows(SocketTimeoutException.class, () -> http.get("/sized", null));
        }
    }

    @Test
    void aServerThatIsNotThereIsAnError() throws IOException {
        int port = server.getAddress().getPort();
        server.stop(0);
        try (KeepAliveHttp http = new KeepAliveHttp("127.0.0.1", port, 5_000)) {
            assertThrows(IOException.class, () -> http.get("/sized", null));
        }
    }
}
