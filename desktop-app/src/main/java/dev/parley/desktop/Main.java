package dev.parley.desktop;

import dev.parley.desktop.settings.LogFile;
import javafx.application.Application;

import java.util.Arrays;

/**
 * Entry point. A plain class (not the Application subclass) so the app runs with JavaFX on the class path; options
 * are checked before any window opens.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println(AppOptions.USAGE);
            return;
        }
        try {
            AppOptions options = AppOptions.parse(Arrays.asList(args), System.getenv());
            LogFile.configure(System.getProperty("parley.log", "console"), options.dirs().logs());
        } catch (IllegalArgumentException e) {
            System.err.println("parley app: " + e.getMessage());
            System.err.println(AppOptions.USAGE);
            System.exit(2);
        }
        Application.launch(ParleyApp.class, args);
    }
}
