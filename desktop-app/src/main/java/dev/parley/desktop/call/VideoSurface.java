package dev.parley.desktop.call;

import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

/** An ImageView fed with {@link VideoImage}s on the FX thread; reuses its WritableImage while the size stays. */
final class VideoSurface extends ImageView {
    private WritableImage image;

    VideoSurface() {
        setPreserveRatio(true);
        setSmooth(true);
    }

    void show(VideoImage frame) {
        if (frame == null) {
            setImage(null);
            image = null;
            return;
        }
        if (image == null || (int) image.getWidth() != frame.width() || (int) image.getHeight() != frame.height()) {
            image = new WritableImage(frame.width(), frame.height());
            setImage(image);
        }
        image.getPixelWriter().setPixels(0, 0, frame.width(), frame.height(), PixelFormat.getIntArgbInstance(),
                frame.argb(), 0, frame.width());
    }
}
