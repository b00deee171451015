package dev.parley.desktop.call;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The device chooser: the devices to pick from, the picks, and a live preview of the picked camera and microphone
 * (picture and level) that restarts when a pick changes and stops on {@link #close()}. Properties change on the UI
 * executor; devices are listed and previews opened and closed on {@code previewThread}, which must run tasks one at
 * a time in order, so an old preview is always closed before the next one opens.
 */
public final class DeviceViewModel {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceViewModel.class);

    private final CallEngine engine;
    private final Executor ui;
    private final Executor previewThread;
    private final ObservableList<MediaDevice> cameras = FXCollections.observableArrayList();
    private final ObservableList<MediaDevice> microphones = FXCollections.observableArrayList();
    private final ObservableList<MediaDevice> speakers = FXCollections.observableArrayList();
    private final ObjectProperty<MediaDevice> camera = new SimpleObjectProperty<>();
    private final ObjectProperty<MediaDevice> microphone = new SimpleObjectProperty<>();
    private final ObjectProperty<MediaDevice> speaker = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<VideoImage> previewFrame = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyDoubleWrapper level = new ReadOnlyDoubleWrapper();
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper();
    private final AtomicReference<VideoImage> pendingFrame = new AtomicReference<>();
    private final AtomicReference<Double> pendingLevel = new AtomicReference<>();
    /** The newest preview asked for; an older request still queued opens nothing. */
    private final AtomicInteger requested = new AtomicInteger();
    /** The preview whose callbacks still count; an older one's late frames are dropped. */
    private final AtomicInteger live = new AtomicInteger();
    // UI thread only.
    private boolean closed;
    // Preview thread only.
    private DevicePreview preview = DevicePreview.NONE;

    public DeviceViewModel(CallEngine engine, Executor ui, Executor previewThread) {
        this.engine = engine;
        this.ui = ui;
        this.previewThread = previewThread;
        camera.addListener((o, was, now) -> restartPreview());
        microphone.addListener((o, was, now) -> restartPreview());
    }

    /** Lists the devices (native and possibly slow, so off the UI thread), then starts the preview. */
    public void open() {
        previewThread.execute(() -> {
            List<MediaDevice> c = engine.cameras();
            List<MediaDevice> m = engine.microphones();
            List<MediaDevice> s = engine.speakers();
            ui.execute(() -> {
                cameras.setAll(c);
                microphones.setAll(m);
                speakers.setAll(s);
                loaded.set(true);
                restartPreview();
            });
        });
    }

    private void restartPreview() {
        if (closed || !loaded.get()) {
            return;
        }
        int gen = requested.incrementAndGet();
        MediaDevice cam = camera.get();
        MediaDevice mic = microphone.get();
        previewFrame.set(null);
        level.set(0);
        previewThread.execute(() -> {
            closePreview();
            if (requested.get() != gen) {
                return;
            }
            live.set(gen);
            try {
                preview = engine.preview(cam, mic, listener(gen));
            } catch (RuntimeException e) {
                // A camera another program holds, a microphone that vanished: no preview, the choice still works.
                LOG.warn("device preview failed", e);
                preview = DevicePreview.NONE;
            }
        });
    }

    private DevicePreview.Listener listener(int gen) {
        return new DevicePreview.Listener() {
            @Override
            public void frame(VideoImage image) {
                if (live.get() == gen && pendingFrame.getAndSet(image) == null) {
                    ui.execute(() -> {
                        VideoImage newest = pendingFrame.getAndSet(null);
                        if (live.get() == gen && !closed) {
                            previewFrame.set(newest);
                        }
                    });
                }
            }

            @Override
            public void level(double value) {
                if (live.get() == gen && pendingLevel.getAndSet(value) == null) {
                    ui.execute(() -> {
                        Double newest = pendingLevel.getAndSet(null);
                        if (live.get() == gen && !closed && newest != null) {
                            level.set(newest);
                        }
                    });
                }
            }
        };
    }

    private void closePreview() {
        DevicePreview closing = preview;
        preview = DevicePreview.NONE;
        closing.close();
    }

    /** Takes the picks for the next call. */
    public void apply() {
        engine.choose(camera.get(), microphone.get(), speaker.get());
    }

    /** Stops the preview for good (the dialog closed). */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        requested.set(-1);
        live.set(-1);
        previewFrame.set(null);
        level.set(0);
        previewThread.execute(this::closePreview);
    }

    public ObservableList<MediaDevice> cameras() {
        return FXCollections.unmodifiableObservableList(cameras);
    }

    public ObservableList<MediaDevice> microphones() {
        return FXCollections.unmodifiableObservableList(microphones);
    }

    public ObservableList<MediaDevice> speakers() {
        return FXCollections.unmodifiableObservableList(speakers);
    }

    /** The picked camera; null is the system default. */
    public ObjectProperty<MediaDevice> cameraProperty() {
        return camera;
    }

    public ObjectProperty<MediaDevice> microphoneProperty() {
        return microphone;
    }

    public ObjectProperty<MediaDevice> speakerProperty() {
        return speaker;
    }

    /** The newest preview picture; null while none arrived (no camera, or just switched). */
    public ReadOnlyObjectProperty<VideoImage> previewFrameProperty() {
        return previewFrame.getReadOnlyProperty();
    }

    /** The microphone's input level, 0..1 (see {@link AudioLevel}). */
    public ReadOnlyDoubleProperty levelProperty() {
        return level.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }
}
