package dev.parley.desktop.call;

import dev.onvoid.webrtc.media.MediaDevices;
import dev.onvoid.webrtc.media.audio.AudioDevice;
import dev.onvoid.webrtc.media.video.VideoDevice;

import java.util.List;

/**
 * The webrtc-java engine. Audio and video inputs are fixed at construction ({@link AudioInput}, {@link VideoInput})
 * so a machine without audio never reaches the calls that hang or abort there; every call gets its own factory and
 * audio module ({@link WebRtcPeer}), so one call's teardown cannot disturb the next.
 */
public final class WebRtcCallEngine implements CallEngine {
    private final AudioInput audio;
    private final VideoInput video;
    private volatile MediaDevice camera;
    private volatile MediaDevice microphone;
    private volatile MediaDevice speaker;

    public WebRtcCallEngine(AudioInput audio, VideoInput video) {
        this.audio = audio;
        this.video = video;
    }

    @Override
    public List<MediaDevice> cameras() {
        return switch (video) {
            case VideoInput.Camera ignored -> MediaDevices.getVideoCaptureDevices().stream()
                    .map(d -> new MediaDevice(d.getDescriptor(), d.getName())).toList();
            case VideoInput.Synthetic ignored -> List.of();
            case VideoInput.None ignored -> List.of();
        };
    }

    @Override
    public List<MediaDevice> microphones() {
        return switch (audio) {
            // Only with a real audio layer: enumerating capture devices without a sound server hangs forever.
            case AudioInput.Devices ignored -> toDevices(MediaDevices.getAudioCaptureDevices());
            case AudioInput.Tone ignored -> List.of();
            case AudioInput.Headless ignored -> List.of();
        };
    }

    @Override
    public List<MediaDevice> speakers() {
        return switch (audio) {
            case AudioInput.Devices ignored -> toDevices(MediaDevices.getAudioRenderDevices());
            case AudioInput.Tone ignored -> List.of();
            case AudioInput.Headless ignored -> List.of();
        };
    }

    private static List<MediaDevice> toDevices(List<AudioDevice> devices) {
        return devices.stream().map(d -> new MediaDevice(d.getDescriptor(), d.getName())).toList();
    }

    @Override
    public void choose(MediaDevice camera, MediaDevice microphone, MediaDevice speaker) {
        this.camera = camera;
        this.microphone = microphone;
        this.speaker = speaker;
    }

    @Override
    public DevicePreview preview(MediaDevice camera, MediaDevice microphone, DevicePreview.Listener listener) {
        return new WebRtcPreview(audio, video, camera, microphone, listener);
    }

    @Override
    public MediaPeer open(PeerConfig config, MediaPeer.Listener listener) {
        return new WebRtcPeer(config, audio, video, camera, microphone, speaker, listener);
    }

    /** Finds the webrtc camera the user chose, or the first one. */
    static VideoDevice findCamera(MediaDevice chosen) {
        List<VideoDevice> all = MediaDevices.getVideoCaptureDevices();
        if (all.isEmpty()) {
            return null;
        }
        if (chosen != null) {
            for (VideoDevice d : all) {
                if (d.getDescriptor().equals(chosen.id())) {
                    return d;
                }
            }
        }
        return all.getFirst();
    }

    @Override
    public void close() {
        // Nothing shared to release: each peer owns its native objects.
    }
}
