package dev.parley.desktop.notify;

/** Shows a desktop notification. Implementations never throw: a notification that cannot be shown is dropped. */
public interface Notifier {
    void show(String title, String body);

    /** For logs and the settings page: which mechanism is in use. */
    String name();

    /** Releases what showing needs (a tray icon) when the session ends; nothing to release by default. */
    default void close() {
    }
}
