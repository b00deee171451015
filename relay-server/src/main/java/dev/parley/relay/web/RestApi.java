package dev.parley.relay.web;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.ProtocolVersion;
import dev.parley.protocol.ProtocolViolation;
import dev.parley.protocol.api.AddMembersRequest;
import dev.parley.protocol.api.ApiErrorBody;
import dev.parley.protocol.api.AuthResponse;
import dev.parley.protocol.api.ChangePasswordRequest;
import dev.parley.protocol.api.CreateConversationRequest;
import dev.parley.protocol.api.IceServers;
import dev.parley.protocol.api.LoginRequest;
import dev.parley.protocol.api.MessagePage;
import dev.parley.protocol.api.RefreshRequest;
import dev.parley.protocol.api.RegisterRequest;
import dev.parley.protocol.api.RoleRequest;
import dev.parley.protocol.api.ServerInfo;
import dev.parley.protocol.api.SessionInfo;
import dev.parley.protocol.api.UpdateConversationRequest;
import dev.parley.relay.RelayException;
import dev.parley.relay.account.AccountService;
import dev.parley.relay.account.AccountStore;
import dev.parley.relay.account.AuthResult;
import dev.parley.relay.account.Principal;
import dev.parley.relay.call.IceServerProvider;
import dev.parley.relay.chat.ChatService;
import dev.parley.relay.chat.ChatStore;
import dev.parley.relay.chat.EventPage;
import dev.parley.relay.connection.ConnectionRegistry;
import dev.parley.relay.presence.UserDirectory;
import dev.parley.relay.ratelimit.RateLimitedException;
import dev.parley.relay.ratelimit.RateLimiter;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** The REST endpoints (see docs/protocol.md). Handlers only translate HTTP to service calls and back. */
public final class RestApi {
    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
    private static final String PRINCIPAL = "parley.principal";

    private final ProtocolJson json;
    private final AccountService accounts;
    private final AccountStore accountStore;
    private final UserDirectory users;
    private final ChatService chat;
    private final ChatStore chatStore;
    private final ConnectionRegistry connections;
    private final RateLimiter searches;
    private final IceServerProvider iceServers;
    private final String name;
    private final String version;
    private final Clock clock;
    private final Instant startedAt;

    public RestApi(ProtocolJson json, AccountService accounts, AccountStore accountStore, UserDirectory users,
                   ChatService chat, ChatStore chatStore, ConnectionRegistry connections, RateLimiter searches,
                   IceServerProvider iceServers, String name, String version, Clock clock) {
        this.searches = searches;
        this.json = json;
        this.accounts = accounts;
        this.accountStore = accountStore;
        this.users = users;
        this.chat = chat;
        this.chatStore = chatStore;
        this.connections = connections;
        this.iceServers = iceServers;
        this.name = name;
        this.version = version;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    public void install(JavalinConfig config) {
        var routes = config.routes;
        routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
        routes.get("/api/info", this::info);

        routes.post("/api/auth/register", ctx -> {
            RegisterRequest body = body(ctx, RegisterRequest.class);
            auth(ctx, accounts.register(body.username(), body.password(), body.displayName(), body.device(),
                    ctx.ip()), 201);
        });
        routes.post("/api/auth/login", ctx -> {
            LoginRequest body = body(ctx, LoginRequest.class);
            auth(ctx, accounts.login(body.username(), body.password(), body.device(), ctx.ip()), 200);
        });
        routes.post("/api/auth/refresh", ctx -> {
            RefreshRequest body = body(ctx, RefreshRequest.class);
            auth(ctx, accounts.refresh(body.refreshToken(), ctx.ip()), 200);
        });
        routes.post("/api/auth/logout", ctx -> {
            accounts.logout(principal(ctx));
            ctx.status(204);
        });
        routes.post("/api/auth/password", ctx -> {
            ChangePasswordRequest body = body(ctx, ChangePasswordRequest.class);
            accounts.changePassword(principal(ctx), body.currentPassword(), body.newPassword(), ctx.ip());
            ctx.status(204);
        });
        routes.get("/api/auth/me", ctx -> ctx.json(users.summary(accounts.account(principal(ctx).userId()))));

        routes.get("/api/users", ctx -> {
            principal(ctx);
            int limit = intParam(ctx, "limit", 50, 1, 200);
            ctx.json(users.search(ctx.queryParam("q"), limit));
        });
        routes.get("/api/users/{id}", ctx -> {
            principal(ctx);
            long id = longPath(ctx, "id");
            ctx.json(users.summary(accounts.account(id)));
        });

        routes.get("/api/sessions", ctx -> {
            Principal me = principal(ctx);
            long now = clock.millis();
            // A device whose refresh token ran out must sign in again, so it is no longer listed as signed in,
            // unless it is connected right now (a connection outlives the token that opened it).
            ctx.json(accountStore.activeSessions(me.userId()).stream()
                    .filter(s -> s.refreshExpiresAt() > now || s.id().equals(me.sessionId())
                            || !connections.connectionsOfSession(s.id()).isEmpty())
                    .map(s -> new SessionInfo(s.id(), s.deviceId(), s.deviceName(), s.os(), s.appVersion(),
                            s.address(), s.createdAt(), s.lastSeen(), s.id().equals(me.sessionId()),
                            !connections.connectionsOfSession(s.id()).isEmpty()))
                    .toList());
        });
        routes.delete("/api/sessions/{id}", ctx -> {
            accounts.revoke(principal(ctx).userId(), ctx.pathParam("id"));
            ctx.status(204);
        });

        routes.get("/api/conversations", ctx -> ctx.json(chat.conversationsOf(principal(ctx).userId())));
        routes.post("/api/conversations", ctx -> {
            long me = principal(ctx).userId();
            ChatService.Created result = chat.create(me, body(ctx, CreateConversationRequest.class));
            ctx.status(result.created() ? 201 : 200).json(result.conversation());
        });
        routes.get("/api/channels", ctx -> ctx.json(chat.channels(principal(ctx).userId())));
        routes.get("/api/conversations/{id}", ctx ->
                ctx.json(chat.conversation(principal(ctx).userId(), longPath(ctx, "id"))));
        routes.patch("/api/conversations/{id}", ctx -> {
            long me = principal(ctx).userId();
            ctx.json(chat.update(me, longPath(ctx, "id"), body(ctx, UpdateConversationRequest.class)));
        });
        routes.post("/api/conversations/{id}/join", ctx ->
                ctx.json(chat.join(principal(ctx).userId(), longPath(ctx, "id"))));
        routes.post("/api/conversations/{id}/leave", ctx -> {
            chat.leave(principal(ctx).userId(), longPath(ctx, "id"));
            ctx.status(204);
        });
        routes.post("/api/conversations/{id}/members", ctx -> {
            long me = principal(ctx).userId();
            ctx.json(chat.addMembers(me, longPath(ctx, "id"), body(ctx, AddMembersRequest.class).users()));
        });
        routes.delete("/api/conversations/{id}/members/{user}", ctx -> {
            chat.removeMember(principal(ctx).userId(), longPath(ctx, "id"), longPath(ctx, "user"));
            ctx.status(204);
        });
        routes.put("/api/conversations/{id}/members/{user}/role", ctx -> {
            long me = principal(ctx).userId();
            ctx.json(chat.setRole(me, longPath(ctx, "id"), longPath(ctx, "user"), body(ctx, RoleRequest.class).role()));
        });
        routes.get("/api/conversations/{id}/messages", this::messages);
        routes.get("/api/conversations/{id}/search", ctx -> {
            Principal me = principal(ctx);
            long conv = longPath(ctx, "id");
            int limit = intParam(ctx, "limit", Limits.DEFAULT_SEARCH_HITS, 1, Limits.MAX_SEARCH_HITS);
            String before = ctx.queryParam("before");
            searches.acquire(String.valueOf(me.userId()));
            ctx.json(chat.search(me.userId(), conv, ctx.queryParam("q"),
                    before == null ? null : longQuery("before", before, 1), limit));
        });
        routes.get("/api/conversations/{id}/members", ctx -> {
            String after = ctx.queryParam("after");
            ctx.json(chat.members(principal(ctx).userId(), longPath(ctx, "id"),
                    after == null ? 0 : longQuery("after", after, 0),
                    intParam(ctx, "limit", Limits.MAX_PAGE_SIZE, 1, Limits.MAX_PAGE_SIZE)));
        });

        routes.get("/api/ice-servers", ctx -> ctx.json(new IceServers(
                iceServers.forUser(principal(ctx).userId()), iceServers.ttl().toSeconds())));
        routes.get("/api/calls/history", ctx -> {
            long me = principal(ctx).userId();
            String conv = ctx.queryParam("conv");
            int limit = intParam(ctx, "limit", Limits.DEFAULT_PAGE_SIZE, 1, Limits.MAX_PAGE_SIZE);
            ctx.json(chat.callHistory(me, conv == null ? null : longQuery("conv", conv, 1), limit));
        });

        installErrorHandling(config);
    }

    private void info(Context ctx) {
        Instant now = clock.instant();
        ctx.json(new ServerInfo(name, version, ProtocolVersion.CURRENT, startedAt.toEpochMilli(),
                now.getEpochSecond() - startedAt.getEpochSecond(), accountStore.countUsers(),
                chatStore.countConversations(), chatStore.countEvents(), connections.connectionCount(),
                connections.onlineUserCount()));
    }

    private void messages(Context ctx) {
        long me = principal(ctx).userId();
        long conv = longPath(ctx, "id");
        int limit = intParam(ctx, "limit", Limits.DEFAULT_PAGE_SIZE, 1, Limits.MAX_PAGE_SIZE);
        String after = ctx.queryParam("after");
        String before = ctx.queryParam("before");
        if (after != null && before != null) {
            throw RelayException.invalid("use either 'after' or 'before', not both");
        }
        EventPage page = after != null
                ? chat.eventsAfter(me, conv, longQuery("after", after, 0), limit)
                : chat.eventsBefore(me, conv, before == null ? null : longQuery("before", before, 1), limit);
        ctx.json(new MessagePage(conv, page.events(), page.hasMore(), page.lastSeq()));
    }

    private void auth(Context ctx, AuthResult result, int status) {
        ctx.status(status).json(new AuthResponse(users.summary(result.account()), result.sessionId(),
                result.accessToken().token(), result.accessToken().expiresAt(), result.refreshToken()));
    }

    private Principal principal(Context ctx) {
        Principal cached = ctx.attribute(PRINCIPAL);
        if (cached != null) {
            return cached;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new RelayException(ErrorCode.UNAUTHORIZED, "send 'Authorization: Bearer <access token>'");
        }
        Principal principal = accounts.authenticate(header.substring(7).strip());
        ctx.attribute(PRINCIPAL, principal);
        return principal;
    }

    private <T> T body(Context ctx, Class<T> type) {
        String body = ctx.body();
        if (body.isBlank()) {
            throw new ProtocolViolation(ErrorCode.INVALID_JSON, "a JSON body is required");
        }
        return json.decodeRequest(body, type);
    }

    private static long longPath(Context ctx, String name) {
        String raw = ctx.pathParam(name);
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw RelayException.invalid("'" + name + "' must be a number, not '" + raw + "'");
        }
    }

    private static long longQuery(String name, String raw, long min) {
        try {
            long value = Long.parseLong(raw);
            if (value < min) {
                throw RelayException.invalid("'" + name + "' must be at least " + min);
            }
            return value;
        } catch (NumberFormatException e) {
            throw RelayException.invalid("'" + name + "' must be a number, not '" + raw + "'");
        }
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null) {
            return fallback;
        }
        long value = longQuery(name, raw, min);
        if (value > max) {
            throw RelayException.invalid("'" + name + "' must be at most " + max);
        }
        return (int) value;
    }

    private void installErrorHandling(JavalinConfig config) {
        var routes = config.routes;
        routes.exception(RateLimitedException.class, (e, ctx) -> {
            ctx.header("Retry-After", Long.toString(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
            error(ctx, e.code(), e.getMessage());
        });
        routes.exception(RelayException.class, (e, ctx) -> error(ctx, e.code(), e.getMessage()));
        routes.exception(ProtocolViolation.class, (e, ctx) -> error(ctx, e.code(), e.getMessage()));
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            ErrorCode code = switch (e.getStatus()) {
                case 404 -> ErrorCode.NOT_FOUND;
                case 401 -> ErrorCode.UNAUTHORIZED;
                case 403 -> ErrorCode.FORBIDDEN;
                case 413 -> ErrorCode.FRAME_TOO_LARGE;
                case 429 -> ErrorCode.RATE_LIMITED;
                default -> e.getStatus() >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
            };
            error(ctx, code, e.getMessage());
        });
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, ErrorCode.INTERNAL_ERROR, "internal error");
        });
        routes.error(HttpStatus.NOT_FOUND.getCode(), "*", ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                error(ctx, ErrorCode.NOT_FOUND, "no endpoint " + ctx.method() + " " + ctx.path());
            }
        });
    }

    private void error(Context ctx, ErrorCode code, String message) {
        ctx.status(code.httpStatus()).json(new ApiErrorBody(message, code, clock.instant().toString()));
    }
}
