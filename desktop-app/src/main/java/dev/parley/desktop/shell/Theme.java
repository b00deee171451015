package dev.parley.desktop.shell;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import dev.parley.desktop.settings.Settings;
import javafx.application.Application;
import javafx.scene.Scene;

import java.util.Objects;

/** Light or dark: AtlantaFX's Primer theme as the user-agent stylesheet, plus Parley's own stylesheet. */
public final class Theme {
    private static final String APP_CSS = Objects.requireNonNull(Theme.class.getResource("parley.css"), "parley.css")
            .toExternalForm();

    private Theme() {
    }

    public static void apply(Settings.Theme theme) {
        Application.setUserAgentStylesheet(theme == Settings.Theme.DARK
                ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
    }

    public static void style(Scene scene) {
        if (!scene.getStylesheets().contains(APP_CSS)) {
            scene.getStylesheets().add(APP_CSS);
        }
    }
}
