import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Draws Parley's icon (a speech bubble on a blue tile) and writes it as PNG (Linux), ICO (Windows) and ICNS (macOS),
 * so no binary art lives in the repository. Run: java installers/icons/MakeIcons.java OUTPUT_DIR
 * Both ICO and ICNS hold PNG images, which Windows Vista+ and macOS 10.7+ read.
 */
public class MakeIcons {
    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path out = Path.of(args.length > 0 ? args[0] : ".");
        Files.createDirectories(out);
        byte[] png256 = png(draw(256));
        byte[] png512 = png(draw(512));
        Files.write(out.resolve("parley.png"), png256);
        Files.write(out.resolve("parley.ico"), ico(png256));
        Files.write(out.resolve("parley.icns"), icns(png256, png512));
    }

    static BufferedImage draw(int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        double s = size / 256.0;
        g.setPaint(new GradientPaint(0, 0, new Color(0x3B82F6), size, size, new Color(0x1E40AF)));
        g.fill(new RoundRectangle2D.Double(8 * s, 8 * s, 240 * s, 240 * s, 56 * s, 56 * s));
        // The bubble with its tail at the lower left.
        Path2D bubble = new Path2D.Double();
        bubble.append(new RoundRectangle2D.Double(44 * s, 56 * s, 168 * s, 118 * s, 48 * s, 48 * s), false);
        Path2D tail = new Path2D.Double();
        tail.moveTo(74 * s, 160 * s);
        tail.lineTo(62 * s, 204 * s);
        tail.lineTo(112 * s, 170 * s);
        tail.closePath();
        g.setColor(Color.WHITE);
        g.fill(bubble);
        g.fill(tail);
        g.setColor(new Color(0x1E40AF));
        for (int i = 0; i < 3; i++) {
            g.fill(new Ellipse2D.Double((84 + i * 36) * s, 101 * s, 24 * s, 24 * s));
        }
        g.dispose();
        return image;
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    /** ICONDIR (6 bytes) + one ICONDIRENTRY (16 bytes) + the PNG; width/height 0 means 256. */
    static byte[] ico(byte[] png256) {
        ByteBuffer b = ByteBuffer.allocate(6 + 16 + png256.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0).putShort((short) 1).putShort((short) 1);
        b.put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        b.putShort((short) 1).putShort((short) 32).putInt(png256.length).putInt(6 + 16);
        b.put(png256);
        return b.array();
    }

    /** 'icns' + total length, then typed chunks: ic08 = 256x256 PNG, ic09 = 512x512 PNG (big-endian lengths). */
    static byte[] icns(byte[] png256, byte[] png512) {
        int length = 8 + 8 + png256.length + 8 + png512.length;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.BIG_ENDIAN);
        b.put("icns".getBytes()).putInt(length);
        b.put("ic08".getBytes()).putInt(8 + png256.length).put(png256);
        b.put("ic09".getBytes()).putInt(8 + png512.length).put(png512);
        return b.array();
    }
}
