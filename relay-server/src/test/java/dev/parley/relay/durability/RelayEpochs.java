package dev.parley.relay.durability;

import java.util.concurrent.TimeUnit;

/**
 * Counts the relay runs the test has declared ready. A client that lost its connection waits for the next run
 * instead of hammering a relay that is dying or shutting down; the test opens a run only after /health answered.
 */
final class RelayEpochs {
    private int epoch;

    synchronized void opened() {
        epoch++;
        notifyAll();
    }

    synchronized int current() {
        return epoch;
    }

    /** Waits until a run newer than {@code seen} is open, or fails at the deadline. */
    synchronized int awaitAfter(int seen, long deadlineNanos) {
        while (epoch <= seen) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no relay run after run " + seen + " was opened in time");
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return epoch;
    }
}
