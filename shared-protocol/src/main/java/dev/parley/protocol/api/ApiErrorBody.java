package dev.parley.protocol.api;

import dev.parley.protocol.ErrorCode;

/** Every REST error: a human message, a stable code, and when it happened (ISO-8601 UTC). */
public record ApiErrorBody(String error, ErrorCode code, String timestamp) {
}
