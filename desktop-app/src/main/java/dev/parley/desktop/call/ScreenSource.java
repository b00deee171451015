package dev.parley.desktop.call;

/**
 * Where screen-share frames come from. webrtc-java's own screen capturer crashes on Linux in 0.14.0, so frames are
 * grabbed with java.awt.Robot (or a JavaFX snapshot) and pushed through a custom video source instead.
 */
public interface ScreenSource extends AutoCloseable {
    /** The current screen contents; called on the share's capture thread at the share's frame rate. */
    VideoImage capture();

    default int framesPerSecond() {
        return 10;
    }

    @Override
    default void close() {
    }
}
