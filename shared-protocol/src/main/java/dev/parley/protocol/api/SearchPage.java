package dev.parley.protocol.api;

import dev.parley.protocol.LogEvent;

import java.util.List;

/**
 * {@code GET /api/conversations/{id}/search}: messages whose text contains the query, newest first, from one stretch
 * of the conversation. {@code nextBefore} is where to go on (as {@code before}); {@code complete} says nothing older
 * is left to search.
 */
public record SearchPage(long conv, List<LogEvent> hits, long nextBefore, boolean complete) {
    public SearchPage {
        hits = hits == null ? List.of() : List.copyOf(hits);
    }
}
