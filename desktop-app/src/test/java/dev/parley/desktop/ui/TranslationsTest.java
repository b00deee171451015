package dev.parley.desktop.ui;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every text exists in German as in English, with the same {n} slots: a key missing in one language would show
 * English in a German window, and a missing slot would drop a name or a number from the sentence.
 */
class TranslationsTest {
    private static final Pattern SLOT = Pattern.compile("\\{(\\d+)");

    @ParameterizedTest
    @ValueSource(strings = {"/dev/parley/desktop/i18n/messages", "/dev/parley/desktop/call/calls"})
    void germanHasEveryTextWithTheSameSlots(String bundle) throws IOException {
        Map<String, Set<String>> english = slots(bundle + ".properties");
        Map<String, Set<String>> german = slots(bundle + "_de.properties");
        assertEquals(english.keySet(), german.keySet(), "the same keys in " + bundle);
        List<String> differing = english.keySet().stream()
                .filter(key -> !english.get(key).equals(german.get(key)))
                .map(key -> key + ": " + english.get(key) + " vs " + german.get(key)).toList();
        assertEquals(List.of(), differing, "texts whose slots differ in " + bundle);
    }

    private static Map<String, Set<String>> slots(String resource) throws IOException {
        Properties texts = new Properties();
        try (InputStream in = TranslationsTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource + " on the class path");
            }
            texts.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        Map<String, Set<String>> slots = new TreeMap<>();
        for (String key : texts.stringPropertyNames()) {
            Set<String> found = new TreeSet<>();
            Matcher m = SLOT.matcher(texts.getProperty(key));
            while (m.find()) {
                found.add("{" + m.group(1) + "}"); // a choice format's words differ by language
            }
            slots.put(key, found);
        }
        return slots;
    }
}
