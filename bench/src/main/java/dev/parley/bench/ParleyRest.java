package dev.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Sets up what a Parley scenario needs through the relay's public REST API, as real clients would: accounts
 * (register = sign in once per user), and one conversation per room with its members. Not measured.
 */
final class ParleyRest {
    static final String PASSWORD = "bench password 1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    ParleyRest(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    record User(long id, String username, String token) {
    }

    /** Registers {@code count} users named prefix0..prefixN-1, {@code parallel} at a time. */
    List<User> register(String prefix, int count, int parallel) {
        List<Future<User>> futures = new ArrayList<>();
        Semaphore slots = new Semaphore(parallel);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                String name = prefix + i;
                futures.add(pool.submit(() -> {
                    slots.acquire();
                    try {
                        JsonNode r = post("/api/auth/register", null, Map.of("username", name, "password", PASSWORD,
                                "device", Map.of("name", "bench", "os", "Linux")), 201);
                        return new User(r.path("user").path("id").asLong(), name, r.path("accessToken").asText());
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        List<User> users = new ArrayList<>(count);
        for (Future<User> f : futures) {
            try {
                users.add(f.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("registering users failed: " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return users;
    }

    User login(String username) {
        JsonNode r = post("/api/auth/login", null, Map.of("username", username, "password", PASSWORD,
                "device", Map.of("name", "bench", "os", "Linux")), 200);
        return new User(r.path("user").path("id").asLong(), username, r.path("accessToken").asText());
    }

    /** Creates a group (or channel) owned by {@code owner} with the other users as members; returns its id. */
    long createConversation(User owner, String kind, String name, List<User> members) {
        List<Long> ids = members.stream().filter(u -> u.id() != owner.id()).map(User::id).toList();
        Map<String, Object> body = kind.equals("dm") ? Map.of("kind", "dm", "members", ids)
                : Map.of("kind", kind, "name", name, "members", ids);
        return post("/api/conversations", owner.token(), body, 201).path("id").asLong();
    }

    JsonNode post(String path, String token, Object body, int expected) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expected && !(expected == 201 && r.statusCode() == 200)) {
                throw new IllegalStateException("POST " + path + " -> " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("POST " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
