package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum ReceiptKind {
    @JsonProperty("delivered") DELIVERED,
    @JsonProperty("read") READ
}
