package dev.parley.desktop.net;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential reconnect delays with jitter, so a relay restart is not met by every client at the same instant.
 * Not thread-safe; the connection uses it from its scheduler thread only.
 */
public final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    private int attempt;

    public Backoff(Duration min, Duration max) {
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
    }

    public static Backoff standard() {
        return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15));
    }

    public Duration next() {
        long base = Math.min(maxMillis, minMillis << Math.min(attempt, 20));
        attempt++;
        long jitter = base / 4 == 0 ? 0 : ThreadLocalRandom.current().nextLong(base / 4);
        return Duration.ofMillis(Math.min(maxMillis, base + jitter));
    }

    public void reset() {
        attempt = 0;
    }
}
