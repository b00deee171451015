package dev.parley.desktop.cache;

/** The local database failed; the app reports it rather than continuing on a cache it cannot trust. */
public final class CacheException extends RuntimeException {
    public CacheException(String message, Throwable cause) {
        super(message, cause);
    }
}
