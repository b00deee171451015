package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a call went, as kept in the conversation log and the call history. */
public enum CallOutcome {
    /** It was answered; {@code durationMs} says for how long it lasted. */
    @JsonProperty("answered") ANSWERED,
    /** Nobody answered: no answer in time, the caller gave up, or the callee was not connected. */
    @JsonProperty("missed") MISSED,
    @JsonProperty("declined") DECLINED,
    @JsonProperty("busy") BUSY
}
