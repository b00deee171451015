package dev.parley.relay.durability;

import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.Limits;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.api.AuthResponse;
import dev.parley.protocol.api.CreateConversationRequest;
import dev.parley.protocol.api.MessagePage;
import dev.parley.protocol.api.RegisterRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The few REST calls the durability tests need, over plain HTTP like any client. */
final class RelayApi {
    static final String PASSWORD = "correct horse battery";

    private final URI base;
    private final ProtocolJson json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RelayApi(URI base, ProtocolJson json) {
        this.base = base;
        this.json = json;
    }

    AuthResponse register(String prefix) {
        String username = prefix + UUID.randomUUID().toString().substring(0, 8);
        return json.decode(call("POST", "/api/auth/register", null,
                new RegisterRequest(username, PASSWORD, null, new DeviceInfo("dev-" + prefix, prefix + " laptop",
                        "Linux", "test")), 201), AuthResponse.class);
    }

    long createDm(AuthResponse from, AuthResponse to) {
        return create(from, new CreateConversationRequest(ConversationKind.DM, null, null,
                List.of(to.user().id()), null));
    }

    long createGroup(AuthResponse owner, String name, List<AuthResponse> others) {
        return create(owner, new CreateConversationRequest(ConversationKind.GROUP, name, null,
                others.stream().map(a -> a.user().id()).toList(), null));
    }

    private long create(AuthResponse by, CreateConversationRequest request) {
        return json.decode(call("POST", "/api/conversations", by.accessToken(), request, 201),
                ConversationSummary.class).id();
    }

    /** The whole log of a conversation, oldest first, paged forward with {@code after} as a client catches up. */
    List<LogEvent> allEvents(AuthResponse member, long conv) {
        List<LogEvent> events = new ArrayList<>();
        long after = 0;
        while (true) {
            MessagePage page = json.decode(call("GET", "/api/conversations/" + conv + "/messages?after=" + after
                    + "&limit=" + Limits.MAX_PAGE_SIZE, member.accessToken(), null, 200), MessagePage.class);
            events.addAll(page.events());
            if (!page.hasMore() || page.events().isEmpty()) {
                if (page.hasMore()) {
                    throw new AssertionError("conversation " + conv + " says it has more after " + after
                            + " but returned an empty page");
                }
                if (!events.isEmpty() && events.getLast().seq() != page.lastSeq()) {
                    throw new AssertionError("conversation " + conv + " reports lastSeq " + page.lastSeq()
                            + " but its last event has seq " + events.getLast().seq());
                }
                return events;
            }
            after = page.events().getLast().seq();
        }
    }

    private String call(String method, String path, String token, Object body, int expectedStatus) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json.write(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expectedStatus) {
                throw new AssertionError(method + " " + path + " answered " + response.statusCode() + " "
                        + response.body() + " instead of " + expectedStatus);
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
