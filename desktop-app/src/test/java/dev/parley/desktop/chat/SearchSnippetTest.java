package dev.parley.desktop.chat;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which part of a found message a search result shows, and which letters it marks. */
class SearchSnippetTest {
    @Test
    void theFirstMatchIsMarkedAsWrittenInAnyCase() {
        assertEquals(new SearchSnippet("Notes from the ", "Kickoff", " call, and the kickoff deck"),
                SearchSnippet.of("Notes from the Kickoff call, and the kickoff deck", "KICKOFF"));
    }

    @Test
    void compatibilityFormsMatchTheWayTheRelayFindsThem() {
        // The relay normalizes (NFKC) before comparing: full-width letters and the "ﬁ" ligature match plain ones.
        assertEquals(new SearchSnippet("see ", "ＡＢＣ", " now"), SearchSnippet.of("see ＡＢＣ now", "abc"));
        assertEquals(new SearchSnippet("the ", "ﬁ", "le"), SearchSnippet.of("the ﬁle", "fi"));
        assertEquals(new SearchSnippet("Grüße an ", "MÜNCHEN", ""), SearchSnippet.of("Grüße an MÜNCHEN", "münchen"));
    }

    @Test
    void aMatchDeepInALongMessageIsShownWithItsContext() {
        String text = "x".repeat(5_000) + " the budget line " + "y".repeat(5_000);
        SearchSnippet snippet = SearchSnippet.of(text, "budget");
        assertEquals("budget", snippet.match());
        assertTrue(snippet.before().startsWith("…") && snippet.before().endsWith(" the "), snippet.before());
        assertEquals(SearchSnippet.CONTEXT_BEFORE + 1, snippet.before().length());
        assertTrue(snippet.after().endsWith("…"));
        assertEquals(SearchSnippet.MAX_LENGTH, snippet.before().length() - 1 + snippet.match().length()
                + snippet.after().length() - 1);
    }

    @Test
    void withoutALocatedMatchTheMessageStartIsShownUnmarked() {
        assertEquals(new SearchSnippet("short text", "", ""), SearchSnippet.of("short text", "absent"));
        SearchSnippet longOne = SearchSnippet.of("z".repeat(1_000), "absent");
        assertEquals("", longOne.match());
        assertEquals(SearchSnippet.MAX_LENGTH + 1, longOne.before().length());
    }

    @Test
    void emojiAreNeverCutInHalf() {
        String text = "😀".repeat(100) + "plan" + "😀".repeat(200);
        SearchSnippet snippet = SearchSnippet.of(text, "plan");
        assertEquals("plan", snippet.match());
        assertTrue(snippet.before().codePoints().allMatch(c -> c == '…' || c == 0x1F600), snippet.before());
        assertTrue(snippet.after().codePoints().allMatch(c -> c == '…' || c == 0x1F600), snippet.after());
    }
}
