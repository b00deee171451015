package dev.parley.desktop.cache;

/**
 * {@code syncedSeq}: every event up to here is in the cache (the {@code after} of the next sync).
 * {@code floorSeq}: every event from here up to {@code syncedSeq} is cached; 1 means the whole history is.
 */
public record SyncState(long syncedSeq, long floorSeq) {
    public boolean historyComplete() {
        return floorSeq <= 1;
    }
}
