package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a call_signal carries: a session description or one ICE candidate. */
public enum SignalKind {
    @JsonProperty("offer") OFFER,
    @JsonProperty("answer") ANSWER,
    @JsonProperty("ice") ICE
}
