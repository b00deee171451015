package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum ConversationKind {
    /** Exactly two users; one per pair. */
    @JsonProperty("dm") DM,
    /** Private, members added by its admins. */
    @JsonProperty("group") GROUP,
    /** Public: listed, readable and joinable by every user. */
    @JsonProperty("channel") CHANNEL
}
