package dev.parley.desktop.call;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/** The call feature's own strings (English, German), kept apart from the app's bundle so the feature stays in one place. */
public final class CallText {
    private final ResourceBundle bundle;
    private final Locale locale;

    public CallText(Locale locale) {
        this.locale = locale;
        this.bundle = ResourceBundle.getBundle("dev.parley.desktop.call.calls", locale);
    }

    public String t(String key, Object... args) {
        String pattern = bundle.containsKey(key) ? bundle.getString(key) : key;
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale).format(args);
    }

    /** mm:ss, or h:mm:ss from an hour on. */
    public static String duration(long millis) {
        long s = Math.max(0, millis / 1000);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format("%02d:%02d", s / 60, s % 60);
    }
}
