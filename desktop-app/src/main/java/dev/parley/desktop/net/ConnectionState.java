package dev.parley.desktop.net;

/** The live connection as the UI shows it. */
public enum ConnectionState {
    /** Opening the socket or waiting for the welcome. */
    CONNECTING,
    CONNECTED,
    /** Lost; a reconnect is scheduled. */
    OFFLINE,
    /** The device was signed out (revoked, or the sign-in expired); no reconnects. */
    SIGNED_OUT,
    /** The relay speaks another protocol version (close 4003); no reconnects until the app or relay is updated. */
    INCOMPATIBLE,
    STOPPED
}
