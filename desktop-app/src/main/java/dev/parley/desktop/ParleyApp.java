package dev.parley.desktop;

import javafx.application.Application;
import javafx.stage.Stage;

import java.time.Clock;

/** The JavaFX application; all wiring is in {@link Parley}. */
public final class ParleyApp extends Application {
    private Parley parley;

    @Override
    public void start(Stage stage) {
        AppOptions options = AppOptions.parse(getParameters().getRaw(), System.getenv());
        parley = new Parley(stage, options, Clock.systemUTC());
        parley.start();
    }

    @Override
    public void stop() {
        if (parley != null) {
            parley.shutdown();
        }
    }
}
