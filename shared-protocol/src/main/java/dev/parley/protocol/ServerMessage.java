package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/** Frames the relay sends over {@code /ws}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ServerMessage.Welcome.class, name = "welcome"),
        @JsonSubTypes.Type(value = ServerMessage.Pong.class, name = "pong"),
        @JsonSubTypes.Type(value = ServerMessage.Ack.class, name = "ack"),
        @JsonSubTypes.Type(value = ServerMessage.Events.class, name = "events"),
        @JsonSubTypes.Type(value = ServerMessage.Event.class, name = "event"),
        @JsonSubTypes.Type(value = ServerMessage.Typing.class, name = "typing"),
        @JsonSubTypes.Type(value = ServerMessage.Receipt.class, name = "receipt"),
        @JsonSubTypes.Type(value = ServerMessage.Presence.class, name = "presence"),
        @JsonSubTypes.Type(value = ServerMessage.Conversation.class, name = "conversation"),
        @JsonSubTypes.Type(value = ServerMessage.Error.class, name = "error"),
        @JsonSubTypes.Type(value = ServerMessage.CallRing.class, name = "call_ring"),
        @JsonSubTypes.Type(value = ServerMessage.CallAccepted.class, name = "call_accepted"),
        @JsonSubTypes.Type(value = ServerMessage.CallSignal.class, name = "call_signal"),
        @JsonSubTypes.Type(value = ServerMessage.CallEnded.class, name = "call_ended"),
})
public sealed interface ServerMessage {

    /**
     * The answer to a valid hello. {@code presence} holds the current status of everyone the user shares a DM or
     * group with; {@code pingIntervalSeconds} says how often to ping, {@code idleTimeoutSeconds} when the relay
     * gives up on a silent connection; {@code iceServers} are the STUN/TURN servers for calls (empty on a plain LAN,
     * where host candidates suffice).
     */
    record Welcome(int protocol, String serverVersion, UserSummary user, String sessionId,
                   int pingIntervalSeconds, int idleTimeoutSeconds, List<Presence> presence,
                   List<IceServer> iceServers)
            implements ServerMessage {
        public Welcome {
            presence = presence == null ? List.of() : List.copyOf(presence);
            iceServers = iceServers == null ? List.of() : List.copyOf(iceServers);
        }
    }

    record Pong(String nonce, long serverTime) implements ServerMessage {
    }

    /**
     * Success for a request. For {@code send}: {@code conv}, {@code seq}, {@code ts} and {@code clientId} of the
     * stored message, and {@code duplicate} true when the clientId had been stored before (nothing new was stored).
     * For edit and delete: the seq of the logged change. For call_invite: {@code callId} of the new call.
     */
    record Ack(String rid, Long conv, Long seq, Long ts, String clientId, Boolean duplicate, String callId)
            implements ServerMessage {
        public Ack(String rid, Long conv, Long seq, Long ts, String clientId, Boolean duplicate) {
            this(rid, conv, seq, ts, clientId, duplicate, null);
        }

        public static Ack of(String rid) {
            return new Ack(rid, null, null, null, null, null, null);
        }
    }

    /** The reply to {@code sync} and {@code history}: events oldest first, and whether more remain that way. */
    record Events(String rid, long conv, List<LogEvent> events, boolean hasMore, long lastSeq)
            implements ServerMessage {
        public Events {
            events = events == null ? List.of() : List.copyOf(events);
        }
    }

    /** A new log event in a conversation the user belongs to, pushed after it was durably stored. */
    record Event(LogEvent event) implements ServerMessage {
    }

    record Typing(long conv, long user) implements ServerMessage {
    }

    /** {@code user} has received or read {@code conv} up to {@code seq}. */
    record Receipt(long conv, long user, ReceiptKind kind, long seq) implements ServerMessage {
    }

    /** {@code user}'s status changed; {@code lastSeen} (epoch ms) is set when they went offline. */
    record Presence(long user, PresenceStatus status, Long lastSeen) implements ServerMessage {
    }

    /** The user was added to a conversation, or its name, topic or policy changed. */
    record Conversation(ConversationSummary conversation) implements ServerMessage {
    }

    /** An incoming call, sent to every connected device of the callee. */
    record CallRing(String callId, long conv, long caller, CallMedia media) implements ServerMessage {
    }

    /** The callee answered on one device: the caller now sends its offer over call_signal. */
    record CallAccepted(String callId, long conv) implements ServerMessage {
    }

    /** Signaling from the other side of the call ({@code from} is their user id). */
    record CallSignal(String callId, long from, Signal signal) implements ServerMessage {
    }

    /** The call is over for this device; {@code durationMs} is set when it had been answered. */
    record CallEnded(String callId, long conv, CallEndReason reason, Long durationMs) implements ServerMessage {
    }

    /**
     * A failed request ({@code rid} set) or a problem with a frame that had none. {@code retryAfterMs} is set with
     * {@code rate_limited}.
     */
    record Error(String rid, ErrorCode code, String message, Long retryAfterMs) implements ServerMessage {
        public static Error of(String rid, ErrorCode code, String message) {
            return new Error(rid, code, message, null);
        }
    }
}
