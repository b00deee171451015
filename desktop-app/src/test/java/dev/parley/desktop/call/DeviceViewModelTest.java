package dev.parley.desktop.call;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device chooser's logic without FX or devices: a fake engine whose previews the test drives by hand. */
class DeviceViewModelTest {
    private static final MediaDevice CAM_A = new MediaDevice("a", "Camera A");
    private static final MediaDevice CAM_B = new MediaDevice("b", "Camera B");
    private static final MediaDevice MIC = new MediaDevice("m", "Microphone");
    private static final MediaDevice SPEAKER = new MediaDevice("s", "Speaker");

    private final PreviewEngine engine = new PreviewEngine();
    private final DeviceViewModel vm = new DeviceViewModel(engine, Runnable::run, Runnable::run);

    @Test
    void opensWithTheDevicesAndAPreviewOfTheDefaults() {
        vm.open();
        assertEquals(List.of(CAM_A, CAM_B), vm.cameras());
        assertEquals(List.of(MIC), vm.microphones());
        assertEquals(1, engine.previews.size());
        FakePreview first = engine.previews.getFirst();
        assertNull(first.camera, "null: the system default");

        VideoImage picture = new VideoImage(2, 2, new int[4], 0);
        first.listener.frame(picture);
        first.listener.level(0.5);
        assertSame(picture, vm.previewFrameProperty().get());
        assertEquals(0.5, vm.levelProperty().get());
    }

    @Test
    void changingADeviceStopsTheOldPreviewBeforeTheNewOneAndIgnoresItsLateFrames() {
        vm.open();
        FakePreview first = engine.previews.getFirst();
        first.listener.frame(new VideoImage(2, 2, new int[4], 0));

        vm.cameraProperty().set(CAM_B);
        assertEquals(1, first.closed);
        FakePreview second = engine.previews.get(1);
        assertEquals(CAM_B, second.camera);
        assertNull(vm.previewFrameProperty().get(), "the old camera's picture is not shown for the new one");
        first.listener.frame(new VideoImage(4, 4, new int[16], 0));
        assertNull(vm.previewFrameProperty().get(), "a late frame of the old preview is dropped");

        vm.microphoneProperty().set(MIC);
        assertEquals(1, second.closed);
        assertEquals(MIC, engine.previews.get(2).microphone);
        assertEquals(CAM_B, engine.previews.get(2).camera);
        vm.speakerProperty().set(SPEAKER);
        assertEquals(3, engine.previews.size(), "the speaker has nothing to preview");
    }

    @Test
    void closingStopsThePreviewForGoodAndApplyChoosesThePicks() {
        vm.open();
        vm.cameraProperty().set(CAM_A);
        vm.speakerProperty().set(SPEAKER);
        FakePreview current = engine.previews.getLast();
        vm.close();
        assertEquals(1, current.closed);
        current.listener.level(0.9);
        assertEquals(0.0, vm.levelProperty().get());
        vm.cameraProperty().set(CAM_B);
        assertEquals(2, engine.previews.size(), "no preview opens after the dialog closed");
        vm.close();
        assertEquals(1, current.closed, "closed once");

        vm.apply();
        assertEquals(List.of(CAM_B, SPEAKER), engine.chosen);
    }

    @Test
    void aPreviewThatFailsToOpenLeavesTheChoiceWorking() {
        engine.failNext = true;
        vm.open();
        assertTrue(engine.previews.isEmpty());
        vm.cameraProperty().set(CAM_A);
        assertEquals(1, engine.previews.size());
    }

    @Test
    void theLevelIsTheRmsInDbfsOverSixtyDecibels() {
        assertEquals(0.0, AudioLevel.of(new byte[960], 480), "silence");
        byte[] full = new byte[960];
        for (int i = 0; i < 480; i++) {
            short s = (short) (i % 2 == 0 ? 32767 : -32768);
            full[2 * i] = (byte) s;
            full[2 * i + 1] = (byte) (s >> 8);
        }
        assertEquals(1.0, AudioLevel.of(full, 480), 0.001, "full scale square wave");
        // The test tone: a sine of amplitude 8000 has an RMS of 5657, -15.2 dBFS, so 0.75 of the bar.
        assertEquals(0.75, AudioLevel.of(new SineTone(440).next(), SineTone.SAMPLES_PER_10MS), 0.01);
    }

    private static final class FakePreview implements DevicePreview {
        final MediaDevice camera;
        final MediaDevice microphone;
        final Listener listener;
        int closed;

        FakePreview(MediaDevice camera, MediaDevice microphone, Listener listener) {
            this.camera = camera;
            this.microphone = microphone;
            this.listener = listener;
        }

        @Override
        public void close() {
            closed++;
        }
    }

    private static final class PreviewEngine implements CallEngine {
        final List<FakePreview> previews = new ArrayList<>();
        final List<MediaDevice> chosen = new ArrayList<>();
        boolean failNext;

        @Override
        public List<MediaDevice> cameras() {
            return List.of(CAM_A, CAM_B);
        }

        @Override
        public List<MediaDevice> microphones() {
            return List.of(MIC);
        }

        @Override
        public List<MediaDevice> speakers() {
            return List.of(SPEAKER);
        }

        @Override
        public void choose(MediaDevice camera, MediaDevice microphone, MediaDevice speaker) {
            chosen.add(camera);
            chosen.add(speaker);
        }

        @Override
        public DevicePreview preview(MediaDevice camera, MediaDevice microphone, DevicePreview.Listener listener) {
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("camera busy");
            }
            FakePreview preview = new FakePreview(camera, microphone, listener);
            previews.add(preview);
            return preview;
        }

        @Override
        public MediaPeer open(PeerConfig config, MediaPeer.Listener listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
