package dev.parley.desktop.call;

/**
 * A live look at a camera and a microphone while the device chooser is open, without a call: the picture and the
 * input level. Opened by {@link CallEngine#preview}; {@link #close()} stops both and releases what they hold.
 */
public interface DevicePreview extends AutoCloseable {
    /** Called on media threads; implementations hand work off and never touch controls. */
    interface Listener {
        void frame(VideoImage image);

        /** The input level of the last few milliseconds, 0 (silence, or below -60 dBFS) to 1 (full scale). */
        void level(double level);
    }

    DevicePreview NONE = () -> { };

    @Override
    void close();
}
