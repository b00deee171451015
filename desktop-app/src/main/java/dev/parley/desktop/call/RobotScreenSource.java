package dev.parley.desktop.call;

import java.awt.AWTException;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Toolkit;
import java.awt.image.BufferedImage;

/**
 * Screen frames from java.awt.Robot, because webrtc-java 0.14.0's own screen capturer segfaults on Linux. Scaled
 * down to at most {@code maxWidth} so a 4K screen does not cost a 4K encode.
 */
public final class RobotScreenSource implements ScreenSource {
    private final Robot robot;
    private final Rectangle area;
    private final int maxWidth;
    private final int fps;

    public RobotScreenSource(Rectangle area, int maxWidth, int fps) {
        try {
            this.robot = new Robot();
        } catch (AWTException e) {
            throw new IllegalStateException("screen capture is not available here: " + e.getMessage(), e);
        }
        this.area = area;
        this.maxWidth = maxWidth;
        this.fps = fps;
    }

    /** The whole primary screen. */
    public static RobotScreenSource wholeScreen(int maxWidth, int fps) {
        return new RobotScreenSource(new Rectangle(Toolkit.getDefaultToolkit().getScreenSize()), maxWidth, fps);
    }

    @Override
    public VideoImage capture() {
        BufferedImage shot = robot.createScreenCapture(area);
        int w = shot.getWidth();
        int h = shot.getHeight();
        if (w > maxWidth) {
            int sw = maxWidth & ~1;
            int sh = (int) ((long) h * sw / w) & ~1;
            BufferedImage scaled = new BufferedImage(sw, sh, BufferedImage.TYPE_INT_RGB);
            var g = scaled.createGraphics();
            g.drawImage(shot, 0, 0, sw, sh, null);
            g.dispose();
            shot = scaled;
            w = sw;
            h = sh;
        }
        int[] argb = shot.getRGB(0, 0, w, h, null, 0, w);
        return new VideoImage(w, h, argb, System.nanoTime());
    }

    @Override
    public int framesPerSecond() {
        return fps;
    }
}
