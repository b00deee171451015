package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Why a call ended, as told to every device that took part or was ringing. */
public enum CallEndReason {
    /** Another device of the callee accepted; this one stops ringing. */
    @JsonProperty("answered_elsewhere") ANSWERED_ELSEWHERE,
    @JsonProperty("declined") DECLINED,
    /** The callee was already in a call. */
    @JsonProperty("busy") BUSY,
    /** The caller hung up before anyone answered. */
    @JsonProperty("cancelled") CANCELLED,
    /** Nobody answered within the relay's ring time. */
    @JsonProperty("no_answer") NO_ANSWER,
    /** The callee had no device connected. */
    @JsonProperty("unavailable") UNAVAILABLE,
    /** A participant hung up an answered call. */
    @JsonProperty("hung_up") HUNG_UP,
    /** A participant's connection to the relay was lost. */
    @JsonProperty("connection_lost") CONNECTION_LOST
}
