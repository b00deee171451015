package dev.parley.desktop.net;

/** The relay could not be reached at all (down, wrong address, no network); worth retrying later. */
public final class RelayUnreachableException extends RuntimeException {
    public RelayUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
