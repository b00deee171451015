package dev.parley.desktop.call;

import dev.onvoid.webrtc.media.audio.AudioDeviceModule;
import dev.onvoid.webrtc.media.video.VideoCapture;
import dev.onvoid.webrtc.media.video.VideoCaptureCapability;
import dev.onvoid.webrtc.media.video.VideoDevice;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.I420Buffer;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The device chooser's preview with webrtc-java: a camera through {@link VideoCapture} (no peer connection or
 * factory needed) or the synthetic picture, and the microphone's level through a system audio module's recording
 * sink or the tone of a {@link AudioInput.Tone} engine. The same inputs as the engine's calls, so a machine without
 * audio never reaches the calls that hang there. {@link #close()} stops the producers before releasing anything.
 */
final class WebRtcPreview implements DevicePreview {
    private final Listener listener;
    private final ScheduledExecutorService pusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
            .name("parley-preview").daemon(true).factory());
    private final AtomicBoolean closed = new AtomicBoolean();
    private VideoCapture capture;
    private AudioDeviceModule recorder;
    private long frames;

    WebRtcPreview(AudioInput audio, VideoInput video, MediaDevice camera, MediaDevice microphone, Listener listener) {
        this.listener = listener;
        try {
            startVideo(video, camera);
            startAudio(audio, microphone);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private void startVideo(VideoInput video, MediaDevice camera) {
        switch (video) {
            case VideoInput.Camera cam -> {
                VideoDevice chosen = WebRtcCallEngine.findCamera(camera);
                if (chosen != null) {
                    capture = new VideoCapture();
                    capture.setVideoCaptureDevice(chosen);
                    capture.setVideoCaptureCapability(new VideoCaptureCapability(cam.width(), cam.height(),
                            cam.fps()));
                    capture.setVideoSink(this::onCameraFrame);
                    capture.start();
                }
            }
            case VideoInput.Synthetic s -> {
                long[] n = {0};
                pusher.scheduleAtFixedRate(() -> {
                    if (!closed.get()) {
                        listener.frame(I420.patternImage(s.width(), s.height(), s.luma(), n[0]++));
                    }
                }, 0, 1000 / s.fps(), TimeUnit.MILLISECONDS);
            }
            case VideoInput.None ignored -> {
                // nothing to show
            }
        }
    }

    private void startAudio(AudioInput audio, MediaDevice microphone) {
        switch (audio) {
            case AudioInput.Devices ignored -> {
                AudioDeviceModule adm = new AudioDeviceModule();
                recorder = adm;
                WebRtcPeer.select(adm, microphone, null);
                // WebRTC's AudioTransport shape: frames per channel, bytes per frame (2 per channel for 16 bit).
                adm.setAudioSink((data, frames, bytesPerFrame, channels, rate, delay, drift) -> {
                    if (!closed.get() && bytesPerFrame == 2 * channels) {
                        listener.level(AudioLevel.of(data, Math.min(frames * channels, data.length / 2)));
                    }
                });
                adm.initRecording();
                adm.startRecording();
            }
            case AudioInput.Tone tone -> {
                SineTone sine = new SineTone(tone.hz());
                pusher.scheduleAtFixedRate(() -> {
                    if (!closed.get()) {
                        listener.level(AudioLevel.of(sine.next(), SineTone.SAMPLES_PER_10MS));
                    }
                }, 0, 10, TimeUnit.MILLISECONDS);
            }
            case AudioInput.Headless ignored -> {
                // no microphone: the meter stays at zero
            }
        }
    }

    private void onCameraFrame(VideoFrame frame) {
        // Every other frame is plenty for a preview and halves the conversion cost.
        if (closed.get() || (frames++ & 1) != 0) {
            return;
        }
        I420Buffer i420 = frame.buffer.toI420();
        try {
            listener.frame(I420.toImage(i420, frame.timestampNs));
        } finally {
            i420.release();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Producers first (nothing calls back into a disposed object), then what they used.
        WebRtcPeer.stopAndWait(pusher);
        if (capture != null) {
            WebRtcPeer.quietly(capture::stop);
            WebRtcPeer.quietly(capture::dispose);
        }
        if (recorder != null) {
            WebRtcPeer.quietly(recorder::stopRecording);
            WebRtcPeer.quietly(recorder::dispose);
        }
    }
}
