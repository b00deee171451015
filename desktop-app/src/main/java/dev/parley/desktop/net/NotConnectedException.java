package dev.parley.desktop.net;

/** A request could not be sent or its answer was lost with the connection; the caller may retry later. */
public final class NotConnectedException extends RuntimeException {
    public NotConnectedException() {
        super("not connected to the relay");
    }
}
