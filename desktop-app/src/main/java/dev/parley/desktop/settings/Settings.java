package dev.parley.desktop.settings;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * The user's preferences ({@code settings.properties} in the config directory). Every change is written at once,
 * through a temporary file and an atomic rename, so a crash never leaves half a file.
 */
public final class Settings {
    public enum Theme { LIGHT, DARK }

    private final Path file;
    private final Properties values = new Properties();

    private Settings(Path file) {
        this.file = file;
    }

    public static Settings load(Path configDir) {
        Settings settings = new Settings(configDir.resolve("settings.properties"));
        if (Files.exists(settings.file)) {
            try (Reader reader = Files.newBufferedReader(settings.file)) {
                settings.values.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                // A damaged settings file (unreadable, or a malformed unicode escape) must not keep the app from
                // starting; defaults apply.
                System.getLogger(Settings.class.getName()).log(System.Logger.Level.WARNING,
                        "ignoring unreadable " + settings.file + ": " + e.getMessage());
            }
        }
        return settings;
    }

    public synchronized Optional<String> relayUrl() {
        return Optional.ofNullable(values.getProperty("relay.url")).filter(s -> !s.isBlank());
    }

    public synchronized void relayUrl(String url) {
        set("relay.url", url);
    }

    /** The language the user chose, or empty to follow the OS. */
    public synchronized Optional<Locale> language() {
        return Optional.ofNullable(values.getProperty("language")).filter(s -> !s.isBlank())
                .map(Locale::forLanguageTag);
    }

    public synchronized void language(Locale locale) {
        set("language", locale == null ? "" : locale.toLanguageTag());
    }

    public synchronized Theme theme() {
        return "dark".equals(values.getProperty("theme")) ? Theme.DARK : Theme.LIGHT;
    }

    public synchronized void theme(Theme theme) {
        set("theme", theme.name().toLowerCase(Locale.ROOT));
    }

    public synchronized boolean showNotices() {
        return !"false".equals(values.getProperty("chat.show-notices"));
    }

    public synchronized void showNotices(boolean show) {
        set("chat.show-notices", Boolean.toString(show));
    }

    /** A stable id for this installation, generated once, so the relay's device list shows one entry per device. */
    public synchronized String deviceId() {
        String id = values.getProperty("device.id");
        if (id == null || id.isBlank()) {
            id = UUID.randomUUID().toString();
            set("device.id", id);
        }
        return id;
    }

    private void set(String key, String value) {
        if (value == null) {
            values.remove(key);
        } else {
            values.setProperty(key, value);
        }
        save();
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer writer = Files.newBufferedWriter(tmp)) {
                values.store(writer, "Parley settings");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // A preference that cannot be saved (read-only or full disk) still applies until the app quits; it is
            // not worth an error in the middle of whatever the user was doing.
            System.getLogger(Settings.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot save " + file + ": " + e.getMessage());
        }
    }
}
