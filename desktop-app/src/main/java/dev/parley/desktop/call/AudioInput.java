package dev.parley.desktop.call;

/**
 * Which audio module and source a {@link WebRtcCallEngine} uses. Chosen once, up front, because the wrong choice
 * kills the JVM (DESIGN.md section 7): no sound server means {@code new AudioDeviceModule()} throws and device
 * enumeration hangs, and a headless module plus a custom audio source on one peer aborts.
 */
public sealed interface AudioInput {
    /** Real microphone and speaker through the system's audio layer; only where a sound server exists. */
    record Devices() implements AudioInput {
    }

    /** Sends a sine tone of {@code hz} through a custom source on the dummy audio layer; plays nothing back. */
    record Tone(double hz) implements AudioInput {
    }

    /** Sends nothing, renders received audio headlessly (tests, the doctor, machines without audio). */
    record Headless() implements AudioInput {
    }
}
