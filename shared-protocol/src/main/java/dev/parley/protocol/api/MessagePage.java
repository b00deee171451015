package dev.parley.protocol.api;

import dev.parley.protocol.LogEvent;

import java.util.List;

/** {@code GET /api/conversations/{id}/messages}: the same page a WebSocket sync or history request returns. */
public record MessagePage(long conv, List<LogEvent> events, boolean hasMore, long lastSeq) {
    public MessagePage {
        events = events == null ? List.of() : List.copyOf(events);
    }
}
