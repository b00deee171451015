package dev.parley.desktop.call;

import dev.parley.protocol.CallEndReason;
import dev.parley.protocol.CallMedia;

/** Where this device's call is. One call at a time; {@link Ended} is kept until the next call starts. */
public sealed interface CallState {
    record Idle() implements CallState {
    }

    /** We rang; {@code callId} is null until the relay acknowledged the invite. */
    record Outgoing(long conv, CallMedia media, String callId) implements CallState {
    }

    /** Someone rings us. */
    record Incoming(String callId, long conv, long caller, CallMedia media) implements CallState {
    }

    /** Answered; offer/answer/ICE under way. */
    record Connecting(String callId, long conv, CallMedia media, boolean caller) implements CallState {
    }

    /** Media flows; {@code connectedAtMillis} starts the call timer. */
    record Active(String callId, long conv, CallMedia media, boolean caller, long connectedAtMillis)
            implements CallState {
    }

    /**
     * Over. {@code reason} is the relay's when it told us, else what we saw locally ({@code failure} explains media
     * or signaling failures, where reason is {@link CallEndReason#CONNECTION_LOST}).
     */
    record Ended(String callId, long conv, CallEndReason reason, Long durationMs, String failure)
            implements CallState {
    }
}
