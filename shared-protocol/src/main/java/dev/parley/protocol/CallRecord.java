package dev.parley.protocol;

/** The call a {@code call} log event records; the event's {@code sender} is the caller, {@code ts} when it ended. */
public record CallRecord(String id, CallMedia media, CallOutcome outcome, CallEndReason reason, long startedAt,
                         long durationMs) {
}
