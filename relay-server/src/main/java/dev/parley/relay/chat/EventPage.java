package dev.parley.relay.chat;

import dev.parley.protocol.LogEvent;

import java.util.List;

/** Events oldest first; {@code hasMore} tells whether more exist in the direction the page was read. */
public record EventPage(List<LogEvent> events, boolean hasMore, long lastSeq) {
}
