package dev.parley.desktop.chat;

import dev.parley.protocol.SearchText;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of a found message a result shows: the first match with some text around it, so a match deep in a long
 * message is still seen. Matching is the relay's ({@link SearchText}), applied one code point at a time, which
 * finds the same places except across combining sequences; there the snippet is the message's start, unmarked.
 *
 * @param before text before the match, starting with "…" when cut
 * @param match  the matched text as written in the message; empty when it was not located
 * @param after  text after the match, ending with "…" when cut
 */
public record SearchSnippet(String before, String match, String after) {
    static final int CONTEXT_BEFORE = 40;
    static final int MAX_LENGTH = 200;
    private static final String CUT = "…";

    public static SearchSnippet of(String text, String query) {
        String message = text == null ? "" : text;
        String wanted = query == null ? "" : SearchText.normalize(query.strip());
        if (wanted.isEmpty()) {
            return unmarked(message);
        }
        // The normalized text, and for each of its chars the message's code point it came from.
        StringBuilder normalized = new StringBuilder();
        List<Integer> origin = new ArrayList<>();
        for (int i = 0; i < message.length(); ) {
            int end = i + Character.charCount(message.codePointAt(i));
            String part = SearchText.normalize(message.substring(i, end));
            for (int k = 0; k < part.length(); k++) {
                origin.add(i);
            }
            normalized.append(part);
            i = end;
        }
        origin.add(message.length());
        int at = normalized.indexOf(wanted);
        if (at < 0) {
            return unmarked(message);
        }
        int start = origin.get(at);
        int end = origin.get(at + wanted.length());
        if (end <= start) {
            // The match ends inside the code point it started in (a ligature, say): mark that whole code point.
            end = start + Character.charCount(message.codePointAt(start));
        }
        int from = Math.max(0, start - CONTEXT_BEFORE);
        if (from > 0 && Character.isLowSurrogate(message.charAt(from))) {
            from--;
        }
        String before = (from > 0 ? CUT : "") + message.substring(from, start);
        int room = Math.max(0, MAX_LENGTH - (start - from) - (end - start));
        int to = Math.min(message.length(), end + room);
        if (to < message.length() && to > end && Character.isLowSurrogate(message.charAt(to))) {
            to--;
        }
        String after = message.substring(end, to) + (to < message.length() ? CUT : "");
        return new SearchSnippet(before, message.substring(start, end), after);
    }

    private static SearchSnippet unmarked(String message) {
        if (message.length() <= MAX_LENGTH) {
            return new SearchSnippet(message, "", "");
        }
        int to = Character.isLowSurrogate(message.charAt(MAX_LENGTH)) ? MAX_LENGTH - 1 : MAX_LENGTH;
        return new SearchSnippet(message.substring(0, to) + CUT, "", "");
    }
}
