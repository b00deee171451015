package dev.parley.desktop.chat;

/** How far one of the user's own messages got. */
public enum Delivery {
    /** In the outbox, not acknowledged by the relay yet. */
    SENDING,
    /** Stored by the relay. */
    SENT,
    /** Received by another member's device. */
    DELIVERED,
    /** Read by another member. */
    READ,
    /** Refused by the relay for good; shown with the reason. */
    FAILED
}
