package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A user's availability. {@code offline} is never set by a client; it means no device is connected. */
public enum PresenceStatus {
    @JsonProperty("online") ONLINE,
    @JsonProperty("away") AWAY,
    @JsonProperty("dnd") DND,
    @JsonProperty("offline") OFFLINE
}
