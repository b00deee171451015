package dev.parley.relay.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.ProtocolVersion;
import dev.parley.protocol.ProtocolViolation;
import dev.parley.protocol.ServerMessage;
import dev.parley.relay.RelayException;
import dev.parley.relay.account.Account;
import dev.parley.relay.account.AccountService;
import dev.parley.relay.account.Principal;
import dev.parley.relay.call.CallService;
import dev.parley.relay.call.IceServerProvider;
import dev.parley.relay.chat.ChatService;
import dev.parley.relay.chat.EventPage;
import dev.parley.relay.connection.ConnectionRegistry;
import dev.parley.relay.connection.OutboundFrame;
import dev.parley.relay.presence.PresenceTracker;
import dev.parley.relay.presence.UserDirectory;
import dev.parley.relay.ratelimit.RateLimitedException;
import dev.parley.relay.ratelimit.RateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The WebSocket protocol, free of transport details: the hello handshake, then one reply per request. A bad frame
 * gets an error and changes nothing; the connection stays open unless the handshake itself failed.
 */
final class ProtocolHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolHandler.class);

    private final ProtocolJson json;
    private final AccountService accounts;
    private final UserDirectory users;
    private final ChatService chat;
    private final PresenceTracker presence;
    private final CallService calls;
    private final IceServerProvider iceServers;
    private final ConnectionRegistry registry;
    private final RateLimiter requestLimiter;
    private final String serverVersion;
    private final Duration pingInterval;
    private final Duration idleTimeout;
    private final Clock clock;
    private volatile boolean accepting = true;

    ProtocolHandler(ProtocolJson json, AccountService accounts, UserDirectory users, ChatService chat,
                    PresenceTracker presence, CallService calls, IceServerProvider iceServers,
                    ConnectionRegistry registry, RateLimiter requestLimiter,
                    String serverVersion, Duration pingInterval, Duration idleTimeout, Clock clock) {
        this.json = json;
        this.accounts = accounts;
        this.users = users;
        this.chat = chat;
        this.presence = presence;
        this.calls = calls;
        this.iceServers = iceServers;
        this.registry = registry;
        this.requestLimiter = requestLimiter;
        this.serverVersion = serverVersion;
        this.pingInterval = pingInterval;
        this.idleTimeout = idleTimeout;
        this.clock = clock;
    }

    void frame(WsClient client, String text) {
        client.received(clock.millis());
        if (!client.authenticated()) {
            hello(client, text);
            return;
        }
        // Every frame counts against the connection's budget, including ones that turn out to be malformed:
        // otherwise garbage would be an unlimited way to make the relay parse and answer.
        try {
            requestLimiter.acquire(client.bucket());
        } catch (RateLimitedException e) {
            reply(client, new ServerMessage.Error(ridOf(text), ErrorCode.RATE_LIMITED, e.getMessage(),
                    Math.max(1, e.retryAfter().toMillis())));
            return;
        }
        ClientMessage message;
        try {
            message = json.decodeClient(text);
        } catch (ProtocolViolation violation) {
            reply(client, ServerMessage.Error.of(ridOf(text), violation.code(), violation.getMessage()));
            return;
        }
        String rid = message instanceof ClientMessage.Request request ? request.rid() : null;
        try {
            if (!accepting) {
                throw new RelayException(ErrorCode.UNAVAILABLE, "the relay is shutting down; retry after reconnect");
            }
            dispatch(client, message);
        } catch (RelayException e) {
            reply(client, ServerMessage.Error.of(rid, e.code(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("request {} failed", message.getClass().getSimpleName(), e);
            reply(client, ServerMessage.Error.of(rid, ErrorCode.INTERNAL_ERROR, "internal error"));
        }
    }

    private void dispatch(WsClient client, ClientMessage message) {
        long user = client.userId();
        switch (message) {
            case ClientMessage.Hello ignored -> throw new RelayException(ErrorCode.BAD_REQUEST,
                    "this connection has already said hello");
            case ClientMessage.Ping ping -> reply(client, new ServerMessage.Pong(ping.nonce(), clock.millis()));
            case ClientMessage.Send send -> answer(client, send.rid(),
                    chat.send(user, send.conv(), send.clientId(), send.text(), client.id()),
                    appended -> new ServerMessage.Ack(send.rid(), appended.event().conv(), appended.event().seq(),
                            appended.event().ts(), appended.event().clientId(), appended.duplicate()));
            case ClientMessage.Edit edit -> answer(client, edit.rid(),
                    chat.edit(user, edit.conv(), edit.seq(), edit.text(), client.id()),
                    event -> new ServerMessage.Ack(edit.rid(), event.conv(), event.seq(), event.ts(), null, null));
            case ClientMessage.Delete delete -> answer(client, delete.rid(),
                    chat.delete(user, delete.conv(), delete.seq(), client.id()),
                    event -> new ServerMessage.Ack(delete.rid(), event.conv(), event.seq(), event.ts(), null, null));
            case ClientMessage.Sync sync -> {
                EventPage page = chat.eventsAfter(user, sync.conv(), sync.after(), sync.pageSize());
                reply(client, new ServerMessage.Events(sync.rid(), sync.conv(), page.events(), page.hasMore(),
                        page.lastSeq()));
            }
            case ClientMessage.History history -> {
                EventPage page = chat.eventsBefore(user, history.conv(), history.before(), history.pageSize());
                reply(client, new ServerMessage.Events(history.rid(), history.conv(), page.events(), page.hasMore(),
                        page.lastSeq()));
            }
            case ClientMessage.Typing typing -> chat.typing(user, typing.conv(), client.id());
            case ClientMessage.MarkDelivered mark -> answer(client, mark.rid(),
                    chat.markDelivered(user, mark.conv(), mark.seq(), client.id()),
                    seq -> new ServerMessage.Ack(mark.rid(), mark.conv(), seq, null, null, null));
            case ClientMessage.MarkRead mark -> answer(client, mark.rid(),
                    chat.markRead(user, mark.conv(), mark.seq(), client.id()),
                    seq -> new ServerMessage.Ack(mark.rid(), mark.conv(), seq, null, null, null));
            case ClientMessage.SetPresence set -> {
                presence.set(client, set.status());
                reply(client, ServerMessage.Ack.of(set.rid()));
            }
            case ClientMessage.CallInvite invite -> calls.invite(client, invite.rid(), invite.conv(), invite.media());
            case ClientMessage.CallAccept accept -> {
                calls.accept(client, accept.callId());
                reply(client, callAck(accept.rid(), accept.callId()));
            }
            case ClientMessage.CallDecline decline -> {
                calls.decline(client, decline.callId());
                reply(client, callAck(decline.rid(), decline.callId()));
            }
            case ClientMessage.CallHangup hangup -> {
                calls.hangup(client, hangup.callId());
                reply(client, callAck(hangup.rid(), hangup.callId()));
            }
            case ClientMessage.CallSignal signal -> calls.signal(client, signal.callId(), signal.signal());
        }
    }

    private static ServerMessage.Ack callAck(String rid, String callId) {
        return new ServerMessage.Ack(rid, null, null, null, null, null, callId);
    }

    private <T> void answer(WsClient client, String rid, CompletableFuture<T> result,
                            Function<T, ServerMessage> success) {
        result.whenComplete((value, failure) -> {
            if (failure == null) {
                reply(client, success.apply(value));
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof RelayException relay) {
                reply(client, ServerMessage.Error.of(rid, relay.code(), relay.getMessage()));
            } else {
                LOG.error("request {} failed", rid, cause);
                reply(client, ServerMessage.Error.of(rid, ErrorCode.INTERNAL_ERROR, "internal error"));
            }
        });
    }

    private void hello(WsClient client, String text) {
        ClientMessage.Hello hello;
        try {
            if (!(json.decodeClient(text) instanceof ClientMessage.Hello h)) {
                refuse(client, ErrorCode.HELLO_REQUIRED, "the first frame must be hello", CloseCodes.HELLO_REQUIRED);
                return;
            }
            hello = h;
        } catch (ProtocolViolation violation) {
            refuse(client, violation.code(), violation.getMessage(), CloseCodes.HELLO_REQUIRED);
            return;
        }
        if (hello.protocol() != ProtocolVersion.CURRENT) {
            refuse(client, ErrorCode.UNSUPPORTED_PROTOCOL, "this relay speaks protocol " + ProtocolVersion.CURRENT
                    + "; the client speaks protocol " + hello.protocol(), CloseCodes.UNSUPPORTED_PROTOCOL);
            return;
        }
        Principal principal;
        try {
            principal = accounts.authenticate(hello.token());
        } catch (RelayException e) {
            int close = e.code() == ErrorCode.SESSION_REVOKED ? CloseCodes.SESSION_REVOKED : CloseCodes.UNAUTHORIZED;
            refuse(client, e.code(), e.getMessage(), close);
            return;
        }
        accounts.touch(principal, client.address(), hello.device());
        PresenceTracker.Snapshot contacts = presence.snapshotFor(principal.userId());
        Account account = accounts.account(principal.userId());
        // Locked against closed(): a connection that drops mid-handshake must not stay registered. Nothing in here
        // reads the database: fan-out to this connection waits on the same lock while its frames are held.
        synchronized (client) {
            if (client.isClosed()) {
                return;
            }
            client.authenticate(principal);
            // Counted before the welcome is built, so the welcome shows the user's status with this device; registered
            // before it is sent, with frames held until it is, so nothing pushed in between is lost.
            presence.connected(client, contacts.contacts());
            registry.register(client);
        }
        // A sign-out committed after authenticate() but before register() looked for this connection, found none and
        // closed nothing: look at the session again now that a later sign-out would find it.
        if (!accounts.sessionActive(principal.sessionId())) {
            refuse(client, ErrorCode.SESSION_REVOKED, "this device was signed out", CloseCodes.SESSION_REVOKED);
            return;
        }
        client.sendFirst(OutboundFrame.encode(json, new ServerMessage.Welcome(ProtocolVersion.CURRENT, serverVersion,
                users.summary(account), principal.sessionId(), (int) pingInterval.toSeconds(),
                (int) idleTimeout.toSeconds(), contacts.statuses(), iceServers.forUser(principal.userId()))));
    }

    private void refuse(WsClient client, ErrorCode code, String message, int closeCode) {
        client.refuseFirst(OutboundFrame.encode(json, ServerMessage.Error.of(null, code, message)));
        client.close(closeCode, message.length() > 120 ? message.substring(0, 120) : message);
    }

    /** Undoes what the connection registered; safe to call from close events, errors and the idle sweep alike. */
    void closed(WsClient client) {
        synchronized (client) {
            client.markClosed();
            if (client.authenticated() && client.release()) {
                registry.unregister(client);
                calls.connectionClosed(client);
                presence.disconnected(client);
            }
        }
    }

    void stopAccepting() {
        accepting = false;
    }

    private void reply(WsClient client, ServerMessage message) {
        client.send(OutboundFrame.encode(json, message));
    }

    /** The request id of a frame that could not be decoded, when one can be read, so the client can match it. */
    private String ridOf(String text) {
        try {
            JsonNode rid = json.mapper().readTree(text).path("rid");
            return rid.isTextual() && rid.asText().length() <= Limits.MAX_REQUEST_ID_LENGTH ? rid.asText() : null;
        } catch (Exception e) {
            return null;
        }
    }
}
