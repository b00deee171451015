package dev.parley.desktop.call;

import java.util.List;

/**
 * The media side of calls, in front of webrtc-java (which only this package's {@code WebRtc*} classes import), so the
 * call state machine and the UI can be tested against a fake. One engine per signed-in account; one
 * {@link MediaPeer} per call.
 */
public interface CallEngine extends AutoCloseable {
    /** Cameras that can be chosen (empty when there are none or the engine runs on synthetic media). */
    List<MediaDevice> cameras();

    /** Microphones; empty when the engine runs without a real audio device (it never probes a machine without one). */
    List<MediaDevice> microphones();

    List<MediaDevice> speakers();

    /** Chooses devices for the next call; {@code null} keeps the system default. */
    void choose(MediaDevice camera, MediaDevice microphone, MediaDevice speaker);

    /**
     * Starts a preview of {@code camera} and {@code microphone} ({@code null}: the default) with this engine's inputs,
     * for the device chooser; its callbacks run on media threads. The caller closes it.
     */
    DevicePreview preview(MediaDevice camera, MediaDevice microphone, DevicePreview.Listener listener);

    /** A new peer connection with local media attached; its callbacks run on WebRTC threads. */
    MediaPeer open(PeerConfig config, MediaPeer.Listener listener);

    @Override
    void close();
}
