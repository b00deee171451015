package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a call starts with; either side may add or drop video later by renegotiating over call_signal. */
public enum CallMedia {
    @JsonProperty("audio") AUDIO,
    @JsonProperty("video") VIDEO
}
