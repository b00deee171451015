package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Frames a client sends over {@code /ws}. The first frame must be {@link Hello}. Every other frame except
 * {@link Ping} and {@link Typing} is a request: it carries a client-chosen {@code rid} and gets exactly one reply
 * with that {@code rid} ({@code ack}, {@code events} or {@code error}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ClientMessage.Hello.class, name = "hello"),
        @JsonSubTypes.Type(value = ClientMessage.Ping.class, name = "ping"),
        @JsonSubTypes.Type(value = ClientMessage.Send.class, name = "send"),
        @JsonSubTypes.Type(value = ClientMessage.Edit.class, name = "edit"),
        @JsonSubTypes.Type(value = ClientMessage.Delete.class, name = "delete"),
        @JsonSubTypes.Type(value = ClientMessage.Sync.class, name = "sync"),
        @JsonSubTypes.Type(value = ClientMessage.History.class, name = "history"),
        @JsonSubTypes.Type(value = ClientMessage.Typing.class, name = "typing"),
        @JsonSubTypes.Type(value = ClientMessage.MarkDelivered.class, name = "delivered"),
        @JsonSubTypes.Type(value = ClientMessage.MarkRead.class, name = "read"),
        @JsonSubTypes.Type(value = ClientMessage.SetPresence.class, name = "presence"),
        @JsonSubTypes.Type(value = ClientMessage.CallInvite.class, name = "call_invite"),
        @JsonSubTypes.Type(value = ClientMessage.CallAccept.class, name = "call_accept"),
        @JsonSubTypes.Type(value = ClientMessage.CallDecline.class, name = "call_decline"),
        @JsonSubTypes.Type(value = ClientMessage.CallHangup.class, name = "call_hangup"),
        @JsonSubTypes.Type(value = ClientMessage.CallSignal.class, name = "call_signal"),
})
public sealed interface ClientMessage {

    /** Frames that expect exactly one reply carrying their request id. */
    sealed interface Request extends ClientMessage {
        String rid();
    }

    /** Opens the session: an access token from the REST login, and the protocol version the client speaks. */
    record Hello(int protocol, String token, DeviceInfo device) implements ClientMessage {
        public Hello {
            Checks.requiredText(token, "token", 8192);
        }
    }

    /** Keeps the connection alive; the relay answers {@code pong} with the same nonce. */
    record Ping(String nonce) implements ClientMessage {
        public Ping {
            Checks.maxLength(nonce, "nonce", Limits.MAX_REQUEST_ID_LENGTH);
        }
    }

    /**
     * Posts a message. {@code clientId} is generated once per message by the client (a UUID) and reused on every
     * retry; the relay answers a repeated {@code clientId} with the original seq and stores nothing new.
     */
    record Send(String rid, long conv, String clientId, String text) implements Request {
        public Send {
            requestId(rid);
            Checks.positive(conv, "conv");
            Checks.requiredText(clientId, "clientId", Limits.MAX_CLIENT_ID_LENGTH);
            Checks.requiredText(text, "text", Limits.MAX_TEXT_LENGTH);
        }
    }

    /** Replaces the text of one's own message {@code seq}. */
    record Edit(String rid, long conv, long seq, String text) implements Request {
        public Edit {
            requestId(rid);
            Checks.positive(conv, "conv");
            Checks.positive(seq, "seq");
            Checks.requiredText(text, "text", Limits.MAX_TEXT_LENGTH);
        }
    }

    /** Deletes one's own message {@code seq} (admins may delete any); it stays as a tombstone. */
    record Delete(String rid, long conv, long seq) implements Request {
        public Delete {
            requestId(rid);
            Checks.positive(conv, "conv");
            Checks.positive(seq, "seq");
        }
    }

    /** Asks for the events after {@code after}, oldest first: how a client catches up after a (re)connect. */
    record Sync(String rid, long conv, long after, Integer limit) implements Request {
        public Sync {
            requestId(rid);
            Checks.positive(conv, "conv");
            Checks.notNegative(after, "after");
            Checks.pageSize(limit);
        }

        public int pageSize() {
            return Checks.pageSize(limit);
        }
    }

    /** Asks for the events before {@code before} (null: the newest), returned oldest first: scrolling up. */
    record History(String rid, long conv, Long before, Integer limit) implements Request {
        public History {
            requestId(rid);
            Checks.positive(conv, "conv");
            if (before != null) {
                Checks.positive(before, "before");
            }
            Checks.pageSize(limit);
        }

        public int pageSize() {
            return Checks.pageSize(limit);
        }
    }

    /** The user is typing in {@code conv}; ephemeral, not logged, rate-limited. Send at most every 3 s. */
    record Typing(long conv) implements ClientMessage {
        public Typing {
            Checks.positive(conv, "conv");
        }
    }

    /** This device has received everything in {@code conv} up to {@code seq}. */
    record MarkDelivered(String rid, long conv, long seq) implements Request {
        public MarkDelivered {
            requestId(rid);
            Checks.positive(conv, "conv");
            Checks.notNegative(seq, "seq");
        }
    }

    /** The user has read {@code conv} up to {@code seq}; resets the unread count. */
    record MarkRead(String rid, long conv, long seq) implements Request {
        public MarkRead {
            requestId(rid);
            Checks.positive(conv, "conv");
            Checks.notNegative(seq, "seq");
        }
    }

    /** Sets this device's status: online, away or dnd. */
    record SetPresence(String rid, PresenceStatus status) implements Request {
        public SetPresence {
            requestId(rid);
            Checks.required(status, "status");
            if (status == PresenceStatus.OFFLINE) {
                throw new ProtocolViolation(ErrorCode.VALIDATION_FAILED,
                        "'status' must be online, away or dnd; offline means disconnected");
            }
        }
    }

    /** Calls the other member of DM {@code conv}; the ack carries the new call's {@code callId}. */
    record CallInvite(String rid, long conv, CallMedia media) implements Request {
        public CallInvite {
            requestId(rid);
            Checks.positive(conv, "conv");
            Checks.required(media, "media");
        }
    }

    /** Answers a ringing call on this device; the caller is told, the callee's other devices stop ringing. */
    record CallAccept(String rid, String callId) implements Request {
        public CallAccept {
            requestId(rid);
            requireCallId(callId);
        }
    }

    record CallDecline(String rid, String callId) implements Request {
        public CallDecline {
            requestId(rid);
            requireCallId(callId);
        }
    }

    /** Ends a call: the caller cancelling while it rings, or either side once it was answered. */
    record CallHangup(String rid, String callId) implements Request {
        public CallHangup {
            requestId(rid);
            requireCallId(callId);
        }
    }

    /**
     * WebRTC offer, answer or ICE candidate for the other side of an answered call. Ephemeral and frequent, so not a
     * request: the relay forwards it and answers only when it cannot (an error without rid).
     */
    record CallSignal(String callId, Signal signal) implements ClientMessage {
        public CallSignal {
            requireCallId(callId);
            Checks.required(signal, "signal");
        }
    }

    private static void requireCallId(String callId) {
        Checks.requiredText(callId, "callId", Limits.MAX_REQUEST_ID_LENGTH);
    }

    private static void requestId(String rid) {
        Checks.requiredText(rid, "rid", Limits.MAX_REQUEST_ID_LENGTH);
    }
}
