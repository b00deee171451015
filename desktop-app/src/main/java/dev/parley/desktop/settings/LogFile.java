package dev.parley.desktop.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Sends the app's log (slf4j-simple) to {@code parley.log} in the logs directory instead of the console. The
 * installed app does this (its launcher passes {@code -Dparley.log=file}); {@code ./parley app} keeps the console.
 * The previous run's log is kept as {@code parley.1.log}, the one before as {@code parley.2.log}.
 */
public final class LogFile {
    static final String SIMPLE_LOGGER_FILE = "org.slf4j.simpleLogger.logFile";
    private static final int KEPT = 2;

    private LogFile() {
    }

    /**
     * Must run before the first logger is created. Returns the log file, or null when logging stays on the console
     * (mode other than {@code file}, the file already chosen with {@code -Dorg.slf4j.simpleLogger.logFile}, or the
     * directory cannot be written).
     */
    public static Path configure(String mode, Path logsDir) {
        if (!"file".equals(mode) || System.getProperty(SIMPLE_LOGGER_FILE) != null) {
            return null;
        }
        Path file = logsDir.resolve("parley.log");
        try {
            Files.createDirectories(logsDir);
            rotate(logsDir);
        } catch (IOException e) {
            System.err.println("parley: cannot write logs to " + logsDir + " (" + e.getMessage() + "); logging to the"
                    + " console");
            return null;
        }
        System.setProperty(SIMPLE_LOGGER_FILE, file.toString());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        return file;
    }

    static void rotate(Path logsDir) throws IOException {
        for (int i = KEPT; i >= 1; i--) {
            Path older = logsDir.resolve(i == 1 ? "parley.log" : "parley." + (i - 1) + ".log");
            if (Files.exists(older)) {
                Files.move(older, logsDir.resolve("parley." + i + ".log"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
