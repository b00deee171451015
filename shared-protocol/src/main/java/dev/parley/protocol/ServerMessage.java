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
})
public sealed interface ServerMessage {

    /**
     * The answer to a valid hello. {@code presence} holds the current status of everyone the user shares a DM or
     * group with; {@code pingIntervalSeconds} says how often to ping, {@code idleTimeoutSeconds} when the relay
     * gives up on a silent connection.
     */
    record Welcome(int protocol, String serverVersion, UserSummary user, String sessionId,
                   int pingIntervalSeconds, int idleTimeoutSeconds, List<Presence> presence)
            implements ServerMessage {
        public Welcome {
            presence = presence == null ? List.of() : List.copyOf(presence);
        }
    }

    record Pong(String nonce, long serverTime) implements ServerMessage {
    }

    /**
     * Success for a request. For {@code send}: {@code conv}, {@code seq}, {@code ts} and {@code clientId} of the
     * stored message, and {@code duplicate} true when the clientId had been stored before (nothing new was stored).
     * For edit and delete: the seq of the logged change.
     */
    record Ack(String rid, Long conv, Long seq, Long ts, String clientId, Boolean duplicate)
            implements ServerMessage {
        public static Ack of(String rid) {
            return new Ack(rid, null, null, null, null, null);
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
