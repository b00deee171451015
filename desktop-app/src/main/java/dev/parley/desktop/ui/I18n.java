package dev.parley.desktop.ui;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/** The UI's texts in one language (English and German bundles; English is the fallback). */
public final class I18n {
    private final Locale locale;
    private final ResourceBundle bundle;

    public I18n(Locale locale) {
        this.locale = supported(locale);
        this.bundle = ResourceBundle.getBundle("dev.parley.desktop.i18n.messages", this.locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** German for German-speaking systems, English otherwise. */
    public static Locale supported(Locale requested) {
        return requested != null && requested.getLanguage().equals("de") ? Locale.GERMAN : Locale.ENGLISH;
    }

    public Locale locale() {
        return locale;
    }

    public String t(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale).format(args);
    }

    public boolean has(String key) {
        return bundle.containsKey(key);
    }
}
