package dev.parley.desktop.net;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.IceServer;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.MemberRole;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.ProtocolViolation;
import dev.parley.protocol.UserSummary;
import dev.parley.protocol.api.AddMembersRequest;
import dev.parley.protocol.api.ApiErrorBody;
import dev.parley.protocol.api.AuthResponse;
import dev.parley.protocol.api.ChangePasswordRequest;
import dev.parley.protocol.api.CreateConversationRequest;
import dev.parley.protocol.api.IceServers;
import dev.parley.protocol.api.LoginRequest;
import dev.parley.protocol.api.MemberPage;
import dev.parley.protocol.api.RefreshRequest;
import dev.parley.protocol.api.RegisterRequest;
import dev.parley.protocol.api.RoleRequest;
import dev.parley.protocol.api.SearchPage;
import dev.parley.protocol.api.ServerInfo;
import dev.parley.protocol.api.SessionInfo;
import dev.parley.protocol.api.UpdateConversationRequest;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The relay's REST endpoints. Calls block (the callers run them off the UI thread); a refusal becomes an
 * {@link ApiException} with the relay's error code, an unreachable relay a {@link RelayUnreachableException}.
 */
public final class RelayApi {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final RelayAddress relay;
    private final ProtocolJson json;
    private final HttpClient http;

    public RelayApi(RelayAddress relay, ProtocolJson json) {
        this.relay = relay;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public RelayAddress relay() {
        return relay;
    }

    public ServerInfo info() {
        return call(get("/api/info", null), ServerInfo.class);
    }

    public AuthResponse register(String username, String password, String displayName, DeviceInfo device) {
        return call(post("/api/auth/register", null, new RegisterRequest(username, password, displayName, device)),
                AuthResponse.class);
    }

    public AuthResponse login(String username, String password, DeviceInfo device) {
        return call(post("/api/auth/login", null, new LoginRequest(username, password, device)), AuthResponse.class);
    }

    public AuthResponse refresh(String refreshToken) {
        return call(post("/api/auth/refresh", null, new RefreshRequest(refreshToken)), AuthResponse.class);
    }

    public void logout(String token) {
        call(post("/api/auth/logout", token, null), Void.class);
    }

    public List<ConversationSummary> conversations(String token) {
        return call(get("/api/conversations", token), new TypeReference<>() { });
    }

    public ConversationSummary conversation(String token, long id) {
        return call(get("/api/conversations/" + id, token), ConversationSummary.class);
    }

    public List<ConversationSummary> channels(String token) {
        return call(get("/api/channels", token), new TypeReference<>() { });
    }

    public ConversationSummary create(String token, CreateConversationRequest request) {
        return call(post("/api/conversations", token, request), ConversationSummary.class);
    }

    public ConversationSummary join(String token, long conv) {
        return call(post("/api/conversations/" + conv + "/join", token, null), ConversationSummary.class);
    }

    public void leave(String token, long conv) {
        call(post("/api/conversations/" + conv + "/leave", token, null), Void.class);
    }

    public ConversationSummary addMembers(String token, long conv, List<Long> users) {
        return call(post("/api/conversations/" + conv + "/members", token, new AddMembersRequest(users)),
                ConversationSummary.class);
    }

    public void removeMember(String token, long conv, long user) {
        call(builder("/api/conversations/" + conv + "/members/" + user, token).DELETE().build(), Void.class);
    }

    /** Messages containing {@code query}, newest first, from the stretch below {@code before} (null: the newest). */
    public SearchPage search(String token, long conv, String query, Long before, int limit) {
        String path = "/api/conversations/" + conv + "/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&limit=" + limit + (before == null ? "" : "&before=" + before);
        return call(get(path, token), SearchPage.class);
    }

    public MemberPage members(String token, long conv, long afterUser, int limit) {
        return call(get("/api/conversations/" + conv + "/members?after=" + afterUser + "&limit=" + limit, token),
                MemberPage.class);
    }

    public ConversationSummary update(String token, long conv, UpdateConversationRequest request) {
        return call(withBody("PATCH", "/api/conversations/" + conv, token, request), ConversationSummary.class);
    }

    public ConversationSummary setRole(String token, long conv, long user, MemberRole role) {
        return call(withBody("PUT", "/api/conversations/" + conv + "/members/" + user + "/role", token,
                new RoleRequest(role)), ConversationSummary.class);
    }

    public List<UserSummary> searchUsers(String token, String query) {
        String q = URLEncoder.encode(query == null ? "" : query, StandardCharsets.UTF_8);
        return call(get("/api/users?limit=50&q=" + q, token), new TypeReference<>() { });
    }

    public UserSummary user(String token, long id) {
        return call(get("/api/users/" + id, token), UserSummary.class);
    }

    /** Sets a new password; the relay signs every other device of the user out. */
    public void changePassword(String token, String currentPassword, String newPassword) {
        call(post("/api/auth/password", token, new ChangePasswordRequest(currentPassword, newPassword)), Void.class);
    }

    public List<SessionInfo> sessions(String token) {
        return call(get("/api/sessions", token), new TypeReference<>() { });
    }

    public void revokeSession(String token, String sessionId) {
        String id = URLEncoder.encode(sessionId, StandardCharsets.UTF_8);
        call(builder("/api/sessions/" + id, token).DELETE().build(), Void.class);
    }

    /** Freshly issued STUN/TURN servers for a call (TURN credentials expire). */
    public List<IceServer> iceServers(String token) {
        return call(get("/api/ice-servers", token), IceServers.class).iceServers();
    }

    /** Call records ({@code call} events), newest first; {@code conv} <= 0 means every conversation. */
    public List<LogEvent> callHistory(String token, long conv, int limit) {
        String query = "?limit=" + limit + (conv > 0 ? "&conv=" + conv : "");
        return call(get("/api/calls/history" + query, token), new TypeReference<>() { });
    }

    private HttpRequest get(String path, String token) {
        return builder(path, token).GET().build();
    }

    private HttpRequest post(String path, String token, Object body) {
        return withBody("POST", path, token, body);
    }

    private HttpRequest withBody(String method, String path, String token, Object body) {
        return builder(path, token)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body == null ? "{}" : json.write(body)))
                .build();
    }

    private HttpRequest.Builder builder(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(relay.resolve(path)).timeout(TIMEOUT);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private <T> T call(HttpRequest request, Class<T> type) {
        String body = send(request);
        return type == Void.class ? null : json.decode(body, type);
    }

    private <T> T call(HttpRequest request, TypeReference<T> type) {
        String body = send(request);
        try {
            return json.mapper().readValue(body, type);
        } catch (IOException e) {
            throw new ApiException(ErrorCode.INTERNAL_ERROR, "unreadable answer from the relay: " + e.getMessage());
        }
    }

    private String send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RelayUnreachableException("cannot reach " + relay + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RelayUnreachableException("interrupted", e);
        }
        if (response.statusCode() / 100 == 2) {
            return response.body();
        }
        ApiErrorBody error;
        try {
            error = json.decode(response.body(), ApiErrorBody.class);
        } catch (ProtocolViolation e) {
            throw new ApiException(ErrorCode.INTERNAL_ERROR, "the relay answered HTTP " + response.statusCode());
        }
        throw new ApiException(error.code() == null ? ErrorCode.INTERNAL_ERROR : error.code(), error.error());
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
