package dev.parley.desktop.notify;

import java.util.Locale;
import java.util.Map;

/** Picks the best notifier this machine offers, falling back to the in-app toast. */
public final class Notifiers {
    private Notifiers() {
    }

    public static Notifier forPlatform(String osName, Map<String, String> env, Notifier fallback) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            Notifier notifySend = NotifySendNotifier.find(env);
            if (notifySend != null) {
                return notifySend;
            }
        } else if (os.contains("win") || os.contains("mac")) {
            Notifier tray = TrayNotifier.tryCreate();
            if (tray != null) {
                return tray;
            }
        }
        return fallback;
    }
}
