package dev.parley.desktop.cache;

import dev.parley.protocol.LogEvent;

import java.util.List;

/** What storing a batch of events changed: events new to the cache, and earlier messages an edit or delete changed. */
public record AppliedEvents(List<LogEvent> inserted, List<LogEvent> updatedTargets) {
    public boolean isEmpty() {
        return inserted.isEmpty() && updatedTargets.isEmpty();
    }
}
