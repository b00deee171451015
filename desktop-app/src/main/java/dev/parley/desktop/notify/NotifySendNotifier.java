package dev.parley.desktop.notify;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Linux: {@code notify-send}, which talks to the desktop's org.freedesktop.Notifications service over D-Bus. */
public final class NotifySendNotifier implements Notifier {
    private final String executable;

    NotifySendNotifier(String executable) {
        this.executable = executable;
    }

    /** The notify-send on PATH, when there is one and a desktop session to show it in. */
    static NotifySendNotifier find(Map<String, String> env) {
        boolean desktop = env.containsKey("DBUS_SESSION_BUS_ADDRESS")
                && (env.containsKey("DISPLAY") || env.containsKey("WAYLAND_DISPLAY"));
        if (!desktop) {
            return null;
        }
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(dir, "notify-send");
            if (candidate.canExecute()) {
                return new NotifySendNotifier(candidate.getPath());
            }
        }
        return null;
    }

    @Override
    public void show(String title, String body) {
        try {
            new ProcessBuilder(List.of(executable, "--app-name=Parley", "--", title, body))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            System.getLogger(NotifySendNotifier.class.getName()).log(System.Logger.Level.DEBUG,
                    "notify-send failed", e);
        }
    }

    @Override
    public String name() {
        return "notify-send";
    }
}
