package dev.parley.relay.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.api.AuthResponse;
import dev.parley.protocol.api.LoginRequest;
import dev.parley.protocol.api.RegisterRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Plain HTTP against the relay's REST API, as any client would send it. */
public final class RestClient {
    private static final AtomicInteger USER_COUNTER = new AtomicInteger();
    public static final String PASSWORD = "correct horse battery";

    private final URI base;
    private final ProtocolJson json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RestClient(URI base, ProtocolJson json) {
        this.base = base;
        this.json = json;
    }

    public record Response(int status, String body, HttpResponse<String> raw) {
        public JsonNode tree(ProtocolJson json) {
            try {
                return json.mapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    /** Registers a fresh user whose name starts with {@code prefix}; the password is {@link #PASSWORD}. */
    public AuthResponse newUser(String prefix) {
        String username = prefix + USER_COUNTER.incrementAndGet();
        Response response = post("/api/auth/register", null,
                new RegisterRequest(username, PASSWORD, null, new DeviceInfo("dev-1", "Test laptop", "Linux", "test")));
        if (response.status() != 201) {
            throw new IllegalStateException("register failed: " + response.status() + " " + response.body());
        }
        return as(response, AuthResponse.class);
    }

    public AuthResponse login(String username, String password, String deviceName) {
        Response response = post("/api/auth/login", null,
                new LoginRequest(username, password, new DeviceInfo(deviceName, deviceName, "Linux", "test")));
        if (response.status() != 200) {
            throw new IllegalStateException("login failed: " + response.status() + " " + response.body());
        }
        return as(response, AuthResponse.class);
    }

    public Response get(String path, String token) {
        return send(request(path, token).GET());
    }

    public Response delete(String path, String token) {
        return send(request(path, token).DELETE());
    }

    public Response post(String path, String token, Object body) {
        return send(request(path, token).POST(publisher(body)));
    }

    public Response postRaw(String path, String token, String body) {
        return send(request(path, token).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response put(String path, String token, Object body) {
        return send(request(path, token).PUT(publisher(body)));
    }

    public Response patch(String path, String token, Object body) {
        return send(request(path, token).method("PATCH", publisher(body)));
    }

    public <T> T as(Response response, Class<T> type) {
        return json.decode(response.body(), type);
    }

    public <T> T as(Response response, com.fasterxml.jackson.core.type.TypeReference<T> type) {
        try {
            return json.mapper().readValue(response.body(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpRequest.BodyPublisher publisher(Object body) {
        return body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json.write(body));
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
