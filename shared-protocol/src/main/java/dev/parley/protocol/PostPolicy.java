package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who may post in a channel. Groups and DMs always let every member post. */
public enum PostPolicy {
    @JsonProperty("everyone") EVERYONE,
    @JsonProperty("admins") ADMINS
}
