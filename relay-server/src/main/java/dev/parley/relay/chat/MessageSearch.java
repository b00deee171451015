package dev.parley.relay.chat;

import java.text.Normalizer;
import java.util.Locale;

/**
 * How a search matches a message: the query anywhere in the text, ignoring letter case in every script and the
 * difference between composed and decomposed characters ("Müller" finds "MÜLLER" and a decomposed "Mu\u0308ller").
 * SQLite's own lower() and LIKE fold ASCII letters only, so the matching happens here.
 */
final class MessageSearch {
    private MessageSearch() {
    }

    static String normalize(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }
}
