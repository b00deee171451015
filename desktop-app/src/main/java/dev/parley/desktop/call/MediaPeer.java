package dev.parley.desktop.call;

import dev.parley.protocol.Signal;

import java.util.concurrent.CompletableFuture;

/**
 * One call's peer connection with its local media. Not thread-safe for commands: the {@link CallSession} drives it
 * from its single call thread. {@link #close()} releases every native object in a fixed order and is idempotent.
 */
public interface MediaPeer extends AutoCloseable {
    /** Called on WebRTC threads; implementations hand work off and never touch controls. */
    interface Listener {
        void iceCandidate(Signal candidate);

        void stateChanged(PeerState state);

        default void remoteVideo(VideoImage image) {
        }

        default void localVideo(VideoImage image) {
        }

        /** Decoded remote audio, 16-bit PCM (only where the audio module renders it, e.g. headless). */
        default void remoteAudio(short[] pcm, int sampleRate, int channels) {
        }
    }

    /** Creates the offer and sets it as the local description; completes with its SDP. */
    CompletableFuture<String> createOffer();

    /** Sets the remote offer, creates and sets the answer; completes with its SDP. */
    CompletableFuture<String> answer(String offerSdp);

    CompletableFuture<Void> acceptAnswer(String answerSdp);

    /** Only after the remote description is set (the session queues candidates until then). */
    void addRemoteCandidate(Signal candidate);

    void setMicrophoneMuted(boolean muted);

    /** Enables or disables the camera track (a disabled track sends black frames); only while video is on. */
    void setCameraOn(boolean on);

    /**
     * Switches between an audio and a video call: on opens the camera and sends it, off stops the camera and sends
     * nothing. Every call negotiates a video line, so this swaps the video sender's track and needs no new offer.
     */
    void setVideo(boolean on);

    /** Sends frames from {@code source} instead of the camera (or instead of nothing) until {@link #stopScreenShare()}. */
    void startScreenShare(ScreenSource source);

    void stopScreenShare();

    CompletableFuture<CallStats> stats();

    @Override
    void close();
}
