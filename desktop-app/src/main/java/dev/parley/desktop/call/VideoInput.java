package dev.parley.desktop.call;

/** Where local video comes from. */
public sealed interface VideoInput {
    /** A camera (null: the first one) at the given capture size. */
    record Camera(int width, int height, int fps) implements VideoInput {
    }

    /**
     * A generated picture: a flat background of luma {@code luma} with a moving bright bar, so a receiver can check
     * both that frames arrive and that they carry what was sent (tests, the doctor, screenshots).
     */
    record Synthetic(int width, int height, int fps, int luma) implements VideoInput {
    }

    record None() implements VideoInput {
    }
}
