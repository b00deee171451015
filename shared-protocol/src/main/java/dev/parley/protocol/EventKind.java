package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a conversation log entry records. Every kind takes the next seq of its conversation. */
public enum EventKind {
    /** The conversation was created; {@code sender} created it. */
    @JsonProperty("created") CREATED,
    /** A chat message: {@code text}, {@code clientId}; {@code editedAt} / {@code deleted} show its current state. */
    @JsonProperty("message") MESSAGE,
    /** {@code sender} changed the text of message {@code target} to {@code text}. */
    @JsonProperty("edited") EDITED,
    /** {@code sender} deleted message {@code target}; the message stays in the log as a tombstone. */
    @JsonProperty("deleted") DELETED,
    /** {@code member} joined, added by {@code sender} (the same user when they joined a channel themselves). */
    @JsonProperty("member_joined") MEMBER_JOINED,
    /** {@code member} left; when {@code sender} differs, {@code sender} removed them. */
    @JsonProperty("member_left") MEMBER_LEFT,
    /** {@code sender} gave {@code member} the role {@code role}. */
    @JsonProperty("role_changed") ROLE_CHANGED,
    /** A call between the DM's two members ended; {@code call} says how it went, {@code sender} is the caller. */
    @JsonProperty("call") CALL
}
