package dev.parley.desktop.call;

import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.ProgressBar;
import javafx.scene.image.ImageView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.parley.desktop.call.HeadlessFx.fx;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The device chooser's live preview on the real engine (headless JavaFX): with the synthetic picture as the camera
 * and the 440 Hz tone as the microphone, the dialog shows the picture (its known luma) and a level near 0.75; picking
 * another device closes the old preview before the new one runs; closing the dialog stops the frames.
 */
@Timeout(60)
// Native objects run only in Surefire's own webrtc fork (or an IDE), never in the shared default or xvfb forks.
@DisabledIfSystemProperty(named = "parley.fork", matches = "default|xvfb")
class DevicePreviewWebRtcIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final ExecutorService previewThread = Executors.newSingleThreadExecutor();
    private final List<Counted> previews = new CopyOnWriteArrayList<>();

    /** Counts what each preview delivers and when it was closed. */
    private static final class Counted implements DevicePreview.Listener {
        final DevicePreview.Listener target;
        final AtomicLong frames = new AtomicLong();
        final AtomicLong framesAfterClose = new AtomicLong();
        volatile boolean closed;

        Counted(DevicePreview.Listener target) {
            this.target = target;
        }

        @Override
        public void frame(VideoImage image) {
            frames.incrementAndGet();
            if (closed) {
                framesAfterClose.incrementAndGet();
            }
            target.frame(image);
        }

        @Override
        public void level(double level) {
            target.level(level);
        }
    }

    @BeforeEach
    void startFx() {
        HeadlessFx.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        previewThread.shutdown();
        previewThread.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void showsThePictureAndTheLevelAndStopsWhenTheDeviceChangesOrTheDialogCloses() throws Exception {
        WebRtcCallEngine real = new WebRtcCallEngine(new AudioInput.Tone(440),
                new VideoInput.Synthetic(320, 240, 15, 180));
        CallEngine engine = new CountingEngine(real, previews);
        DeviceViewModel vm = new DeviceViewModel(engine, Platform::runLater, previewThread);
        DeviceDialog dialog = new DeviceDialog(vm, new CallText(Locale.ENGLISH));
        Stage stage = fx(() -> {
            Stage s = new Stage();
            s.setScene(new Scene(dialog.build(), 420, 460));
            s.show();
            return s;
        });
        vm.open();

        await().atMost(WAIT).until(() -> fx(() -> {
            VideoImage shown = vm.previewFrameProperty().get();
            ImageView view = (ImageView) stage.getScene().lookup("#cameraPreview");
            return shown != null && view.getImage() != null && Math.abs(shown.luma(16, 16) - 180) <= 4;
        }));
        await().atMost(WAIT).until(() -> fx(() -> Math.abs(
                ((ProgressBar) stage.getScene().lookup("#micLevel")).getProgress() - 0.75) < 0.05));
        HeadlessFx.save(stage, "device-dialog.png");

        // Another device: the first preview is closed (and quiet) before the second delivers.
        Counted first = previews.getFirst();
        fx(() -> {
            vm.cameraProperty().set(new MediaDevice("other", "Other camera"));
            return null;
        });
        await().atMost(WAIT).until(() -> previews.size() == 2 && previews.get(1).frames.get() > 3);
        assertEquals(0, first.framesAfterClose.get(), "the old preview delivered nothing after its close");

        // The dialog closes: the frames stop.
        Counted second = previews.get(1);
        fx(() -> {
            vm.close();
            stage.close();
            return null;
        });
        await().atMost(WAIT).until(() -> second.closed);
        assertEquals(0, second.framesAfterClose.get());
        assertEquals(null, fx(() -> vm.previewFrameProperty().get()));
    }

    /** The real engine, with every preview's listener counted and its close recorded. */
    private record CountingEngine(CallEngine real, List<Counted> previews) implements CallEngine {
        @Override
        public List<MediaDevice> cameras() {
            return real.cameras();
        }

        @Override
        public List<MediaDevice> microphones() {
            return real.microphones();
        }

        @Override
        public List<MediaDevice> speakers() {
            return real.speakers();
        }

        @Override
        public void choose(MediaDevice camera, MediaDevice microphone, MediaDevice speaker) {
            real.choose(camera, microphone, speaker);
        }

        @Override
        public DevicePreview preview(MediaDevice camera, MediaDevice microphone, DevicePreview.Listener listener) {
            Counted counted = new Counted(listener);
            DevicePreview preview = real.preview(camera, microphone, counted);
            previews.add(counted);
            return () -> {
                preview.close();
                // Marked after the real close returned: any frame counted from here on came too late.
                counted.closed = true;
            };
        }

        @Override
        public MediaPeer open(PeerConfig config, MediaPeer.Listener listener) {
            return real.open(config, listener);
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
