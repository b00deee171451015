package dev.parley.protocol;

import java.text.Normalizer;
import java.util.Locale;

/**
 * How a conversation search matches a message: the query anywhere in the text, ignoring letter case in every script
 * and the difference between composed and decomposed characters ("Müller" finds "MÜLLER" and a decomposed
 * "Mu\u0308ller"). The relay finds messages with it (SQLite's lower() and LIKE fold ASCII letters only); the app
 * marks the match in a result with it, so both agree on what matched.
 */
public final class SearchText {
    private SearchText() {
    }

    public static String normalize(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }
}
