package dev.parley.desktop.call;

import javafx.scene.Node;
import javafx.scene.shape.FillRule;
import javafx.scene.shape.SVGPath;

/**
 * Icons drawn as shapes rather than emoji: a Linux desktop without an emoji font showed the video and history
 * buttons as empty boxes. Filled with the theme's text colour (style class {@code glyph-icon}).
 */
final class CallIcons {
    private CallIcons() {
    }

    /** A film camera: body and lens, 18 px wide. */
    static Node videoCamera() {
        return icon("M1 5 H12 A1 1 0 0 1 13 6 V14 A1 1 0 0 1 12 15 H1 A1 1 0 0 1 0 14 V6 A1 1 0 0 1 1 5 Z"
                + " M14 8.5 L18 6 V14 L14 11.5 Z");
    }

    /** A clock face with its hands: the list of past calls, 16 px. */
    static Node clock() {
        return icon("M8 0 A8 8 0 1 1 7.99 0 Z M8 2 A6 6 0 1 0 8.01 2 Z M7 4 H9 V7.6 L11.6 9.1 L10.6 10.8 L7 8.7 Z");
    }

    private static Node icon(String path) {
        SVGPath shape = new SVGPath();
        shape.setContent(path);
        shape.setFillRule(FillRule.EVEN_ODD);
        shape.getStyleClass().add("glyph-icon");
        return shape;
    }
}
