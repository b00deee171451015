package dev.parley.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --key value} and {@code --flag} arguments. */
final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();

    Args(List<String> argv) {
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String key = a.substring(2);
            int eq = key.indexOf('=');
            if (eq > 0) {
                values.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (i + 1 < argv.size() && !argv.get(i + 1).startsWith("--")) {
                values.put(key, argv.get(++i));
            } else {
                values.put(key, "true");
            }
        }
    }

    String str(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    int integer(String key, int fallback) {
        return values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback;
    }

    long lng(String key, long fallback) {
        return values.containsKey(key) ? Long.parseLong(values.get(key)) : fallback;
    }

    double dbl(String key, double fallback) {
        return values.containsKey(key) ? Double.parseDouble(values.get(key)) : fallback;
    }

    boolean bool(String key, boolean fallback) {
        return values.containsKey(key) ? Boolean.parseBoolean(values.get(key)) : fallback;
    }
}
