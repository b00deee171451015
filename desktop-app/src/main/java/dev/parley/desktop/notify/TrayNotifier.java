package dev.parley.desktop.notify;

import java.awt.AWTException;
import java.awt.GraphicsEnvironment;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.image.BufferedImage;

/**
 * Windows and macOS: a balloon from an AWT tray icon. AWT's SystemTray is missing on many Linux desktops and under
 * Xvfb, and can throw almost anything there, so creation is guarded and failure means "use another notifier".
 */
public final class TrayNotifier implements Notifier {
    private final TrayIcon icon;

    private TrayNotifier(TrayIcon icon) {
        this.icon = icon;
    }

    static TrayNotifier tryCreate() {
        try {
            if (GraphicsEnvironment.isHeadless() || !SystemTray.isSupported()) {
                return null;
            }
            BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB);
            var g = image.createGraphics();
            g.setColor(new java.awt.Color(0x2f, 0x6f, 0xeb));
            g.fillOval(1, 1, 14, 14);
            g.dispose();
            TrayIcon icon = new TrayIcon(image, "Parley");
            icon.setImageAutoSize(true);
            SystemTray.getSystemTray().add(icon);
            return new TrayNotifier(icon);
        } catch (AWTException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    @Override
    public void show(String title, String body) {
        try {
            icon.displayMessage(title, body, TrayIcon.MessageType.INFO);
        } catch (RuntimeException e) {
            // a vanished tray must not break message handling
        }
    }

    @Override
    public String name() {
        return "tray";
    }

    /** Each session adds its own icon: without this, every sign-in and language switch left one more behind. */
    @Override
    public void close() {
        try {
            SystemTray.getSystemTray().remove(icon);
        } catch (RuntimeException e) {
            // the tray went away on its own
        }
    }
}
