package dev.parley.desktop.call;

import javafx.application.Platform;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** JavaFX for the call tests that build windows without TestFX: start it once, run steps on it, save snapshots. */
final class HeadlessFx {
    private HeadlessFx() {
    }

    /** Starts the FX thread (once per JVM) and keeps it when the test closes its last window. */
    static void start() {
        CompletableFuture<Void> started = new CompletableFuture<>();
        try {
            Platform.startup(() -> started.complete(null));
        } catch (IllegalStateException alreadyRunning) {
            started.complete(null);
        }
        started.join();
        Platform.setImplicitExit(false);
    }

    /** Runs {@code work} on the FX thread and returns its result. */
    static <T> T fx(Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        // A bounded wait: join() cannot be interrupted, so a dead FX thread would outlast the class's @Timeout.
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the FX thread did not run the step", e);
        }
    }

    /** Writes a snapshot of {@code stage}'s scene to target/screenshots/{@code name}. */
    static void save(Stage stage, String name) throws Exception {
        WritableImage shot = fx(() -> stage.getScene().snapshot(null));
        int w = (int) shot.getWidth();
        int h = (int) shot.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        PixelReader reader = shot.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, reader.getArgb(x, y));
            }
        }
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        ImageIO.write(out, "png", dir.resolve(name).toFile());
    }
}
